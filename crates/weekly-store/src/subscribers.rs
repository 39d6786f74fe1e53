//! Subscribers: who may receive the newsletter, in which languages and tier, with the record of
//! their consent. An address is one subscriber whatever its case (`email_key`). An import never
//! resubscribes an address that unsubscribed, bounced or complained, and importing the same
//! rows again changes nothing.

use crate::sql::Sql;
use crate::words::{status_of, tier_of};
use crate::{Store, StoreError, SubscriberStatus, Tier};
use std::collections::HashMap;

/// A subscriber as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    /// Row id.
    pub id: i64,
    /// The address as given (domain in lower case).
    pub email: String,
    /// Name, possibly empty.
    pub name: String,
    /// Language codes, comma-separated, possibly empty (then: the primary language).
    pub languages: String,
    /// Free or paid.
    pub tier: Tier,
    /// Last day of a paid subscription (`YYYY-MM-DD`).
    pub paid_until: Option<String>,
    /// Pending, confirmed, unsubscribed, bounced or complained.
    pub status: SubscriberStatus,
    /// Where the subscriber came from (a form, an import file…).
    pub source: String,
    /// When consent was given (RFC 3339).
    pub consent_at: String,
    /// From which address, for a form.
    pub consent_ip: String,
    /// How: `form`, `import` or `cli`.
    pub consent_via: String,
    /// First stored (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
    /// The random key every signed link of this subscriber includes (hex): a link dies with
    /// the row, and a row made later for the same address has another key.
    pub link_key: String,
    /// True for a row from before migration 0008, whose mailed links were signed without a
    /// key: those are still accepted for it (until their own expiry); for no other row.
    pub legacy_links: bool,
}

/// A subscriber to add or import (the address already checked and normalised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscriber {
    /// The address.
    pub email: String,
    /// Its comparison form (lower case).
    pub email_key: String,
    /// Name.
    pub name: String,
    /// Language codes, comma-separated.
    pub languages: String,
    /// Free or paid.
    pub tier: Tier,
    /// Last day of a paid subscription.
    pub paid_until: Option<String>,
    /// Status to store for a new address.
    pub status: SubscriberStatus,
    /// Origin.
    pub source: String,
    /// Consent time (RFC 3339).
    pub consent_at: String,
    /// Consent address.
    pub consent_ip: String,
    /// Consent channel.
    pub consent_via: String,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    /// New addresses stored.
    pub added: usize,
    /// Known addresses whose name, languages, tier or status changed.
    pub updated: usize,
    /// Known addresses left as they were.
    pub unchanged: usize,
    /// Addresses that left (unsubscribed, bounced, complained) and stay out.
    pub kept_out: usize,
}

/// Subscribers per status and tier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriberStats {
    /// `(status, tier, count)`, sorted.
    pub rows: Vec<(SubscriberStatus, Tier, i64)>,
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);

/// `SELECT` of every column of a subscriber, then `$rest` (a literal, so the SQL is static).
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, email, name, languages, tier, paid_until, status, source, consent_at, \
             consent_ip, consent_via, created_at, updated_at, link_key, legacy_links FROM subscriber",
            $rest
        )
    };
}

fn from_row(r: Row) -> Result<Subscriber, StoreError> {
    Ok(Subscriber {
        id: r.0,
        email: r.1,
        name: r.2,
        languages: r.3,
        tier: tier_of(&r.4)?,
        paid_until: r.5,
        status: status_of(&r.6)?,
        source: r.7,
        consent_at: r.8,
        consent_ip: r.9,
        consent_via: r.10,
        created_at: r.11,
        updated_at: r.12,
        link_key: r.13,
        legacy_links: r.14 != 0,
    })
}

/// Rows a caller should give [`SubscriberImport::add`] at once (the multi-row `INSERT` and the
/// lookup of known addresses are made per batch).
pub const IMPORT_BATCH: usize = 1000;

/// An import under way: one transaction, fed batch by batch, so a large file is never held
/// whole (neither the file's rows nor the stored subscribers: only the batch's addresses are
/// looked up). Dropped without [`SubscriberImport::commit`], it changes nothing.
pub struct SubscriberImport {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    engine: crate::Engine,
    now: String,
    /// The addresses of this import so far, as the first 16 bytes of their key's SHA-256 (a
    /// million addresses in 16 MB, not the 70 MB of their text).
    seen: std::collections::HashSet<[u8; 16]>,
    done: Imported,
}

