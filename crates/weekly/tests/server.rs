//! `weekly server` end to end over HTTP on 127.0.0.1: sign-up (form and JSON), the
//! confirmation mail in the outbox, confirm, one-click unsubscribe, forged and reused tokens,
//! the honeypot, the same answer for a known address, and the rate limit.

use crate::common;

use common::server::{request, request_from, start, start_args, start_env, token_for};
use common::{demo_copy, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::Command;
use weekly_app::tokens::Purpose::Unsubscribe;

const FORM: &str = "application/x-www-form-urlencoded";

fn subscribers(ws: &Path) -> Vec<serde_json::Value> {
    subscribers_in(ws, None)
}

/// `weekly ARGS…` on `ws`, on `database` when given (else the workspace's `weekly.db`).
fn weekly_on(ws: &Path, database: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_weekly"));
    command
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .env_remove("WEEKLY_WORKSPACE")
        .env_remove("WEEKLY_DATABASE_URL");
    if let Some(url) = database {
        command.env("WEEKLY_DATABASE_URL", url);
    }
    command.output().unwrap()
}

fn subscribers_in(ws: &Path, database: Option<&str>) -> Vec<serde_json::Value> {
    let o = weekly_on(ws, database, &["subscribers", "list", "--format", "json"]);
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// The confirmation links of the mails waiting in the outbox (written out as `.eml` files).
fn confirmation_links(ws: &Path) -> Vec<String> {
    confirmation_links_in(ws, None)
}

/// [`confirmation_links`] of the mails not sent yet, on `database`.
fn confirmation_links_in(ws: &Path, database: Option<&str>) -> Vec<String> {
    let mut links = Vec::new();
    for text in outbox_mails(ws, database) {
        if let Some(at) = text.find("/confirm?token=") {
            let link: String = text[at..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            links.push(link);
        }
    }
    links
}

/// The mails of the outbox not sent yet, on `database`, each decoded (headers and body).
fn outbox_mails(ws: &Path, database: Option<&str>) -> Vec<String> {
    let dir = ws.join("outbox-out");
    let _ = std::fs::remove_dir_all(&dir);
    let o = weekly_on(
        ws,
        database,
        &["mail", "send", "--to-dir", dir.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut mails = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten() {
        let raw = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        // A Chinese body is base64: decode it.
        mails.push(match raw.split_once("\r\n\r\n") {
            Some((head, body)) if head.contains("Content-Transfer-Encoding: base64") => {
                format!("{head}\n\n{}", String::from_utf8(base64(body)).unwrap())
            }
            Some((head, body)) if head.contains("Content-Transfer-Encoding: quoted-printable") => {
                format!("{head}\n\n{}", quoted_printable(body))
            }
            _ => raw,
        });
    }
    mails
}

/// Quoted-printable text decoded (soft line breaks joined, `=XX` bytes).
fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(hex) = joined.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Standard base64 (line breaks ignored).
fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let Some(value) = ALPHABET.iter().position(|&a| a == c) else {
            continue;
        };
        bits = (bits << 6) | u32::try_from(value).unwrap();
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from((bits >> count) & 0xff).unwrap());
        }
    }
    out
}

#[test]
fn sign_up_confirm_and_unsubscribe_over_http() {
    let ws = demo_copy("server");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    // The editor wrote a welcome mail in Chinese (none in English: English readers get none).
    std::fs::create_dir_all(ws.join("templates/mail")).unwrap();
    std::fs::write(
        ws.join("templates/mail/welcome.zh.txt"),
        "Subject: 欢迎订阅{{ name }}\n\n往期都在这里：{{ link }}\n",
    )
    .unwrap();
    let server = start(&ws, 5);
    let at = server.address.as_str();
    assert_eq!(request(at, "GET", "/healthz", FORM, "").0, 200);

    // A sign-up from the form: pending, one confirmation mail.
    let (status, page) = request(
        at,
        "POST",
        "/subscribe",
        FORM,
        "email=Reader%40Example.org&lang=en&lang=zh",
    );
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Check your inbox"));
    let rows = subscribers(&ws);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["status"], "pending");
    assert_eq!(rows[0]["languages"], serde_json::json!(["zh", "en"]));
    assert_eq!(rows[0]["consent"]["via"], "form");
    // The same address again: the same answer, and no second mail (cool-down).
    let (status, again) = request(
        at,
        "POST",
        "/subscribe",
        "application/json",
        r#"{"email":"reader@example.org"}"#,
    );
    assert_eq!(status, 200);
    // No language asked for: the site's primary one (Chinese).
    assert!(again.contains("请查收邮件"), "{again}");
    let links = confirmation_links(&ws);
    assert_eq!(links.len(), 1, "{links:?}");

    // A forged link is refused. Opening the real one (as a mail scanner does) changes
    // nothing: it shows a button, and pressing it (a POST) confirms, twice over.
    let forged = links[0].replace("token=1.", "token=2.");
    assert_eq!(request(at, "GET", &forged, FORM, "").0, 400);
    assert_eq!(request(at, "POST", &forged, FORM, "").0, 400);
    for _ in 0..2 {
        let (status, page) = request(at, "GET", &links[0], FORM, "");
        assert_eq!(status, 200, "{page}");
        assert!(
            page.contains("<button") && page.contains("method=\"post\""),
            "{page}"
        );
        assert_eq!(subscribers(&ws)[0]["status"], "pending");
    }
    for _ in 0..2 {
        let (status, page) = request(at, "POST", &links[0], FORM, "");
        assert_eq!(status, 200, "{page}");
        // The mail was in Chinese (the first of the reader's languages, in the site's order),
        // and so is the page its link opens.
        assert!(
            page.contains("订阅成功") && page.contains("lang=\"zh\""),
            "{page}"
        );
        // The address as the reader typed it, masked.
        assert!(page.contains("R***@example.org"), "{page}");
    }
    assert_eq!(subscribers(&ws)[0]["status"], "confirmed");
    // One welcome, in the reader's first language, however often the button was pressed.
    let mails = outbox_mails(&ws, None);
    let welcomes: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("往期都在这里"))
        .collect();
    assert_eq!(welcomes.len(), 1, "{mails:?}");
    assert!(
        welcomes[0].contains("往期都在这里：https://weekly.example.org/\r\n")
            || welcomes[0].contains("往期都在这里：https://weekly.example.org/\n"),
        "{}",
        welcomes[0]
    );
    // Confirmed: the link now opens the confirmation itself.
    let (_, page) = request(at, "GET", &links[0], FORM, "");
    assert!(page.contains("订阅成功"), "{page}");

    // A bot fills the hidden field: same answer, nothing stored.
    let (status, _) = request(
        at,
        "POST",
        "/subscribe",
        FORM,
        "email=bot%40spam.example&website=http%3A%2F%2Fx",
    );
    assert_eq!(status, 200);
    assert_eq!(subscribers(&ws).len(), 1);
    // Not an address, and a header injection: refused, nothing stored.
    assert_eq!(
        request(
            at,
            "POST",
            "/subscribe",
            FORM,
            "email=a%40b.org%0D%0ABcc%3A%20x%40y.org"
        )
        .0,
        400
    );

    // One-click unsubscribe with a token the mails will carry.
    let token = token_for(ws.as_path(), None, "reader@example.org", Unsubscribe);
    let (status, page) = request(at, "GET", &format!("/unsubscribe?token={token}"), FORM, "");
    assert!(status == 200 && page.contains("<button"), "{page}");
    // It names the newsletter and the address (masked: whoever holds the link sees no more),
    // in the reader's language, in the site's look (its stylesheet, dark mode, a way home).
    assert!(
        page.contains("R***@example.org") && !page.to_lowercase().contains("reader@example.org"),
        "{page}"
    );
    assert!(
        page.contains("退订") && page.contains("lang=\"zh\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"/assets/site.css\"") && page.contains("color-scheme"),
        "{page}"
    );
    let (_, english) = request(
        at,
        "GET",
        &format!("/unsubscribe?token={token}&lang=en"),
        FORM,
        "",
    );
    assert!(
        english.contains("Stop sending")
            && english.contains("lang=\"en\"")
            && english.contains("href=\"/en/\""),
        "{english}"
    );
    let (status, _) = request(
        at,
        "POST",
        &format!("/unsubscribe?token={token}"),
        FORM,
        "List-Unsubscribe=One-Click",
    );
    assert_eq!(status, 200);
    assert_eq!(subscribers(&ws)[0]["status"], "unsubscribed");
    // The old confirmation link does not bring the address back.
    let (status, page) = request(at, "GET", &links[0], FORM, "");
    assert!(status == 410 && page.contains("已经失效"), "{page}");
    assert_eq!(subscribers(&ws)[0]["status"], "unsubscribed");
    // A confirmation token does not unsubscribe, and vice versa.
    let wrong = links[0].replace("/confirm?", "/unsubscribe?");
    assert_eq!(request(at, "POST", &wrong, FORM, "").0, 400);

    // The rate limit as configured (`start(&ws, 5)`): 5 sign-ups a minute from one address —
    // the four above (two sign-ups, the bot, the bad address) and one more — then 429 for every
    // other one.
    let codes: Vec<u16> = (0..5)
        .map(|i| {
            request(
                at,
                "POST",
                "/subscribe",
                FORM,
                &format!("email=r{i}%40example.org"),
            )
            .0
        })
        .collect();
    assert_eq!(codes, [200, 429, 429, 429, 429]);
}

