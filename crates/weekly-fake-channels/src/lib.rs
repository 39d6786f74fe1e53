//! Stand-ins for the services `weekly publish` posts to, on 127.0.0.1, each refusing what the
//! real one refuses (the rule's documentation page is named beside it):
//! - Mastodon: a bearer token, the instance's `max_characters` with URLs counted as 23, and
//!   `Idempotency-Key` (a repeated key answers the status it made)
//!   (docs.joinmastodon.org/methods/statuses/#create, /methods/instance/#v2);
//! - Bluesky: `createSession` with the app password, `uploadBlob` and `createRecord` with its
//!   `accessJwt` (a link card's thumb must be an uploaded blob), at
//!   most 300 graphemes, link facets whose byte offsets fall on UTF-8 boundaries and cover
//!   the link (docs.bsky.app/docs/advanced-guides/post-richtext);
//! - dev.to: the `api-key` header (developers.forem.com/api/v1#tag/articles);
//! - WordPress: basic auth with an application password (make.wordpress.org/core/2020/11/05/
//!   application-passwords-integration-guide/);
//! - Ghost: a JWT signed with the admin key's secret, `kid` its id, `aud` `/admin/`, at most
//!   five minutes, and `updated_at` on an update (ghost.org/docs/admin-api/#token-authentication,
//!   #updating-a-post).
//!
//! Every call is recorded, with the status answered.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use hmac::{KeyInit, Mac};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use unicode_segmentation::UnicodeSegmentation;

type HmacSha256 = hmac::Hmac<sha2_hmac::Sha256>;

/// The secrets the stand-ins accept.
#[derive(Debug, Clone)]
pub struct Secrets {
    /// Mastodon's access token.
    pub mastodon_token: String,
    /// Bluesky's handle and app password.
    pub bluesky_handle: String,
    /// Bluesky's app password.
    pub bluesky_password: String,
    /// dev.to's API key.
    pub devto_key: String,
    /// WordPress's user.
    pub wordpress_user: String,
    /// WordPress's application password (spaces allowed, as WordPress shows it).
    pub wordpress_password: String,
    /// Ghost's admin key, `ID:SECRET` (hex).
    pub ghost_key: String,
    /// WeChat's AppID.
    pub wechat_appid: String,
    /// WeChat's AppSecret.
    pub wechat_secret: String,
}

/// A call received.
#[derive(Debug, Clone)]
pub struct Call {
    /// `mastodon`, `bluesky`, `devto`, `wordpress`, `ghost`.
    pub service: &'static str,
    /// Method and path.
    pub request: String,
    /// The JSON body (null when none).
    pub body: Value,
    /// The status answered.
    pub status: u16,
    /// Every header value, for the tests that look for a secret where it must not be.
    pub headers: Vec<String>,
}

#[derive(Debug, Default)]
struct Shared {
    calls: Vec<Call>,
    /// Mastodon: (idempotency key, status made).
    statuses: Vec<(String, Value)>,
    /// Bluesky: posts made.
    skeets: Vec<Value>,
    /// dev.to, WordPress, Ghost: (service, id, the post as stored).
    drafts: Vec<(&'static str, String, Value)>,
    next: u64,
    /// WeChat: tokens given, and whether each still works.
    wechat_tokens: Vec<(String, bool)>,
    /// WeChat: uploaded image addresses and thumb media ids.
    wechat_uploads: Vec<String>,
    wechat_thumbs: Vec<String>,
    /// Bluesky: blobs uploaded (their cids).
    blobs: Vec<String>,
}

/// A running stand-in; dropping it stops it.
#[derive(Debug)]
pub struct FakeChannels {
    server: weekly_fake_web::Server,
    shared: Arc<Mutex<Shared>>,
}

#[derive(Debug, Clone)]
struct AppState {
    shared: Arc<Mutex<Shared>>,
    secrets: Arc<Secrets>,
    base: Arc<Mutex<String>>,
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeChannels {
    /// Starts the stand-ins on 127.0.0.1 with an ephemeral port.
    pub fn start(secrets: Secrets) -> std::io::Result<FakeChannels> {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let base = Arc::new(Mutex::new(String::new()));
        let state = AppState {
            shared: Arc::clone(&shared),
            secrets: Arc::new(secrets),
            base: Arc::clone(&base),
        };
        let app = Router::new().fallback(handle).with_state(state);
        let server = weekly_fake_web::Server::start("fake-channels", 0, app)?;
        *base.lock().unwrap_or_else(PoisonError::into_inner) = format!("http://{}", server.addr());
        Ok(FakeChannels { server, shared })
    }

    /// `http://127.0.0.1:PORT`: every service's `api_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.shared).calls.clone()
    }

