//! `/preferences?token=…`: a subscriber chooses the languages of their mail (GET shows the
//! form, POST saves it) and finds the unsubscribe button, all through a signed link.

use crate::pages::{Look, database_error, holder, page, page_html, refused};
use crate::{App, link_look};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use weekly_app::tokens::Purpose;
use weekly_site::markdown::escape;

type Subscriber = weekly_store::Subscriber;

/// The subscriber a preferences token was made for and the look of their pages, or the page
/// to answer with.
async fn subscriber(
    app: &App,
    query: &HashMap<String, String>,
) -> Result<(Subscriber, Look), Response> {
    let token = query.get("token").map_or("", String::as_str);
    let first = link_look(app, query, None);
    let s = holder(app, &first, token, Purpose::Preferences, "preferences").await?;
    let look = link_look(app, query, Some(&s));
    Ok((s, look))
}

fn form(app: &App, look: &Look, subscriber: &Subscriber, token: &str, note: &str) -> Response {
    let chosen: Vec<&str> = subscriber.languages.split([',', ' ']).collect();
    let mut boxes = String::new();
    for lang in &app.languages {
        let name = app.name.get(lang).cloned().unwrap_or_default();
        let checked = if chosen.contains(&lang.as_str()) {
            " checked"
        } else {
            ""
        };
        let _ = write!(
            boxes,
            "<label><input type=\"checkbox\" name=\"lang\" value=\"{code}\"{checked}> {name} \
             ({code})</label><br>",
            code = escape(lang.as_str()),
            name = escape(&name),
        );
    }
    let unsubscribe = app.list.secret().token(
        subscriber.id,
        &subscriber.link_key,
        Purpose::Unsubscribe,
        Utc::now().timestamp() + weekly_app::tokens::MAIL_LINK_SECONDS,
    );
    let status = match subscriber.status {
        weekly_store::SubscriberStatus::Pending => look.word("status_pending"),
        weekly_store::SubscriberStatus::Confirmed => look.word("status_confirmed"),
        other => other.as_str(),
    };
    let body = format!(
        "<p>{note}</p><p>{email} — {status}</p>\
         <form method=\"post\" action=\"/preferences?token={token}&amp;lang={lang}\"><fieldset><legend>\
         {languages}</legend>{boxes}</fieldset><button type=\"submit\">{save}</button></form>\
         <form method=\"post\" action=\"/unsubscribe?token={unsubscribe}&amp;lang={lang}\">\
         <button type=\"submit\">{leave}</button></form>",
        note = look.say(note, ""),
        email = escape(&subscriber.email),
        status = escape(status),
        token = escape(token),
        lang = escape(&look.lang),
        languages = look.say("languages", ""),
        save = look.say("save", ""),
        leave = look.say("unsubscribe_button", ""),
    );
    page_html(look, StatusCode::OK, look.word("preferences"), &body)
}

pub(super) async fn show(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match subscriber(&app, &query).await {
        Ok((s, look)) => form(
            &app,
            &look,
            &s,
            query.get("token").map_or("", String::as_str),
            "preferences_text",
        ),
        Err(page) => page,
    }
}

pub(super) async fn save(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let (subscriber, look) = match subscriber(&app, &query).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let wanted: Vec<String> = form_urlencoded::parse(&body)
        .filter(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
        .collect();
    let languages: Vec<&str> = app
        .languages
        .iter()
        .map(weekly_model::Lang::as_str)
        .filter(|l| wanted.iter().any(|w| w == l))
        .collect();
    if languages.is_empty() {
        return page(&look, StatusCode::BAD_REQUEST, "choose_language");
    }
    let now = weekly_app::collector::stamp(Utc::now());
    match app
        .store
        .set_languages_by_id(subscriber.id, &languages.join(","), &now)
        .await
    {
        Ok(true) => {}
        Ok(false) => return refused(&look, weekly_app::tokens::Refused::Forged),
        Err(e) => return database_error(&look, "preferences", &e),
    }
    let saved = match app.store.subscriber_by_id(subscriber.id).await {
        Ok(Some(saved)) => saved,
        Ok(None) => return refused(&look, weekly_app::tokens::Refused::Forged),
        Err(e) => return database_error(&look, "preferences", &e),
    };
    form(
        &app,
        &look,
        &saved,
        query.get("token").map_or("", String::as_str),
        "saved",
    )
}
