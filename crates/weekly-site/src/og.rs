//! The Open Graph card of an issue: a 1200×630 SVG with the newsletter's name, the issue's
//! number and date, its theme and what it holds. The program turns it into the PNG that link
//! previews show (see `weekly_app::og`); here it is only text, so the site stays pure.

use crate::markdown::escape;
use std::fmt::Write as _;

/// Card size, as link previews expect.
pub const WIDTH: u32 = 1200;
/// Card height.
pub const HEIGHT: u32 = 630;
/// The file name of a card beside its issue page.
pub const FILE: &str = "og.png";

/// What a card shows.
#[derive(Debug, Clone)]
pub struct Card<'a> {
    /// Newsletter name.
    pub name: &'a str,
    /// `#42` or `第 42 期`.
    pub number: &'a str,
    /// Publication date.
    pub date: &'a str,
    /// The issue's title or theme.
    pub title: &'a str,
    /// One line of figures (`12 篇文章 · 12 个项目`).
    pub figures: &'a str,
    /// True for Chinese, Japanese and Korean text (wider glyphs).
    pub cjk: bool,
}

/// A card whose text is drawn with these families, the first installed one winning.
const FONTS: &str = "Noto Sans CJK SC, Noto Sans CJK JP, Source Han Sans SC, WenQuanYi Micro Hei, Noto Sans, DejaVu Sans, sans-serif";

/// The card as a standalone SVG document.
pub fn card(c: &Card<'_>) -> String {
    let mut out = String::with_capacity(2048);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\
<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#14213d\"/>\
<rect x=\"0\" y=\"0\" width=\"16\" height=\"{HEIGHT}\" fill=\"#fca311\"/>\
<g font-family=\"{FONTS}\">\
<text x=\"80\" y=\"110\" font-size=\"40\" fill=\"#fca311\">{}</text>\
<text x=\"80\" y=\"170\" font-size=\"32\" fill=\"#c9d1e0\">{} · {}</text>",
        escape(&one_line(c.name, 40.0)),
        escape(c.number),
        escape(c.date)
    );
    // Three lines of title at most, each as wide as the card leaves between its padding.
    let lines = wrap_em(c.title, TEXT_WIDTH / 60.0, 3);
    let mut y = 290;
    for line in &lines {
        let _ = write!(
            out,
            "<text x=\"80\" y=\"{y}\" font-size=\"60\" font-weight=\"bold\" fill=\"#ffffff\">{}</text>",
            escape(line)
        );
        y += 80;
    }
    let _ = write!(
        out,
        "<text x=\"80\" y=\"570\" font-size=\"30\" fill=\"#c9d1e0\">{}</text></g></svg>",
        escape(&one_line(c.figures, 30.0))
    );
    out
}

/// The width text may take: from its left edge (80) to the right padding (40 px, where
/// nothing is drawn).
const TEXT_WIDTH: f32 = WIDTH as f32 - 80.0 - 40.0;