    /// The Mastodon statuses made.
    pub fn statuses(&self) -> Vec<Value> {
        lock(&self.shared)
            .statuses
            .iter()
            .map(|(_, s)| s.clone())
            .collect()
    }

    /// The Bluesky posts made.
    pub fn skeets(&self) -> Vec<Value> {
        lock(&self.shared).skeets.clone()
    }

    /// Makes every WeChat token given so far expire (WeChat then answers 42001).
    pub fn expire_wechat_tokens(&self) {
        for (_, live) in &mut lock(&self.shared).wechat_tokens {
            *live = false;
        }
    }

    /// How many WeChat tokens were given.
    pub fn wechat_tokens(&self) -> usize {
        lock(&self.shared).wechat_tokens.len()
    }

    /// The drafts of `service` as they stand.
    pub fn drafts(&self, service: &str) -> Vec<Value> {
        lock(&self.shared)
            .drafts
            .iter()
            .filter(|(s, _, _)| *s == service)
            .map(|(_, _, d)| d.clone())
            .collect()
    }
}

fn error(status: StatusCode, body: &Value) -> Response {
    (status, axum::Json(body.clone())).into_response()
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

async fn handle(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (service, response) = if path.starts_with("/cgi-bin/") {
        (
            "wechat",
            wechat(
                &state,
                &path,
                uri.query().unwrap_or(""),
                &headers,
                &body,
                &json,
            ),
        )
    } else {
        route(&state, &method, &path, &headers, &json)
    };
    let status = response.status().as_u16();
    lock(&state.shared).calls.push(Call {
        service,
        request: format!("{method} {path}"),
        body: json,
        status,
        headers: headers
            .values()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect(),
    });
    response
}

fn route(
    state: &AppState,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &Value,
) -> (&'static str, Response) {
    let base = state
        .base
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let s = &state.secrets;
    let mut shared = lock(&state.shared);
    shared.next += 1;
    let n = shared.next;
    match (method.as_str(), path) {
        ("GET", "/api/v2/instance") => (
            "mastodon",
            axum::Json(json!({"configuration": {"statuses": {"max_characters": 500, "characters_reserved_per_url": 23}}})).into_response(),
        ),
        ("POST", "/api/v1/statuses") => ("mastodon", mastodon(&mut shared, s, &base, headers, body, n)),
        ("POST", "/xrpc/com.atproto.server.createSession") => {
            let ok = body["identifier"] == s.bluesky_handle.as_str()
                && body["password"] == s.bluesky_password.as_str();
            if !ok {
                return ("bluesky", error(StatusCode::UNAUTHORIZED, &json!({"error": "AuthenticationRequired", "message": "Invalid identifier or password"})));
            }
            ("bluesky", axum::Json(json!({"accessJwt": "jwt-access-1", "refreshJwt": "jwt-refresh-1", "handle": s.bluesky_handle, "did": "did:plc:weeklytest"})).into_response())
        }
        ("POST", "/xrpc/com.atproto.repo.uploadBlob") => ("bluesky", upload_blob(&mut shared, headers, n)),
        ("POST", "/xrpc/com.atproto.repo.createRecord") => ("bluesky", bluesky(&mut shared, headers, body, n)),
        ("POST", "/api/articles") | ("PUT", _) if path.starts_with("/api/articles") => {
            ("devto", devto(&mut shared, s, &base, method, path, headers, body, n))
        }
        (_, p) if p.starts_with("/wp-json/wp/v2/posts") && method == Method::POST => {
            ("wordpress", wordpress(&mut shared, s, &base, path, headers, body, n))
        }
        (_, p) if p.starts_with("/ghost/api/admin/posts") => {
            ("ghost", ghost(&mut shared, s, &base, method, path, headers, body, n))
        }
        _ => ("unknown", StatusCode::NOT_FOUND.into_response()),
    }
}

/// Mastodon's count: characters, a URL as 23.
fn mastodon_length(text: &str) -> usize {
    text.split_inclusive(char::is_whitespace)
        .map(|w| {
            let bare = w.trim_end();
            if bare.starts_with("http://") || bare.starts_with("https://") {
                23 + (w.chars().count() - bare.chars().count())
            } else {
                w.chars().count()
            }
        })
        .sum()
}

fn mastodon(
    shared: &mut Shared,
    s: &Secrets,
    base: &str,
    headers: &HeaderMap,
    body: &Value,
    n: u64,
) -> Response {
    if header(headers, "authorization") != format!("Bearer {}", s.mastodon_token) {
        return error(
            StatusCode::UNAUTHORIZED,
            &json!({"error": "The access token is invalid"}),
        );
    }
    let key = header(headers, "idempotency-key").to_owned();
    if let Some((_, made)) = shared
        .statuses
        .iter()
        .find(|(k, _)| !key.is_empty() && *k == key)
    {
        return axum::Json(made.clone()).into_response();
    }
    let Some(text) = body["status"].as_str() else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"error": "Validation failed: Text can't be blank"}),
        );
    };
    if mastodon_length(text) > 500 {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"error": "Validation failed: Text character limit of 500 exceeded"}),
        );
    }
    let made = json!({"id": n.to_string(), "url": format!("{base}/@weekly/{n}"), "content": text, "language": body["language"]});
    shared.statuses.push((key, made.clone()));
    axum::Json(made).into_response()
}

