//! The Open Graph cards of a build as PNG: the site gives each card as SVG text
//! (`weekly_site::og`), resvg draws it with the system's fonts. A card already drawn is taken
//! from `.weekly-cache/og/` by the key of its SVG, and one the output already holds is kept.

use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::sync::Arc;
use weekly_site::Sink;
use weekly_site::memo::KeyHasher;

/// Changes when the drawing changes, so that cached cards are drawn again.
const VERSION: &str = "og v1";

/// Where drawn cards are kept between builds.
pub const CACHE_DIR: &str = ".weekly-cache/og";

/// Draws cards with the fonts of this machine.
#[derive(Debug, Clone)]
pub struct Painter {
    options: Arc<resvg::usvg::Options<'static>>,
}

impl Painter {
    /// A painter with the system's fonts, or `None` when the machine has none that can write
    /// Han characters (the cards would show empty boxes): the pages then name no card.
    pub fn new() -> Option<Painter> {
        let mut options = resvg::usvg::Options::default();
        let db = options.fontdb_mut();
        db.load_system_fonts();
        let han = crate::fonts::coverage_of(
            db.faces()
                .flat_map(|face| face.families.iter().map(|(name, _)| name.as_str())),
        )
        .han;
        han.then(|| Painter {
            options: Arc::new(options),
        })
    }

    /// `svg` drawn.
    fn draw(&self, svg: &str) -> Result<resvg::tiny_skia::Pixmap> {
        let tree = resvg::usvg::Tree::from_str(svg, &self.options).context("card SVG")?;
        let size = tree.size().to_int_size();
        let mut pixmap =
            resvg::tiny_skia::Pixmap::new(size.width(), size.height()).context("card size")?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        Ok(pixmap)
    }

    /// The PNG of `svg`.
    pub fn png(&self, svg: &str) -> Result<Vec<u8>> {
        let pixmap = self.draw(svg)?;
        let (width, height) = (pixmap.width(), pixmap.height());
        // The card is opaque (its background covers it): RGB without alpha, compressed fast
        // (the default compression took more time than drawing).
        let rgb: Vec<u8> = pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|px| [px[0], px[1], px[2]])
            .collect();
        let mut out = Vec::with_capacity(64 * 1024);
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().context("PNG encoding")?;
        writer.write_image_data(&rgb).context("PNG encoding")?;
        writer.finish().context("PNG encoding")?;
        Ok(out)
    }
}

/// The key of a card: its SVG and the drawing's version.
fn key(svg: &str) -> weekly_site::Key {
    let mut h = KeyHasher::new(0);
    h.add_bytes(VERSION.as_bytes());
    h.add_bytes(svg.as_bytes());
    h.finish()
}

/// What writing the cards did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drawn {
    /// Cards drawn now.
    pub drawn: usize,
    /// Cards taken from the cache.
    pub cached: usize,
    /// Cards the output already held.
    pub kept: usize,
    /// Cards not drawn: the machine has no font for Han characters.
    pub without_fonts: usize,
    /// Cards drawn with emoji while the machine has no emoji font (they show empty boxes).
    pub emoji_as_boxes: usize,
}

/// Cards drawn at once (on every core) before they are written.
const DRAW_BATCH: usize = 64;

/// Writes `cards` (output path, SVG) into `sink`: kept when the output holds the same card,
/// else from the cache, else drawn (on every core) and cached. The fonts are looked up only
/// when a card must be drawn.
pub fn write_cards(
    workspace: &Workspace,
    cards: &[(String, String)],
    sink: &mut dyn Sink,
) -> Result<Drawn> {
    let cache = workspace.root.join(CACHE_DIR);
    let mut done = Drawn::default();
    let mut to_draw: Vec<(usize, weekly_site::Key, PathBuf)> = Vec::new();
    for (i, (path, svg)) in cards.iter().enumerate() {
        let k = key(svg);
        if sink.keep(path, k).is_some() {
            done.kept += 1;
            continue;
        }
        let cached = cache.join(format!("{k:032x}.png"));
        match std::fs::read(&cached) {
            Ok(bytes) => {
                sink.write_keyed(path, k, bytes)?;
                done.cached += 1;
            }
            Err(_) => to_draw.push((i, k, cached)),
        }
    }
    if to_draw.is_empty() {
        return Ok(done);
    }
    let Some(painter) = Painter::new() else {
        done.without_fonts = to_draw.len();
        return Ok(done);
    };
    if !crate::fonts::machine().emoji {
        done.emoji_as_boxes = to_draw
            .iter()
            .filter(|(i, _, _)| weekly_svg::text::has_emoji(&cards[*i].1))
            .count();
    }
    std::fs::create_dir_all(&cache)
        .with_context(|| format!("cannot create `{}`", cache.display()))?;
    // Drawn on every core a batch at a time, so that only a batch of images is in memory
    // (20,000 cards would be 1.2 GB at once).
    for batch in to_draw.chunks(DRAW_BATCH) {
        let drawn = weekly_model::par::map(batch, |(i, _, _)| painter.png(&cards[*i].1));
        for ((i, k, cached), png) in batch.iter().zip(drawn) {
            let png = png.with_context(|| format!("cannot draw `{}`", cards[*i].0))?;
            // The cache is only a cache: a card that cannot be kept is drawn again next time.
            let _ = crate::files::write_bytes_atomic(cached, &png);
            sink.write_keyed(&cards[*i].0, *k, png)?;
            done.drawn += 1;
        }
    }
    // Cards of titles that changed are not shown any more: forget them.
    let current: std::collections::HashSet<String> = cards
        .iter()
        .map(|(_, svg)| format!("{:032x}.png", key(svg)))
        .collect();
    prune(&cache, &current);
    Ok(done)
}

