//! `weekly readme`: regenerate the past-issue list and the statistics table of a README between
//! their markers. Running it again on an unchanged archive changes nothing.

use crate::editions::resolve_lang;
use crate::files;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::readme::regenerate;

/// Arguments of `weekly readme`.
#[derive(Debug, clap::Args)]
#[command(after_help = "The README marks where each block goes:\n\n  \
<!-- weekly:issues -->   <!-- /weekly:issues -->   the past-issue list, newest first\n  \
<!-- weekly:stats -->    <!-- /weekly:stats -->    the statistics table\n\n\
Everything between a pair is replaced; everything else is kept byte for byte. Links point \
to each issue's public edition (the full text once free, the teaser while paid), relative \
to the README.\n\nThe words are the newsletter's ([texts.LANG] in weekly.toml): `readme_item` \
(`- 第 {{ number }} 期：[{{ theme }}]({{ link }})`), `readme_description`, `readme_year` and \
`readme_month` (`## {{ year }}`, `**{{ month_name }}**`: the list grouped by year and month), \
`readme_months`, `readme_stats_item`, `readme_stats_count`, `readme_stats_issues`.\n\nExamples:\n  weekly readme README.md --lang en\n  weekly readme README_ZH.md --check   # exit 1 if it is out of date")]
pub struct Args {
    /// The README to update.
    pub file: PathBuf,
    /// The language of the README (default: the primary language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Change nothing; exit 1 when the README is out of date.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let lang = resolve_lang(&workspace, args.lang.as_deref())?;
    let readme = regenerate(&workspace, &args.file, &lang)?;
    printer::untitled_warning(&readme.untitled, &lang);
    let shown = args.file.display();
    if readme.new == readme.old {
        printer::status(&format!(
            "`{shown}` is up to date ({})",
            printer::count(readme.issues, "issue", "issues")
        ));
        return Ok(ExitCode::SUCCESS);
    }
    if args.check {
        printer::status(&format!(
            "`{shown}` is out of date; run `weekly readme {shown}` to update it"
        ));
        return Ok(ExitCode::from(1));
    }
    files::write_atomic(&args.file, &readme.new)?;
    printer::status(&format!(
        "updated `{shown}` ({})",
        printer::count(readme.issues, "issue", "issues")
    ));
    Ok(ExitCode::SUCCESS)
}
