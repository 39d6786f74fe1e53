//! `weekly mail` against a real SMTP server on 127.0.0.1 (Python's aiosmtpd, which `.ci/run`
//! installs): a mail that cannot go waits in the outbox with its error and goes once the
//! server is there; nothing is lost, nothing is sent twice.

use crate::common;

use common::{demo_copy, free_port, smtp_server, stderr, stdout};
use std::path::Path;
use std::process::{Command, Output};

fn mail(ws: &Path, port: u16, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weekly"))
        .arg("--workspace")
        .arg(ws)
        .arg("mail")
        .args(args)
        .env_remove("WEEKLY_WORKSPACE")
        .env("WEEKLY_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
        .output()
        .unwrap()
}

/// The mails in the maildir `dir` (`new/`).
fn received(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join("new")) else {
        return Vec::new();
    };
    entries
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect()
}

#[test]
fn a_mail_waits_while_the_server_is_down_and_goes_once_it_is_up() {
    let ws = demo_copy("mail");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    std::fs::write(
        ws.join("weekly.toml"),
        format!("{config}\n[smtp]\nfrom = \"Rust 星期刊 <weekly@example.org>\"\n"),
    )
    .unwrap();
    let port = free_port();
    let maildir = ws.join("maildir");
    // Nothing listens yet: the mail is kept with its error.
    let o = mail(&ws, port, &["test", "--to", "Reader@Example.org"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("not sent: mail 1 to Reader@example.org"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("1 waiting in the outbox"),
        "{}",
        stderr(&o)
    );
    // Its next attempt is later: a plain `send` leaves it, `--now` sends it.
    let Some(_server) = smtp_server(port, &maildir) else {
        return;
    };
    let o = mail(&ws, port, &["send"]);
    assert!(stderr(&o).contains("0 sent, 0 failed"), "{}", stderr(&o));
    let o = mail(&ws, port, &["send", "--now"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("1 sent, 0 failed"), "{}", stderr(&o));
    let got = received(&maildir);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("To: Reader@example.org"), "{}", got[0]);
    assert!(got[0].contains("test mail from weekly"), "{}", got[0]);
    // Sent once: another send has nothing to do.
    let o = mail(&ws, port, &["send", "--now"]);
    assert!(
        stderr(&o).contains("0 sent, 0 failed") && stderr(&o).contains("0 waiting"),
        "{}",
        stderr(&o)
    );
    assert_eq!(received(&maildir).len(), 1);
    let status = mail(&ws, port, &["status"]);
    assert!(
        stdout(&status).contains("0 mails wait"),
        "{}",
        stdout(&status)
    );
}
