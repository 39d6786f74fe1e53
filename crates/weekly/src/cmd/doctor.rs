//! `weekly doctor [--offline] [--epubcheck]`: what the workspace needs, checked before it is
//! needed, with what to install or set.

use crate::printer;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;
use weekly_app::doctor::{Options, Verdict, doctor};
use weekly_app::workspace::Workspace;

/// Arguments of `weekly doctor`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Checks fonts for the newsletter's languages and emoji (cards, PDFs), \
Chromium (PDF e-books), epubcheck (with --epubcheck), the secret file's mode, the database and \
its migrations, and — only when the workspace or its environment configures them — the mail \
server (connect and EHLO, no mail), the Telegram bot (getMe) and the model endpoint (/models). \
Exit status 0 when everything the configuration needs is there, 1 when something is missing."
)]
pub struct Args {
    /// Contact nothing: no mail server, database server, Telegram or model.
    #[arg(long)]
    pub offline: bool,
    /// Look for epubcheck too.
    #[arg(long)]
    pub epubcheck: bool,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let options = Options {
        offline: args.offline,
        epubcheck: args.epubcheck,
    };
    let findings = crate::runtime()?.block_on(doctor(&workspace, options));
    let mut missing = 0;
    for f in &findings {
        let mark = match f.verdict {
            Verdict::Ok => "ok  ",
            Verdict::Missing => {
                missing += 1;
                "MISS"
            }
            Verdict::Skipped => "--  ",
        };
        printer::out(&format!("{mark} {}: {}", f.what, f.detail));
        if !f.hint.is_empty() && f.verdict != Verdict::Ok {
            printer::out(&format!("     → {}", f.hint));
        }
    }
    if missing > 0 {
        printer::status(&format!(
            "{} missing: see the lines marked MISS",
            printer::count(missing, "thing is", "things are")
        ));
        return Ok(ExitCode::from(1));
    }
    printer::status("everything this workspace needs is there");
    Ok(ExitCode::SUCCESS)
}
