//! One issue in one language as the site shows it: full, or (while it is for subscribers) its
//! entry titles only. Pages, feeds, the search index and section pages are all made from it, so
//! a paid body can reach none of them.

use crate::input::{EditionInput, IssueInput, SiteInput};
use crate::labels::with_number;
use crate::markdown::{block, escape, inline};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use weekly_model::inline::plain_text;
use weekly_model::{Block, Document, FrontMatter, Header, Lang, Section};
use weekly_render::titles::{title_markdown, title_plain};

/// An entry as shown.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    /// Its `id` on the page (`articles-3`).
    pub anchor: String,
    /// Its number.
    pub number: u32,
    /// Title as HTML (linked in full issues, plain in teasers).
    pub title_html: String,
    /// Title as plain text.
    pub title: String,
    /// Body as HTML (empty in teasers).
    pub body_html: String,
    /// Body as plain text (empty in teasers).
    #[serde(skip)]
    pub body_text: String,
    /// The star count, when the body states one.
    pub stars: Option<u32>,
    /// The badge text (`3.2K`) when the stars reach the badge threshold.
    pub badge: Option<String>,
    /// Tooltip of the badge.
    pub badge_title: String,
}

/// A section as shown.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Catalogue key.
    pub key: String,
    /// Its `id` on the page.
    pub anchor: String,
    /// Heading as HTML.
    pub heading_html: String,
    /// Heading as plain text.
    pub heading: String,
    /// Paragraphs before the entries, as HTML.
    pub intro_html: String,
    /// Paragraphs before the entries, as plain text (empty while only titles are shown).
    #[serde(skip)]
    pub intro_text: String,
    /// True for a counted section.
    pub counted: bool,
    /// True for a category inside the section before it (`### Official` under `## Updates`).
    pub category: bool,
    /// Entries.
    pub entries: Vec<EntryView>,
    /// Its place among the edition's sections (`Document::all_sections`).
    #[serde(skip)]
    pub(crate) source: usize,
}

/// A link to a neighbouring issue.
#[derive(Debug, Clone, Serialize)]
pub struct NeighbourView {
    /// Its page.
    pub href: String,
    /// `#12`.
    pub label: String,
    /// Its title.
    pub title: String,
}

/// An issue in one language as shown.
#[derive(Debug, Clone, Serialize)]
pub struct IssueView {
    /// Issue number.
    pub number: u32,
    /// Date (`2026-10-03`).
    pub date: String,
    /// Title as plain text.
    pub title: String,
    /// The description of the front matter, if any.
    pub description: String,
    /// True when only titles are shown.
    pub teaser: bool,
    /// The issue whose publication makes this one free, while it is not.
    pub free_from: Option<u32>,
    /// The note saying so.
    pub free_note: String,
    /// Season label and page.
    pub season_label: String,
    /// Season page.
    pub season_href: String,
    /// Paragraphs before the first section, as HTML.
    pub preamble_html: String,
    /// Sections.
    pub sections: Vec<SectionView>,
    /// Closing paragraphs, as HTML.
    pub postamble_html: String,
    /// The paragraphs before the first section and after the last, as plain text (empty
    /// while only titles are shown).
    #[serde(skip)]
    pub own_text: String,
    /// Previous issue in this language.
    pub prev: Option<NeighbourView>,
    /// Next issue in this language.
    pub next: Option<NeighbourView>,
    /// True when the edition is not written in its language (an English file holding the
    /// Chinese text): pages say so and mark the text with the language it is in.
    pub untranslated: bool,
    /// The language the text is written in (`lang` attribute of the article).
    pub content_lang: String,
    /// Minutes a reader needs for the text (0 for titles only).
    pub reading_minutes: u32,
    /// "5 min read".
    pub reading_label: String,
    /// Images left out because they name a file on the author's computer.
    #[serde(skip)]
    pub dropped_images: Vec<String>,
}

