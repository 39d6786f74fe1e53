//! The quick answer to "has anything `weekly build` reads changed since it last built this
//! output directory?". After a build, the size, times and inode of every file and folder it
//! reads (`weekly.toml`, `templates/`, `static/`, `issues/`, `seasons/`) are kept in the
//! workspace's `.weekly-cache/`, with what else decides the site: the program, the options, the
//! output directory and the manifest that build left in it. The next build stats the same list
//! (a folder's time changes when a name in it is added, removed or renamed) and, when nothing
//! differs, has nothing to do. Inputs changed within a second of the build are too close to
//! tell apart by time (a second edit in the same clock tick would look the same), so that build
//! records nothing and the next one builds.

use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use weekly_site::Key;
use weekly_site::memo::KeyHasher;

/// The folders of the workspace a build reads, besides `weekly.toml`.
const READ: &[&str] = &["templates", "static", "issues", "seasons"];
/// First line of a stamp file.
const HEAD: &str = "weekly build stamp v1";
/// Inputs changed this close to the start of the build leave no stamp.
const RACY: Duration = Duration::from_secs(1);

/// The stamp file of builds into `out` (one per output directory and edition).
pub fn path(root: &Path, out: &Path, full: bool) -> PathBuf {
    let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_owned());
    let mut hasher = KeyHasher::new(0);
    hasher.add_bytes(out.as_os_str().as_encoded_bytes());
    hasher.add_bytes(&[u8::from(full)]);
    root.join(format!(
        ".weekly-cache/build-{:016x}.stamp",
        hasher.finish() as u64
    ))
}

/// What decides the site besides the files: `salt` (the program), the options, and the
/// manifest the last build left in `out` (its size, time and inode: another build into `out`
/// changes it).
pub fn context(salt: Key, options: &str, out: &Path) -> Key {
    let mut hasher = KeyHasher::new(salt);
    hasher.add_bytes(options.as_bytes());
    let marker = out.join(crate::outdir::MARKER);
    hasher.add_bytes(
        std::fs::symlink_metadata(marker)
            .map(|m| stat_line(&m))
            .unwrap_or_default()
            .as_bytes(),
    );
    hasher.finish()
}

fn nanos(time: std::io::Result<SystemTime>) -> u128 {
    time.ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Size, modification and change times, inode (what an edit in place or a replacement
/// changes).
fn stat_line(meta: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    let (changed, inode) = {
        use std::os::unix::fs::MetadataExt;
        (
            i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            meta.ino(),
        )
    };
    #[cfg(not(unix))]
    let (changed, inode) = (0i128, 0u64);
    format!(
        "{} {} {changed} {inode} {}",
        meta.len(),
        nanos(meta.modified()),
        u8::from(meta.is_dir())
    )
}

/// Every file and folder the build reads, with its stat line; a missing folder is recorded as
/// missing. `None` when a link is among them: what it leads to may change without a trace
/// here, so such a workspace is always built (and no link is followed by this walk).
fn inputs(root: &Path) -> Option<Vec<(String, String)>> {
    let mut found = Vec::new();
    let stat = |path: &Path| {
        std::fs::metadata(path).map_or_else(|_| "missing".to_owned(), |m| stat_line(&m))
    };
    found.push((
        crate::config::FILE_NAME.to_owned(),
        stat(&root.join(crate::config::FILE_NAME)),
    ));
    for folder in READ {
        let top = root.join(folder);
        let mut paths = Vec::new();
        for entry in walkdir::WalkDir::new(&top)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.path_is_symlink() {
                return None;
            }
            paths.push(entry.into_path());
        }
        // Stat on every core, as `unchanged` does.
        let stats = weekly_model::par::map(&paths, |path| stat(path));
        for (path, stat) in paths.iter().zip(stats) {
            let relative = path.strip_prefix(root).unwrap_or(path);
            found.push((relative.to_string_lossy().into_owned(), stat));
        }
        if !top.exists() {
            found.push(((*folder).to_owned(), "missing".to_owned()));
        }
    }
    Some(found)
}

/// The stamp of the inputs as they are now, or `None` when one changed within [`RACY`] of
/// `started`.
fn stamp_text(root: &Path, context: Key, started: SystemTime) -> Option<String> {
    let limit = nanos(Ok(started.checked_sub(RACY)?));
    let mut text = format!("{HEAD}\n{context:032x}\n");
    for (path, line) in inputs(root)? {
        // The modification and change times are the 2nd and 3rd fields.
        let mut fields = line.split(' ').skip(1);
        let recent = (0..2).any(|_| {
            fields
                .next()
                .and_then(|f| f.parse::<i128>().ok())
                .is_some_and(|t| t >= limit.cast_signed())
        });
        if recent {
            return None;
        }
        let _ = writeln!(text, "{line}\t{path}");
    }
    Some(text)
}

/// The lines a build printed (its summary and warnings), kept with its stamp to be shown again
/// when nothing changed; `None` when something did (or there is no stamp).
pub fn unchanged(stamp: &Path, root: &Path, context: Key) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(stamp).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEAD || lines.next()? != format!("{context:032x}") {
        return None;
    }
    let mut printed = Vec::new();
    let mut checked = Vec::new();
    for line in lines {
        if let Some(shown) = line.strip_prefix("printed\t") {
            printed.push(shown.to_owned());
        } else {
            let (stat, path) = line.split_once('\t')?;
            checked.push((stat, path));
        }
    }
    // Stat on every core (20,000 issues are some 60,000 files and folders).
    let same = weekly_model::par::map(&checked, |(stat, path)| {
        std::fs::metadata(root.join(path)).map_or(*stat == "missing", |m| stat_line(&m) == *stat)
    });
    let every = same.into_iter().all(|s| s);
    // A new folder among those read (say `static/` created) is a change too.
    let folders = READ.iter().all(|folder| {
        root.join(folder).exists() || checked.iter().any(|(s, p)| p == folder && *s == "missing")
    });
    (every && folders).then_some(printed)
}

