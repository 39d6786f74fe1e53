//! `[import]` of `weekly.toml`: where `weekly import` finds an archive's issues.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;
use weekly_model::Lang;

/// `[import]`: where `weekly import SRC` finds the issues of an archive laid out in this
/// newsletter's way. Without `files`, the archive is read as Python Trending Weekly's
/// repository (`layout = "python-weekly"`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportConfig {
    /// `python-weekly`: the built-in reader of that repository's layout; `files`: the files the
    /// `files` patterns name. Empty: `files` when patterns are given, else `python-weekly`.
    pub layout: String,
    /// The files that are issues, relative to the archive: patterns with `{number}`, `{date}`,
    /// `*` and `**` (see [`crate::import::pattern`]), as strings (editions in the primary
    /// language) or tables `{ pattern, lang, edition }`; the first pattern a file matches
    /// decides.
    pub files: Vec<ImportFiles>,
    /// Patterns of files that are not issues (a `pages/` folder): never read, listed.
    pub skip: Vec<String>,
    /// Header values an issue has (`{ Category = "This Week in Rust" }`): a file whose header
    /// gives one of these keys another value is not an issue (skipped and listed).
    pub skip_unless: BTreeMap<String, String>,
    /// Where an issue's number comes from, in order: `header` (`[format] number_keys`),
    /// `file` (`{number}` in the pattern), `title` (`[format] titles`), `readme`.
    pub number: Vec<String>,
    /// Where an issue's date comes from, in order: `header` (`[format] date_keys`), `file`
    /// (`{date}`), `title` (a `YYYY-MM-DD` in it), `dates` (the `dates` table), `git` (the day
    /// the file was added to the archive's git history).
    pub date: Vec<String>,
    /// A table of dates: lines `path<TAB>date` (paths relative to the archive; other lines,
    /// such as a header, are ignored).
    pub dates: String,
    /// READMEs whose lists name issues: a line with a link to an issue file gives that file's
    /// theme (the link's text) where its own title has none, and its number (the first number
    /// before the link) for `number = ["readme"]`.
    pub readme: Vec<String>,
    /// Patterns of season files, copied into `seasons/`.
    pub seasons: Vec<String>,
}

/// One `[import] files` item: a pattern, or a table with the language and edition of its files.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ImportFiles {
    /// Files of the primary language; full text or teaser as their content says.
    Pattern(String),
    /// `{ pattern = "docs/en/{date}.md", lang = "en", edition = "teaser" }`.
    Table(ImportFilesTable),
}

/// The table form of an `[import] files` item.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportFilesTable {
    /// The pattern.
    pub pattern: String,
    /// Language of the files (default: the primary language).
    #[serde(default)]
    pub lang: Option<String>,
    /// `full`, `teaser` or `auto` (the default: as the content says).
    #[serde(default)]
    pub edition: Option<String>,
}

impl ImportFiles {
    /// The pattern.
    pub fn pattern(&self) -> &str {
        match self {
            ImportFiles::Pattern(p) => p,
            ImportFiles::Table(t) => &t.pattern,
        }
    }

    /// The language code given, if any.
    pub fn lang(&self) -> Option<&str> {
        match self {
            ImportFiles::Pattern(_) => None,
            ImportFiles::Table(t) => t.lang.as_deref(),
        }
    }

    /// The edition given: `full`, `teaser` or `auto`.
    pub fn edition(&self) -> &str {
        match self {
            ImportFiles::Pattern(_) => "auto",
            ImportFiles::Table(t) => t.edition.as_deref().unwrap_or("auto"),
        }
    }
}

impl ImportConfig {
    /// True when the archive is read as Python Trending Weekly's repository.
    pub fn is_python_weekly(&self) -> bool {
        self.layout == "python-weekly" || (self.layout.is_empty() && self.files.is_empty())
    }

    /// What is wrong with the table, if anything.
    pub(super) fn validate(&self, languages: &[Lang]) -> Result<(), String> {
        use crate::import::pattern::Pattern;
        match self.layout.as_str() {
            "" | "files" | "python-weekly" => {}
            other => {
                return Err(format!(
                    "`import.layout`: `{other}` is not `files` or `python-weekly`"
                ));
            }
        }
        if self.layout == "python-weekly" && !self.files.is_empty() {
            return Err(
                "`import`: `layout = \"python-weekly\"` reads that repository's own layout; \
                 leave out `files`, or set `layout = \"files\"`"
                    .into(),
            );
        }
        if self.layout == "files" && self.files.is_empty() {
            return Err("`import.files`: name the files that are issues".into());
        }
        for files in &self.files {
            Pattern::new(files.pattern()).map_err(|e| format!("`import.files`: {e}"))?;
            if let Some(code) = files.lang()
                && !Lang::new(code).is_some_and(|l| languages.contains(&l))
            {
                return Err(format!(
                    "`import.files`: `lang = \"{code}\"` is not one of `languages`"
                ));
            }
            if !matches!(files.edition(), "auto" | "full" | "teaser") {
                return Err(format!(
                    "`import.files`: `edition = \"{}\"` is not `auto`, `full` or `teaser`",
                    files.edition()
                ));
            }
        }
        for (key, patterns) in [("skip", &self.skip), ("seasons", &self.seasons)] {
            for p in patterns {
                Pattern::new(p).map_err(|e| format!("`import.{key}`: {e}"))?;
            }
        }
        for n in &self.number {
            if !matches!(n.as_str(), "header" | "file" | "title" | "readme") {
                return Err(format!(
                    "`import.number`: `{n}` is not `header`, `file`, `title` or `readme`"
                ));
            }
        }
        for d in &self.date {
            if !matches!(d.as_str(), "header" | "file" | "title" | "dates" | "git") {
                return Err(format!(
                    "`import.date`: `{d}` is not `header`, `file`, `title`, `dates` or `git`"
                ));
            }
        }
        if self.date.iter().any(|d| d == "dates") && self.dates.trim().is_empty() {
            return Err("`import.date` lists `dates`: name the table in `import.dates`".into());
        }
        Ok(())
    }
}

pub(super) fn default_import() -> Spanned<ImportConfig> {
    Spanned::new(0..0, ImportConfig::default())
}
