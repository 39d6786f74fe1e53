//! The units of an edition: the pieces that are translated one request at a time (the title's
//! theme, each preamble paragraph, each entry with its body…), with ids that stay the same in
//! the source and in its translation.

use std::collections::BTreeMap;
use weekly_model::lang::han_count;
use weekly_model::{Document, Lang, TitleParts, inline};

/// What a unit is; decides how its translation is checked and put back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    /// The theme of the issue title (the brand and number are ours, never the model's).
    Theme,
    /// A paragraph, list or code block before the first section.
    Preamble,
    /// The heading of a section the catalogue does not know.
    Heading,
    /// A paragraph under a section heading before its first entry.
    Intro,
    /// A numbered entry: the title line, a blank line, then the body blocks.
    Entry,
    /// A paragraph after the last section.
    Postamble,
}

/// One unit of Markdown, as sent to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Stable id: the same in the source and its translation (`entry/articles/https://…`).
    pub id: String,
    /// What the unit is.
    pub kind: UnitKind,
    /// The Markdown text.
    pub text: String,
    /// 1-based line in the file (0 when unknown).
    pub line: u32,
    /// For people: `entry 3 of 🦄文章&教程`.
    pub label: String,
}

/// Cuts Markdown into paragraphs at blank lines, never inside a fenced code block.
pub fn segments(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match fence {
            Some(marker) if trimmed.starts_with(marker) => fence = None,
            None if trimmed.starts_with("```") => fence = Some("```"),
            None if trimmed.starts_with("~~~") => fence = Some("~~~"),
            None if line.trim().is_empty() => {
                if !current.is_empty() {
                    out.push(current.join("\n"));
                    current.clear();
                }
                continue;
            }
            Some(_) | None => {}
        }
        current.push(line);
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

/// Whether `text` holds words of `source` language that a reader of another language needs
/// translated: Han characters for CJK sources, letters outside links, URLs and code otherwise.
pub fn needs_translation(text: &str, source: &Lang) -> bool {
    let prose = prose_only(text);
    if source.is_cjk() {
        han_count(&prose) > 0
    } else {
        prose.chars().any(char::is_alphabetic)
    }
}

/// The text without URLs, inline code and fenced code: what a translator reads.
pub fn prose_only(text: &str) -> String {
    let mut out = String::new();
    for segment in segments(text) {
        if segment.trim_start().starts_with("```") || segment.trim_start().starts_with("~~~") {
            continue;
        }
        let plain = inline::plain_text(&segment);
        let mut in_code = false;
        for word in plain.split_inclusive(char::is_whitespace) {
            if word.starts_with("http://") || word.starts_with("https://") {
                continue;
            }
            for c in word.chars() {
                if c == '`' {
                    in_code = !in_code;
                } else if !in_code {
                    out.push(c);
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The theme of a title, or `None` when the title has no number (then the whole title is the
/// theme).
fn theme_of(title: &str) -> String {
    let parts = TitleParts::parse(title);
    if parts.number.is_some() {
        parts.theme
    } else {
        title.trim().to_owned()
    }
}

/// Every unit of `document`, in file order. The description line is not a unit: it is
/// written from the counts.
pub fn units(document: &Document) -> Vec<Unit> {
    let mut out = Vec::new();
    if let Some(title) = document.title() {
        let theme = theme_of(title);
        if !theme.is_empty() {
            out.push(Unit {
                id: "title".into(),
                kind: UnitKind::Theme,
                text: theme,
                line: 1,
                label: "the title".into(),
            });
        }
    }
    let description_line = weekly_parse::description::find(document)
        .filter(|d| d.line > 0)
        .map(|d| d.line);
    for (i, block) in document.preamble.iter().enumerate() {
        if Some(block.line) == description_line {
            continue;
        }
        out.push(Unit {
            id: format!("preamble/{i}"),
            kind: UnitKind::Preamble,
            text: block.text.clone(),
            line: block.line,
            label: format!("preamble paragraph {}", i + 1),
        });
    }
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for (s, section) in document.sections.iter().enumerate() {
        let name = section.heading.plain();
        if section.key.is_other() {
            out.push(Unit {
                id: format!("heading/{s}"),
                kind: UnitKind::Heading,
                text: section.heading.text.clone(),
                line: section.heading.line,
                label: format!("the heading `{name}`"),
            });
        }
        for (i, block) in section.intro.iter().enumerate() {
            out.push(Unit {
                id: format!("intro/{s}/{i}"),
                kind: UnitKind::Intro,
                text: block.text.clone(),
                line: block.line,
                label: format!("paragraph {} under `{name}`", i + 1),
            });
        }
        for entry in &section.entries {
            let base = match entry.url() {
                Some(url) => format!("entry/{}/{url}", section.key.as_str()),
                None => format!("entry/{}/#{}", section.key.as_str(), entry.number),
            };
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 { base } else { format!("{base}~{n}") };
            out.push(Unit {
                id,
                kind: UnitKind::Entry,
                text: entry_text(&entry.title, entry.body.iter().map(|b| b.text.as_str())),
                line: entry.line,
                label: format!("entry {} of `{name}`", entry.number),
            });
        }
    }
    for (i, block) in document.postamble.iter().enumerate() {
        out.push(Unit {
            id: format!("postamble/{i}"),
            kind: UnitKind::Postamble,
            text: block.text.clone(),
            line: block.line,
            label: format!("closing paragraph {}", i + 1),
        });
    }
    out
}

/// An entry as one Markdown unit: title line, blank line, body blocks.
pub fn entry_text<'a>(title: &str, body: impl Iterator<Item = &'a str>) -> String {
    let mut text = title.trim().to_owned();
    for block in body {
        text.push_str("\n\n");
        text.push_str(block);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::parse;

    const ISSUE: &str = "---\ntitle: 'Python 潮流周刊#9：异步的未来'\ndescription: '本周分享了 2 篇文章'\npubDate: 2026-01-03\n---\n\n你好，欢迎阅读。\n\n## 🦄文章&教程\n\n1、[装饰器指南](https://a.org/x)\n\n一篇文章。\n\n```python\n# 不是标题\n\nprint(1)\n```\n\n2、[无链接的重复](https://a.org/x)\n\n## 🎁 杂项\n\n随便说说。\n";

    #[test]
    fn units_have_stable_ids_and_keep_code_blocks_whole() {
        let units = units(&parse(ISSUE, &Lang::zh()));
        let ids: Vec<&str> = units.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "title",
                "preamble/0",
                "entry/articles/https://a.org/x",
                "entry/articles/https://a.org/x~2",
                "heading/1",
                "intro/1/0"
            ]
        );
        assert_eq!(units[0].text, "异步的未来");
        let entry = &units[2];
        assert_eq!(segments(&entry.text).len(), 3, "{}", entry.text);
        assert!(
            entry
                .text
                .starts_with("[装饰器指南](https://a.org/x)\n\n一篇文章。")
        );
    }

    #[test]
    fn prose_leaves_out_urls_and_code() {
        assert!(!needs_translation(
            "[`uv`](https://例子.org) `代码`",
            &Lang::zh()
        ));
        assert!(needs_translation("[中文](https://a.org)", &Lang::zh()));
        assert!(needs_translation("plain words", &Lang::en()));
        assert!(!needs_translation("```\ncode\n```", &Lang::en()));
    }
}
