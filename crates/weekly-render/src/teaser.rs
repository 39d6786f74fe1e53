//! The teaser: the title of every entry under its section heading, numbered with circled
//! numbers (①…㊿, then (51)…), between fixed texts. Readers without a subscription get it; the
//! teaser reads back as a teaser with the same titles. A section's categories (`### Official`)
//! are listed under the section's heading, numbered on; bullet entries stay a list where the
//! newsletter does not read circled numbers.

use crate::markdown::circled;
use crate::titles::{title_groups, title_markdown};
use weekly_model::{Catalogue, Document, NumberMarker, Numbering};

/// The texts around the title lists.
#[derive(Debug, Clone, Default)]
pub struct TeaserTexts {
    /// Paragraphs before the lists (introduction, description line, lead-in).
    pub before: Vec<String>,
    /// Paragraphs after the lists (subscription, where to read the full text).
    pub after: Vec<String>,
}

/// The titles-only form of a full text, as a document: the same header, each counted
/// section's heading and its entries' titles without links or bodies, numbered ①②…; nothing
/// else. What a season's public files show of an issue that is still paid and has no teaser
/// file.
pub fn titles_only(document: &Document, catalogue: &Catalogue) -> Document {
    let sections = document
        .all_sections()
        .filter(|s| catalogue.is_counted(&s.key))
        .map(|s| weekly_model::Section {
            key: s.key.clone(),
            category: s.category,
            heading: weekly_model::Heading {
                source: None,
                ..s.heading.clone()
            },
            intro: Vec::new(),
            entries: s
                .entries
                .iter()
                .map(|e| weekly_model::Entry {
                    number: e.number,
                    marker: weekly_model::NumberMarker::Circled,
                    title: title_markdown(e),
                    body: Vec::new(),
                    source: None,
                    line: e.line,
                })
                .collect(),
        })
        .collect();
    Document {
        kind: weekly_model::DocKind::Teaser,
        lang: document.lang.clone(),
        line_ending: document.line_ending,
        leading: String::new(),
        header: document.header.clone(),
        preamble: Vec::new(),
        sections,
        parts: Vec::new(),
        postamble: Vec::new(),
    }
}

