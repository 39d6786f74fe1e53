//! Counts: the description line must agree with the entries, and the language editions of an
//! issue must claim the same counts.

use crate::{Edition, Settings};
use std::collections::BTreeMap;
use weekly_model::{Counts, Diagnostic};
use weekly_parse::description;

const KEYS: [&str; 5] = ["articles", "projects", "media", "discussions", "books"];

pub(crate) fn check_claims(
    edition: &Edition<'_>,
    settings: &Settings<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(desc) = description::find(edition.document) else {
        return;
    };
    let actual = Counts::of(edition.document, settings.catalogue);
    let claims_any = KEYS.iter().any(|k| desc.counts.for_key(k).is_some());
    for key in KEYS {
        let have = actual.get(key);
        let Some(claimed) = desc.counts.for_key(key) else {
            // A kind the description leaves out although the issue has entries of it.
            if claims_any && have > 0 && key != "books" {
                out.push(Diagnostic::error(
                    "count-mismatch",
                    desc.line,
                    1,
                    format!(
                        "the description does not mention the {have} {} of `{key}`",
                        if have == 1 { "entry" } else { "entries" }
                    ),
                ));
            }
            continue;
        };
        // Book giveaways are described in prose, not as numbered entries.
        if key == "books" && have == 0 {
            continue;
        }
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