/// Star counts the way the newsletter writes them: `950`, `1.2K`, `12K`.
pub fn stars_text(stars: u32) -> String {
    if stars < 1000 {
        return stars.to_string();
    }
    let k = f64::from(stars) / 1000.0;
    if k < 10.0 {
        let text = format!("{k:.1}");
        format!("{}K", text.trim_end_matches(".0"))
    } else {
        format!("{}K", k.round())
    }
}

pub use weekly_model::inline::is_local_file;

/// The Markdown of `blocks` with images of local files reduced to their alt text; each one
/// dropped is reported to `dropped`.
fn blocks_markdown(blocks: &[Block], dropped: &mut Vec<String>) -> String {
    let text: Vec<std::borrow::Cow<'_, str>> = blocks
        .iter()
        .map(|b| without_local_images(b, dropped))
        .collect();
    text.join("\n\n")
}

/// The Markdown of `block` with images of local files reduced to their alt text; each one
/// dropped is reported to `dropped`.
fn without_local_images<'b>(
    block: &'b Block,
    dropped: &mut Vec<String>,
) -> std::borrow::Cow<'b, str> {
    if !block.text.contains("![") {
        return std::borrow::Cow::Borrowed(&block.text);
    }
    let mut t = block.text.clone();
    for image in weekly_model::inline::links_and_images(&block.text).1 {
        if is_local_file(&image.url) {
            let written = format!("![{}]({})", image.alt, image.url);
            if t.contains(&written) {
                t = t.replace(&written, &image.alt);
                dropped.push(image.url.clone());
            }
        }
    }
    std::borrow::Cow::Owned(t)
}

fn blocks_html(blocks: &[Block], dropped: &mut Vec<String>) -> String {
    if blocks.is_empty() {
        return String::new();
    }
    block(&blocks_markdown(blocks, dropped))
}

fn blocks_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&plain_text(&b.text));
    }
    out
}

fn description(document: &Document) -> String {
    match &document.header {
        Some(Header::FrontMatter(FrontMatter {
            description: Some(d),
            ..
        })) => plain_text(d),
        _ => String::new(),
    }
}

/// Gives out unique `id`s: `articles-3`, then `articles-3-2` if it comes again.
#[derive(Default)]
struct Anchors(HashSet<String>);

impl Anchors {
    fn take(&mut self, wanted: String) -> String {
        if self.0.insert(wanted.clone()) {
            return wanted;
        }
        let mut i = 2;
        loop {
            let anchor = format!("{wanted}-{i}");
            if self.0.insert(anchor.clone()) {
                return anchor;
            }
            i += 1;
        }
    }
}

/// The view of `issue` in `lang`, or `None` when it has no edition in `lang`.
pub fn issue_view(
    site: &SiteInput<'_>,
    issue: &IssueInput<'_>,
    lang: &Lang,
    labels: &BTreeMap<String, String>,
    season_href: String,
) -> Option<IssueView> {
    let mut view = view_without_html(site, issue, lang, labels, season_href)?;
    fill_html(&mut view, site, issue, lang);
    Some(view)
}

/// The edition a view of `issue` in `lang` shows, and whether only its titles are shown (a
/// teaser file is public as it is; a full text is cut to its titles while it is paid).
fn shown_edition<'a>(
    site: &SiteInput<'_>,
    issue: &IssueInput<'a>,
    lang: &Lang,
) -> Option<(EditionInput<'a>, bool)> {
    let edition = *issue.best(lang)?;
    let titles_only = !site.is_free(issue.number) && !edition.teaser;
    Some((edition, titles_only))
}

/// Where a run of Markdown blocks is shown in a view: by section and entry index.
#[derive(Clone, Copy)]
enum Slot {
    Preamble,
    Intro(usize),
    Body(usize, usize),
    Postamble,
}

