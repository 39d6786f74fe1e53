//! The outbox: every mail is stored before it is sent and marked sent once the server took it.
//! A mail that could not go is tried again later (its `next_attempt`), so none is lost when the
//! mail server is down.

use crate::{Store, StoreError};

/// A mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMail {
    /// What it is (`confirm`, `test`…).
    pub kind: String,
    /// The address it goes to.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// HTML body (may be empty).
    pub body_html: String,
    /// The one-click unsubscribe URL (RFC 8058), or empty.
    pub list_unsubscribe: String,
}

/// A stored mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    /// Row id.
    pub id: i64,
    /// The mail.
    pub mail: OutboxMail,
    /// Attempts so far.
    pub attempts: i64,
}

type Row = (i64, String, String, String, String, String, String, i64);

/// Stores `mail` on `conn` (a transaction of the caller's, say); returns its id.
pub(crate) async fn enqueue_on(
    conn: &mut sqlx::AnyConnection,
    mail: &OutboxMail,
    now: &str,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO outbox (kind, recipient, subject, body_text, body_html, \
         list_unsubscribe, created_at, next_attempt) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         RETURNING id",
    )
    .bind(&mail.kind)
    .bind(&mail.recipient)
    .bind(&mail.subject)
    .bind(&mail.body_text)
    .bind(&mail.body_html)
    .bind(&mail.list_unsubscribe)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

impl Store {
    /// Stores `mail`, due at `now` (RFC 3339); returns its id.
    pub async fn enqueue_mail(&self, mail: &OutboxMail, now: &str) -> Result<i64, StoreError> {
        let mut conn = self.pool.acquire().await?;
        enqueue_on(&mut conn, mail, now).await
    }

    /// Mail not sent yet whose time has come at `now`, oldest first, at most `limit`.
    pub async fn due_mail(&self, now: &str, limit: i64) -> Result<Vec<QueuedMail>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, kind, recipient, subject, body_text, body_html, list_unsubscribe, \
             attempts FROM outbox WHERE sent_at IS NULL AND next_attempt <= $1 \
             ORDER BY id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| QueuedMail {
                id: r.0,
                mail: OutboxMail {
                    kind: r.1,
                    recipient: r.2,
                    subject: r.3,
                    body_text: r.4,
                    body_html: r.5,
                    list_unsubscribe: r.6,
                },
                attempts: r.7,
            })
            .collect())
    }

    /// Mail stored and not sent yet.
    pub async fn unsent_mail(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// Marks mail `id` sent at `now`.
    pub async fn mail_sent(&self, id: i64, now: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed attempt of mail `id`; it is due again at `next_attempt`.
    pub async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt = $2 \
             WHERE id = $3",
        )
        .bind(error)
        .bind(next_attempt)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failed_mail_waits_for_its_next_attempt_and_a_sent_one_leaves() {
        for (engine, store) in crate::testdb::stores().await {
            eprintln!("engine: {engine}");
            let store: &Store = &store;
            let mail = OutboxMail {
                kind: "test".into(),
                recipient: "a@x.org".into(),
                subject: "s".into(),
                body_text: "b".into(),
                body_html: String::new(),
                list_unsubscribe: String::new(),
            };
            let id = store
                .enqueue_mail(&mail, "2026-12-01T00:00:00Z")
                .await
                .unwrap();
            let due = store.due_mail("2026-12-01T00:00:00Z", 10).await.unwrap();
            assert_eq!((due.len(), due[0].mail.clone()), (1, mail));
            store
                .mail_failed(id, "connection refused", "2026-12-01T00:05:00Z")
                .await
                .unwrap();
            assert!(
                store
                    .due_mail("2026-12-01T00:01:00Z", 10)
                    .await
                    .unwrap()
                    .is_empty()
            );
            let again = store.due_mail("2026-12-01T00:05:00Z", 10).await.unwrap();
            assert_eq!(again[0].attempts, 1);
            store.mail_sent(id, "2026-12-01T00:05:01Z").await.unwrap();
            assert!(
                store
                    .due_mail("2026-12-02T00:00:00Z", 10)
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert_eq!(store.unsent_mail().await.unwrap(), 0);
        }
    }
}
