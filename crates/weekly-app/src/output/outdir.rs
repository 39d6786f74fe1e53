//! The output directory of `weekly build`. Files are hashed as they arrive and only those that
//! differ from the last build are written, into a staging directory beside the output; the
//! files that did not change are hard-linked into it (same inode, same mtime), the files in the
//! output that `weekly` did not write (`.git/`, `CNAME`…) are carried over, and the staging
//! directory is exchanged with the output in one step (`renameat2(RENAME_EXCHANGE)`), so a
//! reader or a deploy sees the old site or the new one, never a mix. The manifest in
//! `.weekly-site` says which files are ours; it is never trusted to name a path outside the
//! output, and nothing that is not ours is ever deleted. One build of a directory runs at a
//! time (a lock beside it), and what a killed build left is put right by the next one.
//!
//! The site the exchange replaced is kept beside the output as `.<out>.spare` (its files are
//! mostly hard links to the output's) and is the next build's staging directory: only the paths
//! that differ from it are touched, so a rebuild costs what changed, not the size of the site.
//! A reader holding the old directory open (rather than the path) therefore sees it unchanged
//! only until the build after the next one starts.

use anyhow::{Context, Result, bail};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::Hasher as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;
use weekly_site::Key;

/// The marker file of a directory `weekly build` wrote. It holds the manifest: the hash and
/// length of every file of the last build.
pub const MARKER: &str = ".weekly-site";
/// First line of the marker.
const MARKER_HEAD: &str = "written by `weekly build`; the manifest of the last build (do not edit)";
/// Second line: the manifest format (a change of the hash makes every file differ once). v3
/// adds each page's key (see `weekly_site::memo`); a v2 manifest is read without keys.
const MANIFEST_VERSION: &str = "manifest v3";
const MANIFEST_V2: &str = "manifest v2";
/// The list of entries not ours that a build moved from the output into its staging directory
/// before the exchange; the next build moves them back if it was killed in between.
const CARRIED: &str = ".weekly-carried";
/// The name (after `.<out>.`) of the spare site beside the output.
const SPARE: &str = "spare";

/// What the output directory has to tell a person (a wait, a note, a warning), one line each.
pub type Say<'a> = &'a dyn Fn(&str);

/// Hash and length of a file.
type Stamp = (u64, u64);

/// What a finished build changed in the output directory.
#[derive(Debug, Default, Clone, Copy)]
pub struct Changes {
    /// Files written (new or different).
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files of the previous build removed.
    pub removed: usize,
    /// Entries in the output that `weekly` did not write, kept.
    pub kept: usize,
}

/// How the build reaches the output directory.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// No output directory yet: the staging directory is renamed to it.
    Absent,
    /// An empty output directory (`--out .` in a new folder): the new files are moved into it,
    /// so the folder itself stays the same one.
    Empty,
    /// An earlier build: the staging directory gets the whole new site and is exchanged with
    /// the output. Entries that are not ours are carried over.
    Exchange,
}

/// What a writer thread is given.
enum Job {
    /// A file, with its page key when it has one.
    Write(String, Option<Key>, Vec<u8>),
    /// A page the last build made from the same key: its stamp is the last build's.
    Keep(String, Stamp, Key),
}

/// A writer thread and the channel to it.
type Writer = (SyncSender<Job>, JoinHandle<std::io::Result<Written>>);

/// The manifest's line of a file: its path, stamp and page key.
type Line = (String, Stamp, Option<Key>);

struct Written {
    manifest: Vec<Line>,
    /// Different from the output's file: written into the staging directory.
    changed: Vec<String>,
    /// Same as the output's file, which the staging directory does not have yet: linked.
    unchanged: Vec<String>,
    /// Same as the output's file and already in the staging directory (the spare site).
    kept: usize,
}

/// What the output directory holds before the build.
struct Previous {
    /// Our files, from a readable manifest.
    ours: HashMap<String, Stamp>,
    /// The page keys of the last build (see `weekly_site::memo`).
    keys: HashMap<String, Key>,
    /// The manifest could not be read: a file the new build makes replaces whatever is at its
    /// path, and everything else is kept.
    unreadable: bool,
    /// `--clean`: nothing of the old directory is kept.
    clean: bool,
    /// The files of the spare site the staging directory starts from (empty without one).
    spare: HashMap<String, Stamp>,
}

