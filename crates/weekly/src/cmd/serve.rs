//! `weekly serve`: the website built in memory and served on 127.0.0.1; a watcher rebuilds it
//! whenever a file of the workspace changes (a failed rebuild keeps the last good site), and
//! pages open in a browser reload after each rebuild (live reload, a long poll), and issue pages
//! get buttons that copy the paste-ready edition (`paste_button`).

mod paste_button;

use crate::printer;
use anyhow::{Context, Result};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use weekly_app::preview::{Caches, Files, build, rebuild, snapshot};

/// Arguments of `weekly serve`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The site is kept in memory (nothing is written to disk) and rebuilt when \
`weekly.toml`, an issue file, a template, a season file or a file of `static/` changes; only changed issue files are \
parsed again, and each rebuild prints its time. Pages open in a browser reload by themselves \
after a rebuild, and show the error of a failed one over the last good build (a small script \
is added to every page served, not to `weekly build`'s output; `--no-live-reload` leaves it \
out). Each issue page also gets buttons that copy it as paste-ready HTML for Substack, 小报童, \
少数派 and 知乎 (`weekly render N --edition paste`; `--no-copy-buttons` leaves them out). Files of `static/` are served as they are. \
Only 127.0.0.1 is listened on.\n\nExamples:\n  weekly serve\n  weekly serve --port 8080 --full"
)]
pub struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Serve the subscribers' edition.
    #[arg(long)]
    pub full: bool,
    /// How often the workspace is looked at, in milliseconds.
    #[arg(long, default_value_t = 100)]
    pub poll_ms: u64,
    /// Do not reload open pages in the browser after a rebuild.
    #[arg(long)]
    pub no_live_reload: bool,
    /// Do not add the buttons that copy an issue for Substack, 小报童, 少数派 and 知乎.
    #[arg(long)]
    pub no_copy_buttons: bool,
}

/// The path of the live-reload script and of the long poll it makes.
const LIVE_JS_PATH: &str = "/__weekly/live.js";
const RELOAD_PATH: &str = "/__weekly/reload";

/// Reloads the page once a build newer than the page's has been made: it asks the server
/// (a long poll that answers when a build is made, or after 25 s) for the latest build number.
const LIVE_JS: &str = include_str!("../../assets/live.js");

/// One build of the site, numbered from 1. A failed rebuild is a build too: the files of the
/// last good one with the error, so that open pages reload and show it.
struct Site {
    number: u64,
    files: Arc<Files>,
    error: Option<String>,
}

impl Site {
    /// The file at `path`, if the site has it.
    fn file(&self, path: &str) -> Option<Vec<u8>> {
        match self.files.made.get(path) {
            Some(bytes) => Some(bytes.clone()),
            None => {
                crate::files::read_inside(&self.files.real_root, self.files.statics.get(path)?).ok()
            }
        }
    }

    fn has(&self, path: &str) -> bool {
        self.files.made.contains_key(path) || self.files.statics.contains_key(path)
    }
}

/// `html` with the live-reload script (and the banner of a failed rebuild) before its last
/// `</body>` (at the end if it has none).
fn with_live_reload(html: &[u8], site: &Site) -> Vec<u8> {
    let said = match (&site.error, site.files.blocking.is_empty()) {
        (Some(error), _) => Some(format!(
            "weekly serve: the last rebuild failed; this is the last good build.\n{error}"
        )),
        (None, false) => Some(format!(
            "weekly serve: `weekly build` would stop on {} error{} (they change what readers \
             see):\n{}",
            site.files.blocking.len(),
            if site.files.blocking.len() == 1 {
                ""
            } else {
                "s"
            },
            site.files
                .blocking
                .iter()
                .map(printer::diagnostic)
                .collect::<Vec<_>>()
                .join("\n")
        )),
        (None, true) => None,
    };
    let banner = said.map_or_else(String::new, |text| {
        format!(
            "<div role=\"alert\" style=\"position:fixed;left:0;right:0;top:0;z-index:2147483647;\
             margin:0;padding:.75rem 1rem;background:#b00020;color:#fff;\
             font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap\">{}</div>",
            weekly_site::markdown::escape(&text)
        )
    });
    let build = site.number;
    let tag = format!(r#"{banner}<script src="{LIVE_JS_PATH}" data-build="{build}"></script>"#);
    before_body_end(html, &tag)
}

/// `html` with `tag` before its last `</body>` (at the end if it has none).
fn before_body_end(html: &[u8], tag: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The number of the latest build once it differs from `after` (or after 25 s).
async fn latest_build(mut builds: tokio::sync::watch::Receiver<u64>, uri: &Uri) -> Response {
    let after = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("after="))
        .and_then(|n| n.parse::<u64>().ok());
    if let Some(after) = after {
        let newer = builds.wait_for(|n| *n != after);
        let _ = tokio::time::timeout(Duration::from_secs(25), newer).await;
    }
    let now = *builds.borrow();
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        now.to_string(),
    )
        .into_response()
}

/// True when the request names this machine in `Host` (`127.0.0.1`, `localhost`, `[::1]`, with
/// any port). A page of another site whose name an attacker points at 127.0.0.1 (DNS
/// rebinding) sends its own name and is refused, so it cannot read a `--full` preview.
fn local_host(headers: &header::HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split_once(']').map_or("", |(name, _)| name)
    } else {
        host.split_once(':').map_or(host, |(name, _)| name)
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "127.0.0.1" | "localhost" | "::1"
    )
}