/// The body of the newest of `count` mails in the maildir `dir`, once that many arrived
/// (10 s at most).
fn nth_mail(dir: &Path, count: usize) -> String {
    for _ in 0..100 {
        let mut entries: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir.join("new"))
            .into_iter()
            .flatten()
            .map(|e| e.unwrap())
            .map(|e| (e.metadata().unwrap().modified().unwrap(), e.path()))
            .collect();
        if entries.len() >= count {
            entries.sort();
            let raw = std::fs::read_to_string(&entries[entries.len() - 1].1).unwrap();
            let raw = raw.replace("\r\n", "\n");
            return match raw.split_once("\n\n") {
                Some((head, body)) if head.contains("Content-Transfer-Encoding: base64") => {
                    String::from_utf8(base64(body)).unwrap()
                }
                _ => raw,
            };
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("fewer than {count} mails arrived in {}", dir.display());
}

/// A reader of the browser subscription test.
struct Reader {
    lang: &'static str,
    home: &'static str,
    email: &'static str,
    width: &'static str,
    scheme: &'static str,
    words: [&'static str; 4],
}

/// Readers sign up on the built site in Chromium — a Chinese one on a phone (390 px, light), a
/// Japanese one on a desktop (1280 px, dark) —, get the confirmation mail from a real SMTP
/// server (aiosmtpd), open its link (which confirms nothing), press its button, and later
/// unsubscribe with one click. Every page is in the reader's language, with its `lang`, the
/// site's stylesheet, the colour scheme and no sideways scroll; the store shows each state.
#[test]
fn browser_subscribes_from_the_site_confirms_by_mail_and_unsubscribes() {
    if !common::browser_available() {
        return;
    }
    let ws = demo_copy("server-browser");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let (port, smtp_port) = (common::free_port(), common::free_port());
    let config = std::fs::read_to_string(ws.join("weekly.toml"))
        .unwrap()
        .replace(
            "languages = [\"zh\", \"en\"]",
            "languages = [\"zh\", \"en\", \"ja\"]",
        );
    assert!(config.contains("\"ja\"]"));
    std::fs::write(
        ws.join("weekly.toml"),
        format!(
            "{config}\n[server]\npublic_url = \"http://127.0.0.1:{port}\"\n\n\
             [smtp]\nfrom = \"Rust 星期刊 <weekly@example.org>\"\n"
        ),
    )
    .unwrap();
    // The server serves the site it was given, and the form posts back to it.
    let out = ws.join("public");
    let o = common::weekly(&[
        "--workspace",
        ws.to_str().unwrap(),
        "build",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let maildir = ws.join("maildir");
    let Some(_smtp) = common::smtp_server(smtp_port, &maildir) else {
        return;
    };
    let _server = start_args(
        &ws,
        10,
        &format!("127.0.0.1:{port}"),
        Some(&format!("smtp://127.0.0.1:{smtp_port}")),
        &["--site", out.to_str().unwrap()],
    );
    let readers = [
        Reader {
            lang: "zh",
            home: "/",
            email: "reader@example.org",
            width: "390",
            scheme: "light",
            words: ["请查收邮件", "确认订阅", "订阅成功", "已退订"],
        },
        Reader {
            lang: "ja",
            home: "/ja/",
            email: "yomu@example.org",
            width: "1280",
            scheme: "dark",
            words: [
                "受信箱をご確認ください",
                "購読の確認",
                "購読が完了しました",
                "購読を解除しました",
            ],
        },
    ];
    for (n, reader) in readers.iter().enumerate() {
        let step = |args: &[&str]| {
            let args: Vec<&std::ffi::OsStr> = args.iter().map(AsRef::as_ref).collect();
            let o = Command::new("node")
                .arg(common::repo_root().join("tests/browser/subscribe.mjs"))
                .args(&args)
                .env("WIDTH", reader.width)
                .env("SCHEME", reader.scheme)
                .output()
                .unwrap();
            let text = format!("{}{}", stdout(&o), stderr(&o));
            assert!(o.status.success(), "{text}");
            let dark = if reader.scheme == "dark" { "yes" } else { "no" };
            let seen = format!("page: lang={} css=yes dark={dark} width=yes", reader.lang);
            assert!(
                text.starts_with(&seen),
                "{} {}: {text}",
                reader.lang,
                args[0].display()
            );
            text
        };
        let page = format!("http://127.0.0.1:{port}{}", reader.home);
        let text = step(&["form", &page, reader.email]);
        assert!(text.contains(reader.words[0]), "{text}");
        let status = |n: usize| subscribers(&ws)[n]["status"].as_str().unwrap().to_owned();
        assert_eq!(status(n), "pending");
        let mail = nth_mail(&maildir, n + 1);
        let at = mail.find("http://127.0.0.1").expect("a link in the mail");
        let link: String = mail[at..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        assert!(
            link.contains("/confirm?token=") && link.ends_with(&format!("lang={}", reader.lang)),
            "{mail}"
        );
        // A link scanner's GET confirms nothing; the button does.
        let text = step(&["open", &link]);
        assert!(text.contains(reader.words[1]), "{text}");
        assert_eq!(status(n), "pending");
        let text = step(&["click", &link]);
        assert!(text.contains(reader.words[2]), "{text}");
        assert_eq!(status(n), "confirmed");
        let token = token_for(ws.as_path(), None, reader.email, Unsubscribe);
        let unsubscribe = format!(
            "http://127.0.0.1:{port}/unsubscribe?token={token}&lang={}",
            reader.lang
        );
        let text = step(&["click", &unsubscribe]);
        assert!(text.contains(reader.words[3]), "{text}");
        assert_eq!(status(n), "unsubscribed");
    }
}

#[test]
fn behind_a_proxy_each_client_has_its_own_limit() {
    let ws = demo_copy("server-proxy");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let server = start_args(&ws, 1, "127.0.0.1:0", None, &["--behind-proxy"]);
    let at = server.address.as_str();
    let from = |ip: &str, n: u32| {
        request_from(
            at,
            "POST",
            "/subscribe",
            FORM,
            &format!("email=p{n}%40example.org"),
            &format!("X-Forwarded-For: 198.51.100.7, {ip}\r\n"),
        )
        .0
    };
    assert_eq!(from("203.0.113.1", 1), 200);
    assert_eq!(from("203.0.113.2", 2), 200, "another client");
    assert_eq!(from("203.0.113.1", 3), 429, "the same client again");
    let rows = subscribers(&ws);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["consent"]["ip"], "203.0.113.1");
}

/// The link after `prefix` in `page` (up to the closing quote), e.g. `/preferences?token=…`.
fn link_in(page: &str, prefix: &str) -> String {
    let at = page
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {page}"));
    page[at..].chars().take_while(|c| *c != '"').collect()
}

/// Bob subscribes, confirms and keeps his mails' links (preferences, unsubscribe — 400 days);
/// then he is forgotten (`subscribers remove --forget`) and Carol signs up next. Bob's links
/// open nothing of Carol's, nor of Bob's own new row when he signs up again. On SQLite, before
/// migration 0008, Carol got Bob's id and Bob's links changed and unsubscribed her.
#[test]
fn old_links_of_a_forgotten_subscriber_open_nothing_for_the_next_one() {
    let mut databases = vec![None];
    if let Some(url) = common::postgres_database() {
        databases.push(Some(url));
    }
    for database in databases {
        let engine = if database.is_some() {
            "postgres"
        } else {
            "sqlite"
        };
        let db = database.as_deref();
        let ws = demo_copy(&format!("server-forgotten-{engine}"));
        let _ = std::fs::remove_file(ws.join("weekly.db"));
        let env: Vec<(&str, &str)> = db.map(|u| ("WEEKLY_DATABASE_URL", u)).into_iter().collect();
        let server = start_env(&ws, 100, "127.0.0.1:0", None, &[], &env);
        let at = server.address.as_str();
        let sign_up = |email: &str| {
            let (status, page) = request(
                at,
                "POST",
                "/subscribe",
                FORM,
                &format!("email={email}&lang=en"),
            );
            assert_eq!(status, 200, "{engine}: {page}");
        };
        // Anna stays; Bob confirms and keeps his links.
        let confirm = |email: &str| {
            sign_up(email);
            let links = confirmation_links_in(&ws, db);
            assert_eq!(links.len(), 1, "{engine}: {links:?}");
            let (status, page) = request(at, "POST", &links[0], FORM, "");
            assert_eq!(status, 200, "{engine}: {page}");
            (links[0].clone(), link_in(&page, "/preferences?token="))
        };
        confirm("anna%40example.org");
        let (bob_confirm, bob_preferences) = confirm("bob%40example.org");
        let (_, page) = request(at, "GET", &bob_preferences, FORM, "");
        assert!(page.contains("bob@example.org"), "{engine}: {page}");
        let bob_unsubscribe = link_in(&page, "/unsubscribe?token=");

        let o = weekly_on(
            &ws,
            db,
            &["subscribers", "remove", "bob@example.org", "--forget"],
        );
        assert!(o.status.success(), "{engine}: {}", stderr(&o));
        confirm("carol%40example.org");

        // Bob's links: nothing of Carol's is shown, changed or unsubscribed.
        let (status, page) = request(at, "GET", &bob_preferences, FORM, "");
        assert_eq!(
            status, 400,
            "{engine}: Bob's preferences link showed {page}"
        );
        assert!(!page.contains("carol@example.org"), "{engine}: {page}");
        let (status, _) = request(at, "POST", &bob_preferences, FORM, "lang=zh");
        assert_eq!(status, 400, "{engine}");
        let (status, _) = request(
            at,
            "POST",
            &bob_unsubscribe,
            FORM,
            "List-Unsubscribe=One-Click",
        );
        assert_eq!(status, 400, "{engine}");
        assert_eq!(
            request(at, "GET", &bob_confirm, FORM, "").0,
            400,
            "{engine}"
        );
        let rows = subscribers_in(&ws, db);
        let carol = rows
            .iter()
            .find(|r| r["email"] == "carol@example.org")
            .unwrap();
        assert_eq!(carol["status"], "confirmed", "{engine}: {rows:?}");
        assert_eq!(carol["languages"], serde_json::json!(["en"]), "{engine}");

        // Bob again: a new subscriber; his old links open nothing of the new row either.
        confirm("bob%40example.org");
        assert_eq!(
            request(at, "GET", &bob_preferences, FORM, "").0,
            400,
            "{engine}"
        );
        let (status, _) = request(at, "POST", &bob_unsubscribe, FORM, "");
        assert_eq!(status, 400, "{engine}");
        let rows = subscribers_in(&ws, db);
        assert!(
            rows.iter().all(|r| r["status"] == "confirmed"),
            "{engine}: {rows:?}"
        );
        let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(ids.len(), 3, "{engine}: {rows:?}");
        assert_eq!(unique, ids, "{engine}: no id twice");
    }
}

/// `psql` on `url` with one statement.
fn psql(url: &str, sql: &str) {
    let out = std::process::Command::new("psql")
        .args([url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{sql}: {}", stderr(&out));
}

/// The database goes away while a reader opens a valid confirmation link: 503 (try again),
/// not "this link is not valid"; the error is printed once, the token never.
#[test]
fn a_valid_link_while_the_database_is_down_gets_503_not_400() {
    let Some(pg) = common::postgres_database() else {
        return;
    };
    let name = pg.rsplit('/').next().unwrap().to_owned();
    let admin = std::env::var("WEEKLY_TEST_POSTGRES_URL").unwrap();
    let ws = demo_copy("server-confirm-db-down");
    let env = [("WEEKLY_DATABASE_URL", pg.as_str())];
    let server = start_env(&ws, 100, "127.0.0.1:0", None, &[], &env);
    let at = server.address.clone();
    let (status, _) = request(
        &at,
        "POST",
        "/subscribe",
        FORM,
        "email=r%40example.org&lang=en",
    );
    assert_eq!(status, 200);
    let links = confirmation_links_in(&ws, Some(&pg));
    assert_eq!(links.len(), 1);
    let preferences = token_for(
        &ws,
        Some(&pg),
        "r@example.org",
        weekly_app::tokens::Purpose::Preferences,
    );

    psql(
        &admin,
        &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"),
    );
    psql(
        &admin,
        &format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"),
    );
    let (status, page) = request(&at, "GET", &links[0], FORM, "");
    assert_eq!(status, 503, "{page}");
    // The reader signed up in English: the link's page says so in English.
    assert!(page.contains("try again"), "{page}");
    for (method, path) in [
        ("GET", format!("/preferences?token={preferences}")),
        ("POST", format!("/preferences?token={preferences}")),
    ] {
        let (status, page) = request(&at, method, &path, FORM, "lang=en");
        assert_eq!(status, 503, "{method} {path}: {page}");
    }
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !server
        .lines()
        .iter()
        .any(|l| l.contains("GET /confirm 503"))
        && std::time::Instant::now() < until
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    psql(
        &admin,
        &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"),
    );
    let lines = server.lines();
    let failed: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("confirm: the database failed"))
        .collect();
    assert_eq!(failed.len(), 1, "{lines:#?}");
    let token = links[0].split("token=").nth(1).unwrap();
    assert!(!lines.iter().any(|l| l.contains(token)), "{lines:#?}");
    assert!(
        !lines.iter().any(|l| l.contains(&preferences)),
        "{lines:#?}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("preferences: the database failed"))
            .count(),
        2,
        "{lines:#?}"
    );
    // Back up: the same link confirms.
    let (status, page) = request(&at, "GET", &links[0], FORM, "");
    assert_eq!(status, 200, "{page}");
}
