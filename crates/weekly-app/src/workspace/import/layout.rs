//! Any archive of Markdown files (`[import] files = […]`): the files the patterns name are
//! issues, unless `skip` names them or their header says they are another kind of post
//! (`skip_unless`). Each issue's number and date come from the first of the configured
//! sources that has one — the header, the file name, the title, a README list, a table of
//! dates, the archive's git history — and its theme from its title, else from a README list.
//!
//! A file that is an issue but whose number or date cannot be found, or that would be a second
//! copy of an edition, is an error naming it; every such file is named at once.

use super::pattern::{Captures, Pattern, date_lengths};
use super::{Plan, PlannedIssue};
use crate::config::{Config, ImportConfig};
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use weekly_model::{
    DocKind, Document, FieldSyntax, Format, FrontMatterStyle, Header, IsoDate, Lang,
};
use weekly_parse::{ParseOptions, parse_document};

/// A file a `files` pattern names.
struct Candidate {
    /// Path as found under the source.
    path: PathBuf,
    /// Path relative to the source, `/` between folders.
    rel: String,
    /// Language of the edition.
    lang: Lang,
    /// `auto`, `full` or `teaser`.
    edition: String,
    /// What the pattern matched.
    captures: Captures,
    /// True when the pattern holds `{date}`.
    pattern_has_date: bool,
}

/// What the file's text says.
struct Read {
    /// The file as it is.
    bytes: Vec<u8>,
    title: Option<String>,
    kind: DocKind,
    /// `Key: value` pairs of the header, as written.
    header: Vec<(String, String)>,
    /// The date the parser read from the header (`[format] date_keys`).
    header_date: Option<IsoDate>,
}

/// The patterns of `[import]`, compiled.
struct Patterns {
    files: Vec<(Pattern, Lang, String)>,
    skip: Vec<Pattern>,
    seasons: Vec<Pattern>,
}

impl Patterns {
    fn new(import: &ImportConfig, primary: &Lang) -> Result<Patterns> {
        let compile = |p: &str| Pattern::new(p).map_err(|e| anyhow::anyhow!("`[import]`: {e}"));
        let mut files = Vec::new();
        for f in &import.files {
            let lang = f
                .lang()
                .and_then(Lang::new)
                .unwrap_or_else(|| primary.clone());
            files.push((compile(f.pattern())?, lang, f.edition().to_owned()));
        }
        Ok(Patterns {
            files,
            skip: import
                .skip
                .iter()
                .map(|p| compile(p))
                .collect::<Result<_>>()?,
            seasons: import
                .seasons
                .iter()
                .map(|p| compile(p))
                .collect::<Result<_>>()?,
        })
    }
}