fn bluesky(shared: &mut Shared, headers: &HeaderMap, body: &Value, n: u64) -> Response {
    let invalid = |message: &str| {
        error(
            StatusCode::BAD_REQUEST,
            &json!({"error": "InvalidRequest", "message": message}),
        )
    };
    if header(headers, "authorization") != "Bearer jwt-access-1" {
        return error(
            StatusCode::UNAUTHORIZED,
            &json!({"error": "InvalidToken", "message": "Bad token"}),
        );
    }
    let record = &body["record"];
    let text = record["text"].as_str().unwrap_or("");
    if text.graphemes(true).count() > 300 || text.len() > 3000 {
        return invalid("Record/text must not be longer than 300 graphemes");
    }
    for facet in record["facets"].as_array().into_iter().flatten() {
        let (Some(start), Some(end)) = (
            facet["index"]["byteStart"].as_u64(),
            facet["index"]["byteEnd"].as_u64(),
        ) else {
            return invalid("facet without byteStart/byteEnd");
        };
        let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
            return invalid("facet offsets out of range");
        };
        if start >= end
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            return invalid("facet offsets are not UTF-8 boundaries of the text");
        }
        let uri = facet["features"][0]["uri"].as_str().unwrap_or("");
        if &text[start..end] != uri {
            return invalid("a link facet does not cover its link");
        }
    }
    // A link card's thumbnail must be a blob uploaded before (docs.bsky.app/docs/advanced-guides/
    // posts#website-card-embeds).
    let thumb = &record["embed"]["external"]["thumb"];
    if !thumb.is_null() {
        let cid = thumb["ref"]["$link"].as_str().unwrap_or("");
        if !shared.blobs.iter().any(|b| b == cid) || thumb["mimeType"] != "image/png" {
            return invalid("the link card's thumb is not an uploaded blob");
        }
    }
    let uri = format!("at://did:plc:weeklytest/app.bsky.feed.post/rkey{n}");
    shared.skeets.push(record.clone());
    axum::Json(json!({"uri": uri, "cid": format!("cid{n}")})).into_response()
}

