//! `weekly split`: turn a bilingual `中文---English` draft into one edition file per language,
//! beside the draft. The draft is never written; all outputs are checked before any is written.

use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::splitting::{DraftErrors, Output, SplitDraft, split_draft};

/// Arguments of `weekly split`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The draft marks every translated text with `---`: the title \
(`周刊#12：中文主题---English Theme`), the description, link texts \
(`[中文标题---Original Title](url)`) and, optionally, headings. Known section headings are \
translated from the catalogue of weekly.toml. An English description that is missing is written \
from the counts.\n\nRe-running on the same draft gives the same files. An output file that \
exists with other content is kept unless `--force` is given.\n\nExamples:\n  weekly split issues/0160/draft.md   # writes issues/0160/zh.md and issues/0160/en.md\n  weekly split 160                    # the same"
)]
pub struct Args {
    /// The bilingual draft (e.g. `issues/0160/draft.md`), or an issue number (its
    /// `draft.md`).
    pub draft: PathBuf,
    /// The language after `---` (default: the first configured language that is not primary).
    #[arg(long)]
    pub lang: Option<String>,
    /// Where to write `<lang>.md` files (default: the draft's directory).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace output files that exist with other content.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    // An issue number names that issue's draft.
    let draft = match args.draft.to_str().and_then(|s| s.parse::<u32>().ok()) {
        Some(n) if !args.draft.exists() => workspace
            .issues
            .iter()
            .find(|i| i.number == n)
            .map_or_else(
                || workspace.root.join("issues").join(format!("{n:04}")),
                |i| i.dir.clone(),
            )
            .join("draft.md"),
        _ => args.draft.clone(),
    };
    let request = SplitDraft {
        draft,
        lang: args.lang.clone(),
        out: args.out.clone(),
        force: args.force,
    };
    let split = split_draft(&workspace, &request, &mut |output| match output {
        Output::Unchanged(path) => printer::status(&format!("unchanged `{}`", path.display())),
        Output::Wrote(path) => printer::status(&format!("wrote `{}`", path.display())),
    });
    if let Err(error) = &split
        && let Some(refused) = error.downcast_ref::<DraftErrors>()
    {
        for d in &refused.diagnostics {
            printer::out(&d.to_string());
        }
    }
    let split = split?;
    for missing in &split.untranslated {
        printer::out(&format!(
            "{}:{}:1: warning[untranslated]: {}; the `{}` edition keeps the `{}` text",
            split.draft, missing.line, missing.what, split.other, split.primary
        ));
    }
    Ok(ExitCode::SUCCESS)
}
