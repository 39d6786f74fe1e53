//! The small HTML pages of `weekly server` (every text from outside escaped).

use crate::App;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use weekly_app::tokens::{Purpose, Refused};
use weekly_site::markdown::escape;

/// A page whose body is HTML made by us (its values already escaped).
pub(super) fn page_html(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width\"><title>{title}</title></head><body><main><h1>{title}</h1>\
         {body}</main></body></html>",
        title = escape(title),
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// A page of one paragraph.
pub(super) fn page(status: StatusCode, title: &str, text: &str) -> Response {
    page_html(status, title, &format!("<p>{}</p>", escape(text)))
}

pub(super) fn database_down() -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Please try again",
        "The subscription service is busy or down; nothing was saved. Please try again in a \
         few minutes.",
    )
}

/// The answer when the database failed while `doing` something: [`database_down`], with the
/// error printed once (never the request's token, which no database error carries).
pub(super) fn database_error(doing: &str, error: &dyn std::fmt::Display) -> Response {
    crate::log(&format!("{doing}: the database failed: {error}"));
    database_down()
}

/// The subscriber `token` was made for, for `purpose`, or the page to answer with: refused
/// (400 or 410) when the token is not valid for anyone we have, 503 when the database could
/// not be asked.
pub(super) async fn holder(
    app: &App,
    token: &str,
    purpose: Purpose,
    doing: &str,
) -> Result<weekly_store::Subscriber, Response> {
    match app.list.holder(token, purpose).await {
        Ok(Ok(subscriber)) => Ok(subscriber),
        Ok(Err(why)) => Err(refused(why)),
        Err(e) => Err(database_error(doing, &e.0)),
    }
}

pub(super) fn refused(why: Refused) -> Response {
    match why {
        Refused::Expired => page(
            StatusCode::GONE,
            "This link has expired",
            "Please sign up again to get a new confirmation link.",
        ),
        Refused::Forged | Refused::OtherPurpose => page(
            StatusCode::BAD_REQUEST,
            "This link is not valid",
            "It may have been cut when it was copied. Please use the link in the mail as it is.",
        ),
    }
}
