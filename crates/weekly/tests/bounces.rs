//! `weekly bounces import` end to end: issues sent by `weekly send` through a real SMTP server
//! on 127.0.0.1 (aiosmtpd, `support/smtp_server.py`), then bounce reports read from an mbox
//! and a Maildir. A report made up by anyone (no returned message of ours, or one nested in a
//! forwarded mail) counts nothing; a genuine one — built around a message the server received —
//! counts one bounce however often it is read, and `bounce_after` of them mark the address.

use crate::common;

use common::{Killed, demo_copy, free_port, repo_root, stderr, stdout, weekly_at};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The scripted SMTP server on `port`, saving each message under `saved`; `None` when
/// aiosmtpd is missing and CI does not require it.
fn smtp(port: u16, dir: &Path) -> Option<Killed> {
    if !common::python_module("aiosmtpd", "aiosmtpd") {
        return None;
    }
    let child = Command::new("python3")
        .arg(repo_root().join("crates/weekly/tests/support/smtp_server.py"))
        .arg(port.to_string())
        .arg(dir.join("log"))
        .arg("--save")
        .arg(dir.join("saved"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let child = Killed(child);
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(child);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the SMTP server did not start on port {port}");
}

/// The messages the server saved to `to`, in the order they came.
fn saved_to(dir: &Path, to: &str) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("saved"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort_by_key(|p| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
    });
    files
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .filter(|raw| {
            let message = mail_parser::MessageParser::default().parse(raw).unwrap();
            message
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                == Some(to)
        })
        .collect()
}

/// A report from `to`'s server of a permanent failure of `to`, returning `returned` whole (or
/// only its headers).
fn dsn(to: &str, returned: Option<&[u8]>, headers_only: bool) -> Vec<u8> {
    let mut out = format!(
        "From: MAILER-DAEMON@mx.example.net\r\nTo: weekly@example.org\r\n\
Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"=_B_=\"\r\n\r\n\
--=_B_=\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\
--=_B_=\r\nContent-Type: message/delivery-status\r\n\r\n\
Reporting-MTA: dns; mx.example.net\r\n\r\n\
Final-Recipient: rfc822; {to}\r\nAction: failed\r\nStatus: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n"
    )
    .into_bytes();
    if let Some(returned) = returned {
        let (ctype, body) = if headers_only {
            let end = returned
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map_or(returned.len(), |at| at + 2);
            ("text/rfc822-headers", &returned[..end])
        } else {
            ("message/rfc822", returned)
        };
        out.extend_from_slice(format!("--=_B_=\r\nContent-Type: {ctype}\r\n\r\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--=_B_=--\r\n");
    out
}

/// `messages` as an mbox file.
fn mbox(path: &Path, messages: &[Vec<u8>]) {
    let mut out = Vec::new();
    for message in messages {
        out.extend_from_slice(b"From MAILER-DAEMON Sat Dec  5 10:00:00 2026\n");
        for line in message.split_inclusive(|&b| b == b'\n') {
            if line.starts_with(b"From ") {
                out.push(b'>');
            }
            out.extend_from_slice(line);
        }
        out.push(b'\n');
    }
    std::fs::write(path, out).unwrap();
}

fn status(ws: &Path, email: &str) -> String {
    let o = weekly_at(ws, &["subscribers", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["email"] == email)
        .unwrap()["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn import(ws: &Path, mailbox: &Path) -> String {
    let o = weekly_at(ws, &["bounces", "import", mailbox.to_str().unwrap()]);
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{out}");
    out
}

#[test]
fn only_reports_of_messages_we_sent_count_and_bounce_after_of_them_mark_the_address() {
    let port = free_port();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bounces-import");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let Some(_server) = smtp(port, &dir) else {
        return;
    };
    let ws = demo_copy("bounces-import");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    std::fs::write(
        ws.join("weekly.toml"),
        format!(
            "{config}\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\n\
             from = \"Rust 星期刊 <weekly@example.org>\"\nbounce_after = 2\n"
        ),
    )
    .unwrap();
    let csv = ws.join("subscribers.csv");
    std::fs::write(
        &csv,
        "email,lang,status\nalice@example.org,zh,confirmed\nbob@example.org,zh,confirmed\n",
    )
    .unwrap();
    let o = weekly_at(&ws, &["subscribers", "import", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for issue in ["7", "6"] {
        let o = weekly_at(&ws, &["send", issue, "--lang", "zh"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    }
    let alice = saved_to(&dir, "alice@example.org");
    assert_eq!(alice.len(), 2, "one message per issue");

    // Forged: a report naming Alice with nothing of ours in it, one returning a message we
    // never sent, and a genuine report forwarded inside a `multipart/mixed`.
    let genuine = dsn("alice@example.org", Some(&alice[0]), false);
    let body_at = genuine.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let mut forwarded = b"From: someone@example.net\r\nTo: weekly@example.org\r\n\
Subject: Fwd: bounce\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"OUT\"\r\n\
\r\n--OUT\r\nContent-Type: multipart/report; report-type=delivery-status; \
boundary=\"=_B_=\"\r\n\r\n"
        .to_vec();
    forwarded.extend_from_slice(&genuine[body_at..]);
    forwarded.extend_from_slice(b"\r\n--OUT--\r\n");
    let forged = dir.join("forged.mbox");
    mbox(
        &forged,
        &[
            dsn("alice@example.org", None, false),
            dsn(
                "alice@example.org",
                Some(b"Message-ID: <weekly.1.1.0123456789abcdef0123456789abcdef@example.org>\r\n\r\nx\r\n"),
                false,
            ),
            forwarded,
        ],
    );
    let out = import(&ws, &forged);
    assert!(
        out.contains("3 messages read") && out.contains("2 not about a message we sent"),
        "{out}"
    );
    assert!(out.contains("0 bounce(s) counted now"), "{out}");
    assert_eq!(status(&ws, "alice@example.org"), "confirmed");

    // Genuine, in a Maildir: one bounce, however often it is read; `bounce_after = 2`.
    let maildir = dir.join("Maildir");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    std::fs::write(maildir.join("new/1.bounce"), &genuine).unwrap();
    let out = import(&ws, &maildir);
    assert!(
        out.contains("1 bounce(s) counted now (0 subscriber(s) marked bounced after 2)"),
        "{out}"
    );
    let out = import(&ws, &maildir);
    assert!(
        out.contains("0 bounce(s) counted now") && out.contains("1 counted before"),
        "{out}"
    );
    assert_eq!(status(&ws, "alice@example.org"), "confirmed");

    // The second issue's report (its headers only): the second bounce marks Alice.
    std::fs::write(
        maildir.join("new/2.bounce"),
        dsn("alice@example.org", Some(&alice[1]), true),
    )
    .unwrap();
    let out = import(&ws, &maildir);
    assert!(
        out.contains("1 bounce(s) counted now (1 subscriber(s) marked bounced after 2)"),
        "{out}"
    );
    assert_eq!(status(&ws, "alice@example.org"), "bounced");
    assert_eq!(status(&ws, "bob@example.org"), "confirmed");
}
