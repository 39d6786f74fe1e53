//! `weekly readme`: regenerate the past-issue list and the statistics table of a README between
//! their markers. Running it again on an unchanged archive changes nothing.

use crate::archive::Archive;
use crate::editions::{readme_item, resolve_lang};
use crate::files;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_render::readme::{issue_list_in, markers, replace_block, stats_table_in};
use weekly_stats::{IssueStats, Totals};

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

/// The README `file` as it is and as it would be with its blocks regenerated in `lang`, and
/// how many issues its list has.
pub fn regenerate(
    workspace: &Workspace,
    file: &Path,
    lang: &weekly_model::Lang,
) -> Result<(String, String, usize)> {
    let lang = lang.clone();
    let text = files::read_text(file)?;
    let archive = Archive::load(workspace)?;
    let base = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // A theme the editor wrote into the README is kept where the edition's title has none
    // (`Python Trending Weekly #2 (2023-05-20)`).
    let listed = weekly_render::readme::listed_themes(&text);
    let mut items = Vec::new();
    let mut untitled = Vec::new();
    for issue in &archive.issues {
        if issue.best(&lang).is_some() {
            let mut item = readme_item(workspace, &archive, issue, &lang, base)?;
            // No theme: only the date, or the whole title with its number (as the
            // newsletter's title patterns read it: `科技爱好者周刊：第 12 期`).
            let whole_title = {
                let parts = workspace.config.catalogue.format.title_parts(&item.theme);
                parts.number == Some(issue.number) && parts.theme.trim().is_empty()
            };
            if weekly_render::readme::is_date_only(&item.theme)
                || whole_title
                || item.theme.contains(&format!("#{}", issue.number))
            {
                match listed.get(&issue.number) {
                    Some(theme) => theme.clone_into(&mut item.theme),
                    None => untitled.push(issue.number),
                }
            }
            items.push(item);
        }
    }
    if !untitled.is_empty() {
        printer::status(&format!(
            "warning: {} issue{} ha{} no theme in {lang} (the title has only the number and \
             date), e.g. #{}: write it in the README's list once, it is kept from then on",
            untitled.len(),
            if untitled.len() == 1 { "" } else { "s" },
            if untitled.len() == 1 { "s" } else { "ve" },
            untitled[0]
        ));
    }
    if items.is_empty() && !archive.issues.is_empty() {
        bail!(
            "no issue has a `{lang}` edition, so the list of `{}` would be emptied; is \
             `--lang {lang}` the language of this README? Nothing was changed",
            file.display()
        );
    }
    let stats = archive.figures(workspace, |_| false)?;
    let all: Vec<&IssueStats> = stats.iter().collect();
    let total = Totals::of(0, &all, &workspace.config.catalogue);
    let texts = crate::editions::texts(workspace, &lang);
    let blocks = [
        ("issues", issue_list_in(&lang, &items, texts)),
        (
            "stats",
            stats_table_in(
                &lang,
                total.issues,
                &total.counts,
                &workspace.config.catalogue,
                texts,
            ),
        ),
    ];
    let shown = file.display();
    let mut updated = text.clone();
    let mut found = 0;
    for (name, content) in &blocks {
        if !updated.contains(&markers(name).0) {
            continue;
        }
        found += 1;
        updated = replace_block(&updated, name, content)
            .map_err(|e| anyhow::anyhow!("{shown}:{}:1: {}", e.line, e.message))?;
    }
    if found == 0 {
        let (open, close) = markers("issues");
        bail!(
            "`{shown}` has no weekly markers; add `{open}` and `{close}` (and/or the `stats` pair) on their own lines where the list belongs"
        );
    }
    Ok((text, updated, items.len()))
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let lang = resolve_lang(&workspace, args.lang.as_deref())?;
    let (text, updated, issues) = regenerate(&workspace, &args.file, &lang)?;
    let shown = args.file.display();
    if updated == text {
        printer::status(&format!(
            "`{shown}` is up to date ({})",
            printer::count(issues, "issue", "issues")
        ));
        return Ok(ExitCode::SUCCESS);
    }
    if args.check {
        printer::status(&format!(
            "`{shown}` is out of date; run `weekly readme {shown}` to update it"
        ));
        return Ok(ExitCode::from(1));
    }
    files::write_atomic(&args.file, &updated)?;
    printer::status(&format!(
        "updated `{shown}` ({})",
        printer::count(issues, "issue", "issues")
    ));
    Ok(ExitCode::SUCCESS)
}
