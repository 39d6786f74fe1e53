//! `weekly stats`: entries per section and word counts of every issue, totals per season and
//! overall, and the landing page's `stats.json`.

use crate::files;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::statistics::{self, report};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table per issue, then the totals per season and overall.
    Text,
    /// A JSON array: one object per issue (`number`, `date`, `source`, `counts` per counted
    /// section, `entries` in all sections counted or not, `words`, `description` per language),
    /// or per season with `--by season`.
    Json,
    /// The flat object a landing page reads: `total_articles`, …, `total_issues`.
    Landing,
}

/// What one JSON object stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// One object per issue.
    Issue,
    /// One object per season.
    Season,
}

/// Arguments of `weekly stats`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Word counts: `han` counts Han characters (what 字数 means to a Chinese \
reader); `jieba` counts the tokens of Python's jieba that are not white space, punctuation \
included, on the Markdown without front matter, link URLs and `#*`>` (the \"全文 N 字\" \
stamp Python Trending Weekly printed from issue 87 on; a run such as `PEP-517` is three tokens, \
as in Python's jieba); `latin` counts runs of ASCII letters and digits. `han` and `latin` \
count the content: not the title or front matter, not URLs. The `description` of \
`--format json` stamps \"全文 N 字\" with the `jieba` count, as the archive does.\n\n\
Figures come from the primary-language full text, else from its teaser (then `source` is \
\"teaser\" and the word counts are the teaser's).\n\n\
Examples:\n  weekly stats\n  weekly stats --format json | jq '.[-1]'\n  weekly stats --format landing --output site/stats.json"
)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// One row (text) or object (json) per issue, or per season.
    #[arg(long, value_enum, default_value_t = By::Issue)]
    pub by: By,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let format = match args.format {
        Format::Text => statistics::Format::Text,
        Format::Json => statistics::Format::Json,
        Format::Landing => statistics::Format::Landing,
    };
    let by = match args.by {
        By::Issue => statistics::By::Issue,
        By::Season => statistics::By::Season,
    };
    let report = report(&workspace, format, by)?;
    if let Some(first) = report.files_with_errors.first() {
        printer::status(&format!(
            "warning: {} files have parse errors (first: {first}); their figures may be off — run `weekly check`",
            report.files_with_errors.len(),
        ));
    }
    match &args.output {
        Some(path) => {
            files::write_atomic(path, &report.text)?;
            printer::status(&format!("wrote `{}`", path.display()));
        }
        None => printer::raw(&report.text),
    }
    Ok(ExitCode::SUCCESS)
}
