//! Wires the workspace to `weekly-site`: the parsed archive becomes a `SiteInput`, the
//! workspace's `templates/` override the built-in templates and stop words, and the season word
//! clouds are cached in the workspace between builds; the files of `static/` go into the site as
//! they are.

use crate::archive::Archive;
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use weekly_model::Counts;
use weekly_site::build::CloudCache;
use weekly_site::cloud::Cloud;
use weekly_site::{
    EditionInput, IssueInput, Override, SeasonFile, Sink, SiteConfig, SiteError, SiteInput,
    Templates,
};

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
                    source: workspace.read_text(&path)?,
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
        workspace.read_text(&path)
    } else {
        Ok(weekly_site::cloud::STOP_WORDS.to_owned())
    }
}

/// The largest season file published (an e-book with its images stays far below).
const MAX_SEASON_FILE: u64 = 256 << 20;

/// The files of `seasons/` the site publishes (see [`SeasonFile`]): regular files only (no
/// link is followed), in a configured language, read whole.
pub fn season_files(workspace: &Workspace) -> Result<Vec<SeasonFile>> {
    let dir = workspace.root.join("seasons");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((season, lang, _)) = SeasonFile::parse_name(&name) else {
            continue;
        };
        let Some(lang) = workspace
            .config
            .languages
            .iter()
            .find(|l| l.as_str() == lang)
        else {
            continue;
        };
        let meta = std::fs::symlink_metadata(entry.path())?;
        if !meta.is_file() {
            continue;
        }
        if meta.len() > MAX_SEASON_FILE {
            anyhow::bail!(
                "`{}` is {} MiB: season files above {} MiB are not published",
                workspace.display_path(&entry.path()),
                meta.len() >> 20,
                MAX_SEASON_FILE >> 20
            );
        }
        out.push(SeasonFile {
            season,
            lang: lang.clone(),
            name,
            bytes: std::fs::read(entry.path())?,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The site input of a loaded archive (without the season files: see [`season_files`]).
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
            titles: &issue.titles,
            editions: issue
                .editions
                .iter()
                .map(|e| EditionInput {
                    lang: &e.lang,
                    teaser: e.teaser,
                    document: &e.document,
                })
                .collect(),
            // As `weekly stats` counts them: a section without entries takes the number its
            // prose claims ("本期赠书 5 本"), so the season page agrees with the wrap-up.
            counts: issue
                .counted(&config.primary_language)
                .map_or_else(Counts::default, |e| {
                    let others: Vec<&weekly_model::Document> = issue
                        .editions
                        .iter()
                        .filter(|o| !std::ptr::eq(*o, e))
                        .map(|o| &*o.document)
                        .collect();
                    weekly_stats::issue::issue_counts(
                        issue.number,
                        issue.date,
                        &e.document,
                        &others,
                        &config.catalogue,
                    )
                    .counts
                }),
        })
        .collect();
    SiteInput {
        config: SiteConfig {
            name: config.name.clone(),
            base_url: config.base_url.clone(),
            primary: config.primary_language.clone(),
            languages: config.languages.clone(),
            seasons: config.seasons.clone(),
            free_after: config.free_after,
            star_badge_threshold: config.star_badge_threshold,
            catalogue: config.catalogue.clone(),
            texts: config.texts.clone(),
            full,
            stop_words,
            feed_items: 20,
            subscribe_action: config.server.subscribe_url().unwrap_or_default(),
            paid_urls: config
                .languages
                .iter()
                .filter_map(|l| Some((l.clone(), config.site.paid_url(l)?)))
                .collect(),
            og_images: config.site.og_images,
        },
        issues,
        season_files: Vec::new(),
    }
}

/// The file of the workspace holding the word clouds of the last build (a cache: deleting it
/// only makes the next build segment the season texts and place their words again).
pub const CLOUD_CACHE: &str = ".weekly-cache/site-clouds.json";

/// The word clouds an earlier build left in the workspace (empty when there are none or they
/// do not read).
pub fn read_cloud_cache(workspace: &Workspace) -> CloudCache {
    std::fs::read(workspace.root.join(CLOUD_CACHE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<(u64, Cloud)>>(&bytes).ok())
        .map(|rows| rows.into_iter().collect())
        .unwrap_or_default()
}

/// Keeps the word clouds of this build for the next one, when they changed.
pub fn keep_cloud_cache(workspace: &Workspace, old: &CloudCache, new: &CloudCache) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let path = workspace.root.join(CLOUD_CACHE);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
    }
    let mut rows: Vec<(&u64, &Cloud)> = new.iter().collect();
    rows.sort_by_key(|(key, _)| **key);
    crate::files::write_atomic(&path, &serde_json::to_string(&rows)?)
}

/// The workspace folder whose files go into the site as they are (images, a favicon,
/// `CNAME`, `.well-known/`…).
pub const STATIC_DIR: &str = "static";

/// A file of the workspace's `static/` folder.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Its path in the site (`/`-separated, relative).
    pub site_path: String,
    /// Its path on disk.
    pub path: PathBuf,
}

