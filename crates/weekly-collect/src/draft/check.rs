//! The checks a model's answer must pass before an editor sees it: the JSON asked for, no
//! link or bare domain, no star count, no number the page does not contain, no Markdown, and
//! a description as long as the section's entries.

use super::{Draft, Lengths, Page};
use std::collections::HashSet;

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
