//! File patterns of `[import]`: paths relative to the archive, `/` between folders, with
//! `{number}` (1 to 6 digits: the issue number), `{date}` (`2024-05-18`, unpadded `2020-12-2`),
//! `*` (any text inside one name) and `**` (any folders, none included) in them.
//!
//! `content/*.md`, `docs/issue-{number}.md`, `docs/en/{date}-weekly.md`, `pages/**`.

use weekly_model::IsoDate;

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// `**`: any number of folders.
    AnyFolders,
    /// One name.
    Name(Vec<Piece>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Any,
    Number,
    Date,
}

/// What a match found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captures {
    /// The number `{number}` matched.
    pub number: Option<u32>,
    /// The text `{date}` matched, as written.
    pub date_text: Option<String>,
}

impl Captures {
    /// The date `{date}` matched, when it is a real date.
    pub fn date(&self) -> Option<IsoDate> {
        self.date_text.as_deref().and_then(IsoDate::parse_loose)
    }
}

impl Pattern {
    /// Reads a pattern; an error says what is wrong with it.
    pub fn new(pattern: &str) -> Result<Pattern, String> {
        let text = pattern.trim();
        if text.is_empty() {
            return Err("a pattern is empty".into());
        }
        if text.starts_with('/') || text.contains('\\') {
            return Err(format!(
                "`{text}`: patterns are relative to the archive, with `/` between folders"
            ));
        }
        let mut segments = Vec::new();
        for name in text.split('/') {
            if name.is_empty() || name == "." || name == ".." {
                return Err(format!(
                    "`{text}`: empty, `.` or `..` folder names are not allowed"
                ));
            }
            if name == "**" {
                if segments.last() != Some(&Segment::AnyFolders) {
                    segments.push(Segment::AnyFolders);
                }
                continue;
            }
            segments.push(Segment::Name(pieces(text, name)?));
        }
        if segments.last() == Some(&Segment::AnyFolders) {
            // `pages/**`: every file under `pages/`.
            segments.push(Segment::Name(vec![Piece::Any]));
        }
        let count = |p: &Piece| {
            segments
                .iter()
                .filter_map(|s| match s {
                    Segment::Name(pieces) => Some(pieces.iter().filter(|x| *x == p).count()),
                    Segment::AnyFolders => None,
                })
                .sum::<usize>()
        };
        if count(&Piece::Number) > 1 || count(&Piece::Date) > 1 {
            return Err(format!(
                "`{text}`: `{{number}}` and `{{date}}` may appear once each"
            ));
        }
        Ok(Pattern {
            text: text.to_owned(),
            segments,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the pattern holds `{number}`.
    pub fn has_number(&self) -> bool {
        self.has(&Piece::Number)
    }

    /// True when the pattern holds `{date}`.
    pub fn has_date(&self) -> bool {
        self.has(&Piece::Date)
    }

    fn has(&self, piece: &Piece) -> bool {
        self.segments
            .iter()
            .any(|s| matches!(s, Segment::Name(p) if p.contains(piece)))
    }

    /// What `path` (relative, `/` between folders) gives when it has this pattern's shape.
    pub fn matches(&self, path: &str) -> Option<Captures> {
        let names: Vec<&str> = path.split('/').collect();
        let mut found = Captures::default();
        match_segments(&self.segments, &names, &mut found).then_some(found)
    }
}

fn pieces(pattern: &str, name: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let piece = if let Some(r) = rest.strip_prefix("{number}") {
            rest = r;
            Piece::Number
        } else if let Some(r) = rest.strip_prefix("{date}") {
            rest = r;
            Piece::Date
        } else if let Some(r) = rest.strip_prefix('*') {
            rest = r;
            Piece::Any
        } else if c == '{' || c == '}' {
            return Err(format!(
                "`{pattern}`: only `{{number}}` and `{{date}}` may be written in braces"
            ));
        } else {
            literal.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        if !literal.is_empty() {
            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
        }
        if piece == Piece::Any && pieces.last() == Some(&Piece::Any) {
            continue;
        }
        pieces.push(piece);
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

fn match_segments(segments: &[Segment], names: &[&str], found: &mut Captures) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return names.is_empty();
    };
    match first {
        Segment::AnyFolders => {
            (0..names.len()).any(|skip| match_segments(rest, &names[skip..], found))
        }
        Segment::Name(pieces) => {
            let Some((name, others)) = names.split_first() else {
                return false;
            };
            let mut here = Captures::default();
            if !match_pieces(pieces, name, &mut here) {
                return false;
            }
            let mut later = Captures::default();
            if !match_segments(rest, others, &mut later) {
                return false;
            }
            found.number = here.number.or(later.number);
            found.date_text = here.date_text.or(later.date_text);
            true
        }
    }
}

fn match_pieces(pieces: &[Piece], text: &str, found: &mut Captures) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return text.is_empty();
    };
    match first {
        Piece::Literal(l) => text
            .strip_prefix(l.as_str())
            .is_some_and(|after| match_pieces(rest, after, found)),
        Piece::Any => {
            let ends = text
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()));
            for end in ends {
                if match_pieces(rest, &text[end..], found) {
                    return true;
                }
            }
            false
        }
        Piece::Number => {
            let digits = text.bytes().take_while(u8::is_ascii_digit).count();
            for len in (1..=digits.min(6)).rev() {
                if match_pieces(rest, &text[len..], found) {
                    found.number = text[..len].parse().ok();
                    return found.number.is_some();
                }
            }
            false
        }
        Piece::Date => {
            for len in date_lengths(text) {
                if match_pieces(rest, &text[len..], found) {
                    found.date_text = Some(text[..len].to_owned());
                    return true;
                }
            }
            false
        }
    }
}