/// Reads the archive at `src` (real path `src_real`) as `config`'s `[import]` says.
pub(super) fn plan(
    src: &Path,
    src_real: &Path,
    config: &Config,
    config_text: &str,
) -> Result<Plan> {
    let import = &config.import;
    let format = &config.catalogue.format;
    let patterns = Patterns::new(import, &config.primary_language)?;
    let mut plan = Plan {
        config_text: config_text.to_owned(),
        ..Plan::default()
    };

    // Every file of the source, in path order; `.git` is the history, not the archive.
    let mut candidates = Vec::new();
    let walker = walkdir::WalkDir::new(src)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || e.file_name() != ".git");
    for entry in walker {
        let entry = entry?;
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path().to_owned();
        let Ok(relative) = path.strip_prefix(src) else {
            continue;
        };
        let Some(rel) = relative
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join("/"))
        else {
            plan.warnings.push(format!(
                "skipped `{}`: its name is not UTF-8",
                path.display()
            ));
            continue;
        };
        if let Some(p) = patterns.skip.iter().find(|p| p.matches(&rel).is_some()) {
            plan.skipped.push((
                path,
                format!("not an issue (`skip = [\"{}\"]`)", p.as_str()),
            ));
            continue;
        }
        let season = patterns.seasons.iter().any(|p| p.matches(&rel).is_some());
        let issue = patterns
            .files
            .iter()
            .find_map(|(p, lang, edition)| p.matches(&rel).map(|c| (p, lang, edition, c)));
        if !season && issue.is_none() {
            continue;
        }
        // A link that leads out of the source is never read.
        let inside = matches!(crate::files::real_path_inside(src_real, &path), Ok(Some(_)));
        if !inside || !path.is_file() {
            plan.warnings.push(format!(
                "skipped `{}`: a link that leads outside `{}`, or not a file",
                path.display(),
                src.display()
            ));
            continue;
        }
        if season {
            plan.seasons.push(path);
            continue;
        }
        let (pattern, lang, edition, captures) = issue.expect("matched");
        candidates.push(Candidate {
            pattern_has_date: pattern.has_date(),
            path,
            rel,
            lang: lang.clone(),
            edition: edition.clone(),
            captures,
        });
    }
    if candidates.is_empty() {
        let names: Vec<&str> = patterns.files.iter().map(|(p, ..)| p.as_str()).collect();
        bail!(
            "nothing imported: no file of `{}` matches `[import] files` ({}); nothing was changed",
            src.display(),
            names.join(", ")
        );
    }

    // Read and parse every candidate on every core.
    let reads = weekly_model::par::map(&candidates, |c| -> Result<Read> {
        let bytes = std::fs::read(&c.path)
            .with_context(|| format!("failed to read `{}`", c.path.display()))?;
        let parsed = parse_document(
            &String::from_utf8_lossy(&bytes),
            &ParseOptions {
                file: &c.rel,
                lang: &c.lang,
                catalogue: &config.catalogue,
            },
        );
        Ok(read_of(&parsed.document, bytes))
    });

    let sources = Sources::new(src, src_real, import, &candidates, &mut plan);
    let mut unplaced: Vec<String> = Vec::new();
    let mut by_number: BTreeMap<u32, PlannedIssue> = BTreeMap::new();
    let mut date_of: BTreeMap<u32, (IsoDate, &'static str)> = BTreeMap::new();
    for (candidate, read) in candidates.iter().zip(reads) {
        let read = read?;
        let shown = candidate.path.display();
        if let Some((key, value, want)) = import.skip_unless.iter().find_map(|(key, want)| {
            header_value(&read.header, std::slice::from_ref(key))
                .filter(|v| v.trim() != want.trim())
                .map(|v| (key, v, want))
        }) {
            plan.skipped.push((
                candidate.path.clone(),
                format!("not an issue: its `{key}` is `{value}`, not `{want}`"),
            ));
            continue;
        }
        let title_parts = read.title.as_deref().map(|t| format.title_parts(t));
        // The number: the first source that gives one; a later one that disagrees is a warning.
        let mut numbers: Vec<(&str, u32)> = Vec::new();
        for source in &import.number {
            let found = match source.as_str() {
                "header" => header_value(&read.header, &format.number_keys)
                    .and_then(|v| v.trim().trim_start_matches('#').parse().ok()),
                "file" => candidate.captures.number,
                "title" => title_parts.as_ref().and_then(|t| t.number),
                "readme" => sources.readme.get(&candidate.rel).and_then(|r| r.0),
                _ => None,
            };
            if let Some(n) = found {
                numbers.push((source, n));
            }
        }
        let Some(&(from, number)) = numbers.first() else {
            unplaced.push(format!(
                "`{shown}`: no issue number (looked in: {}{})",
                described(&import.number),
                read.title
                    .as_deref()
                    .map(|t| format!(
                        "; the title `{t}` has none of the shapes of `[format] titles`"
                    ))
                    .unwrap_or_default()
            ));
            continue;
        };
        if let Some((other, n)) = numbers.iter().find(|(_, n)| *n != number) {
            plan.warnings.push(format!(
                "`{shown}`: the {} says #{number} and the {} #{n}; using #{number}",
                source_name(from),
                source_name(other)
            ));
        }
        // The date.
        let mut date = None;
        for source in &import.date {
            let found = match source.as_str() {
                "header" => read.header_date.or_else(|| {
                    header_value(&read.header, &format.date_keys)
                        .and_then(|v| IsoDate::parse_loose(&v))
                }),
                "file" => {
                    if candidate.pattern_has_date {
                        candidate.captures.date()
                    } else {
                        date_in_name(&candidate.path)
                    }
                }
                "title" => read.title.as_deref().and_then(IsoDate::find_in),
                "dates" => sources.dates.get(&candidate.rel).copied(),
                "git" => sources.git(src).get(&candidate.rel).copied(),
                _ => None,
            };
            if let Some(d) = found {
                date = Some((d, source_label(source)));
                break;
            }
        }
        let Some((date, date_from)) = date else {
            unplaced.push(format!(
                "`{shown}`: no date (looked in: {}{})",
                described(&import.date),
                sources.notes()
            ));
            continue;
        };
        let teaser = match candidate.edition.as_str() {
            "teaser" => true,
            "full" => false,
            _ => read.kind == DocKind::Teaser,
        };
        let target = format!(
            "{}{}.md",
            candidate.lang,
            if teaser { ".teaser" } else { "" }
        );
        let planned = by_number.entry(number).or_default();
        if let Some(existing) = planned.files.get(&target) {
            unplaced.push(format!(
                "`{shown}`: issue #{number} already has `{target}` from `{}`",
                existing.display()
            ));
            continue;
        }
        match planned.date {
            Some(d) if d != date => plan.warnings.push(format!(
                "`{shown}`: dated {date}, but issue #{number} is dated {d} by another edition; \
                 using {d}"
            )),
            Some(_) => {}
            None => {
                planned.date = Some(date);
                date_of.insert(number, (date, date_from));
            }
        }
        planned.files.insert(target.clone(), candidate.path.clone());
        planned.held.insert(target, read.bytes);
        // The theme: the title's, else a README list's.
        let own = title_parts
            .as_ref()
            .map(|t| t.theme.trim().to_owned())
            .filter(|t| !weekly_render::readme::is_date_only(t));
        if own.is_none()
            && let Some((_, theme)) = sources.readme.get(&candidate.rel)
            && !theme.is_empty()
        {
            planned
                .titles
                .entry(candidate.lang.clone())
                .or_insert_with(|| theme.clone());
        }
    }
    if !unplaced.is_empty() {
        bail!(
            "{} of `{}` cannot be placed (nothing was changed):\n  {}",
            if unplaced.len() == 1 {
                "1 file".to_owned()
            } else {
                format!("{} files", unplaced.len())
            },
            src.display(),
            unplaced.join("\n  ")
        );
    }
    if by_number.is_empty() {
        bail!(
            "nothing imported: every file of `{}` that `[import] files` names was skipped \
             ({} skipped); nothing was changed",
            src.display(),
            plan.skipped.len()
        );
    }
    shared_dates(&date_of, &mut plan.warnings);
    plan.issues = by_number;
    Ok(plan)
}