/// Every run of blocks `view` shows as HTML, in page order (none while only titles are shown:
/// that HTML is made with the view).
fn html_blocks<'d>(
    view: &IssueView,
    document: &'d Document,
    titles_only: bool,
) -> Vec<(Slot, &'d [Block])> {
    if titles_only {
        return Vec::new();
    }
    let all: Vec<&Section> = document.all_sections().collect();
    let mut out = vec![(Slot::Preamble, document.preamble.as_slice())];
    for (s, section) in view.sections.iter().enumerate() {
        let Some(source) = all.get(section.source) else {
            continue;
        };
        out.push((Slot::Intro(s), source.intro.as_slice()));
        for (e, entry) in source.entries.iter().enumerate() {
            out.push((Slot::Body(s, e), entry.body.as_slice()));
        }
    }
    out.push((Slot::Postamble, document.postamble.as_slice()));
    out
}

/// Makes the HTML of a view from [`view_without_html`]: Markdown to HTML with highlighted
/// code, the dearest part of a view, done only for pages that are rendered.
pub(crate) fn fill_html(
    view: &mut IssueView,
    site: &SiteInput<'_>,
    issue: &IssueInput<'_>,
    lang: &Lang,
) {
    let Some((edition, titles_only)) = shown_edition(site, issue, lang) else {
        return;
    };
    // The images dropped were reported when the view was made.
    let mut dropped = Vec::new();
    for (slot, blocks) in html_blocks(view, edition.document, titles_only) {
        let html = blocks_html(blocks, &mut dropped);
        match slot {
            Slot::Preamble => view.preamble_html = html,
            Slot::Intro(s) => view.sections[s].intro_html = html,
            Slot::Body(s, e) => view.sections[s].entries[e].body_html = html,
            Slot::Postamble => view.postamble_html = html,
        }
    }
}

/// Adds to a page key what [`fill_html`] makes the HTML of `view` from: each run of blocks
/// with its place.
pub(crate) fn add_html_sources(
    hasher: &mut crate::memo::KeyHasher,
    view: &IssueView,
    site: &SiteInput<'_>,
    issue: &IssueInput<'_>,
    lang: &Lang,
) {
    let Some((edition, titles_only)) = shown_edition(site, issue, lang) else {
        return;
    };
    for (slot, blocks) in html_blocks(view, edition.document, titles_only) {
        let place = match slot {
            Slot::Preamble => [0, 0, 0],
            Slot::Intro(s) => [1, s, 0],
            Slot::Body(s, e) => [2, s, e],
            Slot::Postamble => [3, 0, 0],
        };
        for n in place.into_iter().chain([blocks.len()]) {
            hasher.add_bytes(&(n as u64).to_le_bytes());
        }
        for block in blocks {
            hasher.add_bytes(block.text.as_bytes());
        }
    }
}

