//! What `weekly translate` prints: the run's events as they come, its closing line, and the
//! findings of `--check`.

use super::exit_code;
use crate::printer;
use std::process::ExitCode;
use weekly_app::translation::{Audit, Event, Summary};

pub(super) fn print_event(event: Event) {
    match event {
        Event::NoSource { issue, from } => {
            printer::status(&format!(
                "issue {issue}: no `{from}` edition to translate from"
            ));
        }
        Event::SourceHasErrors { source } => printer::status(&format!(
            "{source}: not translated; fix the errors `weekly check` reports first"
        )),
        Event::NotOurs { file, issue } => printer::status(&format!(
            "{file}: kept; it was not written by `weekly translate` (--force replaces it; \
             `weekly translate --check {issue}` compares it with its source)"
        )),
        Event::EditedKept { file, label, stale } => {
            let note = if stale {
                "its source changed since: please review it"
            } else {
                "kept"
            };
            printer::status(&format!(
                "{file}: {label} was edited by a person; {note} (--force re-translates it)"
            ));
        }
        Event::WouldTranslate {
            file,
            from,
            to,
            total,
            units,
        } => {
            printer::out(&format!(
                "{file}: {} of {total} units to translate ({from} → {to})",
                units.len()
            ));
            for (label, line) in units {
                printer::out(&format!("  {label} (line {line})"));
            }
        }
        Event::NotWritten {
            file,
            source,
            troubles,
        } => {
            printer::status(&format!(
                "{file}: not written; {} unit(s) need a person:",
                troubles.len()
            ));
            for t in troubles {
                printer::status(&format!("  {source}:{}: {}: {}", t.line, t.label, t.why));
            }
        }
        Event::Written { file, changed } => {
            let what = if changed { "written" } else { "unchanged" };
            printer::status(&format!("{file}: {what}"));
        }
    }
}

pub(super) fn print_summary(summary: &Summary) {
    let totals = &summary.totals;
    printer::status(&format!(
        "{} requests ({} retried after 429/5xx, timeouts or connection errors, {} re-asked \
         for broken rules), \
         {} from the translation memory; tokens: {} in, {} out; {:.2} s",
        summary.requests,
        summary.retries,
        totals.repairs,
        totals.memory_hits,
        totals.prompt_tokens,
        totals.completion_tokens,
        summary.elapsed.as_secs_f64()
    ));
}

pub(super) fn print_audit(audit: &Audit) -> ExitCode {
    for f in &audit.findings {
        printer::out(&format!(
            "{}:{}: {}: {}",
            f.file, f.line, f.label, f.problem
        ));
    }
    printer::status(&format!(
        "checked {} translated edition(s): {} with problems, {} finding(s)",
        audit.editions,
        audit.with_problems,
        audit.findings.len()
    ));
    exit_code(audit.with_problems > 0)
}
