//! `weekly ebook`: a season as an EPUB 3 book, or as a PDF printed by headless Chromium.

use crate::ebook::{book, find_chromium, print_pdf};
use crate::printer;
use crate::season::Season;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use weekly_model::Lang;

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// EPUB 3: cover, title page, contents by issue and section, one chapter per issue.
    Epub,
    /// PDF (A5, numbered pages, an outline entry per issue), printed by headless Chromium.
    Pdf,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Pdf => "pdf",
        }
    }
}

/// Arguments of `weekly ebook`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The book holds what the public may read: the full text of free issues \
and the teaser of issues still paid; `--full` puts in every full text (the subscribers' book). \
Images on the web are not put in the book: each becomes its alt text, linked to the image.\n\n\
A PDF needs Chromium (Debian: `apt-get install chromium fonts-noto-cjk`; or set \
`WEEKLY_CHROMIUM`).\n\n\
Examples:\n  weekly ebook --season 2 -o season-2.epub\n  weekly ebook --season 2 --lang en --format pdf -o season-2.en.pdf\n  \
weekly ebook --all -o books/        every season in every language, `season-K.<lang>.epub`"
)]
pub struct Args {
    /// The season.
    #[arg(long, required_unless_present = "all", conflicts_with = "all")]
    pub season: Option<u32>,
    /// Every season that has issues, in every language or the one `--lang` names (`-o` is
    /// then a folder).
    #[arg(long)]
    pub all: bool,
    /// The language (default: the primary language; with `--all`, every language).
    #[arg(long)]
    pub lang: Option<String>,
    /// EPUB or PDF.
    #[arg(long, value_enum, default_value_t = Format::Epub)]
    pub format: Format,
    /// Every full text, paid issues included.
    #[arg(long)]
    pub full: bool,
    /// The file to write (a folder with `--all`).
    #[arg(long, short)]
    pub output: PathBuf,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let chromium = match args.format {
        Format::Pdf => Some(find_chromium()?),
        Format::Epub => None,
    };
    let started = Instant::now();
    let jobs: Vec<(u32, Lang, PathBuf)> = if args.all {
        if args.output.exists() && !args.output.is_dir() {
            bail!(
                "`{}` is a file: with `--all`, `-o` names a folder",
                args.output.display()
            );
        }
        std::fs::create_dir_all(&args.output)?;
        let latest = workspace.issues.last().map_or(0, |i| i.number);
        if latest == 0 {
            bail!("the workspace has no issues yet");
        }
        let last_season = workspace.config.seasons.of(latest);
        let langs = match &args.lang {
            Some(code) => vec![crate::editions::resolve_lang(&workspace, Some(code))?],
            None => workspace.config.languages.clone(),
        };
        let mut jobs = Vec::new();
        for season in 1..=last_season {
            for lang in &langs {
                let name = format!("season-{season}.{lang}.{}", args.format.extension());
                jobs.push((season, lang.clone(), args.output.join(name)));
            }
        }
        jobs
    } else {
        let lang = crate::editions::resolve_lang(&workspace, args.lang.as_deref())?;
        vec![(args.season.unwrap_or_default(), lang, args.output.clone())]
    };
    let mut loaded: Option<Season> = None;
    for (number, lang, out) in &jobs {
        loaded = Some(match loaded.take() {
            Some(season) if season.number == *number => season,
            Some(season) => season.next(&workspace, *number)?,
            None => Season::load(&workspace, *number)?,
        });
        let Some(season) = loaded.as_ref() else {
            continue;
        };
        let has_text = season
            .members()
            .iter()
            .any(|m| season.text(&workspace, m, lang, args.full).is_some());
        if args.all && !has_text {
            printer::status(&format!("season {number}: no {lang} edition, skipped"));
            continue;
        }
        let book = book(&workspace, season, lang, args.full)?;
        match &chromium {
            None => {
                let bytes = weekly_ebook::epub(&book)?;
                crate::files::write_bytes_atomic(out, &bytes)?;
            }
            Some(chromium) => print_pdf(chromium, &weekly_ebook::print_html(&book), out)?,
        }
        printer::status(&format!(
            "wrote `{}`: season {number} in {lang}, {}",
            out.display(),
            printer::count(book.chapters.len(), "issue", "issues")
        ));
    }
    if jobs.len() > 1 {
        printer::status(&format!(
            "{} in {:.2} s",
            printer::count(jobs.len(), "book", "books"),
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
