//! `weekly announce ISSUE`: post the issue's announcement to the Telegram channel, once.

use crate::archive::Archive;
use crate::channel::{self, post};
use crate::collector::open_store;
use crate::editions;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Result, anyhow};
use std::path::Path;
use std::process::ExitCode;
use weekly_telegram::Message;

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
    let lang = editions::resolve_lang(&workspace, args.lang.as_deref())?;
    let archive = Archive::load_only(&workspace, |n| n == args.issue)?;
    let issue = archive
        .issue(args.issue)
        .ok_or_else(|| anyhow!("there is no issue #{} in the workspace", args.issue))?;
    // What `weekly build` would stop on in this issue's folder stops the announcement too.
    let folder = workspace
        .issues
        .iter()
        .find(|d| d.number == args.issue)
        .map(|d| format!("{}/", workspace.display_path(&d.dir)))
        .unwrap_or_default();
    let blocking: Vec<_> = archive
        .blocking(&workspace)
        .into_iter()
        .filter(|d| !folder.is_empty() && d.file.starts_with(&folder))
        .collect();
    if !blocking.is_empty() {
        for d in &blocking {
            crate::printer::out(&crate::printer::diagnostic(d));
        }
        anyhow::bail!(
            "issue #{} has errors that change what readers see; nothing was posted",
            args.issue
        );
    }
    let announcement = editions::telegram(&workspace, issue, &lang)?;
    let mut messages = Vec::new();
    match channel::photo(&workspace)? {
        Some(photo) => messages.push(Message::Photo {
            photo,
            caption: announcement.caption,
        }),
        None => messages.push(Message::Text {
            html: announcement.caption,
            preview: false,
        }),
    }
    messages.extend(announcement.messages.into_iter().map(|html| Message::Text {
        html,
        preview: false,
    }));
    let target = channel::target(&workspace);
    let runtime = crate::runtime()?;
    let done = runtime.block_on(async {
        let store = open_store(&workspace).await?;
        let key = format!("announce:{}:{lang}", args.issue);
        let done = post(
            &target,
            &store,
            &key,
            &messages,
            args.dry_run,
            args.resend_unsure,
        )
        .await;
        store.close().await;
        done
    })?;
    printer::out(&format!(
        "issue #{} ({lang}): {}",
        args.issue,
        channel::summary(&done, &target, args.dry_run)
    ));
    Ok(ExitCode::SUCCESS)
}