/// `text` on one line at `size` px, cut with `…` where the card's width runs out.
fn one_line(text: &str, size: f32) -> String {
    wrap_em(text, TEXT_WIDTH / size, 1)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// About how wide a character is drawn, in em of a bold sans-serif face — on the wide side
/// of the faces a card may be drawn with, so that a line never runs into the padding.
fn em(c: char) -> f32 {
    match c {
        'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '`' => 0.34,
        'f' | 't' | 'r' | 'I' | 'J' | '(' | ')' | '[' | ']' | '{' | '}' | '-' | '"' | ' ' => 0.44,
        'm' | 'w' | 'M' | 'W' | '@' | '%' | '&' => 0.98,
        'A'..='Z' | '#' | '?' => 0.78,
        'a'..='z' | '0'..='9' => 0.66,
        c if c.is_ascii() => 0.66,
        c if is_wide(c) => 1.02,
        _ => 0.8,
    }
}

/// Han, kana, hangul and full-width forms: a whole em each.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// `text` in at most `max_lines` lines of at most `max_em` em each (see [`em`]), the last
/// one ending with `…` when text is left over. Latin words are broken only when one alone
/// is wider than a line; a line may break after any wide character.
pub fn wrap_em(text: &str, max_em: f32, max_lines: usize) -> Vec<String> {
    let width = |s: &str| s.chars().map(em).sum::<f32>();
    let mut pieces: Vec<String> = Vec::new();
    for word in text.split_inclusive(|c: char| c.is_whitespace() || is_wide(c)) {
        if width(word) <= max_em {
            pieces.push(word.to_owned());
            continue;
        }
        // A word wider than a line (a long name or URL): cut by characters.
        let mut part = String::new();
        for c in word.chars() {
            if width(&part) + em(c) > max_em && !part.is_empty() {
                pieces.push(std::mem::take(&mut part));
            }
            part.push(c);
        }
        pieces.push(part);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut left_over = false;
    for (i, piece) in pieces.iter().enumerate() {
        if width(line.trim_end()) + width(piece.trim_end()) > max_em && !line.trim().is_empty() {
            lines.push(line.trim().to_owned());
            line.clear();
            if lines.len() == max_lines {
                left_over = i < pieces.len();
                break;
            }
        }
        line.push_str(piece);
    }
    if !left_over && !line.trim().is_empty() {
        lines.push(line.trim().to_owned());
    }
    if left_over && let Some(last) = lines.last_mut() {
        let mut kept: String = last.clone();
        while !kept.is_empty() && width(&kept) + em('…') > max_em {
            kept.pop();
        }
        *last = kept.trim_end().to_owned() + "…";
    }
    lines
}

/// The figures of an issue as the card shows them: each counted section's name (without its
/// emoji, which the card's fonts may lack) and number of entries.
pub fn figures(view: &crate::view::IssueView) -> String {
    view.sections
        .iter()
        .filter(|s| s.counted && !s.entries.is_empty())
        .map(|s| {
            let name = s
                .heading
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .trim();
            format!("{name} {}", s.entries.len())
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `text` in at most `max_lines` lines of about `width` wide characters (a Latin letter
/// counts half), the last one ending with `…` when text is left over. Latin words are not
/// broken.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width * 2;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let mut cut = false;
    for word in text.split_inclusive(|c: char| c.is_whitespace() || !c.is_ascii()) {
        let w: usize = word.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        if used + w > width && !line.trim().is_empty() {
            lines.push(line.trim().to_owned());
            line.clear();
            used = 0;
            if lines.len() == max_lines {
                cut = true;
                break;
            }
        }
        line.push_str(word);
        used += w;
    }
    if !cut && !line.trim().is_empty() {
        lines.push(line.trim().to_owned());
    }
    if cut && let Some(last) = lines.last_mut() {
        let mut chars: Vec<char> = last.chars().collect();
        chars.truncate(chars.len().saturating_sub(1));
        *last = chars.into_iter().collect::<String>() + "…";
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_escapes_its_text_and_wraps_the_title() {
        let svg = card(&Card {
            name: "Rust <星期刊>",
            number: "第 7 期",
            date: "2026-10-17",
            title: "错误处理再思考：库与应用的不同选择，以及在大型代码库中统一错误码的经验与教训，还有更多更多的内容等你来看",
            figures: "5 篇文章 · 6 个开源项目",
            cjk: true,
        });
        assert!(svg.contains("Rust &lt;星期刊&gt;"), "{svg}");
        assert_eq!(svg.matches("font-size=\"60\"").count(), 3, "{svg}");
        assert!(svg.contains("…</text>"), "{svg}");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn card_lines_fit_between_the_paddings() {
        let title = "Does Elegance Matter? How to Write Pythonic Code When We Have \
                     Discussions About Performance, Readability and Maintainability";
        let lines = wrap_em(title, TEXT_WIDTH / 60.0, 3);
        assert_eq!(lines.len(), 3, "{lines:?}");
        for line in &lines {
            let w: f32 = line.chars().map(em).sum();
            assert!(w * 60.0 <= TEXT_WIDTH, "{line}: {} px", w * 60.0);
        }
        assert!(lines[2].ends_with('…'), "{lines:?}");
        // A word wider than a line is cut, never drawn past the edge.
        let long = "x".repeat(80);
        for line in wrap_em(&long, TEXT_WIDTH / 60.0, 3) {
            assert!(line.chars().map(em).sum::<f32>() * 60.0 <= TEXT_WIDTH);
        }
        // Han text breaks after any character.
        let han = wrap_em(&"汉".repeat(40), TEXT_WIDTH / 60.0, 3);
        assert!(han.len() == 3 && han[0].chars().count() == 17, "{han:?}");
    }

    #[test]
    fn latin_words_are_not_broken() {
        let lines = wrap(
            "Python Trending Weekly asks whether asyncio is worth it",
            15,
            3,
        );
        assert!(lines.len() >= 2);
        for line in &lines {
            assert!(!line.starts_with(' ') && !line.ends_with(' '));
        }
        assert_eq!(
            lines.join(" "),
            "Python Trending Weekly asks whether asyncio is worth it"
        );
    }
}
