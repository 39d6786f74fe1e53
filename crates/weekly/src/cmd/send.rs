//! `weekly send` (an issue by e-mail to every subscriber: one campaign per language and tier,
//! resumable, shareable between processes) and `weekly campaigns` (where they stand).

use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use weekly_app::archive::Archive;
use weekly_app::campaign::{Personaliser, audience, campaign_languages, create_campaigns};
use weekly_app::environment;
use weekly_app::sender::{
    OutboxTransport, Progress, SendOptions, SendReport, Transport, send_campaign, worker_id,
};
use weekly_store::{Campaign, Store};

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

/// A progress bar on standard error (hidden when it is not a terminal; the notes are then
/// plain lines).
struct Bar(ProgressBar);

impl Progress for Bar {
    fn campaign(&self, campaign: &Campaign, done: u64, total: u64) {
        self.0.set_length(total);
        self.0.set_position(done);
        self.0.reset_eta();
        self.0.set_message(format!(
            "#{} {} {}",
            campaign.issue, campaign.lang, campaign.tier
        ));
    }

    fn done(&self, n: u64) {
        self.0.inc(n);
    }

    fn note(&self, line: &str) {
        if self.0.is_hidden() {
            printer::status(line);
        } else {
            self.0.println(printer::one_line(line));
        }
    }
}

fn bar() -> Bar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} · {per_sec} · ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Bar(bar)
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    if args.dry_run {
        return dry_run(args, root);
    }
    super::with_store(root, async |workspace, store| {
        let options = SendOptions::of(&workspace.config.smtp);
        let url = workspace.env.get(environment::SMTP_URL);
        let password = workspace.env.get(environment::SMTP_PASSWORD);
        let Some((pool, from)) =
            weekly_app::smtp_pool::campaign_pool(&workspace.config.smtp, url, password)?
        else {
            bail!(
                "no mail server: set `[smtp] host` in weekly.toml (or WEEKLY_SMTP_URL), or \
                 try `weekly send {} --dry-run`",
                args.issue
                    .map_or_else(|| "ISSUE".to_owned(), |n| n.to_string())
            );
        };
        let personaliser = Personaliser::new(workspace, from)?;
        let campaigns = if let Some(number) = args.issue {
            {
                let archive = Archive::load(workspace)?;
                let only = lang_arg(workspace, args.lang.as_deref())?;
                let langs = campaign_languages(workspace, &archive, number, only.as_ref())?;
                let mut out = Vec::new();
                for (campaign, new) in
                    create_campaigns(workspace, &archive, store, number, &langs).await?
                {
                    let counts = store.campaign_counts(campaign.id).await?;
                    printer::status(&format!(
                        "campaign #{} {} {}: {} ({})",
                        campaign.issue,
                        campaign.lang,
                        campaign.tier,
                        printer::count(
                            usize::try_from(counts.total).unwrap_or(0),
                            "recipient",
                            "recipients"
                        ),
                        if new { "new" } else { "resumed" }
                    ));
                    if campaign.finished_at.is_none() {
                        out.push(campaign);
                    }
                }
                out
            }
        } else {
            let mut all = store.campaigns(true).await?;
            if let Some(lang) = &args.lang {
                all.retain(|c| &c.lang == lang);
            }
            all.reverse();
            all
        };
        let pool = Arc::new(pool);
        let sent = send_all(
            store,
            &campaigns,
            &personaliser,
            Arc::clone(&pool),
            &options,
        )
        .await;
        pool.close().await;
        let sent = sent?;
        Ok(if sent.failed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    })
}

