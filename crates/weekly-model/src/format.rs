//! How a newsletter writes its issues: the header, the title, the heading levels of sections
//! and categories, and the kinds of entry lines. Python Trending Weekly's way is the default;
//! every other newsletter declares its own in `weekly.toml` `[format]`.

use crate::document::TitleParts;

/// The kinds of numbered entry lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Numbering {
    /// `1、title`
    Dunhao,
    /// `1. title`
    Dot,
    /// `① title`
    Circled,
}

/// A title pattern: literal text with `{number}` (digits), `{theme}` (any text, possibly
/// empty) and `*` (any text) in it, compared after spaces are folded: `科技爱好者周刊（第
/// {number} 期）：{theme}`, `This Week in Rust {number}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TitlePattern {
    pieces: Vec<Piece>,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Piece {
    Literal(String),
    Number,
    Theme,
    Any,
}

impl TitlePattern {
    /// Reads a pattern; an error says what is wrong with it.
    pub fn new(pattern: &str) -> Result<TitlePattern, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = pattern;
        while let Some(c) = rest.chars().next() {
            let piece = if let Some(r) = rest.strip_prefix("{number}") {
                rest = r;
                Some(Piece::Number)
            } else if let Some(r) = rest.strip_prefix("{theme}") {
                rest = r;
                Some(Piece::Theme)
            } else if let Some(r) = rest.strip_prefix('*') {
                rest = r;
                Some(Piece::Any)
            } else {
                literal.push(c);
                rest = &rest[c.len_utf8()..];
                None
            };
            if let Some(piece) = piece {
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                if matches!(
                    (pieces.last(), &piece),
                    (Some(Piece::Theme | Piece::Any), Piece::Theme | Piece::Any)
                ) {
                    return Err(format!(
                        "`{pattern}`: two open parts (`{{theme}}`, `*`) need text between them"
                    ));
                }
                pieces.push(piece);
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        if pieces.iter().filter(|p| **p == Piece::Number).count() != 1 {
            return Err(format!("`{pattern}` must hold `{{number}}` once"));
        }
        if pieces.iter().filter(|p| **p == Piece::Theme).count() > 1 {
            return Err(format!("`{pattern}` may hold `{{theme}}` once"));
        }
        Ok(TitlePattern {
            pieces,
            text: pattern.to_owned(),
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The number and theme of `title` when it has this pattern's shape.
    pub fn parse(&self, title: &str) -> Option<(u32, String)> {
        let title = title.trim();
        let (folded, offsets) = fold_map(title);
        let mut found = Found::default();
        if !matches(&self.pieces, &folded, 0, &mut found) {
            return None;
        }
        let theme = found
            .theme
            .map(|(a, b)| title[offsets[a]..offsets[b]].trim().to_owned())
            .unwrap_or_default();
        Some((found.number?, theme))
    }
}

/// What a match found: the number, and the theme's range in the folded text.
#[derive(Default)]
struct Found {
    number: Option<u32>,
    theme: Option<(usize, usize)>,
}

/// One character as compared: spaces (ASCII and ideographic) dropped, full-width ASCII forms
/// read as ASCII, Latin letters without case, so that `第 407 期` and `第407期`, `（` and `(`,
/// `This Week In Rust` and `This Week in Rust` compare equal.
fn fold_char(c: char) -> Option<char> {
    if c.is_whitespace() {
        return None;
    }
    let ascii = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    Some(ascii.to_ascii_lowercase())
}

fn fold_spaces(text: &str) -> String {
    text.chars().filter_map(fold_char).collect()
}

/// The folded text, and for each of its byte positions (and its end) the byte position in
/// `text` it came from.
fn fold_map(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        if let Some(f) = fold_char(c) {
            folded.push(f);
            offsets.extend(std::iter::repeat_n(i, f.len_utf8()));
        }
    }
    // A range ending at the folded end ends where the last kept character ends.
    let end = text
        .char_indices()
        .rev()
        .find(|&(_, c)| fold_char(c).is_some())
        .map_or(0, |(i, c)| i + c.len_utf8());
    offsets.push(end);
    (folded, offsets)
}

fn matches(pieces: &[Piece], text: &str, at: usize, found: &mut Found) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return at == text.len();
    };
    let here = &text[at..];
    match first {
        Piece::Literal(l) => {
            let l = fold_spaces(l);
            here.starts_with(l.as_str()) && matches(rest, text, at + l.len(), found)
        }
        Piece::Number => {
            let digits = here.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 6 {
                return false;
            }
            let Ok(n) = here[..digits].parse() else {
                return false;
            };
            if matches(rest, text, at + digits, found) {
                found.number = Some(n);
                true
            } else {
                false
            }
        }
        Piece::Theme | Piece::Any => {
            // The shortest text that lets the rest match (with nothing after it, everything).
            let ends = here
                .char_indices()
                .map(|(i, _)| at + i)
                .chain(std::iter::once(text.len()));
            for end in ends {
                if matches(rest, text, end, found) {
                    if *first == Piece::Theme {
                        found.theme = Some((at, end));
                    }
                    return true;
                }
            }
            false
        }
    }
}

/// The heading levels that hold sections and their categories.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Levels {
    /// Levels of section headings (`[2]`: `## 文章&教程`).
    pub sections: Vec<u8>,
    /// Levels of category headings inside a section (`[3]`: `### Official`); their entries
    /// belong to the section. Empty: `###` under unknown `##` headings is a season collection.
    pub categories: Vec<u8>,
}