fn upload_blob(shared: &mut Shared, headers: &HeaderMap, n: u64) -> Response {
    if header(headers, "authorization") != "Bearer jwt-access-1" {
        return error(
            StatusCode::UNAUTHORIZED,
            &json!({"error": "InvalidToken", "message": "Bad token"}),
        );
    }
    let mime = header(headers, "content-type").to_owned();
    let cid = format!("bafkblob{n}");
    shared.blobs.push(cid.clone());
    axum::Json(
        json!({"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": 1}}),
    )
    .into_response()
}

#[allow(clippy::too_many_arguments)]
fn devto(
    shared: &mut Shared,
    s: &Secrets,
    base: &str,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &Value,
    n: u64,
) -> Response {
    if header(headers, "api-key") != s.devto_key {
        return error(
            StatusCode::UNAUTHORIZED,
            &json!({"error": "unauthorized", "status": 401}),
        );
    }
    let article = &body["article"];
    if article["title"].as_str().is_none_or(str::is_empty) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"error": "Title can't be blank", "status": 422}),
        );
    }
    save_draft(
        shared,
        "devto",
        method,
        path,
        "/api/articles",
        article.clone(),
        n,
        |id| json!({"id": id.parse::<u64>().unwrap_or(0), "url": format!("{base}/weekly/draft-{id}")}),
    )
}

fn wordpress(
    shared: &mut Shared,
    s: &Secrets,
    base: &str,
    path: &str,
    headers: &HeaderMap,
    body: &Value,
    n: u64,
) -> Response {
    let expected = format!(
        "{}:{}",
        s.wordpress_user,
        s.wordpress_password.replace(' ', "")
    );
    let given = header(headers, "authorization")
        .strip_prefix("Basic ")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .map(|t| match t.split_once(':') {
            Some((u, p)) => format!("{u}:{}", p.replace(' ', "")),
            None => t,
        })
        .unwrap_or_default();
    if given != expected {
        return error(
            StatusCode::UNAUTHORIZED,
            &json!({"code": "rest_not_logged_in", "message": "You are not currently logged in.", "data": {"status": 401}}),
        );
    }
    if body["status"] != "draft" {
        return error(
            StatusCode::BAD_REQUEST,
            &json!({"code": "rest_invalid_param", "message": "this stand-in expects drafts"}),
        );
    }
    save_draft(
        shared,
        "wordpress",
        &Method::POST,
        path,
        "/wp-json/wp/v2/posts",
        body.clone(),
        n,
        |id| json!({"id": id.parse::<u64>().unwrap_or(0), "link": format!("{base}/?p={id}")}),
    )
}

/// Checks a Ghost Admin API token: HS256 with the key's secret, `kid` its id, `aud`
/// `/admin/`, issued in the last five minutes and not expired.
fn ghost_token_ok(authorization: &str, key: &str) -> bool {
    let Some(token) = authorization.strip_prefix("Ghost ") else {
        return false;
    };
    let Some((id, secret)) = key.split_once(':') else {
        return false;
    };
    let Ok(secret) = hex::decode(secret) else {
        return false;
    };
    let parts: Vec<&str> = token.split('.').collect();
    let [head, claims, signature] = parts[..] else {
        return false;
    };
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let Ok(mut mac) = HmacSha256::new_from_slice(&secret) else {
        return false;
    };
    mac.update(format!("{head}.{claims}").as_bytes());
    let Ok(signature) = b64.decode(signature) else {
        return false;
    };
    if mac.verify_slice(&signature).is_err() {
        return false;
    }
    let decode = |p: &str| {
        b64.decode(p)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .unwrap_or_default()
    };
    let (head, claims) = (decode(head), decode(claims));
    let now = chrono::Utc::now().timestamp();
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap_or(0),
        claims["exp"].as_i64().unwrap_or(0),
    );
    head["alg"] == "HS256"
        && head["kid"] == id
        && claims["aud"] == "/admin/"
        && exp > now
        && exp - iat <= 300
}

