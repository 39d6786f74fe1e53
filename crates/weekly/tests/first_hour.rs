//! An editor's first hour, as a script: from an empty folder, `init` (a free newsletter in
//! Chinese and English), `new`, a bilingual draft written `中文---English` (one description
//! left in Chinese), `split`, `translate` (the model stand-in fills only that description),
//! `check` with no error, `build` (issue 1 in full), `send 1 --test`, `send 1 --at` a few
//! seconds ahead with `weekly server` running and restarted before the time (delivered once,
//! after it), `doctor --offline`, and at the end `git status` shows no file that holds a
//! secret, an address, paid text or mail.

use crate::common;

use common::{Killed, free_port, smtp_server, stderr, stdout, weekly_at};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use weekly_fake_llm::{FakeLlm, Options};

/// Every mail of the maildir `dir`, decoded, with the time it arrived.
fn mails(dir: &Path) -> Vec<(std::time::SystemTime, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir.join("new")).into_iter().flatten() {
        let entry = entry.unwrap();
        let at = entry.metadata().unwrap().modified().unwrap();
        let bytes = std::fs::read(entry.path()).unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        let subject = parsed.subject().unwrap_or("").to_owned();
        let to = parsed
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or("")
            .to_owned();
        let body = parsed.body_text(0).unwrap_or_default().into_owned();
        out.push((at, format!("To: {to}\nSubject: {subject}\n\n{body}")));
    }
    out
}

