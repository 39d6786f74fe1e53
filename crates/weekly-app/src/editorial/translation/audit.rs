//! `weekly translate --check`: existing translations read against their sources by the same
//! rules the run applies to the model's answers.

use super::Selection;
use crate::workspace::Workspace;
use weekly_translate::{Problem, Rules, compare};

/// A broken rule in a translated edition.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The translated file.
    pub file: String,
    /// Its line (0 when unknown).
    pub line: u32,
    /// What part: `the title`, `entry 3 of 🦄Articles & Tutorials`.
    pub label: String,
    /// The broken rule.
    pub problem: Problem,
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct Audit {
    /// Translated editions compared with their sources.
    pub editions: usize,
    /// Of which with problems.
    pub with_problems: usize,
    /// Every finding, edition by edition.
    pub findings: Vec<Finding>,
}

/// Compares every translated edition of `selection` (full and teaser) with its source.
pub fn check(workspace: &Workspace, selection: &Selection) -> Audit {
    let from = &selection.from;
    let mut audit = Audit::default();
    for issue in &selection.archive.issues {
        for target in &selection.targets {
            let rules = Rules {
                source: from,
                target,
                glossary: &selection.glossary,
            };
            let pairs = [
                (issue.full(from), issue.full(target)),
                (issue.teaser(from), issue.teaser(target)),
            ];
            for (source, translation) in pairs {
                let (Some(source), Some(translation)) = (source, translation) else {
                    continue;
                };
                audit.editions += 1;
                let findings = compare(&source.document, &translation.document, &rules);
                if findings.is_empty() {
                    continue;
                }
                audit.with_problems += 1;
                let file = workspace.display_path(&translation.path);
                audit.findings.extend(findings.into_iter().map(|f| Finding {
                    file: file.clone(),
                    line: f.line,
                    label: f.label,
                    problem: f.problem,
                }));
            }
        }
    }
    audit
}
