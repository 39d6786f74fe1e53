//! The Open Graph card of an issue: a 1200×630 SVG with the newsletter's name, the issue's
//! number and date, its theme and what it holds. The program turns it into the PNG that link
//! previews show (see `weekly_app::og`); here it is only text, so the site stays pure.

use crate::markdown::escape;
use std::fmt::Write as _;
pub use weekly_svg::text::{wrap, wrap_em};

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
const FONTS: &str = "Noto Sans CJK SC, Noto Sans CJK JP, Source Han Sans SC, WenQuanYi Micro Hei, Noto Sans, DejaVu Sans, sans-serif, Noto Color Emoji";

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

#[cfg(test)]
mod tests {
    use super::*;
    use weekly_svg::text::em;

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
