//! The parsed archive: every issue of a workspace with its editions parsed, and the per-issue
//! figures (counts, word counts) the editions and statistics are made of.

use crate::workspace::{IssueDir, Workspace};
use anyhow::Result;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use weekly_model::{Document, IsoDate, Lang, Severity};
use weekly_parse::{ParseOptions, parse_document};
use weekly_stats::IssueStats;

/// One parsed edition file.
#[derive(Debug)]
pub struct Edition {
    /// Language.
    pub lang: Lang,
    /// True for a teaser.
    pub teaser: bool,
    /// The file.
    pub path: PathBuf,
    /// The parsed document (shared with the parse cache of `weekly serve`).
    pub document: Arc<Document>,
}

/// One issue with its parsed editions.
#[derive(Debug)]
pub struct Issue {
    /// Issue number.
    pub number: u32,
    /// Publication date.
    pub date: IsoDate,
    /// Editions in file order (language, then full before teaser).
    pub editions: Vec<Edition>,
    /// Themes per language from `issue.toml` `titles`.
    pub titles: std::collections::BTreeMap<Lang, String>,
}

impl Issue {
    /// The full text in `lang`.
    pub fn full(&self, lang: &Lang) -> Option<&Edition> {
        self.editions.iter().find(|e| &e.lang == lang && !e.teaser)
    }

    /// The teaser in `lang`.
    pub fn teaser(&self, lang: &Lang) -> Option<&Edition> {
        self.editions.iter().find(|e| &e.lang == lang && e.teaser)
    }

    /// The full text in `lang`, else its teaser.
    pub fn best(&self, lang: &Lang) -> Option<&Edition> {
        self.full(lang).or_else(|| self.teaser(lang))
    }

    /// Figures of this issue from `edition`, the other editions standing in for claims it
    /// lacks.
    pub fn stats_from(&self, edition: &Edition, workspace: &Workspace) -> IssueStats {
        let others: Vec<&Document> = self
            .editions
            .iter()
            .filter(|e| !std::ptr::eq(*e, edition))
            .map(|e| &*e.document)
            .collect();
        weekly_stats::issue_stats(
            self.number,
            self.date,
            &edition.document,
            &others,
            &workspace.config.catalogue,
        )
    }

    /// The edition an issue's figures come from: the primary language's full text, else any
    /// full text, else the primary teaser, else any teaser.
    pub fn counted(&self, primary: &Lang) -> Option<&Edition> {
        self.full(primary)
            .or_else(|| self.editions.iter().find(|e| !e.teaser))
            .or_else(|| self.teaser(primary))
            .or_else(|| self.editions.first())
    }
}

/// A parsed file: its document and whether the parse reported errors.
#[derive(Debug, Clone)]
struct Parsed {
    document: Arc<Document>,
    /// The parser's errors (file names relative to the workspace).
    errors: Arc<Vec<weekly_model::Diagnostic>>,
}

/// Parsed files by path with the text they were parsed from, kept between builds by
/// `weekly serve` so that only changed files are parsed again.
#[derive(Debug, Default)]
pub struct ParseCache {
    files: HashMap<PathBuf, (String, Parsed)>,
    /// True when the documents are only read (the site): their source text is dropped.
    reading_only: bool,
    /// True when the files are kept for the next load (`weekly serve`).
    remember: bool,
}

impl ParseCache {
    /// A cache for readers that never write a document back: the source text kept for
    /// lossless writing is dropped as soon as a file is parsed.
    pub fn reading_only() -> ParseCache {
        ParseCache {
            reading_only: true,
            ..ParseCache::default()
        }
    }

    /// Keeps the files of each load for the next one (only their changes are parsed again).
    #[must_use]
    pub fn remembering(mut self) -> ParseCache {
        self.remember = true;
        self
    }
}

