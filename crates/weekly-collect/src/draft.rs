//! Drafting an entry in the house style from a candidate's page (pure): which entries of the
//! archive the model is shown as examples, the prompt, and the checks an answer must pass
//! before an editor sees it.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt::Write as _;

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

/// Elements whose content is never the page's text.
const NOISE: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "svg",
];

/// Finds `needle` (ASCII, lower case) in `hay` ignoring ASCII case, from byte `from`.
fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let bytes = hay.as_bytes();
    let n = needle.as_bytes();
    (from..=bytes.len().saturating_sub(n.len()))
        .find(|&i| bytes[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The page's title: `og:title`, else `<title>`.
pub fn page_title(html: &str) -> String {
    let head = &html[..find_ci(html, "</head", 0).unwrap_or(html.len())];
    let mut at = 0;
    while let Some(i) = find_ci(head, "<meta", at) {
        let end = head[i..].find('>').map_or(head.len(), |e| i + e);
        let tag = &head[i..end];
        at = end;
        if find_ci(tag, "og:title", 0).is_some()
            && let Some(c) = find_ci(tag, "content=", 0)
        {
            let value = &tag[c + 8..];
            let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'');
            let value = match quote {
                Some(q) => value[1..].split(q).next().unwrap_or(""),
                None => value.split_whitespace().next().unwrap_or(""),
            };
            let title = crate::text::plain(value, 300);
            if !title.is_empty() {
                return title;
            }
        }
    }
    find_ci(head, "<title", 0)
        .and_then(|i| head[i..].find('>').map(|e| i + e + 1))
        .map(|start| {
            let end = find_ci(head, "</title", start).unwrap_or(head.len());
            crate::text::plain(&head[start..end], 300)
        })
        .unwrap_or_default()
}

/// The main text of a page as plain text of at most `max_chars`: the `<article>` (else the
/// `<main>`, else the `<body>`) without scripts, styles, navigation, headers and footers.
pub fn main_text(html: &str, max_chars: usize) -> String {
    let region = ["article", "main", "body"]
        .iter()
        .find_map(|tag| {
            let open = find_ci(html, &format!("<{tag}"), 0)?;
            let start = open + html[open..].find('>')? + 1;
            let end = find_ci(html, &format!("</{tag}"), start).unwrap_or(html.len());
            Some(&html[start..end])
        })
        .unwrap_or(html);
    let mut kept = String::with_capacity(region.len().min(1 << 20));
    let mut rest = region;
    'outer: while !rest.is_empty() {
        let next = NOISE
            .iter()
            .filter_map(|tag| find_ci(rest, &format!("<{tag}"), 0).map(|i| (i, *tag)))
            .filter(|(i, tag)| {
                // `<header` must not match `<headers…` of another name, nor `<s` match `<style`.
                rest[i + 1 + tag.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == '>' || c.is_whitespace() || c == '/')
            })
            .min_by_key(|(i, _)| *i);
        match next {
            None => {
                kept.push_str(rest);
                break 'outer;
            }
            Some((i, tag)) => {
                kept.push_str(&rest[..i]);
                kept.push(' ');
                let close = format!("</{tag}");
                rest = match find_ci(rest, &close, i) {
                    Some(c) => rest[c..].find('>').map_or("", |e| &rest[c + e + 1..]),
                    None => "",
                };
            }
        }
    }
    crate::text::plain(&kept, max_chars)
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

/// Numbers written in a text (runs of digits, with `.` or `,` inside; full-width digits read
/// as digits).
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner = matches!(c, '.' | ',')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() || inner {
            current.push(c);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// True when `lower` (lower-cased text) speaks of stars: the word `star` or `stars` on its
/// own (not `Starlette`), `★`, `⭐`, or a Han word for stars ([`han_stars`]).
fn mentions_stars(lower: &str) -> bool {
    let word = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "star" || w == "stars");
    word || lower.contains('★') || lower.contains('⭐') || han_stars(lower)
}

/// True when a `星` of `text` is a star count or a word for stars: `星标`, `星数`, and `星` after
/// a measure word, a count or a verb of stars (`五万颗星`, `一万个星`, `5万星`, `10000星`,
/// `标星`, `获星`, `加星`) however the count is written, Chinese numerals included; not a word
/// that merely has `星` in it (`一个星期`, `卫星`, `三星`, `星号`, `五星级`).
fn han_stars(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        if c != '星' {
            return false;
        }
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let names_stars = matches!(after, Some('标' | '標' | '数' | '數'));
        let counted = before.is_some_and(|b| {
            b.is_ascii_digit()
                || matches!(
                    b,
                    '颗' | '顆'
                        | '个'
                        | '個'
                        | '万'
                        | '萬'
                        | '千'
                        | '多'
                        | '余'
                        | '餘'
                        | 'k'
                        | '标'
                        | '標'
                        | '获'
                        | '獲'
                        | '加'
                )
        });
        let other_word = matches!(
            after,
            Some(
                '期' | '球'
                    | '系'
                    | '座'
                    | '际'
                    | '際'
                    | '空'
                    | '云'
                    | '雲'
                    | '辰'
                    | '河'
                    | '号'
                    | '號'
                    | '图'
                    | '圖'
                    | '光'
                    | '人'
                    | '级'
                    | '級'
            )
        );
        names_stars || (counted && !other_word)
    })
}

