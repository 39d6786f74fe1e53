//! `weekly db`: the workspace database — where it is and how far it is migrated, migrating it,
//! and copying its data into another database (SQLite into PostgreSQL).

use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Context as _, Result, bail};
use std::path::Path;
use std::process::ExitCode;
use weekly_app::database;
use weekly_store::{Store, shown_url};

/// `weekly db …`
#[derive(Debug, clap::Subcommand)]
#[command(
    after_help = "The database is `[database] url` of weekly.toml (default \
`sqlite:weekly.db`, a file of the workspace), or WEEKLY_DATABASE_URL when it is set \
(postgres://user:password@host:5432/name). Every command migrates it on first use; `status` \
and `migrate` show and do that step alone.\n\nMoving to PostgreSQL:\n  createdb weekly\n  \
weekly db copy --to postgres://weekly@db.example.org/weekly\n  export \
WEEKLY_DATABASE_URL=postgres://weekly@db.example.org/weekly\n  weekly db status"
)]
pub enum Command {
    /// Where the database is, which migrations it has, and its rows per table.
    Status,
    /// Apply the migrations this version of weekly has and the database has not.
    Migrate,
    /// Copy every table into another, empty database, checked by row counts and checksums
    /// before it is committed (nothing is written to the target when a check fails).
    Copy {
        /// The target: postgres://user@host/name or sqlite:PATH (relative to the workspace).
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

pub fn run(command: &Command, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    crate::runtime()?.block_on(async {
        match command {
            Command::Status => status(&workspace).await,
            Command::Migrate => migrate(&workspace).await,
            Command::Copy { to } => copy(&workspace, to).await,
        }
    })
}

async fn status(workspace: &Workspace) -> Result<ExitCode> {
    let store = database::open_unmigrated(workspace).await?;
    let status = store.migration_status().await;
    let result = async {
        let status = status?;
        printer::out(&format!(
            "database: {} ({})",
            store.shown(),
            store.engine().name()
        ));
        printer::out(&format!(
            "migrations: {} applied, {} pending",
            status.applied.len(),
            status.pending.len()
        ));
        for (version, description) in &status.pending {
            printer::out(&format!("  pending {version}: {description}"));
        }
        if !status.pending.is_empty() {
            printer::out("run `weekly db migrate` (or any command that uses the database)");
            return Ok(ExitCode::SUCCESS);
        }
        for sum in store.table_sums().await? {
            printer::out(&format!("  {:<20} {:>9} rows", sum.table, sum.rows));
        }
        Ok(ExitCode::SUCCESS)
    }
    .await;
    store.close().await;
    result
}

async fn migrate(workspace: &Workspace) -> Result<ExitCode> {
    let store = database::open_unmigrated(workspace).await?;
    let applied = store.migrate().await;
    let shown = store.shown().to_owned();
    store.close().await;
    let applied = applied?;
    if applied.is_empty() {
        printer::out(&format!("{shown}: up to date"));
    } else {
        let list: Vec<String> = applied.iter().map(i64::to_string).collect();
        printer::out(&format!(
            "{shown}: applied {} ({})",
            printer::count(applied.len(), "migration", "migrations"),
            list.join(", ")
        ));
    }
    Ok(ExitCode::SUCCESS)
}

async fn copy(workspace: &Workspace, to: &str) -> Result<ExitCode> {
    let to = to.trim();
    if let Ok(parsed) = url::Url::parse(to)
        && let Some(password) = parsed.password()
    {
        printer::keep_secret(password);
    }
    let (from, _) = database::url(workspace)?;
    if from == to {
        bail!("--to names the database the workspace already uses");
    }
    let source = database::open(workspace).await?;
    let target = match Store::connect(to, &workspace.root).await {
        Ok(target) => target,
        Err(e) => {
            source.close().await;
            return Err(e).context("--to");
        }
    };
    printer::status(&format!(
        "copying {} into {}",
        source.shown(),
        target.shown()
    ));
    let mut last = std::time::Instant::now();
    let copied = source
        .copy_into(&target, &mut |table, rows| {
            if last.elapsed().as_secs() >= 1 {
                printer::status(&format!("  {table}: {rows} rows…"));
                last = std::time::Instant::now();
            }
        })
        .await;
    source.close().await;
    target.close().await;
    let sums = copied.with_context(|| {
        format!(
            "nothing was written to {} (the copy is one transaction)",
            shown_url(to)
        )
    })?;
    let total: i64 = sums.iter().map(|s| s.rows).sum();
    for sum in &sums {
        printer::out(&format!(
            "  {:<20} {:>9} rows  checksum {}…  same in both",
            sum.table,
            sum.rows,
            &sum.checksum[..16]
        ));
    }
    printer::out(&format!(
        "copied {total} rows into {}; to use it, set WEEKLY_DATABASE_URL (or `[database] url`) to it",
        shown_url(to)
    ));
    Ok(ExitCode::SUCCESS)
}