/// How a newsletter writes its issues.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Format {
    /// Header keys (compared without case) that give the title, the issue number and the date
    /// in YAML front matter or `Key: value` lines.
    pub title_keys: Vec<String>,
    pub number_keys: Vec<String>,
    pub date_keys: Vec<String>,
    /// Whether `Key: value` lines at the top of a file are its header (Pelican, Jekyll-like).
    pub field_header: bool,
    /// Title patterns, tried in order before the built-in reading of `Name #N：theme`.
    pub titles: Vec<TitlePattern>,
    /// Heading levels of sections and categories.
    pub levels: Levels,
    /// Numbered entry lines this newsletter writes.
    pub numbering: Vec<Numbering>,
    /// Whether bullet items (`*`, `-`, `+`, at any depth) that hold a link are entries.
    pub bullets: bool,
    /// Heading patterns (`本周话题：*`) of sections whose text is an essay: lists in them are
    /// text, never entries.
    pub essays: Vec<String>,
}

impl Default for Format {
    fn default() -> Self {
        Format::python_weekly()
    }
}

impl Format {
    /// Python Trending Weekly: YAML front matter, `##` sections (`###` under unknown `##`
    /// headings in season collections), `1、`, `1.` and `①` entries.
    pub fn python_weekly() -> Format {
        Format {
            title_keys: vec!["title".into()],
            number_keys: vec!["number".into()],
            date_keys: vec!["pubDate".into(), "date".into()],
            field_header: false,
            titles: Vec::new(),
            levels: Levels {
                sections: vec![2],
                categories: Vec::new(),
            },
            numbering: vec![Numbering::Dunhao, Numbering::Dot, Numbering::Circled],
            bullets: false,
            essays: Vec::new(),
        }
    }

    /// Number and theme of an issue title: the first pattern that matches; without patterns,
    /// the built-in reading (`Name#N：theme`, `Name N: theme`). A newsletter that declares its
    /// patterns is not second-guessed: a title none of them matches has no number (the
    /// built-in reading would take `…：旅程不会停在 Day 1` for issue 1).
    pub fn title_parts(&self, title: &str) -> TitleParts {
        for pattern in &self.titles {
            if let Some((number, theme)) = pattern.parse(title) {
                let brand = pattern
                    .pieces
                    .first()
                    .and_then(|p| match p {
                        Piece::Literal(l) => Some(l.trim().to_owned()),
                        _ => None,
                    })
                    .unwrap_or_default();
                return TitleParts {
                    brand,
                    number: Some(number),
                    theme,
                };
            }
        }
        if !self.titles.is_empty() {
            return TitleParts {
                brand: title.trim().to_owned(),
                number: None,
                theme: String::new(),
            };
        }
        TitleParts::parse(title)
    }

    /// True when `key` (any case) is one of `keys`.
    pub fn is_key(keys: &[String], key: &str) -> bool {
        keys.iter().any(|k| k.eq_ignore_ascii_case(key.trim()))
    }

    /// True when a heading's plain text is an essay section's.
    pub fn is_essay(&self, heading: &str) -> bool {
        self.essays.iter().any(|p| glob(p, heading.trim()))
    }
}

/// `*` matches any text; everything else itself (spaces folded).
pub fn glob(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (fold_spaces(pattern), fold_spaces(text));
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_patterns_give_number_and_theme() {
        let p = TitlePattern::new("科技爱好者周刊（第 {number} 期）：{theme}").unwrap();
        assert_eq!(
            p.parse("科技爱好者周刊（第 407 期）：国家为什么需要开源软件？"),
            Some((407, "国家为什么需要开源软件？".into()))
        );
        assert_eq!(
            p.parse("科技爱好者周刊（第407期）：主题"),
            Some((407, "主题".into()))
        );
        assert_eq!(p.parse("科技爱好者周刊：第 1 期"), None);
        let p = TitlePattern::new("This Week in Rust {number}").unwrap();
        assert_eq!(p.parse("This Week in Rust 528"), Some((528, String::new())));
        assert_eq!(p.parse("This Week In Rust 12"), Some((12, String::new())));
        assert_eq!(p.parse("This Week in Rust 528 extra"), None);
        let p = TitlePattern::new("* Week* in Rust {number}").unwrap();
        assert_eq!(p.parse("These Weeks in Rust 9"), Some((9, String::new())));
        let p = TitlePattern::new("Day {number}: {theme}").unwrap();
        assert_eq!(p.parse("Day 1: start"), Some((1, "start".into())));
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert!(TitlePattern::new("no number").is_err());
        assert!(TitlePattern::new("{number} {number}").is_err());
        assert!(TitlePattern::new("{number}{theme}*").is_err());
    }

    #[test]
    fn with_patterns_a_title_none_matches_has_no_number() {
        let f = Format {
            titles: vec![TitlePattern::new("周报（第 {number} 期）：{theme}").unwrap()],
            ..Format::python_weekly()
        };
        let t = f.title_parts("周报（第 260 期）：旅程不会停在 Day 1");
        assert_eq!(
            (t.number, t.theme.as_str()),
            (Some(260), "旅程不会停在 Day 1")
        );
        let t = f.title_parts("番外：旅程不会停在 Day 1");
        assert_eq!((t.number, t.theme.as_str()), (None, ""));
    }

    #[test]
    fn without_patterns_the_built_in_reading_is_used() {
        let f = Format::python_weekly();
        let t = f.title_parts("Python 潮流周刊#12：主题");
        assert_eq!((t.number, t.theme.as_str()), (Some(12), "主题"));
    }

    #[test]
    fn globs() {
        assert!(glob("本周话题：*", "本周话题：为什么"));
        assert!(glob("本周话题：*", "本周话题： 为什么"));
        assert!(!glob("本周话题：*", "图片：幸存者"));
        assert!(glob("*Rust*", "This Week in Rust"));
        assert!(glob("新闻", "新闻"));
    }
}
