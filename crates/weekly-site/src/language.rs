//! The pages of one language, one function per kind: the issue pages (which gather what the
//! others list), home, archive, the season pages and the dashboard, the section pages, search
//! and feeds. The search index is built on a thread of its own meanwhile.

use crate::SiteError;
use crate::build::{Later, section_names};
use crate::charts::{Bar, Words, stacked_bars};
use crate::feeds::{FeedItem, FeedMeta, atom, json_feed, rss};
use crate::input::{IssueInput, SiteInput};
use crate::labels::with_number;
use crate::markdown::escape;
use crate::memo::Memo;
use crate::page_meta::{Common, common, page_meta, page_meta_of, titled_page};
use crate::search::{IndexBuilder, SearchDoc};
use crate::seasons::{Season, Seasons, season_value, with_html};
use crate::sections::{SECTION_PAGE, SectionItem, SectionPage, collect_issue, section_page};
use crate::templates::Templates;
use crate::urls::Urls;
use crate::view::{
    IssueView, NeighbourView, add_html_sources, content_html, fill_html, view_without_html,
};
use crate::writer::{Keys, Made, Writer};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};
use weekly_model::Lang;

/// Seasons whose charts the dashboard shows (older ones are on their season pages).
const DASHBOARD_SEASONS: usize = 12;
/// Issues in each list of the home page (the newest, the newest free ones).
const HOME_RECENT: usize = 5;

