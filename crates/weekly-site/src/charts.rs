//! Inline SVG charts of the dashboard: stacked bars of entries per section (one bar per issue or
//! per season) and a pie of a season's sections, each in a `<figure>` with an HTML legend.
//! Charts are drawn at most [`MAX_WIDTH`] wide and shown at their own size (text stays 11 px). Every mark has a `<title>` and the figures are
//! also written as text, so the charts read without JavaScript and with a screen reader.

use crate::markdown::escape;
use std::fmt::Write as _;

pub use weekly_svg::PALETTE;

/// One bar: a label and the counts of each series.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Label under the bar (`#12`, `S3`).
    pub label: String,
    /// Where the bar links to.
    pub href: String,
    /// One count per series.
    pub values: Vec<u32>,
    /// True for a bar whose period is not over (a season still running): drawn faded and
    /// outlined, and named in the chart's note.
    pub unfinished: bool,
}

/// What a bar chart says besides its bars.
#[derive(Debug, Clone, Copy)]
pub struct Words<'a> {
    /// The chart's title (its `aria-label`).
    pub title: &'a str,
    /// What the y axis counts, in the page's language (`entries`, `条目`).
    pub axis: &'a str,
    /// A note under the chart (what an unfinished bar means), when there is one.
    pub note: Option<&'a str>,
}

/// Widest a chart is drawn (px); it is shown at its own size, never stretched, and shrinks
/// only on a screen narrower than this.
const MAX_WIDTH: f64 = 360.0;
/// Font size of the chart's text (px), as in `site.css`.
const FONT: f64 = 11.0;

/// The tick step of an axis running from 0 to `max`: 1, 2 or 5 times a power of ten, for
/// about four ticks.
fn tick_step(max: u32) -> u32 {
    let rough = f64::from(max.max(1)) / 4.0;
    let mut power = 1_u32;
    while f64::from(power) * 10.0 <= rough {
        power *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * power)
        .find(|step| f64::from(*step) >= rough)
        .unwrap_or(power * 10)
}

/// Stacked bars, with an HTML legend of the series that have any entry (it wraps at any
/// width). The y axis has ticks at round steps with faint grid lines and says what it counts;
/// bars are as wide as [`MAX_WIDTH`] allows; a label is written under every k-th bar so that
/// labels never touch; an unfinished bar is faded and outlined, and the note says why.
pub fn stacked_bars(words: Words<'_>, series: &[String], bars: &[Bar]) -> String {
    let highest = bars
        .iter()
        .map(|b| b.values.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let step = tick_step(highest);
    let max = highest.div_ceil(step) * step;
    let left = 8.0 + FONT * 0.62 * max.to_string().len() as f64;
    let right = 8.0;
    let top = 22.0;
    let chart_h = 150.0;
    let n = bars.len().max(1) as f64;
    let slot = ((MAX_WIDTH - left - right) / n).clamp(6.0, 40.0);
    let bar_w = (slot * 0.7).max(4.0);
    let width = (left + slot * n + right).max(200.0);
    let height = top + chart_h + 22.0;
    // Every k-th label, so that the widest label fits its k slots with room to spare.
    let widest = bars
        .iter()
        .map(|b| text_width(&b.label))
        .fold(0.0_f64, f64::max);
    let mut every = 1_usize;
    while (every as f64) * slot < widest + 6.0 {
        every += 1;
    }
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<figure class=\"chart-box\"><svg class=\"chart bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = escape(words.title)
    );
    let _ = write!(
        svg,
        "<text x=\"2\" y=\"11\" class=\"axis\">{}</text>",
        escape(words.axis)
    );
    let mut tick = 0;
    while tick <= max {
        let y = top + chart_h - chart_h * f64::from(tick) / f64::from(max);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{left:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{tick}</text>",
            width - right,
            left - 4.0,
            // Centred on its line, but 0 sits on the axis, clear of the labels under it.
            if tick == 0 { y } else { y + 4.0 }
        );
        tick += step;
    }
    for (i, bar) in bars.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let total: u32 = bar.values.iter().sum();
        let class = if bar.unfinished {
            " class=\"unfinished\""
        } else {
            ""
        };
        let _ = write!(svg, "<a href=\"{}\"{class}>", escape(&bar.href));
        let mut y = top + chart_h;
        for (s, value) in bar.values.iter().enumerate() {
            if *value == 0 {
                continue;
            }
            let h = chart_h * f64::from(*value) / f64::from(max);
            y -= h;
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{} · {}: {value}</title></rect>",
                PALETTE[s % PALETTE.len()],
                escape(&bar.label),
                escape(series.get(s).map_or("", String::as_str)),
            );
        }
        if bar.unfinished {
            let _ = write!(
                svg,
                "<rect class=\"outline\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\"/>",
                top + chart_h - y
            );
        }
        let _ = write!(svg, "<title>{}: {total}</title></a>", escape(&bar.label));
        if i % every == 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.0}\" class=\"label\" text-anchor=\"middle\">{}</text>",
                x + bar_w / 2.0,
                top + chart_h + 15.0,
                escape(&bar.label)
            );
        }
    }
    svg.push_str("</svg>");
    let mut used = vec![0u32; series.len()];
    for bar in bars {
        for (s, value) in bar.values.iter().enumerate().take(series.len()) {
            used[s] += value;
        }
    }
    legend(&mut svg, series, &used, false);
    if let Some(note) = words.note {
        let _ = write!(
            svg,
            "<figcaption class=\"chart-note\">{}</figcaption>",
            escape(note)
        );
    }
    svg.push_str("</figure>");
    svg
}

