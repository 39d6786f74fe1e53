//! Section pages: every entry a counted section ever featured, newest first, in pages of
//! [`SECTION_PAGE`]; the entries are collected from the issue views as pages are built, with
//! the search documents (also made alone by [`search_docs`], for tests).

use crate::SiteError;
use crate::build::titled_page;
use crate::input::SiteInput;
use crate::language::{LangContext, value_of};
use crate::search::SearchDoc;
use crate::view::IssueView;
use crate::writer::Made;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use weekly_model::Lang;

/// An entry listed on a section page (links are made when the page is: at 20,000 issues
/// there are a quarter of a million of these).
pub(crate) struct SectionItem {
    issue: u32,
    date: weekly_model::IsoDate,
    anchor: String,
    title_html: String,
    pub(crate) badge: Option<String>,
}

/// Entries on one page of a section.
pub const SECTION_PAGE: usize = 500;

/// An entry as `section.html` gets it.
#[derive(Serialize)]
struct EntryRow<'a> {
    issue: u32,
    date: String,
    href: String,
    issue_href: String,
    title_html: &'a str,
    badge: Option<&'a str>,
}

/// One page of a section's list.
pub(crate) struct SectionPage {
    pub(crate) key: String,
    pub(crate) name: String,
    /// Every item of the section, newest first (shared by its pages).
    pub(crate) items: std::sync::Arc<Vec<SectionItem>>,
    /// True when some item has a star badge.
    pub(crate) badges: bool,
    /// This page, from 1.
    pub(crate) number: usize,
    /// Pages of the section.
    pub(crate) pages: usize,
}

/// A page of a section's list, rendered: its URL and HTML.
/// Section page `unit` (kept when its key is the last build's, unless `render`).
pub(crate) fn section_page(
    cx: &LangContext<'_, '_>,
    unit: &SectionPage,
    render: bool,
) -> Result<Made, SiteError> {
    let LangContext {
        input, urls, lang, ..
    } = *cx;
    let SectionPage {
        key,
        name,
        items,
        badges,
        number,
        pages,
    } = unit;
    let (number, pages) = (*number, *pages);
    let start = (number - 1) * SECTION_PAGE;
    let entries: Vec<EntryRow<'_>> = items
        .iter()
        .skip(start)
        .take(SECTION_PAGE)
        .map(|e| {
            let issue_href = urls.issue(lang, e.issue);
            EntryRow {
                issue: e.issue,
                date: e.date.to_string(),
                href: format!("{issue_href}#{}", e.anchor),
                issue_href,
                title_html: &e.title_html,
                badge: e.badge.as_deref(),
            }
        })
        .collect();
    let href = |n: usize| urls.section_page(lang, key, n);
    let url = href(number);
    // Other languages link to their first page: their pages hold other entries.
    let mut page = titled_page(input, urls, lang, "archive", &url, false, name, |l| {
        urls.section(l, key)
    });
    if number > 1 {
        page["title"] = json!(format!("{name} ({number}/{pages}) · {}", input.name(lang)));
    }
    let pager = json!({
        "number": number,
        "count": pages,
        "total": items.len(),
        "first": start + 1,
        "prev": (number > 1).then(|| href(number - 1)),
        "next": (number < pages).then(|| href(number + 1)),
        "pages": (1..=pages).map(|n| json!({"number": n, "href": href(n), "current": n == number})).collect::<Vec<_>>(),
    });
    let threshold = input.config.star_badge_threshold;
    let html = || {
        cx.templates.render(
            "section.html",
            &minijinja::context! {
                site => &cx.site, page => value_of(&page), entries => value_of(&entries), badges => badges,
                threshold => threshold, pager => value_of(&pager),
            },
        )
    };
    if render {
        let html = html()?;
        return Ok(Made {
            url,
            key: 0,
            html: Some(html),
        });
    }
    cx.keys.make(
        urls,
        url,
        "section.html",
        |h| {
            h.add(&page);
            h.add(&entries);
            h.add(badges);
            h.add(&threshold);
            h.add(&pager);
        },
        html,
    )
}

/// True when an entry's `title` in a `lang` edition is still in another language: in a
/// language without Han characters, any two of them (a project's name stays in Latin letters,
/// its Chinese description does not belong); in Japanese, Han text with no kana.
fn title_untranslated(lang: &weekly_model::Lang, title: &str) -> bool {
    if lang.is_cjk() {
        return crate::view::written_in_other_language(lang, title);
    }
    title
        .chars()
        .filter(|c| weekly_model::lang::is_han(*c) || ('\u{3040}'..='\u{30ff}').contains(c))
        .nth(1)
        .is_some()
}

