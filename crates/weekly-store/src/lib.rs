//! The workspace database: SQLite through sqlx, with migrations embedded in the binary. It
//! holds the translation memory, the record of translated units, the collected candidates and
//! the deliveries to channels. The SQL is written to run
//! on PostgreSQL too (`$n` placeholders, no SQLite-only types); a PostgreSQL pool would need its
//! own migration directory only.

mod collect;
mod delivery;
mod outbox;
mod subscribers;

pub use collect::{Candidate, FeedState, NewItem, Recorded, Sighting, Status};
pub use delivery::DeliveryState;
pub use outbox::{OutboxMail, QueuedMail};
pub use subscribers::{Imported, NewSubscriber, Subscriber, SubscriberStats};

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

/// A database problem, with what we were doing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Opening or migrating the database failed.
    #[error("cannot open the database {path}: {source}")]
    Open {
        /// The database file.
        path: String,
        /// The cause.
        source: sqlx::Error,
    },
    /// A migration failed.
    #[error("cannot migrate the database {path}: {source}")]
    Migrate {
        /// The database file.
        path: String,
        /// The cause.
        source: sqlx::migrate::MigrateError,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

/// The migrations, in order.
fn migrator() -> Migrator {
    let sql = [
        (
            1,
            "translation memory",
            include_str!("../migrations/sqlite/0001_translation.sql"),
        ),
        (
            2,
            "collection, inbox and deliveries",
            include_str!("../migrations/sqlite/0002_collect.sql"),
        ),
        (
            3,
            "translation claims",
            include_str!("../migrations/sqlite/0003_claims.sql"),
        ),
        (
            4,
            "subscribers",
            include_str!("../migrations/sqlite/0004_subscribers.sql"),
        ),
        (
            5,
            "outbox",
            include_str!("../migrations/sqlite/0005_outbox.sql"),
        ),
    ];
    Migrator::with_migrations(
        sql.into_iter()
            .map(|(version, description, text)| {
                Migration::new(
                    version,
                    description.into(),
                    MigrationType::Simple,
                    text.into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

/// A translation as kept in the memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memory {
    /// See `weekly_translate::memory_key`.
    pub key: String,
    /// Source language code.
    pub source_lang: String,
    /// Target language code.
    pub target_lang: String,
    /// Model name.
    pub model: String,
    /// Version (hash) of the prompt template.
    pub prompt_version: String,
    /// The source unit.
    pub source: String,
    /// Its checked translation.
    pub translation: String,
    /// Tokens of the request.
    pub prompt_tokens: i64,
    /// Tokens of the answer.
    pub completion_tokens: i64,
}

/// The record of one unit written into an edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRecord {
    /// Unit id.
    pub unit: String,
    /// SHA-256 of the source unit.
    pub source_hash: String,
    /// SHA-256 of the text written.
    pub output_hash: String,
}

/// The workspace database.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: SqlitePool,
}

impl Store {
    /// Opens (creating it if needed) the SQLite database at `path` and brings its schema up to
    /// date.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|source| StoreError::Open {
                path: shown.clone(),
                source,
            })?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // With WAL, NORMAL never corrupts the database; a power cut may lose the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .pragma("cache_size", "-16384")
            // Another run's write transaction is waited for, not reported as "locked".
            .busy_timeout(std::time::Duration::from_mins(1));
        // Two runs on a new workspace must not both turn it to WAL and create the tables: the
        // first connection and the migrations happen under a lock on a file beside the
        // database (not the database file itself: closing another descriptor of it would drop
        // SQLite's own locks).
        let lock_path = path.with_file_name(format!(
            "{}-lock",
            path.file_name()
                .map_or_else(|| "weekly.db".into(), |n| n.to_string_lossy().into_owned())
        ));
        let lock_error = |source: std::io::Error| StoreError::Open {
            path: shown.clone(),
            source: sqlx::Error::Io(source),
        };
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(lock_error)?;
        lock.lock().map_err(lock_error)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                path: shown.clone(),
                source,
            })?;
        let migrated = migrator().run(&pool).await;
        drop(lock);
        migrated.map_err(|source| StoreError::Migrate {
            path: shown,
            source,
        })?;
        Ok(Store { pool })
    }

    /// A write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), waiting for
    /// another run's: a deferred one that reads first fails with "database is locked" when
    /// another run wrote in between.
    pub(crate) async fn write_transaction(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Claims the translation of `key` for `owner` for `ttl_secs` (from `now`, unix seconds):
    /// true when no other owner holds an unexpired claim. The owner may claim again to extend.
    pub async fn claim(
        &self,
        key: &str,
        owner: &str,
        now: i64,
        ttl_secs: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO translation_claim (key, owner, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, \
             expires_at = excluded.expires_at \
             WHERE translation_claim.owner = excluded.owner OR translation_claim.expires_at < $4",
        )
        .bind(key)
        .bind(owner)
        .bind(now + ttl_secs)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives up `owner`'s claim of `key`.
    pub async fn release(&self, key: &str, owner: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM translation_claim WHERE key = $1 AND owner = $2")
            .bind(key)
            .bind(owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The translation stored under `key`.
    pub async fn memory(&self, key: &str) -> Result<Option<Memory>, StoreError> {
        type Row = (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            i64,
            i64,
        );
        let row: Option<Row> = sqlx::query_as(
            "SELECT key, source_lang, target_lang, model, prompt_version, source, translation, \
             prompt_tokens, completion_tokens FROM translation_memory WHERE key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(
            |(
                key,
                source_lang,
                target_lang,
                model,
                prompt_version,
                source,
                translation,
                prompt_tokens,
                completion_tokens,
            )| Memory {
                key,
                source_lang,
                target_lang,
                model,
                prompt_version,
                source,
                translation,
                prompt_tokens,
                completion_tokens,
            },
        ))
    }

    /// Stores a checked translation (replacing one with the same key).
    pub async fn remember(&self, memory: &Memory) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO translation_memory (key, source_lang, target_lang, model, prompt_version, \
             source, translation, prompt_tokens, completion_tokens) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (key) DO UPDATE SET translation = excluded.translation",
        )
        .bind(&memory.key)
        .bind(&memory.source_lang)
        .bind(&memory.target_lang)
        .bind(&memory.model)
        .bind(&memory.prompt_version)
        .bind(&memory.source)
        .bind(&memory.translation)
        .bind(memory.prompt_tokens)
        .bind(memory.completion_tokens)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Number of translations in the memory.
    pub async fn memory_size(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM translation_memory")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// The records of the units last written into issue `issue`'s `lang` edition.
    pub async fn unit_records(
        &self,
        issue: u32,
        lang: &str,
    ) -> Result<BTreeMap<String, UnitRecord>, StoreError> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT unit, source_hash, output_hash FROM translated_unit \
             WHERE issue = $1 AND lang = $2",
        )
        .bind(i64::from(issue))
        .bind(lang)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(unit, source_hash, output_hash)| {
                (
                    unit.clone(),
                    UnitRecord {
                        unit,
                        source_hash,
                        output_hash,
                    },
                )
            })
            .collect())
    }

    /// Replaces the records of issue `issue`'s `lang` edition, in one transaction.
    pub async fn set_unit_records(
        &self,
        issue: u32,
        lang: &str,
        records: &[UnitRecord],
    ) -> Result<(), StoreError> {
        let mut tx = self.write_transaction().await?;
        sqlx::query("DELETE FROM translated_unit WHERE issue = $1 AND lang = $2")
            .bind(i64::from(issue))
            .bind(lang)
            .execute(&mut *tx)
            .await?;
        for record in records {
            sqlx::query(
                "INSERT INTO translated_unit (issue, lang, unit, source_hash, output_hash) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(i64::from(issue))
            .bind(lang)
            .bind(&record.unit)
            .bind(&record.source_hash)
            .bind(&record.output_hash)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Closes the pool, flushing the WAL.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory(key: &str, translation: &str) -> Memory {
        Memory {
            key: key.into(),
            source_lang: "zh".into(),
            target_lang: "en".into(),
            model: "m".into(),
            prompt_version: "v".into(),
            source: "源".into(),
            translation: translation.into(),
            prompt_tokens: 3,
            completion_tokens: 4,
        }
    }

    #[tokio::test]
    async fn memory_and_records_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("weekly.db");
        let store = Store::open(&path).await.unwrap();
        assert_eq!(store.memory("k").await.unwrap(), None);
        store.remember(&memory("k", "one")).await.unwrap();
        store.remember(&memory("k", "two")).await.unwrap();
        let records = [UnitRecord {
            unit: "title".into(),
            source_hash: "s".into(),
            output_hash: "o".into(),
        }];
        store.set_unit_records(7, "en", &records).await.unwrap();
        store.close().await;

        let store = Store::open(&path).await.unwrap();
        assert_eq!(store.memory("k").await.unwrap(), Some(memory("k", "two")));
        assert_eq!(store.memory_size().await.unwrap(), 1);
        let got = store.unit_records(7, "en").await.unwrap();
        assert_eq!(got.get("title"), Some(&records[0]));
        assert!(store.unit_records(7, "ja").await.unwrap().is_empty());
        store.set_unit_records(7, "en", &[]).await.unwrap();
        assert!(store.unit_records(7, "en").await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_file_that_is_not_a_database_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("weekly.db");
        std::fs::write(
            &path,
            "not sqlite at all, just text that is long enough to matter",
        )
        .unwrap();
        let error = Store::open(&path).await.unwrap_err().to_string();
        assert!(error.contains("weekly.db"), "{error}");
    }

    #[tokio::test]
    async fn a_claim_is_held_by_one_owner_until_released_or_expired() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("weekly.db")).await.unwrap();
        assert!(store.claim("k", "a", 1000, 60).await.unwrap());
        assert!(
            !store.claim("k", "b", 1001, 60).await.unwrap(),
            "a holds it"
        );
        assert!(
            store.claim("k", "a", 1030, 60).await.unwrap(),
            "a extends it"
        );
        assert!(
            !store.claim("k", "b", 1080, 60).await.unwrap(),
            "extended to 1090"
        );
        assert!(store.claim("k", "b", 1091, 60).await.unwrap(), "expired");
        store.release("k", "a").await.unwrap();
        assert!(
            !store.claim("k", "a", 1092, 60).await.unwrap(),
            "a no longer owns it"
        );
        store.release("k", "b").await.unwrap();
        assert!(store.claim("k", "a", 1093, 60).await.unwrap());
    }
}