#[allow(clippy::too_many_arguments)]
fn ghost(
    shared: &mut Shared,
    s: &Secrets,
    base: &str,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &Value,
    n: u64,
) -> Response {
    if !ghost_token_ok(header(headers, "authorization"), &s.ghost_key) {
        return error(
            StatusCode::UNAUTHORIZED,
            &json!({"errors": [{"message": "Invalid token", "type": "UnauthorizedError"}]}),
        );
    }
    let post = body["posts"][0].clone();
    let stamp = format!("2026-12-07T00:00:{:02}.000Z", n % 60);
    if method == Method::PUT {
        let id = path
            .trim_start_matches("/ghost/api/admin/posts/")
            .trim_end_matches('/')
            .to_owned();
        let Some((_, _, current)) = shared
            .drafts
            .iter_mut()
            .find(|(sv, i, _)| *sv == "ghost" && *i == id)
        else {
            return error(
                StatusCode::NOT_FOUND,
                &json!({"errors": [{"message": "Post not found."}]}),
            );
        };
        if post["updated_at"] != current["updated_at"] {
            return error(
                StatusCode::CONFLICT,
                &json!({"errors": [{"message": "Saving failed! Someone else is editing this post.", "type": "UpdateCollisionError"}]}),
            );
        }
        let mut updated = post.clone();
        updated["id"] = json!(id);
        updated["updated_at"] = json!(stamp);
        updated["url"] = json!(format!("{base}/p/{id}/"));
        *current = updated.clone();
        return axum::Json(json!({"posts": [updated]})).into_response();
    }
    let id = format!("g{n}");
    let mut made = post;
    made["id"] = json!(id);
    made["updated_at"] = json!(stamp);
    made["url"] = json!(format!("{base}/p/{id}/"));
    shared.drafts.push(("ghost", id, made.clone()));
    (StatusCode::CREATED, axum::Json(json!({"posts": [made]}))).into_response()
}

/// Stores a new draft (a POST to `collection`) or replaces one (its id after it).
#[allow(clippy::too_many_arguments)]
fn save_draft(
    shared: &mut Shared,
    service: &'static str,
    method: &Method,
    path: &str,
    collection: &str,
    post: Value,
    n: u64,
    answer: impl Fn(&str) -> Value,
) -> Response {
    let rest = path.trim_start_matches(collection).trim_matches('/');
    if rest.is_empty() && method == Method::POST {
        let id = n.to_string();
        shared.drafts.push((service, id.clone(), post));
        return (StatusCode::CREATED, axum::Json(answer(&id))).into_response();
    }
    let Some((_, _, current)) = shared
        .drafts
        .iter_mut()
        .find(|(s, i, _)| *s == service && i == rest)
    else {
        return error(
            StatusCode::NOT_FOUND,
            &json!({"error": "not found", "status": 404}),
        );
    };
    *current = post;
    axum::Json(answer(rest)).into_response()
}

fn query(query: &str, name: &str) -> String {
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        .unwrap_or("");
    percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned()
}

fn wechat_error(code: i64, message: &str) -> Response {
    axum::Json(json!({"errcode": code, "errmsg": message})).into_response()
}

