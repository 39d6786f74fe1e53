//! Wires the workspace to `weekly-site`: the parsed archive becomes a `SiteInput`, the
//! workspace's `templates/` override the built-in templates and stop words, and the built files
//! land in a directory, replacing the previous build only once the new one is complete.

use crate::archive::Archive;
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use weekly_model::Counts;
use weekly_site::{EditionInput, IssueInput, Override, SiteConfig, SiteInput, Templates};

/// The marker file of a directory `weekly build` wrote (only such a directory is replaced).
pub const MARKER: &str = ".weekly-site";

/// Templates of the workspace, compiled over the built-in ones.
pub fn templates(workspace: &Workspace) -> Result<Templates> {
    let mut overrides = BTreeMap::new();
    for name in weekly_site::templates::names() {
        let path = workspace.root.join("templates").join(name);
        if path.is_file() {
            overrides.insert(
                name.to_owned(),
                Override {
                    file: workspace.display_path(&path),
                    source: crate::files::read_text(&path)?,
                },
            );
        }
    }
    Ok(Templates::new(&overrides)?)
}

/// The stop words of the word clouds: the workspace's `templates/stopwords.txt`, else ours.
pub fn stop_words(workspace: &Workspace) -> Result<String> {
    let path = workspace.root.join("templates").join("stopwords.txt");
    if path.is_file() {
        crate::files::read_text(&path)
    } else {
        Ok(weekly_site::cloud::STOP_WORDS.to_owned())
    }
}

/// The site input of a loaded archive.
pub fn input<'a>(
    workspace: &'a Workspace,
    archive: &'a Archive,
    full: bool,
    stop_words: String,
) -> SiteInput<'a> {
    let config = &workspace.config;
    let issues = archive
        .issues
        .iter()
        .map(|issue| IssueInput {
            number: issue.number,
            date: issue.date,
            editions: issue
                .editions
                .iter()
                .map(|e| EditionInput {
                    lang: &e.lang,
                    teaser: e.teaser,
                    document: &e.document,
                })
                .collect(),
            counts: issue
                .counted(&config.primary_language)
                .map_or_else(Counts::default, |e| {
                    Counts::of(&e.document, &config.catalogue)
                }),
        })
        .collect();
    SiteInput {
        config: SiteConfig {
            name: config.name.clone(),
            base_url: config.base_url.clone(),
            primary: config.primary_language.clone(),
            languages: config.languages.clone(),
            season_length: config.season_length,
            free_after: config.free_after,
            star_badge_threshold: config.star_badge_threshold,
            catalogue: config.catalogue.clone(),
            texts: config.texts.clone(),
            full,
            stop_words,
            feed_items: 20,
        },
        issues,
    }
}

/// Writes built files into a fresh directory beside `out`, then swaps it in.
#[derive(Debug)]
pub struct DirSink {
    staging: PathBuf,
    out: PathBuf,
    dirs: std::collections::HashSet<PathBuf>,
}

impl DirSink {
    /// Prepares the staging directory. `out` must be absent, empty, or an earlier build.
    pub fn new(out: &Path) -> Result<DirSink> {
        if out.exists() {
            let empty = std::fs::read_dir(out)
                .with_context(|| format!("cannot read `{}`", out.display()))?
                .next()
                .is_none();
            if !empty && !out.join(MARKER).is_file() {
                bail!(
                    "`{}` exists and was not written by `weekly build` (no `{MARKER}` in it); \
                     choose another `--out` or empty it",
                    out.display()
                );
            }
        }
        let name = out
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        let staging = out.with_file_name(format!(".{name}.building-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).ok();
        }
        std::fs::create_dir_all(&staging)
            .with_context(|| format!("cannot create `{}`", staging.display()))?;
        std::fs::write(staging.join(MARKER), "written by `weekly build`\n")?;
        Ok(DirSink {
            staging,
            out: out.to_owned(),
            dirs: std::collections::HashSet::new(),
        })
    }

    /// Puts the finished build in place of `out`.
    pub fn finish(self) -> Result<()> {
        let old = self.out.with_file_name(format!(
            ".{}.old-{}",
            self.out.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        if self.out.exists() {
            std::fs::rename(&self.out, &old)
                .with_context(|| format!("cannot move `{}` aside", self.out.display()))?;
        }
        std::fs::rename(&self.staging, &self.out)
            .with_context(|| format!("cannot move the new site to `{}`", self.out.display()))?;
        if old.exists() {
            std::fs::remove_dir_all(&old).ok();
        }
        Ok(())
    }

    /// Removes the unfinished build.
    pub fn abandon(self) {
        std::fs::remove_dir_all(&self.staging).ok();
    }
}

impl weekly_site::Sink for DirSink {
    fn write(&mut self, path: &str, bytes: &[u8]) -> Result<(), weekly_site::SiteError> {
        let target = self.staging.join(path);
        let error = |e: std::io::Error| weekly_site::SiteError::Write {
            path: path.to_owned(),
            message: e.to_string(),
        };
        if let Some(parent) = target.parent()
            && !self.dirs.contains(parent)
        {
            std::fs::create_dir_all(parent).map_err(error)?;
            self.dirs.insert(parent.to_owned());
        }
        std::fs::write(&target, bytes).map_err(error)
    }
}

/// Word counts kept between builds of one process (`serve`).
pub type WordCache = HashMap<u64, Vec<(String, u32)>>;
