//! Entry numbering: each section counts 1, 2, 3… without repeats or holes. Bullet entries
//! (`* [title](url)`) have no numbers of their own: there is nothing to check in them.

use crate::Edition;
use weekly_model::{Diagnostic, NumberMarker};

pub(crate) fn check(edition: &Edition<'_>, out: &mut Vec<Diagnostic>) {
    for section in edition.document.all_sections() {
        let heading = section.heading.plain();
        let mut previous: Option<u32> = None;
        let numbered = section
            .entries
            .iter()
            .filter(|e| e.marker != NumberMarker::Bullet);
        for entry in numbered {
            let n = entry.number;
            match previous {
                None if n != 1 => out.push(Diagnostic::error(
                    "numbering-gap",
                    entry.line,
                    1,
                    format!("`{heading}` starts at {n} instead of 1"),
                )),
                Some(p) if n == p => out.push(Diagnostic::error(
                    "numbering-duplicate",
                    entry.line,
                    1,
                    format!("number {n} is used twice in `{heading}`"),
                )),
                Some(p) if n > p + 1 => out.push(Diagnostic::error(
                    "numbering-gap",
                    entry.line,
                    1,
                    format!(
                        "`{heading}` skips {}: {p} is followed by {n}",
                        missing(p, n)
                    ),
                )),
                Some(p) if n < p => out.push(Diagnostic::error(
                    "numbering-order",
                    entry.line,
                    1,
                    format!("`{heading}` goes back from {p} to {n}"),
                )),
                _ => {}
            }
            previous = Some(n);
        }
    }
}

fn missing(previous: u32, next: u32) -> String {
    if next == previous + 2 {
        (previous + 1).to_string()
    } else {
        format!("{}–{}", previous + 1, next - 1)
    }
}
