//! `weekly import python-weekly SRC --into DIR`: turn a repository laid out like Python
//! Trending Weekly (`docs/`, `docs/en/`, `docs/ja/`, season files, README lists, historic
//! teasers) into a workspace.
//!
//! Issue identity comes from the README past-issue list where there is one, else from the
//! number in each issue's title; never from the order of files. Files are copied byte for byte.
//! The workspace is assembled in a temporary directory next to DIR and renamed into place at the
//! end, so a failed import leaves nothing behind.

use crate::cmd::init;
use crate::config;
use crate::printer;
use crate::workspace::{issue_dir_name, sorted_entries};
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_model::{DocKind, IsoDate, Lang, TitleParts};
use weekly_parse::{ParseOptions, parse_document};

/// Archive layouts that can be imported.
#[derive(Debug, clap::Subcommand)]
pub enum Source {
    /// A repository in the layout of Python Trending Weekly: `docs/YYYY-MM-DD-weekly.md`
    /// (Chinese), `docs/en/`, `docs/ja/`, `docs/*-{s,i,l}weekly.md` season files,
    /// `README_ZH.md` / `README.md` past-issue lists, `history/teasers/` (historic teasers).
    /// Any part may be missing.
    PythonWeekly(Args),
}

/// Arguments of an import.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The repository to read (it is never modified).
    pub src: PathBuf,
    /// The workspace to create; must not exist or be empty.
    #[arg(long)]
    pub into: PathBuf,
}

pub fn run(source: &Source) -> Result<ExitCode> {
    let Source::PythonWeekly(args) = source;
    let report = import_python_weekly(&args.src, &args.into)?;
    for warning in &report.warnings {
        printer::status(&format!("warning: {warning}"));
    }
    printer::status(&format!(
        "imported {} into `{}`: {}; {}",
        printer::count(report.issues, "issue", "issues"),
        args.into.display(),
        report
            .files
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect::<Vec<_>>()
            .join(", "),
        printer::count(report.seasons, "season file", "season files")
    ));
    Ok(ExitCode::SUCCESS)
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// Issues created.
    pub issues: usize,
    /// Files per kind (`zh.md`, `en.teaser.md`, …).
    pub files: BTreeMap<String, usize>,
    /// Season files copied.
    pub seasons: usize,
    /// Things skipped or doubtful.
    pub warnings: Vec<String>,
}

#[derive(Default)]
struct Planned {
    date: Option<IsoDate>,
    files: BTreeMap<String, PathBuf>,
}

