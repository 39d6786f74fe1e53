//! `weekly stats`: entries per section and word counts of every issue, totals per season and
//! overall, and the landing page's `stats.json`.

use crate::archive::Archive;
use crate::editions;
use crate::files;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_model::Counts;
use weekly_stats::{IssueStats, Totals, landing_figures, seasons};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table per issue, then the totals per season and overall.
    Text,
    /// A JSON array: one object per issue (`number`, `date`, `source`, `counts` per counted
    /// section, `entries` in all sections counted or not, `words`, `description` per language),
    /// or per season with `--by season`.
    Json,
    /// The flat object a landing page reads: `total_articles`, …, `total_issues`.
    Landing,
}

/// What one JSON object stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// One object per issue.
    Issue,
    /// One object per season.
    Season,
}

/// Arguments of `weekly stats`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Word counts: `han` counts Han characters (what 字数 means to a Chinese \
reader); `jieba` counts the tokens of Python's jieba that are not white space, punctuation \
included, on the Markdown without front matter, link URLs and `#*`>` (the \"全文 N 字\" \
stamp Python Trending Weekly printed from issue 87 on; a run such as `PEP-517` is three tokens, \
as in Python's jieba); `latin` counts runs of ASCII letters and digits. `han` and `latin` \
count the content: not the title or front matter, not URLs. The `description` of \
`--format json` stamps \"全文 N 字\" with the `jieba` count, as the archive does.\n\n\
Figures come from the primary-language full text, else from its teaser (then `source` is \
\"teaser\" and the word counts are the teaser's).\n\n\
Examples:\n  weekly stats\n  weekly stats --format json | jq '.[-1]'\n  weekly stats --format landing --output site/stats.json"
)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// One row (text) or object (json) per issue, or per season.
    #[arg(long, value_enum, default_value_t = By::Issue)]
    pub by: By,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let archive = Archive::load(&workspace)?;
    if !archive.files_with_errors.is_empty() {
        printer::status(&format!(
            "warning: {} files have parse errors (first: {}); their figures may be off — run `weekly check`",
            archive.files_with_errors.len(),
            archive.files_with_errors[0]
        ));
    }
    let stats = archive.stats(&workspace)?;
    let catalogue = &workspace.config.catalogue;
    let all: Vec<&IssueStats> = stats.iter().collect();
    let total = Totals::of(0, &all, catalogue);
    let by_season = seasons(&stats, &workspace.config.seasons, catalogue);
    let text = match args.format {
        Format::Landing => {
            // Written by hand to keep the keys in catalogue order.
            let lines: Vec<String> = landing_figures(&total)
                .iter()
                .map(|(name, value)| format!("  {}: {value}", json!(name)))
                .collect();
            format!("{{\n{}\n}}\n", lines.join(",\n"))
        }
        Format::Json => {
            let values: Vec<Value> = match args.by {
                By::Issue => stats.iter().map(|s| issue_json(&workspace, s)).collect(),
                By::Season => by_season.iter().map(totals_json).collect(),
            };
            serde_json::to_string_pretty(&values)? + "\n"
        }
        // `--by season`: the season rows only.
        Format::Text => text_report(
            if args.by == By::Season { &[] } else { &stats },
            &by_season,
            &total,
        ),
    };
    match &args.output {
        Some(path) => {
            files::write_atomic(path, &text)?;
            printer::status(&format!("wrote `{}`", path.display()));
        }
        None => printer::raw(&text),
    }
    Ok(ExitCode::SUCCESS)
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
            crate::printer::count(t.issues as usize, "issue", "issues")
        );
    }
    out
}
