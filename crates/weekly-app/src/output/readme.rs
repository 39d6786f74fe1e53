//! README blocks: the past-issue list and the statistics table of a README regenerated
//! between their markers (`<!-- weekly:issues -->`…), everything else kept byte for byte.

use crate::archive::Archive;
use crate::editions::readme_item;
use crate::files;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::path::Path;
use weekly_render::readme::{issue_list_in, markers, replace_block, stats_table_in};
use weekly_stats::{IssueStats, Totals};

/// A README as it is and as it would be.
#[derive(Debug)]
pub struct Readme {
    /// The text as it is.
    pub old: String,
    /// The text with its blocks regenerated.
    pub new: String,
    /// How many issues its list has.
    pub issues: usize,
    /// Issues whose title in the README's language has no theme, and that the README's own
    /// list does not name either.
    pub untitled: Vec<u32>,
}

/// The README `file` as it is and as it would be with its blocks regenerated in `lang`.
pub fn regenerate(workspace: &Workspace, file: &Path, lang: &weekly_model::Lang) -> Result<Readme> {
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
    Ok(Readme {
        old: text,
        new: updated,
        issues: items.len(),
        untitled,
    })
}