impl std::fmt::Debug for SubscriberImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubscriberImport")
            .field("seen", &self.seen.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// What an import remembers of an address it has had.
fn seen_key(email_key: &str) -> [u8; 16] {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(email_key.as_bytes());
    let mut out = [0; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

type Known = (String, String, String, Option<String>, String);

impl SubscriberImport {
    /// Adds or updates the subscribers of `rows` (see [`Imported`]): a known address keeps its
    /// consent record and its creation time; one that left stays out; an address this import
    /// had before is left as the first row made it.
    pub async fn add(&mut self, rows: &[NewSubscriber]) -> Result<(), StoreError> {
        let mut fresh: Vec<&NewSubscriber> = Vec::new();
        let mut todo: Vec<&NewSubscriber> = Vec::new();
        for row in rows {
            // The same address twice in one import: the first one counts.
            if self.seen.insert(seen_key(&row.email_key)) {
                todo.push(row);
            } else {
                self.done.unchanged += 1;
            }
        }
        let mut known: HashMap<String, Known> = HashMap::new();
        for chunk in todo.chunks(IMPORT_BATCH) {
            let mut sql = Sql::new(
                self.engine,
                "SELECT email_key, name, languages, tier, paid_until, status FROM subscriber \
                 WHERE email_key IN (",
            );
            for (i, row) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind_alone(row.email_key.as_str());
            }
            sql.push(")");
            let found: Vec<(String, String, String, String, Option<String>, String)> =
                sql.query_as().fetch_all(&mut *self.tx).await?;
            known.extend(
                found
                    .into_iter()
                    .map(|(k, n, l, t, p, s)| (k, (n, l, t, p, s))),
            );
        }
        for row in todo {
            match known.get(&row.email_key) {
                None => fresh.push(row),
                Some((_, _, _, _, status)) if status_of(status)?.left() => {
                    self.done.kept_out += 1;
                }
                Some((name, languages, tier, paid_until, status)) => {
                    let (tier, status) = (tier_of(tier)?, status_of(status)?);
                    // An empty field of the import keeps what is stored.
                    let pick = |new: &str, old: &str| {
                        if new.is_empty() {
                            old.to_owned()
                        } else {
                            new.to_owned()
                        }
                    };
                    let new_name = pick(&row.name, name);
                    let new_languages = pick(&row.languages, languages);
                    let new_paid = row.paid_until.clone().or_else(|| paid_until.clone());
                    let new_status = if row.status.left() {
                        row.status
                    } else {
                        status
                    };
                    let same = (&new_name, &new_languages, row.tier, &new_paid, new_status)
                        == (name, languages, tier, paid_until, status);
                    if same {
                        self.done.unchanged += 1;
                        continue;
                    }
                    sqlx::query(
                        "UPDATE subscriber SET name = $1, languages = $2, tier = $3, \
                         paid_until = $4, status = $5, updated_at = $6 WHERE email_key = $7",
                    )
                    .bind(&new_name)
                    .bind(&new_languages)
                    .bind(row.tier.as_str())
                    .bind(&new_paid)
                    .bind(new_status.as_str())
                    .bind(&self.now)
                    .bind(&row.email_key)
                    .execute(&mut *self.tx)
                    .await?;
                    self.done.updated += 1;
                }
            }
        }
        // New addresses in multi-row statements (13 values a row, within SQLite's limit of
        // 32,766 parameters): one statement per row made 100,000 rows take 6.5 s.
        for chunk in fresh.chunks(IMPORT_BATCH) {
            let mut q = Sql::new(
                self.engine,
                "INSERT INTO subscriber (email, email_key, name, languages, tier, paid_until, \
                 status, source, consent_at, consent_ip, consent_via, created_at, updated_at) VALUES ",
            );
            for (i, row) in chunk.iter().enumerate() {
                q.open(i > 0)
                    .bind(row.email.as_str())
                    .bind(row.email_key.as_str())
                    .bind(row.name.as_str())
                    .bind(row.languages.as_str())
                    .bind(row.tier.as_str())
                    .bind(row.paid_until.as_deref())
                    .bind(row.status.as_str())
                    .bind(row.source.as_str())
                    .bind(row.consent_at.as_str())
                    .bind(row.consent_ip.as_str())
                    .bind(row.consent_via.as_str())
                    .bind(self.now.as_str())
                    .bind(self.now.as_str())
                    .close();
            }
            q.query().execute(&mut *self.tx).await?;
        }
        self.done.added += fresh.len();
        Ok(())
    }

    /// What the import did so far.
    pub fn done(&self) -> Imported {
        self.done
    }

    /// Commits the import; returns what it did.
    pub async fn commit(self) -> Result<Imported, StoreError> {
        self.tx.commit().await?;
        Ok(self.done)
    }
}

impl Store {
    /// The subscriber with address `email_key` (lower case).
    pub async fn subscriber(&self, email_key: &str) -> Result<Option<Subscriber>, StoreError> {
        let row: Option<Row> = sqlx::query_as(select!(" WHERE email_key = $1"))
            .bind(email_key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(from_row).transpose()
    }

    /// The subscriber with row id `id`.
    pub async fn subscriber_by_id(&self, id: i64) -> Result<Option<Subscriber>, StoreError> {
        let row: Option<Row> = sqlx::query_as(select!(" WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(from_row).transpose()
    }

    /// A sign-up through a form: a new address is stored as `pending` with its consent; a
    /// known one that had left, or was pending and last changed before `resend_after` (RFC
    /// 3339), becomes `pending` again with the new consent and languages; a confirmed one, or
    /// one pending since `resend_after`, is left as it is. When the row was stored or changed,
    /// `mail` makes the confirmation mail of the subscriber as stored (or none), queued in the
    /// same transaction, so a sign-up is never stored without its mail. Returns the subscriber
    /// as stored now and whether a mail was queued.
    ///
    /// Whatever the address, the same statements run in the same order (the decision is made
    /// inside them): how long a sign-up takes does not tell whether an address is known.
    pub async fn sign_up(
        &self,
        row: &NewSubscriber,
        now: &str,
        resend_after: &str,
        mail: impl FnOnce(&Subscriber) -> Option<crate::OutboxMail>,
    ) -> Result<(Subscriber, bool), StoreError> {
        let mut tx = self.atomic_transaction().await?;
        let changed: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO subscriber (email, email_key, name, languages, tier, paid_until, \
             status, source, consent_at, consent_ip, consent_via, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10, $11, $11) \
             ON CONFLICT (email_key) DO UPDATE SET status = 'pending', \
             languages = excluded.languages, consent_at = excluded.consent_at, \
             consent_ip = excluded.consent_ip, consent_via = excluded.consent_via, \
             updated_at = excluded.updated_at \
             WHERE subscriber.status <> 'confirmed' \
             AND NOT (subscriber.status = 'pending' AND subscriber.updated_at > $12) \
             RETURNING id",
        )
        .bind(&row.email)
        .bind(&row.email_key)
        .bind(&row.name)
        .bind(&row.languages)
        .bind(row.tier.as_str())
        .bind(&row.paid_until)
        .bind(&row.source)
        .bind(&row.consent_at)
        .bind(&row.consent_ip)
        .bind(&row.consent_via)
        .bind(now)
        .bind(resend_after)
        .fetch_optional(&mut *tx)
        .await?;
        let stored: Row = sqlx::query_as(select!(" WHERE email_key = $1"))
            .bind(&row.email_key)
            .fetch_one(&mut *tx)
            .await?;
        let stored = from_row(stored)?;
        let mail = if changed.is_some() {
            mail(&stored)
        } else {
            None
        };
        let queued = crate::outbox::enqueue_if_on(&mut tx, mail.as_ref(), now).await?;
        tx.commit().await?;
        Ok((stored, queued))
    }

    /// Confirms pending subscriber `id` and, in the same transaction, queues `welcome` for
    /// them; true when this call confirmed them (false when they were not pending: confirmed
    /// already by another request, or gone), and then nothing is queued.
    pub async fn confirm_pending(
        &self,
        id: i64,
        now: &str,
        welcome: Option<&crate::OutboxMail>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.atomic_transaction().await?;
        let done = sqlx::query(
            "UPDATE subscriber SET status = 'confirmed', updated_at = $1 \
             WHERE id = $2 AND status = 'pending'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let confirmed = done.rows_affected() == 1;
        if confirmed && let Some(mail) = welcome {
            crate::outbox::enqueue_on(&mut tx, mail, now).await?;
        }
        tx.commit().await?;
        Ok(confirmed)
    }

    /// Sets the status of subscriber `id`; false when there is no such subscriber.
    pub async fn set_status_by_id(
        &self,
        id: i64,
        status: SubscriberStatus,
        now: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE subscriber SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets the languages of subscriber `id`; false when there is no such subscriber.
    pub async fn set_languages_by_id(
        &self,
        id: i64,
        languages: &str,
        now: &str,
    ) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE subscriber SET languages = $1, updated_at = $2 WHERE id = $3")
                .bind(languages)
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every subscriber (or those with `status`), oldest first.
    pub async fn subscribers(
        &self,
        status: Option<SubscriberStatus>,
    ) -> Result<Vec<Subscriber>, StoreError> {
        let rows: Vec<Row> = match status {
            Some(status) => {
                sqlx::query_as(select!(" WHERE status = $1 ORDER BY id"))
                    .bind(status.as_str())
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query_as(select!(" ORDER BY id"))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.into_iter().map(from_row).collect()
    }

    /// Adds or updates subscribers in one transaction (see [`Imported`]). A known address keeps
    /// its consent record and its creation time; one that left stays out. `now` is RFC 3339.
    pub async fn import_subscribers(
        &self,
        rows: &[NewSubscriber],
        now: &str,
    ) -> Result<Imported, StoreError> {
        let mut import = self.begin_import(now).await?;
        for batch in rows.chunks(IMPORT_BATCH) {
            import.add(batch).await?;
        }
        import.commit().await
    }

    /// Starts an import of rows given in batches ([`SubscriberImport::add`]), all in one
    /// transaction that holds the write lock: nothing is changed unless it is committed.
    pub async fn begin_import(&self, now: &str) -> Result<SubscriberImport, StoreError> {
        Ok(SubscriberImport {
            tx: self.write_transaction().await?,
            engine: self.engine(),
            now: now.to_owned(),
            seen: std::collections::HashSet::new(),
            done: Imported::default(),
        })
    }

    /// Sets the status of `email_key`; false when there is no such subscriber.
    pub async fn set_subscriber_status(
        &self,
        email_key: &str,
        status: SubscriberStatus,
        now: &str,
    ) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE subscriber SET status = $1, updated_at = $2 WHERE email_key = $3")
                .bind(status.as_str())
                .bind(now)
                .bind(email_key)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes `email_key`, its consent record and the clicks recorded for it
    /// (`[tracking] per_subscriber`), in one transaction; false when there is no such
    /// subscriber.
    pub async fn forget_subscriber(&self, email_key: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "DELETE FROM subscriber_click WHERE subscriber_id IN \
             (SELECT id FROM subscriber WHERE email_key = $1)",
        )
        .bind(email_key)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query("DELETE FROM subscriber WHERE email_key = $1")
            .bind(email_key)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Counts per status and tier.
    pub async fn subscriber_stats(&self) -> Result<SubscriberStats, StoreError> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT status, tier, COUNT(*) FROM subscriber GROUP BY status, tier \
             ORDER BY status, tier",
        )
        .fetch_all(&self.pool)
        .await?;
        let rows = rows
            .into_iter()
            .map(|(status, tier, n)| Ok((status_of(&status)?, tier_of(&tier)?, n)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(SubscriberStats { rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(email: &str, status: &str, name: &str) -> NewSubscriber {
        NewSubscriber {
            email: email.into(),
            email_key: email.to_lowercase(),
            name: name.into(),
            languages: "zh".into(),
            tier: crate::Tier::Free,
            paid_until: None,
            status: crate::SubscriberStatus::parse(status).unwrap(),
            source: "test.csv".into(),
            consent_at: "2026-12-01T00:00:00Z".into(),
            consent_ip: String::new(),
            consent_via: "import".into(),
        }
    }

    #[tokio::test]
    async fn imports_are_idempotent_and_never_resubscribe() {
        for (engine, store) in crate::testdb::stores().await {
            eprintln!("engine: {engine}");
            let store: &Store = &store;
            let rows = [
                new("a@x.org", "confirmed", "A"),
                new("B@x.org", "confirmed", ""),
                new("b@X.org", "confirmed", "dup"),
            ];
            let first = store.import_subscribers(&rows, "t1").await.unwrap();
            assert_eq!((first.added, first.unchanged), (2, 1));
            let again = store.import_subscribers(&rows, "t2").await.unwrap();
            assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 3));
            assert!(
                store
                    .set_subscriber_status("a@x.org", crate::SubscriberStatus::Unsubscribed, "t3")
                    .await
                    .unwrap()
            );
            let back = store.import_subscribers(&rows, "t4").await.unwrap();
            assert_eq!(back.kept_out, 1);
            let a = store.subscriber("a@x.org").await.unwrap().unwrap();
            assert_eq!(a.status, crate::SubscriberStatus::Unsubscribed);
            // A new name is taken; an empty one keeps the old.
            let renamed = store
                .import_subscribers(&[new("b@x.org", "confirmed", "Bee")], "t5")
                .await
                .unwrap();
            assert_eq!(renamed.updated, 1);
            let b = store.subscriber("b@x.org").await.unwrap().unwrap();
            assert_eq!((b.email.as_str(), b.name.as_str()), ("B@x.org", "Bee"));
            let stats = store.subscriber_stats().await.unwrap();
            assert_eq!(
                stats.rows,
                [
                    (crate::SubscriberStatus::Confirmed, crate::Tier::Free, 1),
                    (crate::SubscriberStatus::Unsubscribed, crate::Tier::Free, 1)
                ]
            );
            store
                .record_subscriber_click(a.id, 1, 1, "2026-12-07T00:00:00Z")
                .await
                .unwrap();
            store
                .record_subscriber_click(b.id, 1, 1, "2026-12-07T00:00:00Z")
                .await
                .unwrap();
            assert!(store.forget_subscriber("a@x.org").await.unwrap());
            // Their clicks go with them; another's stay.
            assert!(store.subscriber_clicks(a.id).await.unwrap().is_empty());
            assert_eq!(store.subscriber_clicks(b.id).await.unwrap().len(), 1);
            assert_eq!(store.subscribers(None).await.unwrap().len(), 1);
        }
    }

    #[tokio::test]
    async fn an_import_in_batches_is_one_transaction_and_the_first_row_counts() {
        for (engine, store) in crate::testdb::stores().await {
            eprintln!("engine: {engine}");
            let store: &Store = &store;
            store
                .import_subscribers(&[new("old@x.org", "confirmed", "Old")], "t0")
                .await
                .unwrap();
            // Dropped before its commit: nothing changed.
            let mut import = store.begin_import("t1").await.unwrap();
            import
                .add(&[new("lost@x.org", "confirmed", "")])
                .await
                .unwrap();
            drop(import);
            assert!(store.subscriber("lost@x.org").await.unwrap().is_none());
            // A later batch repeating an address of an earlier one changes nothing of it.
            let mut import = store.begin_import("t2").await.unwrap();
            import
                .add(&[
                    new("a@x.org", "confirmed", "First"),
                    new("old@x.org", "confirmed", "New"),
                ])
                .await
                .unwrap();
            import
                .add(&[
                    new("A@x.org", "confirmed", "Second"),
                    new("old@x.org", "confirmed", "Again"),
                ])
                .await
                .unwrap();
            let done = import.commit().await.unwrap();
            assert_eq!(
                (done.added, done.updated, done.unchanged),
                (1, 1, 2),
                "{done:?}"
            );
            let a = store.subscriber("a@x.org").await.unwrap().unwrap();
            assert_eq!(a.name, "First");
            let old = store.subscriber("old@x.org").await.unwrap().unwrap();
            assert_eq!(old.name, "New");
        }
    }
}