/// Forgets the stamp (before a build: a build that stops leaves none).
pub fn forget(stamp: &Path) {
    std::fs::remove_file(stamp).ok();
}

/// Records the inputs after a build that started at `started` and printed `printed`, unless
/// one of them changed too close to it.
pub fn record(
    stamp: &Path,
    root: &Path,
    context: Key,
    started: SystemTime,
    printed: &[String],
) -> Result<bool> {
    let Some(mut text) = stamp_text(root, context, started) else {
        return Ok(false);
    };
    for line in printed {
        let _ = writeln!(text, "printed\t{}", line.replace(['\n', '\t'], " "));
    }
    if let Some(dir) = stamp.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
    }
    crate::files::write_atomic(stamp, &text)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("weekly.toml"), "x").unwrap();
        std::fs::create_dir_all(dir.path().join("issues/0001")).unwrap();
        std::fs::write(dir.path().join("issues/0001/zh.md"), "one").unwrap();
        dir
    }

    fn later() -> SystemTime {
        SystemTime::now() + Duration::from_secs(5)
    }

    #[test]
    fn a_stamp_sees_edits_additions_and_removals() {
        let ws = workspace();
        let root = ws.path();
        let stamp = root.join("s.stamp");
        assert!(record(&stamp, root, 1, later(), &["built".to_owned()]).unwrap());
        assert_eq!(unchanged(&stamp, root, 1), Some(vec!["built".to_owned()]));
        assert_eq!(unchanged(&stamp, root, 2), None, "another context");
        // Same size, new content: the times differ.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(root.join("issues/0001/zh.md"), "two").unwrap();
        assert_eq!(unchanged(&stamp, root, 1), None);
        record(&stamp, root, 1, later(), &[]).unwrap();
        std::fs::write(root.join("issues/0001/en.md"), "new").unwrap();
        assert_eq!(unchanged(&stamp, root, 1), None, "a file added");
        record(&stamp, root, 1, later(), &[]).unwrap();
        std::fs::remove_file(root.join("issues/0001/en.md")).unwrap();
        assert_eq!(unchanged(&stamp, root, 1), None, "a file removed");
        record(&stamp, root, 1, later(), &[]).unwrap();
        std::fs::create_dir(root.join("templates")).unwrap();
        assert_eq!(unchanged(&stamp, root, 1), None, "a folder created");
    }

    #[cfg(unix)]
    #[test]
    fn a_workspace_with_a_link_is_always_built() {
        let ws = workspace();
        let root = ws.path();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.join("issues/0001/images")).unwrap();
        let stamp = root.join("s.stamp");
        assert!(!record(&stamp, root, 1, later(), &[]).unwrap());
        assert_eq!(unchanged(&stamp, root, 1), None);
    }

    #[test]
    fn inputs_changed_during_the_build_leave_no_stamp() {
        let ws = workspace();
        let root = ws.path();
        let stamp = root.join("s.stamp");
        assert!(!record(&stamp, root, 1, SystemTime::now(), &[]).unwrap());
        assert!(!stamp.exists());
    }
}