/// Lengths of the date shapes `text` starts with (`YYYY-M-D` to `YYYY-MM-DD`), longest first.
pub(crate) fn date_lengths(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let digits = |from: usize| {
        b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut lengths = Vec::new();
    if digits(0) < 4 || b.get(4) != Some(&b'-') {
        return lengths;
    }
    for m in (1..=digits(5).min(2)).rev() {
        let dash = 5 + m;
        if b.get(dash) != Some(&b'-') {
            continue;
        }
        for d in (1..=digits(dash + 1).min(2)).rev() {
            lengths.push(dash + 1 + d);
        }
    }
    lengths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, path: &str) -> Option<Captures> {
        Pattern::new(pattern).unwrap().matches(path)
    }

    #[test]
    fn numbers_dates_and_stars() {
        let c = m("docs/issue-{number}.md", "docs/issue-407.md").unwrap();
        assert_eq!(c.number, Some(407));
        assert!(m("docs/issue-{number}.md", "docs/issue-x.md").is_none());
        assert!(m("docs/issue-{number}.md", "docs/sub/issue-1.md").is_none());
        let c = m(
            "content/{date}-*.md",
            "content/2020-12-2-this-week-in-rust.md",
        )
        .unwrap();
        assert_eq!(c.date_text.as_deref(), Some("2020-12-2"));
        assert_eq!(c.date().unwrap().to_string(), "2020-12-02");
        let c = m(
            "content/{date}-*.md",
            "content/2013-06-07-this-week-in-rust.md",
        )
        .unwrap();
        assert_eq!(c.date().unwrap().to_string(), "2013-06-07");
        assert!(m("content/*.md", "content/a.markdown").is_none());
        assert!(m("content/*.markdown", "content/a.markdown").is_some());
    }

    #[test]
    fn folders() {
        assert!(m("pages/**", "pages/about.md").is_some());
        assert!(m("pages/**", "pages/a/b/c.md").is_some());
        assert!(m("**/pages/**", "content/pages/a.md").is_some());
        assert!(m("**/*.md", "a.md").is_some());
        assert!(m("**/*.md", "a/b.md").is_some());
        assert!(m("pages/**", "content/x.md").is_none());
        let c = m("{number}/**/index.md", "12/x/y/index.md").unwrap();
        assert_eq!(c.number, Some(12));
    }

    #[test]
    fn bad_patterns() {
        assert!(Pattern::new("/abs/*.md").is_err());
        assert!(Pattern::new("a/../b").is_err());
        assert!(Pattern::new("{theme}.md").is_err());
        assert!(Pattern::new("{number}-{number}.md").is_err());
        assert!(Pattern::new("").is_err());
    }
}
