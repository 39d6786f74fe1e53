//! `weekly season K`: what a season holds (issues, dates, free or paid, missing translations),
//! and with `--write` its collection, links-only edition, wrap-up post and word cloud in
//! `seasons/`.

use crate::printer;
use crate::season::{Season, SeasonFile};
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
    report(&workspace, &season);
    if args.write {
        write(&workspace, &season, args.full)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn report(workspace: &Workspace, season: &Season) {
    let config = &workspace.config;
    let issues: Vec<_> = season.issues().collect();
    let members = season.members();
    let (first, last) = (season.range.start(), season.range.end());
    let size = last - first + 1;
    let state = if season.is_complete() {
        format!("complete, {} of {size} issues", members.len())
    } else {
        format!("in progress, {} of {size} issues out", members.len())
    };
    printer::out(&format!(
        "season {}: issues #{first}–#{last} ({state}), {} → {}",
        season.number,
        members
            .first()
            .map(|m| m.date.to_string())
            .unwrap_or_default(),
        members
            .last()
            .map(|m| m.date.to_string())
            .unwrap_or_default(),
    ));
    let mut missing: Vec<(String, Vec<String>)> = Vec::new();
    for lang in &config.languages {
        let numbers: Vec<String> = issues
            .iter()
            .filter(|i| i.full(lang).is_none())
            .map(|i| {
                let collected = lang == &config.primary_language
                    && members
                        .iter()
                        .any(|m| m.number == i.number && m.part.is_some());
                if collected {
                    format!("#{} (text from a season collection)", i.number)
                } else {
                    format!("#{}", i.number)
                }
            })
            .collect();
        if !numbers.is_empty() {
            missing.push((lang.to_string(), numbers));
        }
    }
    for issue in &issues {
        let editions: Vec<String> = config
            .languages
            .iter()
            .map(|lang| {
                let kind = match (issue.full(lang).is_some(), issue.teaser(lang).is_some()) {
                    (true, _) => "full",
                    (false, true) => "teaser",
                    (false, false) => "—",
                };
                format!("{lang} {kind:<6}")
            })
            .collect();
        let access = if season.is_free(workspace, issue.number) {
            "free".to_owned()
        } else {
            format!("paid until #{}", issue.number + config.free_after)
        };
        printer::out(&format!(
            "  #{:<4} {}  {:<17} {}  {}",
            issue.number,
            issue.date,
            access,
            editions.join("  "),
            printer::one_line(&crate::season::theme(
                issue,
                &config.primary_language,
                &config.catalogue.format
            ))
        ));
    }
    for member in members.iter().filter(|m| m.issue.is_none()) {
        printer::out(&format!(
            "  #{:<4} {}  only in `{}`: {}",
            member.number,
            member.date,
            member.part.map_or("", |p| p.file.as_str()),
            printer::one_line(&season.theme(workspace, member, &config.primary_language))
        ));
    }
    let not_out: Vec<u32> = (*first..=*last)
        .filter(|n| n <= &season.archive.latest() && !members.iter().any(|m| m.number == *n))
        .collect();
    if !not_out.is_empty() {
        printer::out(&format!("  numbers with no issue: {not_out:?}"));
    }
    for (lang, numbers) in &missing {
        printer::out(&format!(
            "missing full text in {lang}: {}",
            numbers.join(", ")
        ));
    }
}

fn write(workspace: &Workspace, season: &Season, full: bool) -> Result<()> {
    let dir = workspace.root.join("seasons");
    std::fs::create_dir_all(&dir)?;
    let mut written = 0;
    let mut unchanged = 0;
    let mut put = |kind: SeasonFile, lang: &weekly_model::Lang, text: &[u8]| -> Result<()> {
        let path = season.path(workspace, kind, lang);
        if let Ok(meta) = std::fs::symlink_metadata(&path)
            && !meta.is_file()
        {
            anyhow::bail!(
                "`{}` is not a regular file (a link or a folder): not replacing it",
                workspace.display_path(&path)
            );
        }
        if std::fs::read(&path).is_ok_and(|old| old == text) {
            unchanged += 1;
        } else {
            crate::files::write_bytes_atomic(&path, text)?;
            written += 1;
            printer::status(&format!("wrote `{}`", workspace.display_path(&path)));
        }
        Ok(())
    };
    for lang in &workspace.config.languages {
        if !season
            .members()
            .iter()
            .any(|m| season.text(workspace, m, lang, true).is_some())
        {
            printer::status(&format!(
                "no {lang} edition in season {}: skipped",
                season.number
            ));
            continue;
        }
        put(
            SeasonFile::Collection,
            lang,
            season.collection(workspace, lang, full).as_bytes(),
        )?;
        put(
            SeasonFile::Links,
            lang,
            season.links(workspace, lang).as_bytes(),
        )?;
        // The public e-book, which the site links on the season's page.
        let book = crate::ebook::book(workspace, season, lang, false)?;
        put(SeasonFile::Epub, lang, &weekly_ebook::epub(&book)?)?;
        let cloud = season.cloud(workspace, lang, full)?;
        if let Some(svg) = &cloud {
            put(SeasonFile::Cloud, lang, svg.as_bytes())?;
        }
        let wrapup_path = season.path(workspace, SeasonFile::Wrapup, lang);
        let previous = if wrapup_path.is_file() {
            Some(workspace.read_text(&wrapup_path)?)
        } else {
            None
        };
        let post = season.wrapup(
            workspace,
            lang,
            previous.as_deref(),
            cloud.map(|_| SeasonFile::Cloud.name(season.number, lang)),
            full,
        )?;
        put(SeasonFile::Wrapup, lang, post.as_bytes())?;
    }
    printer::status(&format!(
        "season {}: {written} written, {unchanged} unchanged",
        season.number
    ));
    Ok(())
}