/// The files of the workspace's `static/` folder in name order (none when there is no such
/// folder), and the workspace paths of the links it skipped. Hidden files and folders
/// (`.DS_Store`, `.git`) are left out, except `.well-known`. A link is followed only when it
/// leads to a file or folder inside the workspace: `static/env.txt -> /proc/self/environ` would
/// otherwise publish the build's secrets.
pub fn static_files(workspace: &Workspace) -> Result<(Vec<StaticFile>, Vec<String>)> {
    let root = workspace.root.join(STATIC_DIR);
    if !root.is_dir() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut skipped = Vec::new();
    if !workspace.is_inside(&root) {
        skipped.push(workspace.display_path(&root));
        return Ok((Vec::new(), skipped));
    }
    let hidden = |name: &std::ffi::OsStr| {
        let name = name.to_string_lossy();
        name.starts_with('.') && name != ".well-known"
    };
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && hidden(e.file_name()) {
                return false;
            }
            // A link that leaves the workspace is neither read nor descended into.
            if e.path_is_symlink() && !workspace.is_inside(e.path()) {
                skipped.push(workspace.display_path(e.path()));
                return false;
            }
            true
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let at = e.path().map_or_else(
                || workspace.display_path(&root),
                |p| workspace.display_path(p),
            );
            anyhow::anyhow!("cannot read `{at}`: {e}")
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(&root).unwrap_or(entry.path());
        let Some(site_path) = relative.to_str() else {
            bail!(
                "`{}`: a site file name must be UTF-8; rename it",
                workspace.display_path(entry.path())
            );
        };
        files.push(StaticFile {
            site_path: site_path.replace('\\', "/"),
            path: entry.into_path(),
        });
    }
    Ok((files, skipped))
}

/// A sink in front of another that leaves out the files `static/` replaces and, at
/// [`WithStatic::finish`], adds the static files (or gives them back unread:
/// [`WithStatic::into_files`]).
pub struct WithStatic<'s> {
    inner: &'s mut dyn Sink,
    files: Vec<StaticFile>,
    paths: HashSet<String>,
    replaced: Vec<String>,
}

impl std::fmt::Debug for WithStatic<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithStatic")
            .field("files", &self.files.len())
            .field("replaced", &self.replaced)
            .finish_non_exhaustive()
    }
}

impl<'s> WithStatic<'s> {
    /// `files` (from [`static_files`]) in front of `inner`.
    pub fn new(inner: &'s mut dyn Sink, files: Vec<StaticFile>) -> Self {
        let paths = files.iter().map(|f| f.site_path.clone()).collect();
        Self {
            inner,
            files,
            paths,
            replaced: Vec::new(),
        }
    }

    /// The static files, not written (for `weekly serve`, which reads them when asked).
    pub fn into_files(self) -> Vec<StaticFile> {
        self.files
    }

    /// Writes the static files; returns how many there were and the files of the site that
    /// static files replaced.
    pub fn finish(self, workspace: &Workspace) -> Result<(usize, Vec<String>)> {
        let count = self.files.len();
        for file in self.files {
            // Checked again as it is read: a file may have become a link since it was listed.
            let bytes = workspace
                .read(&file.path)
                .with_context(|| format!("cannot read `{}`", file.path.display()))?;
            self.inner.write(&file.site_path, bytes)?;
        }
        Ok((count, self.replaced))
    }
}

/// What decides a page besides its template and values: this program. The version and the
/// executable's length and time, so that a rebuilt `weekly` renders every page once (a key of
/// its own each run when the executable cannot be read: nothing is kept).
pub fn program_salt() -> weekly_site::Key {
    let mut hasher = weekly_site::memo::KeyHasher::new(0);
    hasher.add_bytes(env!("CARGO_PKG_VERSION").as_bytes());
    let exe = std::env::current_exe().and_then(std::fs::metadata);
    if let Ok(meta) = exe {
        hasher.add_bytes(&meta.len().to_le_bytes());
        let time = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        hasher.add_bytes(&time.to_le_bytes());
    } else {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        hasher.add_bytes(&now.to_le_bytes());
        hasher.add_bytes(&std::process::id().to_le_bytes());
    }
    hasher.finish()
}

impl WithStatic<'_> {
    /// The folder of `path` that `static/` has as a file, if any.
    fn static_folder<'p>(&self, path: &'p str) -> Option<&'p str> {
        path.match_indices('/')
            .map(|(at, _)| &path[..at])
            .find(|folder| self.paths.contains(*folder))
    }
}

impl Sink for WithStatic<'_> {
    fn write_keyed(
        &mut self,
        path: &str,
        key: weekly_site::Key,
        bytes: Vec<u8>,
    ) -> Result<(), SiteError> {
        if self.paths.contains(path) || self.static_folder(path).is_some() {
            return self.write(path, bytes);
        }
        self.inner.write_keyed(path, key, bytes)
    }

    fn keep(&mut self, path: &str, key: weekly_site::Key) -> Option<u64> {
        // A path `static/` takes is written (and so left out), never kept.
        if self.paths.contains(path) || self.static_folder(path).is_some() {
            return None;
        }
        self.inner.keep(path, key)
    }

    fn write(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), SiteError> {
        if self.paths.contains(path) {
            self.replaced.push(path.to_owned());
            return Ok(());
        }
        if let Some(folder) = self.static_folder(path) {
            return Err(SiteError::Write {
                path: path.to_owned(),
                message: format!(
                    "`{STATIC_DIR}/{folder}` is a file, but the site has a folder there; move it"
                ),
            });
        }
        self.inner.write(path, bytes)
    }
}

/// The `Content-Type` of a file of the site, by its extension (`weekly serve`, `weekly server`).
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}
