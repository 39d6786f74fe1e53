//! `weekly send` (an issue by e-mail to every subscriber: one campaign per language and tier,
//! resumable, shareable between processes) and `weekly campaigns` (where they stand).

use crate::printer;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::archive::Archive;
use weekly_app::campaign::campaign_languages;
use weekly_app::sending::{self, SendRequest};

/// `weekly send`
#[derive(Debug, clap::Args)]
#[command(after_help = "\
`weekly send 42` creates one campaign per language of the issue and per tier (free \
subscribers get what the public gets, paying ones the full text), each over the confirmed \
subscribers of that moment, then sends them through `[smtp]`: `concurrency` connections, at \
most `rate` messages a second. A temporary refusal (4xx) is tried again later; a permanent one \
(5xx) is recorded, and `bounce_after` of them mark the subscriber bounced.\n\n\
Nothing is sent twice and nothing is skipped: run the same command again after a crash, an \
interrupt or a server outage (or `weekly send --resume`), and it continues where it stopped. \
Only messages that were on the wire at the crash may arrive twice; they are counted and \
reported. On PostgreSQL, `weekly send --worker` may run in several processes or hosts at once.\n\n\
Examples:\n  weekly send 42 --dry-run            # every message as .eml under outbox/\n  \
weekly send 42\n  weekly send 42 --lang en\n  weekly send --resume\n  weekly campaigns")]
pub struct Args {
    /// The issue to send.
    #[arg(required_unless_present_any = ["resume", "worker"])]
    pub issue: Option<u32>,
    /// Only this language's campaigns.
    #[arg(long)]
    pub lang: Option<String>,
    /// Write every message as an `.eml` file instead of sending; stores nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Where `--dry-run` writes (default: `outbox/` in the workspace).
    #[arg(long, requires = "dry_run")]
    pub outbox: Option<PathBuf>,
    /// Continue every unfinished campaign.
    #[arg(long, conflicts_with_all = ["issue", "dry_run"])]
    pub resume: bool,
    /// Help send every unfinished campaign, beside other `--worker` processes.
    #[arg(long, conflicts_with_all = ["issue", "dry_run", "resume"])]
    pub worker: bool,
}

/// `weekly campaigns`
#[derive(Debug, clap::Args)]
pub struct CampaignsArgs {
    /// `text` or `json`.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    if args.dry_run {
        return dry_run(args, root);
    }
    super::with_store(root, async |workspace, store| {
        let request = SendRequest {
            issue: args.issue,
            lang: args.lang.clone(),
        };
        let progress = crate::progress::SendBar::new();
        let sent = sending::send(workspace, store, &request, &progress).await;
        progress.finish();
        Ok(if sent?.failed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    })
}

/// `--dry-run`: every message of every campaign the issue would have, as `.eml` files; the
/// database is only read.
fn dry_run(args: &Args, root: &Path) -> Result<ExitCode> {
    let Some(number) = args.issue else {
        bail!("--dry-run needs the issue to send");
    };
    super::with_store(root, async |workspace, store| {
        let archive = Archive::load(workspace)?;
        let only = sending::language(workspace, args.lang.as_deref())?;
        let langs = campaign_languages(workspace, &archive, number, only.as_ref())?;
        let dir = args
            .outbox
            .clone()
            .unwrap_or_else(|| workspace.root.join("outbox"));
        let written =
            sending::write_outbox(workspace, &archive, store, number, &langs, &dir).await?;
        printer::out(&format!(
            "{} written under {} (nothing sent)",
            printer::count(written, "message", "messages"),
            dir.display()
        ));
        Ok(ExitCode::SUCCESS)
    })
}

pub fn campaigns(args: &CampaignsArgs, root: &Path) -> Result<ExitCode> {
    super::with_store(root, async |_workspace, store| {
        let campaigns = store.campaigns(false).await?;
        let mut rows = Vec::new();
        for campaign in &campaigns {
            rows.push((campaign, store.campaign_counts(campaign.id).await?));
        }
        if args.format == "json" {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|(c, n)| {
                    serde_json::json!({
                        "id": c.id, "issue": c.issue, "lang": c.lang, "tier": c.tier.as_str(),
                        "subject": c.subject, "created_at": c.created_at,
                        "finished_at": c.finished_at,
                        "total": n.total, "sent": n.sent, "pending": n.pending,
                        "retrying": n.retrying, "sending": n.sending, "failed": n.failed,
                        "skipped": n.skipped, "resent": n.resent,
                    })
                })
                .collect();
            printer::out(&serde_json::to_string_pretty(&list)?);
            return Ok(ExitCode::SUCCESS);
        }
        if rows.is_empty() {
            printer::out("no campaigns yet: `weekly send ISSUE` creates them");
        }
        for (c, n) in rows {
            printer::out(&format!(
                "#{:<4} {:<5} {:<4} {:>7}/{:<7} sent · {} pending ({} retrying) · {} sending · \
                 {} failed · {} skipped · {} resent · {}",
                c.issue,
                c.lang,
                c.tier,
                n.sent,
                n.total,
                n.pending,
                n.retrying,
                n.sending,
                n.failed,
                n.skipped,
                n.resent,
                c.finished_at
                    .as_deref()
                    .map_or_else(|| "unfinished".to_owned(), |t| format!("finished {t}")),
            ));
        }
        Ok(ExitCode::SUCCESS)
    })
}