/// Sends the entries of an issue page to the search index and keeps the counted ones for the
/// section pages. On the pages of a `translated` language, an entry still written in another
/// one (a Chinese title left in an English edition) stays on its issue's page but is not
/// listed on the section pages.
pub(crate) fn collect_issue(
    view: &IssueView,
    date: weekly_model::IsoDate,
    url: &str,
    section_name: &HashMap<String, String>,
    docs: &std::sync::mpsc::SyncSender<SearchDoc>,
    featured: &mut BTreeMap<String, Vec<SectionItem>>,
    translated: Option<&weekly_model::Lang>,
) {
    for doc in entry_docs(view, url, section_name) {
        // The index thread stops only with the build, so a failed send is not possible.
        let _ = docs.send(doc);
    }
    for section in view.sections.iter().filter(|s| s.counted) {
        for entry in &section.entries {
            if translated.is_some_and(|lang| title_untranslated(lang, &entry.title)) {
                continue;
            }
            featured
                .entry(section.key.clone())
                .or_default()
                .push(SectionItem {
                    issue: view.number,
                    date,
                    anchor: entry.anchor.clone(),
                    title_html: strip_links(&entry.title_html),
                    badge: entry.badge.clone(),
                });
        }
    }
}

/// The searchable documents of an issue page at `url`: all of the text it shows — the
/// paragraphs before its first section and after its last (one document, at the page's
/// URL), each section's paragraphs before its entries (essays among them; a document at the
/// section's anchor) and each entry.
pub(crate) fn entry_docs<'v>(
    view: &'v IssueView,
    url: &'v str,
    section_name: &'v HashMap<String, String>,
) -> impl Iterator<Item = SearchDoc> + 'v {
    let own = (!view.own_text.is_empty()).then(|| SearchDoc {
        issue: view.number,
        section: String::new(),
        title: view.title.clone(),
        url: url.to_owned(),
        text: view.own_text.clone(),
    });
    let sections = view.sections.iter().flat_map(move |section| {
        let name = section_name
            .get(&section.key)
            .cloned()
            .unwrap_or_else(|| section.heading.clone());
        let intro = (!section.intro_text.is_empty()).then(|| {
            let title = if section.heading.trim().is_empty() {
                view.title.clone()
            } else {
                section.heading.clone()
            };
            SearchDoc {
                issue: view.number,
                section: if name == title {
                    String::new()
                } else {
                    name.clone()
                },
                title,
                url: format!("{url}#{}", section.anchor),
                text: section.intro_text.clone(),
            }
        });
        intro
            .into_iter()
            .chain(section.entries.iter().map(move |entry| SearchDoc {
                issue: view.number,
                section: name.clone(),
                title: entry.title.clone(),
                url: format!("{url}#{}", entry.anchor),
                text: entry.body_text.clone(),
            }))
    });
    own.into_iter().chain(sections)
}

/// Section key → its name in `lang`.
pub(crate) fn section_name_map(input: &SiteInput<'_>, lang: &Lang) -> HashMap<String, String> {
    input
        .config
        .catalogue
        .sections
        .iter()
        .map(|d| (d.key.as_str().to_owned(), d.name(lang).to_owned()))
        .collect()
}

/// The entries the search index of `lang` is made of, in index order (what the site shows of
/// each issue: titles only while it is paid). For tests that compare the index with a scan.
pub fn search_docs(input: &SiteInput<'_>, lang: &Lang) -> Vec<SearchDoc> {
    let urls = crate::urls::Urls::new(&input.config.base_url, &input.config.primary);
    let labels = crate::labels::labels(lang, input.config.texts.get(lang));
    let section_name = section_name_map(input, lang);
    let mut docs = Vec::new();
    for issue in input.issues.iter().filter(|i| i.has(lang)) {
        let season = urls.season(lang, input.season_of(issue.number));
        if let Some(view) = crate::view::issue_view(input, issue, lang, &labels, season) {
            let url = urls.issue(lang, issue.number);
            docs.extend(entry_docs(&view, &url, &section_name));
        }
    }
    docs
}

/// `a <a href="u">b</a>` → `a b`: section pages link each title to its entry.
fn strip_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match rest.find('>') {
            Some(end) => rest = &rest[end + 1..],
            None => break,
        }
    }
    out.push_str(rest);
    out.replace("</a>", "")
}
