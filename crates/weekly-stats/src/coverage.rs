//! Whether a text made from issues (an e-book, a season collection) still holds their words.
//!
//! The words are the two kinds `words` counts: Han characters, and Latin words (runs of ASCII
//! letters and digits). Each is kept with how often it occurs, so a text holds another's words
//! when it has each of them at least as often; what it adds (headings, dates, labels) does not
//! make up for what it lost. Markup and URLs are left out on both sides: of Markdown, link and
//! image destinations, reference definitions and labels, HTML tags, comments and entities, and
//! bare URLs; of the text a reader sees, bare URLs (the e-book prints each issue's address).

use std::collections::HashMap;
use weekly_model::lang::is_han;

/// Han characters and Latin words of a text, each with how often it occurs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    counts: HashMap<String, u32>,
    total: u64,
}

/// How much of one text's words another holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Words of the first text.
    pub total: u64,
    /// How many of them the second holds (each word at most as often as it occurs there).
    pub kept: u64,
    /// The words held less often than they occur, with how many are missing, most first (at
    /// most 20).
    pub missing: Vec<(String, u32)>,
}

impl Coverage {
    /// The share kept, from 0 to 1 (1 for a text without words).
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.kept as f64 / self.total as f64
        }
    }
}

impl Words {
    /// The words of Markdown text as a reader sees them: link text and image alt text kept,
    /// destinations, reference definitions and labels, HTML tags, comments and entities, and
    /// bare URLs left out.
    pub fn of_markdown(markdown: &str) -> Words {
        Words::of_text(&markdown_text(markdown))
    }

    /// The words of plain text (what a reader sees of a page), bare URLs left out.
    pub fn of_text(text: &str) -> Words {
        let mut words = Words::default();
        let text = without_urls(text);
        let mut word = String::new();
        for c in text.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_alphanumeric() {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                words.add(std::mem::take(&mut word));
            }
            if is_han(c) {
                words.add(c.to_string());
            }
        }
        words
    }

    fn add(&mut self, word: String) {
        *self.counts.entry(word).or_default() += 1;
        self.total += 1;
    }

    /// Adds the words of `other`.
    pub fn extend(&mut self, other: &Words) {
        for (word, n) in &other.counts {
            *self.counts.entry(word.clone()).or_default() += n;
        }
        self.total += other.total;
    }

    /// How many words (Han characters and Latin words) there are.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// How often `word` occurs.
    pub fn count(&self, word: &str) -> u32 {
        self.counts.get(word).copied().unwrap_or(0)
    }

    /// How much of these words `other` holds.
    pub fn kept_in(&self, other: &Words) -> Coverage {
        let mut kept = 0u64;
        let mut missing: Vec<(String, u32)> = Vec::new();
        for (word, &n) in &self.counts {
            let there = other.count(word);
            kept += u64::from(n.min(there));
            if there < n {
                missing.push((word.clone(), n - there));
            }
        }
        missing.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        missing.truncate(20);
        Coverage {
            total: self.total,
            kept,
            missing,
        }
    }
}

/// Markdown as the text a reader sees: see [`Words::of_markdown`]. Markup characters
/// (`#`, `*`, `|`, `>`…) are kept: they are not words.
fn markdown_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in without_comments(markdown).lines() {
        if is_reference_definition(line) {
            out.push('\n');
            continue;
        }
        out.push_str(&inline_text(line));
        out.push('\n');
    }
    out
}

/// `text` without `<!-- … -->` comments.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => rest = &rest[start + 4 + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// `[label]: destination` (up to three spaces before it).
fn is_reference_definition(line: &str) -> bool {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return false;
    }
    let Some(rest) = trimmed.strip_prefix('[') else {
        return false;
    };
    match rest.find("]:") {
        Some(end) => !rest[..end].is_empty() && !rest[..end].contains('['),
        None => false,
    }
}

