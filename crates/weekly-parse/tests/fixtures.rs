//! The parser on our own fixtures, one per format family (`fixtures/issues/`).

use weekly_model::{
    Catalogue, DocKind, Document, Header, HeadingStyle, Lang, LineEnding, NumberMarker, Severity,
};
use weekly_parse::{ParseOptions, Parsed, description, parse_document};

fn parse(name: &str, lang: &str) -> Parsed {
    let path = format!(
        "{}/../../fixtures/issues/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let catalogue = Catalogue::python_weekly();
    let lang = Lang::new(lang).unwrap();
    parse_document(
        &text,
        &ParseOptions {
            file: name,
            lang: &lang,
            catalogue: &catalogue,
        },
    )
}

fn keys(doc: &Document) -> Vec<(String, usize)> {
    doc.all_sections()
        .map(|s| (s.key.to_string(), s.entries.len()))
        .collect()
}

#[test]
fn era_a_plain_headings_and_irregular_entries() {
    let p = parse("era-a-plain.md", "zh");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let doc = &p.document;
    assert_eq!(doc.kind, DocKind::Full);
    let t = doc.title_parts().unwrap();
    assert_eq!(
        (t.brand.as_str(), t.number, t.theme.as_str()),
        ("Demo周刊", Some(3), "写给新手的异步指南")
    );
    assert_eq!(
        keys(doc),
        [
            ("articles".into(), 4),
            ("projects".into(), 2),
            ("sponsor".into(), 0)
        ]
    );

    let articles = &doc.sections[0].entries;
    // `3.14 版本…` is a paragraph of entry 1, not an entry.
    assert_eq!(articles[0].body.len(), 2);
    assert_eq!(articles[0].plain_title(), "[译] 异步编程入门");
    assert_eq!(articles[0].lang_tag(), Some("（英文）"));
    assert_eq!(
        articles[1].url().as_deref(),
        Some("https://en.example.org/wiki/Rust_(programming_language)")
    );
    assert_eq!(
        articles.iter().map(|e| e.number).collect::<Vec<_>>(),
        [1, 2, 2, 4]
    );
    // An unlinked entry with its links in a sub-list.
    assert!(articles[3].links().is_empty());
    assert_eq!(articles[3].body_links().len(), 2);

    let projects = &doc.sections[1];
    assert_eq!(projects.intro.len(), 1, "section intro before entry 1");
    assert_eq!(projects.entries[0].stars(), Some(2700));
    assert_eq!(projects.entries[0].images()[0].alt, "截图");
    assert_eq!(projects.entries[0].lang_tag(), Some("(英)"));
    let two = &projects.entries[1];
    assert_eq!(two.links().len(), 2);
    assert_eq!(two.plain_title(), "pybytes：字节工具");
    let attachment = &two.attachments()[0];
    assert_eq!(attachment.links[0].url, "https://blog.example.com/other");
    assert!(attachment.text.ends_with("以及（注）说明"));
    // The fenced block stays in the body; its `#` and `1、` lines are code.
    assert!(two.body.iter().any(|b| b.text.starts_with("```python")));
}

#[test]
fn crlf_link_headings_and_description() {
    let p = parse("era-c-crlf.md", "zh");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let doc = &p.document;
    assert_eq!(doc.line_ending, LineEnding::CrLf);
    assert_eq!(
        keys(doc),
        [
            ("articles".into(), 2),
            ("projects".into(), 1),
            ("past".into(), 0)
        ]
    );
    assert_eq!(
        doc.sections[0].heading.url().as_deref(),
        Some("https://weekly.example.org")
    );
    assert!(!doc.sections[0].heading.text.ends_with(' '));
    assert_eq!(
        doc.sections[0].entries[0].url().as_deref(),
        Some("https://a.example.com/x---y")
    );
    assert_eq!(doc.sections[1].entries[0].stars(), Some(15000));
    let d = description::find(doc).unwrap();
    assert_eq!(
        (d.counts.articles, d.counts.projects, d.counts.words),
        (Some(2), Some(1), Some(Some(2300)))
    );
    assert_eq!(d.line, 6);
    match &doc.header {
        Some(Header::FrontMatter(fm)) => {
            assert_eq!(fm.title.as_deref(), Some("Demo周刊#72：CRLF 的一期"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn teaser_lists_and_closing_paragraphs() {
    let p = parse("teaser.md", "zh");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let doc = &p.document;
    assert_eq!(doc.kind, DocKind::Teaser);
    assert!(matches!(doc.header, Some(Header::H1(_))));
    assert_eq!(doc.title_parts().unwrap().number, Some(140));
    assert_eq!(keys(doc), [("articles".into(), 12), ("projects".into(), 1)]);
    assert_eq!(doc.sections[0].heading.style, HeadingStyle::Bold);
    let last = doc.sections[0].entries.last().unwrap();
    assert_eq!((last.number, last.marker), (12, NumberMarker::Circled));
    assert_eq!(last.plain_title(), "functools.Placeholder 的用法");
    assert_eq!(doc.postamble.len(), 2);
    assert!(
        doc.postamble[0]
            .text
            .contains("https://paid.example.com/post/1")
    );
    assert_eq!(description::find(doc).unwrap().counts.articles, Some(12));
}

#[test]
fn english_dot_numbering_and_bare_link_heading() {
    let p = parse("english-era1.md", "en");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let doc = &p.document;
    assert_eq!(doc.title_parts().unwrap().number, Some(1));
    assert_eq!(
        keys(doc),
        [
            ("articles".into(), 2),
            ("projects".into(), 1),
            ("subscribe".into(), 0)
        ]
    );
    assert_eq!(doc.sections[1].heading.style, HeadingStyle::BareLink);
    assert_eq!(doc.sections[0].entries[1].marker, NumberMarker::Dot);
}

#[test]
fn season_collection_has_parts() {
    let p = parse("season-collection.md", "zh");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let doc = &p.document;
    assert_eq!(doc.kind, DocKind::Collection);
    assert_eq!(doc.parts.len(), 2);
    assert_eq!(doc.parts[0].issue_number(), Some(1));
    assert_eq!(doc.parts[0].intro.len(), 1);
    assert_eq!(doc.parts[1].sections[0].key.as_str(), "articles");
    assert_eq!(doc.entries().count(), 3);
}

#[test]
fn broken_input_gives_positioned_diagnostics_and_a_document() {
    let p = parse("broken.md", "zh");
    let codes: Vec<(&str, u32, Severity)> = p
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line, d.severity))
        .collect();
    assert!(codes.contains(&("yaml", 2, Severity::Error)), "{codes:?}");
    assert!(codes.contains(&("date", 3, Severity::Error)), "{codes:?}");
    assert!(
        codes.iter().any(|c| c.0 == "stray-h1" && c.1 == 6),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|c| c.0 == "empty-title" && c.1 == 10),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|c| c.0 == "unclosed-fence" && c.1 == 12),
        "{codes:?}"
    );
    assert!(
        p.diagnostics
            .iter()
            .all(|d| d.file == "broken.md" && d.column >= 1)
    );
    // The salvaged title is still there for the other tools.
    assert_eq!(p.document.title(), Some("It's broken"));
}

#[test]
fn every_prefix_of_every_fixture_parses_without_panicking() {
    for name in [
        "era-a-plain.md",
        "era-c-crlf.md",
        "teaser.md",
        "english-era1.md",
        "season-collection.md",
        "broken.md",
    ] {
        let path = format!(
            "{}/../../fixtures/issues/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let catalogue = Catalogue::python_weekly();
        let lang = Lang::zh();
        for (i, _) in text.char_indices() {
            let _ = parse_document(
                &text[..i],
                &ParseOptions {
                    file: name,
                    lang: &lang,
                    catalogue: &catalogue,
                },
            );
        }
    }
}