/// A [`weekly_site::Sink`] into a directory (see the module comment). Files are hashed and
/// written on threads of their own, so the disk works while pages are rendered.
pub struct DirSink {
    out: PathBuf,
    staging: PathBuf,
    mode: Mode,
    previous: Arc<Previous>,
    writers: Vec<Writer>,
    next: usize,
    /// Held until the sink is dropped: one build of a directory at a time.
    _lock: std::fs::File,
}

impl std::fmt::Debug for DirSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirSink")
            .field("out", &self.out)
            .field("staging", &self.staging)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

/// Writer threads: creating files is mostly the kernel's work, which then runs on every core.
fn writer_count() -> usize {
    weekly_model::par::threads().clamp(2, 4)
}

fn stamp(bytes: &[u8]) -> Stamp {
    // rustc-hash's hasher (seed 0): several times SipHash's speed on long input (20,000 issues
    // are 280 MB to hash), and good enough to see that a file changed, with its length beside
    // it. A different hash after an upgrade only makes one build write everything.
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(bytes);
    (hasher.finish(), bytes.len() as u64)
}

/// A manifest path is `/`-separated and relative, without `.`, `..` or empty parts: anything
/// else (`../victim.txt`, `/etc/passwd`) makes the manifest unreadable.
fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// The files of a manifest with their stamps, and the page keys it records.
type Manifest = (HashMap<String, Stamp>, HashMap<String, Key>);

fn read_manifest(text: &str) -> Option<Manifest> {
    let mut lines = text.lines();
    lines.next()?;
    let with_keys = match lines.next()? {
        MANIFEST_VERSION => true,
        MANIFEST_V2 => false,
        _ => return None,
    };
    let mut files = HashMap::new();
    let mut keys = HashMap::new();
    for line in lines {
        let mut parts = line.splitn(if with_keys { 4 } else { 3 }, ' ');
        let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
        let len = parts.next()?.parse().ok()?;
        let key = if with_keys {
            match parts.next()? {
                "-" => None,
                key => Some(Key::from_str_radix(key, 16).ok()?),
            }
        } else {
            None
        };
        let path = parts.next()?;
        if !is_plain_relative(path) || path == MARKER {
            return None;
        }
        if let Some(key) = key {
            keys.insert(path.to_owned(), key);
        }
        files.insert(path.to_owned(), (hash, len));
    }
    Some((files, keys))
}

fn manifest_text(files: &[Line]) -> String {
    let mut text = format!("{MARKER_HEAD}\n{MANIFEST_VERSION}\n");
    for (path, (hash, len), key) in files {
        let _ = match key {
            Some(key) => writeln!(text, "{hash:016x} {len} {key:032x} {path}"),
            None => writeln!(text, "{hash:016x} {len} - {path}"),
        };
    }
    text
}

/// Creates the parent directory of `path` once.
fn ensure_parent(path: &Path, made: &mut HashSet<PathBuf>) -> std::io::Result<()> {
    if let Some(parent) = path.parent()
        && !made.contains(parent)
    {
        std::fs::create_dir_all(parent)?;
        made.insert(parent.to_owned());
    }
    Ok(())
}

/// True when `out/relative` is a regular file (not a link) of length `len`.
fn is_file_of_len(out: &Path, relative: &str, len: u64) -> bool {
    std::fs::symlink_metadata(out.join(relative)).is_ok_and(|m| m.is_file() && m.len() == len)
}

