//! The word cloud drawn as SVG: font sizes on a square-root scale, each word placed on an
//! Archimedean spiral from the centre at the first spot where its box overlaps no other box.
//! Words stay `<text>`, so the reader's browser draws CJK with its own fonts.

use crate::{PALETTE, escape};
use std::fmt::Write as _;

/// Canvas width.
pub const WIDTH: f64 = 800.0;
/// Canvas height.
pub const HEIGHT: f64 = 480.0;
/// Words drawn at most.
pub const MAX_WORDS: usize = 100;

/// A word with its box.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Placed {
    /// The word.
    pub word: String,
    /// Its count.
    pub count: u32,
    /// Font size in px.
    pub size: f64,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Box width.
    pub w: f64,
    /// Box height.
    pub h: f64,
}

#[cfg(test)]
impl Placed {
    fn overlaps(&self, other: &Placed) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

/// The width of `word` at `size` px, estimated: full width for CJK, narrower for Latin.
pub fn text_width(word: &str, size: f64) -> f64 {
    word.chars()
        .map(|c| {
            if c.is_ascii_uppercase() {
                0.68
            } else if c.is_ascii() {
                0.58
            } else {
                1.0
            }
        })
        .sum::<f64>()
        * size
}

/// Places `words` (most frequent first); a word that finds no free spot is left out.
pub fn layout(words: &[(String, u32)]) -> Vec<Placed> {
    let (Some(max), Some(min)) = (
        words.iter().map(|w| w.1).max(),
        words.iter().map(|w| w.1).min(),
    ) else {
        return Vec::new();
    };
    let (small, large) = (12.0_f64, 52.0_f64);
    let span = f64::from(max - min).max(1.0);
    let mut placed: Vec<Placed> = Vec::with_capacity(words.len());
    for (word, count) in words {
        let scale = (f64::from(count - min) / span).sqrt();
        let mut size = (small + (large - small) * scale).round();
        // A word that finds no spot is tried smaller, down to the smallest size.
        loop {
            if let Some(spot) = find_spot(&placed, word, *count, size) {
                placed.push(spot);
                break;
            }
            if size <= small {
                break;
            }
            size = (size * 0.8).max(small).round();
        }
    }
    placed
}

/// Points of the Archimedean spiral from the centre, computed once.
static SPIRAL: std::sync::LazyLock<Vec<(f64, f64)>> = std::sync::LazyLock::new(|| {
    let mut points = Vec::with_capacity(4000);
    let mut t = 0.0_f64;
    while t < 400.0 {
        let r = 1.5 * t;
        points.push((r * t.cos() * (WIDTH / HEIGHT), r * t.sin()));
        t += 0.1;
    }
    points
});

fn find_spot(placed: &[Placed], word: &str, count: u32, size: f64) -> Option<Placed> {
    let width = text_width(word, size) + 4.0;
    let height = size * 1.15;
    // The box that blocked the last spot is tried first: it usually blocks the next one too.
    let mut blocker = 0;
    for (dx, dy) in SPIRAL.iter() {
        let left = WIDTH / 2.0 + dx - width / 2.0;
        let top = HEIGHT / 2.0 + dy - height / 2.0;
        if left < 0.0 || top < 0.0 || left + width > WIDTH || top + height > HEIGHT {
            continue;
        }
        let hits = |p: &Placed| {
            left < p.x + p.w && p.x < left + width && top < p.y + p.h && p.y < top + height
        };
        if placed.get(blocker).is_some_and(hits) {
            continue;
        }
        match placed.iter().position(hits) {
            Some(i) => blocker = i,
            None => {
                return Some(Placed {
                    word: word.to_owned(),
                    count,
                    size,
                    x: left,
                    y: top,
                    w: width,
                    h: height,
                });
            }
        }
    }
    None
}

/// The cloud as SVG.
pub fn svg(title: &str, placed: &[Placed]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"cloud\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = escape(title)
    );
    for (i, p) in placed.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{:.0}\" fill=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\" data-count=\"{}\">{}</text>",
            p.x + p.w / 2.0,
            p.y + p.h / 2.0,
            p.size,
            PALETTE[i % PALETTE.len()],
            p.count,
            escape(&p.word)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_words_overlap_and_all_stay_on_the_canvas() {
        let words: Vec<(String, u32)> = (0..100)
            .map(|i| {
                let word = match i % 3 {
                    0 => format!("异步{i}"),
                    1 => format!("py{i}"),
                    _ => format!("装饰器{i}"),
                };
                (word, 2000 / (i + 1))
            })
            .collect();
        let placed = layout(&words);
        assert!(placed.len() >= 90, "placed {}", placed.len());
        for (i, a) in placed.iter().enumerate() {
            assert!(a.x >= 0.0 && a.y >= 0.0 && a.x + a.w <= WIDTH && a.y + a.h <= HEIGHT);
            for b in &placed[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
        // The most frequent word is the largest and sits near the centre.
        assert_eq!(placed[0].word, "异步0");
        assert!((placed[0].x + placed[0].w / 2.0 - WIDTH / 2.0).abs() < 40.0);
        let svg = svg("cloud <s>", &placed);
        assert!(svg.contains(">异步0</text>"));
        assert!(svg.contains("cloud &lt;s&gt;"));
    }
}
