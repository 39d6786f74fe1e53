//! `weekly db`: the workspace database — where it is and how far it is migrated, migrating it,
//! and copying its data into another database (SQLite into PostgreSQL).

use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;
use weekly_app::database::{self, CopyEvent};

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
    let status = database::status(workspace).await?;
    printer::out(&format!("database: {} ({})", status.shown, status.engine));
    if let Some(to) = &status.moved_to {
        printer::out(&format!(
            "moved to {to} by `weekly db copy`: it takes no more writes; point the workspace at {to} (WEEKLY_DATABASE_URL or [database] url)"
        ));
    }
    printer::out(&format!(
        "migrations: {} applied, {} pending",
        status.applied,
        status.pending.len()
    ));
    for (version, description) in &status.pending {
        printer::out(&format!("  pending {version}: {description}"));
    }
    if !status.pending.is_empty() {
        printer::out("run `weekly db migrate` (or any command that uses the database)");
    }
    for sum in &status.tables {
        printer::out(&format!("  {:<20} {:>9} rows", sum.table, sum.rows));
    }
    Ok(ExitCode::SUCCESS)
}

async fn migrate(workspace: &Workspace) -> Result<ExitCode> {
    let migrated = database::migrate(workspace).await?;
    let shown = &migrated.shown;
    if migrated.applied.is_empty() {
        printer::out(&format!("{shown}: up to date"));
    } else {
        let list: Vec<String> = migrated.applied.iter().map(i64::to_string).collect();
        printer::out(&format!(
            "{shown}: applied {} ({})",
            printer::count(migrated.applied.len(), "migration", "migrations"),
            list.join(", ")
        ));
    }
    Ok(ExitCode::SUCCESS)
}

async fn copy(workspace: &Workspace, to: &str) -> Result<ExitCode> {
    if let Ok(parsed) = url::Url::parse(to.trim())
        && let Some(password) = parsed.password()
    {
        printer::keep_secret(password);
    }
    let mut last = std::time::Instant::now();
    let copied = database::copy(workspace, to, &mut |event| match event {
        CopyEvent::Started { from, to } => {
            printer::status(&format!("copying {from} into {to}"));
            last = std::time::Instant::now();
        }
        CopyEvent::Rows { table, rows } => {
            if last.elapsed().as_secs() >= 1 {
                printer::status(&format!("  {table}: {rows} rows…"));
                last = std::time::Instant::now();
            }
        }
    })
    .await?;
    let total: i64 = copied.tables.iter().map(|s| s.rows).sum();
    for sum in &copied.tables {
        printer::out(&format!(
            "  {:<20} {:>9} rows  checksum {}…  same in both",
            sum.table,
            sum.rows,
            &sum.checksum[..16]
        ));
    }
    printer::out(&format!(
        "copied {total} rows into {}; to use it, set WEEKLY_DATABASE_URL (or `[database] url`) to it",
        copied.to
    ));
    Ok(ExitCode::SUCCESS)
}