fn write_changed(
    files: &Receiver<Job>,
    staging: &Path,
    out: &Path,
    previous: &Previous,
) -> std::io::Result<Written> {
    let mut made = HashSet::new();
    let mut written = Written {
        manifest: Vec::new(),
        changed: Vec::new(),
        unchanged: Vec::new(),
        kept: 0,
    };
    for job in files {
        let (relative, stamp, key, bytes) = match job {
            Job::Write(relative, key, bytes) => (relative, stamp(&bytes), key, Some(bytes)),
            Job::Keep(relative, stamp, key) => (relative, stamp, Some(key), None),
        };
        // Same hash as last time and still there with its length: nothing to write. (A kept
        // page was checked to be there when it was kept.)
        let as_out = bytes.is_none()
            || (previous.ours.get(&relative) == Some(&stamp)
                && is_file_of_len(out, &relative, stamp.1));
        let in_spare = previous.spare.get(&relative) == Some(&stamp)
            && is_file_of_len(staging, &relative, stamp.1);
        if as_out && in_spare {
            written.kept += 1;
        } else if as_out {
            written.unchanged.push(relative.clone());
        } else {
            let path = staging.join(&relative);
            let shown = |e: std::io::Error| {
                std::io::Error::new(e.kind(), format!("`{}`: {e}", path.display()))
            };
            if ensure_parent(&path, &mut made).is_err() {
                clear_ancestors(staging, &relative);
                ensure_parent(&path, &mut made).map_err(shown)?;
            }
            // A file of the spare site may be a link to the output's: replaced, never written
            // through.
            make_room(&path);
            std::fs::write(&path, bytes.unwrap_or_default()).map_err(shown)?;
            written.changed.push(relative.clone());
        }
        written.manifest.push((relative, stamp, key));
    }
    Ok(written)
}

/// Removes what is at `path` in the staging directory (a file, or a folder of the spare site
/// where the new site has a file).
fn make_room(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            std::fs::remove_dir_all(path).ok();
        }
        Ok(_) => {
            std::fs::remove_file(path).ok();
        }
        Err(_) => {}
    }
}

/// Removes the files of the spare site that stand where `relative` needs a folder.
fn clear_ancestors(staging: &Path, relative: &str) {
    let mut at = staging.to_owned();
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&at).ok();
        }
    }
}

