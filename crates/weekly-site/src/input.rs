//! What a site is built from: the configuration values it needs and the parsed issues, borrowed
//! from the caller.

use std::collections::BTreeMap;
use weekly_model::{Catalogue, Counts, Document, IsoDate, Lang, Seasons};

/// Settings of the site, taken from `weekly.toml`.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Newsletter name per language.
    pub name: BTreeMap<Lang, String>,
    /// Public URL without a trailing slash; its path (if any) prefixes every internal link.
    pub base_url: String,
    /// The language the editor writes; its home page is the site's `/`.
    pub primary: Lang,
    /// Every language of the site, primary first.
    pub languages: Vec<Lang>,
    /// Which issues form which season.
    pub seasons: Seasons,
    /// Issues after which a paid issue becomes free.
    pub free_after: u32,
    /// Stars that earn a project its badge.
    pub star_badge_threshold: u32,
    /// The section catalogue.
    pub catalogue: Catalogue,
    /// Fixed texts per language (`intro`, `subscribe`, …), placeholders not yet filled.
    pub texts: BTreeMap<Lang, BTreeMap<String, String>>,
    /// True for the subscribers' edition: every issue in full.
    pub full: bool,
    /// Words left out of word clouds, one per line (`#` starts a comment).
    pub stop_words: String,
    /// Entries of a feed.
    pub feed_items: usize,
    /// Where the subscribe form of every page posts (`[server] public_url` + `/subscribe`);
    /// empty: the pages have no form.
    pub subscribe_action: String,
    /// The paid offer per language (`[site] paid_url`): where the pages' call to subscribe to
    /// read every issue in full leads. A language without one gets the free form's call (when
    /// there is a form), never a promise of the full text.
    pub paid_urls: BTreeMap<Lang, String>,
    /// True when the issue pages name an Open Graph card (`og.png` beside each page), which
    /// the caller makes from [`crate::Summary::og_cards`].
    pub og_images: bool,
}

/// One edition of an issue.
#[derive(Debug, Clone, Copy)]
pub struct EditionInput<'a> {
    /// Language.
    pub lang: &'a Lang,
    /// True when the file is a teaser (titles only).
    pub teaser: bool,
    /// The parsed file.
    pub document: &'a Document,
}

/// One issue.
#[derive(Debug, Clone)]
pub struct IssueInput<'a> {
    /// Issue number.
    pub number: u32,
    /// Publication date.
    pub date: IsoDate,
    /// Its editions (full texts and teasers, any language).
    pub editions: Vec<EditionInput<'a>>,
    /// The issue's theme per language where the edition's own title is not in it.
    pub titles: &'a BTreeMap<Lang, String>,
    /// Entries per counted section (from the edition the statistics count).
    pub counts: Counts,
}

impl<'a> IssueInput<'a> {
    /// The full text in `lang`.
    pub fn full(&self, lang: &Lang) -> Option<&EditionInput<'a>> {
        self.editions.iter().find(|e| e.lang == lang && !e.teaser)
    }

    /// The full text in `lang`, else the teaser.
    pub fn best(&self, lang: &Lang) -> Option<&EditionInput<'a>> {
        self.full(lang)
            .or_else(|| self.editions.iter().find(|e| e.lang == lang))
    }

    /// True when the issue has an edition in `lang`.
    pub fn has(&self, lang: &Lang) -> bool {
        self.editions.iter().any(|e| e.lang == lang)
    }
}

/// Everything a site is built from.
#[derive(Debug, Clone)]
pub struct SiteInput<'a> {
    /// Settings.
    pub config: SiteConfig,
    /// Issues, sorted by number.
    pub issues: Vec<IssueInput<'a>>,
    /// Files of the seasons (`weekly season K --write`, `weekly ebook`), published on their
    /// season's page.
    pub season_files: Vec<SeasonFile>,
}

/// A file of a season, as `seasons/` holds it: `season-K.<lang>.epub` and `.pdf` (linked for
/// download), `season-K-wrapup.<lang>.md` (shown on the page), `season-K-cloud.<lang>.svg`
/// (the image the wrap-up post shows).
#[derive(Debug, Clone)]
pub struct SeasonFile {
    /// Season number.
    pub season: u32,
    /// Language.
    pub lang: Lang,
    /// File name (published under the season's page).
    pub name: String,
    /// Content.
    pub bytes: Vec<u8>,
}

impl SeasonFile {
    /// The season, language and kind a file name in `seasons/` stands for, when it is one of
    /// the published kinds: `season-2.zh.epub` → (2, `zh`, `epub`).
    pub fn parse_name(name: &str) -> Option<(u32, &str, &'static str)> {
        let rest = name.strip_prefix("season-")?;
        let (stem, ext) = rest.rsplit_once('.')?;
        let (stem, lang) = stem.rsplit_once('.')?;
        let (number, kind) = match ext {
            "epub" => (stem, "epub"),
            "pdf" => (stem, "pdf"),
            "md" => (stem.strip_suffix("-wrapup")?, "wrapup"),
            "svg" => (stem.strip_suffix("-cloud")?, "cloud"),
            _ => return None,
        };
        let valid_lang = !lang.is_empty()
            && lang.len() <= 12
            && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        (valid_lang && number.chars().all(|c| c.is_ascii_digit()))
            .then(|| number.parse().ok().map(|n| (n, lang, kind)))
            .flatten()
    }
}

impl SiteInput<'_> {
    /// The latest issue number (0 when there is none).
    pub fn latest(&self) -> u32 {
        self.issues.last().map_or(0, |i| i.number)
    }

    /// True when issue `number` is shown in full: in the subscribers' edition always, in the
    /// public one once `free_after` newer issues are out.
    pub fn is_free(&self, number: u32) -> bool {
        self.config.full || number + self.config.free_after <= self.latest()
    }

    /// How many issues season `season` will hold, while it is still running (its last issue
    /// is after the latest one); `None` once it is over.
    pub fn season_running(&self, season: u32) -> Option<u32> {
        let range = self.config.seasons.range(season);
        (*range.end() > self.latest()).then(|| range.end() - range.start() + 1)
    }

    /// The season of issue `number` (1-based).
    pub fn season_of(&self, number: u32) -> u32 {
        self.config.seasons.of(number)
    }

    /// The newsletter's name in `lang`, else in the primary language.
    pub fn name(&self, lang: &Lang) -> &str {
        self.config
            .name
            .get(lang)
            .or_else(|| self.config.name.get(&self.config.primary))
            .map_or("", String::as_str)
    }
}
