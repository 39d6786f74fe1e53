//! Everything the program prints to the terminal goes through here. Every line is scrubbed of
//! the secrets the run knows (API keys, tokens, passwords: see [`keep_secret`]) and has its
//! control characters escaped, so a feed title or a server's answer cannot send terminal
//! escapes; text printed as it is (`raw`) is escaped only when it goes to a terminal.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{IsTerminal as _, Write};
use std::sync::{Mutex, PoisonError};
use weekly_model::shown::{escape_controls, redact};

/// The secrets of this run, never printed.
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Remembers a secret so that no output shows it.
pub fn keep_secret(secret: &str) {
    let secret = secret.trim();
    if secret.is_empty() {
        return;
    }
    let mut secrets = SECRETS.lock().unwrap_or_else(PoisonError::into_inner);
    if !secrets.iter().any(|s| s == secret) {
        secrets.push(secret.to_owned());
    }
}

/// Remembers the secrets of the environment (`WEEKLY_LLM_API_KEY`, `WEEKLY_TELEGRAM_BOT_TOKEN`,
/// `WEEKLY_GITHUB_TOKEN`, …) and the password of a URL such as `WEEKLY_SMTP_URL`.
pub fn keep_environment_secrets() {
    for secret in weekly_app::environment::Environment::process().secrets() {
        keep_secret(secret);
    }
}

/// `text` as it may be shown: without secrets; controls escaped (newlines and tabs kept).
pub fn shown(text: &str) -> String {
    let secrets = SECRETS.lock().unwrap_or_else(PoisonError::into_inner);
    let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let text = redact(text, &refs);
    escape_controls(&text, true).into_owned()
}

/// A value from outside (a file name, a title) on one line: controls and newlines escaped.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(text, false)
}

/// A diagnostic as `file:line:col: severity[code]: message` on one line (a file name with a
/// newline stays on it).
pub fn diagnostic(d: &weekly_model::Diagnostic) -> String {
    let mut shown = d.clone();
    shown.file = one_line(&d.file).into_owned();
    shown.to_string()
}

/// `n` and the noun, singular for one: `1 issue`, `2 issues`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prints a warning for each link of `static/` that a build skipped.
pub fn skipped_links(skipped: &[String]) {
    for path in skipped {
        status(&format!(
            "warning: `{path}` is a link that leads outside the workspace; skipped"
        ));
    }
}

/// Prints an error chain to stderr: `error: …` then `caused by: …` lines; lines of the message
/// that start with `hint:` are kept as they are.
pub fn error(error: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    for line in chain_lines(error) {
        let _ = writeln!(stderr, "{}", shown(&line));
    }
}

/// The lines of an error chain: each cause once. A library error that puts its cause in its
/// own message and also returns it as its `source()` would otherwise print it twice; a cause
/// whose text the lines before already hold is left out.
fn chain_lines(error: &anyhow::Error) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if lines.iter().any(|line| line.contains(text.trim())) {
            continue;
        }
        lines.push(if lines.is_empty() {
            format!("error: {text}")
        } else {
            format!("  caused by: {text}")
        });
    }
    lines
}

/// Passes `result` on; when it is a refusal for errors that change what readers see, prints
/// those errors first (one line each, like `weekly check`).
pub fn shown_blocked<T>(result: anyhow::Result<T>) -> anyhow::Result<T> {
    if let Err(error) = &result
        && let Some(blocked) = error.downcast_ref::<weekly_app::building::Blocked>()
    {
        for d in &blocked.diagnostics {
            out(&diagnostic(d));
        }
    }
    result
}

/// What a build says: the errors it went on despite, its notes, and its figures.
pub fn built(built: &weekly_app::building::Built) {
    for d in &built.blocking {
        out(&diagnostic(d));
    }
    if !built.blocking.is_empty() {
        let n = built.blocking.len();
        status(&format!(
            "warning: built despite {n} error{} (`--allow-errors`): not for publishing",
            if n == 1 { "" } else { "s" }
        ));
    }
    for line in &built.notes {
        status(line);
    }
    let Some(w) = &built.written else {
        status(&format!(
            "nothing that `weekly build` reads changed since it last built `{}`: nothing to do, in {:.3} s",
            built.out.display(),
            built.took.as_secs_f64()
        ));
        return;
    };
    status(&format!(
        "built {} ({} as {}), {}{}, {:.1} MB (search index {:.1} MB) into `{}`: {} written, {} unchanged ({} pages kept without rendering), {} removed{}, in {:.2} s",
        count(w.issue_pages, "issue page", "issue pages"),
        w.teasers,
        if w.teasers == 1 {
            "a teaser"
        } else {
            "teasers"
        },
        count(w.files, "file", "files"),
        if w.statics > 0 {
            format!(
                " and {} from `{}/`",
                w.statics,
                weekly_app::site::STATIC_DIR
            )
        } else {
            String::new()
        },
        w.bytes as f64 / 1e6,
        w.index_bytes as f64 / 1e6,
        built.out.display(),
        w.changed,
        w.unchanged,
        w.kept_pages,
        w.removed,
        if w.foreign > 0 {
            format!(", {} not ours kept", w.foreign)
        } else {
            String::new()
        },
        built.took.as_secs_f64()
    ));
}

/// Warns about issues a README lists without a theme in `lang`.
pub fn untitled_warning(untitled: &[u32], lang: &weekly_model::Lang) {
    let Some(first) = untitled.first() else {
        return;
    };
    let n = untitled.len();
    status(&format!(
        "warning: {n} issue{} ha{} no theme in {lang} (the title has only the number and \
         date), e.g. #{first}: write it in the README's list once, it is kept from then on",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "ve" },
    ));
}

/// Prints what `weekly check` found: one line per problem on stdout, a summary on stderr.
pub fn check_report(report: &weekly_app::checking::Report) {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let errors = report.errors();
    let warnings = report.diagnostics.len() - errors;
    for d in &report.diagnostics {
        out(&diagnostic(d));
    }
    status(&format!(
        "{errors} error{}, {warnings} warning{} in {} ({})",
        plural(errors),
        plural(warnings),
        count(report.files, "file", "files"),
        count(report.issues, "issue", "issues")
    ));
}

/// Prints a line to stdout, ignoring a closed pipe (`weekly check | head`).
pub fn out(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", shown(line));
}

/// Prints a status line to stderr.
pub fn status(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{}", shown(line));
}

/// Prints text to stdout as it is (no newline added), ignoring a closed pipe; secrets are
/// taken out, and controls escaped when stdout is a terminal.
pub fn raw(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let secrets = SECRETS.lock().unwrap_or_else(PoisonError::into_inner);
    let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let text = redact(text, &refs);
    let text = if stdout.is_terminal() {
        escape_controls(&text, true)
    } else {
        text
    };
    let _ = stdout.write_all(text.as_bytes());
}
