//! A newsletter workspace on disk: `weekly.toml`, `issues/NNNN/` with `issue.toml` and one
//! Markdown file per language edition, `seasons/`, `templates/`.
//!
//! Layout of an issue directory:
//! - `issue.toml` — `number` and `date`, the issue's identity (never derived from file order);
//! - `<lang>.md` — the full text in that language (`zh.md`, `en.md`, …);
//! - `<lang>.teaser.md` — the public teaser, kept apart from the full text;
//! - `draft.md` — optional bilingual draft, the input of `weekly split` (not an edition).

pub mod archive;
pub mod child;
pub mod collected;
pub mod config;
pub mod database;
pub mod editions;
pub mod environment;
pub mod featured;
pub mod fetching;
pub mod files;
pub mod import;
pub mod init;
pub mod telegram;

use crate::config::Config;
use crate::environment::Environment;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use weekly_model::{Diagnostic, IsoDate, Lang};

/// `issue.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueToml {
    number: u32,
    date: toml::Spanned<String>,
    /// The issue's theme per language, where an edition's own title is not in its language
    /// (`titles = { en = "Python Project Performance Analysis" }`).
    #[serde(default)]
    titles: BTreeMap<String, String>,
}

/// One edition file of an issue.
#[derive(Debug, Clone)]
pub struct EditionFile {
    /// Language of the edition.
    pub lang: Lang,
    /// True for `<lang>.teaser.md`.
    pub teaser: bool,
    /// Path of the file.
    pub path: PathBuf,
}

/// One issue directory.
#[derive(Debug, Clone)]
pub struct IssueDir {
    /// The directory.
    pub dir: PathBuf,
    /// Issue number from `issue.toml`.
    pub number: u32,
    /// Date from `issue.toml`.
    pub date: IsoDate,
    /// Edition files, sorted by language then full before teaser.
    pub editions: Vec<EditionFile>,
    /// Themes per language from `issue.toml` `titles` (see [`IssueToml`]).
    pub titles: BTreeMap<Lang, String>,
}

/// The glossary file of translations.
pub const GLOSSARY: &str = "glossary.toml";

/// A loaded workspace.
#[derive(Debug)]
pub struct Workspace {
    /// Root directory.
    pub root: PathBuf,
    /// The root with every link resolved: files whose real path is not under it are not read.
    pub real_root: PathBuf,
    /// The configuration.
    pub config: Config,
    /// Issues sorted by number.
    pub issues: Vec<IssueDir>,
    /// Season files (`seasons/*.md`).
    pub seasons: Vec<PathBuf>,
    /// Problems found while loading (bad `issue.toml`, stray files…).
    pub problems: Vec<Diagnostic>,
    /// The `WEEKLY_*` settings of the environment (read once: see [`Environment`]).
    pub env: &'static Environment,
}

impl Workspace {
    /// Loads the workspace at `root`.
    pub fn load(root: &Path) -> Result<Workspace> {
        let config_path = root.join(config::FILE_NAME);
        if !config_path.is_file() {
            bail!(
                "`{}` is not a weekly workspace: `{}` is missing\nhint: create one with `weekly init {}` or pass `--workspace DIR`",
                root.display(),
                config_path.display(),
                root.display()
            );
        }
        let real_root = std::fs::canonicalize(root)
            .with_context(|| format!("failed to read `{}`", root.display()))?;
        let text = crate::files::read_text_inside(&real_root, &config_path)?;
        let mut config = Config::parse(&text, &config_path.display().to_string())?;
        let mut problems = Vec::new();
        load_text_overrides(root, &real_root, &mut config, &mut problems)?;
        language_gaps(&config, &config_path.display().to_string(), &mut problems);
        // Issue directories are read on every core (20,000 of them take a third of a second on
        // one).
        let entries = sorted_entries(&root.join("issues"))?;
        let loaded = weekly_model::par::map(&entries, |dir| {
            let mut found = Vec::new();
            let issue = if dir.is_dir() {
                load_issue(dir, &real_root, &config, &mut found)
            } else {
                Ok(None)
            };
            (issue, found)
        });
        let mut issues = Vec::new();
        for (issue, found) in loaded {
            problems.extend(found);
            if let Some(issue) = issue? {
                issues.push(issue);
            }
        }
        issues.sort_by(|a, b| (a.number, &a.dir).cmp(&(b.number, &b.dir)));
        sequence(root, &issues, &mut problems);
        let seasons = sorted_entries(&root.join("seasons"))?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        Ok(Workspace {
            root: root.to_owned(),
            real_root,
            config,
            issues,
            seasons,
            problems,
            env: Environment::process(),
        })
    }

