//! `weekly report [ISSUE] [--format json]`: what readers did — per campaign, per season, the
//! list over time — from the counts `weekly server` keeps with `[tracking]`.

use crate::printer;
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use weekly_app::report::Report;

/// Arguments of `weekly report`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Clicks are counted by `weekly server` when `[tracking] clicks = true`: each link of a campaign \
goes through its /c/ address, per link and never per person (unless `per_subscriber = true`). \
Mail scanners (a HEAD, a request within seconds of delivery, a scanner's agent) are counted \
apart. Opens (`[tracking] opens`) are a lower bound: many mail clients load no image. Nothing \
is sent to a third party and no IP address is stored.

Examples:
  weekly report                 # every campaign, every season, the list
  weekly report 110             # issue 110's campaigns
  weekly report --format json > report.json
  weekly report --format html > report.html

`weekly server` shows the same page at /report?key=KEY when WEEKLY_REPORT_KEY is set (16 \
characters or more); without it, /report does not exist.")]
pub struct Args {
    /// Only this issue's campaigns (and its season).
    pub issue: Option<u32>,
    /// `text`, `json`, or `html` (the dashboard page `weekly server` shows at `/report`).
    #[arg(long, default_value = "text", value_parser = ["text", "json", "html"])]
    pub format: String,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    super::with_store(root, async |workspace, store| {
        let report = weekly_app::report::report(workspace, store, args.issue).await?;
        if args.format == "json" {
            printer::raw(&format!("{}\n", serde_json::to_string_pretty(&report)?));
        } else if args.format == "html" {
            printer::raw(&weekly_app::report_page::page(
                workspace.config.primary_name(),
                &report,
            ));
        } else {
            printer::raw(&text(&report, workspace.config.tracking.clicks));
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The report as text.
fn text(report: &Report, tracking: bool) -> String {
    let mut out = String::new();
    if !tracking {
        out.push_str(
            "(clicks are not counted: `[tracking] clicks = true` in weekly.toml counts them)\n",
        );
    }
    for c in &report.campaigns {
        let _ = writeln!(
            out,
            "#{} {} {} (campaign {}): {} sent, {} bounced, {} left since; opens ≥ {}; {} clicks ({} by mail scanners, not counted)",
            c.issue,
            c.lang,
            c.tier,
            c.id,
            c.sent,
            c.bounced,
            c.unsubscribed_after,
            c.opens_at_least,
            c.clicks,
            c.scanner
        );
        for l in c.followed() {
            let _ = writeln!(
                out,
                "  {:>5}  {}  [{}] {}",
                l.clicks,
                l.url,
                if l.section.is_empty() {
                    "-"
                } else {
                    &l.section
                },
                l.source
            );
        }
        for (section, n) in c.sections.iter().filter(|(_, n)| **n > 0) {
            let _ = writeln!(out, "  section {section}: {n}");
        }
    }
    for s in &report.seasons {
        if s.clicks == 0 {
            continue;
        }
        let _ = writeln!(out, "season {}: {} clicks", s.season, s.clicks);
        for (url, n) in &s.top_links {
            let _ = writeln!(out, "  {n:>5}  {url}");
        }
        for (section, n) in &s.sections {
            let _ = writeln!(out, "  section {section}: {n}");
        }
    }
    let g = &report.subscribers;
    let _ = writeln!(
        out,
        "subscribers: {} confirmed, {} paying ({}%)",
        g.confirmed, g.paid, g.paid_percent
    );
    for m in &g.months {
        let sources: Vec<String> = m
            .by_source
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "  {}: +{} signed up ({} confirmed, {} paying now; {}), -{} left",
            m.month,
            m.sign_ups,
            m.confirmed,
            m.paying_now,
            sources.join(", "),
            m.left
        );
    }
    for v in &report.views {
        let page = if v.issue == 0 {
            format!("/{}/", v.lang)
        } else {
            format!("/{}/{}/", v.lang, v.issue)
        };
        let _ = writeln!(
            out,
            "views {page}: {} readers, {} robots",
            v.readers, v.bots
        );
    }
    out
}
