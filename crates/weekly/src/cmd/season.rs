//! `weekly season K`: what a season holds (issues, dates, free or paid, missing translations),
//! and with `--write` its collection, links-only edition, wrap-up post and word cloud in
//! `seasons/`.

use crate::printer;
use crate::season::{self, Access, Holding, Overview, Season, Told};
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

/// Arguments of `weekly season`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Seasons have `season_length` issues (weekly.toml); a season of another length is \
listed under `[[seasons]]` with its `number`, `first` and `last` issue, and the seasons after it \
follow on.\n\n\
`--write` writes, for every language, into `seasons/`:\n  \
season-K.<lang>.md          the collection: one `##` chapter per issue, its sections under `###`\n  \
season-K-links.<lang>.md    every entry as a numbered link, by section\n  \
season-K-wrapup.<lang>.md   the wrap-up post (`weekly render --season K --edition wrapup`)\n  \
season-K-cloud.<lang>.svg   the word cloud the wrap-up post shows\n  \
season-K.<lang>.epub        the e-book of what the public may read (`weekly ebook` for others)\n\
`weekly build` publishes the e-books (and a `season-K.<lang>.pdf` put there) and the wrap-up \
post on the season's page.\n\
Issues that are still paid go in as their teaser unless `--full` is given. Your own words \
between the wrap-up post's `weekly:editor` markers are kept when it is written again.\n\n\
Examples:\n  weekly season 2\n  weekly season 2 --write\n  weekly ebook --season 2 -o season-2.epub"
)]
pub struct Args {
    /// The season number (from 1).
    pub season: u32,
    /// Write the season's files into `seasons/`.
    #[arg(long)]
    pub write: bool,
    /// Put the full text of issues that are not free yet into the collection and cloud (the
    /// subscribers' edition).
    #[arg(long)]
    pub full: bool,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let season = Season::load(&workspace, args.season)?;
    report(&season::overview(&workspace, &season));
    if args.write {
        let written =
            season::write_files(&workspace, &season, args.full, &mut |told| match told {
                Told::Wrote(path) => {
                    printer::status(&format!("wrote `{}`", workspace.display_path(path)));
                }
                Told::NoEdition(lang) => printer::status(&format!(
                    "no {lang} edition in season {}: skipped",
                    season.number
                )),
            })?;
        printer::status(&format!(
            "season {}: {} written, {} unchanged",
            season.number, written.written, written.unchanged
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn report(o: &Overview) {
    let size = o.last - o.first + 1;
    let state = if o.complete {
        format!("complete, {} of {size} issues", o.out)
    } else {
        format!("in progress, {} of {size} issues out", o.out)
    };
    let date = |d: Option<weekly_model::IsoDate>| d.map(|d| d.to_string()).unwrap_or_default();
    printer::out(&format!(
        "season {}: issues #{}–#{} ({state}), {} → {}",
        o.number,
        o.first,
        o.last,
        date(o.from),
        date(o.to),
    ));
    for issue in &o.issues {
        let editions: Vec<String> = issue
            .editions
            .iter()
            .map(|(lang, holding)| {
                let kind = match holding {
                    Holding::Full => "full",
                    Holding::Teaser => "teaser",
                    Holding::Nothing => "—",
                };
                format!("{lang} {kind:<6}")
            })
            .collect();
        let access = match issue.access {
            Access::Free => "free".to_owned(),
            Access::PaidUntil(n) => format!("paid until #{n}"),
        };
        printer::out(&format!(
            "  #{:<4} {}  {:<17} {}  {}",
            issue.number,
            issue.date,
            access,
            editions.join("  "),
            printer::one_line(&issue.theme)
        ));
    }
    for member in &o.only_collected {
        printer::out(&format!(
            "  #{:<4} {}  only in `{}`: {}",
            member.number,
            member.date,
            member.file,
            printer::one_line(&member.theme)
        ));
    }
    if !o.not_out.is_empty() {
        printer::out(&format!("  numbers with no issue: {:?}", o.not_out));
    }
    for (lang, numbers) in &o.missing {
        let numbers: Vec<String> = numbers
            .iter()
            .map(|m| {
                if m.collected {
                    format!("#{} (text from a season collection)", m.number)
                } else {
                    format!("#{}", m.number)
                }
            })
            .collect();
        printer::out(&format!(
            "missing full text in {lang}: {}",
            numbers.join(", ")
        ));
    }
}
