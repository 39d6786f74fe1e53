//! `weekly ebook`: a season as an EPUB 3 book, or as a PDF printed by headless Chromium.

use crate::ebook::{self, BookEvent, BooksOptions, write_books};
use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// EPUB 3: cover, title page, contents by issue and section, one chapter per issue.
    Epub,
    /// PDF (A5, numbered pages, an outline entry per issue), printed by headless Chromium.
    Pdf,
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
    let options = BooksOptions {
        season: args.season,
        all: args.all,
        lang: args.lang.clone(),
        format: match args.format {
            Format::Epub => ebook::Format::Epub,
            Format::Pdf => ebook::Format::Pdf,
        },
        full: args.full,
        output: args.output.clone(),
    };
    let books = write_books(&workspace, &options, &mut |event| match event {
        BookEvent::Skipped { season, lang } => {
            printer::status(&format!("season {season}: no {lang} edition, skipped"));
        }
        BookEvent::NoEmojiFont { season, lang } => printer::status(&format!(
            "warning: season {season} in {lang} has emoji, and this machine has no emoji font: they print as empty boxes ({})",
            weekly_app::fonts::EMOJI_HINT
        )),
        BookEvent::Wrote {
            path,
            season,
            lang,
            issues,
        } => printer::status(&format!(
            "wrote `{}`: season {season} in {lang}, {}",
            path.display(),
            printer::count(issues, "issue", "issues")
        )),
    })?;
    if books.planned > 1 {
        printer::status(&format!(
            "{} in {:.2} s",
            printer::count(books.planned, "book", "books"),
            books.took.as_secs_f64()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
