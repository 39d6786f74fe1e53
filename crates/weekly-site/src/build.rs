//! Builds the whole site of a [`SiteInput`] and hands every file to a [`Sink`]: issue pages per
//! language, home, archive, seasons, section pages, dashboard, search page and index, feeds,
//! 404, sitemap, robots.txt and the assets (season values come from `seasons`, section pages
//! from `sections`).

use crate::charts::{Bar, stacked_bars};
use crate::feeds::{FeedItem, FeedMeta, atom, json_feed, rss};
use crate::input::{IssueInput, SiteInput};
use crate::labels::{labels, with_number};
use crate::markdown::escape;
use crate::memo::Memo;
pub(crate) use crate::page_meta::titled_page;
use crate::page_meta::{common, page_meta, page_meta_of};
use crate::search::{IndexBuilder, SearchDoc};
pub use crate::seasons::CloudCache;
use crate::seasons::{Season, Seasons, season_value, seasons, with_html};
pub use crate::sections::search_docs;
use crate::sections::{SECTION_PAGE, SectionItem, SectionPage, collect_issue, section_page};
use crate::sitemap::{robots, sitemap};
use crate::templates::Templates;
use crate::urls::Urls;
use crate::view::{
    IssueView, NeighbourView, add_html_sources, content_html, fill_html, view_without_html,
};
use crate::writer::{Keys, Made, Writer};
use crate::{Sink, SiteError};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};
use weekly_model::Lang;

/// The stylesheet.
pub const CSS: &str = include_str!("../assets/site.css");
/// The site's icon (a workspace's `static/assets/icon.svg` replaces it).
pub const ICON: &str = include_str!("../assets/icon.svg");
/// The search script.
pub const SEARCH_JS: &str = include_str!("../assets/search.js");
/// Seasons whose charts the dashboard shows (older ones are on their season pages).
const DASHBOARD_SEASONS: usize = 12;
/// Issues in each list of the home page (the newest, the newest free ones).
const HOME_RECENT: usize = 5;

/// A value made on a scoped thread, waited for where it is first needed.
pub(crate) struct Later<'scope, T> {
    handle: std::sync::Mutex<Option<std::thread::ScopedJoinHandle<'scope, T>>>,
    value: std::sync::OnceLock<T>,
}

impl<'scope, T> Later<'scope, T> {
    fn new(handle: std::thread::ScopedJoinHandle<'scope, T>) -> Self {
        Later {
            handle: std::sync::Mutex::new(Some(handle)),
            value: std::sync::OnceLock::new(),
        }
    }

    /// The value, once its thread is done (a panic there goes on here).
    fn get(&self) -> &T {
        self.value.get_or_init(|| {
            let handle = self
                .handle
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            match handle.map(std::thread::ScopedJoinHandle::join) {
                Some(Ok(value)) => value,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => unreachable!("the value is set when the handle is taken"),
            }
        })
    }

    fn into_inner(self) -> T {
        self.get();
        self.value
            .into_inner()
            .unwrap_or_else(|| unreachable!("`get` set it"))
    }
}

/// What a build wrote.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Issue pages written.
    pub issue_pages: usize,
    /// Issue pages that are teasers.
    pub teasers: usize,
    /// Pages kept from the last build (their keys were the same), among `files`.
    pub kept: usize,
    /// Bytes of the search index.
    pub index_bytes: u64,
    /// Problems of the content that did not stop the build.
    pub warnings: Vec<String>,
    /// The word cloud of each season, by the fingerprint of its text (to keep for the next
    /// build).
    pub clouds: CloudCache,
    /// The Open Graph card of every issue page (when `og_images`): its output path and SVG.
    pub og_cards: Vec<(String, String)>,
}

/// Builds the site of `input` with `templates` into `sink`. `clouds` holds the word clouds of
/// earlier builds (see [`Summary::clouds`]); `memo` the page keys of the last build into the
/// same sink (pages with the same key are kept, see [`crate::memo`]).
pub fn build(
    input: &SiteInput<'_>,
    templates: &Templates,
    clouds: &CloudCache,
    memo: &Memo,
    sink: &mut dyn Sink,
) -> Result<Summary, SiteError> {
    let config = &input.config;
    let urls = Urls::new(&config.base_url, &config.primary);
    let mut writer = Writer {
        sink,
        summary: Summary::default(),
        sitemap: Vec::new(),
        urls: &urls,
    };
    // The seasons are made on a thread of their own while the first issue pages are rendered:
    // a season whose text changed needs the segmenter, whose dictionary takes ~0.1 s to load.
    let seasons = std::thread::scope(|scope| {
        let seasons = Later::new(scope.spawn(|| seasons(input, clouds)));
        for lang in &config.languages {
            build_language(input, templates, memo, &urls, lang, &seasons, &mut writer)?;
        }
        Ok::<_, SiteError>(seasons.into_inner())
    })?;
    writer.summary.clouds = seasons.1;
    let primary = &config.primary;
    let common = common(input, &urls, primary);
    let page = page_meta(input, &urls, primary, "404", &urls.home(primary), true, &[]);
    let mut page = page;
    page["heading"] = json!(common.labels["page_not_found"]);
    page["title"] = json!(format!(
        "{} · {}",
        common.labels["page_not_found"],
        input.name(primary)
    ));
    // The one 404 page of the site says it in every language, each with its home.
    let others: Vec<Value> = config
        .languages
        .iter()
        .filter(|l| *l != primary)
        .map(|l| {
            let labels = labels(l, config.texts.get(l));
            json!({"lang": l.as_str(), "not_found": labels["not_found"], "home": labels["home"], "href": urls.home(l)})
        })
        .collect();
    let html = templates.render(
        "404.html",
        &json!({"site": common, "page": page, "others": others}),
    )?;
    writer.file("404.html", html)?;
    writer.file("assets/site.css", CSS)?;
    writer.file("assets/icon.svg", ICON)?;
    writer.file("assets/search.js", SEARCH_JS)?;
    let sitemap_url = urls.absolute(&format!("{}/sitemap.xml", urls.root));
    let map = sitemap(&writer.sitemap);
    writer.file("sitemap.xml", map)?;
    writer.file("robots.txt", robots(&sitemap_url))?;
    Ok(writer.summary)
}

