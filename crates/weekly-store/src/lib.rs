//! The workspace database through sqlx's `Any` driver: SQLite (a file in the workspace, the
//! default) or PostgreSQL (`postgres://…`), with one set of migrations per engine embedded in
//! the binary. It holds the translation memory, the record of translated units, the collected
//! candidates, the deliveries to channels, the subscribers and the outbox. The queries are
//! written once for both engines (`$n` placeholders, text and 64-bit integers only).

#[cfg(test)]
mod bounce_tests;
mod campaigns;
mod collect;
mod copy;
mod copy_tables;
mod delivery;
mod outbox;
#[cfg(test)]
mod reader_trust_tests;
mod schedule;
mod signals;
mod sql;
mod subscribers;
#[cfg(test)]
pub(crate) mod testdb;
pub mod time;
#[cfg(test)]
mod time_tests;
mod translation;
mod words;

pub use campaigns::{Audience, Campaign, CampaignCounts, Claimed, NewCampaign, RecipientRow};
pub use collect::{Candidate, FeedState, NewItem, Recorded, Sighting, Status, StoredDraft};
pub use copy::TableSum;
pub use delivery::DeliveryState;
pub use outbox::{OutboxMail, QueuedMail};
pub use schedule::Scheduled;
pub use signals::{CampaignLink, CountKey, LinkFigures, ViewKey};
pub use subscribers::{
    IMPORT_BATCH, Imported, NewSubscriber, Subscriber, SubscriberImport, SubscriberStats,
};
pub use translation::{Memory, UnitRecord};
pub use words::{SubscriberStatus, Tier};

use sqlx::any::AnyConnectOptions;
use sqlx::migrate::{Migrate, Migration, MigrationType, Migrator};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyConnection, AnyPool, Connection, pool::PoolOptions};
use sqlx::{ConnectOptions, Executor, SqlSafeStr};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// A database problem, with what we were doing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Opening or migrating the database failed.
    ///
    /// The cause is said in the message, once: it is not also returned by `source()` (an
    /// error chain printed line by line would say it twice).
    #[error("cannot open the database {path}: {cause}")]
    Open {
        /// The database, as it may be shown (no password).
        path: String,
        /// The cause.
        cause: sqlx::Error,
    },
    /// A migration failed.
    #[error("cannot migrate the database {path}: {cause}")]
    Migrate {
        /// The database, as it may be shown (no password).
        path: String,
        /// The cause.
        cause: sqlx::migrate::MigrateError,
    },
    /// A database URL that names no engine we have.
    #[error(
        "unsupported database URL {0}: use sqlite:PATH (relative to the workspace) or postgres://USER@HOST/NAME"
    )]
    Url(String),
    /// `weekly db copy` into a database that already holds data.
    #[error("the target database {0} already holds data (table {1}); copy into an empty database")]
    NotEmpty(String, String),
    /// `weekly db copy` read back something else than it wrote.
    #[error("the copy of table {0} differs from its source ({1})")]
    CopyMismatch(String, String),
    /// The database has migrations this program does not know (a newer `weekly` ran on it).
    #[error(
        "the database {path} was migrated by a newer weekly (migration {version} is unknown here); upgrade weekly"
    )]
    Newer {
        /// The database, as it may be shown.
        path: String,
        /// The unknown migration.
        version: i64,
    },
    /// `weekly db copy` moved the data elsewhere: this database takes no more writes.
    #[error(
        "the database {path} was moved to {to} by `weekly db copy`: point the workspace at it (`[database] url` or WEEKLY_DATABASE_URL) and restart `weekly server`"
    )]
    Moved {
        /// This database, as it may be shown.
        path: String,
        /// Where its data went, as it may be shown.
        to: String,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Query(sqlx::Error),
    /// A row holds a value this program does not know.
    #[error("{0}")]
    Invalid(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        StoreError::Query(error)
    }
}

/// The database engine behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Engine {
    /// The engine a URL names.
    pub fn of_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }

    /// `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// The file of an `sqlite:PATH` URL (`sqlite://PATH` too, options after `?` left out), or
/// `None` for another URL or an empty path.
pub fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty()).then_some(path)
}

