//! Local stand-ins for tests: one HTTP server on 127.0.0.1 that serves feeds (with `ETag` and
//! `Last-Modified`, answering 304), misbehaves on purpose (redirect chains and loops, a delay
//! that counts requests in flight, an endless body, a server that never answers, a gzip bomb, any status), answers GitHub's
//! `GET /repos/{owner}/{repo}`, and plays the Telegram Bot API (`/bot<token>/sendMessage`,
//! `sendPhoto`), checking the token, the HTML and the length limits as Telegram does and
//! recording every call. Nothing leaves the machine.

mod server;
mod telegram;

pub use server::Server;

pub use telegram::{TelegramCall, TelegramFault};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// A page the server holds.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The body, as sent.
    pub body: Vec<u8>,
    /// `Content-Type`.
    pub content_type: String,
    /// `ETag` to send and to compare with `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified` to send and to compare with `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// `Content-Encoding` of the body (`gzip`).
    pub content_encoding: Option<String>,
}

/// A request the server received (Telegram calls are kept apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The path.
    pub path: String,
    /// The status answered.
    pub status: u16,
    /// `If-None-Match` sent.
    pub if_none_match: Option<String>,
    /// `If-Modified-Since` sent.
    pub if_modified_since: Option<String>,
    /// `Authorization` sent.
    pub authorization: Option<String>,
    /// `Accept-Encoding` sent.
    pub accept_encoding: Option<String>,
}

#[derive(Debug, Default)]
struct Shared {
    pages: HashMap<String, Page>,
    redirects: HashMap<String, String>,
    requests: Vec<Request>,
    stars: HashMap<String, i64>,
    repo_texts: HashMap<String, (String, String)>,
    telegram: telegram::Bot,
    in_flight: usize,
    max_in_flight: usize,
}

