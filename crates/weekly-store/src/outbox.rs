//! The outbox: every mail is stored before it is sent and marked sent once the server took it.
//! A mail that could not go is tried again later (its `next_attempt`), so none is lost when the
//! mail server is down. A sender claims the rows it sends for a while (a lease, `claimed_by`
//! until `claimed_until`), in a write transaction — `FOR UPDATE SKIP LOCKED` on PostgreSQL, the
//! write lock on SQLite — so any number of servers and `weekly mail send` runs send each mail
//! once; a claim whose lease ran out (its process was killed) is taken by the next sender.

use crate::{Engine, Store, StoreError};

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

/// Stores `mail` on `conn` when there is one, with the same statement either way (a sign-up
/// runs the same statements whether or not it queues a mail); true when it stored one.
pub(crate) async fn enqueue_if_on(
    conn: &mut sqlx::AnyConnection,
    mail: Option<&OutboxMail>,
    now: &str,
) -> Result<bool, StoreError> {
    let empty = OutboxMail {
        kind: String::new(),
        recipient: String::new(),
        subject: String::new(),
        body_text: String::new(),
        body_html: String::new(),
        list_unsubscribe: String::new(),
    };
    let (wanted, shown) = match mail {
        Some(mail) => (1_i64, mail),
        None => (0, &empty),
    };
    let stored: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO outbox (kind, recipient, subject, body_text, body_html, \
         list_unsubscribe, created_at, next_attempt) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $7 WHERE $8 = 1 RETURNING id",
    )
    .bind(&shown.kind)
    .bind(&shown.recipient)
    .bind(&shown.subject)
    .bind(&shown.body_text)
    .bind(&shown.body_html)
    .bind(&shown.list_unsubscribe)
    .bind(now)
    .bind(wanted)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(stored.is_some())
}

impl Store {
    /// Stores `mail`, due at `now` (RFC 3339); returns its id.
    pub async fn enqueue_mail(&self, mail: &OutboxMail, now: &str) -> Result<i64, StoreError> {
        let mut conn = self.pool.acquire().await?;
        enqueue_on(&mut conn, mail, now).await
    }

    /// Claims for `worker`, until `lease_until` (unix seconds), at most `limit` mails not sent
    /// yet whose time has come at `due_by` (RFC 3339) and that nobody holds at `now` (unix
    /// seconds: a claim that ran out is taken again), oldest first. Two senders never get the
    /// same mail while its claim runs.
    pub async fn claim_mail(
        &self,
        worker: &str,
        due_by: &str,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<QueuedMail>, StoreError> {
        let lock = match self.engine {
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
            Engine::Sqlite => "",
        };
        let mut tx = self.atomic_transaction().await?;
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE outbox SET claimed_by = $1, claimed_until = $2 WHERE id IN \
             (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt <= $3 \
             AND claimed_until < $4 ORDER BY id LIMIT $5{lock}) \
             RETURNING id, kind, recipient, subject, body_text, body_html, list_unsubscribe, \
             attempts"
        )))
        .bind(worker)
        .bind(crate::time::at(lease_until))
        .bind(due_by)
        .bind(crate::time::at(now))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut claimed: Vec<QueuedMail> = rows
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
            .collect();
        claimed.sort_by_key(|q| q.id);
        Ok(claimed)
    }

    /// Extends to `lease_until` the claims `worker` holds on mails not sent yet.
    pub async fn renew_mail_claims(
        &self,
        worker: &str,
        lease_until: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET claimed_until = $1 WHERE claimed_by = $2 AND sent_at IS NULL",
        )
        .bind(crate::time::at(lease_until))
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Mail stored and not sent yet.
    pub async fn unsent_mail(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// Marks mail `id` sent at `now`; its claim ends.
    pub async fn mail_sent(&self, id: i64, now: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET sent_at = $1, attempts = attempts + 1, claimed_by = '', \
             claimed_until = $2 WHERE id = $3",
        )
        .bind(now)
        .bind(crate::time::EPOCH)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a failed attempt of mail `id`; its claim ends, and it is due again at
    /// `next_attempt`.
    pub async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt = $2, \
             claimed_by = '', claimed_until = $3 WHERE id = $4 AND sent_at IS NULL",
        )
        .bind(error)
        .bind(next_attempt)
        .bind(crate::time::EPOCH)
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
            let claim = |due: &'static str, now: i64| store.claim_mail("w", due, now, now + 60, 10);
            let due = claim("2026-12-01T00:00:00Z", 1000).await.unwrap();
            assert_eq!((due.len(), due[0].mail.clone()), (1, mail));
            store
                .mail_failed(id, "connection refused", "2026-12-01T00:05:00Z")
                .await
                .unwrap();
            assert!(
                claim("2026-12-01T00:01:00Z", 1001)
                    .await
                    .unwrap()
                    .is_empty()
            );
            let again = claim("2026-12-01T00:05:00Z", 1002).await.unwrap();
            assert_eq!(again[0].attempts, 1);
            store.mail_sent(id, "2026-12-01T00:05:01Z").await.unwrap();
            assert!(
                claim("2026-12-02T00:00:00Z", 1003)
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert_eq!(store.unsent_mail().await.unwrap(), 0);
        }
    }

    #[tokio::test]
    async fn a_claimed_mail_is_nobody_elses_until_its_lease_runs_out() {
        for (engine, store) in crate::testdb::stores().await {
            eprintln!("engine: {engine}");
            let store: &Store = &store;
            let due = "2026-12-01T00:00:00Z";
            for to in ["a@x.org", "b@x.org", "c@x.org"] {
                store
                    .enqueue_mail(&crate::testdb::mail(to), due)
                    .await
                    .unwrap();
            }
            let a = store.claim_mail("a", due, 1000, 1060, 2).await.unwrap();
            let b = store.claim_mail("b", due, 1000, 1060, 10).await.unwrap();
            let ids = |q: &[QueuedMail]| q.iter().map(|m| m.id).collect::<Vec<_>>();
            assert_eq!((a.len(), b.len()), (2, 1));
            assert!(ids(&a).iter().all(|id| !ids(&b).contains(id)));
            assert!(
                store
                    .claim_mail("c", due, 1059, 1120, 10)
                    .await
                    .unwrap()
                    .is_empty(),
                "every mail is held"
            );
            // `a` renews its claims; `b` was killed: its mail is taken back after the lease.
            store.renew_mail_claims("a", 1200).await.unwrap();
            let c = store.claim_mail("c", due, 1061, 1120, 10).await.unwrap();
            assert_eq!(ids(&c), ids(&b));
            // A mail sent is never claimed again, even when its claim would have run out.
            store.mail_sent(a[0].id, due).await.unwrap();
            let later = store.claim_mail("d", due, 1201, 1300, 10).await.unwrap();
            assert_eq!(ids(&later), [a[1].id, b[0].id]);
        }
    }
}
