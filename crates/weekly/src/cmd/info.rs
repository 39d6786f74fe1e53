//! `weekly info`: what the workspace holds and where each issue stands (free or paid).

use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

/// Arguments of `weekly info`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args, root: &Path) -> Result<ExitCode> {
    let ws = Workspace::load(root)?;
    let c = &ws.config;
    let name = c.name.get(&c.primary_language).map_or("", String::as_str);
    printer::out(&format!("{name} — {}", c.base_url));
    let languages: Vec<&str> = c.languages.iter().map(weekly_model::Lang::as_str).collect();
    printer::out(&format!(
        "languages: {} (primary {}); seasons of {} issues; free after {} issues; star badge from {}",
        languages.join(", "),
        c.primary_language,
        c.seasons.length(),
        c.free_after,
        c.star_badge_threshold
    ));
    let (Some(first), Some(latest)) = (ws.issues.first(), ws.issues.last()) else {
        printer::out("no issues yet");
        return Ok(ExitCode::SUCCESS);
    };
    printer::out(&format!(
        "{}: #{} ({}) … #{} ({}); {}",
        printer::count(ws.issues.len(), "issue", "issues"),
        first.number,
        first.date,
        latest.number,
        latest.date,
        printer::count(ws.seasons.len(), "season file", "season files")
    ));
    let free_up_to = latest.number.saturating_sub(c.free_after);
    let range = |from: u32, to: u32| {
        if from == to {
            format!("#{from}")
        } else {
            format!("#{from}–#{to}")
        }
    };
    let free = if free_up_to >= first.number {
        range(first.number, free_up_to)
    } else {
        format!(
            "none yet (issue #{} is free once #{} is out)",
            first.number,
            first.number + c.free_after
        )
    };
    // A free newsletter (`free_after = 0`), or every issue out of the paid window: nothing
    // is for subscribers only.
    let paid = if c.free_after == 0 || free_up_to >= latest.number {
        "none".to_owned()
    } else {
        range((free_up_to + 1).max(first.number), latest.number)
    };
    printer::out(&format!(
        "free to read: {free}; for subscribers only: {paid}"
    ));
    for lang in &c.languages {
        let full = ws
            .issues
            .iter()
            .filter(|i| i.editions.iter().any(|e| &e.lang == lang && !e.teaser))
            .count();
        let teaser = ws
            .issues
            .iter()
            .filter(|i| i.editions.iter().any(|e| &e.lang == lang && e.teaser))
            .count();
        printer::out(&format!(
            "  {lang}: {}, {}",
            printer::count(full, "full text", "full texts"),
            printer::count(teaser, "teaser", "teasers")
        ));
    }
    let season = c.seasons.of(latest.number);
    let range = c.seasons.range(season);
    printer::out(&format!(
        "season {season} (#{}–#{}) is in progress ({} of {} issues)",
        range.start(),
        range.end(),
        latest.number - range.start() + 1,
        range.end() - range.start() + 1
    ));
    if !c.texts.is_empty() {
        let keys: usize = c.texts.values().map(std::collections::BTreeMap::len).sum();
        printer::out(&format!(
            "{keys} fixed texts configured in {} languages",
            c.texts.len()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
