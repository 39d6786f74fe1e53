//! Readers' signals at the server (`[tracking]`): `/c/TOKEN` redirects a campaign's link to the
//! address stored with the campaign and counts the click, `/o/TOKEN` is the open pixel, and
//! page views of issue and home pages are counted when `page_views` is on. Counts gather in
//! memory and go to the database every second (and when the server stops); a forged or
//! altered token gets 400 and reaches nothing. Nothing about the reader is kept: no address,
//! no agent (the agent only tells a scanner from a reader, then is dropped).

use crate::{App, log};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use weekly_app::tokens::Tracked;
use weekly_app::tracking::{Counter, Taker, classify, is_bot};

/// Link addresses looked up, by campaign and position (only for signed tokens, so only real
/// links: bounded by the campaigns' links, and emptied past this many).
const CACHED_LINKS: usize = 100_000;

/// What the tracking routes share.
#[derive(Debug, Default)]
pub(crate) struct Tracking {
    /// Counts not yet in the database.
    pub(crate) counter: Counter,
    links: RwLock<HashMap<(i64, u32), String>>,
}

/// A transparent 1×1 GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x01, 0x44, 0x00, 0x3b,
];

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

fn agent(headers: &HeaderMap) -> &str {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn not_ours() -> Response {
    (
        StatusCode::BAD_REQUEST,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        "This is not a link of ours: it leads nowhere.\n",
    )
        .into_response()
}

/// The token's link and who took it, once the token is checked.
fn taken(app: &App, token: &str, method: &Method, headers: &HeaderMap) -> Option<(Tracked, Taker)> {
    let tracked = app.secret.tracked(token)?;
    let now = chrono::Utc::now().timestamp();
    let taker = classify(
        *method == Method::HEAD,
        agent(headers),
        tracked.sent,
        now,
        i64::from(app.prefetch_seconds),
    );
    Some((tracked, taker))
}

/// `GET|HEAD /c/TOKEN`: the click counted, then a redirect to the link's stored address.
pub(crate) async fn click(
    State(app): State<Arc<App>>,
    Path(token): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let Some((tracked, taker)) = taken(&app, &token, &method, &headers) else {
        return not_ours();
    };
    if tracked.position == 0 {
        return not_ours();
    }
    let key = (tracked.campaign, tracked.position);
    let cached = app
        .tracking
        .links
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
        .cloned();
    let url = match cached {
        Some(url) => Some(url),
        None => match app
            .store
            .campaign_link_url(tracked.campaign, tracked.position)
            .await
        {
            Ok(url) => {
                // Only a link found is kept: one stored later (a campaign whose links were
                // written after a crash) is looked up again.
                if let Some(found) = &url {
                    let mut links = app
                        .tracking
                        .links
                        .write()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    if links.len() >= CACHED_LINKS {
                        links.clear();
                    }
                    links.insert(key, found.clone());
                }
                url
            }
            Err(e) => {
                log(&format!("click: the database does not answer: {e}"));
                return (StatusCode::SERVICE_UNAVAILABLE, "try again in a moment\n")
                    .into_response();
            }
        },
    };
    let Some(url) = url.filter(|u| u.starts_with("https://") || u.starts_with("http://")) else {
        return (StatusCode::NOT_FOUND, "This link is no longer here.\n").into_response();
    };
    app.tracking.counter.click(&tracked, taker, &today());
    if app.per_subscriber
        && taker == Taker::Reader
        && let Some(subscriber) = tracked.subscriber
    {
        let at = weekly_store::time::now();
        if let Err(e) = app
            .store
            .record_subscriber_click(subscriber, tracked.campaign, tracked.position, &at)
            .await
        {
            log(&format!("click: not recorded for its subscriber: {e}"));
        }
    }
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, url.as_str()),
            (header::CACHE_CONTROL, "private, no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
    )
        .into_response()
}

/// `GET /o/TOKEN`: the open pixel.
pub(crate) async fn open(
    State(app): State<Arc<App>>,
    Path(token): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let token = token.strip_suffix(".gif").unwrap_or(&token);
    match taken(&app, token, &method, &headers) {
        Some((tracked, taker)) if tracked.position == 0 => {
            app.tracking.counter.click(&tracked, taker, &today());
            (
                [
                    (header::CONTENT_TYPE, "image/gif"),
                    (header::CACHE_CONTROL, "private, no-store"),
                ],
                PIXEL,
            )
                .into_response()
        }
        _ => not_ours(),
    }
}

/// Counts a page view of an issue page (`/LANG/N/`) or a home page (`/`, `/LANG/`) answered
/// 200.
pub(crate) async fn count_views(
    State(app): State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let page = (request.method() == Method::GET)
        .then(|| view_of(&app, request.uri().path()))
        .flatten();
    let bot = is_bot(agent(request.headers()));
    let response = next.run(request).await;
    if let Some((lang, issue)) = page
        && response.status() == StatusCode::OK
    {
        app.tracking.counter.view(weekly_store::ViewKey {
            day: today(),
            lang,
            issue,
            kind: if bot { "bot" } else { "reader" }.to_owned(),
        });
    }
    response
}

/// The language and issue of a page path (issue 0: the home page), for the newsletter's own
/// languages only, so that what is counted stays bounded.
fn view_of(app: &App, path: &str) -> Option<(String, u32)> {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    // The primary language's home page is the site's root.
    if path == "/" {
        return Some((app.primary.as_str().to_owned(), 0));
    }
    let mut parts = path.trim_matches('/').split('/');
    let lang = parts.next()?;
    let lang = app.languages.iter().find(|l| l.as_str() == lang)?;
    let issue = match parts.next() {
        None | Some("") => 0,
        Some(n) => n.parse().ok().filter(|n| *n > 0 && *n < 1_000_000)?,
    };
    if parts.next().is_some_and(|p| !p.is_empty()) {
        return None;
    }
    Some((lang.as_str().to_owned(), issue))
}

/// Adds the counts to the database every second until the server stops.
pub(crate) fn flush_every_second(app: Arc<App>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            if let Err(e) = app.tracking.counter.flush(&app.store).await {
                log(&format!("counts kept for the next try: {e}"));
            }
        }
    });
}

/// `GET /report?key=KEY`: the private dashboard, for whoever has `WEEKLY_REPORT_KEY` (compared
/// in constant time); without that key set the page does not exist.
pub(crate) async fn report(
    State(app): State<Arc<App>>,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let Some(key) = &app.report_key else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = query.get("key").map_or("", String::as_str).as_bytes();
    let same = given.len() == key.len()
        && given
            .iter()
            .zip(key.as_bytes())
            .fold(0u8, |d, (a, b)| d | (a ^ b))
            == 0;
    if !same {
        return (StatusCode::FORBIDDEN, "This page needs its key.\n").into_response();
    }
    let page = async {
        let workspace = weekly_app::workspace::Workspace::load(&app.root)?;
        let report = weekly_app::report::report(&workspace, &app.store, None).await?;
        anyhow::Ok(weekly_app::report_page::page(
            workspace.config.primary_name(),
            &report,
        ))
    }
    .await;
    match page {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-store"),
                (header::REFERRER_POLICY, "no-referrer"),
            ],
            html,
        )
            .into_response(),
        Err(e) => {
            log(&format!("report: {e:#}"));
            (StatusCode::SERVICE_UNAVAILABLE, "try again in a moment\n").into_response()
        }
    }
}
