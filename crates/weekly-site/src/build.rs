//! Builds the whole site of a [`SiteInput`] and hands every file to a [`Sink`]: the pages of
//! each language (`language`: issues, home, archive, seasons, sections, dashboard, search,
//! feeds), then the 404 page, sitemap, robots.txt and the assets.

use crate::input::SiteInput;
use crate::labels::labels;
use crate::memo::Memo;
pub(crate) use crate::page_meta::titled_page;
use crate::page_meta::{common, page_meta};
pub use crate::seasons::CloudCache;
use crate::seasons::seasons;
pub use crate::sections::search_docs;
use crate::sitemap::{robots, sitemap};
use crate::templates::Templates;
use crate::urls::Urls;
use crate::writer::Writer;
use crate::{Sink, SiteError};
use serde_json::{Value, json};
use weekly_model::Lang;

/// The stylesheet.
pub const CSS: &str = include_str!("../assets/site.css");
/// The site's icon (a workspace's `static/assets/icon.svg` replaces it).
pub const ICON: &str = include_str!("../assets/icon.svg");
/// The search script.
pub const SEARCH_JS: &str = include_str!("../assets/search.js");

/// A value made on a scoped thread, waited for where it is first needed.
pub(crate) struct Later<'scope, T> {
    handle: std::sync::Mutex<Option<std::thread::ScopedJoinHandle<'scope, T>>>,
    value: std::sync::OnceLock<T>,
}

impl<'scope, T> Later<'scope, T> {
    pub(crate) fn new(handle: std::thread::ScopedJoinHandle<'scope, T>) -> Self {
        Later {
            handle: std::sync::Mutex::new(Some(handle)),
            value: std::sync::OnceLock::new(),
        }
    }

    /// The value, once its thread is done (a panic there goes on here).
    pub(crate) fn get(&self) -> &T {
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
            crate::language::build_language(
                input,
                templates,
                memo,
                &urls,
                lang,
                &seasons,
                &mut writer,
            )?;
        }
        Ok::<_, SiteError>(seasons.into_inner())
    })?;
    writer.summary.clouds = seasons.1;
    // A 404 page per language, in its words and navigation, each offering the others (see
    // `urls::not_found_pages` for the one a server answers with).
    for lang in &config.languages {
        let html = not_found_page(input, templates, &urls, lang)?;
        writer.file(&urls.not_found_file(lang), html)?;
    }
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

/// The 404 page in `lang`: its navigation and words, and a line in every other language
/// leading to that language's home.
fn not_found_page(
    input: &SiteInput<'_>,
    templates: &Templates,
    urls: &Urls,
    lang: &Lang,
) -> Result<String, SiteError> {
    let config = &input.config;
    let common = common(input, urls, lang);
    let mut page = page_meta(input, urls, lang, "404", &urls.home(lang), true, &[]);
    page["heading"] = json!(common.labels["page_not_found"]);
    page["title"] = json!(format!(
        "{} · {}",
        common.labels["page_not_found"],
        input.name(lang)
    ));
    let others: Vec<Value> = config
        .languages
        .iter()
        .filter(|l| *l != lang)
        .map(|l| {
            let labels = labels(l, config.texts.get(l));
            json!({"lang": l.as_str(), "not_found": labels["not_found"], "home": labels["home"], "href": urls.home(l)})
        })
        .collect();
    templates.render(
        "404.html",
        &json!({"site": common, "page": page, "others": others}),
    )
}