/// Warns of many issues sharing one date taken from a table or the git history: files added
/// to a repository together, whose publication dates it does not know.
fn shared_dates(date_of: &BTreeMap<u32, (IsoDate, &'static str)>, warnings: &mut Vec<String>) {
    let mut by_date: BTreeMap<(IsoDate, &str), Vec<u32>> = BTreeMap::new();
    for (number, (date, from)) in date_of {
        by_date.entry((*date, from)).or_default().push(*number);
    }
    for ((date, from), numbers) in by_date {
        if numbers.len() >= 3 && matches!(from, "the dates table" | "the git history") {
            warnings.push(format!(
                "{} issues (#{}–#{}) have the date {date} from {from}: they were added \
                 together; correct their `issue.toml` if they were published apart",
                numbers.len(),
                numbers[0],
                numbers[numbers.len() - 1]
            ));
        }
    }
}

fn source_label(source: &str) -> &'static str {
    match source {
        "header" => "the header",
        "file" => "the file name",
        "title" => "the title",
        "dates" => "the dates table",
        "git" => "the git history",
        _ => "the README",
    }
}

fn source_name(source: &str) -> &'static str {
    match source {
        "header" => "header",
        "file" => "file name",
        "title" => "title",
        _ => "README",
    }
}

fn described(sources: &[String]) -> String {
    sources
        .iter()
        .map(|s| source_label(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the parsed document says: title, kind, header.
fn read_of(document: &Document, bytes: Vec<u8>) -> Read {
    let mut header = Vec::new();
    let mut header_date = None;
    if let Some(Header::FrontMatter(fm)) = &document.header {
        let syntax = match fm.style {
            FrontMatterStyle::Fields { syntax, .. } => syntax,
            FrontMatterStyle::Yaml => FieldSyntax::Yaml,
        };
        for line in fm.other_lines.lines() {
            if let Some((key, value)) = syntax.split(line) {
                let value = ['\'', '"']
                    .iter()
                    .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
                    .unwrap_or(value);
                header.push((key.to_owned(), value.to_owned()));
            }
        }
        match &fm.style {
            FrontMatterStyle::Fields { .. } => {
                header_date = fm.pub_date.as_deref().and_then(IsoDate::parse_loose);
            }
            FrontMatterStyle::Yaml => {
                if let Some(d) = &fm.pub_date {
                    header.push(("pubDate".into(), d.clone()));
                }
                if let Some(t) = &fm.title {
                    header.push(("title".into(), t.clone()));
                }
            }
        }
    }
    Read {
        bytes,
        title: document.title().map(weekly_model::inline::plain_text),
        kind: document.kind,
        header,
        header_date,
    }
}

/// The value of the first header line whose key is one of `keys` (any case).
fn header_value(header: &[(String, String)], keys: &[String]) -> Option<String> {
    header
        .iter()
        .find(|(k, _)| Format::is_key(keys, k))
        .map(|(_, v)| v.clone())
}

/// The first `YYYY-MM-DD` (or unpadded `YYYY-M-D`) in a file's name.
fn date_in_name(path: &Path) -> Option<IsoDate> {
    let name = path.file_name()?.to_str()?;
    (0..name.len())
        .filter(|&i| {
            name.is_char_boundary(i) && (i == 0 || !name.as_bytes()[i - 1].is_ascii_digit())
        })
        .find_map(|i| {
            date_lengths(&name[i..])
                .into_iter()
                .find_map(|len| IsoDate::parse_loose(&name[i..i + len]))
        })
}

/// The sources of numbers, dates and themes outside the issue files.
struct Sources {
    /// README list entries by the path they link to: number, theme.
    readme: BTreeMap<String, (Option<u32>, String)>,
    /// The dates table by path.
    dates: BTreeMap<String, IsoDate>,
    /// Dates from the git history, read when first needed.
    git: std::sync::OnceLock<(BTreeMap<String, IsoDate>, Option<String>)>,
    /// What could not be read, for messages.
    missing: Vec<String>,
}

impl Sources {
    fn new(
        src: &Path,
        src_real: &Path,
        import: &ImportConfig,
        candidates: &[Candidate],
        plan: &mut Plan,
    ) -> Sources {
        let wanted: BTreeSet<&str> = candidates.iter().map(|c| c.rel.as_str()).collect();
        let mut missing = Vec::new();
        let mut readme = BTreeMap::new();
        for name in &import.readme {
            match crate::files::read_inside(src_real, &src.join(name)) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    readme_entries(name, &text, &wanted, &mut readme);
                }
                Err(_) => plan
                    .warnings
                    .push(format!("`{name}` (`[import] readme`) could not be read")),
            }
        }
        let mut dates = BTreeMap::new();
        if import.date.iter().any(|d| d == "dates") {
            let table = src.join(&import.dates);
            match crate::files::read_inside(src_real, &table) {
                Ok(bytes) => {
                    for line in String::from_utf8_lossy(&bytes).lines() {
                        let mut cells = line.split('\t');
                        let (Some(path), Some(date)) = (cells.next(), cells.next()) else {
                            continue;
                        };
                        if let Some(date) = IsoDate::parse_loose(date) {
                            let path = path.trim().trim_start_matches("./");
                            dates.insert(path.to_owned(), date);
                        }
                    }
                }
                Err(_) => missing.push(format!("there is no `{}`", import.dates)),
            }
        }
        Sources {
            readme,
            dates,
            git: std::sync::OnceLock::new(),
            missing,
        }
    }

    fn git(&self, src: &Path) -> &BTreeMap<String, IsoDate> {
        &self
            .git
            .get_or_init(|| match git_added(src) {
                Ok(map) => (map, None),
                Err(why) => (BTreeMap::new(), Some(why)),
            })
            .0
    }

    /// Why sources gave nothing, for an error message.
    fn notes(&self) -> String {
        let mut notes = self.missing.clone();
        if let Some((_, Some(why))) = self.git.get() {
            notes.push(why.clone());
        }
        if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join("; "))
        }
    }
}

