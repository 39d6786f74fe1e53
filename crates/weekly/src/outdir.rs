//! The output directory of `weekly build`: files are hashed as they arrive and only those that
//! differ from the last build are written (into a staging directory beside the output); when the
//! build is complete they are moved into place, files the new build no longer has are removed
//! and the manifest is written last. A failed build changes nothing, and a rebuild touches only
//! what changed (no churn of a whole directory tree, which is what costs most on disk).

use anyhow::{Context, Result, bail};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::Hasher as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// The marker file of a directory `weekly build` wrote (only such a directory is replaced). It
/// holds the manifest: the hash and length of every file of the last build.
pub const MARKER: &str = ".weekly-site";
/// First line of the marker.
const MARKER_HEAD: &str = "written by `weekly build`; the manifest of the last build (do not edit)";
/// Second line: the manifest format (a change of the hash makes every file differ once).
const MANIFEST_VERSION: &str = "manifest v2";

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
}

/// How the build reaches the output directory.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// No earlier build (absent or empty): the staging directory becomes the output.
    Fresh,
    /// An earlier build with a manifest: changed files are moved in, stale ones removed.
    Update,
    /// An earlier build without a manifest: the staging directory replaces it whole.
    Replace,
}

/// A writer thread and the channel to it.
type Writer = (
    SyncSender<(String, Vec<u8>)>,
    JoinHandle<std::io::Result<Written>>,
);

struct Written {
    manifest: Vec<(String, Stamp)>,
    changed: Vec<String>,
    unchanged: usize,
}

/// A [`weekly_site::Sink`] into a directory (see the module comment). Files are hashed and
/// written on a thread of their own, so the disk works while pages are rendered.
pub struct DirSink {
    out: PathBuf,
    staging: PathBuf,
    mode: Mode,
    /// The manifest of the last build (shared with the writers).
    old: std::sync::Arc<HashMap<String, Stamp>>,
    /// One channel and thread per writer; files go to them in turn.
    writers: Vec<Writer>,
    next: usize,
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

fn read_manifest(text: &str) -> Option<HashMap<String, Stamp>> {
    let mut lines = text.lines();
    lines.next()?;
    if lines.next()? != MANIFEST_VERSION {
        return None;
    }
    lines
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_owned(), (hash, len)))
        })
        .collect()
}