/// Top-level domains that make a dotted word a host name (`evil.example/download`,
/// `blog.example.com`). Common file extensions that are also country codes (`.rs`, `.py`,
/// `.sh`, `.md`, `.pl`, `.cc`, `.so`, `.ml`, `.zip`, `.mov`) and English words that end a
/// chain of names in code (`user.id`, `app.run`) are left out: `main.rs` and `config.toml` are
/// file names, `3.12` and `v1.2.3` versions.
const TLDS: &[&str] = &[
    "com",
    "net",
    "org",
    "edu",
    "gov",
    "mil",
    "int",
    "info",
    "biz",
    "pro",
    "mobi",
    "asia",
    "io",
    "ai",
    "app",
    "dev",
    "co",
    "me",
    "tv",
    "xyz",
    "site",
    "online",
    "top",
    "tech",
    "cloud",
    "blog",
    "news",
    "club",
    "shop",
    "store",
    "live",
    "fun",
    "space",
    "website",
    "icu",
    "vip",
    "wiki",
    "art",
    "design",
    "studio",
    "world",
    "today",
    "zone",
    "network",
    "systems",
    "software",
    "tools",
    "codes",
    "email",
    "click",
    "download",
    "media",
    "digital",
    "social",
    "life",
    "land",
    "gg",
    "ly",
    "fm",
    "im",
    "tk",
    "ws",
    "nu",
    "su",
    "cx",
    "la",
    "ac",
    "bz",
    "ag",
    "sc",
    "vc",
    "gl",
    "example",
    "test",
    "invalid",
    "localhost",
    "local",
    "internal",
    "onion",
    "arpa",
    "cn",
    "uk",
    "de",
    "jp",
    "ru",
    "fr",
    "us",
    "ca",
    "au",
    "kr",
    "tw",
    "hk",
    "eu",
    "nl",
    "se",
    "ch",
    "es",
    "br",
    "nz",
    "sg",
    "ir",
    "ua",
    "fi",
    "dk",
    "be",
    "at",
    "cz",
    "pt",
    "ie",
    "il",
    "mx",
    "ar",
    "za",
    "tr",
    "gr",
    "hu",
    "ro",
    "vn",
    "th",
    "ph",
    "mo",
    "kz",
    "cl",
    "pe",
    "eg",
    "sa",
    "ae",
    "lt",
    "lv",
    "ee",
    "sk",
    "si",
    "hr",
    "bg",
    "lu",
    "li",
];

/// `text` as a reader would read a host name in it: full-width forms as ASCII (`ｅｖｉｌ`,
/// `：／／`), a dot written as `。`, `｡`, `．`, `点` or `點` between two ASCII letters or digits
/// as `.`, and `(.)`, `[.]`, `(dot)`, `[dot]` as `.`; lower case.
fn as_host_text(text: &str) -> String {
    let folded: Vec<char> = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3002}' | '\u{FF61}' => '。',
            _ => c,
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in folded.iter().enumerate() {
        let dot_like = matches!(c, '。' | '点' | '點');
        let between = i > 0
            && folded[i - 1].is_ascii_alphanumeric()
            && folded.get(i + 1).is_some_and(char::is_ascii_alphanumeric);
        out.push(if dot_like && between { '.' } else { c });
    }
    let mut out = out.to_lowercase();
    for spelled in ["(.)", "[.]", "(dot)", "[dot]"] {
        out = out.replace(spelled, ".");
    }
    out
}