/// `url` with any password replaced by `***`, fit to print.
pub fn shown_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => match url.split_once('@') {
            // Not a URL we can take apart: show only what follows the credentials.
            Some((_, host)) => format!("***@{host}"),
            None => url.to_owned(),
        },
    }
}

/// The migrations of `engine`, in order.
fn migrator(engine: Engine) -> Migrator {
    let sql: [(i64, &str, &'static str); 11] = match engine {
        Engine::Sqlite => [
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
            (
                6,
                "campaigns",
                include_str!("../migrations/sqlite/0006_campaigns.sql"),
            ),
            (
                7,
                "drafted entries",
                include_str!("../migrations/sqlite/0007_drafts.sql"),
            ),
            (
                8,
                "subscriber ids never reused, link keys, outbox claims",
                include_str!("../migrations/sqlite/0008_reader_trust.sql"),
            ),
            (
                9,
                "one form for every time: RFC 3339 text",
                include_str!("../migrations/sqlite/0009_times.sql"),
            ),
            (
                10,
                "sends scheduled for later",
                include_str!("../migrations/sqlite/0010_schedule.sql"),
            ),
            (
                11,
                "readers' signals: campaign links, click and page counts",
                include_str!("../migrations/sqlite/0011_signals.sql"),
            ),
        ],
        Engine::Postgres => [
            (
                1,
                "translation memory",
                include_str!("../migrations/postgres/0001_translation.sql"),
            ),
            (
                2,
                "collection, inbox and deliveries",
                include_str!("../migrations/postgres/0002_collect.sql"),
            ),
            (
                3,
                "translation claims",
                include_str!("../migrations/postgres/0003_claims.sql"),
            ),
            (
                4,
                "subscribers",
                include_str!("../migrations/postgres/0004_subscribers.sql"),
            ),
            (
                5,
                "outbox",
                include_str!("../migrations/postgres/0005_outbox.sql"),
            ),
            (
                6,
                "campaigns",
                include_str!("../migrations/postgres/0006_campaigns.sql"),
            ),
            (
                7,
                "drafted entries",
                include_str!("../migrations/postgres/0007_drafts.sql"),
            ),
            (
                8,
                "subscriber ids never reused, link keys, outbox claims",
                include_str!("../migrations/postgres/0008_reader_trust.sql"),
            ),
            (
                9,
                "one form for every time: RFC 3339 text",
                include_str!("../migrations/postgres/0009_times.sql"),
            ),
            (
                10,
                "sends scheduled for later",
                include_str!("../migrations/postgres/0010_schedule.sql"),
            ),
            (
                11,
                "readers' signals: campaign links, click and page counts",
                include_str!("../migrations/postgres/0011_signals.sql"),
            ),
        ],
    };
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

/// Where a database stands against the migrations this program has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Versions applied, with their descriptions.
    pub applied: Vec<(i64, String)>,
    /// Versions this program would apply, with their descriptions.
    pub pending: Vec<(i64, String)>,
}

/// The workspace database.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    engine: Engine,
    shown: String,
}

/// Set on every SQLite connection. With WAL, NORMAL never corrupts the database (a power cut
/// may lose the last commits); another run's write transaction is waited for (a minute), not
/// reported as "locked".
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA busy_timeout = 60000; PRAGMA cache_size = -4096; PRAGMA foreign_keys = ON";

/// Where sqlx records the migrations applied.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Lock key of PostgreSQL write transactions (`pg_advisory_xact_lock`): "weekly" in ASCII. An
/// operator holding it (`SELECT pg_advisory_lock(131277376941177)`) pauses the writers that read
/// then write (imports, collection, translation records, copies); sign-ups do not take it.
pub const PG_WRITE_LOCK: i64 = 0x7765_656b_6c79;