    /// The glossary of translations (`glossary.toml`; empty when there is none).
    pub fn glossary(&self) -> Result<weekly_translate::Glossary> {
        let path = self.root.join(GLOSSARY);
        if !path.exists() {
            return Ok(weekly_translate::Glossary::default());
        }
        let text = self.read_text(&path)?;
        Ok(weekly_translate::Glossary::parse(&text, GLOSSARY)?)
    }

    /// A path relative to the workspace root, for messages.
    pub fn display_path(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Reads a UTF-8 file of the workspace; a link that leads outside it is an error.
    pub fn read_text(&self, path: &Path) -> Result<String> {
        crate::files::read_text_inside(&self.real_root, path)
    }

    /// Reads a file of the workspace; a link that leads outside it is an error.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>> {
        crate::files::read_inside(&self.real_root, path)
    }

    /// False when a link takes `path` outside the workspace (or it cannot be resolved).
    pub fn is_inside(&self, path: &Path) -> bool {
        matches!(
            crate::files::real_path_inside(&self.real_root, path),
            Ok(Some(_))
        )
    }
}

/// The diagnostic for a workspace file that a link takes outside the workspace.
fn outside(path: &Path) -> Diagnostic {
    Diagnostic::error(
        "outside-link",
        0,
        0,
        "a link that leads outside the workspace; not read (copy the file in instead)",
    )
    .in_file(&path.display().to_string())
}

/// `templates/texts/<lang>/<key>.md` replaces the `[texts.<lang>]` value `<key>`.
/// Warns of what a configured language lacks to be shown in itself: the newsletter's name,
/// section names, the site's interface texts (a reader would meet another language there).
fn language_gaps(config: &Config, file: &str, problems: &mut Vec<Diagnostic>) {
    for lang in &config.languages {
        let mut lacks = Vec::new();
        if !config.name.contains_key(lang) {
            lacks.push(format!("`name.{lang}`"));
        }
        let sections: Vec<&str> = config
            .catalogue
            .sections
            .iter()
            .filter(|d| !d.names.iter().any(|(l, _)| l == lang))
            .map(|d| d.key.as_str())
            .collect();
        if !sections.is_empty() {
            lacks.push(format!(
                "a `names.{lang}` for the sections {}",
                sections.join(", ")
            ));
        }
        let labels = weekly_site::labels::missing(lang, config.texts.get(lang));
        if !labels.is_empty() {
            lacks.push(format!(
                "the site's interface texts (set `site_<key>` in `[texts.{lang}]` for {})",
                labels.join(", ")
            ));
        }
        if !lacks.is_empty() {
            problems.push(
                Diagnostic::warning(
                    "missing-translation",
                    0,
                    0,
                    format!(
                        "language `{lang}` lacks {}; readers of it would see another language there",
                        lacks.join("; ")
                    ),
                )
                .in_file(file),
            );
        }
    }
}

fn load_text_overrides(
    root: &Path,
    real_root: &Path,
    config: &mut Config,
    problems: &mut Vec<Diagnostic>,
) -> Result<()> {
    for lang_dir in sorted_entries(&root.join("templates/texts"))? {
        if !lang_dir.is_dir() {
            continue;
        }
        let code = lang_dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Some(lang) = Lang::new(code).filter(|l| config.languages.contains(l)) else {
            problems.push(
                Diagnostic::warning(
                    "unknown-language",
                    0,
                    0,
                    format!(
                        "`{code}` is not in `languages` of weekly.toml; its texts are not used"
                    ),
                )
                .in_file(&lang_dir.display().to_string()),
            );
            continue;
        };
        for file in sorted_entries(&lang_dir)? {
            let Some(key) = file
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".md"))
            else {
                continue;
            };
            if !matches!(
                crate::files::real_path_inside(real_root, &file),
                Ok(Some(_))
            ) {
                problems.push(outside(&file));
                continue;
            }
            let text = crate::files::read_text(&file)?;
            config
                .texts
                .entry(lang.clone())
                .or_default()
                .insert(key.to_owned(), text.trim_end().to_owned());
        }
    }
    Ok(())
}

