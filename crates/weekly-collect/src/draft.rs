//! Drafting an entry in the house style from a candidate's page (pure): which entries of the
//! archive the model is shown as examples, the prompt, and the checks an answer must pass
//! before an editor sees it.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt::Write as _;

mod check;
mod page;
pub use check::check;
pub use page::{main_text, page_title};

/// Marks the system message of a draft request (the local test model answers by it).
pub const DRAFT_MARKER: &str = "weekly:draft-entry";

/// An entry of the archive, as an example of the house style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Issue it comes from.
    pub issue: u32,
    /// Its title as written (plain text, `中文---English` kept where the house keeps it).
    pub title: String,
    /// Its link.
    pub url: String,
    /// Its description (plain text).
    pub body: String,
}

/// What the model is told about the candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page {
    /// The candidate's link.
    pub url: String,
    /// Its title (the page's, else the feed's).
    pub title: String,
    /// The page's main text (or the repository's description and README), cut short.
    pub text: String,
    /// The language of the page (`en`, `zh`…; empty when unknown).
    pub lang: String,
}

/// The length of descriptions in a section of the archive, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Lengths {
    /// Shortest accepted.
    pub min: usize,
    /// Longest accepted.
    pub max: usize,
    /// The median.
    pub typical: usize,
}

/// An accepted draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The title in the editor's language.
    pub title: String,
    /// The original title, kept after `---` when the page is in another language.
    #[serde(default)]
    pub original_title: String,
    /// The description in the weekly's voice.
    pub description: String,
}

/// The accepted range of description lengths from those of a section's entries: from the 10th
/// to the 90th percentile, widened by a quarter (an empty section accepts 20–400).
pub fn lengths(mut chars: Vec<usize>) -> Lengths {
    chars.retain(|&n| n > 0);
    if chars.len() < 3 {
        return Lengths {
            min: 20,
            max: 400,
            typical: 120,
        };
    }
    chars.sort_unstable();
    let at = |p: usize| chars[(chars.len() - 1) * p / 100];
    Lengths {
        min: at(10) * 3 / 4,
        max: at(90) * 5 / 4 + 10,
        typical: at(50),
    }
}

/// The host of a URL, lower case, without `www.`.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    host.strip_prefix("www.").unwrap_or(&host).to_owned()
}

/// Words of a text for likeness: Latin words of 3+ letters (lower case) and pairs of Han
/// characters.
fn words(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut latin = String::new();
    let mut prev_han: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            latin.push(c.to_ascii_lowercase());
        } else {
            if latin.len() >= 3 {
                out.insert(std::mem::take(&mut latin));
            }
            latin.clear();
        }
        let han = ('\u{4e00}'..='\u{9fff}').contains(&c);
        if han && let Some(p) = prev_han {
            out.insert(format!("{p}{c}"));
        }
        prev_han = han.then_some(c);
    }
    if latin.len() >= 3 {
        out.insert(latin);
    }
    out
}

/// The `n` examples closest to `page`: entries from the same site first, then those sharing
/// the most words with the page's title and text (Jaccard), newest first among equals.
pub fn choose_examples<'a>(examples: &'a [Example], page: &Page, n: usize) -> Vec<&'a Example> {
    let site = host(&page.url);
    let page_words = words(&format!("{} {}", page.title, page.text));
    let mut scored: Vec<(bool, f64, u32, &Example)> = examples
        .iter()
        .filter(|e| !e.body.trim().is_empty())
        .map(|e| {
            let same_site = !site.is_empty() && host(&e.url) == site;
            let w = words(&format!("{} {}", e.title, e.body));
            let shared = w.intersection(&page_words).count();
            let union = w.union(&page_words).count().max(1);
            #[allow(clippy::cast_precision_loss)]
            let likeness = shared as f64 / union as f64;
            (same_site, likeness, e.issue, e)
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(b.2.cmp(&a.2)));
    scored.into_iter().take(n).map(|(.., e)| e).collect()
}

