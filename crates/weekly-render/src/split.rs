//! The bilingual draft split: a draft written as `中文---English` becomes one edition per
//! language. The draft itself is never changed; nodes without a `---` half come out byte for
//! byte, so splitting an already split edition gives it back unchanged.
//!
//! What is split, always at the first `---`:
//! - the title (front matter `title` or H1): `周刊#12：中文主题---English Theme`; the other
//!   language's title is `{brand} #12: English Theme` unless the English half is a whole title;
//! - the description (front matter or the preamble line); without an English half it is written
//!   from the counts;
//! - the text of every link in entry titles and paragraphs (URLs are never touched);
//! - section headings: a `---` heading is split like a link; other known headings take the
//!   catalogue name of the other language, keeping emoji and link.

use crate::describe::description;
use weekly_model::catalogue::split_emoji;
use weekly_model::inline::{self, map_link_texts};
use weekly_model::{
    Block, Catalogue, Counts, Document, Entry, Header, Heading, Lang, Section, TitleParts,
};
use weekly_parse::description as find_description;

/// What the split needs besides the draft.
#[derive(Debug, Clone, Copy)]
pub struct SplitOptions<'a> {
    /// Section names per language.
    pub catalogue: &'a Catalogue,
    /// The language after `---`.
    pub other: &'a Lang,
    /// The newsletter's name in that language (`Python Trending Weekly`).
    pub other_brand: &'a str,
}

/// A place where the draft has no text for the other language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// 1-based line in the draft (0 for the front matter).
    pub line: u32,
    /// What lacks its other half.
    pub what: String,
}

/// The result of a split.
#[derive(Debug, Clone)]
pub struct Split {
    /// The draft's own language: everything before `---`.
    pub primary: Document,
    /// The other language: everything after `---`.
    pub other: Document,
    /// Places left in the draft's language in `other`.
    pub missing: Vec<Missing>,
}

/// Which half of a `a---b` text to keep.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Half {
    First,
    Second,
}

fn halves(text: &str) -> Option<(&str, &str)> {
    text.split_once("---").map(|(a, b)| (a.trim(), b.trim()))
}

/// Keeps one half of every link text holding `---`. `None` when there is nothing to split.
/// For the second half, an empty English half keeps the first and is reported via `missing`.
fn split_links(text: &str, half: Half, missing: &mut bool) -> Option<String> {
    if !inline::links(text).iter().any(|l| l.text.contains("---")) {
        return None;
    }
    Some(map_link_texts(text, |link| {
        let (a, b) = halves(&link.text)?;
        Some(match half {
            Half::First => a.to_owned(),
            Half::Second if b.is_empty() => {
                *missing = true;
                a.to_owned()
            }
            Half::Second => b.to_owned(),
        })
    }))
}

/// Splits `draft` into its primary-language and other-language editions.
pub fn split(draft: &Document, options: &SplitOptions<'_>) -> Split {
    let mut primary = draft.clone();
    let mut other = draft.clone();
    other.lang = options.other.clone();
    let mut missing = Vec::new();
    let counts = Counts::of(draft, options.catalogue);
    let synthesized = description(options.other, &counts, options.catalogue, None);

    // Title and front-matter description.
    match (&mut primary.header, &mut other.header) {
        (Some(Header::FrontMatter(p)), Some(Header::FrontMatter(o))) => {
            if let Some(title) = &p.title {
                let (first, second) = split_title(title, options.other_brand, &mut missing);
                p.title = Some(first);
                o.title = Some(second);
            }
            if let Some(desc) = p.description.clone() {
                match halves(&desc) {
                    Some((a, b)) => {
                        p.description = Some(a.to_owned());
                        o.description = Some(if b.is_empty() {
                            synthesized.clone()
                        } else {
                            b.to_owned()
                        });
                    }
                    None => o.description = Some(synthesized.clone()),
                }
            }
        }
        (Some(Header::H1(p)), Some(Header::H1(o))) => {
            let (first, second) = split_title(&p.text, options.other_brand, &mut missing);
            if first != p.text {
                p.text = first;
            }
            o.text = second;
        }
        _ => {}
    }

    // The description line in the preamble.
    let desc_line = find_description::find(draft)
        .filter(|d| d.line > 0)
        .map(|d| d.line);
    for (p, o) in primary.preamble.iter_mut().zip(other.preamble.iter_mut()) {
        if Some(p.line) == desc_line {
            let text = p.text.clone();
            match halves(&text) {
                Some((a, b)) => {
                    a.clone_into(&mut p.text);
                    o.text = if b.is_empty() {
                        synthesized.clone()
                    } else {
                        b.to_owned()
                    };
                }
                None => o.text.clone_from(&synthesized),
            }
        } else {
            split_block(p, o, &mut missing);
        }
    }

    for (p, o) in primary.sections.iter_mut().zip(other.sections.iter_mut()) {
        split_section(p, o, options, &mut missing);
    }
    for (pp, op) in primary.parts.iter_mut().zip(other.parts.iter_mut()) {
        for (p, o) in pp.sections.iter_mut().zip(op.sections.iter_mut()) {
            split_section(p, o, options, &mut missing);
        }
    }
    for (p, o) in primary.postamble.iter_mut().zip(other.postamble.iter_mut()) {
        split_block(p, o, &mut missing);
    }
    Split {
        primary,
        other,
        missing,
    }
}

