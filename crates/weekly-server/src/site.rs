//! The built site (`weekly build`'s output) served by `weekly server` beside its endpoints:
//! GET and HEAD only, no hidden files, no `..`, and no file reached through a link that leads
//! out of the site's folder.

use crate::App;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The site's folder, its links resolved.
#[derive(Debug)]
pub(super) struct SiteDir {
    pub(super) real_root: PathBuf,
}

/// What a request path names in the site.
enum Found {
    /// The file's bytes, its content type and its entity tag.
    File(Vec<u8>, &'static str, String),
    Folder,
    Nothing,
}

/// The file at `relative` (already checked to be a plain relative path), if it is a file
/// inside the site.
fn read(root: &Path, relative: &str) -> Found {
    let path = root.join(relative);
    let Ok(meta) = std::fs::metadata(&path) else {
        return Found::Nothing;
    };
    if meta.is_dir() {
        return Found::Folder;
    }
    match weekly_app::files::read_inside(root, &path) {
        Ok(bytes) => {
            let tag = entity_tag(&meta);
            Found::File(bytes, weekly_app::site::content_type(relative), tag)
        }
        Err(_) => Found::Nothing,
    }
}

/// A file's entity tag: its size and modification time (a rebuild that rewrites a file
/// changes it; one that keeps it, as `weekly build` does for unchanged pages, does not).
fn entity_tag(meta: &std::fs::Metadata) -> String {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("\"{:x}-{modified:x}\"", meta.len())
}

/// True when `If-None-Match` names `tag` (or is `*`).
fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == tag || t == "*")
}

/// The request path as a relative path of the site, or `None` when it has a part we never
/// serve (`..`, `.`, a hidden name, a backslash, a NUL, bad percent-encoding).
fn relative(uri: &Uri) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(uri.path())
        .decode_utf8()
        .ok()?;
    let trimmed = decoded.trim_start_matches('/');
    let mut parts = Vec::new();
    for part in trimmed.split('/') {
        if part.is_empty() {
            continue;
        }
        if part.starts_with('.') || part.contains(['\\', '\0']) {
            return None;
        }
        parts.push(part);
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

pub(super) async fn serve(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(site) = app.site.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let root = site.real_root.clone();
    let wanted = relative(&uri);
    let found = tokio::task::spawn_blocking(move || {
        let Some(wanted) = wanted else {
            return (Found::Nothing, read(&root, weekly_site::urls::NOT_FOUND));
        };
        let found = read(&root, &wanted);
        let not_found = match found {
            Found::Nothing => weekly_site::urls::not_found_pages(&wanted)
                .map(|file| read(&root, &file))
                .find(|page| matches!(page, Found::File(..)))
                .unwrap_or(Found::Nothing),
            _ => Found::Nothing,
        };
        (found, not_found)
    })
    .await;
    let Ok((found, not_found)) = found else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match found {
        Found::File(bytes, kind, tag) => {
            // Pages are asked again each time (cheap with the tag); assets are kept an hour.
            let cache = if kind.starts_with("text/html") {
                "no-cache"
            } else {
                "public, max-age=3600"
            };
            let head = [
                (header::CONTENT_TYPE, kind.to_owned()),
                (header::CACHE_CONTROL, cache.to_owned()),
                (header::ETAG, tag.clone()),
            ];
            if not_modified(&headers, &tag) {
                return (StatusCode::NOT_MODIFIED, head).into_response();
            }
            (head, bytes).into_response()
        }
        Found::Folder => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("{}/", uri.path()))],
        )
            .into_response(),
        Found::Nothing => {
            let body = match not_found {
                Found::File(bytes, _, _) => bytes,
                _ => b"Not found\n".to_vec(),
            };
            (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                body,
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_never_leave_the_site_or_show_hidden_files() {
        let rel = |p: &str| relative(&p.parse::<Uri>().unwrap());
        assert_eq!(rel("/").as_deref(), Some("index.html"));
        assert_eq!(rel("/zh/").as_deref(), Some("zh/index.html"));
        assert_eq!(rel("/issues/1.html").as_deref(), Some("issues/1.html"));
        assert_eq!(
            rel("/%E5%91%A8%E5%88%8A/").as_deref(),
            Some("周刊/index.html")
        );
        assert_eq!(rel("/../etc/passwd"), None);
        assert_eq!(rel("/%2e%2e/etc/passwd"), None);
        assert_eq!(rel("/.git/config"), None);
        assert_eq!(rel("/a/%2E/b"), None);
        assert_eq!(rel("/a%5C..%5Cb"), None);
        assert_eq!(rel("/a%00b"), None);
        assert_eq!(rel("/%FF"), None);
    }
}