/// The system and user messages of a draft request.
pub fn prompt(
    section: &str,
    lang_name: &str,
    lengths: Lengths,
    examples: &[&Example],
    page: &Page,
) -> (String, String) {
    let system = format!(
        "{DRAFT_MARKER}\n\
You draft one entry of a curated tech newsletter, written in {lang_name}, for its section \
\"{section}\". The editor will check and correct it.\n\
Answer with one JSON object and nothing else: {{\"title\": …, \"original_title\": …, \
\"description\": …}}.\n\
- title: a short, faithful title in {lang_name}.\n\
- original_title: the page's own title when the page is not in {lang_name}, else \"\".\n\
- description: {min}–{max} characters (typically {typical}), in the voice of the examples: what \
the page is and why a reader would care. Plain text, one paragraph.\n\
- Use only facts from the page. Write no link, no URL, no star count, and no number the page \
does not contain. No Markdown.",
        min = lengths.min,
        max = lengths.max,
        typical = lengths.typical,
    );
    let mut user = String::from("Entries of this section in past issues:\n");
    for e in examples {
        let _ = write!(
            user,
            "\n<example>\ntitle: {}\ndescription: {}\n</example>\n",
            e.title.trim(),
            e.body.trim()
        );
    }
    let _ = write!(
        user,
        "\nThe candidate:\nurl: {}\nlanguage: {}\ntitle: {}\n<page>\n{}\n</page>\n",
        page.url,
        if page.lang.is_empty() {
            "unknown"
        } else {
            &page.lang
        },
        page.title.trim(),
        page.text.trim()
    );
    (system, user)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page {
        Page {
            url: "https://blog.example.org/fast-json".into(),
            title: "Parsing JSON 3x faster in Python".into(),
            text: "We made our JSON parser 3x faster in 2024 by using SIMD.".into(),
            lang: "en".into(),
        }
    }

    fn example(issue: u32, url: &str, title: &str, body: &str) -> Example {
        Example {
            issue,
            title: title.into(),
            url: url.into(),
            body: body.into(),
        }
    }

    #[test]
    fn examples_from_the_same_site_then_the_likest() {
        let list = [
            example(
                1,
                "https://other.example/a",
                "数据库",
                "一篇关于数据库索引的文章。",
            ),
            example(
                2,
                "https://other.example/b",
                "JSON parser",
                "How a JSON parser uses SIMD to go faster.",
            ),
            example(
                3,
                "https://blog.example.org/old",
                "旧文",
                "同一个博客的旧文章。",
            ),
            example(4, "https://other.example/c", "空", ""),
        ];
        let chosen: Vec<u32> = choose_examples(&list, &page(), 3)
            .iter()
            .map(|e| e.issue)
            .collect();
        assert_eq!(chosen, vec![3, 2, 1]);
    }

    #[test]
    fn lengths_come_from_the_section() {
        let l = lengths(vec![100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]);
        assert_eq!(l.typical, 150);
        assert_eq!(l.min, 82);
        assert_eq!(l.max, 247);
        assert_eq!(lengths(vec![]).min, 20);
    }

    #[test]
    fn a_good_answer_passes() {
        let answer = r#"```json
{"title": "让 Python 解析 JSON 快 3 倍", "original_title": "Parsing JSON 3x faster in Python", "description": "作者在 2024 年用 SIMD 改写了 JSON 解析器，速度提升到原来的 3 倍，文中讲了做法与取舍。"}
```"#;
        let l = Lengths {
            min: 20,
            max: 200,
            typical: 60,
        };
        let draft = check(answer, &page(), l).unwrap();
        assert_eq!(draft.title, "让 Python 解析 JSON 快 3 倍");
        assert_eq!(draft.original_title, "Parsing JSON 3x faster in Python");
    }

    #[test]
    fn invented_links_stars_and_numbers_are_refused() {
        let l = Lengths {
            min: 10,
            max: 200,
            typical: 60,
        };
        let link =
            r#"{"title": "快", "description": "详见 https://evil.example 的说明，非常值得一读。"}"#;
        assert!(check(link, &page(), l).unwrap_err()[0].contains("link"));
        let stars = r#"{"title": "快", "description": "这个项目已经有很多 star 了，值得一读。"}"#;
        assert!(check(stars, &page(), l).unwrap_err()[0].contains("stars"));
        let number = r#"{"title": "快", "description": "速度提升了 10 倍，文中讲了做法与取舍。"}"#;
        let e = check(number, &page(), l).unwrap_err();
        assert!(e.iter().any(|p| p.contains("states 10")), "{e:?}");
        // Names that only look like a link or a star are fine.
        let names = r#"{"title": "Starlette 与 HTTP 服务", "description": "用 Starlette 跑 HTTP 服务，文中讲了做法与取舍。"}"#;
        assert!(
            check(names, &page(), l).is_ok(),
            "{:?}",
            check(names, &page(), l)
        );
        let stars_cn =
            r#"{"title": "快", "description": "这个项目获得了大量星标，值得一读一读。"}"#;
        assert!(check(stars_cn, &page(), l).unwrap_err()[0].contains("stars"));
        let markdown =
            r#"{"title": "[快]", "description": "速度提升了很多，文中讲了做法与取舍。"}"#;
        assert!(check(markdown, &page(), l).unwrap_err()[0].contains("Markdown"));
        let short = r#"{"title": "快", "description": "很快。"}"#;
        assert!(check(short, &page(), l).unwrap_err()[0].contains("characters"));
        assert!(check("Sure! Here it is.", &page(), l).unwrap_err()[0].contains("JSON"));
    }

    fn lax() -> Lengths {
        Lengths {
            min: 10,
            max: 200,
            typical: 60,
        }
    }

    fn description(text: &str) -> String {
        format!(r#"{{"title": "快", "original_title": "", "description": "{text}"}}"#)
    }

    #[test]
    fn a_bare_domain_with_a_path_is_a_link() {
        let e = check(
            &description("下载地址是 evil.example/download，文中讲了做法与取舍。"),
            &page(),
            lax(),
        )
        .unwrap_err();
        assert!(e.iter().any(|p| p.contains("contains a link")), "{e:?}");
        for text in [
            "请到 Evil.Com/Download 下载，文中讲了做法与取舍。",
            "服务开在 evil.example:8080 上，文中讲了做法与取舍。",
            "文档在 docs.evil.example 上，文中讲了做法与取舍。",
        ] {
            assert!(check(&description(text), &page(), lax()).is_err(), "{text}");
        }
    }

    #[test]
    fn a_domain_with_its_dots_written_as_dian_is_a_link() {
        let e = check(
            &description("详见 www点evil点example 上的说明，非常值得一读。"),
            &page(),
            lax(),
        )
        .unwrap_err();
        assert!(e.iter().any(|p| p.contains("contains a link")), "{e:?}");
        let e = check(
            &description("详见 evil點example點com 上的说明，非常值得一读。"),
            &page(),
            lax(),
        )
        .unwrap_err();
        assert!(e.iter().any(|p| p.contains("contains a link")), "{e:?}");
    }

    #[test]
    fn a_domain_with_ideographic_or_full_width_stops_is_a_link() {
        for text in [
            "详见 evil。example。com 上的说明，非常值得一读。",
            "详见 evil．example．com 上的说明，非常值得一读。",
            "详见 evil｡example｡com 上的说明，非常值得一读。",
            "详见 ｅｖｉｌ．ｅｘａｍｐｌｅ／download 的说明，非常值得一读。",
            "详见 evil(.)example(.)com 的说明，非常值得一读。",
            "详见 https：／／evil 的说明，非常值得一读一读。",
        ] {
            let e = check(&description(text), &page(), lax()).unwrap_err();
            assert!(
                e.iter().any(|p| p.contains("contains a link")),
                "{text}: {e:?}"
            );
        }
    }

    #[test]
    fn a_star_count_in_chinese_numerals_is_refused() {
        let e = check(
            &description("这个项目在社区里收获五万颗星，值得一读一读。"),
            &page(),
            lax(),
        )
        .unwrap_err();
        assert!(e.iter().any(|p| p.contains("mentions stars")), "{e:?}");
        for text in [
            "项目已经斩获一万多星，值得一读一读。",
            "仓库标星两万，社区非常活跃，值得一看。",
            "仓库已有 3万星，社区非常活跃，值得一看。",
            "仓库的星数超过三万，社区非常活跃，值得一看。",
        ] {
            let e = check(&description(text), &page(), lax()).unwrap_err();
            assert!(
                e.iter().any(|p| p.contains("mentions stars")),
                "{text}: {e:?}"
            );
        }
    }

    #[test]
    fn full_width_digits_are_numbers_the_page_must_contain() {
        let e = check(
            &description("速度提升了１０倍，文中讲了做法与取舍。"),
            &page(),
            lax(),
        )
        .unwrap_err();
        assert!(e.iter().any(|p| p.contains("states 10")), "{e:?}");
        let ok = check(
            &description("速度提升了３倍，文中讲了做法与取舍。"),
            &page(),
            lax(),
        );
        assert!(ok.is_ok(), "{ok:?}");
    }

    #[test]
    fn names_versions_and_file_names_are_not_links_or_stars() {
        let page = Page {
            url: "https://blog.example.org/starlette".into(),
            title: "Starlette 1.2.3 on Python 3.12 with HTTP/2".into(),
            text: "Version 1.2.3 speaks HTTP/2 and HTTP/3 on Python 3.12.".into(),
            lang: "en".into(),
        };
        for text in [
            "Starlette 1.2.3 在 Python 3.12 上支持 HTTP/2 与 HTTP/3，文中讲了做法与取舍。",
            "设置写在 config.toml 与 pyproject.toml 里，入口是 main.rs 和 setup.py。",
            "Node.js、Vue.js、ASP.NET 与 Socket.IO 都有类似做法，例如 e.g. 和 i.e. 的写法。",
            "版本 v1.2.3 起可用，见 README.md 与 docs/index.html，每星期更新。",
            "三星与卫星公司都在用，星号表示可选项，这是一个五星级的工具，值得一看。",
            "作者用 os.path.join 和 torch.nn.functional 写了例子，值得一看。",
            "他们用 Python。接着用 Rust。最后是 Go。值得一看看看。",
        ] {
            let result = check(&description(text), &page, lax());
            assert!(result.is_ok(), "{text}: {result:?}");
        }
    }

    #[test]
    fn the_main_text_leaves_out_scripts_and_navigation() {
        let html = "<html><head><title>Old &amp; plain</title><meta property=\"og:title\" content=\"Fast JSON\"></head><body><nav>Home About</nav><article><h1>Fast JSON</h1><script>var x = 1;</script><p>We made it <b>3x</b> faster.</p><footer>© me</footer></article></body></html>";
        assert_eq!(page_title(html), "Fast JSON");
        assert_eq!(main_text(html, 100), "Fast JSON We made it 3x faster.");
        assert_eq!(page_title("<title>A &amp; B</title>"), "A & B");
        assert_eq!(main_text("<p>only text</p>", 4), "only…");
    }

    #[test]
    fn the_prompt_shows_the_examples_and_the_page() {
        let e = example(9, "https://x.example", "示例标题", "示例描述。");
        let (system, user) = prompt("文章&教程", "Chinese", lengths(vec![]), &[&e], &page());
        assert!(system.starts_with(DRAFT_MARKER));
        assert!(system.contains("20–400"));
        assert!(user.contains("title: 示例标题\ndescription: 示例描述。"));
        assert!(user.contains("url: https://blog.example.org/fast-json"));
    }
}