/// How long the first connection to a PostgreSQL server may take.
const PG_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Opens (creating it if needed) the SQLite database at `path` and brings its schema up to
    /// date.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_sqlite(path, true).await
    }

    /// Connects to the database at `url` (`sqlite:PATH`, a relative path taken from `base`,
    /// or `postgres://…`) and brings its schema up to date.
    pub async fn connect(url: &str, base: &Path) -> Result<Store, StoreError> {
        Store::connect_with(url, base, true).await
    }

    /// Like [`Store::connect`], but leaves the schema as it is (for `weekly db status`).
    pub async fn connect_unmigrated(url: &str, base: &Path) -> Result<Store, StoreError> {
        Store::connect_with(url, base, false).await
    }

    async fn connect_with(url: &str, base: &Path, migrate: bool) -> Result<Store, StoreError> {
        let store = Store::connect_any(url, base, migrate).await?;
        // A database `weekly db copy` moved away is refused at once, reads included, so that
        // nobody works on the old data unknowingly (`db status` still shows it).
        if migrate && let Some(to) = store.moved_to().await? {
            let path = store.shown().to_owned();
            store.close().await;
            return Err(StoreError::Moved { path, to });
        }
        Ok(store)
    }

    async fn connect_any(url: &str, base: &Path, migrate: bool) -> Result<Store, StoreError> {
        match Engine::of_url(url) {
            Some(Engine::Sqlite) => match sqlite_path(url) {
                Some(path) => Store::open_sqlite(&base.join(path), migrate).await,
                None => Err(StoreError::Url(shown_url(url))),
            },
            Some(Engine::Postgres) => Store::open_postgres(url, migrate).await,
            None => Err(StoreError::Url(shown_url(url))),
        }
    }

    async fn open_sqlite(path: &Path, migrate: bool) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let shown = path.display().to_string();
        let open_error = |cause| StoreError::Open {
            path: shown.clone(),
            cause,
        };
        let url = SqliteConnectOptions::from_str("sqlite:")
            .map_err(open_error)?
            .filename(path)
            .create_if_missing(true)
            .to_url_lossy();
        let options = AnyConnectOptions::from_url(&url).map_err(open_error)?;
        // Two runs on a new workspace must not both turn it to WAL and create the tables: the
        // first connection and the migrations happen under a lock on a file beside the
        // database (not the database file itself: closing another descriptor of it would drop
        // SQLite's own locks).
        let lock_path = path.with_file_name(format!(
            "{}-lock",
            path.file_name()
                .map_or_else(|| "weekly.db".into(), |n| n.to_string_lossy().into_owned())
        ));
        let lock_error = |cause: std::io::Error| StoreError::Open {
            path: shown.clone(),
            cause: sqlx::Error::Io(cause),
        };
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(lock_error)?;
        lock.lock().map_err(lock_error)?;
        // The first connection alone, so that a file that is not a database (or cannot be
        // opened) is reported at once with its cause; the pool retries failing connections.
        let mut first = AnyConnection::connect_with(&options)
            .await
            .map_err(open_error)?;
        first.execute(SQLITE_PRAGMAS).await.map_err(open_error)?;
        sqlx::query("SELECT COUNT(*) FROM sqlite_master")
            .execute(&mut first)
            .await
            .map_err(open_error)?;
        first.close().await.map_err(open_error)?;
        let pool = PoolOptions::<sqlx::Any>::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(90))
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(SQLITE_PRAGMAS).await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(open_error)?;
        let store = Store {
            pool,
            engine: Engine::Sqlite,
            shown,
        };
        let migrated = if migrate {
            store.migrate().await
        } else {
            Ok(Vec::new())
        };
        drop(lock);
        migrated?;
        Ok(store)
    }

    async fn open_postgres(url: &str, migrate: bool) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let shown = shown_url(url);
        let open_error = |cause| StoreError::Open {
            path: shown.clone(),
            cause,
        };
        let options = AnyConnectOptions::from_str(url).map_err(open_error)?;
        // The first connection alone, so that a refused connection, an unknown host or a
        // wrong password is reported at once with its own cause (a pool would retry until its
        // acquire timeout and then say only "pool timed out"); a server that does not answer
        // at all is given up after `PG_CONNECT_TIMEOUT`.
        let first = tokio::time::timeout(PG_CONNECT_TIMEOUT, AnyConnection::connect_with(&options))
            .await
            .map_err(|_| {
                open_error(sqlx::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!(
                        "no answer from the server within {} s",
                        PG_CONNECT_TIMEOUT.as_secs()
                    ),
                )))
            })?
            .map_err(open_error)?;
        first.close().await.map_err(open_error)?;
        let pool = PoolOptions::<sqlx::Any>::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(open_error)?;
        let store = Store {
            pool,
            engine: Engine::Postgres,
            shown,
        };
        // sqlx takes an advisory lock around the migrations, so two runs do not race.
        if migrate {
            store.migrate().await?;
        }
        Ok(store)
    }

    /// The engine behind this store.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The database as it may be shown: a file path, or a URL without its password.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Applies the migrations not applied yet; returns their versions.
    pub async fn migrate(&self) -> Result<Vec<i64>, StoreError> {
        let before = self.migration_status().await?;
        migrator(self.engine)
            .run(&self.pool)
            .await
            .map_err(|cause| StoreError::Migrate {
                path: self.shown.clone(),
                cause,
            })?;
        Ok(before.pending.into_iter().map(|(v, _)| v).collect())
    }

    /// Which migrations are applied and which would be.
    pub async fn migration_status(&self) -> Result<MigrationStatus, StoreError> {
        let migrator = migrator(self.engine);
        let exists_sql = match self.engine {
            Engine::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
            }
            Engine::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = $1"
            }
        };
        let (tables,): (i64,) = sqlx::query_as(exists_sql)
            .bind(MIGRATIONS_TABLE)
            .fetch_one(&self.pool)
            .await?;
        let applied = if tables == 0 {
            Vec::new()
        } else {
            let mut conn = self.pool.acquire().await?;
            conn.list_applied_migrations(MIGRATIONS_TABLE)
                .await
                .map_err(|cause| StoreError::Migrate {
                    path: self.shown.clone(),
                    cause,
                })?
        };
        let applied_versions: Vec<i64> = applied.iter().map(|m| m.version).collect();
        if let Some(version) = applied_versions
            .iter()
            .find(|v| !migrator.iter().any(|m| m.version == **v))
        {
            return Err(StoreError::Newer {
                path: self.shown.clone(),
                version: *version,
            });
        }
        let mut status = MigrationStatus {
            applied: Vec::new(),
            pending: Vec::new(),
        };
        for m in migrator.iter() {
            let entry = (m.version, m.description.to_string());
            if applied_versions.contains(&m.version) {
                status.applied.push(entry);
            } else {
                status.pending.push(entry);
            }
        }
        Ok(status)
    }

    /// A write transaction for statements that are atomic by themselves (an upsert, then
    /// reads of what it wrote): `BEGIN IMMEDIATE` on SQLite (a deferred one could fail to
    /// upgrade its lock), a plain `BEGIN` on PostgreSQL, where writers then run side by side.
    pub(crate) async fn atomic_transaction(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        match self.engine {
            Engine::Sqlite => Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?),
            Engine::Postgres => Ok(self.pool.begin().await?),
        }
    }

    /// A write transaction that holds the database's write lock from its start, so a
    /// read-then-write sequence sees no other run's write in between: SQLite's
    /// `BEGIN IMMEDIATE` (waiting for another run's), an advisory lock on PostgreSQL.
    pub(crate) async fn write_transaction(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        match self.engine {
            Engine::Sqlite => Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?),
            Engine::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
                    .bind(PG_WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
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

    /// A PostgreSQL server that refuses the connection is reported at once as refused, the
    /// cause said once (in the message, not again as a `source()`).
    #[tokio::test]
    async fn a_refused_postgres_connection_is_said_at_once_and_once() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // Nothing listens on the port any more.
        let url = format!("postgres://weekly:secret@127.0.0.1:{port}/weekly");
        let started = std::time::Instant::now();
        let Err(error) = Store::connect(&url, Path::new("/")).await else {
            panic!("connected to a closed port");
        };
        let took = started.elapsed();
        assert!(took < Duration::from_secs(2), "took {took:?}");
        let said = error.to_string();
        assert!(said.to_lowercase().contains("refused"), "{said}");
        assert!(!said.contains("secret"), "{said}");
        assert!(std::error::Error::source(&error).is_none(), "{error:?}");
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

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_path("sqlite:weekly.db"), Some("weekly.db"));
        assert_eq!(
            sqlite_path("sqlite://data/w.db?mode=rwc"),
            Some("data/w.db")
        );
        assert_eq!(sqlite_path("sqlite:"), None);
        assert_eq!(sqlite_path("postgres://u@h/db"), None);
    }

    #[tokio::test]
    async fn a_claim_is_held_by_one_owner_until_released_or_expired() {
        for (engine, store) in crate::testdb::stores().await {
            eprintln!("engine: {engine}");
            let store: &Store = &store;
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
}
