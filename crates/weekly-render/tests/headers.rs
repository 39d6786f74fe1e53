//! Issue headers read by the newsletter's own keys — YAML whose date is Jekyll's `date:`, TOML
//! between `+++` lines (Hugo, Zola) — keep every line as written, and only a changed title or
//! date line is rewritten, in the header's own syntax.

use weekly_model::{
    Catalogue, FieldSyntax, Format, FrontMatterStyle, Header, Lang, SectionDef, SectionKey,
};
use weekly_parse::{ParseOptions, Parsed, parse_document};
use weekly_render::markdown::render;

fn catalogue(title_keys: &[&str], date_keys: &[&str]) -> Catalogue {
    Catalogue {
        sections: vec![SectionDef {
            key: SectionKey::new("links").unwrap(),
            emoji: String::new(),
            names: vec![(Lang::en(), "Links".to_owned())],
            aliases: Vec::new(),
            counted: true,
            patterns: Vec::new(),
        }],
        format: Format {
            title_keys: title_keys.iter().map(|k| (*k).to_owned()).collect(),
            date_keys: date_keys.iter().map(|k| (*k).to_owned()).collect(),
            bullets: true,
            ..Format::default()
        },
    }
}

fn parse(text: &str, catalogue: &Catalogue) -> Parsed {
    parse_document(
        text,
        &ParseOptions {
            file: "issue.md",
            lang: &Lang::en(),
            catalogue,
        },
    )
}

const JEKYLL: &str = "---\nlayout: post\ntitle: \"Kettle Notes 12: Steam, again\"\ndate: 2021-3-4 10:00:00 +0800\ntags: [tea, notes]\n---\n\nHello.\n\n## Links\n\n- [Boil](https://boil.example/) — water, hot.\n";

#[test]
fn jekyll_yaml_is_read_by_the_newsletters_keys_and_written_back_as_it_was() {
    let catalogue = catalogue(&["title"], &["date"]);
    let parsed = parse(JEKYLL, &catalogue);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let Some(Header::FrontMatter(fm)) = &parsed.document.header else {
        panic!("no header: {:?}", parsed.document.header);
    };
    assert_eq!(fm.title.as_deref(), Some("Kettle Notes 12: Steam, again"));
    assert_eq!(fm.pub_date.as_deref(), Some("2021-03-04"));
    assert_eq!(
        fm.style,
        FrontMatterStyle::Fields {
            title_key: Some("title".into()),
            date_key: Some("date".into()),
            syntax: FieldSyntax::Yaml,
        }
    );
    assert_eq!(parsed.document.sections[0].entries.len(), 1);
    assert_eq!(render(&parsed.document), JEKYLL);

    // A new title rewrites its line only, quoted for YAML; the date keeps its time.
    let mut document = parsed.document.clone();
    if let Some(Header::FrontMatter(fm)) = &mut document.header {
        fm.title = Some("Kettle Notes 12: Steam: the sequel".into());
    }
    let out = render(&document);
    assert!(
        out.starts_with("---\nlayout: post\ntitle: 'Kettle Notes 12: Steam: the sequel'\ndate: 2021-3-4 10:00:00 +0800\ntags: [tea, notes]\n---\n\nHello."),
        "{out}"
    );
    let again = parse(&out, &catalogue);
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
    assert_eq!(
        again.document.title(),
        Some("Kettle Notes 12: Steam: the sequel")
    );
}

#[test]
fn python_weeklys_own_yaml_keeps_the_built_in_reading() {
    // `title` and `pubDate` are the built-in keys: no switch to the keyed style.
    let text = "---\ntitle: 'Kettle Notes #3'\npubDate: 2024-05-18\n---\n\n## Links\n\n- [a](https://a.example/)\n";
    let parsed = parse(text, &catalogue(&["title"], &["pubDate", "date"]));
    let Some(Header::FrontMatter(fm)) = &parsed.document.header else {
        panic!("no header");
    };
    assert_eq!(fm.style, FrontMatterStyle::Yaml);
    assert_eq!(fm.pub_date.as_deref(), Some("2024-05-18"));
}

const ZOLA: &str = "+++\ntitle = \"Kettle Notes 40 — \\\"Quotes\\\"\"\ndate = 2024-01-05T08:00:00Z\ndraft = false\n\n[extra]\ncover = \"kettle.png\"\n+++\n\nIntro.\n\n## Links\n\n- [Pour](https://pour.example/) slowly\n- [Sip](https://sip.example/)\n";

#[test]
fn toml_front_matter_is_read_and_kept() {
    let catalogue = catalogue(&["title"], &["date"]);
    let parsed = parse(ZOLA, &catalogue);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let Some(Header::FrontMatter(fm)) = &parsed.document.header else {
        panic!("no header");
    };
    assert_eq!(fm.title.as_deref(), Some("Kettle Notes 40 — \"Quotes\""));
    assert_eq!(fm.pub_date.as_deref(), Some("2024-01-05"));
    assert_eq!(parsed.document.sections[0].entries.len(), 2);
    assert_eq!(render(&parsed.document), ZOLA);

    let mut document = parsed.document.clone();
    if let Some(Header::FrontMatter(fm)) = &mut document.header {
        fm.title = Some("Kettle Notes 40 \\ back".into());
        fm.pub_date = Some("2024-01-06".into());
    }
    let out = render(&document);
    assert!(
        out.starts_with("+++\ntitle = \"Kettle Notes 40 \\\\ back\"\ndate = 2024-01-06\ndraft = false\n\n[extra]\ncover = \"kettle.png\"\n+++\n\nIntro."),
        "{out}"
    );
    let again = parse(&out, &catalogue);
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
    assert_eq!(again.document.title(), Some("Kettle Notes 40 \\ back"));
}

#[test]
fn broken_toml_is_reported_at_its_line() {
    let text = "+++\ntitle = \"Kettle Notes 41\"\ndate = 2024-01-12\nsummary = \"unclosed\n+++\n\n## Links\n\n- [a](https://a.example/)\n";
    let parsed = parse(text, &catalogue(&["title"], &["date"]));
    let error = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == "toml")
        .unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
    assert_eq!(error.line, 4, "{error:?}");
    assert!(error.message.contains("not valid TOML"), "{error:?}");
    // The entries are still read.
    assert_eq!(parsed.document.sections[0].entries.len(), 1);
}
