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

/// Says that the running test is skipped, and why, on the real standard error: `cargo test`
/// captures `eprintln!` of a passing test, so a skipped test would look like any other `ok`.
pub fn skip(reason: &str) {
    use std::io::Write as _;
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
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
        skip(&format!(
            "corpus not found at {} (set WEEKLY_CORPUS)",
            dir.display()
        ));
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

/// A fresh copy of the example workspace under the tests' temporary directory.
pub fn demo_copy(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("site-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&repo_root().join("examples/demo-weekly"), &dir);
    dir
}

/// The text of a file (the test fails, naming it, if it cannot be read).
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Whether Chromium and playwright-core are here (else the browser tests skip, unless CI
/// requires them).
pub fn browser_available() -> bool {
    let modules = repo_root().join("tests/browser/node_modules/playwright-core");
    if Path::new("/usr/bin/chromium").exists() && modules.is_dir() {
        return true;
    }
    assert!(
        std::env::var_os("WEEKLY_REQUIRE_BROWSER").is_none(),
        "WEEKLY_REQUIRE_BROWSER is set but Chromium or playwright-core is missing"
    );
    skip("needs /usr/bin/chromium and `npm ci --prefix tests/browser` (.ci/run installs both)");
    false
}

/// Runs `tests/browser/SCRIPT ARGS…` in node; its output, once it has succeeded.
pub fn node(script: &str, args: &[&std::ffi::OsStr]) -> String {
    let o = Command::new("node")
        .arg(repo_root().join("tests/browser").join(script))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{text}");
    text
}
