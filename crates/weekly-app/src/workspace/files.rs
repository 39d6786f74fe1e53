//! Reading and writing files: UTF-8 errors with a position, writes that replace a file in one
//! step (a crash leaves the old file or the new one, never half of one), and the workspace's
//! trust boundary: a file is read only where its real path (links resolved) stays inside the
//! folder it was found in.

use anyhow::{Context, Result, bail};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Where a byte sequence stops being UTF-8: the byte offset and its 1-based line.
pub fn utf8_error_position(error: &std::string::FromUtf8Error) -> (usize, usize) {
    let offset = error.utf8_error().valid_up_to();
    let line = error.as_bytes()[..offset].split(|&b| b == b'\n').count();
    (offset, line)
}

/// Reads a UTF-8 text file; a bad byte is reported with its line.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    utf8(path, bytes)
}

fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).or_else(|e| {
        let (offset, line) = utf8_error_position(&e);
        bail!(
            "{}:{line}:1: not valid UTF-8 at byte {offset}; save the file as UTF-8",
            path.display()
        )
    })
}

/// Where `path` really is (every link resolved), when that is inside `root_real` (a canonical
/// path); `Ok(None)` when a link takes it outside.
pub fn real_path_inside(root_real: &Path, path: &Path) -> std::io::Result<Option<PathBuf>> {
    let real = std::fs::canonicalize(path)?;
    Ok(real.starts_with(root_real).then_some(real))
}

/// The error for a file that a link takes out of `root`.
pub fn outside_error(path: &Path, root: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "`{}` is a link that leads outside `{}`; it was not read",
        path.display(),
        root.display()
    )
}

/// Reads `path` only when its real path is inside `root_real` (see [`real_path_inside`]).
pub fn read_inside(root_real: &Path, path: &Path) -> Result<Vec<u8>> {
    match real_path_inside(root_real, path)
        .with_context(|| format!("failed to read `{}`", path.display()))?
    {
        Some(real) => {
            std::fs::read(real).with_context(|| format!("failed to read `{}`", path.display()))
        }
        None => Err(outside_error(path, root_real)),
    }
}

/// [`read_text`] for a file that must be inside `root_real`.
pub fn read_text_inside(root_real: &Path, path: &Path) -> Result<String> {
    let bytes = read_inside(root_real, path)?;
    utf8(path, bytes)
}

/// Numbers the temporary files of [`write_atomic`].
static NEXT_TMP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Writes `text` to `path` through a temporary file in the same directory and a rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    write_bytes_atomic(path, text.as_bytes())
}

/// Writes `bytes` to `path` like [`write_atomic`].
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    // Unique per process and call: two runs writing the same file must not share one.
    let n = NEXT_TMP.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.weekly-tmp-{}-{n}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        // A new file: never through a link or over someone else's file.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("failed to write `{}`", path.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_errors_name_the_line_of_the_bad_byte() {
        let e = String::from_utf8(b"ab\ncd\n\xffx".to_vec()).unwrap_err();
        assert_eq!(utf8_error_position(&e), (6, 3));
        let e = String::from_utf8(b"\xff".to_vec()).unwrap_err();
        assert_eq!(utf8_error_position(&e), (0, 1));
    }
}
