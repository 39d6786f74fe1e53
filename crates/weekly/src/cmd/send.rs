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
weekly send 42 --test me@example.org # the real mails, each language and tier, to you only\n  \
weekly send 42 --at \"2026-12-12 08:00\"   # local time; a running `weekly server` sends it\n  \
weekly send 42\n  weekly send 42 --lang en\n  weekly send --resume\n  weekly campaigns\n  \
weekly campaigns --cancel 3         # a scheduled send that has not started")]
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
    /// Send every mail of the issue (each language, both tiers, subjects marked `[test]`) to
    /// this address only, through `[smtp]`; no campaign is recorded.
    #[arg(long, value_name = "EMAIL", conflicts_with_all = ["dry_run", "resume", "worker", "at"])]
    pub test: Option<String>,
    /// Send at this time instead of now: `2026-12-12 08:00` (local time) or RFC 3339 with an
    /// offset. The send is stored; any running `weekly server` carries it out within seconds
    /// of the time, once, across restarts. `weekly campaigns` lists it.
    #[arg(long, value_name = "TIME", conflicts_with_all = ["dry_run", "resume", "worker"])]
    pub at: Option<String>,
}

/// `weekly campaigns`
#[derive(Debug, clap::Args)]
pub struct CampaignsArgs {
    /// `text` or `json`.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
    /// Cancel the scheduled send with this number (while it waits).
    #[arg(long, value_name = "ID")]
    pub cancel: Option<i64>,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    if args.dry_run {
        return dry_run(args, root);
    }
    if let (Some(to), Some(number)) = (&args.test, args.issue) {
        let workspace = weekly_app::workspace::Workspace::load(root)?;
        let sent = crate::runtime()?.block_on(sending::send_test(
            &workspace,
            number,
            args.lang.as_deref(),
            to,
        ))?;
        for mail in &sent {
            printer::out(&format!(
                "sent to {to}: {} {} — {}",
                mail.lang,
                mail.tier.as_str(),
                mail.subject
            ));
        }
        printer::status("nothing was recorded: `weekly send` still sends the issue to everyone");
        return Ok(ExitCode::SUCCESS);
    }
    if let (Some(at), Some(number)) = (&args.at, args.issue) {
        let when = weekly_app::scheduling::parse_local(at)?;
        return super::with_store(root, async |workspace, store| {
            let now = chrono::Utc::now();
            let id = weekly_app::scheduling::schedule(
                workspace,
                store,
                weekly_app::scheduling::Job::Send,
                number,
                args.lang.as_deref(),
                when,
                now,
            )
            .await?;
            let local = when.with_timezone(&chrono::Local);
            printer::out(&format!(
                "scheduled send #{id}: issue {number} at {} ({}); a running `weekly server` sends it \
                 (`weekly campaigns --cancel {id}` cancels it)",
                local.format("%Y-%m-%d %H:%M:%S %:z"),
                weekly_store::time::of(when)
            ));
            Ok(ExitCode::SUCCESS)
        });
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
        if let Some(id) = args.cancel {
            if store.cancel_send(id, &weekly_store::time::now()).await? {
                printer::out(&format!("scheduled send #{id} cancelled"));
                return Ok(ExitCode::SUCCESS);
            }
            bail!(
                "there is no waiting scheduled send #{id} (`weekly campaigns` lists them); nothing was changed"
            );
        }
        let scheduled = store.scheduled_sends().await?;
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
        for s in &scheduled {
            let lang = if s.lang.is_empty() { "all" } else { &s.lang };
            let what = &s.what;
            let end = match (&s.done_at, s.note.is_empty()) {
                (Some(at), false) => format!(" at {at}: {}", s.note),
                (Some(at), true) => format!(" at {at}"),
                (None, _) => String::new(),
            };
            printer::out(&format!(
                "scheduled #{}: {what} issue {} ({lang}) at {} — {}{end}",
                s.id, s.issue, s.due_at, s.state
            ));
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
