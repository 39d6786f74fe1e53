//! What `weekly inbox` prints: the table of candidates (or its JSON) and the drafting news.

use super::Args;
use crate::printer;
use anyhow::Result;
use chrono::{DateTime, Utc};
use std::fmt::Write as _;
use weekly_app::inbox::{DraftEvent, Listing, hours_since};

pub(super) fn print_draft(event: DraftEvent) {
    match event {
        DraftEvent::TestExceptions { variable, list } => printer::status(&format!(
            "warning: {variable} is set: fetching from {list} is allowed (for tests only)"
        )),
        DraftEvent::Kept { id, section, title } => printer::out(&format!(
            "#{id} kept draft ({section}): {} (`--again` asks anew)",
            printer::one_line(&title)
        )),
        DraftEvent::Drafted {
            id,
            section,
            title,
            description,
        } => printer::out(&format!(
            "#{id} drafted ({section}): {} — {}",
            printer::one_line(&title),
            printer::one_line(&description)
        )),
        DraftEvent::Refused { id, reason } => printer::out(&format!("#{id} not drafted: {reason}")),
    }
}

fn age(hours: f64) -> String {
    if hours < 1.0 {
        "now".into()
    } else if hours < 48.0 {
        format!("{hours:.0} h ago")
    } else {
        format!("{:.0} d ago", hours / 24.0)
    }
}

pub(super) fn print_list(args: &Args, listing: &Listing, now: DateTime<Utc>) -> Result<()> {
    let rows = &listing.rows;
    if args.json {
        printer::raw(&format!("{}\n", serde_json::to_string_pretty(rows)?));
        return Ok(());
    }
    if rows.is_empty() {
        printer::out("the inbox is empty: run `weekly collect` to read the sources");
    }
    for row in rows {
        let mut from = row.sources.first().cloned().unwrap_or_default();
        if row.sources.len() > 1 {
            let _ = write!(from, " +{} more", row.sources.len() - 1);
        }
        if let Some(h) = hours_since(row.published.as_deref(), now) {
            let _ = write!(from, " · {}", age(h));
        }
        if let Some(n) = row.stars {
            let _ = write!(from, " · ★ {n}");
        }
        printer::out(&format!(
            "#{:<5} {:>6.2}  {}  ({from})",
            row.id, row.score, row.title
        ));
        printer::out(&format!("              {}", row.url));
        for d in &row.drafts {
            let original = if d.original_title.is_empty() {
                String::new()
            } else {
                format!("---{}", d.original_title)
            };
            printer::out(&format!(
                "              draft ({}): {}{original} — {}",
                d.section,
                printer::one_line(&d.title),
                printer::one_line(&d.description)
            ));
        }
        if args.explain {
            let parts: Vec<String> = row
                .parts
                .iter()
                .map(|(k, v)| format!("{k} {v:+.2}"))
                .collect();
            printer::out(&format!("              {}", parts.join(" · ")));
        }
    }
    let hidden = match listing.hidden {
        0 => String::new(),
        n => format!("; {n} hidden because they were featured before"),
    };
    printer::out(&format!(
        "{} of {} candidates shown{hidden}",
        rows.len(),
        listing.total
    ));
    Ok(())
}
