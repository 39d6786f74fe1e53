//! `weekly subscribers`: the newsletter's readers in the workspace database — add, list,
//! remove, counts, CSV import (Substack, Buttondown, listmonk, plain) and export.

use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::subscriber_lists::{self, AddSubscriber, Added, ImportEvent};
use weekly_app::subscribers::export_csv;
use weekly_store::Store;

/// `weekly subscribers …`
#[derive(Debug, clap::Subcommand)]
#[command(
    after_help = "Statuses: pending (waiting for the confirmation link), confirmed, \
unsubscribed, bounced, complained. An address is one subscriber whatever its case. An import \
never brings back an address that unsubscribed, bounced or complained, and importing the same \
file again changes nothing.\n\nExamples:\n  weekly subscribers add li@example.org --lang zh,en\n  \
weekly subscribers import substack-export.csv\n  weekly subscribers list --format json\n  \
weekly subscribers export > backup.csv"
)]
pub enum Command {
    /// Add one subscriber (confirmed, with consent recorded as given on the command line).
    Add {
        /// The address.
        email: String,
        /// Name.
        #[arg(long, default_value = "")]
        name: String,
        /// Languages, comma-separated (default: the primary language).
        #[arg(long, value_delimiter = ',')]
        lang: Vec<String>,
        /// `free` or `paid`.
        #[arg(long, default_value = "free")]
        tier: String,
        /// Last day of a paid subscription (`YYYY-MM-DD`); needed with `--tier paid`.
        #[arg(long)]
        paid_until: Option<String>,
    },
    /// List subscribers.
    List {
        /// `text` (a table) or `json` (one object per subscriber).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Only this status.
        #[arg(long, value_parser = ["pending", "confirmed", "unsubscribed", "bounced", "complained"])]
        status: Option<String>,
    },
    /// Unsubscribe an address (kept, so that no import brings it back), or `--forget` it.
    Remove {
        /// The address.
        email: String,
        /// Delete the subscriber and its consent record instead (an import may then add the
        /// address again).
        #[arg(long)]
        forget: bool,
    },
    /// Counts per status and tier.
    Stats,
    /// Import a CSV file: Substack, Buttondown or listmonk export, or a plain list with an
    /// `email` column (and optionally `name`, `lang`, `tier`, `paid_until`).
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Read and report, change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write every subscriber as CSV, with a header row, to standard output.
    Export,
}

pub fn run(command: &Command, root: &Path) -> Result<ExitCode> {
    super::with_store(root, async |workspace, store| {
        run_with(command, workspace, store).await
    })
}

async fn run_with(command: &Command, workspace: &Workspace, store: &Store) -> Result<ExitCode> {
    match command {
        Command::Add {
            email,
            name,
            lang,
            tier,
            paid_until,
        } => {
            let given = AddSubscriber {
                email,
                name,
                langs: lang,
                tier,
                paid_until: paid_until.as_deref(),
            };
            let (shown, added) = subscriber_lists::add(workspace, store, &given).await?;
            printer::status(&match added {
                Added::Added => format!("added {shown}"),
                Added::KeptOut => format!("{shown} unsubscribed before; it is not added again"),
                Added::Updated => format!("updated {shown}"),
                Added::Already => format!("{shown} is already subscribed"),
            });
        }
        Command::List { format, status } => {
            // clap let only the stored words through.
            let status = status
                .as_deref()
                .and_then(weekly_store::SubscriberStatus::parse);
            let list = store.subscribers(status).await?;
            if format == "json" {
                let rows: Vec<serde_json::Value> =
                    list.iter().map(subscriber_lists::json).collect();
                printer::out(&serde_json::to_string_pretty(&rows)?);
            } else {
                for s in &list {
                    printer::out(&format!(
                        "{:<40} {:<12} {:<5} {:<8} {}",
                        s.email,
                        s.status,
                        s.tier,
                        s.languages,
                        printer::one_line(&s.name)
                    ));
                }
                printer::status(&printer::count(list.len(), "subscriber", "subscribers"));
            }
        }
        Command::Remove { email, forget } => {
            let key = subscriber_lists::remove(store, email, *forget).await?;
            printer::status(&if *forget {
                format!("forgot {key} and its consent record")
            } else {
                format!("unsubscribed {key}")
            });
        }
        Command::Stats => {
            let stats = store.subscriber_stats().await?;
            let mut total = 0;
            for (status, tier, n) in &stats.rows {
                printer::out(&format!("{status:<13} {tier:<5} {n:>8}"));
                total += n;
            }
            printer::out(&format!("{:<19} {total:>8}", "all"));
        }
        Command::Import { file, dry_run } => {
            return import(workspace, store, file, *dry_run).await;
        }
        Command::Export => {
            let list = store.subscribers(None).await?;
            printer::raw(&export_csv(&list)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `weekly subscribers import FILE`: exit 1 when rows were skipped.
async fn import(
    workspace: &Workspace,
    store: &Store,
    file: &Path,
    dry_run: bool,
) -> Result<ExitCode> {
    let shown = file.display().to_string();
    let import =
        subscriber_lists::import(workspace, store, file, dry_run, &mut |event| match event {
            ImportEvent::Reading(format) => {
                printer::status(&format!("{shown}: read as a {} (UTF-8)", format.name()));
            }
            ImportEvent::Skipped(e) => {
                printer::out(&format!("{shown}:{}: skipped: {}", e.line, e.reason));
            }
        })
        .await?;
    let skipped = import.skipped;
    match import.done {
        None => printer::status(&format!(
            "{} to import, {skipped} skipped; nothing was changed (--dry-run)",
            printer::count(import.good, "row", "rows"),
        )),
        Some(done) => printer::status(&format!(
            "{} added, {} updated, {} unchanged, {} that left kept out, {skipped} skipped",
            done.added, done.updated, done.unchanged, done.kept_out,
        )),
    }
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
