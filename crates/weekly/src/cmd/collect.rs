//! `weekly collect`: fetch every source and store new links as inbox candidates.

use crate::collector::{self, RunOptions, load_sources, open_store, select};
use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Arguments of `weekly collect`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  weekly collect\n  weekly collect --only \"Example Blog\" --verbose\n\n\
Feeds are fetched concurrently ([collect] concurrency and per_host in weekly.toml) with conditional GET, \
so an unchanged feed costs one 304. A source that fails is reported and tried again next run; after two \
failures in a row it waits 1, 2, 4… hours (at most a week) unless --ignore-backoff. New links become \
candidates in weekly.db; see them with `weekly inbox`."
)]
pub struct Args {
    /// Only these sources (name or URL; repeat for more).
    #[arg(long)]
    pub only: Vec<String>,
    /// Fetch sources that are backing off after failures too.
    #[arg(long)]
    pub ignore_backoff: bool,
    /// Do not read GitHub star counts.
    #[arg(long)]
    pub no_github: bool,
    /// List every source in the report, not only the failed ones and those with new links.
    #[arg(short, long)]
    pub verbose: bool,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let (path, _, list) = load_sources(&workspace)?;
    if list.is_empty() {
        bail!(
            "no sources in {}: add [[source]] tables (url, name, weight, tags, lang, kind) or run `weekly sources import FILE.opml`",
            workspace.display_path(&path)
        );
    }
    let list = select(list, &args.only)?;
    let runtime = crate::runtime()?;
    let report = runtime.block_on(async {
        let store = open_store(&workspace).await?;
        let report = collector::run(
            &workspace,
            &store,
            &list,
            RunOptions {
                ignore_backoff: args.ignore_backoff,
                no_github: args.no_github,
            },
        )
        .await;
        store.close().await;
        report
    })?;
    print_report(&report, args.verbose);
    // Every source that was tried failed: the network or the list is broken, not one feed.
    let tried = report
        .sources
        .iter()
        .filter(|s| s.status != "skipped")
        .count();
    let failed = report
        .sources
        .iter()
        .filter(|s| s.status == "failed")
        .count();
    if tried > 0 && failed == tried {
        let which = if failed == 1 {
            "the one source tried failed".to_owned()
        } else {
            format!("all {failed} sources tried failed")
        };
        printer::status(&format!(
            "error: {which} (no network, or a proxy in the way?)"
        ));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the per-source lines and the summary.
pub fn print_report(report: &collector::Report, verbose: bool) {
    for s in &report.sources {
        let interesting = s.status == "failed" || s.new > 0 || s.status == "skipped";
        if !(verbose || interesting) {
            continue;
        }
        let mut line = format!("{:<9} {}", s.status, s.source.name);
        if s.status == "fetched" {
            let _ = write!(line, ": {} new, {} known", s.new, s.seen);
        }
        if !s.note.is_empty() {
            let _ = write!(line, " — {}", s.note);
        }
        let _ = write!(line, " <{}>", s.source.url);
        printer::out(&line);
    }
    if let Some(note) = &report.stars_note {
        printer::status(&format!("GitHub: {note}"));
    }
    printer::out(&report.summary());
}
