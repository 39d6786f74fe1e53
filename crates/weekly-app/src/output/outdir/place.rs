//! Where a build of the output directory lives beside it, and the file-system steps around
//! it: the absolute output path, the sibling names (`.<out>.building-<pid>`, `.spare`,
//! `.lock`), the lock between builds, the one-step exchange, and the repair of what a killed
//! build left behind.

use super::{CARRIED, Say, is_plain_relative};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// `out` made absolute with its parent's links resolved (so `--out .` has a name and a parent).
pub(super) fn absolute(out: &Path) -> Result<PathBuf> {
    if out.exists() {
        return std::fs::canonicalize(out)
            .with_context(|| format!("cannot read `{}`", out.display()));
    }
    let name = out
        .file_name()
        .with_context(|| format!("`{}` cannot be an output directory", out.display()))?;
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create `{}`", parent.display()))?;
    Ok(std::fs::canonicalize(parent)
        .with_context(|| format!("cannot read `{}`", parent.display()))?
        .join(name))
}

/// A file beside `out` named `.<name>.<what>`.
pub(super) fn beside(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{what}"))
}

/// Takes the lock of builds into `out`, waiting (and saying so) while another build holds it.
pub(super) fn lock(out: &Path, say: Say<'_>) -> Result<std::fs::File> {
    let path = beside(out, "lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create the lock `{}`", path.display()))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => say(&format!(
            "waiting for another `weekly build` into `{}` to finish…",
            out.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock `{}`", path.display()));
        }
    }
    file.lock()
        .with_context(|| format!("cannot lock `{}`", path.display()))?;
    Ok(file)
}

/// Removes the folders above `path` that became empty, up to `root`.
pub(super) fn remove_empty_parents(path: &Path, root: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// `renameat2(a, b, RENAME_EXCHANGE)`: true when done, false when the file system cannot.
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP].contains(&e) => Ok(false),
        Err(e) => Err(std::io::Error::from(e))
            .with_context(|| format!("cannot exchange `{}` with `{}`", a.display(), b.display())),
    }
}

#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_: &Path, _: &Path) -> Result<bool> {
    Ok(false)
}

/// Puts right what builds killed before this one left beside `out` (the caller holds the lock,
/// so none of them is running): entries not ours that were carried into a staging directory go
/// back into the output, a site moved aside goes back if the output is missing, then the
/// staging and old directories are removed. A staging directory that cannot be emptied of
/// what is not ours is left alone.
pub(super) fn recover(out: &Path, say: Say<'_>) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let name = name.to_string_lossy();
    let prefix = |what: &str| format!(".{name}.{what}-");
    let (building, old) = (prefix("building"), prefix("old"));
    let pid_after = |file: &str, prefix: &str| {
        file.strip_prefix(prefix)
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut leftovers: Vec<(PathBuf, bool)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let is_old = pid_after(&file, &old);
            (is_old || pid_after(&file, &building)).then(|| (e.path(), is_old))
        })
        .collect();
    leftovers.sort();
    for (dir, is_old) in leftovers {
        if is_old && std::fs::symlink_metadata(out).is_err() {
            std::fs::rename(&dir, out).ok();
            continue;
        }
        if let Ok(list) = std::fs::read_to_string(dir.join(CARRIED)) {
            let mut all_back = true;
            for relative in list.lines().filter(|l| is_plain_relative(l)) {
                let (from, to) = (dir.join(relative), out.join(relative));
                if std::fs::symlink_metadata(&from).is_err() {
                    continue;
                }
                let back = std::fs::symlink_metadata(&to).is_err()
                    && to
                        .parent()
                        .is_some_and(|p| std::fs::create_dir_all(p).is_ok())
                    && std::fs::rename(&from, &to).is_ok();
                all_back &= back;
            }
            if !all_back {
                say(&format!(
                    "warning: `{}` holds files of `{}` that a killed build could not put back; \
                     left as it is",
                    dir.display(),
                    out.display()
                ));
                continue;
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
