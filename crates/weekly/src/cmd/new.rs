//! `weekly new [--date YYYY-MM-DD]`: the next issue's folder with `issue.toml` and a
//! `draft.md` to write.

use crate::printer;
use anyhow::{Result, anyhow};
use std::path::Path;
use std::process::ExitCode;
use weekly_app::new_issue::new_issue;
use weekly_app::workspace::Workspace;
use weekly_model::IsoDate;

/// Arguments of `weekly new`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  weekly new                      # the issue after the latest, a week after its date
  weekly new --date 2026-12-12

The draft has a header (title with a theme to replace, date) and every section of weekly.toml \
as a heading, with one example entry. In a workspace of two languages it is written \
`中文---English` (titles, link texts, descriptions); `weekly split N` makes the editions from it \
and `weekly translate N` fills what is still missing.")]
pub struct Args {
    /// The issue's date (default: a week after the latest issue, else today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let date = match &args.date {
        Some(text) => Some(IsoDate::parse(text.trim()).ok_or_else(|| {
            anyhow!("`--date {text}` is not a date like 2026-12-12; nothing was changed")
        })?),
        None => None,
    };
    let today = chrono::Local::now().date_naive().to_string();
    let today = IsoDate::parse(&today).ok_or_else(|| anyhow!("today's date: {today}"))?;
    let made = new_issue(&workspace, date, today)?;
    printer::status(&format!(
        "issue #{} of {}: wrote `{}` and `{}`\nnext: write the draft, then `weekly {}check`",
        made.number,
        made.date,
        workspace.display_path(&made.dir.join("issue.toml")),
        workspace.display_path(&made.draft),
        if workspace.config.languages.len() > 1 {
            format!(
                "split {} && weekly translate {} && weekly ",
                made.number, made.number
            )
        } else {
            String::new()
        }
    ));
    Ok(ExitCode::SUCCESS)
}
