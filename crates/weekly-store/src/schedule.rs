//! Sends scheduled for later (`weekly send N --at TIME`): stored so that any running
//! `weekly server` carries each out once its time has come, across restarts. A server claims a
//! due row for a lease; a claim that ran out (a server killed while sending) is taken by
//! another, and the send it repeats is itself resumable (campaigns send nobody twice).

use crate::{Store, StoreError};

/// A scheduled send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    /// Row id.
    pub id: i64,
    /// The issue.
    pub issue: u32,
    /// Only this language (empty: every language).
    pub lang: String,
    /// `send` (the issue's campaigns) or `publish` (every step of `weekly publish`).
    pub what: String,
    /// When (RFC 3339, UTC).
    pub due_at: String,
    /// `waiting`, `running`, `done`, `failed` or `cancelled`.
    pub state: String,
    /// What the run said (counts, or the error).
    pub note: String,
    /// When it ended.
    pub done_at: Option<String>,
}

type Row = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

fn from_row(row: Row) -> Scheduled {
    let (id, issue, lang, what, due_at, state, note, done_at) = row;
    Scheduled {
        id,
        issue: u32::try_from(issue).unwrap_or(0),
        lang,
        what,
        due_at,
        state,
        note,
        done_at,
    }
}

impl Store {
    /// Schedules `what` (`send` or `publish`) of issue `issue` (in `lang`, empty for all) at
    /// `due_at`; its id. One waiting row per issue, language and kind: a second replaces the
    /// first's time.
    pub async fn schedule_send(
        &self,
        issue: u32,
        lang: &str,
        what: &str,
        due_at: &str,
        now: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.atomic_transaction().await?;
        let waiting: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM scheduled_send WHERE issue = $1 AND lang = $2 AND what = $3 \
             AND state = 'waiting'",
        )
        .bind(i64::from(issue))
        .bind(lang)
        .bind(what)
        .fetch_optional(&mut *tx)
        .await?;
        let id = if let Some((id,)) = waiting {
            sqlx::query("UPDATE scheduled_send SET due_at = $1 WHERE id = $2")
                .bind(due_at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        } else {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO scheduled_send (issue, lang, what, due_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(i64::from(issue))
            .bind(lang)
            .bind(what)
            .bind(due_at)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            id
        };
        tx.commit().await?;
        Ok(id)
    }

    /// Every scheduled send, the latest first.
    pub async fn scheduled_sends(&self) -> Result<Vec<Scheduled>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, issue, lang, what, due_at, state, note, done_at FROM scheduled_send \
             ORDER BY due_at DESC, id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    /// Cancels scheduled send `id` while it waits; false when it is not waiting (running,
    /// done, cancelled or unknown).
    pub async fn cancel_send(&self, id: i64, now: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE scheduled_send SET state = 'cancelled', done_at = $2 \
             WHERE id = $1 AND state = 'waiting'",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Claims for `worker`, until `lease_until`, the earliest send due at `now` that nobody
    /// holds (waiting, or running under a claim that ran out).
    pub async fn claim_due_send(
        &self,
        worker: &str,
        now: &str,
        lease_until: &str,
    ) -> Result<Option<Scheduled>, StoreError> {
        let mut tx = self.atomic_transaction().await?;
        let due: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM scheduled_send WHERE due_at <= $1 \
             AND (state = 'waiting' OR (state = 'running' AND lease_until < $1)) \
             ORDER BY due_at, id LIMIT 1",
        )
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = due else {
            tx.commit().await?;
            return Ok(None);
        };
        sqlx::query(
            "UPDATE scheduled_send SET state = 'running', worker = $1, lease_until = $2 \
             WHERE id = $3",
        )
        .bind(worker)
        .bind(lease_until)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let row: Row = sqlx::query_as(
            "SELECT id, issue, lang, what, due_at, state, note, done_at FROM scheduled_send WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(from_row(row)))
    }

    /// Extends `worker`'s claim on send `id` until `lease_until`.
    pub async fn renew_send(
        &self,
        id: i64,
        worker: &str,
        lease_until: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE scheduled_send SET lease_until = $1 \
             WHERE id = $2 AND worker = $3 AND state = 'running'",
        )
        .bind(lease_until)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Ends send `id` as `state` (`done` or `failed`) with `note`, when `worker` still holds
    /// it; false when another took it over.
    pub async fn finish_send(
        &self,
        id: i64,
        worker: &str,
        state: &str,
        note: &str,
        now: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE scheduled_send SET state = $1, note = $2, done_at = $3 \
             WHERE id = $4 AND worker = $5 AND state = 'running'",
        )
        .bind(state)
        .bind(note)
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_due_send_is_claimed_once_and_taken_over_after_its_lease() {
        for (engine, store) in crate::testdb::stores().await {
            let t = |s: &str| format!("2026-12-12T08:00:{s}Z");
            let id = store
                .schedule_send(3, "", "send", &t("10"), &t("00"))
                .await
                .unwrap();
            // Scheduling again moves the time; it is still one row.
            assert_eq!(
                store
                    .schedule_send(3, "", "send", &t("05"), &t("01"))
                    .await
                    .unwrap(),
                id
            );
            assert!(
                store
                    .claim_due_send("a", &t("04"), &t("30"))
                    .await
                    .unwrap()
                    .is_none()
            );
            let claimed = store.claim_due_send("a", &t("05"), &t("30")).await.unwrap();
            assert_eq!(claimed.map(|s| s.issue), Some(3), "{engine}");
            // Held: nobody else gets it, and it cannot be cancelled.
            assert!(
                store
                    .claim_due_send("b", &t("06"), &t("40"))
                    .await
                    .unwrap()
                    .is_none()
            );
            assert!(!store.cancel_send(id, &t("06")).await.unwrap());
            // The claim runs out (a killed server): another takes it, and the first cannot
            // finish it any more.
            let again = store.claim_due_send("b", &t("31"), &t("50")).await.unwrap();
            assert_eq!(again.map(|s| s.id), Some(id), "{engine}");
            assert!(
                !store
                    .finish_send(id, "a", "done", "", &t("32"))
                    .await
                    .unwrap()
            );
            assert!(
                store
                    .finish_send(id, "b", "done", "2 sent", &t("33"))
                    .await
                    .unwrap()
            );
            assert!(
                store
                    .claim_due_send("c", &t("59"), &t("59"))
                    .await
                    .unwrap()
                    .is_none()
            );
            let all = store.scheduled_sends().await.unwrap();
            assert_eq!(
                (all[0].state.as_str(), all[0].note.as_str()),
                ("done", "2 sent")
            );
            // A waiting one can be cancelled, and then never runs.
            let other = store
                .schedule_send(4, "en", "send", &t("40"), &t("00"))
                .await
                .unwrap();
            assert!(store.cancel_send(other, &t("01")).await.unwrap());
            assert!(
                store
                    .claim_due_send("c", &t("59"), &t("59"))
                    .await
                    .unwrap()
                    .is_none()
            );
        }
    }
}