/// Issue and entry counts of `issues`, for the sections that have entries on this language's
/// pages (`shown`; a section with none is not offered).
fn totals_value(
    input: &SiteInput<'_>,
    urls: &Urls,
    lang: &Lang,
    issues: &[&IssueInput<'_>],
    shown: &HashSet<String>,
) -> Value {
    let sections: Vec<Value> = section_names(input, lang)
        .into_iter()
        .filter(|(key, _)| shown.contains(key))
        .filter_map(|(key, name)| {
            let count: u32 = issues.iter().map(|i| i.counts.get(&key)).sum();
            (count > 0).then(|| {
                json!({"key": key, "name": name, "count": count, "href": urls.section(lang, &key)})
            })
        })
        .collect();
    json!({"issues": issues.len(), "sections": sections})
}

pub(crate) fn build_language(
    input: &SiteInput<'_>,
    templates: &Templates,
    memo: &Memo,
    urls: &Urls,
    lang: &Lang,
    seasons: &Later<'_, Seasons<'_>>,
    writer: &mut Writer<'_>,
) -> Result<(), SiteError> {
    // The search index is built on a thread of its own while the pages are rendered (the queue
    // is bounded, so documents do not pile up in memory when it falls behind).
    std::thread::scope(|scope| {
        let (docs, received) = std::sync::mpsc::sync_channel::<SearchDoc>(4096);
        let indexer = scope.spawn(move || {
            let mut builder = IndexBuilder::default();
            for doc in received {
                builder.add(doc);
            }
            builder.finish()
        });
        language_pages(
            input, templates, memo, urls, lang, seasons, writer, docs, indexer,
        )
    })
}

/// What the issue pages of a language gather for the pages made after them.
struct Gathered {
    /// Each issue as the home, archive and season pages list it, oldest first.
    listed: Vec<Value>,
    /// The newest issues, newest first, for the feeds.
    feed_items: Vec<FeedItem>,
    /// Every entry featured, by section key, oldest first.
    featured: BTreeMap<String, Vec<SectionItem>>,
}

/// Every page of `lang`: its issues first (which gather what the other pages list), then
/// home, archive, seasons and the dashboard, sections, search and feeds.
#[allow(clippy::too_many_arguments)]
fn language_pages(
    input: &SiteInput<'_>,
    templates: &Templates,
    memo: &Memo,
    urls: &Urls,
    lang: &Lang,
    seasons: &Later<'_, Seasons<'_>>,
    writer: &mut Writer<'_>,
    docs: std::sync::mpsc::SyncSender<SearchDoc>,
    indexer: std::thread::ScopedJoinHandle<'_, Vec<(String, String)>>,
) -> Result<(), SiteError> {
    let site = common(input, urls, lang);
    let issues: Vec<&IssueInput<'_>> = input.issues.iter().filter(|i| i.has(lang)).collect();
    if input.config.full {
        warn_of_teasers(input, lang, &issues, writer);
    }
    let keys = Keys {
        memo,
        templates,
        shared: {
            let mut hasher = crate::memo::KeyHasher::new(memo.salt);
            hasher.add(&site);
            hasher.finish()
        },
    };
    let cx = LangContext {
        input,
        templates,
        urls,
        lang,
        site: value_of(&site),
        labels: &site.labels,
        keys,
    };
    let Gathered {
        listed,
        feed_items,
        featured,
    } = issue_pages(&cx, &issues, writer, &docs)?;
    let shown: HashSet<String> = featured.keys().cloned().collect();
    home_page(&cx, &site, writer, &issues, &listed, &shown)?;
    let by_season = by_season(&listed);
    archive_page(&cx, &site, writer, &by_season)?;
    season_pages_and_dashboard(&cx, &site, writer, &seasons.get().0, &by_season, &shown)?;
    section_pages(&cx, writer, featured)?;
    search_page(&cx, &site, writer, docs, indexer)?;
    feeds(&cx, writer, &feed_items)
}

/// On the subscribers' site, a warning naming the paid issues of `lang` that have no full
/// text here (their pages show the teaser).
fn warn_of_teasers(
    input: &SiteInput<'_>,
    lang: &Lang,
    issues: &[&IssueInput<'_>],
    writer: &mut Writer<'_>,
) {
    let latest = input.latest();
    let missing: Vec<String> = issues
        .iter()
        .filter(|i| i.number + input.config.free_after > latest && i.full(lang).is_none())
        .map(|i| format!("#{}", i.number))
        .collect();
    if !missing.is_empty() {
        writer.summary.warnings.push(format!(
            "{} paid issue{} no full text in `{lang}` (subscribers see the teaser): {}",
            missing.len(),
            if missing.len() == 1 { " has" } else { "s have" },
            missing.join(", ")
        ));
    }
}

/// The issue pages, rendered on every core a batch at a time (so that only a batch of pages
/// is in memory) and written in order; each issue's entries go to the search index (`docs`).
fn issue_pages(
    cx: &LangContext<'_, '_>,
    issues: &[&IssueInput<'_>],
    writer: &mut Writer<'_>,
    docs: &std::sync::mpsc::SyncSender<SearchDoc>,
) -> Result<Gathered, SiteError> {
    let LangContext {
        input, urls, lang, ..
    } = *cx;
    let section_name = crate::sections::section_name_map(input, lang);
    let mut gathered = Gathered {
        listed: Vec::with_capacity(issues.len()),
        feed_items: Vec::new(),
        featured: BTreeMap::new(),
    };
    let indices: Vec<usize> = (0..issues.len()).collect();
    for batch in indices.chunks(RENDER_BATCH) {
        let rendered = weekly_model::par::map(batch, |&i| render_issue(cx, issues, i));
        for rendered in rendered {
            let Some(RenderedIssue {
                index,
                mut view,
                page,
                made,
                summary,
                card,
            }) = rendered?
            else {
                continue;
            };
            writer.summary.og_cards.extend(card);
            let url = made.url.clone();
            for image in &view.dropped_images {
                writer.summary.warnings.push(format!(
                    "issue #{} ({lang}): image `{image}` names a file on the author's computer; shown as its alt text",
                    view.number
                ));
            }
            let issue = issues[index];
            // A rendered page's view has its HTML (see `render_issue`).
            let filled = made.html.is_some();
            writer.made(made, Some(view.date.clone()), || {
                let mut view = view.clone();
                fill_html(&mut view, input, issue, lang);
                render_issue_page(cx, &page, &view)
            })?;
            writer.summary.issue_pages += 1;
            writer.summary.teasers += usize::from(view.teaser);
            collect_issue(
                &view,
                issue.date,
                &url,
                &section_name,
                docs,
                &mut gathered.featured,
                (*lang != input.config.primary).then_some(lang),
            );
            if issues.len() - index <= input.config.feed_items {
                if !filled {
                    fill_html(&mut view, input, issue, lang);
                }
                gathered.feed_items.push(FeedItem {
                    title: view.title.clone(),
                    url: urls.absolute(&url),
                    date: issue.date,
                    html: content_html(&view),
                    summary,
                });
            }
            gathered.listed.push(json!({
                "number": view.number,
                "season": input.season_of(view.number),
                "title": view.title,
                "date": view.date,
                "href": url,
                "teaser": view.teaser,
                "free": input.is_free(view.number),
                "untranslated": view.untranslated,
                "content_lang": view.content_lang,
                "description": view.description,
            }));
        }
    }
    gathered.feed_items.reverse();
    Ok(gathered)
}

/// The home page: the newest issues, the newest free ones when those are for subscribers, the
/// totals and the newsletter's introduction.
fn home_page(
    cx: &LangContext<'_, '_>,
    site: &Common,
    writer: &mut Writer<'_>,
    issues: &[&IssueInput<'_>],
    listed: &[Value],
    shown: &HashSet<String>,
) -> Result<(), SiteError> {
    let LangContext {
        input, urls, lang, ..
    } = *cx;
    let home_url = urls.home(lang);
    let alternates: Vec<(Lang, String)> = input
        .config
        .languages
        .iter()
        .map(|l| (l.clone(), urls.home(l)))
        .collect();
    let page = page_meta(input, urls, lang, "home", &home_url, false, &alternates);
    let recent: Vec<&Value> = listed.iter().rev().take(HOME_RECENT).collect();
    // The newest issues anyone can read in full, when the recent ones are for subscribers.
    let readable = |i: &&Value| i["free"] == json!(true) && i["teaser"] == json!(false);
    let latest_free: Vec<&Value> = if recent.iter().all(readable) {
        Vec::new()
    } else {
        listed
            .iter()
            .rev()
            .filter(readable)
            .filter(|i| !recent.iter().any(|r| r["number"] == i["number"]))
            .take(HOME_RECENT)
            .collect()
    };
    let intro = input
        .config
        .texts
        .get(lang)
        .and_then(|t| t.get("intro"))
        .map(|t| escape(t))
        .unwrap_or_default();
    writer.render(
        cx.keys,
        &home_url,
        "home.html",
        &json!({
            "site": site, "page": page, "latest": listed.last(), "recent": recent,
            "latest_free": latest_free,
            "totals": totals_value(input, urls, lang, issues, shown), "intro_html": intro,
        }),
    )
}

/// The listed issues by season.
fn by_season(listed: &[Value]) -> BTreeMap<u32, Vec<&Value>> {
    let mut by_season: BTreeMap<u32, Vec<&Value>> = BTreeMap::new();
    for item in listed {
        let season = item["season"]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0);
        by_season.entry(season).or_default().push(item);
    }
    by_season
}

/// The archive: seasons newest first, their issues newest first.
fn archive_page(
    cx: &LangContext<'_, '_>,
    site: &Common,
    writer: &mut Writer<'_>,
    by_season: &BTreeMap<u32, Vec<&Value>>,
) -> Result<(), SiteError> {
    let LangContext {
        input,
        urls,
        lang,
        labels,
        ..
    } = *cx;
    let archive_seasons: Vec<Value> = by_season
        .iter()
        .rev()
        .map(|(n, items)| {
            json!({
                "number": n,
                "label": with_number(labels, "season", *n),
                "href": urls.season(lang, *n),
                "issues": items.iter().rev().collect::<Vec<_>>(),
            })
        })
        .collect();
    let url = urls.archive(lang);
    let page = titled_page(
        input,
        urls,
        lang,
        "archive",
        &url,
        false,
        &labels["archive"],
        |l| urls.archive(l),
    );
    writer.render(
        cx.keys,
        &url,
        "archive.html",
        &json!({"site": site, "page": page, "seasons": archive_seasons}),
    )
}

/// The season pages (made on every core, a batch at a time) with their e-books beside them,
/// and the dashboard, which shows the latest few seasons' charts.
fn season_pages_and_dashboard(
    cx: &LangContext<'_, '_>,
    site: &Common,
    writer: &mut Writer<'_>,
    seasons: &[Season<'_>],
    by_season: &BTreeMap<u32, Vec<&Value>>,
    shown_sections: &HashSet<String>,
) -> Result<(), SiteError> {
    let LangContext {
        input,
        urls,
        lang,
        labels,
        ..
    } = *cx;
    let (keys, names): (Vec<String>, Vec<String>) = section_names(input, lang).into_iter().unzip();
    let mut shown: std::collections::VecDeque<Value> = std::collections::VecDeque::new();
    for batch in seasons.chunks(RENDER_BATCH) {
        let rendered = weekly_model::par::map(batch, |season| {
            let issues = by_season.get(&season.number).map_or(&[][..], Vec::as_slice);
            let value = season_value(input, urls, lang, labels, season, &names, &keys, issues);
            let url = urls.season(lang, season.number);
            let page = titled_page(
                input,
                urls,
                lang,
                "archive",
                &url,
                false,
                value["label"].as_str().unwrap_or(""),
                |l| urls.season(l, season.number),
            );
            let render = || season_html(cx, &page, &with_html(&value));
            let made = cx.keys.make(
                urls,
                url,
                "season.html",
                |h| {
                    h.add(&page);
                    h.add(&value);
                },
                render,
            )?;
            Ok::<_, SiteError>((made, page, value))
        });
        for rendered in rendered {
            let (made, page, value) = rendered?;
            writer.made(made, None, || season_html(cx, &page, &with_html(&value)))?;
            // The season's e-books and the wrap-up post's image beside its page.
            let number = value["number"].as_u64().and_then(|n| u32::try_from(n).ok());
            for (kind, file) in crate::seasons::season_files(input, lang, number.unwrap_or(0)) {
                if kind != "wrapup" {
                    let url = format!("{}{}", urls.season(lang, file.season), file.name);
                    writer.file(&urls.file(&url), file.bytes.clone())?;
                }
            }
            shown.push_front(value);
            shown.truncate(DASHBOARD_SEASONS);
        }
    }
    let per_season: Vec<Bar> = seasons
        .iter()
        .map(|s| Bar {
            label: with_number(labels, "season_short", s.number),
            href: urls.season(lang, s.number),
            values: keys
                .iter()
                .map(|k| s.issues.iter().map(|i| i.counts.get(k)).sum())
                .collect(),
            unfinished: input.season_running(s.number).is_some(),
        })
        .collect();
    let note = crate::seasons::running_note(input, labels, seasons.last());
    let seasons_svg = stacked_bars(
        Words {
            title: &labels["per_season"],
            axis: &labels["entries_axis"],
            note: note.as_deref(),
        },
        &names,
        &per_season,
    );
    let url = urls.stats(lang);
    let page = titled_page(
        input,
        urls,
        lang,
        "stats",
        &url,
        false,
        &labels["stats"],
        |l| urls.stats(l),
    );
    let all: Vec<&IssueInput<'_>> = input.issues.iter().collect();
    writer.render(
        cx.keys,
        &url,
        "stats.html",
        &json!({
            "site": site, "page": page, "totals": totals_value(input, urls, lang, &all, shown_sections),
            "seasons_svg": seasons_svg, "seasons": shown, "older": seasons.len() > DASHBOARD_SEASONS,
        }),
    )
}

/// The section pages: everything ever featured, newest first, `SECTION_PAGE` entries a page,
/// made on every core.
fn section_pages(
    cx: &LangContext<'_, '_>,
    writer: &mut Writer<'_>,
    mut featured: BTreeMap<String, Vec<SectionItem>>,
) -> Result<(), SiteError> {
    let mut units = Vec::new();
    for (key, name) in section_names(cx.input, cx.lang) {
        let Some(mut items) = featured.remove(&key) else {
            continue;
        };
        items.reverse();
        let badges = items.iter().any(|e| e.badge.is_some());
        let items = std::sync::Arc::new(items);
        let pages = items.len().div_ceil(SECTION_PAGE).max(1);
        for number in 1..=pages {
            units.push(SectionPage {
                key: key.clone(),
                name: name.clone(),
                items: items.clone(),
                badges,
                number,
                pages,
            });
        }
    }
    for batch in units.chunks(RENDER_BATCH) {
        let rendered = weekly_model::par::map(batch, |unit| section_page(cx, unit, false));
        for (rendered, unit) in rendered.into_iter().zip(batch) {
            writer.made(rendered?, None, || {
                section_page(cx, unit, true).map(|made| made.html.unwrap_or_default())
            })?;
        }
    }
    Ok(())
}

/// The search page, and the index the indexer thread made of every issue's `docs` (the
/// sender is dropped here: the index is complete).
fn search_page(
    cx: &LangContext<'_, '_>,
    site: &Common,
    writer: &mut Writer<'_>,
    docs: std::sync::mpsc::SyncSender<SearchDoc>,
    indexer: std::thread::ScopedJoinHandle<'_, Vec<(String, String)>>,
) -> Result<(), SiteError> {
    let LangContext {
        input,
        urls,
        lang,
        labels,
        ..
    } = *cx;
    let url = urls.search(lang);
    let index_dir = format!("{}/{lang}/search/index/", urls.root);
    let page = titled_page(
        input,
        urls,
        lang,
        "search",
        &url,
        true,
        &labels["search"],
        |l| urls.search(l),
    );
    let html = cx.templates.render(
        "search.html",
        &json!({"site": site, "page": page, "index": index_dir}),
    )?;
    writer.file(&urls.file(&url), html)?;
    drop(docs);
    let files = indexer
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    for (name, text) in files {
        writer.summary.index_bytes += text.len() as u64;
        writer.file(&format!("{lang}/search/index/{name}"), text)?;
    }
    Ok(())
}

/// The RSS, Atom and JSON feeds of the newest issues (`feed_items`, newest first).
fn feeds(
    cx: &LangContext<'_, '_>,
    writer: &mut Writer<'_>,
    feed_items: &[FeedItem],
) -> Result<(), SiteError> {
    let LangContext {
        input, urls, lang, ..
    } = *cx;
    let description = input
        .config
        .texts
        .get(lang)
        .and_then(|t| t.get("intro"))
        .cloned()
        .unwrap_or_else(|| input.name(lang).to_owned());
    let meta = FeedMeta {
        name: input.name(lang),
        description: &description,
        lang,
        urls,
    };
    writer.file(
        &format!("{lang}/feed.xml"),
        rss(&meta, feed_items).as_bytes(),
    )?;
    writer.file(
        &format!("{lang}/atom.xml"),
        atom(&meta, feed_items).as_bytes(),
    )?;
    writer.file(
        &format!("{lang}/feed.json"),
        json_feed(&meta, feed_items).as_bytes(),
    )?;
    Ok(())
}

/// A template value of `data` (made once, shared by the pages that show it).
pub(crate) fn value_of(data: &impl Serialize) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(data))
}

/// What the pages of one language are rendered with (shared by the threads).
pub(crate) struct LangContext<'a, 's> {
    pub(crate) input: &'a SiteInput<'s>,
    pub(crate) templates: &'a Templates,
    pub(crate) urls: &'a Urls,
    pub(crate) lang: &'a Lang,
    /// The `site` value of the templates.
    pub(crate) site: minijinja::Value,
    pub(crate) labels: &'a BTreeMap<String, String>,
    /// What page keys are made of.
    pub(crate) keys: Keys<'a>,
}

/// Issue pages rendered at once (on every core) before they are written.
const RENDER_BATCH: usize = 64;

/// An issue page, rendered (or kept: see [`Made`]).
struct RenderedIssue {
    index: usize,
    /// The view, with its HTML when the page was rendered (see [`fill_html`]).
    view: IssueView,
    page: Value,
    made: Made,
    summary: String,
    /// The Open Graph card: output path and SVG.
    card: Option<(String, String)>,
}

fn render_issue_page(
    cx: &LangContext<'_, '_>,
    page: &Value,
    view: &IssueView,
) -> Result<String, SiteError> {
    cx.templates.render(
        "issue.html",
        &minijinja::context! {site => &cx.site, page => value_of(page), issue => value_of(view)},
    )
}

fn season_html(cx: &LangContext<'_, '_>, page: &Value, value: &Value) -> Result<String, SiteError> {
    cx.templates.render(
        "season.html",
        &minijinja::context! {site => &cx.site, page => value_of(page), season => value_of(value)},
    )
}

/// The page of `issues[i]` (`None` when it has no edition in the language).
fn render_issue(
    cx: &LangContext<'_, '_>,
    issues: &[&IssueInput<'_>],
    i: usize,
) -> Result<Option<RenderedIssue>, SiteError> {
    let LangContext {
        input,
        urls,
        lang,
        labels,
        ..
    } = *cx;
    let issue = issues[i];
    let season = input.season_of(issue.number);
    let Some(mut view) = view_without_html(input, issue, lang, labels, urls.season(lang, season))
    else {
        return Ok(None);
    };
    let neighbour = |other: &IssueInput<'_>| NeighbourView {
        href: urls.issue(lang, other.number),
        label: with_number(labels, "issue_short", other.number),
        title: crate::view::issue_title(input, other, lang),
    };
    view.prev = i.checked_sub(1).map(|p| neighbour(issues[p]));
    view.next = issues.get(i + 1).map(|n| neighbour(n));
    let url = urls.issue(lang, issue.number);
    let alternates: Vec<(Lang, String)> = input
        .config
        .languages
        .iter()
        .filter(|l| issue.has(l))
        .map(|l| (l.clone(), urls.issue(l, issue.number)))
        .collect();
    let mut page = page_meta_of(
        input,
        urls,
        lang,
        "archive",
        &url,
        false,
        &alternates,
        Some(issue.number),
    );
    page["title"] = json!(format!("{} · {}", view.title, input.name(lang)));
    page["og_type"] = json!("article");
    let summary = if view.description.is_empty() {
        crate::view::first_titles(&view)
    } else {
        view.description.clone()
    };
    page["description"] = json!(summary);
    let card = input.config.og_images.then(|| {
        let card_url = format!("{url}{}", crate::og::FILE);
        page["image"] = json!(urls.absolute(&card_url));
        let number = with_number(labels, "issue_short", issue.number);
        let figures = crate::og::figures(&view);
        // The theme alone when the title has one: the card names the newsletter already.
        let theme = input.config.catalogue.format.title_parts(&view.title).theme;
        // A title with only a date for its theme (`#16 (2023-05-13)`) gets the theme the
        // archive's README gave the issue (`issue.toml`'s `titles`), when there is one.
        let dated = |t: &str| {
            let t = t.trim().trim_matches(['(', ')', '（', '）']);
            t.is_empty() || weekly_model::IsoDate::parse(t.trim()).is_some()
        };
        let theme = match issue.titles.get(lang).map(|t| t.trim()) {
            Some(listed) if !listed.is_empty() && dated(&theme) => listed.to_owned(),
            _ if theme.trim().is_empty() => view.title.clone(),
            _ => theme,
        };
        let svg = crate::og::card(&crate::og::Card {
            name: input.name(lang),
            number: &number,
            date: &issue.date.to_string(),
            title: &theme,
            figures: &figures,
            cjk: lang.is_cjk(),
        });
        (urls.file(&card_url), svg)
    });
    // The key is made from the view without its HTML and from the Markdown that HTML is made
    // of: a page the last build made from the same is kept without making its HTML.
    let key = cx.keys.key("issue.html", |h| {
        h.add(&page);
        h.add(&view);
        add_html_sources(h, &view, input, issue, lang);
    });
    let html = if cx.keys.memo.unchanged(&urls.file(&url), key) {
        None
    } else {
        fill_html(&mut view, input, issue, lang);
        Some(render_issue_page(cx, &page, &view)?)
    };
    Ok(Some(RenderedIssue {
        index: i,
        view,
        page,
        made: Made { url, key, html },
        summary,
        card,
    }))
}