/// The view of `issue` in `lang` without the HTML made from its Markdown blocks (see
/// [`fill_html`]), or `None` when it has no edition in `lang`. Images that name a file on the
/// author's computer are reported all the same.
pub(crate) fn view_without_html(
    site: &SiteInput<'_>,
    issue: &IssueInput<'_>,
    lang: &Lang,
    labels: &BTreeMap<String, String>,
    season_href: String,
) -> Option<IssueView> {
    let (edition, titles_only) = shown_edition(site, issue, lang)?;
    let document = edition.document;
    let free = site.is_free(issue.number);
    let catalogue = &site.config.catalogue;
    let threshold = site.config.star_badge_threshold;
    let mut anchors = Anchors::default();
    let mut sections = Vec::new();
    for (source, section) in document.all_sections().enumerate() {
        let counted = catalogue.is_counted(&section.key);
        if titles_only && (!counted || section.entries.is_empty()) {
            continue;
        }
        let key = section.key.as_str().to_owned();
        let entries = section
            .entries
            .iter()
            .map(|entry| {
                let stars = entry.stars();
                let badge = stars.filter(|s| *s >= threshold).map(stars_text);
                EntryView {
                    anchor: anchors.take(format!("{key}-{}", entry.number)),
                    number: entry.number,
                    title_html: if titles_only || edition.teaser {
                        inline(&title_markdown(entry))
                    } else {
                        inline(&entry.title)
                    },
                    title: title_plain(entry),
                    body_html: String::new(),
                    body_text: if titles_only {
                        String::new()
                    } else {
                        blocks_text(&entry.body)
                    },
                    stars,
                    badge,
                    badge_title: stars.map(|s| format!("{s} ★")).unwrap_or_default(),
                }
            })
            .collect();
        sections.push(SectionView {
            anchor: anchors.take(format!("s-{key}")),
            key,
            heading_html: inline(&section.heading.text),
            heading: section.heading.plain(),
            intro_html: String::new(),
            intro_text: if titles_only {
                String::new()
            } else {
                blocks_text(&section.intro)
            },
            counted,
            category: section.category,
            entries,
            source,
        });
    }
    let free_from = (!free).then_some(issue.number + site.config.free_after);
    let intro = site
        .config
        .texts
        .get(lang)
        .and_then(|t| t.get("intro"))
        .map(|t| format!("<p>{}</p>", escape(t)))
        .unwrap_or_default();
    let title = issue_title(site, issue, lang);
    let season = site.season_of(issue.number);
    // Untranslated: entries in another language, or (without entries) a title in another
    // language that `issue.toml` does not translate.
    let mut titles = String::new();
    for entry in sections.iter().flat_map(|s| &s.entries) {
        titles.push_str(&entry.title);
        titles.push('\n');
    }
    if titles.is_empty() {
        titles.clone_from(&title);
    }
    let untranslated = *lang != site.config.primary && written_in_other_language(lang, &titles);
    let reading_minutes = if titles_only || edition.teaser {
        0
    } else {
        reading_minutes(&sections)
    };
    let mut view = IssueView {
        number: issue.number,
        date: issue.date.to_string(),
        title,
        description: description(document),
        teaser: titles_only || edition.teaser,
        free_from,
        free_note: free_from.map_or_else(String::new, |n| with_number(labels, "free_note", n)),
        season_label: with_number(labels, "season", season),
        season_href,
        preamble_html: if titles_only { intro } else { String::new() },
        sections,
        postamble_html: String::new(),
        own_text: if titles_only {
            String::new()
        } else {
            let (before, after) = (
                blocks_text(&document.preamble),
                blocks_text(&document.postamble),
            );
            [before, after]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        },
        prev: None,
        next: None,
        untranslated,
        content_lang: if untranslated {
            site.config.primary.to_string()
        } else {
            lang.to_string()
        },
        reading_minutes,
        reading_label: with_number(labels, "reading_time", reading_minutes),
        dropped_images: Vec::new(),
    };
    for (_, blocks) in html_blocks(&view, document, titles_only) {
        for block in blocks {
            without_local_images(block, &mut view.dropped_images);
        }
    }
    Some(view)
}

/// The title of `issue` in `lang`: its edition's, unless that is written in another language
/// and `issue.toml` has the theme in `lang` (`{name} #{n}: {theme}`).
pub fn issue_title(site: &SiteInput<'_>, issue: &IssueInput<'_>, lang: &Lang) -> String {
    let own = issue
        .best(lang)
        .and_then(|e| e.document.title())
        .map(plain_text);
    match (own, issue.titles.get(lang)) {
        (Some(own), Some(theme)) if written_in_other_language(lang, &own) => {
            let colon = if matches!(lang.as_str().split('-').next(), Some("zh" | "ja")) {
                "："
            } else {
                ": "
            };
            format!("{} #{}{colon}{theme}", site.name(lang), issue.number)
        }
        (Some(own), _) => own,
        (None, _) => format!("{} #{}", site.name(lang), issue.number),
    }
}

/// True when text meant to be in `lang` is written in another language: more CJK than Latin
/// text (a CJK character counted as four letters) in a language written with Latin letters, or Han characters without any kana in Japanese.
/// Chinese and Korean editions are taken as they are.
pub fn written_in_other_language(lang: &Lang, text: &str) -> bool {
    let (mut han, mut kana, mut latin) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        match c as u32 {
            0x3040..=0x30FF => kana += 1,
            _ if weekly_model::lang::is_han(c) => han += 1,
            _ if c.is_ascii_alphabetic() => latin += 1,
            _ => {}
        }
    }
    match lang.as_str().split('-').next().unwrap_or("") {
        "zh" | "ko" => false,
        "ja" => han >= 8 && kana == 0,
        // Names of projects and tools stay in Latin letters in any language, so a CJK
        // character weighs four letters.
        _ => (han + kana) * 4 > latin,
    }
}

