//! Which database a workspace uses: `WEEKLY_DATABASE_URL` when set, else `[database] url` of
//! `weekly.toml` (default `sqlite:weekly.db`, a file of the workspace); and its upkeep: how far
//! it is migrated, migrating it, copying its data into another database.

use crate::workspace::Workspace;
use anyhow::{Context as _, Result};
use weekly_store::{Engine, Store, TableSum, shown_url};

/// The environment variable that replaces `[database] url`.
pub const URL_VARIABLE: &str = crate::environment::DATABASE_URL;

/// The database URL of `workspace`, and where it came from (for messages).
pub fn url(workspace: &Workspace) -> Result<(String, &'static str)> {
    match workspace.env.get(URL_VARIABLE) {
        Some(url) => {
            let url = url.to_owned();
            if Engine::of_url(&url).is_none() {
                anyhow::bail!(
                    "{URL_VARIABLE}: `{}` is not a database URL; use sqlite:PATH or postgres://user@host/name",
                    weekly_store::shown_url(&url)
                );
            }
            Ok((url, URL_VARIABLE))
        }
        None => Ok((
            workspace.config.database.url.clone(),
            "weekly.toml [database] url",
        )),
    }
}

/// Opens the workspace's database and brings its schema up to date.
pub async fn open(workspace: &Workspace) -> Result<Store> {
    let (url, from) = url(workspace)?;
    Store::connect(&url, &workspace.root)
        .await
        .with_context(|| format!("the database comes from {from}"))
}

/// Opens the workspace's database without migrating it.
pub async fn open_unmigrated(workspace: &Workspace) -> Result<Store> {
    let (url, from) = url(workspace)?;
    Store::connect_unmigrated(&url, &workspace.root)
        .await
        .with_context(|| format!("the database comes from {from}"))
}

/// Whether the workspace's database is an SQLite file that does not exist yet (a dry run then
/// need not create it).
pub fn is_missing_file(workspace: &Workspace) -> bool {
    url(workspace).is_ok_and(|(url, _)| {
        weekly_store::sqlite_path(&url).is_some_and(|path| !workspace.root.join(path).exists())
    })
}

/// Where the database is and how far it is migrated.
#[derive(Debug)]
pub struct Status {
    /// The database as it may be shown (no password).
    pub shown: String,
    /// `SQLite` or `PostgreSQL`.
    pub engine: &'static str,
    /// How many migrations it has.
    pub applied: usize,
    /// The migrations this program would apply: version and description.
    pub pending: Vec<(i64, String)>,
    /// Rows per table (empty while migrations are pending).
    pub tables: Vec<TableSum>,
    /// Where `weekly db copy` moved its data, when it did (it takes no more writes).
    pub moved_to: Option<String>,
}

/// The status of the workspace's database, which is not migrated for it.
pub async fn status(workspace: &Workspace) -> Result<Status> {
    let store = open_unmigrated(workspace).await?;
    let result = async {
        let status = store.migration_status().await?;
        let tables = if status.pending.is_empty() {
            store.table_sums().await?
        } else {
            Vec::new()
        };
        Ok(Status {
            shown: store.shown().to_owned(),
            engine: store.engine().name(),
            applied: status.applied.len(),
            pending: status.pending,
            tables,
            moved_to: store.moved_to().await?,
        })
    }
    .await;
    store.close().await;
    result
}

/// What a migration did.
#[derive(Debug)]
pub struct Migrated {
    /// The database as it may be shown.
    pub shown: String,
    /// The versions applied now (none when it was up to date).
    pub applied: Vec<i64>,
}

/// Applies the migrations the workspace's database lacks.
pub async fn migrate(workspace: &Workspace) -> Result<Migrated> {
    let store = open_unmigrated(workspace).await?;
    let applied = store.migrate().await;
    let shown = store.shown().to_owned();
    store.close().await;
    Ok(Migrated {
        shown,
        applied: applied?,
    })
}

/// How a copy goes.
#[derive(Debug)]
pub enum CopyEvent<'a> {
    /// Both databases are open: the copy starts.
    Started { from: &'a str, to: &'a str },
    /// `rows` rows of `table` copied so far.
    Rows { table: &'a str, rows: i64 },
}

/// A copy done and checked.
#[derive(Debug)]
pub struct Copied {
    /// The target as it may be shown.
    pub to: String,
    /// Rows and checksum of every table, the same in both.
    pub tables: Vec<TableSum>,
}

/// Copies every table of the workspace's database into the empty database at `to` in one
/// transaction, checked by row counts and checksums before it is committed.
pub async fn copy(
    workspace: &Workspace,
    to: &str,
    progress: &mut (dyn FnMut(CopyEvent<'_>) + Send),
) -> Result<Copied> {
    let to = to.trim();
    let (from, _) = url(workspace)?;
    if from == to {
        anyhow::bail!("--to names the database the workspace already uses");
    }
    let source = open(workspace).await?;
    let target = match Store::connect(to, &workspace.root).await {
        Ok(target) => target,
        Err(e) => {
            source.close().await;
            return Err(e).context("--to");
        }
    };
    progress(CopyEvent::Started {
        from: source.shown(),
        to: target.shown(),
    });
    // Sealed first: from now on a write to the old database (a `weekly server` still running
    // on it) fails instead of being lost; a failed copy takes the seal off again.
    if let Err(e) = source.seal(&shown_url(to)).await {
        source.close().await;
        target.close().await;
        return Err(e).context("cannot mark the database as moving; nothing was copied");
    }
    let copied = source
        .copy_into(&target, &mut |table, rows| {
            progress(CopyEvent::Rows { table, rows });
        })
        .await;
    if copied.is_err() {
        let _ = source.unseal().await;
    }
    source.close().await;
    target.close().await;
    let tables = copied.with_context(|| {
        format!(
            "nothing was written to {} (the copy is one transaction)",
            shown_url(to)
        )
    })?;
    Ok(Copied {
        to: shown_url(to),
        tables,
    })
}

/// RFC 3339 UTC with seconds, the one form of a time in the database
/// (`weekly_store::time`).
pub fn stamp(time: chrono::DateTime<chrono::Utc>) -> String {
    weekly_store::time::of(time)
}
