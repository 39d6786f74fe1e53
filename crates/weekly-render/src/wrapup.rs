//! The wrap-up post of a season: its figures beside the previous season's, its busiest issues,
//! the sites, GitHub owners and projects it featured most, its new sections and its word cloud,
//! around the editor's own words, which a new rendering keeps.

use std::fmt::Write as _;
use weekly_model::inline::{escape_link_text, escape_link_url};
use weekly_model::{Block, DocKind, Document, FrontMatter, Header, Lang, LineEnding};

/// The markers around the editor's words.
pub const EDITOR_START: &str = "<!-- weekly:editor -->";
/// End of the editor's words.
pub const EDITOR_END: &str = "<!-- /weekly:editor -->";

/// One line of the totals.
#[derive(Debug, Clone)]
pub struct TotalLine {
    /// Section name with its emoji.
    pub label: String,
    /// Entries this season.
    pub now: u32,
    /// Entries the season before (none for the first season).
    pub before: Option<u32>,
}

/// A linked line with a figure: an issue, a site, an owner, a project.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// Text shown (plain text: escaped here).
    pub text: String,
    /// Where it links (empty: not linked).
    pub url: String,
    /// The figure.
    pub figure: u32,
}

/// Everything the post shows.
#[derive(Debug, Clone)]
pub struct Wrapup<'a> {
    /// Post title.
    pub title: &'a str,
    /// Season number.
    pub season: u32,
    /// First and last issue numbers.
    pub first: u32,
    /// Last issue number.
    pub last: u32,
    /// Issues published.
    pub issues: u32,
    /// Date of the first issue.
    pub first_date: &'a str,
    /// Date of the last issue (also the post's date).
    pub last_date: &'a str,
    /// Days from the first issue to the last.
    pub days: i64,
    /// Entries per counted section.
    pub totals: Vec<TotalLine>,
    /// Han characters of the full texts (0: not shown).
    pub han: u64,
    /// Issues with the most entries.
    pub busiest: Vec<Ranked>,
    /// Sites featured most.
    pub domains: Vec<Ranked>,
    /// GitHub owners featured most.
    pub owners: Vec<Ranked>,
    /// Projects with the most stars.
    pub starred: Vec<Ranked>,
    /// Sections first used this season.
    pub new_sections: Vec<String>,
    /// The word cloud image.
    pub cloud: Option<String>,
    /// The editor's words from an earlier rendering (Markdown, kept as written).
    pub editor: Option<&'a str>,
}

/// The editor's words between the markers of an earlier rendering, if any.
pub fn editor_words(previous: &str) -> Option<&str> {
    let start = previous.find(EDITOR_START)? + EDITOR_START.len();
    let end = start + previous[start..].find(EDITOR_END)?;
    Some(previous[start..end].trim_matches('\n'))
}