/// WeChat's Official Account API: `cgi-bin/token`, `media/uploadimg`, `material/add_material`
/// (thumb), `draft/add` and `draft/update`, each answering `{errcode, errmsg}` as WeChat does
/// (HTTP 200 whatever happened). A draft is refused when its content links outside WeChat or
/// shows an image that was not uploaded (developers.weixin.qq.com/doc/offiaccount/Draft_Box/
/// Add_draft.html: "图文消息的具体内容…会去除 JS…外部链接不可用"; images must come from
/// `media/uploadimg`), when its title is over 64 characters, or its cover is unknown.
fn wechat(
    state: &AppState,
    path: &str,
    q: &str,
    headers: &HeaderMap,
    raw: &[u8],
    body: &Value,
) -> Response {
    let s = &state.secrets;
    let mut shared = lock(&state.shared);
    shared.next += 1;
    let n = shared.next;
    if path == "/cgi-bin/token" {
        if query(q, "appid") != s.wechat_appid {
            return wechat_error(40013, "invalid appid");
        }
        if query(q, "secret") != s.wechat_secret {
            return wechat_error(40125, "invalid appsecret");
        }
        let token = format!("wx-token-{n}");
        shared.wechat_tokens.push((token.clone(), true));
        return axum::Json(json!({"access_token": token, "expires_in": 7200})).into_response();
    }
    let token = query(q, "access_token");
    match shared.wechat_tokens.iter().find(|(t, _)| *t == token) {
        None => {
            return wechat_error(
                40001,
                "invalid credential, access_token is invalid or not latest",
            );
        }
        Some((_, false)) => return wechat_error(42001, "access_token expired"),
        Some(_) => {}
    }
    let has_media = header(headers, "content-type").starts_with("multipart/form-data")
        && String::from_utf8_lossy(raw).contains("name=\"media\"");
    match path {
        "/cgi-bin/media/uploadimg" => {
            if !has_media {
                return wechat_error(41005, "media data missing");
            }
            let url = format!("http://mmbiz.qpic.cn/mmbiz_png/u{n}/0");
            shared.wechat_uploads.push(url.clone());
            axum::Json(json!({"url": url})).into_response()
        }
        "/cgi-bin/material/add_material" => {
            if query(q, "type") != "thumb" || !has_media {
                return wechat_error(40007, "invalid media type or data");
            }
            let id = format!("thumb-{n}");
            shared.wechat_thumbs.push(id.clone());
            axum::Json(json!({"media_id": id, "url": format!("http://mmbiz.qpic.cn/thumb/{n}/0")}))
                .into_response()
        }
        "/cgi-bin/draft/add" | "/cgi-bin/draft/update" => {
            let article = if path.ends_with("add") {
                &body["articles"][0]
            } else {
                &body["articles"]
            };
            let title = article["title"].as_str().unwrap_or("");
            if title.is_empty() || title.chars().count() > 64 {
                return wechat_error(45003, "title size out of limit");
            }
            if article["content_source_url"]
                .as_str()
                .unwrap_or("")
                .is_empty()
            {
                return wechat_error(40003, "content_source_url missing");
            }
            if !shared
                .wechat_thumbs
                .iter()
                .any(|t| article["thumb_media_id"] == t.as_str())
            {
                return wechat_error(40007, "invalid thumb_media_id");
            }
            let content = article["content"].as_str().unwrap_or("");
            for href in content.split("href=\"").skip(1) {
                if !href.starts_with("https://mp.weixin.qq.com/") {
                    return wechat_error(45166, "invalid content: external link");
                }
            }
            for src in content.split("<img src=\"").skip(1) {
                let src = src.split('"').next().unwrap_or("");
                if !shared.wechat_uploads.iter().any(|u| u == src) {
                    return wechat_error(45166, "invalid content: image not uploaded");
                }
            }
            if path.ends_with("add") {
                let id = format!("draft-{n}");
                shared.drafts.push(("wechat", id.clone(), article.clone()));
                return axum::Json(json!({"media_id": id})).into_response();
            }
            let id = body["media_id"].as_str().unwrap_or("").to_owned();
            let Some((_, _, current)) = shared
                .drafts
                .iter_mut()
                .find(|(sv, i, _)| *sv == "wechat" && *i == id)
            else {
                return wechat_error(40007, "invalid media_id");
            };
            *current = article.clone();
            wechat_error(0, "ok")
        }
        _ => wechat_error(48001, "api unauthorized"),
    }
}
