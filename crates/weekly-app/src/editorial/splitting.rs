//! Splitting a bilingual `中文---English` draft into one edition file per language, beside the
//! draft (or in another folder). The draft is never written; every output is checked before
//! any is written.

use crate::editions::resolve_lang;
use crate::files;
use crate::workspace::Workspace;
use anyhow::{Context, Result, anyhow, bail};
use std::path::{Path, PathBuf};
use weekly_model::{Diagnostic, Lang, Severity};
use weekly_parse::{ParseOptions, parse_document};
use weekly_render::split::{SplitOptions, split};

pub use weekly_render::split::Missing;

/// What to split.
#[derive(Debug, Clone)]
pub struct SplitDraft {
    /// The bilingual draft.
    pub draft: PathBuf,
    /// The language after `---` (default: the first configured language that is not primary).
    pub lang: Option<String>,
    /// Where to write the `<lang>.md` files (default: the draft's folder).
    pub out: Option<PathBuf>,
    /// Replace output files that exist with other content.
    pub force: bool,
}

/// A draft refused for its parse errors: nothing was written.
#[derive(Debug)]
pub struct DraftErrors {
    /// The draft as named.
    pub draft: String,
    /// Its errors.
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for DraftErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the draft `{}` has {} errors; fix them and split again",
            self.draft,
            self.diagnostics.len()
        )
    }
}

impl std::error::Error for DraftErrors {}

/// One output file, as it is handled.
#[derive(Debug)]
pub enum Output<'a> {
    /// Written.
    Wrote(&'a Path),
    /// Already as it should be.
    Unchanged(&'a Path),
}

/// What a split did.
#[derive(Debug)]
pub struct Split {
    /// The draft as named.
    pub draft: String,
    pub primary: Lang,
    pub other: Lang,
    /// The texts the other edition keeps in the primary language.
    pub untranslated: Vec<Missing>,
}

/// Splits `request.draft` into its two editions; `output` hears of each file as it is handled.
/// A draft with parse errors is refused with [`DraftErrors`].
pub fn split_draft(
    workspace: &Workspace,
    request: &SplitDraft,
    output: &mut dyn FnMut(Output<'_>),
) -> Result<Split> {
    let config = &workspace.config;
    let primary = config.primary_language.clone();
    let other = match &request.lang {
        Some(code) => resolve_lang(workspace, Some(code))?,
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
    let text = files::read_text(&request.draft)?;
    let shown = request.draft.display().to_string();
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
    let errors: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(DraftErrors {
            draft: shown,
            diagnostics: errors,
        }
        .into());
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
    let out_dir = match &request.out {
        Some(dir) => dir.clone(),
        None => request
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
    let draft_canonical = std::fs::canonicalize(&request.draft)
        .with_context(|| format!("failed to resolve `{shown}`"))?;
    let mut conflicts = Vec::new();
    for (path, content) in &outputs {
        if std::fs::canonicalize(path).is_ok_and(|p| p == draft_canonical) {
            bail!(
                "`{}` is the draft itself; name the draft `draft.md` or pass `--out DIR`",
                path.display()
            );
        }
        if path.exists() && files::read_text(path)? != *content && !request.force {
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
            output(Output::Unchanged(path));
        } else {
            files::write_atomic(path, content)?;
            output(Output::Wrote(path));
        }
    }
    Ok(Split {
        draft: shown,
        primary,
        other,
        untranslated: result.missing,
    })
}

fn path_for(dir: &Path, lang: &Lang) -> PathBuf {
    dir.join(format!("{lang}.md"))
}