/// The issue number and date a Markdown file of `dir` (`draft.md` first) gives in its header,
/// read the newsletter's way, with the file's name.
fn header_meta(dir: &Path, config: &Config) -> Option<(u32, IsoDate, String)> {
    let mut files = vec![dir.join("draft.md")];
    files.extend(
        sorted_entries(dir)
            .ok()?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    files.into_iter().filter(|p| p.is_file()).find_map(|path| {
        let text = std::fs::read_to_string(&path).ok()?;
        let name = path.file_name()?.to_string_lossy().into_owned();
        let parsed = weekly_parse::parse_document(
            &text,
            &weekly_parse::ParseOptions {
                file: &name,
                lang: &config.primary_language,
                catalogue: &config.catalogue,
            },
        );
        let document = parsed.document;
        let title = document.title()?;
        let number = config.catalogue.format.title_parts(title).number?;
        let date = match &document.header {
            Some(weekly_model::Header::FrontMatter(fm)) => {
                fm.pub_date.as_deref().and_then(IsoDate::parse_loose)
            }
            _ => None,
        }?;
        Some((number, date, name))
    })
}

/// The entries of `dir`, sorted; none when it does not exist.
pub fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut entries = Vec::new();
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("failed to list `{}`", dir.display()))?
    {
        entries.push(entry?.path());
    }
    entries.sort();
    Ok(entries)
}

fn load_issue(
    dir: &Path,
    real_root: &Path,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> Result<Option<IssueDir>> {
    let meta_path = dir.join("issue.toml");
    let file = meta_path.display().to_string();
    // The folder is resolved once; a file in it is resolved only when it is a link itself
    // (one `lstat` per file: 20,000 issues are 40,000 files).
    let dir_inside = matches!(
        crate::files::real_path_inside(real_root, dir),
        Ok(Some(_)) | Err(_)
    );
    let inside = |path: &Path| {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return dir_inside;
        }
        matches!(
            crate::files::real_path_inside(real_root, path),
            Ok(Some(_)) | Err(_)
        )
    };
    if !inside(&meta_path) {
        problems.push(outside(&meta_path));
        return Ok(None);
    }
    let text = match std::fs::read(&meta_path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let (offset, line) = crate::files::utf8_error_position(&e);
                problems.push(
                    Diagnostic::error(
                        "issue-toml",
                        line as u32,
                        1,
                        format!(
                            "not valid UTF-8 at byte {offset}; save it as UTF-8 (the issue is \
                             not built until then)"
                        ),
                    )
                    .in_file(&file),
                );
                return Ok(None);
            }
        },
        Err(e) => {
            let editions = sorted_entries(dir)?
                .iter()
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .count();
            let cause = if e.kind() == std::io::ErrorKind::NotFound {
                match header_meta(dir, config) {
                    Some((number, date, from)) => format!(
                        "missing `issue.toml`; `{from}` says issue {number} of {date}: write                          `number = {number}` and `date = \"{date}\"` on two lines into `{file}`                          (`weekly new` writes both for the next issue)"
                    ),
                    None => "missing `issue.toml` (with `number` and `date`; `weekly new` \
                             writes it for the next issue)"
                        .to_owned(),
                }
            } else {
                format!("cannot read `issue.toml`: {e}")
            };
            problems.push(
                Diagnostic::error(
                    "issue-toml",
                    0,
                    0,
                    format!(
                        "{cause}; the {editions} Markdown file{} of this folder are not built \
                         until it has one",
                        if editions == 1 { "" } else { "s" }
                    ),
                )
                .in_file(&file),
            );
            return Ok(None);
        }
    };
    let meta: IssueToml = match toml::from_str(&text) {
        Ok(meta) => meta,
        Err(e) => {
            let (line, column) = e.span().map_or((0, 0), |s| line_col(&text, s.start));
            problems.push(
                Diagnostic::error("issue-toml", line, column, e.message().trim().to_owned())
                    .in_file(&file),
            );
            return Ok(None);
        }
    };
    let Some(date) = IsoDate::parse(meta.date.get_ref()) else {
        let (line, column) = line_col(&text, meta.date.span().start);
        problems.push(
            Diagnostic::error(
                "issue-toml",
                line,
                column,
                format!(
                    "`date`: `{}` is not a date like `2024-05-18`",
                    meta.date.get_ref()
                ),
            )
            .in_file(&file),
        );
        return Ok(None);
    };
    let mut editions = Vec::new();
    for path in sorted_entries(dir)? {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        // `draft.md` is the bilingual draft that `weekly split` turns into editions.
        if name == "issue.toml" || name == "draft.md" || name.starts_with('.') {
            continue;
        }
        let (stem, teaser) = match name.strip_suffix(".teaser.md") {
            Some(stem) => (stem, true),
            None => (name.strip_suffix(".md").unwrap_or(""), false),
        };
        let is_markdown = Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        match Lang::new(stem) {
            Some(_) if is_markdown && !inside(&path) => problems.push(outside(&path)),
            Some(lang) if is_markdown => {
                if is_blank(&path) {
                    problems.push(
                        Diagnostic::error(
                            "empty-edition",
                            0,
                            0,
                            "the edition is empty; write it, or remove the file",
                        )
                        .in_file(&path.display().to_string()),
                    );
                }
                if !config.languages.contains(&lang) {
                    problems.push(
                        Diagnostic::warning(
                            "unknown-language",
                            0,
                            0,
                            format!("`{lang}` is not in `languages` of weekly.toml"),
                        )
                        .in_file(&path.display().to_string()),
                    );
                }
                editions.push(EditionFile { lang, teaser, path });
            }
            _ => problems.push(
                Diagnostic::warning(
                    "stray-file",
                    0,
                    0,
                    "not an edition file; expected `<lang>.md` or `<lang>.teaser.md`",
                )
                .in_file(&path.display().to_string()),
            ),
        }
    }
    let mut titles = BTreeMap::new();
    for (code, title) in meta.titles {
        match Lang::new(&code) {
            Some(lang) => {
                titles.insert(lang, title);
            }
            None => problems.push(
                Diagnostic::warning(
                    "unknown-language",
                    0,
                    0,
                    format!("`titles.{code}`: not a language code; ignored"),
                )
                .in_file(&file),
            ),
        }
    }
    Ok(Some(IssueDir {
        dir: dir.to_owned(),
        number: meta.number,
        date,
        editions,
        titles,
    }))
}

