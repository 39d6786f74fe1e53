//! `weekly init DIR [--format NAME|FILE.toml]`: a new, empty workspace with a commented
//! `weekly.toml` and `sources.toml`.

use crate::config;
use crate::printer;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;
use weekly_app::init;

/// Arguments of `weekly init`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Without `--format`, weekly.toml is Python Trending Weekly's (its \
sections and its way of writing issues) with a name to change. `--format this-week-in-rust` or \
`--format ruanyf-weekly` writes the complete, commented weekly.toml of that newsletter instead; \
README.md (\"Any newsletter\") explains how to write one for yours."
)]
pub struct Args {
    /// Directory to create (may exist if empty).
    pub dir: PathBuf,
    /// A format we ship (`python-weekly`, `this-week-in-rust`, `ruanyf-weekly`) or a
    /// `weekly.toml` of yours to start from.
    #[arg(long)]
    pub format: Option<String>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let text = match &args.format {
        Some(format) => init::format_text(format)?,
        // A new newsletter gets a name to change, not the reference newsletter's.
        None => init::new_config(),
    };
    init::create(&args.dir, &text)?;
    let lang = config::Config::parse(&text, config::FILE_NAME)
        .map_or_else(|_| "zh".into(), |c| c.primary_language.to_string());
    printer::status(&format!(
        "created workspace `{}`\nnext: edit `{}`, write `issues/0001/issue.toml` and `issues/0001/{lang}.md`, then run `weekly check --workspace {}`",
        args.dir.display(),
        args.dir.join(config::FILE_NAME).display(),
        args.dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
