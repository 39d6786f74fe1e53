//! `weekly channels status [ISSUE]`: what went where, with links.

use crate::printer;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

/// `weekly channels`
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// What each channel of `[channels.NAME]` made for an issue (or every issue): the post or
    /// draft and its address.
    Status {
        /// The issue (default: every issue).
        issue: Option<u32>,
    },
}

pub fn run(command: &Command, root: &Path) -> Result<ExitCode> {
    let Command::Status { issue } = command;
    super::with_store(root, async |workspace, store| {
        let rows = weekly_app::channels::status(store, *issue).await?;
        if rows.is_empty() {
            let configured = workspace.config.channels.len();
            printer::out(&format!(
                "nothing posted yet ({} configured; `weekly publish ISSUE` posts)",
                printer::count(configured, "channel", "channels")
            ));
        }
        for (number, name, kind, url, at) in rows {
            printer::out(&format!("#{number} {name} ({kind}) {at}: {url}"));
        }
        Ok(ExitCode::SUCCESS)
    })
}