/// The post in `lang`.
pub fn wrapup(w: &Wrapup<'_>, lang: &Lang) -> String {
    let t = Texts::of(lang);
    let mut blocks: Vec<String> = Vec::new();
    let editor = w.editor.unwrap_or(t.editor_placeholder);
    blocks.push(format!("{EDITOR_START}\n{editor}\n{EDITOR_END}"));

    blocks.push(format!("## {}", t.figures));
    blocks.push((t.span)(w));
    let mut lines = String::new();
    for line in &w.totals {
        let colon = if lang.is_cjk() { "：" } else { ": " };
        let _ = write!(
            lines,
            "- {}{colon}{}",
            escape_link_text(&line.label),
            line.now
        );
        if let Some(before) = line.before {
            let delta = i64::from(line.now) - i64::from(before);
            let _ = write!(lines, " ({} {before}, {delta:+})", t.previous);
        }
        lines.push('\n');
    }
    if !lines.is_empty() {
        blocks.push(lines.trim_end().to_owned());
    }
    if w.han > 0 {
        blocks.push((t.han)(w.han));
    }

    section(&mut blocks, t.busiest, &w.busiest, t.entries_unit);
    section(&mut blocks, t.domains, &w.domains, t.entries_unit);
    section(&mut blocks, t.owners, &w.owners, t.entries_unit);
    section(&mut blocks, t.starred, &w.starred, "★");
    if !w.new_sections.is_empty() {
        blocks.push(format!("## {}", t.new_sections));
        blocks.push(
            w.new_sections
                .iter()
                .map(|s| format!("- {}", escape_link_text(s)))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    if let Some(cloud) = &w.cloud {
        blocks.push(format!("## {}", t.cloud));
        blocks.push(format!(
            "![{}]({})",
            escape_link_text(&(t.cloud_alt)(w.season)),
            escape_link_url(cloud)
        ));
    }

    let document = Document {
        kind: DocKind::Full,
        lang: lang.clone(),
        line_ending: LineEnding::Lf,
        leading: String::new(),
        header: Some(Header::FrontMatter(FrontMatter {
            style: weekly_model::document::FrontMatterStyle::Yaml,
            title: Some(w.title.to_owned()),
            pub_date: Some(w.last_date.to_owned()),
            author: None,
            description: None,
            other_lines: String::new(),
            source: None,
        })),
        preamble: blocks.into_iter().map(Block::new).collect(),
        sections: Vec::new(),
        parts: Vec::new(),
        postamble: Vec::new(),
    };
    crate::markdown::render(&document)
}

fn section(blocks: &mut Vec<String>, heading: &str, items: &[Ranked], unit: &str) {
    if items.is_empty() {
        return;
    }
    blocks.push(format!("## {heading}"));
    let lines: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let text = escape_link_text(&item.text);
            let shown = if item.url.is_empty() {
                text
            } else {
                format!("[{text}]({})", escape_link_url(&item.url))
            };
            format!("{}. {shown} — {} {unit}", i + 1, item.figure)
        })
        .collect();
    blocks.push(lines.join("\n"));
}

/// The post as the site publishes it on the season's page: the editor's block left out while
/// it holds nothing but the placeholder a new post starts with (in any language), so that no
/// reader sees it, and the word cloud's section left out (the page draws the cloud itself).
pub fn published(markdown: &str) -> String {
    without_cloud(&without_placeholder(markdown))
}

