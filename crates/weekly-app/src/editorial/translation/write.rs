//! Writing one translated edition: the document assembled from the units' texts, written only
//! when it changed, and the record of what was written kept for the next run.

use super::plan::{EditionRun, parse};
use super::{Event, Progress};
use crate::files;
use crate::workspace::Workspace;
use anyhow::Result;
use std::collections::BTreeMap;
use weekly_model::Lang;
use weekly_render::markdown::render;
use weekly_store::{Store, UnitRecord};
use weekly_translate::{Assembly, Decision, assemble, text_hash, units};

/// Assembles `run`'s edition from the `translated` units (by id), the copied ones and the kept
/// ones, writes it if it changed, and records its units.
pub(super) async fn edition(
    workspace: &Workspace,
    store: &Store,
    run: &EditionRun,
    translated: &BTreeMap<String, String>,
    target: &Lang,
    name: &str,
    progress: &mut dyn Progress,
) -> Result<()> {
    let mut texts = BTreeMap::new();
    for (unit, decision) in run.units.iter().zip(&run.decisions) {
        let text = match decision {
            Decision::Translate => translated.get(&unit.id).cloned(),
            Decision::Copy => Some(unit.text.clone()),
            Decision::Keep { text, .. } => Some(text.clone()),
        };
        if let Some(text) = text {
            texts.insert(unit.id.clone(), text);
        }
    }
    let document = assemble(
        &run.source,
        &texts,
        &Assembly {
            catalogue: &workspace.config.catalogue,
            target,
            name,
        },
    );
    let text = render(&document);
    let shown = workspace.display_path(&run.target_path);
    let changed = run.existing_text.as_deref() != Some(text.as_str());
    if changed {
        files::write_atomic(&run.target_path, &text)?;
    }
    progress.event(Event::Written {
        file: shown.clone(),
        changed,
    });
    let written: BTreeMap<String, String> = units(&parse(workspace, &text, target, &shown))
        .into_iter()
        .map(|u| (u.id, u.text))
        .collect();
    // A person's edit keeps the record of what we wrote, so it stays recognised as theirs.
    let records: Vec<UnitRecord> = run
        .units
        .iter()
        .zip(&run.decisions)
        .filter_map(|(u, decision)| match decision {
            Decision::Keep { edited: true, .. } => run.records.get(&u.id).map(|r| UnitRecord {
                unit: u.id.clone(),
                source_hash: r.source_hash.clone(),
                output_hash: r.output_hash.clone(),
            }),
            _ => written.get(&u.id).map(|out| UnitRecord {
                unit: u.id.clone(),
                source_hash: text_hash(&u.text),
                output_hash: text_hash(out),
            }),
        })
        .collect();
    store
        .set_unit_records(run.issue, target.as_str(), &records)
        .await?;
    Ok(())
}
