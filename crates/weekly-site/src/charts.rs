//! Inline SVG charts of the dashboard: stacked bars of entries per section (one bar per issue or
//! per season) and a pie of a season's sections. Every mark has a `<title>` and the figures are
//! also written as text, so the charts read without JavaScript and with a screen reader.

use crate::markdown::escape;
use std::fmt::Write as _;

/// Colours of the sections, in catalogue order (repeated when there are more sections).
pub const PALETTE: &[&str] = &[
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
];

/// One bar: a label and the counts of each series.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Label under the bar (`#12`, `S3`).
    pub label: String,
    /// Where the bar links to.
    pub href: String,
    /// One count per series.
    pub values: Vec<u32>,
}

/// Stacked bars with a legend of `series` names.
pub fn stacked_bars(title: &str, series: &[String], bars: &[Bar]) -> String {
    let max = bars
        .iter()
        .map(|b| b.values.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let bar_w = 14.0_f64;
    let gap = 6.0;
    let chart_h = 180.0;
    let left = 36.0;
    let top = 10.0;
    let width = left + (bar_w + gap) * bars.len().max(1) as f64 + 10.0;
    let legend_y = top + chart_h + 34.0;
    let height = legend_y + 20.0 * series.len().div_ceil(4) as f64 + 6.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart bars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = escape(title)
    );
    let _ = write!(
        svg,
        "<text x=\"{x}\" y=\"{y:.0}\" class=\"axis\" text-anchor=\"end\">{max}</text><text x=\"{x}\" y=\"{y0:.0}\" class=\"axis\" text-anchor=\"end\">0</text>",
        x = left - 4.0,
        y = top + 8.0,
        y0 = top + chart_h
    );
    for (i, bar) in bars.iter().enumerate() {
        let x = left + (bar_w + gap) * i as f64;
        let total: u32 = bar.values.iter().sum();
        let _ = write!(svg, "<a href=\"{}\">", escape(&bar.href));
        let mut y = top + chart_h;
        for (s, value) in bar.values.iter().enumerate() {
            if *value == 0 {
                continue;
            }
            let h = chart_h * f64::from(*value) / f64::from(max);
            y -= h;
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{h:.1}\" fill=\"{}\"><title>{} · {}: {value}</title></rect>",
                PALETTE[s % PALETTE.len()],
                escape(&bar.label),
                escape(series.get(s).map_or("", String::as_str)),
            );
        }
        let _ = write!(
            svg,
            "<title>{}: {total}</title></a><text x=\"{:.1}\" y=\"{:.0}\" class=\"label\" text-anchor=\"middle\">{}</text>",
            escape(&bar.label),
            x + bar_w / 2.0,
            top + chart_h + 14.0,
            if bars.len() <= 40 || i % 5 == 0 {
                escape(&bar.label)
            } else {
                String::new()
            }
        );
    }
    legend(&mut svg, series, left, legend_y);
    svg.push_str("</svg>");
    svg
}

fn legend(svg: &mut String, series: &[String], left: f64, y: f64) {
    for (s, name) in series.iter().enumerate() {
        let x = left + 150.0 * (s % 4) as f64;
        let y = y + 20.0 * (s / 4) as f64;
        let _ = write!(
            svg,
            "<rect x=\"{x:.0}\" y=\"{:.0}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.0}\" y=\"{y:.0}\" class=\"legend\">{}</text>",
            y - 9.0,
            PALETTE[s % PALETTE.len()],
            x + 14.0,
            escape(name)
        );
    }
}

/// A pie of `values` (one slice per series) with the figures in the legend.
pub fn pie(title: &str, series: &[String], values: &[u32]) -> String {
    let total: u32 = values.iter().sum();
    let (cx, cy, r) = (90.0_f64, 90.0_f64, 80.0_f64);
    let rows = series.len();
    let height = (180.0_f64).max(20.0 * rows as f64 + 10.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart pie\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 380 {height:.0}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
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
    for (s, name) in series.iter().enumerate() {
        let y = 20.0 * s as f64 + 14.0;
        let value = values.get(s).copied().unwrap_or(0);
        let _ = write!(
            svg,
            "<rect x=\"190\" y=\"{:.0}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"206\" y=\"{y:.0}\" class=\"legend\">{}: {value}</text>",
            y - 9.0,
            PALETTE[s % PALETTE.len()],
            escape(name)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_stack_to_the_total_and_escape_labels() {
        let series = vec!["文章".to_owned(), "<项目>".to_owned()];
        let svg = stacked_bars(
            "t",
            &series,
            &[
                Bar {
                    label: "#1".into(),
                    href: "/zh/1/".into(),
                    values: vec![10, 10],
                },
                Bar {
                    label: "#2".into(),
                    href: "/zh/2/".into(),
                    values: vec![5, 0],
                },
            ],
        );
        assert!(svg.contains("height=\"90.0\""), "{svg}");
        assert!(svg.contains("&lt;项目&gt;"));
        assert!(!svg.contains("<项目>"));
        assert_eq!(svg.matches("<rect x=\"").count(), 3 + 2);
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
