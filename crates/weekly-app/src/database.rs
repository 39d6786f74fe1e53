//! Which database a workspace uses: `WEEKLY_DATABASE_URL` when set, else `[database] url` of
//! `weekly.toml` (default `sqlite:weekly.db`, a file of the workspace).

use crate::workspace::Workspace;
use anyhow::{Context as _, Result};
use weekly_store::{Engine, Store};

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
