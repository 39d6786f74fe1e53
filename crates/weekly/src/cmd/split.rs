//! `weekly split`: turn a bilingual `中文---English` draft into one edition file per language,
//! beside the draft. The draft is never written; all outputs are checked before any is written.

use crate::editions::resolve_lang;
use crate::files;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Context, Result, anyhow, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_model::{Lang, Severity};
use weekly_parse::{ParseOptions, parse_document};
use weekly_render::split::{SplitOptions, split};

/// Arguments of `weekly split`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The draft marks every translated text with `---`: the title \
(`周刊#12：中文主题---English Theme`), the description, link texts \
(`[中文标题---Original Title](url)`) and, optionally, headings. Known section headings are \
translated from the catalogue of weekly.toml. An English description that is missing is written \
from the counts.\n\nRe-running on the same draft gives the same files. An output file that \
exists with other content is kept unless `--force` is given.\n\nExample:\n  weekly split issues/0160/draft.md   # writes issues/0160/zh.md and issues/0160/en.md"
)]
pub struct Args {
    /// The bilingual draft (e.g. `issues/0160/draft.md`).
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
    let config = &workspace.config;
    let primary = config.primary_language.clone();
    let other = match &args.lang {
        Some(code) => resolve_lang(&workspace, Some(code))?,
        None => config
            .languages
            .iter()
            .find(|l| **l != primary)
            .cloned()
            .ok_or_else(|| {
                anyhow!("weekly.toml lists only `{primary}`; add a second language to `languages`")
            })?,
    };
    if other == primary {
        bail!("`--lang {other}` is the primary language; name the language after `---`");
    }
    let text = files::read_text(&args.draft)?;
    let shown = args.draft.display().to_string();
    if text.trim().is_empty() {
        bail!("the draft `{shown}` is empty; nothing was written");
    }
    let parsed = parse_document(
        &text,
        &ParseOptions {
            file: &shown,
            lang: &primary,
            catalogue: &config.catalogue,
        },
    );
    let errors: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        for d in &errors {
            printer::out(&d.to_string());
        }
        bail!(
            "the draft `{shown}` has {} errors; fix them and split again",
            errors.len()
        );
    }
    let brand = config
        .name
        .get(&other)
        .or_else(|| config.name.get(&primary))
        .cloned()
        .unwrap_or_default();
    let result = split(
        &parsed.document,
        &SplitOptions {
            catalogue: &config.catalogue,
            other: &other,
            other_brand: &brand,
        },
    );
    let out_dir = match &args.out {
        Some(dir) => dir.clone(),
        None => args
            .draft
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_owned),
    };
    let outputs = [
        (
            path_for(&out_dir, &primary),
            weekly_render::markdown::render(&result.primary),
        ),
        (
            path_for(&out_dir, &other),
            weekly_render::markdown::render(&result.other),
        ),
    ];
    // Check everything before writing anything.
    let draft_canonical = std::fs::canonicalize(&args.draft)
        .with_context(|| format!("failed to resolve `{shown}`"))?;
    let mut conflicts = Vec::new();
    for (path, content) in &outputs {
        if std::fs::canonicalize(path).is_ok_and(|p| p == draft_canonical) {
            bail!(
                "`{}` is the draft itself; name the draft `draft.md` or pass `--out DIR`",
                path.display()
            );
        }
        if path.exists() && files::read_text(path)? != *content && !args.force {
            conflicts.push(path.display().to_string());
        }
    }
    if !conflicts.is_empty() {
        bail!(
            "{} already exist with other content (edited after the last split?); nothing was written\nhint: pass `--force` to replace them",
            conflicts.join(" and ")
        );
    }
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("failed to create `{}`", out_dir.display()))?;
    for (path, content) in &outputs {
        if path.exists() && files::read_text(path)? == *content {
            printer::status(&format!("unchanged `{}`", path.display()));
        } else {
            files::write_atomic(path, content)?;
            printer::status(&format!("wrote `{}`", path.display()));
        }
    }
    for missing in &result.missing {
        printer::out(&format!(
            "{shown}:{}:1: warning[untranslated]: {}; the `{other}` edition keeps the `{primary}` text",
            missing.line, missing.what
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn path_for(dir: &Path, lang: &Lang) -> PathBuf {
    dir.join(format!("{lang}.md"))
}
