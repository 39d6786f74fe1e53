//! `weekly subscribers`: the newsletter's readers in the workspace database — add, list,
//! remove, counts, CSV import (Substack, Buttondown, listmonk, plain) and export.

use crate::collector::stamp;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use chrono::Utc;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::subscribers::{CsvRows, export_csv};
use weekly_model::email::Email;
use weekly_model::{IsoDate, Lang};
use weekly_store::{IMPORT_BATCH, NewSubscriber, Store, Subscriber};

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
        #[arg(long)]
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
    let now = stamp(Utc::now());
    match command {
        Command::Add {
            email,
            name,
            lang,
            tier,
            paid_until,
        } => {
            let row = new_subscriber(workspace, email, name, lang, tier, paid_until.as_deref())?;
            let shown = row.email.clone();
            let done = store.import_subscribers(&[row], &now).await?;
            printer::status(&if done.added == 1 {
                format!("added {shown}")
            } else if done.kept_out == 1 {
                format!("{shown} unsubscribed before; it is not added again")
            } else if done.updated == 1 {
                format!("updated {shown}")
            } else {
                format!("{shown} is already subscribed")
            });
        }
        Command::List { format, status } => {
            let list = store.subscribers(status.as_deref()).await?;
            if format == "json" {
                let rows: Vec<serde_json::Value> = list.iter().map(json).collect();
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
            let key = Email::parse(email)
                .map_err(|e| anyhow::anyhow!("`{}`: {e}", printer::one_line(email)))?
                .key();
            let done = if *forget {
                store.forget_subscriber(&key).await?
            } else {
                store
                    .set_subscriber_status(&key, "unsubscribed", &now)
                    .await?
            };
            if !done {
                bail!("no subscriber `{key}`");
            }
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
            return import(workspace, store, file, *dry_run, &now).await;
        }
        Command::Export => {
            let list = store.subscribers(None).await?;
            printer::raw(&export_csv(&list)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `weekly subscribers import FILE`: the file read row by row through a buffer and written in
/// batches of `IMPORT_BATCH`, in one transaction (a file with bytes that are not UTF-8 is
/// refused whole, at its line); a million rows never stand in memory at once.
async fn import(
    workspace: &Workspace,
    store: &Store,
    file: &Path,
    dry_run: bool,
    now: &str,
) -> Result<ExitCode> {
    let shown = file.display().to_string();
    let opened = std::fs::File::open(file).with_context(|| format!("cannot read `{shown}`"))?;
    let source = file
        .file_name()
        .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    let mut rows = CsvRows::new(
        std::io::BufReader::with_capacity(64 << 10, opened),
        &source,
        &workspace.config.languages,
        now,
    )?;
    printer::status(&format!(
        "{shown}: read as a {} (UTF-8)",
        rows.format().name()
    ));
    let mut import = if dry_run {
        None
    } else {
        Some(store.begin_import(now).await?)
    };
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    let (mut good, mut skipped) = (0_usize, 0_usize);
    loop {
        let row = rows.next_row()?;
        let at_end = row.is_none();
        match row {
            Some(Ok(row)) => {
                good += 1;
                batch.push(row);
            }
            Some(Err(e)) => {
                skipped += 1;
                printer::out(&format!("{shown}:{}: skipped: {}", e.line, e.reason));
            }
            None => {}
        }
        if batch.len() >= IMPORT_BATCH || at_end && !batch.is_empty() {
            if let Some(import) = &mut import {
                import.add(&batch).await?;
            }
            batch.clear();
        }
        if at_end {
            break;
        }
    }
    match import {
        None => printer::status(&format!(
            "{} to import, {skipped} skipped; nothing was changed (--dry-run)",
            printer::count(good, "row", "rows"),
        )),
        Some(import) => {
            let done = import.commit().await?;
            printer::status(&format!(
                "{} added, {} updated, {} unchanged, {} that left kept out, {skipped} skipped",
                done.added, done.updated, done.unchanged, done.kept_out,
            ));
        }
    }
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A subscriber given on the command line.
fn new_subscriber(
    workspace: &Workspace,
    email: &str,
    name: &str,
    langs: &[String],
    tier: &str,
    paid_until: Option<&str>,
) -> Result<NewSubscriber> {
    let email =
        Email::parse(email).map_err(|e| anyhow::anyhow!("`{}`: {e}", printer::one_line(email)))?;
    if name.chars().any(char::is_control) {
        bail!("the name has a line break or a control character");
    }
    let config = &workspace.config;
    let mut languages = Vec::new();
    for code in langs.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let lang = Lang::new(code)
            .filter(|l| config.languages.contains(l))
            .ok_or_else(|| anyhow::anyhow!("`--lang {code}` is not a language of weekly.toml"))?;
        languages.push(lang.to_string());
    }
    if !matches!(tier, "free" | "paid") {
        bail!("`--tier {tier}`: use `free` or `paid`");
    }
    let paid_until = match paid_until {
        Some(text) => Some(
            IsoDate::parse(text)
                .ok_or_else(|| {
                    anyhow::anyhow!("`--paid-until {text}` is not a date like 2027-01-31")
                })?
                .to_string(),
        ),
        None if tier == "paid" => bail!("`--tier paid` needs `--paid-until YYYY-MM-DD`"),
        None => None,
    };
    let now = stamp(Utc::now());
    Ok(NewSubscriber {
        email_key: email.key(),
        email: email.as_str().to_owned(),
        name: name.to_owned(),
        languages: languages.join(","),
        tier: tier.to_owned(),
        paid_until,
        status: "confirmed".into(),
        source: "cli".into(),
        consent_at: now,
        consent_ip: String::new(),
        consent_via: "cli".into(),
    })
}

fn json(s: &Subscriber) -> serde_json::Value {
    let languages: Vec<&str> = s.languages.split(',').filter(|l| !l.is_empty()).collect();
    serde_json::json!({
        "id": s.id,
        "email": s.email,
        "name": s.name,
        "status": s.status,
        "tier": s.tier,
        "paid_until": s.paid_until,
        "languages": languages,
        "source": s.source,
        "consent": {"at": s.consent_at, "ip": s.consent_ip, "via": s.consent_via},
        "created_at": s.created_at,
    })
}