pub(crate) fn section_names(input: &SiteInput<'_>, lang: &Lang) -> Vec<(String, String)> {
    input
        .config
        .catalogue
        .sections
        .iter()
        .filter(|d| d.counted)
        .map(|d| (d.key.as_str().to_owned(), d.name(lang).to_owned()))
        .collect()
}

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

fn build_language(
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
    let labels = &site.labels;
    let issues: Vec<&IssueInput<'_>> = input.issues.iter().filter(|i| i.has(lang)).collect();
    let all: Vec<&IssueInput<'_>> = input.issues.iter().collect();
    let mut feed_items: Vec<FeedItem> = Vec::new();
    let mut featured: BTreeMap<String, Vec<SectionItem>> = BTreeMap::new();
    let mut listed: Vec<Value> = Vec::with_capacity(issues.len());
    let section_name = crate::sections::section_name_map(input, lang);
    if input.config.full {
        // The subscribers' site: a paid issue without its full text here shows its teaser.
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
        labels,
        keys,
    };
    let indices: Vec<usize> = (0..issues.len()).collect();
    // Pages are rendered on every core, a batch at a time (so that only a batch of pages is
    // in memory), and written in order.
    for batch in indices.chunks(RENDER_BATCH) {
        let rendered = weekly_model::par::map(batch, |&i| render_issue(&cx, &issues, i));
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
                render_issue_page(&cx, &page, &view)
            })?;
            writer.summary.issue_pages += 1;
            writer.summary.teasers += usize::from(view.teaser);
            collect_issue(
                &view,
                issues[index].date,
                &url,
                &section_name,
                &docs,
                &mut featured,
            );
            if issues.len() - index <= input.config.feed_items {
                if !filled {
                    fill_html(&mut view, input, issue, lang);
                }
                feed_items.push(FeedItem {
                    title: view.title.clone(),
                    url: urls.absolute(&url),
                    date: issues[index].date,
                    html: content_html(&view),
                    summary,
                });
            }
            listed.push(json!({
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
    feed_items.reverse();

    // Home.
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
    let shown_sections: HashSet<String> = featured.keys().cloned().collect();
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
            "totals": totals_value(input, urls, lang, &issues, &shown_sections), "intro_html": intro,
        }),
    )?;

    // Archive: seasons newest first, issues newest first.
    let mut by_season: BTreeMap<u32, Vec<&Value>> = BTreeMap::new();
    for item in &listed {
        by_season
            .entry(item["season"].as_u64().unwrap_or(0) as u32)
            .or_default()
            .push(item);
    }
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
    )?;

    // Seasons and the dashboard.
    let names: Vec<String> = section_names(input, lang)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    let keys: Vec<String> = section_names(input, lang)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    // The season pages are made on every core, a batch at a time; the dashboard shows the
    // latest few, so only those are kept.
    let mut shown: std::collections::VecDeque<Value> = std::collections::VecDeque::new();
    let seasons: &[Season<'_>] = &seasons.get().0;
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
            let render = || season_html(&cx, &page, &with_html(&value));
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
            writer.made(made, None, || season_html(&cx, &page, &with_html(&value)))?;
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
            label: format!("S{}", s.number),
            href: urls.season(lang, s.number),
            values: keys
                .iter()
                .map(|k| s.issues.iter().map(|i| i.counts.get(k)).sum())
                .collect(),
        })
        .collect();
    let seasons_svg = stacked_bars(&labels["per_season"], &names, &per_season);
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
    writer.render(
        cx.keys,
        &url,
        "stats.html",
        &json!({
            "site": site, "page": page, "totals": totals_value(input, urls, lang, &all, &shown_sections),
            "seasons_svg": seasons_svg, "seasons": shown, "older": seasons.len() > DASHBOARD_SEASONS,
        }),
    )?;

    // Section pages: everything ever featured, newest first, SECTION_PAGE entries a page, made
    // on every core.
    let mut units = Vec::new();
    for (key, name) in section_names(input, lang) {
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
        let rendered = weekly_model::par::map(batch, |unit| section_page(&cx, unit, false));
        for (rendered, unit) in rendered.into_iter().zip(batch) {
            writer.made(rendered?, None, || {
                section_page(&cx, unit, true).map(|made| made.html.unwrap_or_default())
            })?;
        }
    }

    // Search page and index.
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
    let html = templates.render(
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

    // Feeds.
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
        rss(&meta, &feed_items).as_bytes(),
    )?;
    writer.file(
        &format!("{lang}/atom.xml"),
        atom(&meta, &feed_items).as_bytes(),
    )?;
    writer.file(
        &format!("{lang}/feed.json"),
        json_feed(&meta, &feed_items).as_bytes(),
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
