//! `weekly mail`: the outbox of the workspace database and the SMTP server of `[smtp]` —
//! send a test mail, send what waits, or write it as `.eml` files instead.

use crate::collector::stamp;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use chrono::Utc;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::environment;
use weekly_app::mail::{Flushed, Outgoing};
use weekly_model::email::Email;
use weekly_store::{OutboxMail, Store};

/// `weekly mail …`
#[derive(Debug, clap::Subcommand)]
#[command(
    after_help = "Every mail is stored in the outbox of weekly.db before it is sent and \
marked sent once the server took it: a mail that cannot go now (server down, wrong password) \
stays there with its error and is tried again by the next `weekly mail send` (after 1, 2, 4… \
minutes, at most 6 hours). The server is `[smtp]` of weekly.toml, or WEEKLY_SMTP_URL \
(smtp://user@host:587?tls=required); the password is WEEKLY_SMTP_PASSWORD.\n\nExamples:\n  \
weekly mail test --to me@example.org\n  weekly mail send\n  weekly mail send --to-dir out/"
)]
pub enum Command {
    /// Put a test mail in the outbox and send what is due.
    Test {
        /// The address to send it to.
        #[arg(long)]
        to: String,
    },
    /// Send what is due in the outbox.
    Send {
        /// Write the mails as `.eml` files into this folder instead of sending them (they are
        /// then marked sent).
        #[arg(long)]
        to_dir: Option<PathBuf>,
        /// Also send the mails waiting for a later attempt (after fixing the server settings).
        #[arg(long)]
        now: bool,
    },
    /// How many mails wait in the outbox.
    Status,
}

pub fn run(command: &Command, root: &Path) -> Result<ExitCode> {
    super::with_store(root, async |workspace, store| {
        run_with(command, workspace, store).await
    })
}

async fn run_with(command: &Command, workspace: &Workspace, store: &Store) -> Result<ExitCode> {
    match command {
        Command::Status => {
            let n = store.unsent_mail().await?;
            printer::out(&format!(
                "{} in the outbox",
                printer::count(usize::try_from(n).unwrap_or(0), "mail waits", "mails wait")
            ));
            return Ok(ExitCode::SUCCESS);
        }
        Command::Test { to } => {
            let to = Email::parse(to)
                .map_err(|e| anyhow::anyhow!("`{}`: {e}", printer::one_line(to)))?;
            let name = workspace.config.primary_name();
            let mail = OutboxMail {
                kind: "test".into(),
                recipient: to.as_str().to_owned(),
                subject: format!("{name}: test mail from weekly"),
                body_text: format!(
                    "This mail was sent by `weekly mail test` to check the SMTP settings of \
                     {name}.\n"
                ),
                body_html: String::new(),
                list_unsubscribe: String::new(),
            };
            store.enqueue_mail(&mail, &stamp(Utc::now())).await?;
        }
        Command::Send { .. } => {}
    }
    let now_too = matches!(command, Command::Send { now: true, .. });
    let report = |line: &str| printer::status(&format!("not sent: {line}"));
    let to_dir = match command {
        Command::Send { to_dir, .. } => to_dir.as_ref(),
        _ => None,
    };
    let done = if let Some(dir) = to_dir {
        Outgoing::folder(&workspace.config.smtp, dir)?
            .flush(store, 10_000, now_too, &report)
            .await?
    } else {
        let Some(outgoing) = Outgoing::smtp(
            &workspace.config.smtp,
            workspace.env.get(environment::SMTP_URL),
            workspace.env.get(environment::SMTP_PASSWORD),
        )?
        else {
            bail!(
                "no mail server: set `[smtp] host` and `from` in weekly.toml, or \
                 WEEKLY_SMTP_URL; the mail waits in the outbox"
            );
        };
        outgoing.flush(store, 10_000, now_too, &report).await?
    };
    let Flushed { sent, failed } = done;
    let waiting = store.unsent_mail().await?;
    printer::status(&format!(
        "{sent} sent, {failed} failed (kept for a later attempt), {waiting} waiting in the outbox"
    ));
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