/// A running server; dropping it stops it.
#[derive(Debug)]
pub struct FakeWeb {
    server: Server,
    shared: Arc<Mutex<Shared>>,
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeWeb {
    /// Starts a server on 127.0.0.1 with an ephemeral port, on its own thread and runtime.
    /// `bot_token` is the only token its Bot API accepts.
    pub fn start(bot_token: &str) -> std::io::Result<FakeWeb> {
        let shared = Arc::new(Mutex::new(Shared::default()));
        bot_token.clone_into(&mut lock(&shared).telegram.token);
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        Ok(FakeWeb {
            server: Server::start("fake-web", 0, app)?,
            shared,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// Serves `page` at `path` (starting with `/`).
    pub fn page(&self, path: &str, page: Page) {
        lock(&self.shared).pages.insert(path.to_owned(), page);
    }

    /// Answers `path` with `302 Found` to `to` (any URL, another server's too).
    pub fn redirect(&self, path: &str, to: &str) {
        lock(&self.shared)
            .redirects
            .insert(path.to_owned(), to.to_owned());
    }

    /// Serves an XML feed at `path` with an `ETag` derived from its length and a fixed
    /// `Last-Modified`.
    pub fn feed(&self, path: &str, xml: &str) {
        self.page(
            path,
            Page {
                body: xml.as_bytes().to_vec(),
                content_type: "application/rss+xml; charset=utf-8".into(),
                etag: Some(format!("\"v{}\"", xml.len())),
                last_modified: Some("Sat, 21 Nov 2026 08:00:00 GMT".into()),
                content_encoding: None,
            },
        );
    }

    /// Sets a repository's star count for the GitHub stand-in (`owner/name`).
    pub fn stars(&self, repo: &str, stars: i64) {
        lock(&self.shared)
            .stars
            .insert(repo.to_ascii_lowercase(), stars);
    }

    /// Sets a repository's description and README (`GET /repos/{o}/{r}/readme`, raw) for the
    /// GitHub stand-in.
    pub fn repo_text(&self, repo: &str, description: &str, readme: &str) {
        lock(&self.shared).repo_texts.insert(
            repo.to_ascii_lowercase(),
            (description.to_owned(), readme.to_owned()),
        );
    }

    /// Every non-Telegram request so far.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.shared).requests.clone()
    }

    /// The most `/delay/…` requests that were being answered at the same time.
    pub fn max_in_flight(&self) -> usize {
        lock(&self.shared).max_in_flight
    }

    /// Forgets the requests so far.
    pub fn clear_requests(&self) {
        lock(&self.shared).requests.clear();
    }

    /// Every Bot API call so far, the failed ones included.
    pub fn telegram_calls(&self) -> Vec<TelegramCall> {
        lock(&self.shared).telegram.calls.clone()
    }

    /// Messages the Bot API stand-in accepted (posted to the channel).
    pub fn telegram_posts(&self) -> Vec<TelegramCall> {
        lock(&self.shared)
            .telegram
            .calls
            .iter()
            .filter(|c| c.status == 200)
            .cloned()
            .collect()
    }

    /// Queues a private message to the bot for `getUpdates`.
    pub fn telegram_message(&self, username: &str, text: &str) {
        lock(&self.shared).telegram.message(username, text);
    }

    /// Fails the next Bot API calls.
    pub fn telegram_fault(&self, fault: TelegramFault, times: u32) {
        lock(&self.shared).telegram.faults.push((fault, times));
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn redirect(to: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_owned())]).into_response()
}

/// 16 MiB of zeros, gzip-compressed to a few KiB.
fn gzip_bomb() -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..16 {
        encoder.write_all(&zeros).expect("writing to memory");
    }
    encoder.finish().expect("writing to memory")
}

async fn handle(
    State(shared): State<Arc<Mutex<Shared>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    if let Some(rest) = path.strip_prefix("/bot") {
        return telegram::handle(&shared, rest, &headers, &body);
    }
    let response = route(&shared, &method, &path, &headers).await;
    lock(&shared).requests.push(Request {
        path,
        status: response.status().as_u16(),
        if_none_match: header_text(&headers, header::IF_NONE_MATCH),
        if_modified_since: header_text(&headers, header::IF_MODIFIED_SINCE),
        authorization: header_text(&headers, header::AUTHORIZATION),
        accept_encoding: header_text(&headers, header::ACCEPT_ENCODING),
    });
    response
}

async fn route(
    shared: &Mutex<Shared>,
    _method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Response {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["hop", n, rest @ ..] => {
            let n: u32 = n.parse().unwrap_or(0);
            if n == 0 {
                redirect(&format!("/{}", rest.join("/")))
            } else {
                redirect(&format!("/hop/{}/{}", n - 1, rest.join("/")))
            }
        }
        ["delay", ms, rest @ ..] => {
            {
                let mut s = lock(shared);
                s.in_flight += 1;
                s.max_in_flight = s.max_in_flight.max(s.in_flight);
            }
            tokio::time::sleep(Duration::from_millis(ms.parse().unwrap_or(0))).await;
            lock(shared).in_flight -= 1;
            let page = lock(shared)
                .pages
                .get(&format!("/{}", rest.join("/")))
                .cloned();
            page.map_or_else(
                || StatusCode::NOT_FOUND.into_response(),
                |p| ([(header::CONTENT_TYPE, p.content_type)], p.body).into_response(),
            )
        }
        ["loop", "a"] => redirect("/loop/b"),
        ["loop", "b"] => redirect("/loop/a"),
        ["status", code] => {
            let code = code.parse().ok().and_then(|c| StatusCode::from_u16(c).ok());
            code.unwrap_or(StatusCode::BAD_REQUEST).into_response()
        }
        ["slow"] => {
            tokio::time::sleep(Duration::from_hours(1)).await;
            StatusCode::OK.into_response()
        }
        ["endless"] => {
            let chunk = Bytes::from("<item><title>again</title></item>\n".repeat(2000));
            let stream =
                futures::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
            (
                [(header::CONTENT_TYPE, "application/rss+xml")],
                Body::from_stream(stream),
            )
                .into_response()
        }
        ["bomb"] => (
            [
                (header::CONTENT_TYPE, "application/rss+xml"),
                (header::CONTENT_ENCODING, "gzip"),
            ],
            gzip_bomb(),
        )
            .into_response(),
        ["repos", owner, repo, "readme"] => {
            let key = format!("{owner}/{repo}").to_ascii_lowercase();
            match lock(shared).repo_texts.get(&key) {
                Some((_, readme)) => (
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    readme.clone(),
                )
                    .into_response(),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        }
        ["repos", owner, repo] => {
            let key = format!("{owner}/{repo}").to_ascii_lowercase();
            let description = lock(shared).repo_texts.get(&key).map(|(d, _)| d.clone());
            match lock(shared).stars.get(&key) {
                Some(stars) => axum::Json(serde_json::json!({
                    "full_name": key,
                    "stargazers_count": stars,
                    "description": description,
                }))
                .into_response(),
                None => (
                    StatusCode::NOT_FOUND,
                    axum::Json(serde_json::json!({"message": "Not Found"})),
                )
                    .into_response(),
            }
        }
        _ => {
            if let Some(to) = lock(shared).redirects.get(path).cloned() {
                return redirect(&to);
            }
            let Some(page) = lock(shared).pages.get(path).cloned() else {
                return StatusCode::NOT_FOUND.into_response();
            };
            let matches = |name: header::HeaderName, value: &Option<String>| {
                value.is_some() && header_text(headers, name).as_ref() == value.as_ref()
            };
            if matches(header::IF_NONE_MATCH, &page.etag)
                || (header_text(headers, header::IF_NONE_MATCH).is_none()
                    && matches(header::IF_MODIFIED_SINCE, &page.last_modified))
            {
                return StatusCode::NOT_MODIFIED.into_response();
            }
            let mut response = (
                [(header::CONTENT_TYPE, page.content_type.clone())],
                page.body.clone(),
            )
                .into_response();
            let h = response.headers_mut();
            for (name, value) in [
                (header::ETAG, &page.etag),
                (header::LAST_MODIFIED, &page.last_modified),
                (header::CONTENT_ENCODING, &page.content_encoding),
            ] {
                if let Some(v) = value.as_ref().and_then(|v| v.parse().ok()) {
                    h.insert(name, v);
                }
            }
            response
        }
    }
}
