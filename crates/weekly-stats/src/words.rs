//! Word counts of a document, in the two senses Chinese newsletters use.
//!
//! Both count the *content* of a document: every preamble paragraph, section heading, entry
//! title and body, and closing paragraph; not the title or front matter. Link and image URLs are
//! dropped (link text is kept), and Markdown markers (`#`, `*`, `` ` ``, `>`) and escapes are
//! removed.
//!
//! - `han`: Han characters. This is what a Chinese reader means by 字数, and what a CJK
//!   editor should print.
//! - `jieba`: jieba tokens (HMM on) that are not white space, punctuation included. This is the
//!   quantity Python Trending Weekly stamped as "全文 N 字" from issue 87 on. Dictionary and
//!   version differences between Python jieba and jieba-rs, and later edits of the texts, keep
//!   it within a few percent of the historic stamps rather than equal to them.
//! - `latin`: runs of ASCII letters and digits, the word count of an English edition.

use jieba_rs::Jieba;
use std::sync::LazyLock;
use weekly_model::Document;
use weekly_model::inline::plain_text;
use weekly_model::lang::han_count;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

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
    counts_of_text(&content_text(document))
}

/// Counts words of plain text.
pub fn counts_of_text(text: &str) -> WordCounts {
    let jieba = JIEBA
        .cut(text, true)
        .iter()
        .filter(|t| !t.word.trim().is_empty())
        .count();
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
        let english = counts_of_text("Shared 12 articles, and open-source projects.");
        // Shared / 12 / articles / , / and / open-source / projects / .
        assert_eq!((english.han, english.jieba, english.latin), (0, 8, 7));
    }
}
