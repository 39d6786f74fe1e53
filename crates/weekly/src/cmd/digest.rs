//! `weekly digest`: the weekly post gathering the newest numbered issue of each newsletter
//! source (`kind = "newsletter"` in sources.toml) published in the last `[digest] days`.

use crate::channel::{self, Target, post};
use crate::collector::open_store;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use chrono::{DateTime, Utc};
use std::path::Path;
use std::process::ExitCode;
use weekly_app::digest::{Composed, Digest};
use weekly_store::Store;

/// Arguments of `weekly digest`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The window is the last [digest] days (7) before now, compared in UTC; the dates \
shown use [digest] utc_offset. A newsletter's newest item whose title carries an issue number \
(`#12`, `第 12 期`, `Issue 12`) is taken, else its newest item. Nothing is posted when no \
newsletter published. The digest is recorded per ISO week: a second run in the same week \
posts nothing.\n\nExamples:\n  weekly digest --dry-run\n  weekly digest"
)]
pub struct Args {
    /// Show the digest instead of posting it.
    #[arg(long)]
    pub dry_run: bool,
    /// Use what earlier `weekly collect` runs stored, without fetching the newsletters now.
    #[arg(long)]
    pub no_fetch: bool,
    /// Post a message that an interrupted run may have posted already.
    #[arg(long)]
    pub resend_unsure: bool,
    /// The time the window ends (RFC 3339), instead of now.
    #[arg(long, value_parser = parse_time)]
    pub now: Option<DateTime<Utc>>,
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("`{text}` is not an RFC 3339 time such as 2026-11-22T10:00:00Z: {e}"))
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let digest = Digest::plan(&workspace)?;
    let target = channel::target(&workspace);
    crate::runtime()?.block_on(async {
        let store = open_store(&workspace).await?;
        let done = post_digest(args, &workspace, &digest, &target, &store).await;
        store.close().await;
        done
    })
}

async fn post_digest(
    args: &Args,
    workspace: &Workspace,
    digest: &Digest,
    target: &Target,
    store: &Store,
) -> Result<ExitCode> {
    if !args.no_fetch {
        let report = digest.fetch(workspace, store).await?;
        for s in report.sources.iter().filter(|s| s.status == "failed") {
            printer::status(&format!("failed {}: {}", s.source.name, s.note));
        }
        printer::status(&report.summary());
    }
    let ready = match digest
        .compose(store, args.now.unwrap_or_else(Utc::now))
        .await?
    {
        Composed::Quiet { from, to } => {
            printer::out(&format!(
                "nothing to post: no newsletter published between {from} and {to}"
            ));
            return Ok(ExitCode::SUCCESS);
        }
        Composed::Post(ready) => ready,
    };
    let done = post(
        target,
        store,
        &ready.key,
        &ready.messages,
        args.dry_run,
        args.resend_unsure,
    )
    .await?;
    printer::out(&format!(
        "digest of {} newsletters: {}",
        ready.newsletters,
        channel::summary(&done, target, args.dry_run)
    ));
    Ok(ExitCode::SUCCESS)
}