/// The parsed issues of a workspace.
#[derive(Debug)]
pub struct Archive {
    /// Issues sorted by number (those loaded).
    pub issues: Vec<Issue>,
    /// The latest issue number of the workspace, loaded or not (0 when empty).
    latest: u32,
    /// Files whose parse reported errors (run `weekly check` for details).
    pub files_with_errors: Vec<String>,
    /// The parser's errors in those files.
    pub parse_errors: Vec<weekly_model::Diagnostic>,
}

impl Archive {
    /// The errors that change what readers see, so that `build` and `serve` stop on them (the
    /// same messages as `weekly check`): the workspace's (identity and order of issues, empty
    /// editions, links out of the workspace) and the parser's. The archive rules `check` adds
    /// (counts, translations, entry numbering) are left to `check`: the real archive breaks
    /// some of them and its site is still right.
    pub fn blocking(&self, workspace: &Workspace) -> Vec<weekly_model::Diagnostic> {
        let mut errors: Vec<weekly_model::Diagnostic> = workspace
            .problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                let file = workspace.display_path(std::path::Path::new(&d.file));
                d.clone().in_file(&file)
            })
            .chain(self.parse_errors.iter().cloned())
            .collect();
        // As `weekly check` reports them: `[check]` may have made some warnings.
        workspace.config.check.apply(&mut errors);
        errors.retain(|d| d.severity == Severity::Error);
        errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        errors
    }
}

impl Archive {
    /// Reads and parses every edition of every issue.
    pub fn load(workspace: &Workspace) -> Result<Archive> {
        Archive::load_only(workspace, |_| true)
    }

    /// Reads and parses the editions of the issues whose number passes `wanted`.
    pub fn load_only(workspace: &Workspace, wanted: impl Fn(u32) -> bool) -> Result<Archive> {
        Archive::load_cached(workspace, wanted, &mut ParseCache::default())
    }