fn split_title(title: &str, other_brand: &str, missing: &mut Vec<Missing>) -> (String, String) {
    let (first, second) = match halves(title) {
        Some((a, b)) => (a.to_owned(), b.to_owned()),
        None => (title.to_owned(), String::new()),
    };
    let parts = TitleParts::parse(&first);
    let whole_title = TitleParts::parse(&second).number.is_some();
    let other = if whole_title {
        second
    } else {
        let theme = if second.is_empty() {
            missing.push(Missing {
                line: 0,
                what: "the title has no English half".into(),
            });
            parts.theme.clone()
        } else {
            second
        };
        match (parts.number, theme.is_empty()) {
            (Some(n), false) => format!("{other_brand} #{n}: {theme}"),
            (Some(n), true) => format!("{other_brand} #{n}"),
            (None, false) => format!("{other_brand}: {theme}"),
            (None, true) => other_brand.to_owned(),
        }
    };
    (first, other)
}

/// Where a paragraph's own `---` is (one outside link texts, URLs and code): the split between
/// a description's two halves (`中文描述---English description`). A line of only dashes is a
/// rule, and code is code: neither is split.
fn paragraph_split(text: &str) -> Option<usize> {
    let first = text.trim_start();
    if first.starts_with("```") || first.starts_with("~~~") || first.starts_with("    ") {
        return None;
    }
    let bytes = text.as_bytes();
    let (mut brackets, mut parens, mut code) = (0usize, 0usize, false);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => code = !code,
            b'\\' => i += 1,
            b'[' if !code => brackets += 1,
            b']' if !code => brackets = brackets.saturating_sub(1),
            b'(' if !code && i > 0 && bytes[i - 1] == b']' => parens += 1,
            b'(' if !code && parens > 0 => parens += 1,
            b')' if !code && parens > 0 => parens -= 1,
            b'-' if !code && brackets == 0 && parens == 0 && text[i..].starts_with("---") => {
                let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
                let line_end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                if text[line_start..line_end].trim().chars().all(|c| c == '-') {
                    return None;
                }
                return Some(i);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn split_block(p: &mut Block, o: &mut Block, missing: &mut Vec<Missing>) {
    let mut lacks = false;
    // A paragraph written `中文---English`: each language keeps its half.
    if let Some(at) = paragraph_split(&p.text) {
        let (first, second) = (p.text[..at].trim_end(), p.text[at + 3..].trim_start());
        let (first, second) = (first.to_owned(), second.to_owned());
        let keep = |text: &str, half: Half, lacks: &mut bool| {
            split_links(text, half, lacks).unwrap_or_else(|| text.to_owned())
        };
        p.text = keep(&first, Half::First, &mut lacks);
        if second.is_empty() {
            missing.push(Missing {
                line: p.line,
                what: "a paragraph has no English half after `---`".into(),
            });
            o.text.clone_from(&p.text);
        } else {
            o.text = keep(&second, Half::Second, &mut lacks);
        }
    } else if let Some(first) = split_links(&p.text, Half::First, &mut lacks) {
        o.text = split_links(&p.text, Half::Second, &mut lacks).unwrap_or_default();
        p.text = first;
    }
    if lacks {
        missing.push(Missing {
            line: p.line,
            what: "a link has no English half".into(),
        });
    }
}

fn split_section(
    p: &mut Section,
    o: &mut Section,
    options: &SplitOptions<'_>,
    missing: &mut Vec<Missing>,
) {
    split_heading(&mut p.heading, &mut o.heading, &p.key, options);
    for (pb, ob) in p.intro.iter_mut().zip(o.intro.iter_mut()) {
        split_block(pb, ob, missing);
    }
    for (pe, oe) in p.entries.iter_mut().zip(o.entries.iter_mut()) {
        split_entry(pe, oe, &p.heading, missing);
    }
}

fn split_entry(p: &mut Entry, o: &mut Entry, heading: &Heading, missing: &mut Vec<Missing>) {
    let mut lacks = false;
    if let Some(first) = split_links(&p.title, Half::First, &mut lacks) {
        o.title = split_links(&p.title, Half::Second, &mut lacks).unwrap_or_default();
        p.title = first;
    } else if !p.links().is_empty() {
        lacks = true;
    }
    if lacks {
        missing.push(Missing {
            line: p.line,
            what: format!(
                "entry {} of `{}` has no English title",
                p.number,
                heading.plain()
            ),
        });
    }
    for (pb, ob) in p.body.iter_mut().zip(o.body.iter_mut()) {
        split_block(pb, ob, missing);
    }
}

fn split_heading(
    p: &mut Heading,
    o: &mut Heading,
    key: &weekly_model::SectionKey,
    options: &SplitOptions<'_>,
) {
    let mut lacks = false;
    if let Some(first) = split_links(&p.text, Half::First, &mut lacks) {
        o.text = split_links(&p.text, Half::Second, &mut lacks).unwrap_or_default();
        p.text = first;
        return;
    }
    if let Some((a, b)) = halves(&p.text) {
        let (a, b) = (a.to_owned(), b.to_owned());
        o.text = if b.is_empty() { a.clone() } else { b };
        p.text = a;
        return;
    }
    if let Some(text) = heading_in(p, key, options.catalogue, options.other) {
        o.text = text;
    }
}

/// A known section heading in another language: the catalogue's name for `lang`, keeping the
/// emoji and the link. `None` when the heading is unknown or already in that language.
pub fn heading_in(
    heading: &Heading,
    key: &weekly_model::SectionKey,
    catalogue: &Catalogue,
    lang: &Lang,
) -> Option<String> {
    let def = catalogue.get(key)?;
    let plain = heading.plain();
    let (emoji, name) = split_emoji(&plain);
    let target = def.name(lang);
    if name.is_empty() || name == target {
        return None;
    }
    Some(if heading.text.contains(name) {
        heading.text.replacen(name, target, 1)
    } else {
        let label = format!("{emoji}{target}");
        match heading.url() {
            Some(url) => format!(
                "[{}]({})",
                inline::escape_link_text(&label),
                inline::escape_link_url(&url)
            ),
            None => label,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render;

    use crate::test_support::parse_as as parse;

    fn run(text: &str) -> (String, String, Vec<Missing>) {
        let catalogue = Catalogue::python_weekly();
        let draft = parse(text, &Lang::zh());
        let out = split(
            &draft,
            &SplitOptions {
                catalogue: &catalogue,
                other: &Lang::en(),
                other_brand: "Python Trending Weekly",
            },
        );
        (render(&out.primary), render(&out.other), out.missing)
    }

    const DRAFT: &str = "---\ntitle: 'Python 潮流周刊#160：Python 的''未来''---Python''s Future: A\\Look'\ndescription: ''\npubDate: 2026-07-25\n---\n\n你好，我是猫哥。\n\n## [🦄文章&教程](https://weekly.example.org)\n\n1、[装饰器指南---A Guide to Decorators](https://x.org/a---b_(c))\n\n一篇介绍装饰器的文章。\n\n2、[没有英文](https://y.org)\n\n## 🐿️项目&资源\n\n1、[uv：极速包管理器---uv: a fast package manager](https://github.com/astral-sh/uv)（star 50K）\n";

    #[test]
    fn descriptions_written_in_both_languages_are_split() {
        let draft = "---\ntitle: '周刊#1：主题---Theme'\npubDate: 2026-07-25\n---\n\n## 🦄文章&教程\n\n1、[装饰器---Decorators](https://x.org/a---b)\n\n一篇介绍 [装饰器---decorators](https://d.org) 的文章---An article on decorators.\n\n```\na---b\n```\n\n2、[迭代器---Iterators](https://y.org)\n\n只有中文的描述。\n";
        let (zh, en, missing) = run(draft);
        assert!(
            zh.contains("一篇介绍 [装饰器](https://d.org) 的文章\n"),
            "{zh}"
        );
        assert!(en.contains("\nAn article on decorators.\n"), "{en}");
        assert!(
            !en.contains("一篇介绍") && !zh.contains("An article"),
            "{zh}\n{en}"
        );
        assert!(
            zh.contains("a---b") && en.contains("a---b"),
            "code is not split"
        );
        assert!(en.contains("https://x.org/a---b"), "URLs are not split");
        // A description without an English half is left for `translate` to fill, not flagged.
        assert!(en.contains("只有中文的描述。"), "{en}");
        assert!(
            missing.iter().all(|m| !m.what.contains("paragraph")),
            "{missing:?}"
        );
    }

    #[test]
    fn splits_title_links_headings_and_writes_a_description() {
        let (zh, en, missing) = run(DRAFT);
        assert!(
            zh.contains("title: 'Python 潮流周刊#160：Python 的''未来'''\n"),
            "{zh}"
        );
        assert!(
            zh.contains("1、[装饰器指南](https://x.org/a---b_(c))\n"),
            "{zh}"
        );
        assert!(zh.contains("## [🦄文章&教程](https://weekly.example.org)"));
        assert!(zh.contains("1、[uv：极速包管理器](https://github.com/astral-sh/uv)（star 50K）"));
        assert!(
            en.contains("title: 'Python Trending Weekly #160: Python''s Future: A\\Look'\n"),
            "{en}"
        );
        assert!(en.contains("1、[A Guide to Decorators](https://x.org/a---b_(c))\n"));
        assert!(en.contains("## [🦄Articles & Tutorials](https://weekly.example.org)"));
        assert!(en.contains("## 🐿️Projects & Resources"));
        assert!(en.contains("[uv: a fast package manager](https://github.com/astral-sh/uv)"));
        assert!(
            en.contains("description: 'This issue shares 2 articles and 1 open-source project.'"),
            "{en}"
        );
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(missing[0].what.contains("entry 2"), "{missing:?}");
    }

    #[test]
    fn titles_read_back_from_yaml() {
        let (_, en, _) = run(DRAFT);
        let doc = parse(&en, &Lang::en());
        assert_eq!(
            doc.title(),
            Some("Python Trending Weekly #160: Python's Future: A\\Look")
        );
    }

    #[test]
    fn splitting_an_edition_again_changes_nothing() {
        let (zh, _, _) = run(DRAFT);
        let (zh_again, _, _) = run(&zh);
        assert_eq!(zh_again, zh);
        // The draft itself is a value: splitting twice gives the same outputs.
        assert_eq!(run(DRAFT).1, run(DRAFT).1);
    }

    #[test]
    fn h1_draft_with_a_description_line() {
        let draft = "# 周刊#3：主题---Theme\n\n本期分享了 1 篇文章---We share 1 article.\n\n## 🦄文章&教程\n\n1、[甲---A](https://a.org)\n";
        let (zh, en, missing) = run(draft);
        assert!(
            zh.starts_with("# 周刊#3：主题\n\n本期分享了 1 篇文章\n"),
            "{zh}"
        );
        assert!(
            en.starts_with("# Python Trending Weekly #3: Theme\n\nWe share 1 article.\n"),
            "{en}"
        );
        assert!(missing.is_empty());
    }
}