/// Removes the cached cards of `dir` that `current` does not name. Only files named like
/// ours (32 hex digits, `.png`) are touched.
fn prune(dir: &std::path::Path, current: &std::collections::HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name
            .strip_suffix(".png")
            .is_some_and(|h| h.len() == 32 && h.chars().all(|c| c.is_ascii_hexdigit()));
        if ours && !current.contains(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_becomes_a_png_of_its_size() {
        let Some(painter) = Painter::new() else {
            assert!(
                std::env::var("CI").map_or(true, |v| matches!(v.trim(), "" | "0" | "false")),
                "no font for Han characters on this machine, and CI is set: the card test cannot run"
            );
            let _ = std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!(
                    "SKIPPED a_card_becomes_a_png_of_its_size: no font for Han characters on this machine\n"
                ),
            );
            return;
        };
        let svg = weekly_site::og::card(&weekly_site::og::Card {
            name: "Python 潮流周刊",
            number: "第 42 期",
            date: "2024-02-24",
            title: "标题：测试",
            figures: "文章&教程 12",
            cjk: true,
        });
        let png = painter.png(&svg).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        // Width and height from the IHDR chunk.
        let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((w, h), (weekly_site::og::WIDTH, weekly_site::og::HEIGHT));
        assert_ne!(key(&svg), key(&svg.replace("42", "43")));
        // A different title draws a different picture: the text is really drawn.
        assert_ne!(
            png,
            painter
                .png(&svg.replace("标题：测试", "另一个标题"))
                .unwrap()
        );
    }

    #[test]
    fn nothing_is_drawn_in_the_right_padding_of_a_card() {
        let Some(painter) = Painter::new() else {
            panic!("no font for Han characters on this machine (Debian: fonts-noto-cjk)");
        };
        let long_en = "Does Elegance Matter? How to Write Pythonic Code When We Have \
                       Discussions About WWW, MMM and Maintainability Forever";
        let long_zh = "错误处理再思考：库与应用的不同选择，以及在大型代码库中统一错误码的经验";
        for (title, cjk) in [(long_en, false), (long_zh, true), (&*"W".repeat(60), false)] {
            let svg = weekly_site::og::card(&weekly_site::og::Card {
                name: "Python Trending Weekly — the newsletter with a very long name indeed",
                number: "#159",
                date: "2026-12-05",
                title,
                figures: "Articles & Tutorials 12 · Open Source Projects 13 · Podcasts & Videos 4 · \
                          Hot Discussions 3 · Others 2",
                cjk,
            });
            let pixmap = painter.draw(&svg).unwrap();
            let (w, h) = (pixmap.width(), pixmap.height());
            let background = pixmap.pixel(w - 1, 0).unwrap();
            for y in 0..h {
                for x in w - 40..w {
                    let px = pixmap.pixel(x, y).unwrap();
                    assert_eq!(
                        (px.red(), px.green(), px.blue()),
                        (background.red(), background.green(), background.blue()),
                        "{title}: ink at ({x}, {y})"
                    );
                }
            }
        }
    }

    #[test]
    fn pruning_removes_only_our_stale_cards() {
        let dir = tempfile::tempdir().unwrap();
        let keep = format!("{:032x}.png", 1u128);
        let stale = format!("{:032x}.png", 2u128);
        for name in [keep.as_str(), stale.as_str(), "notes.txt", "photo.png"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        prune(dir.path(), &std::iter::once(keep.clone()).collect());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec![keep, "notes.txt".to_owned(), "photo.png".to_owned()]
        );
    }
}

#[cfg(test)]
mod timing {
    #[test]
    #[ignore = "a measurement, run by hand in release"]
    fn where_the_time_goes() {
        let t = std::time::Instant::now();
        let painter = super::Painter::new().unwrap();
        eprintln!("fonts: {:?}", t.elapsed());
        let svg = weekly_site::og::card(&weekly_site::og::Card {
            name: "Python 潮流周刊",
            number: "第 42 期",
            date: "2024-02-24",
            title: "Python 项目性能分析实践与思考",
            figures: "文章&教程 12 · 项目&资源 12",
            cjk: true,
        });
        let t = std::time::Instant::now();
        let tree = resvg::usvg::Tree::from_str(&svg, &painter.options).unwrap();
        eprintln!("parse+layout: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(1200, 630).unwrap();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        eprintln!("render: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        let png = painter.png(&svg).unwrap();
        eprintln!("one card: {:?} ({} bytes)", t.elapsed(), png.len());
        let t = std::time::Instant::now();
        for _ in 0..10 {
            let _ = painter.png(&svg).unwrap();
        }
        eprintln!("10 cards: {:?}", t.elapsed());
    }
}