fn manifest_text(files: &[(String, Stamp)]) -> String {
    let mut text = format!("{MARKER_HEAD}\n{MANIFEST_VERSION}\n");
    for (path, (hash, len)) in files {
        let _ = writeln!(text, "{hash:016x} {len} {path}");
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

fn write_changed(
    files: &Receiver<(String, Vec<u8>)>,
    staging: &Path,
    out: &Path,
    old: &HashMap<String, Stamp>,
    check_disk: bool,
) -> std::io::Result<Written> {
    let mut made = HashSet::new();
    let mut written = Written {
        manifest: Vec::new(),
        changed: Vec::new(),
        unchanged: 0,
    };
    for (relative, bytes) in files {
        let stamp = stamp(&bytes);
        // Same hash as last time and still there with its length: nothing to write.
        let same = old.get(&relative) == Some(&stamp)
            && (!check_disk
                || std::fs::metadata(out.join(&relative)).is_ok_and(|m| m.len() == stamp.1));
        if same {
            written.unchanged += 1;
        } else {
            let path = staging.join(&relative);
            ensure_parent(&path, &mut made)?;
            std::fs::write(&path, &bytes)
                .map_err(|e| std::io::Error::new(e.kind(), format!("`{}`: {e}", path.display())))?;
            written.changed.push(relative.clone());
        }
        written.manifest.push((relative, stamp));
    }
    Ok(written)
}

impl DirSink {
    /// Prepares a build into `out`, which must be absent, empty, or an earlier build.
    pub fn new(out: &Path) -> Result<DirSink> {
        let mut mode = Mode::Fresh;
        let mut old = HashMap::new();
        if out.exists() {
            let empty = std::fs::read_dir(out)
                .with_context(|| format!("cannot read `{}`", out.display()))?
                .next()
                .is_none();
            if !empty {
                let Ok(marker) = std::fs::read_to_string(out.join(MARKER)) else {
                    bail!(
                        "`{}` exists and was not written by `weekly build` (no `{MARKER}` in it); \
                         choose another `--out` or empty it",
                        out.display()
                    );
                };
                match read_manifest(&marker) {
                    Some(manifest) => {
                        mode = Mode::Update;
                        old = manifest;
                    }
                    None => mode = Mode::Replace,
                }
            }
        }
        let name = out
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        remove_leftovers(out, &name);
        let staging = out.with_file_name(format!(".{name}.building-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).ok();
        }
        std::fs::create_dir_all(&staging)
            .with_context(|| format!("cannot create `{}`", staging.display()))?;
        let old = std::sync::Arc::new(old);
        let writers = (0..writer_count())
            .map(|_| {
                let (sender, receiver) = sync_channel(64);
                let (staging, out, old) = (staging.clone(), out.to_owned(), old.clone());
                let check_disk = mode == Mode::Update;
                let writer = std::thread::spawn(move || {
                    write_changed(&receiver, &staging, &out, &old, check_disk)
                });
                (sender, writer)
            })
            .collect();
        Ok(DirSink {
            out: out.to_owned(),
            staging,
            mode,
            old,
            writers,
            next: 0,
        })
    }

    /// Waits for the writers; their manifests merged, sorted by path.
    fn flush(&mut self) -> Result<Written> {
        let mut all = Written {
            manifest: Vec::new(),
            changed: Vec::new(),
            unchanged: 0,
        };
        let mut failure = None;
        for (sender, writer) in self.writers.drain(..) {
            drop(sender);
            match writer.join() {
                Ok(Ok(mut written)) => {
                    all.manifest.append(&mut written.manifest);
                    all.changed.append(&mut written.changed);
                    all.unchanged += written.unchanged;
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
        let written = match self.flush() {
            Ok(written) => written,
            Err(error) => {
                std::fs::remove_dir_all(&self.staging).ok();
                return Err(error);
            }
        };
        let new: HashSet<&str> = written.manifest.iter().map(|(p, _)| p.as_str()).collect();
        let mut changes = Changes {
            written: written.changed.len(),
            unchanged: written.unchanged,
            removed: 0,
        };
        let manifest = manifest_text(&written.manifest);
        match self.mode {
            Mode::Fresh | Mode::Replace => {
                std::fs::write(self.staging.join(MARKER), manifest)?;
                self.swap_in()?;
            }
            Mode::Update => {
                let mut made = HashSet::new();
                for relative in &written.changed {
                    let target = self.out.join(relative);
                    ensure_parent(&target, &mut made)?;
                    std::fs::rename(self.staging.join(relative), &target).with_context(|| {
                        format!("cannot move `{}` into place", target.display())
                    })?;
                }
                for stale in self.old.keys().filter(|p| !new.contains(p.as_str())) {
                    let path = self.out.join(stale);
                    if std::fs::remove_file(&path).is_ok() {
                        changes.removed += 1;
                        remove_empty_parents(&path, &self.out);
                    }
                }
                crate::files::write_atomic(&self.out.join(MARKER), &manifest)?;
                std::fs::remove_dir_all(&self.staging).ok();
            }
        }
        Ok(changes)
    }

    /// Replaces `out` (absent, empty or without a manifest) by the staging directory.
    fn swap_in(&self) -> Result<()> {
        let name = self
            .out
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let old = self
            .out
            .with_file_name(format!(".{name}.old-{}", std::process::id()));
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

    /// Removes the unfinished build; the output directory stays as it was.
    pub fn abandon(mut self) {
        self.flush().ok();
        std::fs::remove_dir_all(&self.staging).ok();
    }
}

/// How old a staging directory of another build must be to count as left behind by a build
/// that was killed (no build takes this long).
const LEFT_BEHIND: std::time::Duration = std::time::Duration::from_hours(1);

/// Removes the staging and old directories beside `out` (`.<name>.building-<pid>`,
/// `.<name>.old-<pid>`) that killed builds left behind.
fn remove_leftovers(out: &Path, name: &str) {
    let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.building-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let ours = prefixes.iter().any(|p| {
            file_name
                .strip_prefix(p.as_str())
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > LEFT_BEHIND));
        if ours && old {
            std::fs::remove_dir_all(entry.path()).ok();
        }
    }
}

/// Removes the directories above `path` that became empty, up to `root`.
fn remove_empty_parents(path: &Path, root: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

impl weekly_site::Sink for DirSink {
    fn write(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), weekly_site::SiteError> {
        let stopped = |message: String| weekly_site::SiteError::Write {
            path: path.to_owned(),
            message,
        };
        if self.writers.is_empty() {
            return Err(stopped("the file writers stopped".to_owned()));
        }
        self.next = (self.next + 1) % self.writers.len();
        if self.writers[self.next]
            .0
            .send((path.to_owned(), bytes))
            .is_ok()
        {
            return Ok(());
        }
        // A writer stopped: its error is the one to report.
        let (_, writer) = self.writers.swap_remove(self.next);
        Err(stopped(match writer.join() {
            Ok(Err(e)) => e.to_string(),
            _ => "the file writer stopped".to_owned(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weekly_site::Sink as _;

    fn build(out: &Path, files: &[(&str, &str)]) -> Changes {
        let mut sink = DirSink::new(out).unwrap();
        for (path, text) in files {
            sink.write(path, text.as_bytes().to_vec()).unwrap();
        }
        sink.finish().unwrap()
    }

    #[test]
    fn a_rebuild_writes_only_what_changed_and_removes_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = build(
            &out,
            &[
                ("index.html", "a"),
                ("zh/1/index.html", "one"),
                ("zh/2/index.html", "two"),
            ],
        );
        assert_eq!((first.written, first.unchanged, first.removed), (3, 0, 0));
        let mtime = |p: &str| std::fs::metadata(out.join(p)).unwrap().modified().unwrap();
        let before = mtime("zh/1/index.html");
        let second = build(&out, &[("index.html", "b"), ("zh/1/index.html", "one")]);
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 1, 1)
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "b"
        );
        assert_eq!(
            mtime("zh/1/index.html"),
            before,
            "an unchanged file is not rewritten"
        );
        assert!(
            !out.join("zh/2").exists(),
            "the emptied directory is removed"
        );
        // A file deleted by hand is written again even though its hash is unchanged.
        std::fs::remove_file(out.join("zh/1/index.html")).unwrap();
        let third = build(&out, &[("index.html", "b"), ("zh/1/index.html", "one")]);
        assert_eq!((third.written, third.unchanged), (1, 1));
        assert!(out.join("zh/1/index.html").is_file());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging directory is left behind");
    }

    #[test]
    fn an_abandoned_build_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        build(&out, &[("index.html", "a")]);
        let mut sink = DirSink::new(&out).unwrap();
        sink.write("index.html", b"half".to_vec()).unwrap();
        sink.abandon();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "a"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn directories_left_by_a_killed_build_are_removed_once_old() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let killed = dir.path().join(".site.building-99999999");
        let running = dir.path().join(".site.building-99999998");
        let other = dir.path().join(".notes.building-1");
        for d in [&killed, &running, &other] {
            std::fs::create_dir_all(d.join("zh")).unwrap();
        }
        let past = std::time::SystemTime::now() - 2 * LEFT_BEHIND;
        for d in [&killed, &other] {
            std::fs::File::open(d).unwrap().set_modified(past).unwrap();
        }
        build(&out, &[("index.html", "a")]);
        assert!(
            !killed.exists(),
            "an old staging directory of this site is removed"
        );
        assert!(
            running.exists(),
            "a recent one may belong to a build still running"
        );
        assert!(other.exists(), "another site's directory is left alone");
    }

    #[test]
    fn a_directory_of_someone_else_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let error = DirSink::new(dir.path()).err().unwrap().to_string();
        assert!(error.contains("not written by `weekly build`"), "{error}");
    }
}
