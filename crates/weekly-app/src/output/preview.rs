//! The site built in memory for `weekly serve`: each rebuild parses only the files that
//! changed, takes the pages whose keys did not change from the last build, and turns a panic
//! into an error (the last good build is kept by the caller); and the snapshot of what a build
//! reads, to tell when to rebuild.

use crate::archive::{Archive, ParseCache};
use crate::site;
use crate::workspace::Workspace;
use anyhow::Result;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;
use weekly_model::Diagnostic;
use weekly_site::build::CloudCache;

/// What one build leaves for the next: parsed files, season word clouds, and the last good
/// build (a page whose key is unchanged is taken from it, not rendered again).
#[allow(missing_debug_implementations)] // caches of parsed files and pages
pub struct Caches {
    parsed: ParseCache,
    clouds: Option<CloudCache>,
    last: Option<Arc<Files>>,
}

impl Default for Caches {
    fn default() -> Caches {
        Caches::new()
    }
}

impl Caches {
    /// Nothing built yet.
    pub fn new() -> Caches {
        Caches {
            parsed: ParseCache::reading_only().remembering(),
            clouds: None,
            last: None,
        }
    }
}

/// A debug build's test hook: a rebuild panics while this file is in the workspace (the test
/// that a panic in a rebuild is reported and rebuilding goes on).
#[cfg(debug_assertions)]
const PANIC_ON_REBUILD: &str = "weekly-test-panic-on-rebuild";

/// One rebuild, where a panic is an error like any other: it is reported, the caches it may
/// have left half-updated are dropped, and the watcher goes on.
pub fn rebuild(root: &Path, full: bool, caches: &mut Caches) -> Result<Arc<Files>> {
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        #[cfg(debug_assertions)]
        assert!(
            !root.join(PANIC_ON_REBUILD).exists(),
            "the test hook `{PANIC_ON_REBUILD}` is in the workspace"
        );
        build(root, full, caches)
    }));
    built.unwrap_or_else(|panic| {
        *caches = Caches::new();
        let what = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        Err(anyhow::anyhow!(
            "internal error (a bug in weekly; please report it): {what}"
        ))
    })
}

/// A sink in memory that keeps the pages of the last build whose keys did not change.
struct KeepingMemory<'p> {
    last: Option<&'p Files>,
    files: Vec<(String, Vec<u8>)>,
    keys: HashMap<String, weekly_site::Key>,
}

impl weekly_site::Sink for KeepingMemory<'_> {
    fn write(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), weekly_site::SiteError> {
        self.files.push((path.to_owned(), bytes));
        Ok(())
    }

    fn write_keyed(
        &mut self,
        path: &str,
        key: weekly_site::Key,
        bytes: Vec<u8>,
    ) -> Result<(), weekly_site::SiteError> {
        self.keys.insert(path.to_owned(), key);
        self.write(path, bytes)
    }

    fn keep(&mut self, path: &str, key: weekly_site::Key) -> Option<u64> {
        let last = self.last?;
        if last.keys.get(path) != Some(&key) {
            return None;
        }
        let bytes = last.made.get(path)?.clone();
        let len = bytes.len() as u64;
        self.keys.insert(path.to_owned(), key);
        self.files.push((path.to_owned(), bytes));
        Some(len)
    }
}

/// The files of a build: made in memory, and those of `static/` (read when asked for, so that a
/// rebuild does not read them again).
#[allow(missing_debug_implementations)] // a whole site in memory
pub struct Files {
    /// Every file the site makes, by path.
    pub made: HashMap<String, Vec<u8>>,
    /// The key of each page of `made` that has one (see `weekly_site::memo`).
    pub keys: HashMap<String, weekly_site::Key>,
    /// The files of `static/`, by site path.
    pub statics: HashMap<String, PathBuf>,
    /// The workspace root with links resolved: a static file is read only inside it.
    pub real_root: PathBuf,
    /// The errors `weekly build` would stop on (shown over every page while there are any).
    pub blocking: Vec<Diagnostic>,
    /// Links of `static/` that lead outside the workspace, skipped.
    pub skipped: Vec<String>,
}

/// Builds the site of the workspace at `root` in memory, from what `caches` kept.
pub fn build(root: &Path, full: bool, caches: &mut Caches) -> Result<Arc<Files>> {
    let workspace = Workspace::load(root)?;
    let clouds = caches
        .clouds
        .get_or_insert_with(|| site::read_cloud_cache(&workspace));
    let archive = Archive::load_cached(&workspace, |_| true, &mut caches.parsed)?;
    let blocking = archive.blocking(&workspace);
    let templates = site::templates(&workspace)?;
    let mut input = site::input(&workspace, &archive, full, site::stop_words(&workspace)?);
    input.season_files = site::season_files(&workspace)?;
    // A preview needs no link-preview cards: they are drawn by `weekly build`.
    input.config.og_images = false;
    let (statics, skipped) = site::static_files(&workspace)?;
    let memo = weekly_site::Memo {
        previous: caches
            .last
            .as_ref()
            .map(|last| last.keys.clone())
            .unwrap_or_default(),
        salt: site::program_salt(),
    };
    let mut memory = KeepingMemory {
        last: caches.last.as_deref(),
        files: Vec::new(),
        keys: HashMap::new(),
    };
    let mut with_static = site::WithStatic::new(&mut memory, statics);
    let summary = weekly_site::build(&input, &templates, clouds, &memo, &mut with_static)?;
    let statics = with_static.into_files();
    *clouds = summary.clouds;
    let KeepingMemory { files, keys, .. } = memory;
    let files = Arc::new(Files {
        made: files.into_iter().collect(),
        keys,
        statics: statics.into_iter().map(|f| (f.site_path, f.path)).collect(),
        real_root: workspace.real_root.clone(),
        blocking,
        skipped,
    });
    caches.last = Some(files.clone());
    Ok(files)
}

/// Path, length and modification time of every file a build reads.
pub fn snapshot(root: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = ["issues", "templates", "seasons", site::STATIC_DIR]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let mut add = |path: PathBuf| {
        if let Ok(meta) = std::fs::metadata(&path) {
            out.push((path, meta.len(), meta.modified().ok()));
        }
    };
    add(root.join(crate::config::FILE_NAME));
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            // Links are not followed: `static/root -> /` must not make every poll walk the disk.
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else {
                add(path);
            }
        }
    }
    out.sort();
    out
}