/// `markdown` without a `## <word cloud>` heading (any language's) and the image under it.
fn without_cloud(markdown: &str) -> String {
    let headings: Vec<String> = ["zh", "en", "ja"]
        .iter()
        .filter_map(|code| Lang::new(code))
        .map(|l| format!("## {}", Texts::of(&l).cloud))
        .collect();
    let blocks: Vec<&str> = markdown.split("\n\n").collect();
    let mut kept: Vec<&str> = Vec::with_capacity(blocks.len());
    let mut i = 0;
    while i < blocks.len() {
        if headings.iter().any(|h| blocks[i].trim() == h) {
            let next_is_image = blocks
                .get(i + 1)
                .is_some_and(|b| b.trim_start().starts_with("!["));
            i += if next_is_image { 2 } else { 1 };
            continue;
        }
        kept.push(blocks[i]);
        i += 1;
    }
    let mut out = kept.join("\n\n");
    if markdown.ends_with('\n') && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn without_placeholder(markdown: &str) -> String {
    let (Some(start), Some(end)) = (markdown.find(EDITOR_START), markdown.find(EDITOR_END)) else {
        return markdown.to_owned();
    };
    if end < start {
        return markdown.to_owned();
    }
    let inner = markdown[start + EDITOR_START.len()..end].trim();
    let placeholder = ["zh", "en", "ja"]
        .iter()
        .any(|code| Lang::new(code).is_some_and(|l| Texts::of(&l).editor_placeholder == inner));
    if !inner.is_empty() && !placeholder {
        return markdown.to_owned();
    }
    let before = markdown[..start].trim_end();
    let after = markdown[end + EDITOR_END.len()..].trim_start();
    match (before.is_empty(), after.is_empty()) {
        (true, _) => after.to_owned(),
        (_, true) => format!("{before}\n"),
        _ => format!("{before}\n\n{after}"),
    }
}

/// The fixed texts of the post in one language.
struct Texts {
    editor_placeholder: &'static str,
    figures: &'static str,
    span: fn(&Wrapup<'_>) -> String,
    previous: &'static str,
    han: fn(u64) -> String,
    busiest: &'static str,
    domains: &'static str,
    owners: &'static str,
    starred: &'static str,
    new_sections: &'static str,
    cloud: &'static str,
    cloud_alt: fn(u32) -> String,
    entries_unit: &'static str,
}

impl Texts {
    fn of(lang: &Lang) -> Texts {
        if lang.as_str() == "ja" {
            return Texts {
                editor_placeholder: "（ここに今シーズンの振り返りを書いてください。この記事を作り直すとき、二つの印のあいだの文章はそのまま残ります。）",
                figures: "今シーズンの数字",
                span: |w| {
                    format!(
                        "第 {} シーズンは {} から {} まで（第 {}~{} 号）、{} 号を {} 日かけて発行しました。紹介したもの：",
                        w.season, w.first_date, w.last_date, w.first, w.last, w.issues, w.days
                    )
                },
                previous: "前シーズン",
                han: |n| format!("中国語版の本文は約 {n} 字（漢字）。"),
                busiest: "内容が最も多かった号",
                domains: "最もよく登場したサイト",
                owners: "最もよく登場した GitHub の作者と組織",
                starred: "Star が最も多いプロジェクト",
                new_sections: "今シーズンの新しい欄",
                cloud: "今シーズンのワードクラウド",
                cloud_alt: |s| format!("第 {s} シーズンのワードクラウド"),
                entries_unit: "件",
            };
        }
        if lang.is_cjk() {
            Texts {
                editor_placeholder: "（在这里写下你对本季的回顾与感想：重新生成本文时，这两行标记之间的文字会原样保留。）",
                figures: "本季数据",
                span: |w| {
                    format!(
                        "第 {} 季从 {} 到 {}（第 {}~{} 期），共发布 {} 期，历时 {} 天。本季周刊共分享了：",
                        w.season, w.first_date, w.last_date, w.first, w.last, w.issues, w.days
                    )
                },
                previous: "上季",
                han: |n| format!("全季正文约 {n} 字（汉字）。"),
                busiest: "内容最多的几期",
                domains: "出现最多的网站",
                owners: "出现最多的 GitHub 作者与组织",
                starred: "Star 最多的项目",
                new_sections: "本季新栏目",
                cloud: "本季词云",
                cloud_alt: |s| format!("第 {s} 季词云"),
                entries_unit: "条",
            }
        } else {
            Texts {
                editor_placeholder: "(Write your look back on the season here: when this post is rendered again, the text between these two markers is kept as it is.)",
                figures: "The season in figures",
                span: |w| {
                    format!(
                        "Season {} ran from {} to {} (issues #{}–#{}): {} issues over {} days. It shared:",
                        w.season, w.first_date, w.last_date, w.first, w.last, w.issues, w.days
                    )
                },
                previous: "previous season",
                han: |n| format!("About {n} Han characters of text in the Chinese edition."),
                busiest: "The fullest issues",
                domains: "The sites featured most",
                owners: "The GitHub owners featured most",
                starred: "The most-starred projects",
                new_sections: "New sections this season",
                cloud: "Word cloud",
                cloud_alt: |s| format!("Word cloud of season {s}"),
                entries_unit: "entries",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(editor: Option<&str>) -> Wrapup<'_> {
        Wrapup {
            title: "第 2 季完结",
            season: 2,
            first: 31,
            last: 60,
            issues: 30,
            first_date: "2023-12-16",
            last_date: "2024-07-16",
            days: 213,
            totals: vec![
                TotalLine {
                    label: "🦄文章&教程".into(),
                    now: 354,
                    before: Some(340),
                },
                TotalLine {
                    label: "🐿️项目&资源".into(),
                    now: 347,
                    before: Some(350),
                },
            ],
            han: 60_000,
            busiest: vec![Ranked {
                text: "第45期：a [b]".into(),
                url: "https://w.example/zh/45/".into(),
                figure: 31,
            }],
            domains: vec![Ranked {
                text: "github.com".into(),
                url: String::new(),
                figure: 200,
            }],
            owners: Vec::new(),
            starred: Vec::new(),
            new_sections: vec!["🥂讨论&问题".into()],
            cloud: Some("https://w.example/zh/seasons/2/cloud.svg".into()),
            editor,
        }
    }

    #[test]
    fn the_post_shows_the_figures_and_their_change() {
        let text = wrapup(&sample(None), &Lang::zh());
        assert!(
            text.contains("- 🦄文章&教程：354 (上季 340, +14)\n- 🐿️项目&资源：347 (上季 350, -3)"),
            "{text}"
        );
        assert!(
            text.contains("1. [第45期：a \\[b\\]](https://w.example/zh/45/) — 31 条"),
            "{text}"
        );
        assert!(text.contains("1. github.com — 200 条"), "{text}");
        assert!(
            !text.contains("## Star 最多的项目"),
            "empty lists are left out: {text}"
        );
        assert!(
            text.contains("![第 2 季词云](https://w.example/zh/seasons/2/cloud.svg)"),
            "{text}"
        );
        let en = wrapup(&sample(None), &Lang::new("en").unwrap());
        assert!(
            en.contains("- 🦄文章&教程: 354 (previous season 340, +14)"),
            "{en}"
        );
    }

    #[test]
    fn the_editors_words_survive_a_new_rendering() {
        let first = wrapup(&sample(None), &Lang::zh());
        let edited = first.replace(
            Texts::of(&Lang::zh()).editor_placeholder,
            "这一季我学到了很多。\n\n第二段。",
        );
        let words = editor_words(&edited);
        assert_eq!(words, Some("这一季我学到了很多。\n\n第二段。"));
        let again = wrapup(&sample(words), &Lang::zh());
        assert_eq!(again, edited);
        assert_eq!(editor_words("no markers"), None);
    }

    #[test]
    fn the_placeholder_is_never_published_and_the_editors_words_are() {
        for code in ["zh", "en", "ja"] {
            let lang = Lang::new(code).unwrap();
            let post = format!(
                "# T\n\n{EDITOR_START}\n{}\n{EDITOR_END}\n\n## Figures\n",
                Texts::of(&lang).editor_placeholder
            );
            let shown = published(&post);
            assert!(
                !shown.contains(Texts::of(&lang).editor_placeholder),
                "{shown}"
            );
            assert_eq!(shown, "# T\n\n## Figures\n");
            let with_cloud = format!(
                "# T\n\n## {}\n\n![cloud](season-1-cloud.{code}.svg)\n\n## End\n",
                Texts::of(&lang).cloud
            );
            assert_eq!(published(&with_cloud), "# T\n\n## End\n");
            let at_the_end = format!(
                "# T\n\n## {}\n\n![cloud](season-1-cloud.{code}.svg)\n",
                Texts::of(&lang).cloud
            );
            assert_eq!(published(&at_the_end), "# T\n");
        }
        let own = format!("# T\n\n{EDITOR_START}\nA good season.\n{EDITOR_END}\n");
        assert_eq!(published(&own), own);
        let empty = format!("# T\n\n{EDITOR_START}\n\n{EDITOR_END}\n\n## F\n");
        assert_eq!(published(&empty), "# T\n\n## F\n");
    }

    #[test]
    fn a_japanese_post_is_in_japanese() {
        let t = Texts::of(&Lang::new("ja").unwrap());
        assert!(t.figures.contains("シーズン") && !t.busiest.contains("几期"));
    }
}
