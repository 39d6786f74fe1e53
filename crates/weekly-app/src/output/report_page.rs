//! The private dashboard of `weekly report`: the same figures as one HTML page, with charts
//! drawn like the public statistics page's (`weekly_site::charts`): readers' clicks per section
//! for each campaign, and the list's sign-ups and leavers by month. Served by `weekly server`
//! at `/report` to whoever has `WEEKLY_REPORT_KEY`, or written by `weekly report --format html`.

use crate::report::Report;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use weekly_site::charts::{Bar, Words, stacked_bars};
use weekly_site::markdown::escape;

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// The page.
pub fn page(name: &str, report: &Report) -> String {
    let mut body = String::new();
    // Clicks per section, one bar per campaign (oldest first).
    let sections: Vec<String> = report
        .campaigns
        .iter()
        .flat_map(|c| c.sections.keys().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let bars: Vec<Bar> = report
        .campaigns
        .iter()
        .rev()
        .map(|c| Bar {
            label: format!("#{} {}", c.issue, c.lang),
            href: format!("#campaign-{}", c.id),
            values: sections
                .iter()
                .map(|s| count(c.sections.get(s).copied().unwrap_or(0)))
                .collect(),
            unfinished: false,
        })
        .collect();
    if !bars.is_empty() {
        body.push_str("<h2>Clicks per section</h2>");
        body.push_str(&stacked_bars(
            Words {
                title: "Readers' clicks per section and campaign",
                axis: "clicks",
                note: None,
            },
            &sections,
            &bars,
        ));
    }
    let months: Vec<Bar> = report
        .subscribers
        .months
        .iter()
        .map(|m| Bar {
            label: m.month.clone(),
            href: String::new(),
            values: vec![
                count(m.confirmed),
                count(m.sign_ups - m.confirmed),
                count(m.left),
            ],
            unfinished: false,
        })
        .collect();
    if !months.is_empty() {
        body.push_str("<h2>The list by month</h2>");
        body.push_str(&stacked_bars(
            Words {
                title: "Sign-ups and leavers by month",
                axis: "subscribers",
                note: None,
            },
            &[
                "confirmed".to_owned(),
                "not confirmed".to_owned(),
                "left".to_owned(),
            ],
            &months,
        ));
    }
    let g = &report.subscribers;
    let _ = write!(
        body,
        "<p>{} confirmed subscribers, {} paying ({}%).</p>",
        g.confirmed, g.paid, g.paid_percent
    );
    body.push_str("<h2>Campaigns</h2>");
    for c in &report.campaigns {
        let _ = write!(
            body,
            "<h3 id=\"campaign-{}\">#{} {} {}</h3><p>{} sent · {} bounced · {} left since · opens ≥ {} · \
             {} clicks ({} by mail scanners, apart)</p>",
            c.id,
            c.issue,
            escape(&c.lang),
            escape(&c.tier),
            c.sent,
            c.bounced,
            c.unsubscribed_after,
            c.opens_at_least,
            c.clicks,
            c.scanner
        );
        body.push_str("<table><thead><tr><th>clicks</th><th>link</th><th>section</th><th>source</th></tr></thead><tbody>");
        for l in c.followed() {
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                l.clicks,
                escape(&l.url),
                escape(&l.section),
                escape(&l.source)
            );
        }
        body.push_str("</tbody></table>");
    }
    for s in report.seasons.iter().filter(|s| s.clicks > 0) {
        let _ = write!(
            body,
            "<h2>Season {}: {} clicks</h2><ol>",
            s.season, s.clicks
        );
        for (url, n) in &s.top_links {
            let _ = write!(body, "<li>{n} · {}</li>", escape(url));
        }
        body.push_str("</ol>");
    }
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{0} — readers</title>\
         <style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}\
         table{{border-collapse:collapse;width:100%;font-size:14px}}td,th{{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;overflow-wrap:anywhere}}\
         figure{{margin:1rem 0}}svg{{max-width:100%;height:auto}}.legend{{display:flex;flex-wrap:wrap;gap:.5rem 1rem;padding:0;list-style:none;font-size:13px}}\
         @media (prefers-color-scheme:dark){{body{{background:#111;color:#eee}}td,th{{border-color:#333}}}}</style>\
         </head><body><h1>{0}: what readers did</h1>{1}</body></html>",
        escape(name),
        body
    )
}