/// Minutes to read `sections` (Chinese and Japanese at about 400 characters a minute, other
/// languages at about 220 words), at least 1; 0 when there is no text.
fn reading_minutes(sections: &[SectionView]) -> u32 {
    let (mut cjk, mut words) = (0usize, 0usize);
    for entry in sections.iter().flat_map(|s| &s.entries) {
        for text in [&entry.title, &entry.body_text] {
            crate::search::cut(text, |piece| match piece {
                crate::search::Piece::Word(_) => words += 1,
                crate::search::Piece::Cjk(..) => cjk += 1,
            });
        }
    }
    if cjk + words == 0 {
        return 0;
    }
    // cjk / 400 + words / 220 minutes, rounded up.
    let minutes = (cjk * 220 + words * 400).div_ceil(400 * 220);
    u32::try_from(minutes).unwrap_or(u32::MAX).max(1)
}

/// The issue's content as one HTML fragment (for feeds).
pub fn content_html(view: &IssueView) -> String {
    let mut out = String::new();
    out.push_str(&view.preamble_html);
    for section in &view.sections {
        // A section written without a heading (a list before the first one) gets none.
        if !section.heading_html.trim().is_empty() {
            let _ = writeln!(out, "<h2>{}</h2>", section.heading_html);
        }
        out.push_str(&section.intro_html);
        if !section.entries.is_empty() {
            out.push_str("<ol>\n");
            for entry in &section.entries {
                let _ = writeln!(
                    out,
                    "<li value=\"{}\"><p><strong>{}</strong></p>\n{}</li>",
                    entry.number, entry.title_html, entry.body_html
                );
            }
            out.push_str("</ol>\n");
        }
    }
    out.push_str(&view.postamble_html);
    out
}

