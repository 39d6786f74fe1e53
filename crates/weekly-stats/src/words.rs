//! Word counts of a document, in the two senses Chinese newsletters use.
//!
//! - `han`: Han characters of the *content* (every preamble paragraph, section heading, entry
//!   title and body, closing paragraph; not the title or front matter; link and image URLs
//!   dropped, link text kept). This is what a Chinese reader means by 字数.
//! - `latin`: runs of ASCII letters and digits of the same content, the word count of an
//!   English edition.
//! - `jieba`: the quantity Python Trending Weekly stamped as "全文 N 字" from issue 87 on,
//!   computed the way it was: on the Markdown file without its front matter, every
//!   `[text](url)` with non-empty text replaced by its text (images and their URLs stay), the
//!   characters `#`, `*`, `` ` `` and `>` removed, then the jieba tokens (HMM on) that are not
//!   white space, punctuation included. jieba-rs and Python's jieba segment a little
//!   differently, so this lands within a few percent of the historic stamps.

use jieba_rs::Jieba;
use std::sync::LazyLock;
use weekly_model::Document;
use weekly_model::inline::plain_text;
use weekly_model::lang::han_count;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// The shared segmenter with jieba's default dictionary (built on first use, ~0.1 s).
pub fn jieba() -> &'static Jieba {
    &JIEBA
}

/// Word counts of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct WordCounts {
    /// Han characters.
    pub han: u32,
    /// Non-space jieba tokens, punctuation included.
    pub jieba: u32,
    /// Words of Latin script (runs of ASCII letters and digits).
    pub latin: u32,
}

/// The content text of `document` as counted: see the module documentation.
pub fn content_text(document: &Document) -> String {
    let mut out = String::new();
    let mut push = |markdown: &str| {
        for line in markdown.lines() {
            let plain = plain_text(line);
            out.extend(
                plain
                    .chars()
                    .filter(|c| !matches!(c, '#' | '*' | '`' | '>')),
            );
            out.push('\n');
        }
    };
    for block in &document.preamble {
        push(&block.text);
    }
    for section in document.all_sections() {
        push(&section.heading.text);
        for block in &section.intro {
            push(&block.text);
        }
        for entry in &section.entries {
            push(&entry.title);
            for block in &entry.body {
                push(&block.text);
            }
        }
    }
    for part in &document.parts {
        push(&part.heading.text);
        for block in &part.intro {
            push(&block.text);
        }
    }
    for block in &document.postamble {
        push(&block.text);
    }
    out
}

/// Counts words of `document` (see the module documentation for the definitions).
pub fn word_counts(document: &Document) -> WordCounts {
    let mut counts = counts_of_text(&content_text(document));
    counts.jieba = jieba_tokens(&stamp_text(&weekly_render::markdown::render(document)));
    counts
}

/// Non-space jieba tokens of `text`, as Python's jieba counts them: jieba-rs keeps a run such as
/// `PEP-517`, `1.3K` or `Node.js` as one token where Python's jieba (whose HMM step splits the
/// letters and digits it has no word for with `[a-zA-Z0-9]+(?:\.\d+)?%?`) gives `PEP` `-` `517`,
/// `1.3` `K`, `Node` `.` `js`; a token without Han characters is split the same way here.
pub fn jieba_tokens(text: &str) -> u32 {
    JIEBA
        .cut(text, true)
        .iter()
        .map(|t| {
            let word = t.word.trim();
            if word.is_empty() {
                0
            } else if word
                .chars()
                .any(|c| han_count(c.encode_utf8(&mut [0; 4])) > 0)
            {
                1
            } else {
                python_pieces(word)
            }
        })
        .sum()
}

/// The pieces Python's jieba makes of a run without Han characters: each `[a-zA-Z0-9]+` with
/// an optional `.digits` and `%`, and each run of other characters between them.
fn python_pieces(word: &str) -> u32 {
    let chars: Vec<char> = word.chars().collect();
    let (mut i, mut pieces) = (0, 0);
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        pieces += 1;
        if chars[i].is_ascii_alphanumeric() {
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < chars.len() && chars[i] == '%' {
                i += 1;
            }
        } else {
            while i < chars.len() && !chars[i].is_ascii_alphanumeric() && !chars[i].is_whitespace()
            {
                i += 1;
            }
        }
    }
    pieces
}

/// The text the historic word stamp was counted on: front matter removed, `[text](url)` with
/// non-empty text reduced to its text (the first `]` ends the text, the first `)` the URL),
/// `#`, `*`, `` ` `` and `>` removed.
pub fn stamp_text(markdown: &str) -> String {
    let body = match markdown.strip_prefix("---") {
        Some(rest) => rest.find("---").map_or(markdown, |end| &rest[end + 3..]),
        None => markdown,
    };
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let link = after
            .find(']')
            .filter(|&close| close > 0)
            .and_then(|close| {
                let url = after[close + 1..].strip_prefix('(')?;
                let end = url.find(')').filter(|&e| e > 0)?;
                Some((&after[..close], &url[end + 1..]))
            });
        if let Some((text, next)) = link {
            out.push_str(text);
            rest = next;
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    out.retain(|c| !matches!(c, '#' | '*' | '`' | '>'));
    out
}

/// Counts words of plain text (`jieba` here is the plain token count of `text`).
pub fn counts_of_text(text: &str) -> WordCounts {
    let jieba = jieba_tokens(text) as usize;
    let mut latin = 0;
    let mut in_word = false;
    for c in text.chars() {
        let word_char = c.is_ascii_alphanumeric();
        if word_char && !in_word {
            latin += 1;
        }
        in_word = word_char;
    }
    WordCounts {
        han: han_count(text) as u32,
        jieba: jieba as u32,
        latin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_han_tokens_and_latin_words() {
        let c = counts_of_text("我来到北京清华大学，学习 Rust 2024。");
        assert_eq!(c.han, 11);
        // 我 / 来到 / 北京 / 清华大学 / ， / 学习 / Rust / 2024 / 。
        assert_eq!(c.jieba, 9);
        assert_eq!(c.latin, 2);
        assert_eq!(
            stamp_text("---\ntitle: x\n---\n# T\n[a](u) ![](i.png) [](e) [b](x_(y)) **c** `d` > e"),
            "\n T\na ![](i.png) [](e) b) c d  e"
        );
        let english = counts_of_text("Shared 12 articles, and open-source projects.");
        // Shared / 12 / articles / , / and / open / - / source / projects / .
        assert_eq!((english.han, english.jieba, english.latin), (0, 10, 7));
        // As Python's jieba: PEP / - / 517 , 1.3 / K , Node / . / js
        assert_eq!(python_pieces("PEP-517"), 3);
        assert_eq!(python_pieces("1.3K"), 2);
        assert_eq!(python_pieces("Node.js"), 3);
        assert_eq!(python_pieces("50%"), 1);
    }
}
