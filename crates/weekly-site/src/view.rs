//! One issue in one language as the site shows it: full, or (while it is for subscribers) its
//! entry titles only. Pages, feeds, the search index and section pages are all made from it, so
//! a paid body can reach none of them.

use crate::input::{IssueInput, SiteInput};
use crate::labels::with_number;
use crate::markdown::{block, escape, inline};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use weekly_model::inline::plain_text;
use weekly_model::{Block, Document, FrontMatter, Header, Lang};
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
    /// True for a counted section.
    pub counted: bool,
    /// Entries.
    pub entries: Vec<EntryView>,
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
    let mut text: Vec<String> = Vec::with_capacity(blocks.len());
    for b in blocks {
        let mut t = b.text.clone();
        if t.contains("![") {
            for image in weekly_model::inline::links_and_images(&b.text).1 {
                if is_local_file(&image.url) {
                    let written = format!("![{}]({})", image.alt, image.url);
                    if t.contains(&written) {
                        t = t.replace(&written, &image.alt);
                        dropped.push(image.url.clone());
                    }
                }
            }
        }
        text.push(t);
    }
    text.join("\n\n")
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
    let edition = issue.best(lang)?;
    let document = edition.document;
    let free = site.is_free(issue.number);
    // A teaser file is public as it is; a full text is cut to its titles while it is paid.
    let titles_only = !free && !edition.teaser;
    let catalogue = &site.config.catalogue;
    let threshold = site.config.star_badge_threshold;
    let mut anchors = Anchors::default();
    let mut sections = Vec::new();
    let mut dropped = Vec::new();
    for section in document.all_sections() {
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
                    body_html: if titles_only {
                        String::new()
                    } else {
                        blocks_html(&entry.body, &mut dropped)
                    },
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
            intro_html: if titles_only {
                String::new()
            } else {
                blocks_html(&section.intro, &mut dropped)
            },
            counted,
            entries,
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
    Some(IssueView {
        number: issue.number,
        date: issue.date.to_string(),
        title,
        description: description(document),
        teaser: titles_only || edition.teaser,
        free_from,
        free_note: free_from.map_or_else(String::new, |n| with_number(labels, "free_note", n)),
        season_label: with_number(labels, "season", season),
        season_href,
        preamble_html: if titles_only {
            intro
        } else {
            blocks_html(&document.preamble, &mut dropped)
        },
        sections,
        postamble_html: if titles_only {
            String::new()
        } else {
            blocks_html(&document.postamble, &mut dropped)
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
        dropped_images: dropped,
    })
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
        let _ = writeln!(out, "<h2>{}</h2>", section.heading_html);
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

    #[test]
    fn star_counts_in_house_style() {
        assert_eq!(stars_text(950), "950");
        assert_eq!(stars_text(1000), "1K");
        assert_eq!(stars_text(3240), "3.2K");
        assert_eq!(stars_text(12_600), "13K");
    }
}
