//! Helpers shared by the integration tests: running the binary, finding the corpus.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `weekly` with `args` (without a `WEEKLY_WORKSPACE` from the environment).
pub fn weekly(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weekly"))
        .args(args)
        .env_remove("WEEKLY_WORKSPACE")
        .output()
        .expect("run weekly")
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Python Trending Weekly corpus, or `None` (with a printed reason) when it is absent.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("WEEKLY_CORPUS").map_or_else(
        || repo_root().join("../shared/corpus/python-weekly"),
        PathBuf::from,
    );
    if dir.join("docs").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: corpus not found at {} (set WEEKLY_CORPUS)",
            dir.display()
        );
        None
    }
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