    /// Like [`Archive::load_only`], parsing only the files whose text is not in `cache` (which,
    /// when remembering, then holds the files read this time). Files are parsed on every core.
    pub fn load_cached(
        workspace: &Workspace,
        wanted: impl Fn(u32) -> bool,
        cache: &mut ParseCache,
    ) -> Result<Archive> {
        let dirs: Vec<&IssueDir> = workspace
            .issues
            .iter()
            .filter(|d| wanted(d.number))
            .collect();
        let mut texts = Vec::new();
        for dir in &dirs {
            for file in &dir.editions {
                // Checked to be inside the workspace when it was listed (`Workspace::load`).
                texts.push((file, crate::files::read_text(&file.path)?));
            }
        }
        let stale: Vec<usize> = texts
            .iter()
            .enumerate()
            .filter(|(_, (file, text))| {
                cache
                    .files
                    .get(&file.path)
                    .is_none_or(|(cached, _)| cached != text)
            })
            .map(|(i, _)| i)
            .collect();
        let parsed = weekly_model::par::map(&stale, |&i| {
            let (file, text) = &texts[i];
            let shown = workspace.display_path(&file.path);
            let parsed = parse_document(
                text,
                &ParseOptions {
                    file: &shown,
                    lang: &file.lang,
                    catalogue: &workspace.config.catalogue,
                },
            );
            let mut document = parsed.document;
            if cache.reading_only {
                document.drop_sources();
            }
            let errors: Vec<_> = parsed
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.in_file(&shown))
                .collect();
            Parsed {
                document: Arc::new(document),
                errors: Arc::new(errors),
            }
        });
        let mut fresh: HashMap<PathBuf, Parsed> = HashMap::new();
        for (i, parsed) in stale.into_iter().zip(parsed) {
            fresh.insert(texts[i].0.path.clone(), parsed);
        }
        let mut kept = HashMap::new();
        let mut files_with_errors = Vec::new();
        let mut parse_errors = Vec::new();
        let mut texts = texts.into_iter();
        let mut issues = Vec::with_capacity(dirs.len());
        for dir in dirs {
            let mut editions = Vec::with_capacity(dir.editions.len());
            for (file, text) in texts.by_ref().take(dir.editions.len()) {
                let parsed = match fresh.remove(&file.path) {
                    Some(parsed) => parsed,
                    None => cache.files.remove(&file.path).expect("cached parse").1,
                };
                if !parsed.errors.is_empty() {
                    files_with_errors.push(workspace.display_path(&file.path));
                    parse_errors.extend(parsed.errors.iter().cloned());
                }
                editions.push(Edition {
                    lang: file.lang.clone(),
                    teaser: file.teaser,
                    path: file.path.clone(),
                    document: parsed.document.clone(),
                });
                if cache.remember {
                    kept.insert(file.path.clone(), (text, parsed));
                }
            }
            issues.push(Issue {
                number: dir.number,
                date: dir.date,
                titles: dir.titles.clone(),
                editions,
            });
        }
        cache.files = kept;
        Ok(Archive {
            issues,
            latest: workspace.issues.last().map_or(0, |i| i.number),
            files_with_errors,
            parse_errors,
        })
    }

    /// The issue numbered `number`.
    pub fn issue(&self, number: u32) -> Option<&Issue> {
        self.issues.iter().find(|i| i.number == number)
    }

    /// The latest issue number of the workspace (0 when empty).
    pub fn latest(&self) -> u32 {
        self.latest
    }

    /// Figures of every issue (see [`Issue::counted`] for the edition they come from), word
    /// counts included.
    pub fn stats(&self, workspace: &Workspace) -> Result<Vec<IssueStats>> {
        self.figures(workspace, |_| true)
    }

    /// Figures of every issue, with word counts for the issues `words` picks (the others'
    /// are zero: counting words is the costly part). An issue whose primary-language full text
    /// the workspace lacks is counted from its part in a primary-language season collection
    /// when there is one (see [`crate::collected`]), and an issue that only a collection holds
    /// is counted too.
    pub fn figures(
        &self,
        workspace: &Workspace,
        words: impl Fn(u32) -> bool,
    ) -> Result<Vec<IssueStats>> {
        let primary = &workspace.config.primary_language;
        let catalogue = &workspace.config.catalogue;
        let mut parts = crate::collected::collected_parts(workspace)?;
        let mut out: Vec<IssueStats> = Vec::with_capacity(self.issues.len());
        for issue in &self.issues {
            let part = parts.remove(&issue.number);
            let collected = part.as_ref().filter(|_| issue.full(primary).is_none());
            let (document, others): (&Document, Vec<&Document>) = if let Some(part) = collected {
                (
                    &part.document,
                    issue.editions.iter().map(|e| &*e.document).collect(),
                )
            } else {
                let Some(edition) = issue.counted(primary) else {
                    continue;
                };
                let others = issue
                    .editions
                    .iter()
                    .filter(|e| !std::ptr::eq(*e, edition))
                    .map(|e| &*e.document)
                    .collect();
                (&*edition.document, others)
            };
            let mut stats =
                weekly_stats::issue_counts(issue.number, issue.date, document, &others, catalogue);
            if words(issue.number) {
                stats.words = weekly_stats::word_counts(document);
            }
            out.push(stats);
        }
        for (number, part) in parts {
            let Some(date) = part.date else {
                continue;
            };
            let mut stats =
                weekly_stats::issue_counts(number, date, &part.document, &[], catalogue);
            if words(number) {
                stats.words = weekly_stats::word_counts(&part.document);
            }
            out.push(stats);
        }
        out.sort_by_key(|s| s.number);
        Ok(out)
    }
}

/// A build (or an announcement) refused because of errors that change what readers see; the
/// errors go with it so that a front end can show them.
#[derive(Debug)]
pub struct Blocked {
    message: String,
    /// The errors.
    pub diagnostics: Vec<weekly_model::Diagnostic>,
}

impl Blocked {
    /// The refusal said by `message`, for `diagnostics`.
    pub fn new(message: String, diagnostics: Vec<weekly_model::Diagnostic>) -> Blocked {
        Blocked {
            message,
            diagnostics,
        }
    }
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Blocked {}
