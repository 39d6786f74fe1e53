//! The layout of Python Trending Weekly's repository (`[import] layout = "python-weekly"`):
//! `docs/YYYY-MM-DD-weekly.md` (Chinese), `docs/en/`, `docs/ja/`, `docs/*-{s,i,l}weekly.md`
//! season files, `README_ZH.md` / `README.md` past-issue lists, `history/teasers/` (historic
//! teasers). Any part may be missing.
//!
//! Issue identity comes from the README past-issue list where there is one, else from the
//! number in each issue's title; never from the order of files. An English edition whose title
//! has no English theme (written in Chinese, or only the date) gets the README's.

use super::{Plan, PlannedIssue, file_name, read_lossy};
use crate::config::Config;
use crate::workspace::sorted_entries;
use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use weekly_model::{Catalogue, DocKind, IsoDate, Lang, TitleParts};
use weekly_parse::{ParseOptions, parse_document};

/// Refuses a directory that has none of the layout's folders.
pub(super) fn check_source(src: &Path) -> Result<()> {
    let has_any = ["docs", "docs/en", "docs/ja", "history/teasers"]
        .iter()
        .any(|d| src.join(d).is_dir());
    if !has_any {
        bail!(
            "`{}` has none of `docs/`, `docs/en/`, `docs/ja/`, `history/teasers/`; is it a python-weekly repository?",
            src.display()
        );
    }
    Ok(())
}

/// Reads the repository at `src` (real path `src_real`).
pub(super) fn plan(
    src: &Path,
    src_real: &Path,
    config: &Config,
    config_text: &str,
) -> Result<Plan> {
    // Read the archive with the catalogue of the configuration the new workspace gets, so the
    // import and later `weekly check` runs classify sections the same way.
    let catalogue = &config.catalogue;
    let mut plan = Plan::default();
    // Files are read only where their real path stays inside the source: a link such as
    // `docs/x-weekly.md -> /proc/self/environ` is skipped, never copied into the workspace.
    let md_files = |dir: &Path, plan: &mut Plan| -> Result<Vec<PathBuf>> {
        let mut files = md_files(dir)?;
        files.retain(|path| {
            let inside = matches!(crate::files::real_path_inside(src_real, path), Ok(Some(_)));
            if !inside {
                plan.warnings.push(format!(
                    "skipped `{}`: a link that leads outside `{}`",
                    path.display(),
                    src.display()
                ));
            }
            inside
        });
        Ok(files)
    };
    let readme = readme_numbers(src, src_real);
    let mut by_number: BTreeMap<u32, PlannedIssue> = BTreeMap::new();
    let mut number_of_date: BTreeMap<IsoDate, u32> = readme.clone();

    let langs = [("docs", "zh"), ("docs/en", "en"), ("docs/ja", "ja")];
    let mut langs_seen = Vec::new();
    for (sub, code) in langs {
        let lang = Lang::new(code).expect("valid");
        for path in md_files(&src.join(sub), &mut plan)? {
            let name = file_name(&path);
            if sub == "docs" && is_season_file(&name) {
                plan.seasons.push(path);
                continue;
            }
            let Some(date) = IsoDate::find_in(&name) else {
                plan.warnings.push(format!(
                    "skipped `{}`: no date in the file name",
                    path.display()
                ));
                continue;
            };
            let text = read_lossy(&path)?;
            let parsed = parse_document(
                &text,
                &ParseOptions {
                    file: &name,
                    lang: &lang,
                    catalogue,
                },
            );
            let title_number = parsed
                .document
                .title()
                .and_then(|t| TitleParts::parse(t).number);
            // The Chinese edition and the README decide the number of a date; translations
            // follow it (their titles are sometimes wrong, which `weekly check` reports).
            let number = match (number_of_date.get(&date), title_number) {
                (Some(&n), Some(t)) if n != t && code == "zh" => {
                    plan.warnings.push(format!(
                        "`{}` says #{t} in its title but the README lists it as #{n}; using #{n}",
                        path.display()
                    ));
                    Some(n)
                }
                (Some(&n), _) => Some(n),
                (None, Some(t)) => Some(t),
                (None, None) => None,
            };
            let Some(number) = number else {
                plan.warnings.push(format!(
                    "skipped `{}`: no issue number in its title or in the README list",
                    path.display()
                ));
                continue;
            };
            number_of_date.entry(date).or_insert(number);
            let teaser = parsed.document.kind == DocKind::Teaser;
            let target = format!("{code}{}.md", if teaser { ".teaser" } else { "" });
            let planned = by_number.entry(number).or_default();
            planned.date.get_or_insert(date);
            if let Some(existing) = planned.files.get(&target) {
                plan.warnings.push(format!(
                    "skipped `{}`: issue #{number} already has `{target}` from `{}`",
                    path.display(),
                    existing.display()
                ));
                continue;
            }
            planned.files.insert(target, path);
            if !langs_seen.contains(&code) {
                langs_seen.push(code);
            }
        }
    }
    // Historic teasers: the first published version of issues that are full text now.
    let zh = Lang::zh();
    for path in md_files(&src.join("history/teasers"), &mut plan)? {
        let name = file_name(&path);
        let Some(number) = IsoDate::find_in(&name)
            .and_then(|d| number_of_date.get(&d).copied())
            .or_else(|| {
                let text = std::fs::read_to_string(&path).ok()?;
                let parsed = parse_document(
                    &text,
                    &ParseOptions {
                        file: &name,
                        lang: &zh,
                        catalogue,
                    },
                );
                parsed
                    .document
                    .title()
                    .and_then(|t| TitleParts::parse(t).number)
            })
        else {
            plan.warnings.push(format!(
                "skipped `{}`: cannot tell which issue it belongs to",
                path.display()
            ));
            continue;
        };
        let planned = by_number.entry(number).or_default();
        planned.date = planned.date.or_else(|| IsoDate::find_in(&name));
        planned.files.entry("zh.teaser.md".into()).or_insert(path);
    }
    if src.join("history/drafts").is_dir() {
        plan.warnings
            .push("`history/drafts/` was not imported: drafts are not part of the archive".into());
    }

    let themes = readme_themes(src, src_real);
    for (number, planned) in &mut by_number {
        // An English edition titled in Chinese, or without a theme, gets the README's.
        let en = planned
            .files
            .get("en.md")
            .or_else(|| planned.files.get("en.teaser.md"));
        if let (Some(source), Some(theme)) = (en, themes.get(number))
            && lacks_english_theme(&read_lossy(source)?, catalogue)
        {
            planned.titles.insert(Lang::en(), theme.clone());
        }
    }
    plan.issues = by_number;

    let mut languages: Vec<&str> = vec!["zh", "en"];
    if langs_seen.contains(&"ja") {
        languages.push("ja");
    }
    let list = languages
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect::<Vec<_>>()
        .join(", ");
    plan.config_text = config_text.replace(
        "languages = [\"zh\", \"en\"]",
        &format!("languages = [{list}]"),
    );
    Ok(plan)
}

