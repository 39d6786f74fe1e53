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

/// Writes built files into a fresh directory beside `out` (on a thread of its own, so the
/// disk works while pages are rendered), then swaps it in.
#[derive(Debug)]
pub struct DirSink {
    staging: PathBuf,
    out: PathBuf,
    sender: Option<std::sync::mpsc::SyncSender<(PathBuf, Vec<u8>)>>,
    writer: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

fn write_all(files: &std::sync::mpsc::Receiver<(PathBuf, Vec<u8>)>) -> std::io::Result<()> {
    let mut dirs = std::collections::HashSet::new();
    for (path, bytes) in files {
        if let Some(parent) = path.parent()
            && !dirs.contains(parent)
        {
            std::fs::create_dir_all(parent)?;
            dirs.insert(parent.to_owned());
        }
        std::fs::write(&path, bytes)
            .map_err(|e| std::io::Error::new(e.kind(), format!("`{}`: {e}", path.display())))?;
    }
    Ok(())
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
        let (sender, receiver) = std::sync::mpsc::sync_channel(256);
        let writer = std::thread::spawn(move || write_all(&receiver));
        Ok(DirSink {
            staging,
            out: out.to_owned(),
            sender: Some(sender),
            writer: Some(writer),
        })
    }

    fn flush(&mut self) -> Result<()> {
        self.sender.take();
        if let Some(writer) = self.writer.take() {
            writer
                .join()
                .map_err(|_| anyhow::anyhow!("the file writer stopped"))?
                .context("cannot write the site")?;
        }
        Ok(())
    }

    /// Puts the finished build in place of `out`.
    pub fn finish(mut self) -> Result<()> {
        if let Err(error) = self.flush() {
            std::fs::remove_dir_all(&self.staging).ok();
            return Err(error);
        }
        let old = self.out.with_file_name(format!(
            ".{}.old-{}",
            self.out
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
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
    pub fn abandon(mut self) {
        self.flush().ok();
        std::fs::remove_dir_all(&self.staging).ok();
    }
}

impl weekly_site::Sink for DirSink {
    fn write(&mut self, path: &str, bytes: &[u8]) -> Result<(), weekly_site::SiteError> {
        let sent = self
            .sender
            .as_ref()
            .is_some_and(|s| s.send((self.staging.join(path), bytes.to_vec())).is_ok());
        if sent {
            return Ok(());
        }
        // The writer stopped: its error is the one to report.
        let message = match self.writer.take().map(std::thread::JoinHandle::join) {
            Some(Ok(Err(e))) => e.to_string(),
            _ => "the file writer stopped".to_owned(),
        };
        Err(weekly_site::SiteError::Write {
            path: path.to_owned(),
            message,
        })
    }
}

/// Word counts of season texts by fingerprint, kept between builds.
pub type WordCache = HashMap<u64, Vec<(String, u32)>>;

/// The file of the output directory holding the word counts of the last build.
const WORD_CACHE: &str = ".weekly-words.json";

/// The word counts an earlier build left in `out` (empty when there are none or they do not
/// read: they are only a cache).
pub fn read_word_cache(out: &Path) -> WordCache {
    std::fs::read(out.join(WORD_CACHE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<(u64, Vec<(String, u32)>)>>(&bytes).ok())
        .map(|rows| rows.into_iter().collect())
        .unwrap_or_default()
}

impl DirSink {
    /// Stores the word counts with the build.
    pub fn keep_word_cache(&self, cache: &WordCache) -> Result<()> {
        let rows: Vec<(&u64, &Vec<(String, u32)>)> = cache.iter().collect();
        std::fs::write(self.staging.join(WORD_CACHE), serde_json::to_vec(&rows)?)
            .with_context(|| format!("cannot write `{WORD_CACHE}`"))
    }
}
