//! The archive checks read each newsletter its own way: title patterns give the issue number,
//! bullet entries are not numbered, `1.` lists inside entries are text, `Key: value` headers
//! are not YAML, and the editor's own language is nobody's translation.

use std::fmt::Write as _;
use weekly_check::{Edition, Settings, check};
use weekly_model::format::Levels;
use weekly_model::{
    Catalogue, Diagnostic, DocKind, Format, Lang, Numbering, SectionDef, SectionKey, Severity,
    TitlePattern,
};
use weekly_parse::{ParseOptions, parse_document};

fn section(key: &str, lang: &Lang, name: &str) -> SectionDef {
    SectionDef {
        key: SectionKey::new(key).unwrap(),
        emoji: String::new(),
        names: vec![(lang.clone(), name.to_owned())],
        aliases: Vec::new(),
        counted: true,
        patterns: Vec::new(),
    }
}

/// A weekly in the style of This Week in Rust: Pelican headers, bullet entries under `##`
/// sections and `###` categories.
fn bullets_weekly() -> Catalogue {
    let en = Lang::en();
    Catalogue {
        sections: vec![
            section("community", &en, "Community News"),
            section("merged", &en, "Merged This Week"),
        ],
        format: Format {
            title_keys: vec!["title".into()],
            number_keys: vec!["number".into()],
            date_keys: vec!["date".into()],
            field_header: true,
            titles: vec![TitlePattern::new("Gears Weekly {number}").unwrap()],
            levels: Levels {
                sections: vec![1, 2],
                categories: vec![3],
            },
            numbering: Vec::new(),
            bullets: true,
            essays: Vec::new(),
        },
    }
}

/// A weekly in the style of 科技爱好者周刊: an H1 title `…（第 N 期）：主题`, `N、` entries,
/// and `1.` lists inside entries that are text.
fn dunhao_weekly() -> Catalogue {
    let zh = Lang::zh();
    Catalogue {
        sections: vec![
            section("news", &zh, "动态"),
            section("articles", &zh, "文章"),
        ],
        format: Format {
            title_keys: vec!["title".into()],
            number_keys: Vec::new(),
            date_keys: Vec::new(),
            field_header: false,
            titles: vec![
                TitlePattern::new("工具人周报（第 {number} 期）：{theme}").unwrap(),
                TitlePattern::new("工具人周报：第 {number} 期").unwrap(),
            ],
            levels: Levels {
                sections: vec![2],
                categories: vec![3],
            },
            numbering: vec![Numbering::Dunhao],
            bullets: false,
            essays: Vec::new(),
        },
    }
}

fn run(text: &str, number: u32, lang: &Lang, catalogue: &Catalogue) -> Vec<Diagnostic> {
    let parsed = parse_document(
        text,
        &ParseOptions {
            file: "issue.md",
            lang,
            catalogue,
        },
    );
    let edition = Edition {
        number,
        date: None,
        file: "issue.md",
        text,
        document: &parsed.document,
        season: false,
    };
    let languages = [lang.clone()];
    let mut found = parsed.diagnostics.clone();
    found.extend(check(
        &[edition],
        &Settings {
            catalogue,
            languages: &languages,
        },
    ));
    found
}

fn codes(found: &[Diagnostic]) -> Vec<(Severity, &'static str, u32)> {
    found.iter().map(|d| (d.severity, d.code, d.line)).collect()
}

const GEARS: &str = "\
Title: Gears Weekly 212
Number: 212
Date: 2025-3-7 09:30
Category: Gears Weekly

Hello, this is the weekly letter about gears. #gears #weekly

## Community News

