//! Reading a Maildir or an mbox file with a bound: each message is handed out whole when it is
//! at most the cap, or as too large after at most that many bytes were read; links are not
//! followed.

use anyhow::{Context, Result};
use std::io::{BufRead, Read};
use std::path::Path;

/// A message of a mailbox, as [`read_mailbox`] hands it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mail<'m> {
    /// Its bytes (at most [`LARGEST`]).
    Message(&'m [u8]),
    /// Larger than the limit: skipped after reading at most the limit.
    TooLarge,
}

/// Reads the file at `path` if it is at most `cap` bytes, reading no more than `cap + 1`.
fn read_capped(path: &Path, cap: usize) -> Result<Option<Vec<u8>>> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let file = std::fs::OpenOptions::new()
        .read(true)
        // A link put in the mailbox after it was listed is not followed either.
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits().cast_signed())
        .open(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut raw = Vec::new();
    file.take(cap as u64 + 1)
        .read_to_end(&mut raw)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    Ok((raw.len() <= cap).then_some(raw))
}

/// Appends the next line of `reader` (with its `\n`) to `line`, keeping at most `keep` bytes
/// of it: the rest of a longer line is read and dropped. False at the end of the input.
fn read_line_capped(reader: &mut impl BufRead, line: &mut Vec<u8>, keep: usize) -> Result<bool> {
    let mut any = false;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(any);
        }
        any = true;
        let (taken, done) = match memchr_newline(buf) {
            Some(at) => (at + 1, true),
            None => (buf.len(), false),
        };
        let room = keep.saturating_sub(line.len());
        line.extend_from_slice(&buf[..taken.min(room)]);
        reader.consume(taken);
        if done {
            return Ok(true);
        }
    }
}

fn memchr_newline(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\n')
}

/// The messages of an mbox (`From ` lines between them; `>From ` unescaped), each handed to
/// `each` when it is at most `cap` bytes. A longer one is read no further than `cap` bytes
/// into memory: the rest is skipped line by line, keeping only what tells a `From ` line.
pub fn read_mbox(
    reader: &mut impl BufRead,
    cap: usize,
    each: &mut dyn FnMut(Mail) -> Result<()>,
) -> Result<()> {
    let mut message: Vec<u8> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut started = false;
    let mut too_large = false;
    let mut finish = |message: &mut Vec<u8>, too_large: &mut bool| -> Result<()> {
        if std::mem::take(too_large) {
            each(Mail::TooLarge)?;
        } else {
            each(Mail::Message(message))?;
        }
        message.clear();
        Ok(())
    };
    loop {
        line.clear();
        // A line longer than what the message may still take is kept only as far as that
        // (it makes the message too large anyway); a skipped message's lines as far as
        // `From `.
        let keep = if too_large {
            8
        } else {
            (cap + 1).saturating_sub(message.len()).max(8)
        };
        if !read_line_capped(reader, &mut line, keep)? {
            break;
        }
        if line.starts_with(b"From ") {
            if started {
                finish(&mut message, &mut too_large)?;
            }
            started = true;
            continue;
        }
        if !started || too_large {
            continue;
        }
        let quoted = line.iter().position(|&b| b != b'>').unwrap_or(line.len());
        let text = if quoted > 0 && line[quoted..].starts_with(b"From ") {
            &line[1..]
        } else {
            &line[..]
        };
        message.extend_from_slice(text);
        if message.len() > cap {
            too_large = true;
            message.clear();
        }
    }
    if started {
        finish(&mut message, &mut too_large)?;
    }
    Ok(())
}

/// The raw messages of a Maildir (`cur/` and `new/`) or an mbox file at `path`, each at most
/// `cap` bytes; a larger one is handed out as [`Mail::TooLarge`].
pub fn read_mailbox(
    path: &Path,
    cap: usize,
    each: &mut dyn FnMut(Mail) -> Result<()>,
) -> Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if meta.is_dir() {
        let mut found = false;
        for sub in ["new", "cur"] {
            let dir = path.join(sub);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            found = true;
            let mut files: Vec<_> = entries.filter_map(Result::ok).collect();
            files.sort_by_key(std::fs::DirEntry::file_name);
            for entry in files {
                // Regular files only: a link in a mailbox is not followed.
                if !entry.file_type().is_ok_and(|kind| kind.is_file()) {
                    continue;
                }
                match read_capped(&entry.path(), cap)? {
                    Some(raw) => each(Mail::Message(&raw))?,
                    None => each(Mail::TooLarge)?,
                }
            }
        }
        anyhow::ensure!(
            found,
            "`{}` is a folder but no Maildir (it has no `new/` or `cur/`)",
            path.display()
        );
        return Ok(());
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut reader = std::io::BufReader::with_capacity(64 << 10, file);
    read_mbox(&mut reader, cap, each)
        .with_context(|| format!("cannot read the mbox `{}`", path.display()))
}
