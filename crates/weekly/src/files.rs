//! Reading and writing files: UTF-8 errors with a position, and writes that replace a file in
//! one step (a crash leaves the old file or the new one, never half of one).

use anyhow::{Context, Result, bail};
use std::io::Write as _;
use std::path::Path;

/// Reads a UTF-8 text file; a bad byte is reported with its line.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..offset].split(|&b| b == b'\n').count();
            bail!(
                "{}:{line}:1: not valid UTF-8 at byte {offset}; save the file as UTF-8",
                path.display()
            )
        }
    }
}

/// Writes `text` to `path` through a temporary file in the same directory and a rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.weekly-tmp"));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("failed to write `{}`", path.display()));
    }
    Ok(())
}
