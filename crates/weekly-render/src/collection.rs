//! The season collection: every issue of a season in one file, one `##` part per issue (linked
//! to its page, with its date) holding all of the issue — the paragraphs before its first
//! section, every section under `###` (counted or not, essays and unnamed lists too) with
//! its categories under `####` and `#####`, and the paragraphs after the last — as a season
//! [`Document`] so that it is written, parsed and checked like any other file.

use crate::markdown;
use weekly_model::{
    Block, Catalogue, DocKind, Document, Entry, FrontMatter, Header, Heading, HeadingStyle, Lang,
    LineEnding, Part, Section,
};

/// One issue of the collection.
#[derive(Debug, Clone, Copy)]
pub struct CollectedIssue<'a> {
    /// Issue number.
    pub number: u32,
    /// Publication date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The issue's theme (may be empty).
    pub theme: &'a str,
    /// Its public page.
    pub url: &'a str,
    /// The edition whose sections are collected.
    pub document: &'a Document,
}

/// What heads the collection.
#[derive(Debug, Clone)]
pub struct CollectionHead<'a> {
    /// Title (front matter `title`).
    pub title: &'a str,
    /// Date of the collection (front matter `pubDate`).
    pub date: &'a str,
    /// Author, when configured.
    pub author: Option<&'a str>,
    /// Paragraphs before the first issue.
    pub intro: &'a [String],
}

