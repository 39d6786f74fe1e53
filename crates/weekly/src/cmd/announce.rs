//! `weekly announce ISSUE`: post the issue's announcement to the Telegram channel, once.

use crate::channel::{self, post};
use crate::collector::open_store;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;
use weekly_app::announcing;

/// Arguments of `weekly announce`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The announcement is `weekly render N --edition telegram`: a photo ([telegram] photo) \
with a caption of at most 1,024 characters, and the title lists as messages when they do not fit. \
Each message is recorded in weekly.db once posted, so a second run posts nothing and a run that \
stopped half-way posts only the rest.\n\nExamples:\n  weekly announce 42 --dry-run\n  \
WEEKLY_TELEGRAM_BOT_TOKEN=… weekly announce 42"
)]
pub struct Args {
    /// The issue number.
    pub issue: u32,
    /// Language of the announcement (default: the primary language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Show the messages instead of posting them.
    #[arg(long)]
    pub dry_run: bool,
    /// Post a message that an interrupted run may have posted already.
    #[arg(long)]
    pub resend_unsure: bool,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let announcement = printer::shown_blocked(announcing::announcement(
        &workspace,
        args.issue,
        args.lang.as_deref(),
    ))?;
    let target = channel::target(&workspace);
    let runtime = crate::runtime()?;
    let done = runtime.block_on(async {
        let store = open_store(&workspace).await?;
        let done = post(
            &target,
            &store,
            &announcement.key,
            &announcement.messages,
            args.dry_run,
            args.resend_unsure,
        )
        .await;
        store.close().await;
        done
    })?;
    printer::out(&format!(
        "issue #{} ({}): {}",
        args.issue,
        announcement.lang,
        channel::summary(&done, &target, args.dry_run)
    ));
    Ok(ExitCode::SUCCESS)
}
