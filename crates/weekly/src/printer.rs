//! Everything the program prints to the terminal goes through here.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

/// Prints an error chain to stderr: `error: …` then `caused by: …` lines; lines of the message
/// that start with `hint:` are kept as they are.
pub fn error(error: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    let mut chain = error.chain();
    if let Some(first) = chain.next() {
        let _ = writeln!(stderr, "error: {first}");
    }
    for cause in chain {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
}

/// Prints a line to stdout, ignoring a closed pipe (`weekly check | head`).
pub fn out(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
}

/// Prints a status line to stderr.
pub fn status(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// Prints text to stdout as it is (no newline added), ignoring a closed pipe.
pub fn raw(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
}
