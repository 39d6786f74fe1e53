//! `weekly server` started on 127.0.0.1 for a test, and plain HTTP/1.1 requests to it.
#![allow(dead_code)]

use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

pub struct Server {
    pub child: Child,
    pub address: String,
    /// Every line it printed after its address.
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// The lines printed so far.
    pub fn lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

pub const SECRET: &str = "a-test-secret-that-is-long-enough-000";

pub fn start(ws: &Path, per_minute: u32) -> Server {
    start_with(ws, per_minute, "127.0.0.1:0", None)
}

pub fn start_with(ws: &Path, per_minute: u32, listen: &str, smtp: Option<&str>) -> Server {
    start_args(ws, per_minute, listen, smtp, &[])
}

pub fn start_args(
    ws: &Path,
    per_minute: u32,
    listen: &str,
    smtp: Option<&str>,
    extra: &[&str],
) -> Server {
    start_env(ws, per_minute, listen, smtp, extra, &[])
}

/// [`start_args`] with environment variables (`WEEKLY_DATABASE_URL`, say). Without `--site`
/// among `extra`, only the endpoints are served.
pub fn start_env(
    ws: &Path,
    per_minute: u32,
    listen: &str,
    smtp: Option<&str>,
    extra: &[&str],
    envs: &[(&str, &str)],
) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_weekly"));
    command
        .arg("--workspace")
        .arg(ws)
        .args(["server", "--listen", listen, "--per-minute"])
        .arg(per_minute.to_string())
        .args(extra)
        .args(if extra.contains(&"--site") {
            &[][..]
        } else {
            &["--endpoints-only"][..]
        })
        .env_remove("WEEKLY_WORKSPACE")
        .env_remove("WEEKLY_DATABASE_URL")
        .envs(envs.iter().copied())
        .env("WEEKLY_SECRET", SECRET)
        .stderr(Stdio::piped());
    match smtp {
        Some(url) => command.env("WEEKLY_SMTP_URL", url),
        None => command.env_remove("WEEKLY_SMTP_URL"),
    };
    let mut child = command.spawn().unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(rest) = line.strip_prefix("listening on http://") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    // Keep reading its lines so that it never blocks on a full pipe.
    let log = Arc::new(Mutex::new(Vec::new()));
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            kept.lock().unwrap().push(line);
        }
    });
    Server {
        child,
        address,
        log,
    }
}

/// One HTTP/1.1 request; the status code and the whole answer.
pub fn request(
    address: &str,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, String) {
    request_from(address, method, path, content_type, body, "")
}

/// [`request`] with extra header lines (`Name: value\r\n` each).
pub fn request_from(
    address: &str,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
    headers: &str,
) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n{headers}\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

/// A link token for the subscriber `email` of the workspace `ws` (its database: `database`,
/// or the workspace's `weekly.db`), signed as the server signs them (with [`SECRET`] and the
/// subscriber's link key, valid for ever). Panics when there is no such subscriber.
pub fn token_for(
    ws: &Path,
    database: Option<&str>,
    email: &str,
    purpose: weekly_app::tokens::Purpose,
) -> String {
    let url = database.unwrap_or("sqlite:weekly.db");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let subscriber = runtime.block_on(async {
        let store = weekly_store::Store::connect(url, ws).await.unwrap();
        let found = store.subscriber(&email.to_lowercase()).await.unwrap();
        store.close().await;
        found
    });
    let subscriber = subscriber.unwrap_or_else(|| panic!("no subscriber {email}"));
    weekly_app::tokens::Secret::from_text(SECRET)
        .unwrap()
        .token(subscriber.id, &subscriber.link_key, purpose, i64::MAX)
}

/// One HTTP/1.1 request without a body; the status and the body's bytes (a chunked body
/// joined).
pub fn request_bytes(address: &str, method: &str, path: &str) -> (u16, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let head_end = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&answer[..head_end]).into_owned();
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut body = answer[head_end..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = unchunk(&body);
    }
    (status, body)
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
}