/// The teaser of `document` with title `title` (written as the H1).
pub fn teaser(
    document: &Document,
    title: &str,
    catalogue: &Catalogue,
    texts: &TeaserTexts,
) -> String {
    let mut paragraphs: Vec<String> = vec![format!("# {}", title.trim())];
    paragraphs.extend(
        texts
            .before
            .iter()
            .filter(|p| !p.trim().is_empty())
            .cloned(),
    );
    // Bullet entries have no numbers: a newsletter that does not read circled numbers gets
    // them as a list, as it wrote them; one that does gets them numbered, so that the teaser
    // reads back as one.
    let circled_read = catalogue.format.numbering.contains(&Numbering::Circled);
    for group in title_groups(document, catalogue) {
        paragraphs.push(format!("**{}**", group.heading(document, catalogue)));
        let mut number = 0;
        let mut list: Vec<String> = Vec::new();
        for entry in group.entries() {
            if entry.marker == NumberMarker::Bullet && !circled_read {
                list.push(format!("- {}", title_markdown(entry)));
                continue;
            }
            if !list.is_empty() {
                paragraphs.push(std::mem::take(&mut list).join("\n"));
            }
            number += 1;
            paragraphs.push(format!("{} {}", circled(number), title_markdown(entry)));
        }
        if !list.is_empty() {
            paragraphs.push(list.join("\n"));
        }
    }
    paragraphs.extend(texts.after.iter().filter(|p| !p.trim().is_empty()).cloned());
    let mut out = paragraphs.join("\n\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;
    use weekly_model::DocKind;

    use crate::test_support::parse;

    fn full_issue(articles: u32) -> String {
        let mut text =
            String::from("# 周刊#9：主题\n\n本期分享了…\n\n## [🦄文章&教程](https://w.org)\n\n");
        for n in 1..=articles {
            let _ = write!(
                text,
                "{n}、[标题 {n}：`x_y` \\_z](https://a.org/{n})（英文）\n\n说明 {n}。\n\n"
            );
        }
        text.push_str("## 🐿️项目&资源\n\n1、[uv：包管理器](https://github.com/astral-sh/uv)\n\n## 🐧往年回顾\n\n1、[旧文](https://old.org)\n");
        text
    }

    #[test]
    fn titles_only_keeps_no_link_and_no_body() {
        let catalogue = Catalogue::python_weekly();
        let doc = parse(&full_issue(3));
        let titles = titles_only(&doc, &catalogue);
        assert_eq!(titles.kind, DocKind::Teaser);
        let text = crate::markdown::render(&titles);
        assert!(!text.contains("https://a.org"), "{text}");
        assert!(!text.contains("说明"), "{text}");
        assert!(!text.contains("旧文"), "{text}");
        assert!(text.contains("标题 2"), "{text}");
        let counted: usize = titles.all_sections().map(|s| s.entries.len()).sum();
        assert_eq!(counted, 4);
    }

    #[test]
    fn teaser_lists_titles_and_reads_back() {
        let catalogue = Catalogue::python_weekly();
        let doc = parse(&full_issue(23));
        let texts = TeaserTexts {
            before: vec!["导语。".into(), "以下是本期标题摘要：".into()],
            after: vec!["订阅后阅读全文：https://w.org/9/".into()],
        };
        let out = teaser(&doc, "周刊#9：主题", &catalogue, &texts);
        assert!(out.starts_with("# 周刊#9：主题\n\n导语。\n\n以下是本期标题摘要：\n\n**[🦄文章&教程](https://w.org)**\n\n① 标题 1：`x_y` \\_z\n\n"), "{out}");
        assert!(out.contains("\n\n㉑ 标题 21"), "circled beyond ⑳: {out}");
        assert!(out.contains("**🐿️项目&资源**\n\n① uv：包管理器\n\n订阅后"));
        assert!(!out.contains("旧文"), "uncounted sections are left out");

        let back = parse(&out);
        assert_eq!(back.kind, DocKind::Teaser);
        let titles: Vec<String> = back.entries().map(|(_, e)| e.plain_title()).collect();
        let expected: Vec<String> = doc
            .entries()
            .filter(|(s, _)| catalogue.is_counted(&s.key))
            .map(|(_, e)| crate::titles::title_plain(e))
            .collect();
        assert_eq!(titles, expected);
        // Rendering the teaser of a teaser gives the same text.
        assert_eq!(teaser(&back, "周刊#9：主题", &catalogue, &texts), out);
    }

    #[test]
    fn bullet_entries_stay_a_list_under_their_sections_heading() {
        use crate::test_support::{GEARS, bullets_catalogue, parse_with};
        let catalogue = bullets_catalogue(Vec::new());
        let doc = parse_with(GEARS, &catalogue);
        let out = teaser(&doc, "Gears Weekly 7", &catalogue, &TeaserTexts::default());
        assert_eq!(
            out,
            "# Gears Weekly 7\n\n**Community News**\n\n\
             - Release notes for the new gear\n\
             - Oiling <gears> & you by Ann\n\
             - [video] Turning gears, a talk\n\n\
             **Merged This Week**\n\n- faster teeth\n"
        );
    }

    #[test]
    fn bullet_entries_are_numbered_on_where_circled_numbers_are_read() {
        use crate::test_support::{GEARS, bullets_catalogue, parse_with};
        let catalogue = bullets_catalogue(vec![weekly_model::Numbering::Circled]);
        let doc = parse_with(GEARS, &catalogue);
        let out = teaser(&doc, "Gears Weekly 7", &catalogue, &TeaserTexts::default());
        assert!(
            out.contains("**Community News**\n\n① Release notes for the new gear\n\n② Oiling"),
            "{out}"
        );
        assert!(
            out.contains(
                "\n\n③ [video] Turning gears, a talk\n\n**Merged This Week**\n\n① faster teeth\n"
            ),
            "{out}"
        );
        let back = parse_with(&out, &catalogue);
        assert_eq!(back.kind, DocKind::Teaser);
        let titles: Vec<String> = back.entries().map(|(_, e)| e.plain_title()).collect();
        assert_eq!(titles.len(), 4, "{titles:?}");
        assert_eq!(titles[3], "faster teeth");
    }
}
