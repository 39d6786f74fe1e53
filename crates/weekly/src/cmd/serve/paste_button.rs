//! `weekly serve`'s copy buttons: each issue page gets a small toolbar that copies the issue as
//! paste-ready HTML for Substack, 小报童, 少数派 or 知乎 (`weekly render N --edition paste`),
//! fetched from `/__weekly/paste`. Only served pages get it, never `weekly build`'s output.

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::path::Path;
use weekly_app::rendering::{Edition, RenderOptions, Rendered, render};

/// The toolbar's script and the edition's address.
pub const COPY_JS_PATH: &str = "/__weekly/copy.js";
pub const PASTE_PATH: &str = "/__weekly/paste";
const COPY_JS: &str = include_str!("../../../assets/copy.js");

/// The language and number of an issue page (`LANG/N/index.html`).
pub fn issue_page(wanted: &str) -> Option<(&str, u32)> {
    let mut parts = wanted.split('/');
    let (lang, number, file) = (parts.next()?, parts.next()?, parts.next()?);
    let lang_like = (2..=8).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if parts.next().is_some() || file != "index.html" || !lang_like {
        return None;
    }
    Some((lang, number.parse().ok()?))
}

/// The script tag of the toolbar for the issue page of `lang` and `number`.
pub fn tag(lang: &str, number: u32) -> String {
    format!(r#"<script src="{COPY_JS_PATH}" data-lang="{lang}" data-issue="{number}"></script>"#)
}

/// The script.
pub fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        COPY_JS,
    )
        .into_response()
}

/// `/__weekly/paste?lang=L&issue=N&for=T`: the paste-ready edition, as the site being served
/// shows it (the full text with `--full`, else what the public gets).
pub async fn edition(root: &Path, full: bool, uri: &Uri) -> Response {
    let query = uri.query().unwrap_or("");
    let value = |key: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
            .map(str::to_owned)
    };
    let issue = value("issue").and_then(|n| n.parse::<u32>().ok());
    let (Some(issue), Some(lang), Some(target)) = (issue, value("lang"), value("for")) else {
        return (StatusCode::BAD_REQUEST, "lang, issue and for are needed\n").into_response();
    };
    let rendered = async {
        let workspace = weekly_app::workspace::Workspace::load(root)?;
        let options = RenderOptions {
            issue: Some(issue),
            season: None,
            edition: Edition::Paste,
            lang: Some(lang),
            tier: if full {
                weekly_app::email_edition::Tier::Paid
            } else {
                weekly_app::email_edition::Tier::Free
            },
            to: None,
            paste_for: Some(target),
        };
        render(&workspace, &options).await
    }
    .await;
    match rendered {
        Ok(Rendered::Text(html)) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            html,
        )
            .into_response(),
        Ok(Rendered::Telegram(_)) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Err(error) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            crate::printer::shown(&format!("{error:#}\n")),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_issue_pages_get_the_buttons() {
        assert_eq!(issue_page("zh/7/index.html"), Some(("zh", 7)));
        assert_eq!(issue_page("pt-BR/12/index.html"), Some(("pt-BR", 12)));
        assert_eq!(issue_page("zh/archive/index.html"), None);
        assert_eq!(issue_page("zh/7/og.png"), None);
        assert_eq!(issue_page("index.html"), None);
        assert_eq!(issue_page("zh/7/x/index.html"), None);
        assert_eq!(issue_page("<x>/7/index.html"), None);
    }
}
