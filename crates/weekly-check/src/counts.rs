//! Counts: the description line must agree with the entries, and the language editions of an
//! issue must claim the same counts.

use crate::{Edition, Settings};
use std::collections::BTreeMap;
use weekly_model::Diagnostic;
use weekly_parse::description;

const KEYS: [&str; 5] = ["articles", "projects", "media", "discussions", "books"];

/// Entries per counted section key.
pub(crate) fn actual_counts(
    edition: &Edition<'_>,
    settings: &Settings<'_>,
) -> BTreeMap<String, u32> {
    let mut counts = BTreeMap::new();
    for section in edition.document.all_sections() {
        if settings.catalogue.is_counted(&section.key) {
            *counts.entry(section.key.to_string()).or_insert(0) += section.entries.len() as u32;
        }
    }
    counts
}

pub(crate) fn check_claims(
    edition: &Edition<'_>,
    settings: &Settings<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(desc) = description::find(edition.document) else {
        return;
    };
    let actual = actual_counts(edition, settings);
    for key in KEYS {
        let Some(claimed) = desc.counts.for_key(key) else {
            continue;
        };
        let have = actual.get(key).copied();
        // Book giveaways are described in prose, not as numbered entries.
        if key == "books" && have.unwrap_or(0) == 0 {
            continue;
        }
        let have = have.unwrap_or(0);
        if have != claimed {
            out.push(Diagnostic::error(
                "count-mismatch",
                desc.line,
                1,
                format!("the description says {claimed} {key} but the issue has {have}"),
            ));
        }
    }
}

pub(crate) fn check_editions_agree(editions: &[Edition<'_>], out: &mut Vec<Diagnostic>) {
    let mut by_issue: BTreeMap<u32, Vec<(&Edition<'_>, description::Description)>> =
        BTreeMap::new();
    for edition in editions.iter().filter(|e| e.is_issue()) {
        if let Some(desc) = description::find(edition.document) {
            by_issue
                .entry(edition.number)
                .or_default()
                .push((edition, desc));
        }
    }
    for claims in by_issue.values() {
        let Some((first, first_desc)) = claims.first() else {
            continue;
        };
        for (other, other_desc) in &claims[1..] {
            if other.document.lang == first.document.lang {
                continue;
            }
            for key in KEYS {
                if let (Some(a), Some(b)) = (
                    first_desc.counts.for_key(key),
                    other_desc.counts.for_key(key),
                ) && a != b
                {
                    out.push(
                        Diagnostic::warning(
                            "count-disagreement",
                            other_desc.line,
                            1,
                            format!(
                                "this edition claims {b} {key}, the {} edition `{}` claims {a}",
                                first.document.lang, first.file
                            ),
                        )
                        .in_file(other.file),
                    );
                }
            }
        }
    }
}
