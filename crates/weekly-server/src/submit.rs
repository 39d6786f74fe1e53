//! `POST /submit`: a reader recommends a link. The link is checked (an `http(s)` URL with a
//! host that is not an address of this machine or of a private network, nor a local name such
//! as `localhost`, read as a browser reads it: `127.1` and `0x7f.1` are 127.0.0.1), nothing is
//! fetched, and it enters the inbox as a candidate from the source `reader:form`, the reader's
//! note as its summary. Rate-limited with the sign-up form, honeypot field `website`.

use crate::App;
use crate::pages::{database_down, page, page_html};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use std::net::SocketAddr;
use std::sync::Arc;
use weekly_app::collector::stamp;
use weekly_store::NewItem;

/// The source name of links submitted through the form.
pub const FORM_SOURCE: &str = "reader:form";
/// Longest note kept (characters).
const MAX_NOTE: usize = 1000;
/// Longest contact kept (characters).
const MAX_CONTACT: usize = 200;

/// A submission: form fields or JSON.
#[derive(Debug, Default, serde::Deserialize)]
struct Submission {
    #[serde(default)]
    url: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    contact: String,
    /// The honeypot.
    #[serde(default)]
    website: String,
    /// The language of the page it was sent from (the answer is in it).
    #[serde(default)]
    lang: String,
}

fn submission_of(headers: &HeaderMap, body: &[u8]) -> Option<Submission> {
    if crate::is_json(headers) {
        return serde_json::from_slice(body).ok();
    }
    let mut form = Submission::default();
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "url" => form.url = value.into_owned(),
            "note" => form.note = value.into_owned(),
            "contact" => form.contact = value.into_owned(),
            "website" => form.website = value.into_owned(),
            "lang" => form.lang = value.into_owned(),
            _ => {}
        }
    }
    Some(form)
}

/// Text cut to `max` characters, controls made spaces, white space collapsed.
fn clean(text: &str, max: usize) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max)
        .collect()
}

pub(super) async fn submit(
    State(app): State<Arc<App>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let client = app.client(client, &headers);
    let form = submission_of(&headers, &body);
    let look = app.look(form.iter().map(|f| f.lang.as_str()));
    if let Some(refusal) = app.throttled(client, &look) {
        return refusal;
    }
    let Some(form) = form else {
        return page_html(
            &look,
            StatusCode::BAD_REQUEST,
            look.word("not_submission"),
            &format!("<p>{}</p>", look.say("unreadable", "")),
        );
    };
    let thanks = page(&look, StatusCode::OK, "thanks");
    if !form.website.trim().is_empty() {
        return thanks;
    }
    // An address of this machine or of a private network, or a local name, is refused here
    // (`localhost` before the check below, which would call it no web address), and again by
    // the guard when `inbox draft` fetches the page, which also checks what a name resolves
    // to and every redirect.
    if let Some(why) = weekly_collect::guard::forbidden_host_of(&form.url) {
        return page_html(
            &look,
            StatusCode::BAD_REQUEST,
            look.word("not_public"),
            &format!(
                "<p>{}</p>",
                look.say("not_public_text", "")
                    .replace("{why}", &weekly_site::markdown::escape(&why))
            ),
        );
    }
    let Some(url) = weekly_model::url_norm::web_url(&form.url) else {
        return page(&look, StatusCode::BAD_REQUEST, "not_web");
    };
    let note = clean(&form.note, MAX_NOTE);
    let contact = clean(&form.contact, MAX_CONTACT);
    let summary = match (note.is_empty(), contact.is_empty()) {
        (_, true) => note,
        (true, false) => format!("(from {contact})"),
        (false, false) => format!("{note} (from {contact})"),
    };
    let now = stamp(Utc::now());
    let item = NewItem {
        url: url.to_owned(),
        url_norm: weekly_model::url_norm::normalize(url),
        // Nothing is fetched now: the link stands for its title until `inbox draft` reads it.
        title: url.to_owned(),
        summary,
        lang: String::new(),
        published: Some(now.clone()),
    };
    match app.store.record_items(FORM_SOURCE, &[item], &now).await {
        Ok(_) => thanks,
        Err(_) => database_down(&look),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_cleaned_and_bounded() {
        assert_eq!(clean("a\u{0}b\n\n c", 10), "a b c");
        assert_eq!(clean(&"x".repeat(50), 5), "xxxxx");
    }
}