/// True for a file with nothing but white space (read only when it is small).
fn is_blank(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() <= 64)
        && std::fs::read(path).is_ok_and(|b| b.iter().all(u8::is_ascii_whitespace))
}

/// The order of the archive: numbers that repeat (an error naming both folders), dates that
/// go backwards as numbers go up (an error), numbers that are missing (a warning), and a jump
/// so large it can only be a typo (an error: `latest − free_after` decides which issues are
/// free, so `number = 4000000000` would make every paid issue free).
fn sequence(root: &Path, issues: &[IssueDir], problems: &mut Vec<Diagnostic>) {
    /// More issues missing at once than this is taken for a typo.
    const JUMP: u32 = 100;
    let at = |issue: &IssueDir| issue.dir.join("issue.toml").display().to_string();
    for pair in issues.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let shown = |dir: &Path| dir.strip_prefix(root).unwrap_or(dir).display().to_string();
        let (da, db) = (shown(&a.dir), shown(&b.dir));
        if a.number == b.number {
            problems.push(
                Diagnostic::error(
                    "issue-number",
                    0,
                    0,
                    format!("issue #{} is in both `{da}` and `{db}`", a.number),
                )
                .in_file(&at(b)),
            );
            continue;
        }
        if b.date < a.date {
            problems.push(
                Diagnostic::error(
                    "issue-date-order",
                    0,
                    0,
                    format!(
                        "#{} is dated {} but #{} in `{da}` is dated {}: dates go backwards",
                        b.number, b.date, a.number, a.date
                    ),
                )
                .in_file(&at(b)),
            );
        }
        let missing = b.number - a.number - 1;
        if missing > JUMP {
            problems.push(
                Diagnostic::error(
                    "issue-jump",
                    0,
                    0,
                    format!(
                        "#{} follows #{} in `{da}`: {missing} issues missing looks like a typo \
                         in `number`, and would change which issues are free",
                        b.number, a.number
                    ),
                )
                .in_file(&at(b)),
            );
        } else if missing > 0 {
            let which = if missing == 1 {
                format!("#{}", a.number + 1)
            } else {
                format!("#{}–#{}", a.number + 1, b.number - 1)
            };
            problems.push(
                Diagnostic::warning(
                    "issue-gap",
                    0,
                    0,
                    format!("{which} missing between `{da}` and `{db}`"),
                )
                .in_file(&at(b)),
            );
        }
    }
}

fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let (line, column) = config::position(text, offset);
    (line as u32, column as u32)
}

/// The directory name of issue `number`.
pub fn issue_dir_name(number: u32) -> String {
    format!("{number:04}")
}