/// True when an English edition's title is not English, or says nothing but the number and
/// date (`Python Trending Weekly #1 (2023-05-13)`).
fn lacks_english_theme(text: &str, catalogue: &Catalogue) -> bool {
    let h1 = text
        .lines()
        .find_map(|l| l.strip_prefix("# ").map(str::to_owned))
        .unwrap_or_default();
    if weekly_site::view::written_in_other_language(&Lang::en(), &h1) {
        return true;
    }
    let en = Lang::en();
    let parsed = parse_document(
        text,
        &ParseOptions {
            file: "en.md",
            lang: &en,
            catalogue,
        },
    );
    let Some(title) = parsed.document.title() else {
        return false;
    };
    let parts = TitleParts::parse(title);
    parts.number.is_some() && weekly_render::readme::is_date_only(&parts.theme)
}

fn is_season_file(name: &str) -> bool {
    ["-sweekly.md", "-iweekly.md", "-lweekly.md"]
        .iter()
        .any(|s| name.ends_with(s))
}

fn md_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = sorted_entries(dir)?;
    files.retain(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"));
    Ok(files)
}

/// English themes by issue number from `README.md` (`- Issue N: [Theme](./docs/en/…)`).
fn readme_themes(src: &Path, src_real: &Path) -> BTreeMap<u32, String> {
    let mut map = BTreeMap::new();
    let Ok(bytes) = crate::files::read_inside(src_real, &src.join("README.md")) else {
        return map;
    };
    for line in String::from_utf8_lossy(&bytes).lines() {
        let Some(rest) = line.trim().strip_prefix("- Issue") else {
            continue;
        };
        let rest = rest.trim_start();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let (Ok(number), Some(link)) = (
            digits.parse::<u32>(),
            weekly_model::inline::links(rest).into_iter().next(),
        ) else {
            continue;
        };
        let theme = weekly_model::inline::plain_text(&link.text);
        if !theme.trim().is_empty()
            && !weekly_site::view::written_in_other_language(&Lang::en(), &theme)
        {
            map.entry(number).or_insert_with(|| theme.trim().to_owned());
        }
    }
    map
}

/// Issue numbers by date from `README_ZH.md` (`- 第 N 期：[主题](./docs/YYYY-MM-DD-weekly.md)`)
/// and `README.md` (`- Issue N: [Theme](./docs/en/YYYY-MM-DD-weekly.md)`).
fn readme_numbers(src: &Path, src_real: &Path) -> BTreeMap<IsoDate, u32> {
    let mut map = BTreeMap::new();
    for name in ["README_ZH.md", "README.md"] {
        let Ok(bytes) = crate::files::read_inside(src_real, &src.join(name)) else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        for line in text.lines() {
            let line = line.trim();
            let rest = line
                .strip_prefix("- 第")
                .or_else(|| line.strip_prefix("- Issue"));
            let Some(rest) = rest else { continue };
            let rest = rest.trim_start();
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let Ok(number) = digits.parse::<u32>() else {
                continue;
            };
            let Some(link) = weekly_model::inline::links(rest).into_iter().next() else {
                continue;
            };
            if !link.url.ends_with("-weekly.md") {
                continue;
            }
            if let Some(date) = IsoDate::find_in(&link.url) {
                map.entry(date).or_insert(number);
            }
        }
    }
    map
}
