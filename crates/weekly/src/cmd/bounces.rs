//! `weekly bounces import MAILBOX`: delivery-status notifications read from a Maildir or an
//! mbox file; a permanent failure of a message we sent counts one bounce, and `[smtp]
//! bounce_after` of them mark the subscriber bounced.

use crate::printer;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::tokens::Secret;

/// `weekly bounces …`
#[derive(Debug, clap::Subcommand)]
#[command(
    after_help = "Bounces the SMTP server refused at once are recorded by `weekly \
send` itself; those that come back later as mail (\"Undelivered Mail Returned to Sender\") \
land in the sender's mailbox. Point this at that mailbox (a Maildir folder or an mbox file). \
A report counts only when it is a delivery-status notification (multipart/report; \
report-type=delivery-status) that returns the headers of a message `weekly send` sent: their \
Message-ID is signed with the workspace's secret, so a report made up by anyone else counts \
nothing. Each permanent failure (Action: failed, status 5.x.x) of the address the message went \
to counts one bounce, and `[smtp] bounce_after` of them mark the subscriber bounced, as \
refusals during `weekly send` do. Reading the same mailbox twice changes nothing more. \
Messages over 10 MB are skipped.\n\n\
Example:\n  weekly bounces import ~/Maildir/.Bounces"
)]
pub enum Command {
    /// Read a Maildir or an mbox file and count the hard bounces of messages we sent.
    Import {
        /// The Maildir folder (with `new/` and `cur/`) or the mbox file.
        mailbox: PathBuf,
    },
}

pub fn run(command: &Command, root: &Path) -> Result<ExitCode> {
    let Command::Import { mailbox } = command;
    super::with_store(root, async |workspace, store| {
        let now = crate::collector::stamp(chrono::Utc::now());
        let secret = Secret::of(workspace)?;
        let bounce_after = workspace.config.smtp.bounce_after.max(1);
        let s = weekly_app::bounces::import(store, mailbox, &secret, bounce_after, &now).await?;
        printer::out(&format!(
            "{} read ({} over 10 MB skipped): {} delivery report(s), {} not about a message we \
             sent (ignored); {} permanent failure(s) of our messages: {} bounce(s) counted now \
             ({} subscriber(s) marked bounced after {bounce_after}), {} counted before, {} for \
             another address (ignored); {} temporary failure(s) or delay(s) left alone",
            printer::count(s.messages, "message", "messages"),
            s.too_large,
            s.reports,
            s.not_ours,
            s.hard,
            s.counted,
            s.marked,
            s.repeated,
            s.other_address,
            s.soft
        ));
        Ok(ExitCode::SUCCESS)
    })
}