fn misdirected() -> Response {
    (
        StatusCode::MISDIRECTED_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "weekly serve answers only requests for 127.0.0.1 or localhost\n",
    )
        .into_response()
}

fn respond(site: &Site, uri: &Uri, live: bool, buttons: bool) -> Response {
    if uri.path() == paste_button::COPY_JS_PATH {
        return paste_button::script();
    }
    if live && uri.path() == LIVE_JS_PATH {
        return (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            LIVE_JS,
        )
            .into_response();
    }
    let html = |body: Vec<u8>| {
        if live {
            with_live_reload(&body, site)
        } else {
            body
        }
    };
    let path = uri.path().trim_start_matches('/');
    let wanted = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    };
    if let Some(body) = site.file(&wanted) {
        let kind = weekly_app::site::content_type(&wanted);
        let body = if kind.starts_with("text/html") {
            let body = match paste_button::issue_page(&wanted).filter(|_| buttons) {
                Some((lang, number)) => before_body_end(&body, &paste_button::tag(lang, number)),
                None => body,
            };
            html(body)
        } else {
            body
        };
        return ([(header::CONTENT_TYPE, kind)], body).into_response();
    }
    if site.has(&format!("{path}/index.html")) {
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("/{path}/"))],
        )
            .into_response();
    }
    // A missing `/LANG/…` gets that language's 404 page, anything else the site's.
    let body = weekly_site::urls::not_found_pages(path)
        .find_map(|file| site.file(&file))
        .map(html)
        .unwrap_or_default();
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The errors a build would stop on, and the links of `static/` it skipped.
fn say_problems(files: &Files) {
    for d in &files.blocking {
        printer::out(&printer::diagnostic(d));
    }
    printer::skipped_links(&files.skipped);
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    // The port first: a busy one is said at once, before any build.
    let bound = std::net::TcpListener::bind(("127.0.0.1", args.port)).with_context(|| {
        format!(
            "cannot listen on 127.0.0.1:{} (another program has it? try `--port {}`); nothing was built",
            args.port,
            args.port.wrapping_add(1)
        )
    })?;
    bound.set_nonblocking(true)?;
    let mut caches = Caches::new();
    let started = Instant::now();
    // What the files were before the first build: an edit made from here on is seen, however
    // late the watching thread starts.
    let before = snapshot(root);
    let files = build(root, args.full, &mut caches)?;
    say_problems(&files);
    printer::status(&format!(
        "built {} files in {} ms",
        files.made.len() + files.statics.len(),
        started.elapsed().as_millis()
    ));
    let current = Arc::new(RwLock::new(Arc::new(Site {
        number: 1,
        files,
        error: None,
    })));
    // The first edit of a season's text needs the segmenter for its word cloud: its dictionary
    // (~0.1 s to load) is made ready now, not on that rebuild.
    std::thread::spawn(|| {
        weekly_stats::words::jieba();
    });
    let (announce, builds) = tokio::sync::watch::channel(1u64);
    let watched = current.clone();
    let root = root.to_owned();
    let paste_root = root.clone();
    let (full, poll) = (args.full, Duration::from_millis(args.poll_ms.max(10)));
    std::thread::spawn(move || {
        let mut last = before;
        let mut number = 1;
        loop {
            std::thread::sleep(poll);
            let now = snapshot(&root);
            if now == last {
                continue;
            }
            last = now;
            let started = Instant::now();
            let built = rebuild(&root, full, &mut caches);
            number += 1;
            // A failed rebuild keeps the last good files and shows its error.
            let (files, error, said) = match built {
                Ok(files) => {
                    say_problems(&files);
                    let said = format!("rebuilt in {} ms", started.elapsed().as_millis());
                    (files, None, said)
                }
                Err(error) => {
                    let error = format!("{error:#}");
                    let said =
                        format!("rebuild failed (still serving the last good build): {error}");
                    let files = watched.read().expect("site lock").files.clone();
                    (files, Some(error), said)
                }
            };
            let site = Site {
                number,
                files,
                error,
            };
            // Served first, then said: whoever reads the line gets the new build.
            *watched.write().expect("site lock") = Arc::new(site);
            announce.send_replace(number);
            printer::status(&said);
        }
    });
    let live = !args.no_live_reload;
    let buttons = !args.no_copy_buttons;
    crate::runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(bound)?;
        let address = listener.local_addr()?;
        printer::status(&format!("serving http://{address}/ (Ctrl-C stops)"));
        let app = axum::Router::new().fallback(move |uri: Uri, headers: header::HeaderMap| {
            let site = current.read().expect("site lock").clone();
            let builds = builds.clone();
            let root = paste_root.clone();
            async move {
                if !local_host(&headers) {
                    misdirected()
                } else if live && uri.path() == RELOAD_PATH {
                    latest_build(builds, &uri).await
                } else if uri.path() == paste_button::PASTE_PATH {
                    paste_button::edition(&root, full, &uri).await
                } else {
                    respond(&site, &uri, live, buttons)
                }
            }
        });
        axum::serve(listener, app).await.context("server stopped")?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