/// True when `host_text` (see [`as_host_text`]) holds a bare domain: `label.tld` followed by
/// a path or a port (`evil.example/download`), or `label.label.tld` (`evil.example.com`), with
/// a TLD of [`TLDS`].
fn bare_domain(host_text: &str) -> bool {
    let chars: Vec<char> = host_text.chars().collect();
    let in_host = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    let mut i = 0;
    while i < chars.len() {
        if !in_host(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && in_host(chars[i]) {
            i += 1;
        }
        let token: String = chars[start..i].iter().collect();
        let token = token.trim_matches(['.', '-']);
        let labels: Vec<&str> = token.split('.').collect();
        if labels.len() < 2
            || labels.iter().any(|l| l.is_empty())
            || !labels.last().is_some_and(|tld| TLDS.contains(tld))
        {
            continue;
        }
        let path = match chars.get(i) {
            Some('/') => true,
            Some(':') => chars.get(i + 1).is_some_and(char::is_ascii_digit),
            _ => false,
        };
        if labels.len() >= 3 || path {
            return true;
        }
    }
    false
}

/// True when `text` holds a link: a scheme (`://`), `www.`, a Markdown link or a bare domain,
/// however its dots and letters are spelled (see [`as_host_text`]).
fn contains_link(text: &str) -> bool {
    let host_text = as_host_text(text);
    host_text.contains("://")
        || host_text.contains("www.")
        || host_text.contains("](")
        || bare_domain(&host_text)
}

/// The draft in a model's answer, or what is wrong with it: not the JSON asked for, a link or
/// URL (a bare domain too, its dots written in any script), a star count (in any numerals), a number the page does not contain, Markdown that would break the entry,
/// a description outside `lengths`.
pub fn check(answer: &str, page: &Page, lengths: Lengths) -> Result<Draft, Vec<String>> {
    let trimmed = answer.trim();
    let json = trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|s| s.strip_suffix("```"))
        .unwrap_or(trimmed)
        .trim();
    let draft: Draft = serde_json::from_str(json)
        .map_err(|e| vec![format!("the answer is not the JSON object asked for: {e}")])?;
    let mut problems = Vec::new();
    let fields = [
        ("title", draft.title.as_str()),
        ("original_title", draft.original_title.as_str()),
        ("description", draft.description.as_str()),
    ];
    if draft.title.trim().is_empty() {
        problems.push("the title is empty".to_owned());
    }
    let source = format!("{} {} {}", page.title, page.text, page.url);
    // `3.12` on the page allows `3.12`, `3` and `12`; `1,000` allows `1000`.
    let source_numbers: HashSet<String> = numbers(&source)
        .into_iter()
        .flat_map(|n| {
            let plain = n.replace(',', "");
            let parts: Vec<String> = plain.split('.').map(str::to_owned).collect();
            std::iter::once(plain).chain(parts)
        })
        .collect();
    for (name, text) in fields {
        let lower = text.to_lowercase();
        if contains_link(text) {
            problems.push(format!("{name} contains a link"));
        }
        if mentions_stars(&lower) {
            problems.push(format!(
                "{name} mentions stars (star counts come from GitHub, not from the model)"
            ));
        }
        if text.contains(['[', ']', '`', '<', '>', '*', '\n', '\r'])
            || text.trim_start().starts_with('#')
        {
            problems.push(format!("{name} contains Markdown or a line break"));
        }
        for n in numbers(text) {
            if !source_numbers.contains(&n.replace(',', "")) {
                problems.push(format!(
                    "{name} states {n}, which the page does not contain"
                ));
            }
        }
    }
    let length = draft.description.trim().chars().count();
    if length < lengths.min || length > lengths.max {
        problems.push(format!(
            "the description has {length} characters; this section's are {}–{}",
            lengths.min, lengths.max
        ));
    }
    if problems.is_empty() {
        Ok(Draft {
            title: draft.title.trim().to_owned(),
            original_title: draft.original_title.trim().to_owned(),
            description: draft.description.trim().to_owned(),
        })
    } else {
        Err(problems)
    }
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
