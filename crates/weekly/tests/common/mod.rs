//! Helpers shared by the integration tests: running the binary, finding the corpus.

#![allow(dead_code)]

pub mod server;

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

/// `weekly --workspace WS ARGS…`, to run or spawn, free of the environment's workspace,
/// database and mail server.
pub fn weekly_command(ws: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_weekly"));
    c.arg("--workspace")
        .arg(ws)
        .args(args)
        .env_remove("WEEKLY_WORKSPACE")
        .env_remove("WEEKLY_DATABASE_URL")
        .env_remove("WEEKLY_SMTP_URL");
    c
}

/// Runs [`weekly_command`].
pub fn weekly_at(ws: &Path, args: &[&str]) -> Output {
    weekly_command(ws, args).output().expect("run weekly")
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
/// Under CI (`CI` set, as every CI service sets it) a missing peer or data set fails the test
/// instead: a skipped test is not a passed one.
pub fn skip(reason: &str) {
    use std::io::Write as _;
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    assert!(
        !in_ci(),
        "{test} cannot run: {reason}; CI is set, so a missing peer fails the test"
    );
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
}

/// True under CI: `CI` is set to something else than `false` or `0`.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
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

/// `weekly import python-weekly SRC --into WS`, which must succeed.
pub fn import_corpus(src: &Path, ws: &Path) {
    let o = weekly(&[
        "import",
        "python-weekly",
        src.to_str().unwrap(),
        "--into",
        ws.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
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

/// A child process stopped when dropped (also when a test fails half-way).
pub struct Killed(pub std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether Python can import `module`; when it cannot, the test is skipped with a printed
/// reason, or fails when `WEEKLY_REQUIRE_SMTP` is set (`.ci/run` sets it and installs the mail
/// peers: aiosmtpd, dkimpy).
pub fn python_module(module: &str, package: &str) -> bool {
    let available = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        assert!(
            std::env::var_os("WEEKLY_REQUIRE_SMTP").is_none(),
            "WEEKLY_REQUIRE_SMTP is set but Python's {package} is missing"
        );
        skip(&format!(
            "needs Python's {package} (`pip install {package}`; .ci/run installs it)"
        ));
    }
    available
}

/// A real SMTP server on 127.0.0.1:`port` (Python's aiosmtpd) storing every mail in the maildir
/// `dir`; `None` (with a printed reason) when aiosmtpd is not installed, unless
/// `WEEKLY_REQUIRE_SMTP` is set (`.ci/run` sets it and installs aiosmtpd).
pub fn smtp_server(port: u16, dir: &Path) -> Option<Killed> {
    if !python_module("aiosmtpd", "aiosmtpd") {
        return None;
    }
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let child = Killed(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(child);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("aiosmtpd did not start on port {port}");
}

/// A new, empty database on the test PostgreSQL server (`WEEKLY_TEST_POSTGRES_URL`, started
/// by `.ci/run` or `scripts/pg-test-cluster.sh`), made with `psql`; `None` with a printed
/// reason when there is no server (a failure with `WEEKLY_REQUIRE_POSTGRES=1`).
#[allow(dead_code)]
pub fn postgres_database() -> Option<String> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let admin = match std::env::var("WEEKLY_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var_os("WEEKLY_REQUIRE_POSTGRES").is_none(),
                "WEEKLY_REQUIRE_POSTGRES is set but WEEKLY_TEST_POSTGRES_URL is not"
            );
            skip(
                "WEEKLY_TEST_POSTGRES_URL is not set (scripts/pg-test-cluster.sh starts a server)",
            );
            return None;
        }
    };
    let name = format!(
        "weekly_cli_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let out = std::process::Command::new("psql")
        .args([
            admin.as_str(),
            "-q",
            "-c",
            &format!("CREATE DATABASE {name}"),
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("psql runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Some(format!("{base}/{name}"))
}
