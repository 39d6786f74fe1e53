//! `weekly server` in production: the built site served beside the endpoints, a log line per
//! request (never a token), the preferences page, confirmation texts from `templates/`, a
//! PostgreSQL database that goes down (503, nothing half-written), and SIGTERM finishing the
//! request in flight.

use crate::common;

use common::server::{SECRET, Server, request, start_args, start_env, token_for};
use common::{demo_copy, stderr, stdout};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use weekly_app::tokens::Purpose;

const FORM: &str = "application/x-www-form-urlencoded";

fn weekly_in(ws: &Path, envs: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_weekly"))
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .env_remove("WEEKLY_WORKSPACE")
        .env_remove("WEEKLY_DATABASE_URL")
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn subscribers(ws: &Path, envs: &[(&str, &str)]) -> Vec<serde_json::Value> {
    let out = weekly_in(ws, envs, &["subscribers", "list", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn wait_for_line(server: &Server, needle: &str) -> bool {
    let until = Instant::now() + Duration::from_secs(5);
    while Instant::now() < until {
        if server.lines().iter().any(|l| l.contains(needle)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn the_server_serves_the_built_site_and_logs_requests_without_tokens() {
    let ws = demo_copy("server-site");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    // Without a built site the server does not start, and says what to do.
    let out = weekly_in(&ws, &[], &["server", "--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("weekly build"), "{}", stderr(&out));

    let out = weekly_in(&ws, &[], &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = ws.join("site");
    // A link in the site to a file of the workspace, and a hidden file: never served.
    std::os::unix::fs::symlink(ws.join("weekly.toml"), site.join("leak.txt")).unwrap();
    std::fs::write(site.join(".secret"), "hidden").unwrap();
    let server = start_args(
        &ws,
        10,
        "127.0.0.1:0",
        None,
        &["--site", site.to_str().unwrap()],
    );
    let at = server.address.as_str();
    let (status, home) = request(at, "GET", "/", FORM, "");
    assert_eq!(status, 200);
    assert!(home.contains("text/html"), "{home}");
    assert_eq!(
        home.split("\r\n\r\n").nth(1).unwrap().len(),
        std::fs::read(site.join("index.html")).unwrap().len()
    );
    let (status, moved) = request(at, "GET", "/zh", FORM, "");
    assert_eq!(status, 301);
    assert!(moved.contains("location: /zh/"), "{moved}");
    for path in [
        "/leak.txt",
        "/.secret",
        "/../weekly.toml",
        "/%2e%2e/weekly.toml",
    ] {
        let (status, body) = request(at, "GET", path, FORM, "");
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("base_url"), "{path}: {body}");
    }
    // A missing page under /en/ gets the English 404 page (its navigation, `lang`), one
    // elsewhere the primary language's, which offers the English home too.
    let (status, english) = request(at, "GET", "/en/nope", FORM, "");
    assert_eq!(status, 404);
    assert!(english.contains("<html lang=\"en\">"), "{english}");
    assert!(
        english.contains("<a href=\"/\" hreflang=\"zh\">"),
        "{english}"
    );
    let (status, primary) = request(at, "GET", "/nope/deeper", FORM, "");
    assert_eq!(status, 404);
    assert!(primary.contains("<html lang=\"zh\">"), "{primary}");
    assert!(primary.contains("href=\"/en/\""), "{primary}");
    assert_eq!(request(at, "DELETE", "/index.html", FORM, "").0, 405);
    // The endpoints are there too; a token in a query is never logged.
    assert_eq!(request(at, "GET", "/healthz", FORM, "").0, 200);
    let (status, _) = request(at, "GET", "/confirm?token=1.c.99.deadbeefcafe", FORM, "");
    assert_eq!(status, 400);
    assert!(wait_for_line(&server, "GET /confirm 400"));
    let log = server.lines().join("\n");
    assert!(log.contains("127.0.0.1 GET / 200"), "{log}");
    assert!(log.contains("GET /leak.txt 404"), "{log}");
    assert!(!log.contains("deadbeefcafe"), "{log}");
}

/// One GET with extra header lines; the status, the head (lower-cased) and the body bytes.
fn get_raw(at: &str, path: &str, headers: &str) -> (u16, String, Vec<u8>) {
    use std::io::Read as _;
    let mut stream = std::net::TcpStream::connect(at).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {at}\r\nConnection: close\r\n{headers}\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&answer[..split]).to_lowercase();
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut body = answer[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, head, body)
}

/// The bytes of a chunked body (`size\r\ndata\r\n`…`0\r\n\r\n`).
fn dechunk(mut chunked: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line = chunked
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a size line");
        let size = usize::from_str_radix(std::str::from_utf8(&chunked[..line]).unwrap(), 16)
            .expect("a hex size");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&chunked[line + 2..line + 2 + size]);
        chunked = &chunked[line + 2 + size + 2..];
    }
}

/// Pages and assets go out compressed to clients that take gzip or brotli, and with an entity
/// tag that answers a repeated request with 304.
#[test]
fn the_site_is_compressed_and_revalidated() {
    let ws = demo_copy("server-compress");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let out = weekly_in(&ws, &[], &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = ws.join("site");
    let server = start_args(
        &ws,
        10,
        "127.0.0.1:0",
        None,
        &["--site", site.to_str().unwrap()],
    );
    let at = server.address.as_str();
    let page = std::fs::read(site.join("zh/1/index.html")).unwrap();
    let (status, head, body) = get_raw(at, "/zh/1/", "");
    assert_eq!(status, 200);
    assert!(!head.contains("content-encoding"), "{head}");
    assert_eq!(body, page);
    let (status, head, body) = get_raw(at, "/zh/1/", "Accept-Encoding: gzip\r\n");
    assert_eq!(status, 200);
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert_eq!(&body[..2], b"\x1f\x8b", "a gzip stream");
    assert!(
        body.len() * 2 < page.len(),
        "{} of {}",
        body.len(),
        page.len()
    );
    let mut gunzip = Command::new("gzip")
        .args(["-dc"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    gunzip.stdin.take().unwrap().write_all(&body).unwrap();
    assert_eq!(gunzip.wait_with_output().unwrap().stdout, page);
    let (_, head, _) = get_raw(at, "/zh/1/", "Accept-Encoding: br\r\n");
    assert!(head.contains("content-encoding: br"), "{head}");

    // An asset: kept an hour, and a repeated request with its tag gets 304 and no body.
    let css = walk_first(&site, "css");
    let path = format!("/{}", css.strip_prefix(&site).unwrap().display());
    let (status, head, _) = get_raw(at, &path, "");
    assert_eq!(status, 200);
    assert!(
        head.contains("cache-control: public, max-age=3600"),
        "{head}"
    );
    let tag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .expect("an etag")
        .to_owned();
    let (status, _, body) = get_raw(at, &path, &format!("If-None-Match: {tag}\r\n"));
    assert_eq!(status, 304);
    assert!(body.is_empty());
    let (status, _, _) = get_raw(at, &path, "If-None-Match: \"other\"\r\n");
    assert_eq!(status, 200);
}

/// The first file under `dir` whose name ends with `.ext`.
fn walk_first(dir: &Path, ext: &str) -> std::path::PathBuf {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                return path;
            }
        }
    }
    panic!("no .{ext} file under {}", dir.display());
}

#[test]
fn preferences_change_languages_through_a_signed_link() {
    let ws = demo_copy("server-preferences");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let out = weekly_in(&ws, &[], &["subscribers", "add", "reader@example.org"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let token = token_for(&ws, None, "reader@example.org", Purpose::Preferences);
    let server = start_args(&ws, 10, "127.0.0.1:0", None, &[]);
    let at = server.address.as_str();
    let path = format!("/preferences?token={token}");
    let (status, page) = request(at, "GET", &path, FORM, "");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("reader@example.org"), "{page}");
    assert!(page.contains("value=\"en\""), "{page}");
    assert!(page.contains("/unsubscribe?token="), "{page}");

    let (status, page) = request(at, "POST", &path, FORM, "lang=en&lang=xx");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("已保存"), "{page}");
    assert_eq!(
        subscribers(&ws, &[])[0]["languages"],
        serde_json::json!(["en"])
    );
    let (status, _) = request(at, "POST", &path, FORM, "lang=xx");
    assert_eq!(status, 400, "no language left");
    assert_eq!(
        subscribers(&ws, &[])[0]["languages"],
        serde_json::json!(["en"])
    );

    // A token for another purpose, or changed, opens nothing.
    let other = token_for(&ws, None, "reader@example.org", Purpose::Confirm);
    let (status, _) = request(at, "GET", &format!("/preferences?token={other}"), FORM, "");
    assert_eq!(status, 400);
    // The last character changed (to another one: a token ending in `0` stays forged).
    let last = if token.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &token[..token.len() - 1]);
    let (status, _) = request(
        at,
        "POST",
        &format!("/preferences?token={forged}"),
        FORM,
        "lang=zh",
    );
    assert_eq!(status, 400);
    assert_eq!(
        subscribers(&ws, &[])[0]["languages"],
        serde_json::json!(["en"])
    );
}

#[test]
fn the_confirmation_mail_comes_from_templates_and_a_bad_text_stops_the_start() {
    let ws = demo_copy("server-texts");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    std::fs::create_dir_all(ws.join("templates/mail")).unwrap();
    std::fs::write(
        ws.join("templates/mail/confirm.en.txt"),
        "Subject: One click to join {{ name }}\n\nHi! Confirm here: {{ link }}\n",
    )
    .unwrap();
    let server = start_args(&ws, 10, "127.0.0.1:0", None, &[]);
    let (status, _) = request(
        &server.address,
        "POST",
        "/subscribe",
        FORM,
        "email=new%40example.org&lang=en",
    );
    assert_eq!(status, 200);
    drop(server);
    let dir = ws.join("eml");
    let out = weekly_in(
        &ws,
        &[],
        &["mail", "send", "--to-dir", dir.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mail = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .next()
        .unwrap();
    assert!(
        mail.contains("Subject: One click to join Rust Star Weekly"),
        "{mail}"
    );
    assert!(mail.contains("Hi! Confirm here:"), "{mail}");

    std::fs::write(
        ws.join("templates/mail/confirm.zh.txt"),
        "Subject: 确认\n\n请打开 {{ url }}\n",
    )
    .unwrap();
    let out = weekly_in(
        &ws,
        &[("WEEKLY_SECRET", SECRET)],
        &["server", "--listen", "127.0.0.1:0", "--endpoints-only"],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("templates/mail/confirm.zh.txt:3:5: unknown variable `url`"),
        "{}",
        stderr(&out)
    );
}

/// `psql` on `url` with one statement.
fn psql(url: &str, sql: &str) {
    let out = Command::new("psql")
        .args([url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{sql}: {}", stderr(&out));
}

fn admin_url() -> String {
    std::env::var("WEEKLY_TEST_POSTGRES_URL").unwrap()
}

#[test]
fn a_database_that_goes_down_gets_503_and_nothing_half_written() {
    let Some(pg) = common::postgres_database() else {
        return;
    };
    let name = pg.rsplit('/').next().unwrap().to_owned();
    let ws = demo_copy("server-db-down");
    let env = [("WEEKLY_DATABASE_URL", pg.as_str())];
    let server = start_env(&ws, 100, "127.0.0.1:0", None, &[], &env);
    let at = server.address.clone();
    let sign_up = |email: &str| {
        request(
            &at,
            "POST",
            "/subscribe",
            FORM,
            &format!("email={email}%40example.org&lang=en"),
        )
        .0
    };
    assert_eq!(sign_up("first"), 200);

    // The database stops taking connections, and those the server had are cut.
    let admin = admin_url();
    psql(
        &admin,
        &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"),
    );
    psql(
        &admin,
        &format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"),
    );
    let (status, page) = request(
        &at,
        "POST",
        "/subscribe",
        FORM,
        "email=second%40example.org&lang=en",
    );
    assert_eq!(status, 503, "{page}");
    assert!(page.contains("nothing was saved"), "{page}");
    assert!(wait_for_line(&server, "POST /subscribe 503"));
    // A load balancer asking for health is told the truth.
    assert_eq!(request(&at, "GET", "/healthz", FORM, "").0, 503);

    // Back up: the same reader signs up again, and every sign-up has exactly one mail.
    psql(
        &admin,
        &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"),
    );
    assert_eq!(sign_up("second"), 200);
    assert_eq!(request(&at, "GET", "/healthz", FORM, "").0, 200);
    drop(server);
    let rows = subscribers(&ws, &env);
    let emails: Vec<&str> = rows.iter().map(|r| r["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["first@example.org", "second@example.org"]);
    let out = weekly_in(&ws, &env, &["mail", "status"]);
    assert!(stdout(&out).contains("2 mails wait"), "{}", stdout(&out));
}

/// Locks on the `subscriber` table of the database at `url`: granted ones, or ones waited for.
fn lock_count(url: &str, granted: bool) -> u32 {
    let out = Command::new("psql")
        .args([
            url,
            "-tAc",
            &format!(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
                 WHERE c.relname = 'subscriber' AND l.granted = {granted} \
                 AND l.pid <> pg_backend_pid()"
            ),
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

/// True once `condition` holds, polled for at most 10 s.
fn wait_until(mut condition: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn sigterm_finishes_the_request_in_flight_then_stops() {
    let Some(pg) = common::postgres_database() else {
        return;
    };
    let ws = demo_copy("server-sigterm");
    let env = [("WEEKLY_DATABASE_URL", pg.as_str())];
    let mut server = start_env(&ws, 100, "127.0.0.1:0", None, &[], &env);
    let at = server.address.clone();
    assert_eq!(request(&at, "GET", "/healthz", FORM, "").0, 200);

    // Another session locks the subscriber table: the next sign-up waits inside the server.
    let mut holder = Command::new("psql")
        .args([pg.as_str(), "-q", "-v", "ON_ERROR_STOP=1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = holder.stdin.take().unwrap();
    writeln!(input, "BEGIN; LOCK TABLE subscriber IN EXCLUSIVE MODE;").unwrap();
    input.flush().unwrap();
    assert!(
        wait_until(|| lock_count(&pg, true) >= 1),
        "the other session never got its lock"
    );
    let in_flight = {
        let at = at.clone();
        std::thread::spawn(move || {
            request(
                &at,
                "POST",
                "/subscribe",
                FORM,
                "email=late%40example.org&lang=en",
            )
        })
    };
    assert!(
        wait_until(|| lock_count(&pg, false) >= 1),
        "the sign-up never queued for the lock"
    );
    assert!(!in_flight.is_finished(), "the sign-up waits for the lock");

    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    assert!(wait_for_line(&server, "stopping"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server waits for the request in flight"
    );
    assert!(
        std::net::TcpStream::connect(&at).is_err(),
        "no new connection is taken once stopping"
    );

    // The lock is released: the request completes, then the server exits cleanly.
    writeln!(input, "COMMIT;").unwrap();
    drop(input);
    let (status, page) = in_flight.join().unwrap();
    assert_eq!(status, 200, "{page}");
    let until = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(code) = server.child.try_wait().unwrap() {
            break code;
        }
        assert!(Instant::now() < until, "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(code.success(), "{code:?}");
    holder.wait().unwrap();
    let rows = subscribers(&ws, &env);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["status"], "pending");
}

/// Raises this process's soft limit of open files to its hard limit (the test opens thousands
/// of connections).
fn raise_open_files() -> u64 {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    limit.current = limit.maximum;
    let _ = setrlimit(Resource::Nofile, limit);
    getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX)
}

/// One `GET /healthz` on a new connection; the status, or 0 when no answer came in time.
async fn health(at: &str, within: Duration) -> u16 {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let ask = async {
        let mut s = tokio::net::TcpStream::connect(at).await.ok()?;
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            .await
            .ok()?;
        let mut text = Vec::new();
        s.read_to_end(&mut text).await.ok()?;
        std::str::from_utf8(text.get(9..12)?).ok()?.parse().ok()
    };
    tokio::time::timeout(within, ask)
        .await
        .ok()
        .flatten()
        .unwrap_or(0)
}

/// `/healthz` answers 200 within 1 s; `slowest` keeps the longest wait.
async fn check(at: &str, slowest: &mut Duration) {
    let asked = Instant::now();
    let status = health(at, Duration::from_secs(1)).await;
    assert_eq!(
        status,
        200,
        "/healthz did not answer within 1 s ({} ms)",
        asked.elapsed().as_millis()
    );
    *slowest = (*slowest).max(asked.elapsed());
}

#[test]
fn slow_clients_are_cut_off_and_health_answers_throughout() {
    const CLIENTS: usize = 5_000;
    assert!(
        raise_open_files() > 2 * CLIENTS as u64,
        "the test needs more than {} open files (ulimit -n)",
        2 * CLIENTS
    );
    let ws = demo_copy("server-slowloris");
    let server = common::server::start(&ws, 10);
    let at = server.address.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let open = Arc::new(AtomicUsize::new(0));
        let connected = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let mut clients = tokio::task::JoinSet::new();
        // Each client sends a request line, then one header line every 3 s, never the end
        // of the headers; it counts as open until the server closes the connection.
        let slow_client = |i: usize| {
            let (at, open, connected, mut stopped) =
                (at.clone(), open.clone(), connected.clone(), stopped.clone());
            async move {
                let Ok(mut s) = tokio::net::TcpStream::connect(&at).await else {
                    return;
                };
                connected.fetch_add(1, Ordering::SeqCst);
                open.fetch_add(1, Ordering::SeqCst);
                let mut line = 0;
                let mut closed = s.write_all(b"GET / HTTP/1.1\r\n").await.is_err();
                let mut buffer = [0u8; 1024];
                while !closed {
                    tokio::select! {
                        read = s.read(&mut buffer) => closed = !matches!(read, Ok(n) if n > 0),
                        () = tokio::time::sleep(Duration::from_secs(3)) => {
                            line += 1;
                            let header = format!("X-Slow-{i}: {line}\r\n");
                            closed = s.write_all(header.as_bytes()).await.is_err();
                        }
                        _ = stopped.changed() => return,
                    }
                }
                open.fetch_sub(1, Ordering::SeqCst);
            }
        };
        let mut slowest = Duration::ZERO;
        // They arrive 100 at a time, 20 times a second (an attacker's pace on one machine).
        for batch in 0..CLIENTS / 100 {
            for i in batch * 100..(batch + 1) * 100 {
                clients.spawn(slow_client(i));
            }
            if batch % 5 == 0 {
                check(&at, &mut slowest).await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Every client is connected (or was refused) before the 30 s are counted.
        let until = Instant::now() + Duration::from_secs(10);
        while connected.load(Ordering::SeqCst) < CLIENTS && Instant::now() < until {
            check(&at, &mut slowest).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let made = connected.load(Ordering::SeqCst);
        assert!(
            made >= CLIENTS * 9 / 10,
            "only {made} connections were made"
        );
        let attack = Instant::now();
        let mut most_open = 0;
        while attack.elapsed() < Duration::from_secs(30) {
            most_open = most_open.max(open.load(Ordering::SeqCst));
            check(&at, &mut slowest).await;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let still_open = open.load(Ordering::SeqCst);
        stop.send(true).unwrap();
        while clients.join_next().await.is_some() {}
        assert!(
            most_open >= CLIENTS / 2,
            "the slow clients were not held open at first ({most_open})"
        );
        assert!(
            still_open < 500,
            "{still_open} of {made} slow connections are still open after 30 s"
        );
        eprintln!(
            "{made} slow connections, {still_open} open after 30 s; slowest /healthz {} ms",
            slowest.as_millis()
        );
    });
    drop(server);
}

/// `weekly db copy` to PostgreSQL while `weekly server` still runs on the SQLite file: a
/// sign-up after the copy is refused with 503 (the old file is sealed), never kept where
/// nobody looks; the one before it is in PostgreSQL.
#[test]
fn a_sign_up_after_db_copy_is_refused_by_the_old_database_not_lost() {
    let Some(pg) = common::postgres_database() else {
        return;
    };
    let ws = demo_copy("server-db-copy");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let server = start_env(&ws, 100, "127.0.0.1:0", None, &[], &[]);
    let at = server.address.clone();
    let sign_up = |email: &str| {
        request(
            &at,
            "POST",
            "/subscribe",
            FORM,
            &format!("email={email}%40example.org&lang=en"),
        )
    };
    assert_eq!(sign_up("before").0, 200);
    let copied = weekly_in(&ws, &[], &["db", "copy", "--to", &pg]);
    assert!(copied.status.success(), "{}", stderr(&copied));
    let (status, page) = sign_up("after");
    assert_eq!(status, 503, "{page}");
    // PostgreSQL has the sign-up from before the copy, and nothing else.
    let env = [("WEEKLY_DATABASE_URL", pg.as_str())];
    let there: Vec<String> = subscribers(&ws, &env)
        .iter()
        .map(|s| s["email"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(there, ["before@example.org"]);
    // The old file kept nothing new either (read without opening it for work).
    let old = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = weekly_store::Store::connect_unmigrated("sqlite:weekly.db", &ws)
            .await
            .unwrap();
        let rows = store.subscribers(None).await.unwrap();
        store.close().await;
        rows.into_iter().map(|s| s.email).collect::<Vec<_>>()
    });
    assert_eq!(old, ["before@example.org"]);
    // And any command on it says where the data went.
    let refused = weekly_in(&ws, &[], &["subscribers", "list"]);
    assert!(
        stderr(&refused).contains("was moved to postgres://"),
        "{}",
        stderr(&refused)
    );
}
