//! `weekly import SRC --into DIR [--format NAME|FILE.toml]` and its older form `weekly import
//! python-weekly SRC --into DIR`: arguments and printing; the import itself is
//! `weekly_app::import`.

use crate::printer;
use anyhow::{Result, bail};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `weekly import`.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "The format's `[import]` table says which files of SRC are issues and where \
each issue's number, date and theme come from (README.md, \"Any newsletter\"). A new workspace \
gets the format's weekly.toml; into an existing workspace, only the issues it lacks are added \
(its own weekly.toml decides), so importing the same archive again changes nothing.\n\n\
Examples:\n  weekly import ../this-week-in-rust --into twir --format this-week-in-rust\n  \
weekly import ../weekly --into ruanyf --format ruanyf-weekly\n  \
weekly import ../my-archive --into mine --format my-weekly.toml\n  \
weekly import python-weekly ../python-weekly --into pw"
)]
pub struct Args {
    /// The older form, `weekly import python-weekly SRC --into DIR`.
    #[command(subcommand)]
    pub legacy: Option<Legacy>,
    /// The archive to read (it is never modified).
    #[arg(required = true)]
    pub src: Option<PathBuf>,
    /// The workspace to create (missing or empty), or an existing workspace to add issues to.
    #[arg(long, required = true)]
    pub into: Option<PathBuf>,
    /// A format we ship (`python-weekly`, `this-week-in-rust`, `ruanyf-weekly`) or a
    /// `weekly.toml` of yours with `[format]` and `[import]` tables (default: python-weekly).
    #[arg(long)]
    pub format: Option<String>,
}

/// Archive layouts named before `SRC`.
#[derive(Debug, clap::Subcommand)]
pub enum Legacy {
    /// A repository in the layout of Python Trending Weekly: `docs/YYYY-MM-DD-weekly.md`
    /// (Chinese), `docs/en/`, `docs/ja/`, `docs/*-{s,i,l}weekly.md` season files,
    /// `README_ZH.md` / `README.md` past-issue lists, `history/teasers/` (historic teasers).
    /// Any part may be missing. The same as `--format python-weekly`.
    PythonWeekly(LegacyArgs),
}

/// Arguments of `weekly import python-weekly`.
#[derive(Debug, clap::Args)]
pub struct LegacyArgs {
    /// The repository to read (it is never modified).
    pub src: PathBuf,
    /// The workspace to create; must not exist or be empty.
    #[arg(long)]
    pub into: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let (src, into, format) = match &args.legacy {
        Some(Legacy::PythonWeekly(legacy)) => (&legacy.src, &legacy.into, Some("python-weekly")),
        None => {
            let (Some(src), Some(into)) = (&args.src, &args.into) else {
                bail!("name the archive and the workspace: `weekly import SRC --into DIR`");
            };
            (src, into, args.format.as_deref())
        }
    };
    let report = weekly_app::import::import(src, into, format)?;
    for warning in &report.warnings {
        printer::status(&format!("warning: {warning}"));
    }
    for (path, why) in &report.skipped {
        printer::status(&format!("skipped `{}`: {why}", path.display()));
    }
    let files = report
        .files
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect::<Vec<_>>()
        .join(", ");
    if report.into_existing {
        let mut line = format!(
            "added {} to `{}`{}; {} already there and unchanged",
            printer::count(report.issues, "issue", "issues"),
            into.display(),
            if files.is_empty() {
                String::new()
            } else {
                format!(" ({files})")
            },
            report.unchanged
        );
        if !report.kept.is_empty() {
            let _ = write!(
                line,
                "; {} differ from the archive and were kept as they are (#{})",
                report.kept.len(),
                report
                    .kept
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", #")
            );
        }
        if report.seasons > 0 {
            let _ = write!(
                line,
                "; {}",
                printer::count(report.seasons, "season file", "season files")
            );
        }
        printer::status(&line);
    } else {
        printer::status(&format!(
            "imported {} into `{}`: {}; {}",
            printer::count(report.issues, "issue", "issues"),
            into.display(),
            files,
            printer::count(report.seasons, "season file", "season files")
        ));
    }
    Ok(ExitCode::SUCCESS)
}
