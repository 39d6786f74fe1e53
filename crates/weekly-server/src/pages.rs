//! The small HTML pages of `weekly server`, in the reader's language and the site's look: the
//! site's stylesheet (with a fallback of our own when only the endpoints are served), its name
//! linking home, light and dark. Every text from outside is escaped.

use crate::App;
use crate::words::word;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use weekly_app::tokens::{Purpose, Refused};
use weekly_site::markdown::escape;

/// How a page looks: its language, the newsletter's name in it, and the site's home page.
#[derive(Debug, Clone)]
pub(crate) struct Look {
    /// The language code (`zh`, `en`, `ja`…).
    pub lang: String,
    name: String,
    home: String,
}

impl Look {
    /// The words of `key` in the page's language.
    pub(crate) fn word(&self, key: &str) -> &'static str {
        word(&self.lang, key)
    }

    /// The words of `key` with `{name}` (the newsletter) and `{email}` filled in, escaped.
    pub(crate) fn say(&self, key: &str, email: &str) -> String {
        escape(
            &self
                .word(key)
                .replace("{name}", &self.name)
                .replace("{email}", email),
        )
    }
}

impl App {
    /// The look of a page in the first of `wanted` the site speaks, else its primary language.
    pub(crate) fn look<'a>(&self, wanted: impl IntoIterator<Item = &'a str>) -> Look {
        let lang = wanted
            .into_iter()
            .flat_map(|w| w.split([',', ' ']))
            .map(str::trim)
            .find_map(|w| self.languages.iter().find(|l| l.as_str() == w))
            .unwrap_or(&self.primary);
        let name = self
            .name
            .get(lang)
            .or_else(|| self.name.get(&self.primary))
            .cloned()
            .unwrap_or_default();
        let home = if *lang == self.primary {
            "/".to_owned()
        } else {
            format!("/{lang}/")
        };
        Look {
            lang: lang.to_string(),
            name,
            home,
        }
    }
}

/// What a page shows when the site's stylesheet is not there (`--endpoints-only`).
const FALLBACK_STYLE: &str = "body{font:17px/1.7 system-ui,-apple-system,\"Segoe UI\",\
\"PingFang SC\",\"Hiragino Sans\",\"Noto Sans CJK SC\",sans-serif;margin:0}main{max-width:\
40rem;margin:0 auto;padding:1rem 1.25rem 3rem}button{font:inherit;padding:.4rem 1rem}\
@media (prefers-color-scheme:dark){body{background:#16181b;color:#e6e6e3}a{color:#6fb2ff}}";

/// A page whose body is HTML made by us (its values already escaped).
pub(crate) fn page_html(look: &Look, status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><meta name=\"color-scheme\" \
         content=\"light dark\"><meta name=\"robots\" content=\"noindex\"><title>{title} · \
         {name}</title><style>{FALLBACK_STYLE}</style><link rel=\"stylesheet\" \
         href=\"/assets/site.css\"></head><body><header class=\"top\"><a class=\"brand\" \
         href=\"{home}\">{name}</a></header><main id=\"main\"><h1>{title}</h1>{body}<p \
         class=\"meta\"><a href=\"{home}\">{back}</a></p></main></body></html>",
        lang = escape(&look.lang),
        title = escape(title),
        name = escape(&look.name),
        home = escape(&look.home),
        back = look.say("back", ""),
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

/// A page of one paragraph: the words of `key` as its title and of `{key}_text` as its text.
pub(crate) fn page(look: &Look, status: StatusCode, key: &str) -> Response {
    let text = look.say(&format!("{key}_text"), "");
    page_html(look, status, look.word(key), &format!("<p>{text}</p>"))
}

pub(crate) fn database_down(look: &Look) -> Response {
    page(look, StatusCode::SERVICE_UNAVAILABLE, "busy")
}

/// The answer when the database failed while `doing` something: [`database_down`], with the
/// error logged once (never the request's token, which no database error carries).
pub(crate) fn database_error(look: &Look, doing: &str, error: &dyn std::fmt::Display) -> Response {
    crate::log(&format!("{doing}: the database failed: {error}"));
    database_down(look)
}

/// The subscriber `token` was made for, for `purpose`, or the page to answer with: refused
/// (400 or 410) when the token is not valid for anyone we have, 503 when the database could
/// not be asked.
pub(crate) async fn holder(
    app: &App,
    look: &Look,
    token: &str,
    purpose: Purpose,
    doing: &str,
) -> Result<weekly_store::Subscriber, Response> {
    match app.list.holder(token, purpose).await {
        Ok(Ok(subscriber)) => Ok(subscriber),
        Ok(Err(why)) => Err(refused(look, why)),
        Err(e) => Err(database_error(look, doing, &e.0)),
    }
}

pub(crate) fn refused(look: &Look, why: Refused) -> Response {
    match why {
        Refused::Expired => page(look, StatusCode::GONE, "expired"),
        Refused::Forged | Refused::OtherPurpose => page(look, StatusCode::BAD_REQUEST, "invalid"),
    }
}
