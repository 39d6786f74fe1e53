//! Deliveries to channels: a message key is written as `sending` just before the request and
//! `sent` after the answer, so nothing is posted twice, even after a crash.

use crate::{Store, StoreError};

/// What is known about a message key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryState {
    /// Posted; the channel's message id.
    Sent(Option<i64>),
    /// A request was under way when a run stopped: it may have been posted.
    Unsure,
}

impl Store {
    /// The state of `key`, or `None` when it was never sent.
    pub async fn delivery(&self, key: &str) -> Result<Option<DeliveryState>, StoreError> {
        let row: Option<(String, Option<i64>)> =
            sqlx::query_as("SELECT state, message_id FROM delivery WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(state, id)| {
            if state == "sent" {
                DeliveryState::Sent(id)
            } else {
                DeliveryState::Unsure
            }
        }))
    }

    /// Marks `key` as being sent, just before the request.
    pub async fn delivery_sending(&self, key: &str, now: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO delivery (key, state, updated_at) VALUES ($1, 'sending', $2)
             ON CONFLICT (key) DO UPDATE SET state = 'sending', updated_at = $2",
        )
        .bind(key)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks `key` as sent.
    pub async fn delivery_sent(
        &self,
        key: &str,
        message_id: Option<i64>,
        now: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE delivery SET state = 'sent', message_id = $2, updated_at = $3 WHERE key = $1",
        )
        .bind(key)
        .bind(message_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forgets `key`: the channel answered that it was not posted.
    pub async fn delivery_failed(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM delivery WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_key_goes_from_sending_to_sent_or_away() {
        for (engine, store) in crate::testdb::stores().await {
            eprintln!("engine: {engine}");
            let store: &Store = &store;
            assert_eq!(store.delivery("k").await.unwrap(), None);
            store.delivery_sending("k", "t1").await.unwrap();
            assert_eq!(
                store.delivery("k").await.unwrap(),
                Some(DeliveryState::Unsure)
            );
            store.delivery_sent("k", Some(7), "t2").await.unwrap();
            assert_eq!(
                store.delivery("k").await.unwrap(),
                Some(DeliveryState::Sent(Some(7)))
            );
            store.delivery_sending("j", "t3").await.unwrap();
            store.delivery_failed("j").await.unwrap();
            assert_eq!(store.delivery("j").await.unwrap(), None);
        }
    }
}