/// The list lines of a README that link to issue files: `- 第 12 期：[主题](docs/issue-12.md)`.
fn readme_entries(
    readme: &str,
    text: &str,
    wanted: &BTreeSet<&str>,
    out: &mut BTreeMap<String, (Option<u32>, String)>,
) {
    let base: Vec<&str> = readme
        .rsplit_once('/')
        .map(|(dir, _)| dir.split('/').collect())
        .unwrap_or_default();
    for line in text.lines() {
        for link in weekly_model::inline::links(line) {
            let Some(target) = resolve(&base, &link.url) else {
                continue;
            };
            if !wanted.contains(target.as_str()) || out.contains_key(&target) {
                continue;
            }
            let before = &line[..link.offset];
            let digits: String = before
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect();
            let theme = weekly_model::inline::plain_text(&link.text)
                .trim()
                .to_owned();
            out.insert(target, (digits.parse().ok(), theme));
        }
    }
}

/// A relative link of a file in folder `base` as a path relative to the archive.
fn resolve(base: &[&str], url: &str) -> Option<String> {
    let url = url.trim();
    if url.contains("://") || url.starts_with('/') || url.starts_with("mailto:") {
        return None;
    }
    let url = url.split(['#', '?']).next()?;
    let mut parts: Vec<&str> = base.to_vec();
    for part in url.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The day each file was first added, from the git history of the folder `src` (paths relative
/// to it). Read-only: `git log` with no pager, no external diff or text conversion, no
/// file-system monitor, and a minimal environment.
fn git_added(src: &Path) -> Result<BTreeMap<String, IsoDate>, String> {
    let mut command = std::process::Command::new("git");
    let _ = crate::child::minimal_env(&mut command, &[], "git");
    command
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .arg("-C")
        .arg(src)
        .args([
            "-c",
            "core.quotePath=false",
            "-c",
            "core.fsmonitor=false",
            "log",
            "--no-ext-diff",
            "--no-textconv",
            "--no-renames",
            "--diff-filter=A",
            "--relative",
            "--name-only",
            "--format=%x00%as",
        ])
        .stdin(std::process::Stdio::null());
    let output = command
        .output()
        .map_err(|e| format!("git could not be run ({e})"))?;
    if !output.status.success() {
        return Err(format!(
            "`{}` has no git history ({})",
            src.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let mut added = BTreeMap::new();
    // Newest first: the last date seen for a path is the day it was first added.
    for commit in String::from_utf8_lossy(&output.stdout).split('\0') {
        let mut lines = commit.lines();
        let Some(date) = lines.next().and_then(IsoDate::parse) else {
            continue;
        };
        for path in lines.filter(|l| !l.trim().is_empty()) {
            added.insert(path.to_owned(), date);
        }
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_links_resolve_against_the_readme() {
        let wanted: BTreeSet<&str> = ["docs/issue-3.md", "docs/en/a.md"].into_iter().collect();
        let mut out = BTreeMap::new();
        readme_entries(
            "README.md",
            "- 第 3 期：[主题三](docs/issue-3.md)\n- [elsewhere](https://x.org/docs/issue-3.md)\n",
            &wanted,
            &mut out,
        );
        readme_entries(
            "docs/README.md",
            "* Issue 9: [Theme *nine*](./en/a.md#top)\n",
            &wanted,
            &mut out,
        );
        assert_eq!(out["docs/issue-3.md"], (Some(3), "主题三".to_owned()));
        assert_eq!(out["docs/en/a.md"], (Some(9), "Theme nine".to_owned()));
        assert_eq!(
            resolve(&["docs"], "../README.md").as_deref(),
            Some("README.md")
        );
        assert_eq!(resolve(&[], "../x.md"), None);
    }

    #[test]
    fn dates_in_file_names() {
        let d = |n: &str| date_in_name(Path::new(n)).map(|d| d.to_string());
        assert_eq!(d("2020-12-2-this-week.md").as_deref(), Some("2020-12-02"));
        assert_eq!(d("post-2024-01-03.md").as_deref(), Some("2024-01-03"));
        assert_eq!(d("issue-12.md"), None);
    }
}
