//! `weekly bounces import MAILBOX`: delivery-status notifications read from a Maildir or an
//! mbox file; a permanent failure marks the subscriber bounced.

use crate::printer;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `weekly bounces …`
#[derive(Debug, clap::Subcommand)]
#[command(
    after_help = "Bounces the SMTP server refused at once are recorded by `weekly \
send` itself; those that come back later as mail (\"Undelivered Mail Returned to Sender\") \
land in the sender's mailbox. Point this at that mailbox (a Maildir folder or an mbox file): \
each permanent failure (Action: failed, status 5.x.x) marks its subscriber bounced, so no \
campaign writes to them again. Reading the same mailbox twice changes nothing more.\n\n\
Example:\n  weekly bounces import ~/Maildir/.Bounces"
)]
pub enum Command {
    /// Read a Maildir or an mbox file and mark the hard bounces.
    Import {
        /// The Maildir folder (with `new/` and `cur/`) or the mbox file.
        mailbox: PathBuf,
    },
}

pub fn run(command: &Command, root: &Path) -> Result<ExitCode> {
    let Command::Import { mailbox } = command;
    super::with_store(root, async |_workspace, store| {
        let now = crate::collector::stamp(chrono::Utc::now());
        let s = weekly_app::bounces::import(store, mailbox, &now).await?;
        printer::out(&format!(
            "{} read: {} with delivery reports, {} hard bounce(s) ({} subscriber(s) marked \
             bounced now, {} not subscribers), {} temporary failure(s) or delay(s) left alone",
            printer::count(s.messages, "message", "messages"),
            s.reports,
            s.hard,
            s.marked,
            s.unknown,
            s.soft
        ));
        Ok(ExitCode::SUCCESS)
    })
}
