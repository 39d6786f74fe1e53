//! Planning one target language: for each issue, the source edition, the translated file it
//! becomes, what earlier runs recorded, and a decision per unit (translate, copy, keep).

use super::{Event, Options, Progress, Selection, Summary};
use crate::archive::{Edition, Issue};
use crate::workspace::Workspace;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::PathBuf;
use weekly_model::{Document, Lang};
use weekly_parse::{ParseOptions, parse_document};
use weekly_store::Store;
use weekly_translate::{Decision, Record, Unit, plan, units};

/// One edition to write.
pub(super) struct EditionRun {
    pub issue: u32,
    pub source: Document,
    pub source_path: PathBuf,
    pub target_path: PathBuf,
    pub existing_text: Option<String>,
    pub units: Vec<Unit>,
    pub decisions: Vec<Decision>,
    /// What earlier runs recorded, by unit id.
    pub records: BTreeMap<String, Record>,
}

impl EditionRun {
    /// The units the model is asked for.
    pub fn to_translate(&self) -> impl Iterator<Item = &Unit> {
        self.units
            .iter()
            .zip(&self.decisions)
            .filter(|(_, d)| **d == Decision::Translate)
            .map(|(u, _)| u)
    }
}

/// The edition translated from: the full one, else the teaser.
fn source_edition<'a>(issue: &'a Issue, from: &Lang) -> Option<&'a Edition> {
    issue.full(from).or_else(|| issue.teaser(from))
}

/// `zh.md` → `en.md`, `zh.teaser.md` → `en.teaser.md`.
fn target_path(source: &Edition, target: &Lang) -> PathBuf {
    let name = if source.teaser {
        format!("{target}.teaser.md")
    } else {
        format!("{target}.md")
    };
    source.path.with_file_name(name)
}

/// `text` parsed as an edition in `lang` (errors are `weekly check`'s to report).
pub(super) fn parse(workspace: &Workspace, text: &str, lang: &Lang, file: &str) -> Document {
    parse_document(
        text,
        &ParseOptions {
            file,
            lang,
            catalogue: &workspace.config.catalogue,
        },
    )
    .document
}

/// What earlier runs wrote into `issue`'s edition in `target`, by unit id.
async fn records(
    store: Option<&Store>,
    issue: u32,
    target: &Lang,
) -> Result<BTreeMap<String, Record>> {
    let Some(store) = store else {
        return Ok(BTreeMap::new());
    };
    Ok(store
        .unit_records(issue, target.as_str())
        .await?
        .into_iter()
        .map(|(k, r)| {
            (
                k,
                Record {
                    source_hash: r.source_hash,
                    output_hash: r.output_hash,
                },
            )
        })
        .collect())
}

/// The editions to write in `target`; those that cannot be are told to `progress` (a source
/// with errors also counts in `summary` as needing a person).
pub(super) async fn editions(
    workspace: &Workspace,
    selection: &Selection,
    options: &Options,
    target: &Lang,
    store: Option<&Store>,
    progress: &mut dyn Progress,
    summary: &mut Summary,
) -> Result<Vec<EditionRun>> {
    let from = &selection.from;
    let archive = &selection.archive;
    let mut runs = Vec::new();
    for issue in &archive.issues {
        let Some(source) = source_edition(issue, from) else {
            if !options.all {
                progress.event(Event::NoSource {
                    issue: issue.number,
                    from: from.clone(),
                });
            }
            continue;
        };
        let source_shown = workspace.display_path(&source.path);
        if archive.files_with_errors.contains(&source_shown) {
            progress.event(Event::SourceHasErrors {
                source: source_shown,
            });
            summary.needs_person += 1;
            continue;
        }
        let path = target_path(source, target);
        let shown = workspace.display_path(&path);
        let existing_text = if path.exists() {
            Some(workspace.read_text(&path)?)
        } else {
            None
        };
        let existing_doc = existing_text
            .as_deref()
            .map(|t| parse(workspace, t, target, &shown));
        let existing = existing_doc.as_ref().map(units).unwrap_or_default();
        let records = records(store, issue.number, target).await?;
        let source_units = units(&source.document);
        let decisions = plan(
            &source_units,
            &existing,
            &records,
            from,
            target,
            options.force,
        );
        // An edition with no record of ours is rebuilt only when it has the source's shape
        // (as `split` writes one: the same units, the same kind of header) and something in
        // it is missing or still in the source's language: then what the editor wrote is kept
        // and only that is translated. Any other such file was written by hand or by another
        // tool, and is not ours to rebuild.
        if existing_text.is_some() && records.is_empty() && !options.force {
            let same_header = match (
                existing_doc.as_ref().and_then(|d| d.header.as_ref()),
                source.document.header.as_ref(),
            ) {
                (None, None) => true,
                (Some(a), Some(b)) => std::mem::discriminant(a) == std::mem::discriminant(b),
                _ => false,
            };
            let same_shape = same_header
                && existing.len() == source_units.len()
                && existing
                    .iter()
                    .zip(&source_units)
                    .all(|(e, s)| e.id == s.id);
            let something_to_do = decisions.contains(&Decision::Translate);
            if !same_shape || !something_to_do {
                progress.event(Event::NotOurs {
                    file: shown,
                    issue: issue.number,
                });
                continue;
            }
        }
        runs.push(EditionRun {
            records,
            issue: issue.number,
            source: (*source.document).clone(),
            source_path: source.path.clone(),
            target_path: path,
            existing_text,
            units: source_units,
            decisions,
        });
    }
    Ok(runs)
}

/// Tells of every unit a person edited that is kept.
pub(super) fn report_kept(workspace: &Workspace, runs: &[EditionRun], progress: &mut dyn Progress) {
    for run in runs {
        for (unit, decision) in run.units.iter().zip(&run.decisions) {
            if let Decision::Keep {
                edited: true,
                stale,
                ..
            } = decision
            {
                progress.event(Event::EditedKept {
                    file: workspace.display_path(&run.target_path),
                    label: unit.label.clone(),
                    stale: *stale,
                });
            }
        }
    }
}

/// Tells what each edition would request.
pub(super) fn report_dry_run(
    workspace: &Workspace,
    runs: &[EditionRun],
    from: &Lang,
    target: &Lang,
    progress: &mut dyn Progress,
) {
    for run in runs {
        progress.event(Event::WouldTranslate {
            file: workspace.display_path(&run.target_path),
            from: from.clone(),
            to: target.clone(),
            total: run.units.len(),
            units: run
                .to_translate()
                .map(|u| (u.label.clone(), u.line))
                .collect(),
        });
    }
}