### Official
* [Release notes for the new gear](https://gears.example.org/notes)
* [The same link again, as editors do](https://gears.example.org/notes-2)

### Walkthroughs
* [A tutorial written in Chinese: 齿轮入门](https://blog.example.cn/gears)
* [video] [Turning gears, a talk](https://video.example.org/turning)

## Merged This Week

* [faster teeth](https://code.example.org/pull/9)
* [fewer teeth](https://code.example.org/pull/7)
* [better oil](https://code.example.org/pull/8)
";

#[test]
fn bullet_entries_have_no_numbers_to_check() {
    // A section numbered `1.`, `2.`, then a list of further links.
    let mut catalogue = bullets_weekly();
    catalogue.format.numbering = vec![Numbering::Dot];
    let text = "Title: Gears Weekly 3\nNumber: 3\n\n## Community News\n\n\
                1. [First pick](https://a.example.org/1)\n\n\
                2. [Second pick](https://a.example.org/2)\n\n\
                More this week:\n\n\
                * [Also read](https://a.example.org/3)\n\
                * [And this](https://a.example.org/4)\n";
    let found = run(text, 3, &Lang::en(), &catalogue);
    assert_eq!(codes(&found), [], "{found:#?}");
    // The numbered ones still are checked.
    let found = run(
        &text.replace("2. [Second", "3. [Second"),
        3,
        &Lang::en(),
        &catalogue,
    );
    assert_eq!(
        codes(&found),
        [(Severity::Error, "numbering-gap", 8)],
        "{found:#?}"
    );
}

#[test]
fn a_long_list_of_bullet_entries_is_an_issue_not_a_links_edition() {
    let catalogue = bullets_weekly();
    let mut long = String::new();
    for n in 1..=60 {
        let _ = writeln!(long, "* [change {n}](https://code.example.org/pull/{n})");
    }
    let text = format!("Title: Gears Weekly 9\nNumber: 9\n\n## Merged This Week\n\n{long}");
    let lang = Lang::en();
    let parsed = parse_document(
        &text,
        &ParseOptions {
            file: "issue.md",
            lang: &lang,
            catalogue: &catalogue,
        },
    );
    assert_eq!(parsed.document.kind, DocKind::Full);
    // So its title is checked like any issue's.
    let found = run(&text, 10, &lang, &catalogue);
    assert_eq!(
        codes(&found),
        [(Severity::Error, "title-number", 1)],
        "{found:#?}"
    );
}

#[test]
fn field_headers_are_not_yaml_and_their_dates_may_carry_a_time() {
    let catalogue = bullets_weekly();
    let lang = Lang::en();
    let parsed = parse_document(
        GEARS,
        &ParseOptions {
            file: "issue.md",
            lang: &lang,
            catalogue: &catalogue,
        },
    );
    let edition = Edition {
        number: 212,
        date: weekly_model::IsoDate::parse("2025-03-08"),
        file: "issue.md",
        text: GEARS,
        document: &parsed.document,
        season: false,
    };
    let found = check(
        &[edition],
        &Settings {
            catalogue: &catalogue,
            languages: std::slice::from_ref(&lang),
        },
    );
    // No `yaml-comment` for the `#gears` of the body; the date is read with its time.
    assert_eq!(
        codes(&found),
        [(Severity::Error, "title-date", 1)],
        "{found:#?}"
    );
    assert!(found[0].message.contains("2025-03-07"), "{found:#?}");
}

#[test]
fn a_title_in_another_language_is_not_untranslated_in_the_editors_own_edition() {
    let catalogue = bullets_weekly();
    let found = run(GEARS, 212, &Lang::en(), &catalogue);
    assert!(
        !found.iter().any(|d| d.code == "untranslated"),
        "{found:#?}"
    );
    // A translation into English still is held to it.
    let parsed = parse_document(
        GEARS,
        &ParseOptions {
            file: "en.md",
            lang: &Lang::en(),
            catalogue: &catalogue,
        },
    );
    let edition = Edition {
        number: 212,
        date: None,
        file: "en.md",
        text: GEARS,
        document: &parsed.document,
        season: false,
    };
    let found = check(
        &[edition],
        &Settings {
            catalogue: &catalogue,
            languages: &[Lang::zh(), Lang::en()],
        },
    );
    assert_eq!(
        codes(&found)
            .into_iter()
            .filter(|c| c.1 == "untranslated")
            .collect::<Vec<_>>(),
        [(Severity::Error, "untranslated", 15)]
    );
}

const TOOLS: &str = "\
# 工具人周报（第 260 期）：旅程不会停在 Day 1

这里记录每周值得分享的内容。

## 旅程不会停在 Day 1

一篇短文。文中有一个列表：

1. 第一点
2. 第二点
2. 写错了序号的第三点

## 动态

1、[一个新闻](https://news.example.cn/1)

它说了三件事：

1. 甲
1. 乙
1. 丙

2、[另一个新闻](https://news.example.cn/2)

## 文章

1、[一篇文章](https://blog.example.cn/a)
";

#[test]
fn titles_are_read_by_the_newsletters_patterns() {
    let catalogue = dunhao_weekly();
    let found = run(TOOLS, 260, &Lang::zh(), &catalogue);
    assert_eq!(codes(&found), [], "{found:#?}");
    // `Day 1` is no issue number: the pattern gives 260.
    let found = run(TOOLS, 261, &Lang::zh(), &catalogue);
    assert_eq!(codes(&found), [(Severity::Error, "title-number", 1)]);
    assert!(found[0].message.contains("#260"), "{found:#?}");
    // The second style of title has a number and no theme.
    let text = TOOLS.replace(
        "# 工具人周报（第 260 期）：旅程不会停在 Day 1",
        "# 工具人周报：第 12 期",
    );
    assert_eq!(codes(&run(&text, 12, &Lang::zh(), &catalogue)), []);
}

#[test]
fn numbering_is_still_checked_on_numbered_entries() {
    let catalogue = dunhao_weekly();
    let text = TOOLS.replace("2、[另一个新闻]", "3、[另一个新闻]");
    let found = run(&text, 260, &Lang::zh(), &catalogue);
    assert_eq!(codes(&found), [(Severity::Error, "numbering-gap", 23)]);
}

#[test]
fn a_bullet_entry_is_its_first_link_the_others_are_credits() {
    let catalogue = bullets_weekly();
    let text = "Title: Gears Weekly 4\nNumber: 4\n\n## Community News\n\n\
                * [Oiling a gear box](https://blog.example.org/oil) by [Ann](https://ann.example.org)\n\
                * [Cutting teeth](https://blog.example.org/teeth) by [Ann](https://ann.example.org)\n\
                * [Oiling a gear box, again](https://blog.example.org/oil)\n";
    let found = run(text, 4, &Lang::en(), &catalogue);
    assert_eq!(
        codes(&found),
        [(Severity::Error, "duplicate-url", 8)],
        "{found:#?}"
    );
}