/// One line of Markdown without link destinations, reference labels, HTML tags and
/// entities.
fn inline_text(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            // `](destination)` and `][label]`: the destination or label is not text.
            ']' if chars.get(i + 1) == Some(&'(') => {
                let mut depth = 0usize;
                let mut j = i + 1;
                while j < chars.len() {
                    match chars[j] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                out.push(' ');
                i = j + 1;
            }
            ']' if chars.get(i + 1) == Some(&'[') => {
                match chars[i + 2..].iter().position(|&c| c == ']') {
                    Some(end) => i += 2 + end + 1,
                    None => i += 1,
                }
                out.push(' ');
            }
            // An HTML tag or autolink: `<` then a letter, `/` or `!`, up to `>`.
            '<' if chars
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!')) =>
            {
                if let Some(end) = chars[i..].iter().position(|&c| c == '>') {
                    i += end + 1;
                    out.push(' ');
                } else {
                    out.push('<');
                    i += 1;
                }
            }
            // An entity: `&amp;`, `&#39;`, `&#x27;`.
            '&' => {
                let end = chars[i + 1..]
                    .iter()
                    .take(10)
                    .position(|&c| c == ';')
                    .filter(|&n| {
                        n > 0
                            && chars[i + 1..i + 1 + n]
                                .iter()
                                .all(|c| c.is_ascii_alphanumeric() || *c == '#')
                    });
                match end {
                    Some(n) => i += n + 2,
                    None => i += 1,
                }
                out.push(' ');
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// `text` with bare URLs (`scheme://…`, `mailto:…`) replaced by a space.
fn without_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let at = url_start(rest);
        let Some(at) = at else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        out.push(' ');
        let url = &rest[at..];
        let end = url
            .find(|c: char| {
                c.is_whitespace() || !c.is_ascii() || matches!(c, '<' | '>' | '"' | '\'' | '`')
            })
            .unwrap_or(url.len());
        rest = &url[end..];
    }
}

/// Where the first URL of `text` starts: a scheme (letters, then letters, digits, `+`, `-`,
/// `.`) right before `://`, or `mailto:`.
fn url_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut best: Option<usize> = None;
    if let Some(sep) = text.find("://") {
        let mut start = sep;
        while start > 0
            && (bytes[start - 1].is_ascii_alphanumeric()
                || matches!(bytes[start - 1], b'+' | b'-' | b'.'))
        {
            start -= 1;
        }
        while start < sep && !bytes[start].is_ascii_alphabetic() {
            start += 1;
        }
        if start < sep {
            best = Some(start);
        } else {
            // `://` without a scheme: only the separator goes.
            best = Some(sep);
        }
    }
    let lower = text.to_ascii_lowercase();
    if let Some(mail) = lower.find("mailto:") {
        best = Some(best.map_or(mail, |b| b.min(mail)));
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_urls_are_not_words() {
        let md = "## [标题](https://e.example/a_(b)) 和 ![猫图](https://i.example/c.png \"t\")\n\n\
                  * [Ref link][7] <span class=\"x\">kept</span> &amp; <!-- hidden words -->\n\
                  [7]: https://e.example/ref\n\n| a | b |\n|:-:|--|\n| 1 | 2 |\n\n\
                  see https://bare.example/path?q=1 and <https://auto.example/>.\n";
        let words = Words::of_markdown(md);
        for (word, n) in [
            ("标", 1),
            ("和", 1),
            ("猫", 1),
            ("Ref", 1),
            ("link", 1),
            ("kept", 1),
            ("a", 1),
            ("1", 1),
            ("see", 1),
            ("and", 1),
        ] {
            assert_eq!(words.count(word), n, "{word}");
        }
        for gone in [
            "https", "example", "7", "span", "class", "amp", "hidden", "bare", "auto", "t",
        ] {
            assert_eq!(words.count(gone), 0, "{gone}");
        }
        assert_eq!(words.total(), 2 + 1 + 2 + 2 + 1 + 2 + 2 + 2);
    }

    #[test]
    fn coverage_counts_each_word_as_often_as_it_occurs() {
        let source = Words::of_markdown("猫猫狗 Rust rust Rust\n");
        let book = Words::of_text("发布时间 猫 狗 Rust https://e.example/Rust rust");
        let c = source.kept_in(&book);
        assert_eq!((c.total, c.kept), (6, 4));
        assert_eq!(c.missing, vec![("Rust".into(), 1), ("猫".into(), 1)]);
        assert!((c.ratio() - 4.0 / 6.0).abs() < 1e-9);
        assert!((Words::default().kept_in(&book).ratio() - 1.0).abs() < f64::EPSILON);
        let mut both = source.clone();
        both.extend(&book);
        assert_eq!(both.total(), source.total() + book.total());
    }
}