/// A description of an issue that has none: its first entry titles (a page's description is
/// never its title).
pub fn first_titles(view: &IssueView) -> String {
    let titles: Vec<&str> = view
        .sections
        .iter()
        .flat_map(|s| &s.entries)
        .map(|e| e.title.as_str())
        .take(3)
        .collect();
    if titles.is_empty() {
        return view.title.clone();
    }
    let mut text = titles.join(" · ");
    if let Some((cut, _)) = text.char_indices().nth(150) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_in_another_language_are_told_apart() {
        let en = Lang::en();
        let ja = Lang::new("ja").unwrap();
        assert!(written_in_other_language(
            &en,
            "Python 潮流周刊#150：Python 项目性能分析实践"
        ));
        assert!(!written_in_other_language(
            &en,
            "Python Trending Weekly #150: 性能"
        ));
        assert!(written_in_other_language(
            &ja,
            "本期周刊精选了十二篇文章与开源项目"
        ));
        assert!(!written_in_other_language(
            &ja,
            "Python トレンド週刊 第150号：性能分析の実践"
        ));
        assert!(!written_in_other_language(&Lang::zh(), "Python Weekly"));
    }

    /// The key `build` gives an issue page, without the page values: the view without its
    /// HTML and the Markdown the HTML is made from.
    fn key_and_view(text: &str, free_after: u32) -> (crate::memo::Key, String) {
        let lang = Lang::zh();
        let catalogue = weekly_model::Catalogue::python_weekly();
        let document = weekly_parse::parse_document(
            text,
            &weekly_parse::ParseOptions {
                file: "zh.md",
                lang: &lang,
                catalogue: &catalogue,
            },
        )
        .document;
        let site = SiteInput {
            config: crate::input::SiteConfig {
                name: BTreeMap::from([(lang.clone(), "周刊".to_owned())]),
                base_url: "https://example.org".to_owned(),
                primary: lang.clone(),
                languages: vec![lang.clone()],
                seasons: weekly_model::Seasons::regular(30),
                free_after,
                star_badge_threshold: 1000,
                catalogue: catalogue.clone(),
                texts: BTreeMap::new(),
                full: false,
                stop_words: String::new(),
                feed_items: 20,
                subscribe_action: String::new(),
                paid_urls: BTreeMap::new(),
                og_images: false,
            },
            issues: Vec::new(),
            season_files: Vec::new(),
        };
        let titles = BTreeMap::new();
        let issue = IssueInput {
            number: 1,
            date: weekly_model::IsoDate::new(2026, 10, 3).unwrap(),
            editions: vec![EditionInput {
                lang: &lang,
                teaser: false,
                document: &document,
            }],
            titles: &titles,
            counts: weekly_model::Counts::default(),
        };
        let site = SiteInput {
            issues: vec![issue.clone()],
            ..site
        };
        let labels = crate::labels::labels(&lang, None);
        let mut view = view_without_html(&site, &issue, &lang, &labels, "/1/".to_owned()).unwrap();
        let mut hasher = crate::memo::KeyHasher::new(0);
        hasher.add(&view);
        add_html_sources(&mut hasher, &view, &site, &issue, &lang);
        let key = hasher.finish();
        fill_html(&mut view, &site, &issue, &lang);
        let full = issue_view(&site, &issue, &lang, &labels, "/1/".to_owned()).unwrap();
        let shown = serde_json::to_string(&view).unwrap();
        assert_eq!(shown, serde_json::to_string(&full).unwrap());
        (key, shown)
    }

    /// Two issue texts give the same page key exactly when they give the same view: an edit
    /// anywhere the HTML is made from is seen although that HTML is not made for the key.
    #[test]
    fn page_keys_see_every_edit_of_the_html_sources() {
        let base = "---\ntitle: '周刊#1：主题'\npubDate: 2026-10-03\n---\n\n你好，开场白。\n\n\
            ## 🦄文章&教程\n\n本节导语。\n\n1、[第一篇](https://a.example/1)\n\n正文一 `code`。\n\n\
            ```python\nprint(1)\n```\n\n2、[第二篇](https://a.example/2)\n\n正文二。\n\n\
            ## 🐿️项目&资源\n\n1、[项目](https://github.com/a/b)（star 2.1K）\n\n项目正文。\n\n\
            ---\n\n结语。\n";
        let edits = [
            ("你好，开场白。", "你好，开场白！"),
            ("本节导语。", "本节导语，改。"),
            ("正文一 `code`。", "正文一 `cade`。"),
            ("print(1)", "print(2)"),
            ("正文二。", "正文二。![图](/Users/a/b.png)"),
            ("项目正文。", "项目正文 **粗**。"),
            ("结语。", "结语，改。"),
            ("[第一篇]", "[第一篇改]"),
            ("（star 2.1K）", "（star 900）"),
        ];
        let mut texts = vec![base.to_owned()];
        texts.extend(edits.iter().map(|(from, to)| {
            assert!(base.contains(from), "{from}");
            base.replacen(from, to, 1)
        }));
        for free_after in [0, 50] {
            let made: Vec<_> = texts.iter().map(|t| key_and_view(t, free_after)).collect();
            for (i, (key_a, view_a)) in made.iter().enumerate() {
                for (key_b, view_b) in &made[i + 1..] {
                    assert_eq!(
                        key_a == key_b,
                        view_a == view_b,
                        "free_after {free_after}: {view_a}\n{view_b}"
                    );
                }
            }
            // Free, every edit shows; paid (titles only), only the title edits do.
            let distinct: std::collections::HashSet<_> = made.iter().map(|m| m.0).collect();
            assert_eq!(
                distinct.len(),
                if free_after == 0 { texts.len() } else { 3 }
            );
        }
    }

    #[test]
    fn star_counts_in_house_style() {
        assert_eq!(stars_text(950), "950");
        assert_eq!(stars_text(1000), "1K");
        assert_eq!(stars_text(3240), "3.2K");
        assert_eq!(stars_text(12_600), "13K");
    }
}