impl DirSink {
    /// Prepares a build into `out`, which must be absent, empty, or an earlier build (whose
    /// files not written by `weekly` are kept, unless `clean`). `say` gets the lines a person
    /// should read (waiting for another build, an unreadable manifest, leftovers kept).
    pub fn new(out: &Path, clean: bool, say: Say<'_>) -> Result<DirSink> {
        let out = absolute(out)?;
        let lock = lock(&out, say)?;
        recover(&out, say);
        let mut mode = Mode::Absent;
        let mut previous = Previous {
            ours: HashMap::new(),
            keys: HashMap::new(),
            unreadable: false,
            clean,
            spare: HashMap::new(),
        };
        if out.exists() {
            if !out.is_dir() {
                bail!("`{}` is not a directory", out.display());
            }
            let empty = std::fs::read_dir(&out)
                .with_context(|| format!("cannot read `{}`", out.display()))?
                .next()
                .is_none();
            if empty {
                mode = Mode::Empty;
            } else {
                let marker = out.join(MARKER);
                if !std::fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) {
                    bail!(
                        "`{}` exists and was not written by `weekly build` (no `{MARKER}` in it); \
                         choose another `--out` or empty it",
                        out.display()
                    );
                }
                mode = Mode::Exchange;
                match std::fs::read_to_string(&marker)
                    .ok()
                    .as_deref()
                    .and_then(read_manifest)
                {
                    Some((ours, keys)) if !clean => {
                        previous.ours = ours;
                        previous.keys = keys;
                    }
                    Some(_) => {}
                    None => {
                        previous.unreadable = !clean;
                        if !clean {
                            say(&format!(
                                "note: the manifest `{MARKER}` of `{}` is unreadable; files this \
                                 build makes replace those at their paths, everything else is \
                                 kept (`--clean` empties the directory)",
                                out.display()
                            ));
                        }
                    }
                }
            }
        }
        let staging = beside(&out, &format!("building-{}", std::process::id()));
        if std::fs::symlink_metadata(&staging).is_ok() {
            std::fs::remove_dir_all(&staging).ok();
        }
        // The spare site becomes the staging directory when the output has a manifest to
        // compare with; otherwise it is of no use.
        let spare = beside(&out, SPARE);
        let mut from_spare = false;
        if std::fs::symlink_metadata(&spare).is_ok_and(|m| m.is_dir()) {
            let manifest = std::fs::read_to_string(spare.join(MARKER))
                .ok()
                .as_deref()
                .and_then(read_manifest);
            match manifest {
                Some((files, _))
                    if mode == Mode::Exchange
                        && !previous.unreadable
                        && std::fs::rename(&spare, &staging).is_ok() =>
                {
                    previous.spare = files;
                    from_spare = true;
                }
                _ => {
                    std::fs::remove_dir_all(&spare).ok();
                }
            }
        }
        if !from_spare {
            std::fs::create_dir(&staging)
                .with_context(|| format!("cannot create `{}`", staging.display()))?;
        }
        let previous = Arc::new(previous);
        let writers = (0..writer_count())
            .map(|_| {
                let (sender, receiver) = sync_channel(64);
                let (staging, out, previous) = (staging.clone(), out.clone(), previous.clone());
                let writer =
                    std::thread::spawn(move || write_changed(&receiver, &staging, &out, &previous));
                (sender, writer)
            })
            .collect();
        Ok(DirSink {
            out,
            staging,
            mode,
            previous,
            writers,
            next: 0,
            _lock: lock,
        })
    }

    /// The page keys of the last build (empty after `--clean` or without a readable
    /// manifest), mixed with `salt` (the program's identity) as every key is.
    pub fn memo(&self, salt: Key) -> weekly_site::Memo {
        weekly_site::Memo {
            previous: self.previous.keys.clone(),
            salt,
        }
    }

    /// Sends `job` to the next writer.
    fn send(&mut self, path: &str, job: Job) -> Result<(), weekly_site::SiteError> {
        let stopped = |message: String| weekly_site::SiteError::Write {
            path: path.to_owned(),
            message,
        };
        if !is_plain_relative(path) || (path == MARKER || path == CARRIED) {
            return Err(stopped("not a path the site may write".to_owned()));
        }
        if self.writers.is_empty() {
            return Err(stopped("the file writers stopped".to_owned()));
        }
        self.next = (self.next + 1) % self.writers.len();
        if self.writers[self.next].0.send(job).is_ok() {
            return Ok(());
        }
        // A writer stopped: its error is the one to report.
        let (_, writer) = self.writers.swap_remove(self.next);
        Err(stopped(match writer.join() {
            Ok(Err(e)) => e.to_string(),
            _ => "the file writer stopped".to_owned(),
        }))
    }

    /// Waits for the writers; their manifests merged, sorted by path.
    fn flush(&mut self) -> Result<Written> {
        let mut all = Written {
            manifest: Vec::new(),
            changed: Vec::new(),
            unchanged: Vec::new(),
            kept: 0,
        };
        let mut failure = None;
        for (sender, writer) in self.writers.drain(..) {
            drop(sender);
            match writer.join() {
                Ok(Ok(mut written)) => {
                    all.manifest.append(&mut written.manifest);
                    all.changed.append(&mut written.changed);
                    all.unchanged.append(&mut written.unchanged);
                    all.kept += written.kept;
                }
                Ok(Err(error)) => {
                    failure
                        .get_or_insert(anyhow::Error::new(error).context("cannot write the site"));
                }
                Err(_) => {
                    failure.get_or_insert(anyhow::anyhow!("the file writer stopped"));
                }
            }
        }
        if let Some(failure) = failure {
            return Err(failure);
        }
        all.manifest.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(all)
    }

    /// Puts the finished build in place and reports what changed.
    pub fn finish(mut self) -> Result<Changes> {
        let result = self.flush().and_then(|written| self.put_in_place(&written));
        if result.is_err() {
            std::fs::remove_dir_all(&self.staging).ok();
        }
        result
    }

    fn put_in_place(&self, written: &Written) -> Result<Changes> {
        let manifest = manifest_text(&written.manifest);
        let mut changes = Changes {
            written: written.changed.len(),
            unchanged: written.unchanged.len() + written.kept,
            ..Changes::default()
        };
        match self.mode {
            Mode::Absent => {
                std::fs::write(self.staging.join(MARKER), manifest)?;
                std::fs::rename(&self.staging, &self.out).with_context(|| {
                    format!("cannot move the new site to `{}`", self.out.display())
                })?;
            }
            Mode::Empty => {
                // The manifest first: a build killed while moving leaves a directory the next
                // build knows (missing files are written again).
                crate::files::write_atomic(&self.out.join(MARKER), &manifest)?;
                for entry in std::fs::read_dir(&self.staging)? {
                    let entry = entry?;
                    let target = self.out.join(entry.file_name());
                    std::fs::rename(entry.path(), &target).with_context(|| {
                        format!("cannot move `{}` into place", target.display())
                    })?;
                }
                std::fs::remove_dir(&self.staging).ok();
            }
            Mode::Exchange => {
                let new: HashSet<&str> = written
                    .manifest
                    .iter()
                    .map(|(p, _, _)| p.as_str())
                    .collect();
                changes.removed = self
                    .previous
                    .ours
                    .keys()
                    .filter(|p| !new.contains(p.as_str()))
                    .count();
                self.remove_stale_spare(&new);
                self.link_unchanged(&written.unchanged)?;
                let carried = if self.previous.clean {
                    Vec::new()
                } else {
                    self.foreign_entries(&new)?
                };
                changes.kept = carried.len();
                std::fs::write(self.staging.join(MARKER), manifest)?;
                self.carry(&carried)?;
                let old = self.swap()?;
                std::fs::remove_file(self.out.join(CARRIED)).ok();
                // What is left in the old tree is ours, the files of the previous build: the
                // spare site of the next build.
                // After `--clean` it holds the files not ours that were not carried: removed.
                let spare = beside(&self.out, SPARE);
                if self.previous.clean || std::fs::rename(&old, &spare).is_err() {
                    std::fs::remove_dir_all(&old).with_context(|| {
                        format!("cannot remove the old site `{}`", old.display())
                    })?;
                }
            }
        }
        Ok(changes)
    }

    /// Removes the files of the spare site that the new site does not have (and the folders
    /// they leave empty), and its old manifest.
    fn remove_stale_spare(&self, new: &HashSet<&str>) {
        std::fs::remove_file(self.staging.join(MARKER)).ok();
        std::fs::remove_file(self.staging.join(CARRIED)).ok();
        for stale in self
            .previous
            .spare
            .keys()
            .filter(|p| !new.contains(p.as_str()))
        {
            let path = self.staging.join(stale);
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
                && std::fs::remove_file(&path).is_ok()
            {
                remove_empty_parents(&path, &self.staging);
            }
        }
    }

    /// Hard-links the files that did not change into the staging directory (a copy where the
    /// file system has no links), so they keep their inode and modification time.
    fn link_unchanged(&self, unchanged: &[String]) -> Result<()> {
        let mut made = HashSet::new();
        for relative in unchanged {
            let (from, to) = (self.out.join(relative), self.staging.join(relative));
            if ensure_parent(&to, &mut made).is_err() {
                clear_ancestors(&self.staging, relative);
                ensure_parent(&to, &mut made)?;
            }
            make_room(&to);
            if std::fs::hard_link(&from, &to).is_err() {
                std::fs::copy(&from, &to)
                    .with_context(|| format!("cannot copy `{}`", from.display()))?;
            }
        }
        Ok(())
    }

    /// The entries of the output that are not ours (relative paths), to be kept. Only real
    /// directories where our files are, or the new build's, are looked into; links are never
    /// followed. An entry not ours where the new site has a file is an error (the build would
    /// otherwise replace it), unless the manifest was unreadable.
    fn foreign_entries(&self, new: &HashSet<&str>) -> Result<Vec<String>> {
        let mut dirs: HashSet<&str> = HashSet::new();
        for path in self
            .previous
            .ours
            .keys()
            .map(String::as_str)
            .chain(new.iter().copied())
        {
            let mut at = path;
            while let Some((parent, _)) = at.rsplit_once('/') {
                if !dirs.insert(parent) {
                    break;
                }
                at = parent;
            }
        }
        let mut foreign = Vec::new();
        let mut stack = vec![String::new()];
        while let Some(dir) = stack.pop() {
            let path = if dir.is_empty() {
                self.out.clone()
            } else {
                self.out.join(&dir)
            };
            for entry in std::fs::read_dir(&path)
                .with_context(|| format!("cannot read `{}`", path.display()))?
            {
                let entry = entry?;
                let name = entry.file_name();
                let Some(name) = name.to_str() else {
                    bail!(
                        "`{}`: a file name that is not UTF-8 in the output; rename or remove it \
                         — nothing was changed",
                        entry.path().display()
                    );
                };
                let relative = if dir.is_empty() {
                    name.to_owned()
                } else {
                    format!("{dir}/{name}")
                };
                if dir.is_empty() && (name == MARKER || name == CARRIED) {
                    continue;
                }
                let kind = entry.file_type()?;
                if kind.is_dir() && dirs.contains(relative.as_str()) {
                    stack.push(relative);
                    continue;
                }
                let ours = kind.is_file() && self.previous.ours.contains_key(&relative);
                if ours {
                    continue;
                }
                let clashes = new.contains(relative.as_str()) || dirs.contains(relative.as_str());
                if clashes {
                    if self.previous.unreadable && kind.is_file() && new.contains(relative.as_str())
                    {
                        continue;
                    }
                    bail!(
                        "`{}` was not written by `weekly build`, but the new site has a {} there; \
                         move it into the workspace's `static/` (it then replaces the site's) or \
                         delete it, and build again — nothing was changed",
                        self.out.join(&relative).display(),
                        if new.contains(relative.as_str()) {
                            "file"
                        } else {
                            "folder"
                        }
                    );
                }
                foreign.push(relative);
            }
        }
        foreign.sort();
        Ok(foreign)
    }

    /// Moves the entries not ours from the output into the staging directory, after writing
    /// their list there (see [`recover`]). On failure, what was moved goes back.
    fn carry(&self, carried: &[String]) -> Result<()> {
        if carried.is_empty() {
            return Ok(());
        }
        std::fs::write(self.staging.join(CARRIED), carried.join("\n"))?;
        let mut made = HashSet::new();
        for (i, relative) in carried.iter().enumerate() {
            let (from, to) = (self.out.join(relative), self.staging.join(relative));
            let moved = ensure_parent(&to, &mut made).and_then(|()| std::fs::rename(&from, &to));
            if let Err(e) = moved {
                for back in &carried[..i] {
                    std::fs::rename(self.staging.join(back), self.out.join(back)).ok();
                }
                return Err(e).with_context(|| format!("cannot keep `{}`", from.display()));
            }
        }
        Ok(())
    }

    /// Exchanges the staging directory with the output in one step where the file system can
    /// (else: output aside, staging in place). Returns where the old site now is.
    fn swap(&self) -> Result<PathBuf> {
        if exchange(&self.staging, &self.out)? {
            return Ok(self.staging.clone());
        }
        let old = beside(&self.out, &format!("old-{}", std::process::id()));
        std::fs::rename(&self.out, &old)
            .with_context(|| format!("cannot move `{}` aside", self.out.display()))?;
        if let Err(e) = std::fs::rename(&self.staging, &self.out) {
            std::fs::rename(&old, &self.out).ok();
            return Err(e)
                .with_context(|| format!("cannot move the new site to `{}`", self.out.display()));
        }
        Ok(old)
    }

    /// Removes the unfinished build; the output directory stays as it was.
    pub fn abandon(mut self) {
        self.flush().ok();
        std::fs::remove_dir_all(&self.staging).ok();
    }
}

impl weekly_site::Sink for DirSink {
    fn write(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), weekly_site::SiteError> {
        self.send(path, Job::Write(path.to_owned(), None, bytes))
    }

    fn write_keyed(
        &mut self,
        path: &str,
        key: Key,
        bytes: Vec<u8>,
    ) -> Result<(), weekly_site::SiteError> {
        self.send(path, Job::Write(path.to_owned(), Some(key), bytes))
    }

    fn keep(&mut self, path: &str, key: Key) -> Option<u64> {
        let stamp = *self.previous.ours.get(path)?;
        if self.previous.keys.get(path) != Some(&key) || !is_file_of_len(&self.out, path, stamp.1) {
            return None;
        }
        self.send(path, Job::Keep(path.to_owned(), stamp, key))
            .ok()
            .map(|()| stamp.1)
    }
}

mod place;
#[cfg(test)]
mod tests;

use place::{absolute, beside, exchange, lock, recover, remove_empty_parents};
