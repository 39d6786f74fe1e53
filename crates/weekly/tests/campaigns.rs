//! `weekly send` against a real SMTP server on 127.0.0.1 (aiosmtpd, scripted by
//! `support/smtp_server.py`): each subscriber gets the edition of their language and tier once,
//! with the headers mail clients and RFC 8058 want; a server that refuses for a while is waited
//! out; a permanent refusal marks the subscriber; and a sender killed with SIGKILL at random
//! moments — or one of three workers sharing a PostgreSQL database — neither skips anyone nor
//! sends twice beyond the in-flight messages it reports.

use crate::common;

use common::{
    Killed, demo_copy, free_port, postgres_database, repo_root, stderr, stdout, weekly_at,
    weekly_command,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The scripted SMTP server on `port`, logging to `log`; `None` (with a printed reason) when
/// aiosmtpd is missing and CI does not require it.
pub(crate) fn smtp(port: u16, log: &Path, extra: &[&str]) -> Option<Killed> {
    if !common::python_module("aiosmtpd", "aiosmtpd") {
        return None;
    }
    let child = Command::new("python3")
        .arg(repo_root().join("crates/weekly/tests/support/smtp_server.py"))
        .arg(port.to_string())
        .arg(log)
        .args(extra)
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

/// A copy of the example with `[smtp]` pointing at `port` and `subscribers` imported.
pub(crate) fn workspace(
    name: &str,
    port: u16,
    database: Option<&str>,
    subscribers: &str,
) -> PathBuf {
    let ws = demo_copy(name);
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    let config = config.replace(
        "[database]\nurl = \"sqlite:weekly.db\"",
        &format!(
            "[database]\nurl = \"{}\"",
            database.unwrap_or("sqlite:weekly.db")
        ),
    );
    std::fs::write(
        ws.join("weekly.toml"),
        format!(
            "{config}\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\n\
             from = \"Rust 星期刊 <weekly@example.org>\"\nunsubscribe_mailto = \"leave@example.org\"\n\
             concurrency = 4\nretry_seconds = 1\nlease_seconds = 3\nbounce_after = 1\n"
        ),
    )
    .unwrap();
    let csv = ws.join("subscribers.csv");
    std::fs::write(&csv, subscribers).unwrap();
    let o = weekly_at(&ws, &["subscribers", "import", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    ws
}

/// The recipients the server took, with how often each.
fn received(log: &Path) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for line in std::fs::read_to_string(log).unwrap_or_default().lines() {
        let rcpt = line.split('\t').next().unwrap_or_default().to_owned();
        *out.entry(rcpt).or_insert(0) += 1;
    }
    out
}

fn lines(log: &Path) -> usize {
    std::fs::read_to_string(log).map_or(0, |t| t.lines().count())
}

/// `weekly campaigns --format json`.
fn campaigns(ws: &Path) -> Vec<serde_json::Value> {
    let o = weekly_at(ws, &["campaigns", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn header(message: &mail_parser::Message, name: &str) -> String {
    message
        .header_raw(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn each_subscriber_gets_their_edition_once_through_refusals_and_a_550_marks_the_address() {
    let port = free_port();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("campaign-delivery");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("log");
    let saved = dir.join("saved");
    let ws = workspace(
        "campaign-delivery",
        port,
        None,
        "email,name,languages,tier,paid_until,status\n\
         zh@example.org,,zh,free,,confirmed\n\
         en@example.org,,en,free,,confirmed\n\
         both@example.org,,\"zh,en\",paid,2099-12-31,confirmed\n\
         none@example.org,,,free,,confirmed\n\
         gone@example.org,,zh,free,,confirmed\n\
         left@example.org,,zh,free,,unsubscribed\n",
    );
    // Down (421) for the first two seconds, then greylisting (451) twice, and one address
    // that does not exist (550).
    let Some(_server) = smtp(
        port,
        &log,
        &[
            "--save",
            saved.to_str().unwrap(),
            "--down",
            "2",
            "--defer",
            "2",
            "--reject",
            "gone@",
        ],
    ) else {
        return;
    };
    let o = weekly_at(&ws, &["send", "7"]);
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "one permanent failure: {out}");
    assert!(out.contains("refused for now"), "{out}");
    assert!(out.contains("now marked bounced"), "{out}");
    let got = received(&log);
    let expected: BTreeMap<String, usize> = [
        ("both@example.org", 2),
        ("en@example.org", 1),
        ("none@example.org", 1),
        ("zh@example.org", 1),
    ]
    .into_iter()
    .map(|(a, n)| (a.to_owned(), n))
    .collect();
    assert_eq!(got, expected, "{out}");

    // Each message, parsed back: the right edition, both parts, the list headers.
    let mut editions = Vec::new();
    let mut tokens = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&saved).unwrap() {
        let raw = std::fs::read(entry.unwrap().path()).unwrap();
        let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let to = message
            .to()
            .unwrap()
            .first()
            .unwrap()
            .address()
            .unwrap()
            .to_owned();
        let subject = message.subject().unwrap().to_owned();
        let text = message.body_text(0).unwrap().into_owned();
        let html = message.body_html(0).unwrap().into_owned();
        let lang = if subject.contains("星期刊") {
            "zh"
        } else {
            "en"
        };
        let tier = if text.contains("designing-error-types") {
            "paid"
        } else {
            "free"
        };
        editions.push(format!("{to} {lang} {tier}"));
        let unsubscribe = header(&message, "List-Unsubscribe");
        assert!(
            unsubscribe.starts_with("<https://weekly.example.org/unsubscribe?token=")
                && unsubscribe.ends_with(", <mailto:leave@example.org?subject=unsubscribe>"),
            "{unsubscribe}"
        );
        assert_eq!(
            header(&message, "List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click"
        );
        assert!(header(&message, "List-Id").ends_with("<newsletter.example.org>"));
        assert!(message.message_id().is_some() && message.date().is_some());
        // The links in the body are the recipient's own, and the same as the header's.
        let link = unsubscribe[1..unsubscribe.find('>').unwrap()].to_owned();
        assert!(text.contains(&link), "{text}");
        assert!(html.contains(&link.replace('&', "&amp;")), "{html}");
        assert!(html.contains("<table role=\"presentation\""));
        // The link names the campaign's language (its page speaks it); the token is the
        // subscriber's.
        assert!(link.ends_with(&format!("&lang={lang}")), "{link}");
        tokens.insert(link.split("&lang=").next().unwrap().to_owned());
    }
    editions.sort();
    assert_eq!(
        editions,
        [
            "both@example.org en paid",
            "both@example.org zh paid",
            "en@example.org en free",
            "none@example.org zh free",
            "zh@example.org zh free",
        ]
    );
    assert_eq!(tokens.len(), 4, "one unsubscribe link per subscriber");

    // The 550 is recorded and the subscriber is out of the next campaign.
    let list = weekly_at(&ws, &["subscribers", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    let gone = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["email"] == "gone@example.org")
        .unwrap();
    assert_eq!(gone["status"], "bounced", "{gone}");
    let all = campaigns(&ws);
    assert_eq!(all.len(), 4);
    let zh_free = all
        .iter()
        .find(|c| c["lang"] == "zh" && c["tier"] == "free")
        .unwrap();
    assert_eq!(
        (&zh_free["total"], &zh_free["sent"], &zh_free["failed"]),
        (&3.into(), &2.into(), &1.into()),
        "{zh_free}"
    );
    assert!(all.iter().all(|c| !c["finished_at"].is_null()));

    // Sending again sends nothing.
    let again = weekly_at(&ws, &["send", "7"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("nothing to send"),
        "{}",
        stdout(&again)
    );
    assert_eq!(received(&log), expected);
}

/// A simple generator for the kill moments (seeded from the clock; the seed is printed).
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn many_subscribers(n: usize) -> String {
    use std::fmt::Write as _;
    let mut csv = String::from("email,languages,tier,status\n");
    for i in 0..n {
        writeln!(csv, "reader{i:05}@example.org,zh,free,confirmed").unwrap();
    }
    csv
}

/// Kills `child` with SIGKILL and reaps it.
fn kill9(mut child: Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Waits until the server logged `count` messages (or `child` ended).
fn wait_for(log: &Path, count: usize, child: &mut Child) {
    let start = Instant::now();
    while lines(log) < count && child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_mins(5), "no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Checks the server's record after a campaign to `n` readers: everyone once, except at most
/// the messages reported as sent again.
fn everyone_once(ws: &Path, log: &Path, n: usize) {
    let got = received(log);
    assert_eq!(got.len(), n, "every recipient got the issue");
    let twice: usize = got.values().map(|c| c - 1).sum();
    let all = campaigns(ws);
    let zh = all
        .iter()
        .find(|c| c["lang"] == "zh" && c["tier"] == "free")
        .unwrap();
    let resent = zh["resent"].as_u64().unwrap() as usize;
    eprintln!("duplicates {twice}, reported as possibly sent twice {resent}");
    assert!(
        twice <= resent,
        "{twice} duplicates, {resent} reported: {zh}"
    );
    assert_eq!(zh["sent"].as_u64().unwrap() as usize, n, "{zh}");
    assert!(!zh["finished_at"].is_null());
}

#[test]
fn a_sender_killed_at_random_moments_skips_no_one_and_reports_what_may_come_twice() {
    const N: usize = 10_000;
    let port = free_port();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("campaign-crash");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("log");
    let ws = workspace("campaign-crash", port, None, &many_subscribers(N));
    let Some(_server) = smtp(port, &log, &[]) else {
        return;
    };
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("kill moments seeded with {seed}");
    let mut kills = Vec::new();
    for round in 0..3 {
        // A moment in the next ~quarter of the list.
        let at = lines(&log) + 300 + (next_random(&mut seed) % 2_000) as usize;
        kills.push(at);
        let mut child = weekly_command(&ws, &["send", "7", "--lang", "zh"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for(&log, at, &mut child);
        assert!(
            child.try_wait().unwrap().is_none(),
            "round {round}: the run ended before the kill"
        );
        kill9(child);
    }
    eprintln!("killed at {kills:?} messages");
    let o = weekly_at(&ws, &["send", "7", "--lang", "zh"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(out.contains("sent again"), "{out}");
    everyone_once(&ws, &log, N);
}

#[test]
fn three_workers_on_postgresql_one_killed_send_to_everyone_once() {
    const N: usize = 10_000;
    let Some(url) = postgres_database() else {
        return;
    };
    let port = free_port();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("campaign-workers");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("log");
    let ws = workspace("campaign-workers", port, Some(&url), &many_subscribers(N));
    let Some(_server) = smtp(port, &log, &[]) else {
        return;
    };
    let spawn = |args: &[&str]| {
        weekly_command(&ws, args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut first = spawn(&["send", "7", "--lang", "zh"]);
    wait_for(&log, 500, &mut first);
    let a = spawn(&["send", "--worker"]);
    let mut b = spawn(&["send", "--worker"]);
    wait_for(&log, 4_000, &mut b);
    // The first one dies with its claims; the two workers take them over.
    kill9(first);
    for worker in [a, b] {
        let o = worker.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    everyone_once(&ws, &log, N);
    let o = weekly_at(&ws, &["send", "--resume"]);
    assert!(stdout(&o).contains("nothing to send"), "{}", stdout(&o));
}

#[test]
fn publish_dry_run_on_the_corpus_writes_the_outbox_and_changes_nothing() {
    let Some(src) = common::corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("pw");
    common::import_corpus(&src, &ws);
    let csv = ws.join("readers.csv");
    std::fs::write(
        &csv,
        "email,languages,tier,paid_until\nfree@example.org,zh,free,\npaid@example.org,zh,paid,2099-01-01\n",
    )
    .unwrap();
    let o = weekly_at(&ws, &["subscribers", "import", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let numbers = |file: &str| -> Vec<u32> {
        std::fs::read_dir(ws.join("issues"))
            .unwrap()
            .filter_map(|e| {
                let e = e.unwrap();
                e.path().join(file).is_file().then_some(())?;
                e.file_name().to_str()?.parse::<u32>().ok()
            })
            .collect()
    };
    // The newest issue is paid and this archive has only its teaser: nothing for paying
    // readers, so the release is refused before anything is written.
    let newest = numbers("issue.toml").into_iter().max().unwrap().to_string();
    let o = weekly_at(&ws, &["publish", &newest, "--dry-run"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no full text in `zh`"),
        "{}",
        stderr(&o)
    );
    let latest = numbers("zh.md").into_iter().max().unwrap().to_string();
    let o = weekly_at(&ws, &["publish", &latest, "--dry-run"]);
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{out}");
    assert!(out.contains("check: check the workspace"), "{out}");
    let outbox = ws.join("outbox");
    let mails: Vec<_> = walk(&outbox.join("mail"));
    assert_eq!(mails.len(), 2, "{mails:?}");
    for mail in &mails {
        let raw = std::fs::read(mail).unwrap();
        let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let text = m.body_text(0).unwrap();
        assert!(text.contains("/unsubscribe?token="), "{text}");
        assert!(m.subject().unwrap().contains(&latest), "{:?}", m.subject());
        assert!(m.body_html(0).is_some());
    }
    let telegram: serde_json::Value =
        serde_json::from_str(&common::read(&outbox.join("telegram.json"))).unwrap();
    assert!(
        telegram["caption"].as_str().unwrap().contains(&latest),
        "{telegram}"
    );
    assert!(outbox.join("README.diff").is_file());
    // Nothing was recorded, sent or built.
    let c = campaigns(&ws);
    assert!(c.is_empty(), "{c:?}");
    assert!(!ws.join("site").exists());
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_publish_stopped_after_the_site_step_continues_and_sends_each_mail_once() {
    let port = free_port();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("publish-resume");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("log");
    let ws = workspace(
        "publish-resume",
        port,
        None,
        "email,languages,tier,paid_until\na@example.org,zh,free,\nb@example.org,en,paid,2099-01-01\n",
    );
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    let failing =
        format!("{config}\n[publish]\ndeploy = \"echo deploying $WEEKLY_ISSUE; exit 3\"\n");
    std::fs::write(ws.join("weekly.toml"), &failing).unwrap();
    let Some(_server) = smtp(port, &log, &[]) else {
        return;
    };
    let o = weekly_at(&ws, &["publish", "7"]);
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("stopped at `deploy`"), "{out}");
    assert!(
        out.contains("deploying 7"),
        "the command's output is shown: {out}"
    );
    assert!(ws.join("site/index.html").is_file() && ws.join("site-full/index.html").is_file());
    assert_eq!(lines(&log), 0, "nothing mailed before the deploy");

    std::fs::write(
        ws.join("weekly.toml"),
        format!("{config}\n[publish]\ndeploy = \"touch deployed\"\n"),
    )
    .unwrap();
    let o = weekly_at(&ws, &["publish", "7"]);
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("✓ site: done"),
        "the site step is not run again: {out}"
    );
    assert!(ws.join("deployed").is_file());
    let got = received(&log);
    assert_eq!(
        got.into_iter().collect::<Vec<_>>(),
        [
            ("a@example.org".to_owned(), 1),
            ("b@example.org".to_owned(), 1)
        ]
    );
    // A third run has nothing left to do.
    let o = weekly_at(&ws, &["publish", "7"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains('→'), "{}", stdout(&o));
    assert_eq!(lines(&log), 2);
}

#[test]
fn the_mail_frame_comes_from_templates_when_the_workspace_has_one() {
    let ws = demo_copy("campaign-template");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let csv = ws.join("r.csv");
    std::fs::write(&csv, "email,languages\nreader@example.net,zh\n").unwrap();
    assert!(
        weekly_at(&ws, &["subscribers", "import", csv.to_str().unwrap()])
            .status
            .success()
    );
    let dir = ws.join("templates/mail");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("issue.html"),
        "<html lang=\"{{ lang }}\"><body><h1 class=\"house\">{{ subject }}</h1>{{ content }}\
         <a href=\"{{ unsubscribe_url }}\">{{ unsubscribe }}</a></body></html>\n",
    )
    .unwrap();
    let o = weekly_at(&ws, &["send", "7", "--lang", "zh", "--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let raw = std::fs::read(ws.join("outbox/7.zh.free/000000001.eml")).unwrap();
    let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
    let html = message.body_html(0).unwrap();
    assert!(
        html.starts_with("<html lang=\"zh\"><body><h1 class=\"house\">"),
        "{html}"
    );
    // The recipient's own link, the same as the header's.
    let unsubscribe = header(&message, "List-Unsubscribe");
    let link = &unsubscribe[1..unsubscribe.find('>').unwrap()];
    assert!(
        html.contains(&format!(
            "<a href=\"{}\">退订</a>",
            link.replace('&', "&amp;")
        )),
        "{html}"
    );
    // A broken template: an error naming the file and line, and no message written.
    std::fs::write(dir.join("issue.zh.html"), "<html>\n{{ subject \n").unwrap();
    std::fs::remove_dir_all(ws.join("outbox")).unwrap();
    let o = weekly_at(&ws, &["send", "7", "--lang", "zh", "--dry-run"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("templates/mail/issue.zh.html:2:"),
        "{}",
        stderr(&o)
    );
    assert!(!ws.join("outbox").exists());
}