/// About how wide `text` is at [`FONT`] px: CJK characters a full em, others 0.62.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if crate::search::is_cjk(c) { 1.0 } else { 0.62 })
        .sum::<f64>()
        * FONT
}

/// The legend: one item per series with a count above 0, its colour and name (and the count
/// when `figures`).
fn legend(out: &mut String, series: &[String], counts: &[u32], figures: bool) {
    out.push_str("<ul class=\"legend\">");
    for (s, name) in series.iter().enumerate() {
        let count = counts.get(s).copied().unwrap_or(0);
        if count == 0 {
            continue;
        }
        let _ = write!(
            out,
            "<li><span class=\"swatch\" style=\"background:{}\"></span>{}",
            PALETTE[s % PALETTE.len()],
            escape(name)
        );
        if figures {
            let _ = write!(out, " <span class=\"count\">{count}</span>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

/// A pie of `values` (one slice per series), with the figures in an HTML legend.
pub fn pie(title: &str, series: &[String], values: &[u32]) -> String {
    let total: u32 = values.iter().sum();
    let (cx, cy, r) = (80.0_f64, 80.0_f64, 76.0_f64);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<figure class=\"chart-box\"><svg class=\"chart pie\" xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"160\" viewBox=\"0 0 160 160\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = escape(title)
    );
    let mut angle = -std::f64::consts::FRAC_PI_2;
    for (s, value) in values.iter().enumerate() {
        if *value == 0 || total == 0 {
            continue;
        }
        let share = f64::from(*value) / f64::from(total);
        let colour = PALETTE[s % PALETTE.len()];
        let name = escape(series.get(s).map_or("", String::as_str));
        if (share - 1.0).abs() < f64::EPSILON {
            let _ = write!(
                svg,
                "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"{colour}\"><title>{name}: {value}</title></circle>"
            );
            continue;
        }
        let end = angle + share * std::f64::consts::TAU;
        let large = i32::from(share > 0.5);
        let _ = write!(
            svg,
            "<path d=\"M{cx},{cy} L{:.2},{:.2} A{r},{r} 0 {large} 1 {:.2},{:.2} Z\" fill=\"{colour}\"><title>{name}: {value} ({:.0}%)</title></path>",
            cx + r * angle.cos(),
            cy + r * angle.sin(),
            cx + r * end.cos(),
            cy + r * end.sin(),
            share * 100.0
        );
        angle = end;
    }
    svg.push_str("</svg>");
    legend(&mut svg, series, values, true);
    svg.push_str("</figure>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_stack_to_the_total_and_escape_labels() {
        let series = vec!["文章".to_owned(), "<项目>".to_owned()];
        let svg = stacked_bars(
            WORDS,
            &series,
            &[
                Bar {
                    label: "#1".into(),
                    href: "/zh/1/".into(),
                    values: vec![10, 10],
                    unfinished: false,
                },
                Bar {
                    label: "#2".into(),
                    href: "/zh/2/".into(),
                    values: vec![5, 0],
                    unfinished: false,
                },
            ],
        );
        assert!(svg.contains("height=\"75.0\""), "{svg}");
        // Ticks every 5 entries up to 20, and the axis says what it counts.
        for tick in [0, 5, 10, 15, 20] {
            assert!(
                svg.contains(&format!("text-anchor=\"end\">{tick}</text>")),
                "{svg}"
            );
        }
        assert!(svg.contains("class=\"axis\">条目</text>"), "{svg}");
        assert!(!svg.contains("unfinished") && !svg.contains("figcaption"));
        assert!(svg.contains("&lt;项目&gt;"));
        assert!(!svg.contains("<项目>"));
        assert_eq!(svg.matches("<rect x=\"").count(), 3);
        assert_eq!(svg.matches("<li>").count(), 2, "both series in the legend");
    }

    #[test]
    fn labels_are_thinned_so_they_never_touch_and_legends_skip_empty_series() {
        let series = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let bars: Vec<Bar> = (121..=150)
            .map(|n| Bar {
                label: format!("#{n}"),
                href: String::new(),
                values: vec![3, 2, 0],
                unfinished: false,
            })
            .collect();
        let svg = stacked_bars(WORDS, &series, &bars);
        let labels = svg.matches("class=\"label\"").count();
        assert!((5..30).contains(&labels), "{labels} labels");
        let xs: Vec<f64> = svg
            .split("<text x=\"")
            .filter(|t| t.contains("class=\"label\""))
            .map(|t| t[..t.find('"').unwrap()].parse().unwrap())
            .collect();
        let width = text_width("#150");
        assert!(xs.windows(2).all(|w| w[1] - w[0] > width), "{xs:?}");
        assert_eq!(svg.matches("<li>").count(), 2, "c has no entry");
        let width: f64 = svg
            .split("width=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(width <= MAX_WIDTH);
    }

    const WORDS: Words<'static> = Words {
        title: "t",
        axis: "条目",
        note: None,
    };

    #[test]
    fn ticks_are_round_and_an_unfinished_bar_is_marked() {
        assert_eq!(
            [1, 4, 9, 20, 33, 180, 999, 4000].map(tick_step),
            [1, 1, 5, 5, 10, 50, 500, 1000]
        );
        let bar = |label: &str, n: u32, unfinished| Bar {
            label: label.into(),
            href: String::new(),
            values: vec![n],
            unfinished,
        };
        let svg = stacked_bars(
            Words {
                note: Some("第 2 季进行中"),
                ..WORDS
            },
            &["a".to_owned()],
            &[bar("第1季", 233, false), bar("第2季", 41, true)],
        );
        assert_eq!(svg.matches("class=\"unfinished\"").count(), 1, "{svg}");
        assert_eq!(svg.matches("class=\"outline\"").count(), 1, "{svg}");
        assert!(svg.contains("<figcaption class=\"chart-note\">第 2 季进行中</figcaption>"));
        // 233 rounds up to 300 in steps of 100.
        assert!(
            svg.contains(">300</text>") && svg.contains(">200</text>"),
            "{svg}"
        );
    }

    #[test]
    fn pie_slices_cover_the_circle() {
        let series = vec!["a".to_owned(), "b".to_owned()];
        let svg = pie("p", &series, &[1, 3]);
        assert!(svg.contains("(25%)") && svg.contains("(75%)"), "{svg}");
        let whole = pie("p", &series, &[4, 0]);
        assert!(whole.contains("<circle"));
    }
}