/// Imports `src` into a new workspace `into`.
pub fn import_python_weekly(src: &Path, into: &Path) -> Result<Report> {
    if !src.is_dir() {
        bail!("`{}` does not exist or is not a directory", src.display());
    }
    let has_any = ["docs", "docs/en", "docs/ja", "history/teasers"]
        .iter()
        .any(|d| src.join(d).is_dir());
    if !has_any {
        bail!(
            "`{}` has none of `docs/`, `docs/en/`, `docs/ja/`, `history/teasers/`; is it a python-weekly repository?",
            src.display()
        );
    }
    if into.exists() && std::fs::read_dir(into)?.next().is_some() {
        bail!(
            "`{}` already exists and is not empty; nothing was changed",
            into.display()
        );
    }

    // Read the archive with the catalogue of the configuration the new workspace gets, so the
    // import and later `weekly check` runs classify sections the same way.
    let catalogue = config::Config::parse(config::DEFAULT, config::FILE_NAME)
        .context("the built-in configuration is invalid")?
        .catalogue;
    let mut report = Report::default();
    // Files are read only where their real path stays inside the source: a link such as
    // `docs/x-weekly.md -> /proc/self/environ` is skipped, never copied into the workspace.
    let src_real =
        std::fs::canonicalize(src).with_context(|| format!("cannot read `{}`", src.display()))?;
    let md_files = |dir: &Path, report: &mut Report| -> Result<Vec<PathBuf>> {
        let mut files = md_files(dir)?;
        files.retain(|path| {
            let inside = matches!(crate::files::real_path_inside(&src_real, path), Ok(Some(_)));
            if !inside {
                report.warnings.push(format!(
                    "skipped `{}`: a link that leads outside `{}`",
                    path.display(),
                    src.display()
                ));
            }
            inside
        });
        Ok(files)
    };
    let readme = readme_numbers(src, &src_real);
    let mut by_number: BTreeMap<u32, Planned> = BTreeMap::new();
    let mut number_of_date: BTreeMap<IsoDate, u32> = readme.clone();

    let langs = [("docs", "zh"), ("docs/en", "en"), ("docs/ja", "ja")];
    let mut seasons = Vec::new();
    let mut langs_seen = Vec::new();
    for (sub, code) in langs {
        let lang = Lang::new(code).expect("valid");
        for path in md_files(&src.join(sub), &mut report)? {
            let name = file_name(&path);
            if sub == "docs" && is_season_file(&name) {
                seasons.push(path);
                continue;
            }
            let Some(date) = IsoDate::find_in(&name) else {
                report.warnings.push(format!(
                    "skipped `{}`: no date in the file name",
                    path.display()
                ));
                continue;
            };
            let text = read(&path)?;
            let parsed = parse_document(
                &text,
                &ParseOptions {
                    file: &name,
                    lang: &lang,
                    catalogue: &catalogue,
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
                    report.warnings.push(format!(
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
                report.warnings.push(format!(
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
                report.warnings.push(format!(
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
    for path in md_files(&src.join("history/teasers"), &mut report)? {
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
                        catalogue: &catalogue,
                    },
                );
                parsed
                    .document
                    .title()
                    .and_then(|t| TitleParts::parse(t).number)
            })
        else {
            report.warnings.push(format!(
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
        report
            .warnings
            .push("`history/drafts/` was not imported: drafts are not part of the archive".into());
    }

    // Assemble next to the target, then move into place.
    let parent = into
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let staging = parent.join(format!(
        ".{}.importing-{}",
        into.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("workspace"),
        std::process::id()
    ));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    let themes = readme_themes(src, &src_real);
    let result = write_workspace(
        &staging,
        &by_number,
        &themes,
        &seasons,
        &langs_seen,
        &mut report,
    );
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if into.exists() {
        std::fs::remove_dir(into)
            .with_context(|| format!("failed to replace empty `{}`", into.display()))?;
    }
    std::fs::rename(&staging, into)
        .with_context(|| format!("failed to move the workspace to `{}`", into.display()))?;
    Ok(report)
}

fn write_workspace(
    root: &Path,
    by_number: &BTreeMap<u32, Planned>,
    themes: &BTreeMap<u32, String>,
    seasons: &[PathBuf],
    langs_seen: &[&str],
    report: &mut Report,
) -> Result<()> {
    let mut languages: Vec<&str> = vec!["zh", "en"];
    if langs_seen.contains(&"ja") {
        languages.push("ja");
    }
    let list = languages
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let config_text = config::DEFAULT.replace(
        "languages = [\"zh\", \"en\"]",
        &format!("languages = [{list}]"),
    );
    init::create(root, &config_text)?;
    for (number, planned) in by_number {
        let Some(date) = planned.date else { continue };
        let dir = root.join("issues").join(issue_dir_name(*number));
        std::fs::create_dir_all(&dir)?;
        let mut meta = format!("number = {number}\ndate = \"{date}\"\n");
        // An English edition titled in Chinese gets the English theme of the README's list.
        let en = planned
            .files
            .get("en.md")
            .or_else(|| planned.files.get("en.teaser.md"));
        if let (Some(source), Some(theme)) = (en, themes.get(number)) {
            let title = read(source)?
                .lines()
                .find_map(|l| l.strip_prefix("# ").map(str::to_owned))
                .unwrap_or_default();
            if weekly_site::view::written_in_other_language(&Lang::en(), &title) {
                let quoted = toml::Value::String(theme.clone()).to_string();
                meta.push_str("titles = { en = ");
                meta.push_str(&quoted);
                meta.push_str(" }\n");
            }
        }
        std::fs::write(dir.join("issue.toml"), meta)?;
        for (target, source) in &planned.files {
            std::fs::copy(source, dir.join(target))
                .with_context(|| format!("failed to copy `{}`", source.display()))?;
            *report.files.entry(target.clone()).or_insert(0) += 1;
        }
        report.issues += 1;
    }
    if !seasons.is_empty() {
        std::fs::create_dir_all(root.join("seasons"))?;
        for path in seasons {
            std::fs::copy(path, root.join("seasons").join(file_name(path)))?;
            report.seasons += 1;
        }
    }
    Ok(())
}

fn is_season_file(name: &str) -> bool {
    ["-sweekly.md", "-iweekly.md", "-lweekly.md"]
        .iter()
        .any(|s| name.ends_with(s))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned()
}

fn read(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
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
