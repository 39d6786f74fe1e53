//! Puts translated units back into the structure of the source: the translated edition has
//! the source's sections, numbers, code and links by construction; only texts change. The
//! title is `{name} #{number}: {theme}` with our number, headings come from the catalogue and
//! the description line is written from the counts.

use crate::unit::{UnitKind, segments, units};
use std::collections::BTreeMap;
use weekly_model::{Block, Catalogue, Counts, Document, Header, Lang, TitleParts};
use weekly_render::describe::description;
use weekly_render::split::heading_in;

/// What the assembly needs besides the source and the texts.
#[derive(Debug, Clone, Copy)]
pub struct Assembly<'a> {
    /// Section names per language.
    pub catalogue: &'a Catalogue,
    /// The language of the result.
    pub target: &'a Lang,
    /// The newsletter's name in that language.
    pub name: &'a str,
}

/// The title in the target language, in that language's house style: `Name #12: Theme`, or
/// `名称#12：主题` for CJK languages.
pub fn title(source_title: &str, theme: &str, name: &str, target: &Lang) -> String {
    let parts = TitleParts::parse(source_title);
    let (hash, colon) = if target.is_cjk() {
        ("#", "：")
    } else {
        (" #", ": ")
    };
    match (parts.number, theme.trim().is_empty()) {
        (Some(n), false) => format!("{name}{hash}{n}{colon}{}", theme.trim()),
        (Some(n), true) => format!("{name}{hash}{n}"),
        (None, _) => theme.trim().to_owned(),
    }
}

/// The edition of `source` in `options.target`, with `texts` (unit id → final text) in place
/// of the units' source texts. A unit missing from `texts` keeps its source text.
pub fn assemble(
    source: &Document,
    texts: &BTreeMap<String, String>,
    options: &Assembly<'_>,
) -> Document {
    let mut out = source.clone();
    out.lang = options.target.clone();
    let counts = Counts::of(source, options.catalogue);
    let described = description(options.target, &counts, options.catalogue, None);
    let ids: Vec<(String, UnitKind)> = units(source).into_iter().map(|u| (u.id, u.kind)).collect();
    let text = |id: &str| texts.get(id).cloned();

    let theme = text("title");
    match &mut out.header {
        Some(Header::FrontMatter(fm)) => {
            if let (Some(t), Some(theme)) = (&fm.title, &theme) {
                fm.title = Some(title(t, theme, options.name, options.target));
            }
            if fm.description.is_some() {
                fm.description = Some(described.clone());
            }
        }
        Some(Header::H1(h)) => {
            if let Some(theme) = &theme {
                h.text = title(&h.text, theme, options.name, options.target);
            }
        }
        None => {}
    }
    let description_line = weekly_parse::description::find(source)
        .filter(|d| d.line > 0)
        .map(|d| d.line);
    for (i, block) in out.preamble.iter_mut().enumerate() {
        if Some(block.line) == description_line {
            block.text.clone_from(&described);
        } else if let Some(t) = text(&format!("preamble/{i}")) {
            block.text = t;
        }
    }
    let mut entry_ids = ids
        .iter()
        .filter(|(_, kind)| *kind == UnitKind::Entry)
        .map(|(id, _)| id.clone());
    for (s, section) in out.sections.iter_mut().enumerate() {
        if section.key.is_other() {
            if let Some(t) = text(&format!("heading/{s}")) {
                section.heading.text = t;
            }
        } else if let Some(t) = heading_in(
            &section.heading,
            &section.key,
            options.catalogue,
            options.target,
        ) {
            section.heading.text = t;
        }
        for (i, block) in section.intro.iter_mut().enumerate() {
            if let Some(t) = text(&format!("intro/{s}/{i}")) {
                block.text = t;
            }
        }
        for entry in &mut section.entries {
            let Some(id) = entry_ids.next() else { break };
            let Some(t) = text(&id) else { continue };
            let mut parts = segments(&t).into_iter();
            entry.title = parts.next().unwrap_or_default().replace('\n', " ");
            let rest: Vec<String> = parts.collect();
            entry.body = regroup(&entry.body, rest);
        }
    }
    for (i, block) in out.postamble.iter_mut().enumerate() {
        if let Some(t) = text(&format!("postamble/{i}")) {
            block.text = t;
        }
    }
    out
}

/// Gives each body block as many translated paragraphs as it had source paragraphs; the last
/// block takes any surplus.
fn regroup(body: &[Block], paragraphs: Vec<String>) -> Vec<Block> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = paragraphs.into_iter().peekable();
    for (i, block) in body.iter().enumerate() {
        let want = if i + 1 == body.len() {
            usize::MAX
        } else {
            segments(&block.text).len()
        };
        let taken: Vec<String> = rest.by_ref().take(want).collect();
        let mut new = block.clone();
        new.text = taken.join("\n\n");
        out.push(new);
    }
    let surplus: Vec<String> = rest.collect();
    if !surplus.is_empty() {
        out.push(Block::new(surplus.join("\n\n")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::parse;
    use weekly_render::markdown::render;

    #[test]
    fn the_translation_has_the_source_structure() {
        let source = parse(
            "---\ntitle: 'Python 潮流周刊#9：异步的未来'\ndescription: '本期分享了 1 篇文章'\npubDate: 2026-01-03\n---\n\n你好。\n\n## [🦄文章&教程](https://w.org)\n\n1、[装饰器](https://a.org/x)\n\n第一段。\n\n```\n# 代码\n\nx\n```\n\n最后。\n",
            &Lang::zh(),
        );
        let texts: BTreeMap<String, String> = [
            ("title", "The Future of Async"),
            ("preamble/0", "Hello."),
            (
                "entry/articles/https://a.org/x",
                "[Decorators](https://a.org/x)\n\nFirst paragraph.\n\n```\n# 代码\n\nx\n```\n\nLast.",
            ),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        let catalogue = Catalogue::python_weekly();
        let out = assemble(
            &source,
            &texts,
            &Assembly {
                catalogue: &catalogue,
                target: &Lang::en(),
                name: "Python Trending Weekly",
            },
        );
        let text = render(&out);
        assert!(
            text.contains("title: 'Python Trending Weekly #9: The Future of Async'"),
            "{text}"
        );
        assert!(
            text.contains("description: 'This issue shares 1 article.'"),
            "{text}"
        );
        assert!(
            text.contains("## [🦄Articles & Tutorials](https://w.org)"),
            "{text}"
        );
        assert!(
            text.contains("1、[Decorators](https://a.org/x)\n\nFirst paragraph.\n\n```\n# 代码\n\nx\n```\n\nLast.\n"),
            "{text}"
        );
        let back = parse(&text, &Lang::en());
        assert_eq!(
            back.sections[0].entries[0].body.len(),
            source.sections[0].entries[0].body.len()
        );
    }

    #[test]
    fn titles_use_our_number() {
        let en = Lang::en();
        assert_eq!(
            title(
                "Python 潮流周刊#94：主题",
                "Theme",
                "Python Trending Weekly",
                &en
            ),
            "Python Trending Weekly #94: Theme"
        );
        assert_eq!(title("随笔", "Essay", "X", &en), "Essay");
        assert_eq!(
            title(
                "Python Trending Weekly #93: Theme",
                "主题",
                "Python 潮流周刊",
                &Lang::zh()
            ),
            "Python 潮流周刊#93：主题"
        );
    }
}