/// Sends `campaigns` one after the other and prints what each did.
async fn send_all<T: Transport>(
    store: &Store,
    campaigns: &[Campaign],
    personaliser: &Personaliser,
    transport: Arc<T>,
    options: &SendOptions,
) -> Result<SendReport> {
    if campaigns.is_empty() {
        printer::out("nothing to send: every campaign is finished");
        return Ok(SendReport::default());
    }
    let worker = worker_id();
    let progress = bar();
    let mut total = SendReport::default();
    for campaign in campaigns {
        let report = send_campaign(
            store,
            campaign,
            personaliser,
            Arc::clone(&transport),
            options,
            &worker,
            &progress,
        )
        .await?;
        let counts = store.campaign_counts(campaign.id).await?;
        progress.0.suspend(|| {
            printer::out(&format!(
                "#{} {} {}: {} sent now ({} of {} in all), {} deferred, {} failed{}{}",
                campaign.issue,
                campaign.lang,
                campaign.tier,
                report.sent,
                counts.sent,
                counts.total,
                report.deferred,
                counts.failed,
                if report.bounced > 0 {
                    format!(", {} marked bounced", report.bounced)
                } else {
                    String::new()
                },
                if counts.resent > 0 {
                    format!(
                        ", {} sent again after a stopped run (may have arrived twice)",
                        counts.resent
                    )
                } else {
                    String::new()
                },
            ));
        });
        total.sent += report.sent;
        total.deferred += report.deferred;
        total.failed += report.failed;
        total.bounced += report.bounced;
    }
    progress.0.finish_and_clear();
    Ok(total)
}

fn lang_arg(workspace: &Workspace, lang: Option<&str>) -> Result<Option<weekly_model::Lang>> {
    lang.map(|l| weekly_app::editions::resolve_lang(workspace, Some(l)))
        .transpose()
}

/// `--dry-run`: every message of every campaign the issue would have, as `.eml` files; the
/// database is only read.
fn dry_run(args: &Args, root: &Path) -> Result<ExitCode> {
    let Some(number) = args.issue else {
        bail!("--dry-run needs the issue to send");
    };
    super::with_store(root, async |workspace, store| {
        let archive = Archive::load(workspace)?;
        let only = lang_arg(workspace, args.lang.as_deref())?;
        let langs = campaign_languages(workspace, &archive, number, only.as_ref())?;
        let dir = args
            .outbox
            .clone()
            .unwrap_or_else(|| workspace.root.join("outbox"));
        let written = write_outbox(workspace, &archive, store, number, &langs, &dir).await?;
        printer::out(&format!(
            "{} written under {} (nothing sent)",
            printer::count(written, "message", "messages"),
            dir.display()
        ));
        Ok(ExitCode::SUCCESS)
    })
}

/// Writes the messages of issue `number` in `langs` to everyone who would get them now, as
/// `.eml` files under `dir`; returns how many.
pub async fn write_outbox(
    workspace: &Workspace,
    archive: &Archive,
    store: &Store,
    number: u32,
    langs: &[weekly_model::Lang],
    dir: &Path,
) -> Result<usize> {
    let from = weekly_app::mail::file_sender(&workspace.config.smtp)?;
    let personaliser = Personaliser::new(workspace, from)?;
    let transport = OutboxTransport {
        dir: dir.to_owned(),
    };
    let now = chrono::Utc::now();
    let mut written = 0;
    // Every edition is rendered before a file is written.
    for new in weekly_app::campaign::render_campaigns(workspace, archive, number, langs)? {
        let campaign = Campaign {
            id: 0,
            issue: new.issue,
            lang: new.lang.clone(),
            tier: new.tier.clone(),
            subject: new.subject.clone(),
            body_text: new.body_text.clone(),
            body_html: new.body_html.clone(),
            created_at: String::new(),
            finished_at: None,
        };
        let audience = audience(workspace, &new.lang, now);
        let mut after = 0;
        loop {
            let page = store
                .audience_page(&new.lang, &new.tier, &audience, after, 500)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for recipient in &page {
                let message = personaliser.message(&campaign, recipient)?;
                let name = weekly_app::sender::message_name(&campaign, recipient);
                transport
                    .deliver(&recipient.email, &name, message)
                    .await
                    .map_err(|e| match e {
                        weekly_app::sender::Refusal::Temporary(e)
                        | weekly_app::sender::Refusal::Permanent(e) => anyhow::anyhow!(e),
                    })?;
                written += 1;
            }
        }
    }
    Ok(written)
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
                        "id": c.id, "issue": c.issue, "lang": c.lang, "tier": c.tier,
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
