//! The generated cover: title, subtitle and figures over the season's word cloud, as SVG.

use crate::{Book, esc};
use std::fmt::Write as _;

/// Cover size (2:3, as e-book stores expect).
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 900.0;
const COLOURS: [&str; 5] = ["#f6d365", "#a1c4fd", "#c2e9fb", "#fbc2eb", "#d4fc79"];

/// The cover of `book` as a standalone SVG document.
pub fn svg(book: &Book) -> String {
    let mut out = String::with_capacity(8192);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\
<title>{}</title><rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#1d2b3a\"/>",
        esc(&book.title)
    );
    let variant = crate::cjk_variant(&book.lang).unwrap_or("SC");
    let font = format!(
        "font-family=\"Noto Sans CJK {variant}, Source Han Sans {variant}, Noto Sans, sans-serif, Noto Color Emoji\""
    );
    let mut y: f64 = 120.0;
    for line in wrap(&book.title, 14) {
        let _ = write!(
            out,
            "<text x=\"300\" y=\"{y}\" {font} font-size=\"40\" font-weight=\"bold\" fill=\"#ffffff\" text-anchor=\"middle\">{}</text>",
            esc(&line)
        );
        y += 54.0;
    }
    let _ = write!(
        out,
        "<text x=\"300\" y=\"{}\" {font} font-size=\"22\" fill=\"#c9d6e3\" text-anchor=\"middle\">{}</text>",
        y + 6.0,
        esc(&book.subtitle)
    );
    y += 60.0;
    let figures: Vec<String> = book
        .figures
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("{label} {n}"))
        .collect();
    for line in figures.chunks(3) {
        let _ = write!(
            out,
            "<text x=\"300\" y=\"{y}\" {font} font-size=\"20\" fill=\"#f6d365\" text-anchor=\"middle\">{}</text>",
            esc(&line.join(" · "))
        );
        y += 32.0;
    }
    // The cloud fills the lower part, scaled from the site's layout box.
    let placed = weekly_svg::cloud::layout(&book.words);
    let top = y.max(380.0) + 20.0;
    let scale = (WIDTH - 40.0) / weekly_svg::cloud::WIDTH;
    let _ = write!(
        out,
        "<g transform=\"translate(20 {top:.1}) scale({scale:.4})\">"
    );
    for (i, p) in placed.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" {font} font-size=\"{:.0}\" fill=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\">{}</text>",
            p.x + p.w / 2.0,
            p.y + p.h / 2.0,
            p.size,
            COLOURS[i % COLOURS.len()],
            esc(&p.word)
        );
    }
    out.push_str("</g></svg>\n");
    out
}

/// `text` cut into lines of about `width` wide characters, as the site's cards cut titles.
/// `text` in lines of about `width` wide characters, broken between phrases where it can: at
/// spaces and before an opening bracket (`Python 潮流周刊 | 第 2 季合集 | （31~60）`). A phrase
/// wider than a line is broken inside, the way [`weekly_svg::text::wrap`] does.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let wide = |s: &str| -> usize { s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
    let mut phrases: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if (c.is_whitespace() || "（([「『【《".contains(c)) && !current.trim().is_empty() {
            phrases.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    phrases.push(current);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for phrase in phrases {
        let joined = format!("{line}{phrase}");
        if wide(joined.trim()) <= width * 2 || line.trim().is_empty() {
            line = joined;
        } else {
            lines.push(line.trim().to_owned());
            phrase.trim_start().clone_into(&mut line);
        }
        // A phrase too wide for any line: broken inside.
        if wide(line.trim()) > width * 2 {
            let mut parts = weekly_svg::text::wrap(line.trim(), width, usize::MAX);
            line = parts.pop().unwrap_or_default();
            lines.extend(parts);
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim().to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cover_escapes_the_title_and_shows_the_figures() {
        let svg = svg(&crate::sample::book());
        assert!(svg.contains("&lt;合集&gt; &amp;"), "{svg}");
        assert!(svg.contains("文章 354 · 项目 347"), "{svg}");
        assert!(svg.contains(">Python</text>"), "{svg}");
        assert!(!svg.contains("<合集>"));
    }

    #[test]
    fn long_titles_wrap() {
        let lines = wrap("Python 潮流周刊第 2 季合集（31~60）", 10);
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "Python潮流周刊第2季合集（31~60）"
        );
        // Between phrases: never after an opening bracket, never inside a word.
        assert_eq!(
            wrap("Python 潮流周刊 第 2 季合集（31~60）", 10),
            ["Python 潮流周刊 第 2", "季合集（31~60）"]
        );
        assert_eq!(
            wrap("Python 潮流周刊 第 2 季合集（31~60）", 8),
            ["Python 潮流周刊", "第 2 季合集", "（31~60）"]
        );
        {
            let lines = wrap("This Week in Rust season 12 collection (331–360)", 14);
            assert!(lines.iter().all(|l| !l.ends_with('(')), "{lines:?}");
            assert_eq!(
                lines.join(" "),
                "This Week in Rust season 12 collection (331–360)"
            );
        }
    }
}
