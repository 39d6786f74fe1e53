//! The archive's figures as one report: entries per section and word counts of every issue,
//! totals per season and overall, as a text table, JSON (per issue or per season) or the
//! landing page's flat `stats.json`.

use crate::archive::Archive;
use crate::editions;
use crate::workspace::Workspace;
use anyhow::Result;
use serde_json::{Map, Value, json};
use weekly_model::Counts;
use weekly_stats::{IssueStats, Totals, landing_figures, seasons};

/// The shape of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table per issue, then the totals per season and overall.
    Text,
    /// A JSON array of issues or seasons.
    Json,
    /// The flat object a landing page reads.
    Landing,
}

/// What one row or object stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Issue,
    Season,
}

/// The report and what to warn about.
#[derive(Debug)]
pub struct Report {
    /// The text, ending with a newline.
    pub text: String,
    /// The files with parse errors, whose figures may be off.
    pub files_with_errors: Vec<String>,
}

/// The figures of the workspace's archive in `format`.
pub fn report(workspace: &Workspace, format: Format, by: By) -> Result<Report> {
    let archive = Archive::load(workspace)?;
    let stats = archive.stats(workspace)?;
    let catalogue = &workspace.config.catalogue;
    let all: Vec<&IssueStats> = stats.iter().collect();
    let total = Totals::of(0, &all, catalogue);
    let by_season = seasons(&stats, &workspace.config.seasons, catalogue);
    let text = match format {
        Format::Landing => {
            // Written by hand to keep the keys in catalogue order.
            let lines: Vec<String> = landing_figures(&total)
                .iter()
                .map(|(name, value)| format!("  {}: {value}", json!(name)))
                .collect();
            format!("{{\n{}\n}}\n", lines.join(",\n"))
        }
        Format::Json => {
            let values: Vec<Value> = match by {
                By::Issue => stats.iter().map(|s| issue_json(workspace, s)).collect(),
                By::Season => by_season.iter().map(totals_json).collect(),
            };
            serde_json::to_string_pretty(&values)? + "\n"
        }
        // By season: the season rows only.
        Format::Text => text_report(
            if by == By::Season { &[] } else { &stats },
            &by_season,
            &total,
        ),
    };
    Ok(Report {
        text,
        files_with_errors: archive.files_with_errors.clone(),
    })
}

/// `1 issue`, `2 issues`.
fn count(n: u32) -> String {
    format!("{n} {}", if n == 1 { "issue" } else { "issues" })
}

fn counts_json(counts: &Counts) -> Value {
    let mut object = Map::new();
    for (key, n) in counts.iter() {
        object.insert(key.to_string(), json!(n));
    }
    Value::Object(object)
}

fn issue_json(workspace: &Workspace, stats: &IssueStats) -> Value {
    let mut descriptions = Map::new();
    for lang in &workspace.config.languages {
        descriptions.insert(
            lang.to_string(),
            json!(editions::describe(workspace, lang, stats, true, None)),
        );
    }
    json!({
        "number": stats.number,
        "date": stats.date.to_string(),
        "source": stats.source,
        "counts": counts_json(&stats.counts),
        "entries": stats.entries,
        "words": stats.words,
        "description": descriptions,
    })
}

fn totals_json(totals: &Totals) -> Value {
    json!({
        "season": totals.season,
        "first": totals.first,
        "last": totals.last,
        "issues": totals.issues,
        "counts": counts_json(&totals.counts),
        "han": totals.han,
    })
}

fn text_report(stats: &[IssueStats], by_season: &[Totals], total: &Totals) -> String {
    use std::fmt::Write as _;
    let keys: Vec<String> = total.counts.iter().map(|(k, _)| k.to_string()).collect();
    let mut out = String::new();
    let header: Vec<String> = keys.iter().map(|k| format!("{k:>11}")).collect();
    let _ = writeln!(
        out,
        "{:>5}  {:<10}  {}  {:>6}  {:>6}  source",
        "issue",
        "date",
        header.join(" "),
        "han",
        "jieba"
    );
    for s in stats {
        let cells: Vec<String> = keys
            .iter()
            .map(|k| format!("{:>11}", s.counts.get(k)))
            .collect();
        let _ = writeln!(
            out,
            "{:>5}  {}  {}  {:>6}  {:>6}  {}",
            s.number,
            s.date,
            cells.join(" "),
            s.words.han,
            s.words.jieba,
            match s.source {
                weekly_stats::Source::Full => "full",
                weekly_stats::Source::Teaser => "teaser",
            }
        );
    }
    if !stats.is_empty() {
        out.push('\n');
    }
    for t in by_season.iter().chain(std::iter::once(total)) {
        let label = if t.season == 0 {
            "all".to_owned()
        } else {
            format!("S{}", t.season)
        };
        let cells: Vec<String> = keys
            .iter()
            .map(|k| format!("{:>11}", t.counts.get(k)))
            .collect();
        let _ = writeln!(
            out,
            "{label:>5}  #{:<4}–#{:<4} {}  {:>6}  {}",
            t.first,
            t.last,
            cells.join(" "),
            t.han,
            count(t.issues)
        );
    }
    out
}