/// Waits (30 s at most) until `dir` holds `n` mails.
fn wait_for_mails(dir: &Path, n: usize) -> Vec<(std::time::SystemTime, String)> {
    let started = Instant::now();
    loop {
        let found = mails(dir);
        if found.len() >= n || started.elapsed() > Duration::from_secs(30) {
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn server(ws: &Path, smtp: &str) -> Killed {
    let child = Command::new(env!("CARGO_BIN_EXE_weekly"))
        .arg("--workspace")
        .arg(ws)
        .args(["server", "--listen", "127.0.0.1:0", "--endpoints-only"])
        .env_remove("WEEKLY_DATABASE_URL")
        .env("WEEKLY_SMTP_URL", smtp)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    Killed(child)
}

const DRAFT: &str = "---
title: 'Rust 周刊#1：从零开始---Starting from Zero'
pubDate: 2026-12-12
---

你好，这是第一期。

## 🦄文章&教程

1、[所有权入门---Ownership for Beginners](https://blog.example.org/ownership)

用三个小例子讲清楚移动与借用。---Three small examples make moves and borrows clear.

2、[错误处理的取舍---Trade-offs in Error Handling](https://blog.example.org/errors)

库与应用各自应当如何设计错误类型。

## 🐿️项目&资源

1、[fastjson：更快的 JSON 解析---fastjson: Faster JSON Parsing](https://github.com/example-org/fastjson)

基于 SIMD 的解析器，零拷贝读取字段。---A SIMD-based parser that reads fields without copying.
";

#[test]
fn a_new_editor_sends_issue_one_without_a_trap() {
    if !common::python_module("aiosmtpd", "aiosmtpd") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let ws: PathBuf = tmp.path().join("rust-weekly");
    let run = |args: &[&str]| {
        let o = weekly_at(&ws, args);
        assert!(o.status.success(), "{args:?}: {}{}", stdout(&o), stderr(&o));
        format!("{}{}", stdout(&o), stderr(&o))
    };
    // init: free, two languages, next commands named.
    let o = common::weekly(&[
        "init",
        ws.to_str().unwrap(),
        "--name",
        "Rust 周刊",
        "--languages",
        "zh,en",
        "--free",
        "--base-url",
        "https://rust.example.org",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("weekly new"), "{}", stderr(&o));
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    assert!(config.contains("free_after = 0") && config.contains("\"Rust 周刊\""));
    assert!(ws.join(".gitignore").is_file() && ws.join("README.md").is_file());

    // new: issue 1 with a draft of every section.
    let said = run(&["new", "--date", "2026-12-12"]);
    assert!(said.contains("issue #1 of 2026-12-12"), "{said}");
    let draft = std::fs::read_to_string(ws.join("issues/0001/draft.md")).unwrap();
    assert!(draft.contains("## 🦄文章&教程") && draft.contains("pubDate: 2026-12-12"));
    // The editor writes the draft.
    std::fs::write(ws.join("issues/0001/draft.md"), DRAFT).unwrap();
    run(&["split", "1"]);
    let en = std::fs::read_to_string(ws.join("issues/0001/en.md")).unwrap();
    assert!(
        en.contains("\nThree small examples make moves and borrows clear.\n"),
        "{en}"
    );
    assert!(
        en.contains("库与应用"),
        "the Chinese-only description waits for translate"
    );

    // translate: only what is still Chinese goes to the model; the rest is kept.
    let llm = FakeLlm::start(Options::default()).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_weekly"))
        .arg("--workspace")
        .arg(&ws)
        .args(["translate", "1", "--to", "en"])
        .env_remove("WEEKLY_DATABASE_URL")
        .env_remove("WEEKLY_LLM_API_KEY")
        .env("WEEKLY_LLM_BASE_URL", llm.base_url())
        .env("WEEKLY_LLM_MODEL", "fake-1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // The greeting and the description written only in Chinese: two requests.
    assert_eq!(llm.request_count(), 2, "{}", stderr(&o));
    let en = std::fs::read_to_string(ws.join("issues/0001/en.md")).unwrap();
    assert!(!en.contains("库与应用") && !en.contains("你好"), "{en}");
    assert!(
        en.contains("Three small examples make moves and borrows clear."),
        "{en}"
    );
    assert!(en.contains("[Ownership for Beginners](https://blog.example.org/ownership)"));

    // check: no error; build: issue 1 in full.
    let o = weekly_at(&ws, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    run(&["build"]);
    let page = std::fs::read_to_string(ws.join("site/index.html")).unwrap();
    assert!(
        !page.contains("订阅后可阅读每期全文"),
        "a free newsletter promises nothing paid"
    );
    let issue = std::fs::read_to_string(ws.join("site/zh/1/index.html")).unwrap();
    assert!(issue.contains("用三个小例子讲清楚移动与借用") && !issue.contains("class=\"notice\""));

    // send --test: the real mails (zh, en × free, paid) to the editor, nothing recorded.
    let smtp_port = free_port();
    let maildir = tmp.path().join("maildir");
    let Some(_smtp) = smtp_server(smtp_port, &maildir) else {
        return;
    };
    let smtp = format!("smtp://127.0.0.1:{smtp_port}");
    let set_from = std::fs::read_to_string(ws.join("weekly.toml"))
        .unwrap()
        .replacen(
            "from = \"\"",
            "from = \"Rust 周刊 <weekly@rust.example.org>\"",
            1,
        );
    std::fs::write(ws.join("weekly.toml"), set_from).unwrap();
    let o = common::weekly_command(&ws, &["send", "1", "--test", "editor@example.org"])
        .env("WEEKLY_SMTP_URL", &smtp)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let tests = wait_for_mails(&maildir, 4);
    assert_eq!(tests.len(), 4, "{tests:?}");
    assert!(
        tests.iter().all(|(_, m)| m.contains("Subject: [test] ")),
        "{tests:?}"
    );
    assert!(run(&["campaigns"]).contains("no campaigns yet"));

    // send --at, 3 s ahead: a server started and stopped before the time does not send it,
    // the next one does, once, after the time.
    run(&["subscribers", "add", "reader@example.org"]);
    let due = chrono::Local::now() + chrono::Duration::seconds(3);
    let at = due.format("%Y-%m-%d %H:%M:%S").to_string();
    let said = run(&["send", "1", "--at", &at]);
    assert!(said.contains("scheduled send #1"), "{said}");
    let first = server(&ws, &smtp);
    std::thread::sleep(Duration::from_millis(500));
    drop(first);
    assert!(
        run(&["campaigns"]).contains("— waiting"),
        "not sent before its time"
    );
    let _second = server(&ws, &smtp);
    let all = wait_for_mails(&maildir, 5);
    let issue_mails: Vec<_> = all
        .iter()
        .filter(|(_, m)| m.contains("To: reader@example.org"))
        .collect();
    assert_eq!(issue_mails.len(), 1, "{all:?}");
    let arrived: chrono::DateTime<chrono::Local> = issue_mails[0].0.into();
    assert!(
        arrived >= due - chrono::Duration::milliseconds(999),
        "{arrived} before {due}"
    );
    // The mail server has the mail a moment before the sender records it: wait for the record.
    let until = std::time::Instant::now() + Duration::from_secs(30);
    let listed = loop {
        let listed = run(&["campaigns"]);
        if listed.contains("— done") || std::time::Instant::now() > until {
            break listed;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(listed.contains("— done"), "{listed}");
    // Nothing more arrives: the send was done once.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        mails(&maildir)
            .iter()
            .filter(|(_, m)| m.contains("To: reader@example.org"))
            .count(),
        1
    );

    // publish --at: the server runs every step of `weekly publish` at the time; the mail
    // step finds the campaigns sent already (nobody gets the issue twice) and the README's
    // list is written.
    let due = chrono::Local::now() + chrono::Duration::seconds(2);
    let said = run(&[
        "publish",
        "1",
        "--at",
        &due.format("%Y-%m-%d %H:%M:%S").to_string(),
    ]);
    assert!(said.contains("scheduled publish #2"), "{said}");
    let started = Instant::now();
    let listed = loop {
        let listed = run(&["campaigns"]);
        let line = listed
            .lines()
            .find(|l| l.contains("scheduled #2"))
            .unwrap_or("")
            .to_owned();
        if line.contains("— done")
            || line.contains("— failed")
            || started.elapsed() > Duration::from_mins(1)
        {
            break line;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(
        listed.contains("publish issue 1") && listed.contains("— done"),
        "{listed}"
    );
    let readme = std::fs::read_to_string(ws.join("README.md")).unwrap();
    assert!(readme.contains("从零开始"), "{readme}");
    assert_eq!(
        mails(&maildir)
            .iter()
            .filter(|(_, m)| m.contains("To: reader@example.org"))
            .count(),
        1
    );

    // doctor --offline: contacts nothing, says what is there.
    let o = weekly_at(&ws, &["doctor", "--offline"]);
    let said = stdout(&o);
    assert!(
        said.contains("font for Han characters") && said.contains("mail server"),
        "{said}"
    );

    // git: nothing that holds a secret, an address, paid text or mail is offered to commit.
    if Command::new("git").arg("--version").output().is_ok() {
        run(&["build", "--full"]);
        let git = |args: &[&str]| {
            Command::new("git")
                .current_dir(&ws)
                .args(args)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .output()
                .unwrap()
        };
        assert!(git(&["init", "-q"]).status.success());
        let status = String::from_utf8(git(&["status", "--porcelain", "-uall"]).stdout).unwrap();
        for secret in [
            "weekly.db",
            ".weekly-secret",
            "site-full/",
            "outbox/",
            ".weekly-cache/",
        ] {
            assert!(
                !status.contains(secret),
                "{secret} would be committed:\n{status}"
            );
        }
        assert!(status.contains("weekly.toml") && status.contains("issues/0001/zh.md"));
    }
}

/// `weekly doctor` contacts what is configured and says what is missing: a mail server that
/// answers (ok), one that does not (missing, exit 1), a secret file others may read.
#[test]
fn doctor_says_what_is_missing_and_what_to_do() {
    if !common::python_module("aiosmtpd", "aiosmtpd") {
        return;
    }
    let ws = common::demo_copy("doctor");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    std::fs::write(
        ws.join("weekly.toml"),
        format!("{config}\n[smtp]\nfrom = \"Rust 星期刊 <weekly@example.org>\"\n"),
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let Some(_smtp) = smtp_server(port, &tmp.path().join("maildir")) else {
        return;
    };
    let doctor = |smtp: &str, args: &[&str]| {
        let mut all = vec!["doctor"];
        all.extend_from_slice(args);
        common::weekly_command(&ws, &all)
            .env("WEEKLY_SMTP_URL", smtp)
            .env_remove("WEEKLY_TELEGRAM_BOT_TOKEN")
            .env_remove("WEEKLY_LLM_API_KEY")
            .output()
            .unwrap()
    };
    let good = doctor(&format!("smtp://127.0.0.1:{port}?tls=none"), &[]);
    let said = stdout(&good);
    assert!(said.contains("ok   mail server: connected"), "{said}");
    assert!(said.contains("--   Telegram bot: no bot token"), "{said}");
    assert_eq!(good.status.code(), Some(0), "{said}{}", stderr(&good));
    // Nothing listens on this port: missing, with what to check, and exit 1.
    let dead = free_port();
    let bad = doctor(&format!("smtp://127.0.0.1:{dead}?tls=none"), &[]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stdout(&bad).contains("MISS mail server"),
        "{}",
        stdout(&bad)
    );
    // Offline, it is not contacted at all.
    let offline = doctor(&format!("smtp://127.0.0.1:{dead}?tls=none"), &["--offline"]);
    assert!(
        stdout(&offline).contains("--   mail server: offline"),
        "{}",
        stdout(&offline)
    );
    // A secret file others may read is missing its protection.
    std::fs::write(
        ws.join(".weekly-secret"),
        "0123456789abcdef0123456789abcdef",
    )
    .unwrap();
    std::fs::set_permissions(
        ws.join(".weekly-secret"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let open = doctor(&format!("smtp://127.0.0.1:{port}?tls=none"), &["--offline"]);
    assert!(
        stdout(&open).contains("MISS secret file: mode 644"),
        "{}",
        stdout(&open)
    );
    assert!(stdout(&open).contains("chmod 600"), "{}", stdout(&open));
    assert_eq!(open.status.code(), Some(1));
}
