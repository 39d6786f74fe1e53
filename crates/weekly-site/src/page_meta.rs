//! The values every page template gets: `site` (the language's name, navigation, labels, feeds
//! and subscribe call) and `page` (title, description, canonical URL, language alternates).

use crate::input::SiteInput;
use crate::labels::{labels, language_name};
use crate::markdown::escape;
use crate::urls::Urls;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use weekly_model::Lang;

/// Values every template gets as `site`.
#[derive(Serialize)]
pub(crate) struct Common {
    lang: String,
    /// `og:locale`: `zh_CN`, `en_US`, `ja_JP`…
    locale: String,
    name: String,
    root: String,
    home: String,
    archive: String,
    search: String,
    pub(crate) labels: BTreeMap<String, String>,
    nav: Vec<Value>,
    feeds: Value,
    subscribe_html: String,
    /// The sign-up form (`action`, `lang`, `button`, `placeholder`, `label`, `note_html`), when
    /// a server takes it.
    subscribe_form: Option<Value>,
    full: bool,
}

pub(crate) fn common(input: &SiteInput<'_>, urls: &Urls, lang: &Lang) -> Common {
    let labels = labels(lang, input.config.texts.get(lang));
    // Two offers, never confused: the paid one (`[site] paid_url`) is the only call that
    // promises the full text, and only while issues are paid; the free form is called what it
    // is, and says what free subscribers get when issues are paid.
    let paid = input.config.free_after > 0;
    let paid_url = input
        .config
        .paid_urls
        .get(lang)
        .filter(|_| paid)
        .map(String::as_str);
    let has_form = !input.config.subscribe_action.is_empty();
    let subscribe_html = match (paid_url, has_form) {
        (Some(url), _) => format!(
            "<a class=\"subscribe-link\" href=\"{}\">{}</a>",
            escape(url),
            escape(&labels["subscribe_call"])
        ),
        (None, true) => format!(
            "<a class=\"subscribe-link\" href=\"#subscribe\">{}</a>",
            escape(&labels["subscribe_free_call"])
        ),
        (None, false) => String::new(),
    };
    let form_note = match (paid, paid_url) {
        (false, _) => String::new(),
        (true, None) => escape(&labels["subscribe_free_note"]),
        (true, Some(url)) => format!(
            "{} <a href=\"{}\">{}</a>",
            escape(&labels["subscribe_free_note"]),
            escape(url),
            escape(&labels["paid_offer"])
        ),
    };
    let nav = vec![
        json!({"key": "home", "href": urls.home(lang), "label": labels["home"]}),
        json!({"key": "archive", "href": urls.archive(lang), "label": labels["archive"]}),
        json!({"key": "stats", "href": urls.stats(lang), "label": labels["stats"]}),
        json!({"key": "search", "href": urls.search(lang), "label": labels["search"]}),
    ];
    Common {
        lang: lang.to_string(),
        locale: crate::labels::og_locale(lang),
        name: input.name(lang).to_owned(),
        root: urls.root.clone(),
        home: urls.home(lang),
        archive: urls.archive(lang),
        search: urls.search(lang),
        nav,
        feeds: json!({
            "rss": urls.feed(lang, "feed.xml"),
            "atom": urls.feed(lang, "atom.xml"),
            "json": urls.feed(lang, "feed.json"),
        }),
        subscribe_html,
        subscribe_form: (!input.config.subscribe_action.is_empty()).then(|| {
            json!({
                "action": input.config.subscribe_action,
                "lang": lang.to_string(),
                "button": labels["subscribe_button"],
                "placeholder": labels["email_placeholder"],
                "label": labels["subscribe_label"],
                "note_html": form_note,
            })
        }),
        full: input.config.full,
        labels,
    }
}

/// The `page` value: title, description, canonical URL, language alternates.
pub(crate) fn page_meta(
    input: &SiteInput<'_>,
    urls: &Urls,
    lang: &Lang,
    nav: &str,
    url: &str,
    noindex: bool,
    alternates: &[(Lang, String)],
) -> Value {
    page_meta_of(input, urls, lang, nav, url, noindex, alternates, None)
}

/// [`page_meta`] of the page of issue `missing` (its language switch names the languages
/// without it).
#[allow(clippy::too_many_arguments)]
pub(crate) fn page_meta_of(
    input: &SiteInput<'_>,
    urls: &Urls,
    lang: &Lang,
    nav: &str,
    url: &str,
    noindex: bool,
    alternates: &[(Lang, String)],
    missing: Option<u32>,
) -> Value {
    let name = input.name(lang);
    let languages: Vec<Value> = input
        .config
        .languages
        .iter()
        .map(|other| {
            // A language without this page: its archive, which says what is missing.
            let href = alternates.iter().find(|(l, _)| l == other).map_or_else(
                || match missing {
                    Some(n) => format!("{}?missing={n}", urls.archive(other)),
                    None => urls.home(other),
                },
                |(_, h)| h.clone(),
            );
            json!({"lang": other.as_str(), "label": language_name(other), "href": href, "current": other == lang})
        })
        .collect();
    json!({
        "title": name,
        "description": input.config.texts.get(lang).and_then(|t| t.get("intro")).cloned().unwrap_or_default(),
        "canonical": urls.absolute(url),
        "og_type": "website",
        "nav": nav,
        "noindex": noindex,
        "alternates": alternates.iter().map(|(l, h)| json!({"lang": l.as_str(), "href": urls.absolute(h)})).collect::<Vec<_>>(),
        "languages": languages,
    })
}

/// The `page` value of a page with a heading, present in every language at `same_page(lang)`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn titled_page(
    input: &SiteInput<'_>,
    urls: &Urls,
    lang: &Lang,
    nav: &str,
    url: &str,
    noindex: bool,
    heading: &str,
    same_page: impl Fn(&Lang) -> String,
) -> Value {
    let alternates = lang_pages(input, same_page);
    let mut page = page_meta(input, urls, lang, nav, url, noindex, &alternates);
    page["heading"] = json!(heading);
    page["title"] = json!(format!("{heading} · {}", input.name(lang)));
    page
}

/// The same page in every language, for `hreflang` links.
fn lang_pages(input: &SiteInput<'_>, url: impl Fn(&Lang) -> String) -> Vec<(Lang, String)> {
    input
        .config
        .languages
        .iter()
        .map(|l| (l.clone(), url(l)))
        .collect()
}
