//! `weekly translate`: write other-language editions with an LLM, unit by unit, keeping every
//! link and number, reusing the translation memory and never overwriting a person's edit; and
//! `--check`, which reads existing translations against their sources by the same rules. The
//! step itself is `weekly_app::translation`; this module holds the arguments and the printing.

use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;
use weekly_app::translation::{self, Options};

mod print;

use print::{print_audit, print_event, print_summary};

/// Arguments of `weekly translate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each unit (the title's theme, a paragraph, an entry with its \
description) is one request: the instructions are the system message, the unit's Markdown the \
user message. An answer must keep the source's URLs, images, inline and fenced code, star notes, \
paragraphs and list numbers, use the glossary's terms and, in a non-CJK language, leave no \
Chinese; otherwise it is asked again with the problems stated, then reported. Nothing is \
written for an edition with a unit in trouble, and the command exits 1 naming the units.\n\n\
The title's number, the section headings (from the catalogue) and the description line (from \
the counts) are written by us, not by the model.\n\n\
Translations are remembered in weekly.db (key: source text, language, model, instructions), so \
a re-run makes no request and editing one entry re-translates that entry only. A unit edited by \
a person after it was written is kept (and reported if its source changed since), unless \
--force.\n\n\
Model: [translate] in weekly.toml; WEEKLY_LLM_BASE_URL and WEEKLY_LLM_MODEL override it; the \
key comes from WEEKLY_LLM_API_KEY only and is never printed. Terms: glossary.toml. \
Instructions: templates/translate/system.md.\n\n\
Examples:\n  weekly translate 160 --to en\n  weekly translate --all --to ja --dry-run\n  \
weekly translate --check --all        # audit existing translations"
)]
pub struct Args {
    /// Issue numbers to translate or check.
    pub issues: Vec<u32>,
    /// Every issue of the workspace.
    #[arg(long)]
    pub all: bool,
    /// Target language; repeat for several (default: every configured language but the source).
    #[arg(long = "to", value_name = "LANG")]
    pub to: Vec<String>,
    /// Source language (default: the primary language).
    #[arg(long = "from", value_name = "LANG")]
    pub from: Option<String>,
    /// Compare existing translations with their sources instead of translating.
    #[arg(long)]
    pub check: bool,
    /// Show what would be requested; send nothing, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Translate every unit again, replacing a person's edits (the memory still answers what it
    /// knows for the same model and instructions).
    #[arg(long)]
    pub force: bool,
    /// Requests in flight at once (default: `translate.concurrency`).
    #[arg(long)]
    pub concurrency: Option<usize>,
}

impl Args {
    fn options(&self) -> Options {
        Options {
            issues: self.issues.clone(),
            all: self.all,
            to: self.to.clone(),
            from: self.from.clone(),
            dry_run: self.dry_run,
            force: self.force,
            concurrency: self.concurrency,
        }
    }
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let options = args.options();
    let selection = translation::select(&workspace, &options)?;
    if args.check {
        return Ok(print_audit(&translation::check(&workspace, &selection)));
    }
    let runtime = crate::runtime()?;
    let summary = runtime.block_on(translation::translate(
        &workspace,
        &selection,
        &options,
        &mut print_event,
    ))?;
    if !args.dry_run {
        print_summary(&summary);
    }
    Ok(exit_code(summary.needs_person > 0))
}

/// 1 when something needs a person, else 0.
pub(super) fn exit_code(failed: bool) -> ExitCode {
    ExitCode::from(u8::from(failed))
}