/// The collection of `issues` (in order) in `lang`: all of each issue's text, each section
/// under the name the issue gives it.
pub fn collection(
    head: &CollectionHead<'_>,
    issues: &[CollectedIssue<'_>],
    catalogue: &Catalogue,
    lang: &Lang,
) -> String {
    let parts = issues
        .iter()
        .map(|issue| Part {
            heading: Heading {
                style: HeadingStyle::Atx(2),
                text: format!(
                    "[{}]({})",
                    weekly_model::inline::escape_link_text(&issue_heading(
                        issue.number,
                        issue.theme,
                        lang
                    )),
                    weekly_model::inline::escape_link_url(issue.url)
                ),
                source: None,
                line: 0,
            },
            intro: std::iter::once(Block::new(if lang.is_cjk() {
                format!("发布时间：{}", issue.date)
            } else {
                format!("Published {}", issue.date)
            }))
            .chain(canonical(&issue.document.preamble))
            .collect(),
            sections: {
                let mut sections: Vec<Section> = issue
                    .document
                    .all_sections()
                    .map(|s| section(s, catalogue))
                    .collect();
                // The closing paragraphs, after the last section and under no heading.
                if !issue.document.postamble.is_empty() {
                    sections.push(Section {
                        key: weekly_model::SectionKey::other(),
                        category: false,
                        heading: Heading {
                            style: HeadingStyle::Implicit,
                            text: String::new(),
                            source: None,
                            line: 0,
                        },
                        intro: canonical(&issue.document.postamble),
                        entries: Vec::new(),
                    });
                }
                sections
            },
        })
        .collect();
    let document = Document {
        kind: DocKind::Collection,
        lang: lang.clone(),
        line_ending: LineEnding::Lf,
        leading: String::new(),
        header: Some(Header::FrontMatter(FrontMatter {
            style: weekly_model::document::FrontMatterStyle::Yaml,
            title: Some(head.title.to_owned()),
            pub_date: Some(head.date.to_owned()),
            author: head.author.map(str::to_owned),
            description: None,
            other_lines: String::new(),
            source: None,
        })),
        preamble: head.intro.iter().map(Block::new).collect(),
        sections: Vec::new(),
        parts,
        postamble: Vec::new(),
    };
    markdown::render(&document)
}

/// An issue named by its number and theme, as the season's files head it: `第31期：主题`,
/// `第31号：テーマ` in Japanese, `#31: Theme`, or the number alone without a theme.
pub fn issue_heading(number: u32, theme: &str, lang: &Lang) -> String {
    let theme = theme.trim();
    // Japanese numbers an issue `第N号`.
    if lang.as_str() == "ja" {
        return if theme.is_empty() {
            format!("第{number}号")
        } else {
            format!("第{number}号：{theme}")
        };
    }
    match (lang.is_cjk(), theme.is_empty()) {
        (true, true) => format!("第{number}期"),
        (true, false) => format!("第{number}期：{theme}"),
        (false, true) => format!("#{number}"),
        (false, false) => format!("#{number}: {theme}"),
    }
}

/// A section one level down (`###`; a category `####`, one of the next category level
/// `#####`), under the name the issue gives it, without a link wrapper; a section the issue
/// writes without a heading stays without one.
fn section(s: &Section, catalogue: &Catalogue) -> Section {
    let text = s.heading.plain();
    let style = match s.heading.style {
        _ if text.is_empty() => HeadingStyle::Implicit,
        _ if !s.category => HeadingStyle::Atx(3),
        HeadingStyle::Atx(level) => {
            let mut levels = catalogue.format.levels.categories.clone();
            levels.sort_unstable();
            let rank = levels.iter().position(|l| *l == level).unwrap_or(0);
            HeadingStyle::Atx((4 + rank).min(6) as u8)
        }
        _ => HeadingStyle::Atx(4),
    };
    Section {
        key: s.key.clone(),
        category: s.category,
        heading: Heading {
            style,
            text,
            source: None,
            line: 0,
        },
        // Written in the canonical form: text kept verbatim from another file may lack the
        // blank line the next part's heading needs (the last entry of a file).
        intro: canonical(&s.intro),
        entries: s
            .entries
            .iter()
            .map(|e| Entry {
                source: None,
                body: canonical(&e.body),
                ..e.clone()
            })
            .collect(),
    }
}

/// Blocks without their source text (written in the canonical form).
fn canonical(blocks: &[Block]) -> Vec<Block> {
    blocks
        .iter()
        .map(|b| Block {
            source: None,
            ..b.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::parse_as;

    const ISSUE: &str = "---\ntitle: 'Python 潮流周刊#31：测试'\npubDate: 2023-12-16\n---\n\n你好。\n\n## [🦄文章&教程](https://example.org/a)\n\n1、[一篇文章](https://example.org/1)\n\n说明文字。\n\n2、[另一篇](https://example.org/2)\n\n## [🐿️项目&资源](https://example.org/p)\n\n1、[proj](https://github.com/o/proj)\n\n一个项目。\n\n## [🐧往年回顾](https://example.org/h)\n\n1、[旧的一期](https://example.org/old)\n";

    #[test]
    fn a_collection_has_one_part_per_issue_and_parses_back() {
        let zh = Lang::new("zh").unwrap();
        let catalogue = Catalogue::python_weekly();
        let doc = parse_as(ISSUE, &zh);
        // The first issue's file ends right after its last entry, with no line break.
        let unterminated = parse_as(ISSUE[..ISSUE.find("## [🐧").unwrap()].trim_end(), &zh);
        let issues = [
            CollectedIssue {
                number: 31,
                date: "2023-12-16",
                theme: "测试",
                url: "https://w.example/zh/31/",
                document: &unterminated,
            },
            CollectedIssue {
                number: 32,
                date: "2023-12-23",
                theme: "",
                url: "https://w.example/zh/32/",
                document: &doc,
            },
        ];
        let intro = ["第 2 季的合集。".to_owned()];
        let head = CollectionHead {
            title: "合集 'x'",
            date: "2023-12-23",
            author: Some("猫"),
            intro: &intro,
        };
        let text = collection(&head, &issues, &catalogue, &zh);
        assert!(text.starts_with("---\n"), "{text}");
        assert!(
            text.contains("## [第31期：测试](https://w.example/zh/31/)\n\n发布时间：2023-12-16\n\n你好。\n\n### 🦄文章&教程\n\n1、[一篇文章](https://example.org/1)"),
            "{text}"
        );
        assert!(
            text.contains("## [第32期](https://w.example/zh/32/)"),
            "{text}"
        );
        // The look back is not a counted section: it is kept all the same.
        assert!(
            text.contains("### 🐧往年回顾\n\n1、[旧的一期](https://example.org/old)"),
            "{text}"
        );
        let parsed = weekly_parse::parse_document(
            &text,
            &weekly_parse::ParseOptions {
                file: "season.md",
                lang: &zh,
                catalogue: &catalogue,
            },
        );
        let errors: Vec<_> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == weekly_model::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let back = parsed.document;
        assert_eq!(back.kind, DocKind::Collection);
        assert_eq!(back.title(), Some("合集 'x'"));
        assert_eq!(back.parts.len(), 2);
        assert_eq!(back.parts[0].issue_number(), Some(31));
        let entries: usize = back.parts[1].sections.iter().map(|s| s.entries.len()).sum();
        assert_eq!(entries, 4);
    }

    #[test]
    fn categories_essays_unnamed_lists_and_closing_words_are_kept() {
        let en = Lang::en();
        let mut catalogue = Catalogue::python_weekly();
        catalogue.format.levels = weekly_model::format::Levels {
            sections: vec![1, 2],
            categories: vec![3, 4],
        };
        catalogue.format.bullets = true;
        catalogue.format.numbering = Vec::new();
        catalogue.format.essays = vec!["Musing*".into()];
        let text = "Hi there, a greeting.\n\n* [Loose link](https://l.example/1)\n\n## News\n\n### Official\n\n* [Release](https://r.example/1)\n\n#### Deep\n\n* [Deeper](https://d.example/1)\n\n## Musings\n\nAn essay paragraph.\n\n* not an entry, no link\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n> A quote.\n";
        let doc = weekly_parse::parse_document(
            text,
            &weekly_parse::ParseOptions {
                file: "1.md",
                lang: &en,
                catalogue: &catalogue,
            },
        )
        .document;
        let mut doc = doc;
        doc.postamble = vec![Block::new("Goodbye words.")];
        let issues = [CollectedIssue {
            number: 1,
            date: "2024-01-01",
            theme: "",
            url: "https://w.example/en/1/",
            document: &doc,
        }];
        let head = CollectionHead {
            title: "All",
            date: "2024-01-01",
            author: None,
            intro: &[],
        };
        let out = collection(&head, &issues, &catalogue, &en);
        let expected = "## [#1](https://w.example/en/1/)\n\nPublished 2024-01-01\n\nHi there, a greeting.\n\n* [Loose link](https://l.example/1)\n\n### News\n\n#### Official\n\n* [Release](https://r.example/1)\n\n##### Deep\n\n* [Deeper](https://d.example/1)\n\n### Musings\n\nAn essay paragraph.\n\n* not an entry, no link\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n> A quote.\n\nGoodbye words.\n";
        assert!(out.ends_with(expected), "{out}");
    }
}
