//! `weekly check`: parse every edition and season file, run the archive checks, print every
//! problem at once.

use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;
use weekly_model::{Diagnostic, Document, IsoDate, Severity};
use weekly_parse::{ParseOptions, parse_document};

/// Output format.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: severity[code]: message`, one per line, then a summary.
    Human,
    /// A JSON array of objects with `severity`, `code`, `file`, `line`, `column`, `message`.
    Json,
}

/// Arguments of `weekly check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Leave warnings out of the report.
    #[arg(long)]
    pub errors_only: bool,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
}

/// A file read and parsed for checking.
struct Loaded {
    number: u32,
    date: Option<IsoDate>,
    file: String,
    text: String,
    document: Document,
    season: bool,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let mut diagnostics = workspace.problems.clone();
    for d in &mut diagnostics {
        d.file = workspace.display_path(Path::new(&d.file));
    }
    let loaded = load_all(&workspace, &mut diagnostics)?;
    let editions: Vec<weekly_check::Edition<'_>> = loaded
        .iter()
        .map(|l| weekly_check::Edition {
            number: l.number,
            date: l.date,
            file: &l.file,
            text: &l.text,
            document: &l.document,
            season: l.season,
        })
        .collect();
    let settings = weekly_check::Settings {
        catalogue: &workspace.config.catalogue,
        languages: &workspace.config.languages,
    };
    diagnostics.extend(weekly_check::check(&editions, &settings));
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    if args.errors_only {
        diagnostics.retain(|d| d.severity == Severity::Error);
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    match args.format {
        Format::Human => {
            for d in &diagnostics {
                // A file or folder name with a newline must not break the one-line format.
                let mut shown = d.clone();
                shown.file = printer::one_line(&d.file).into_owned();
                printer::out(&shown.to_string());
            }
            printer::status(&format!(
                "{errors} error{}, {warnings} warning{} in {} files ({} issues)",
                plural(errors),
                plural(warnings),
                loaded.len(),
                workspace.issues.len()
            ));
        }
        Format::Json => {
            let json: Vec<JsonDiagnostic<'_>> = diagnostics.iter().map(to_json).collect();
            printer::out(&serde_json::to_string_pretty(&json)?);
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn to_json(d: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        severity: d.severity.as_str(),
        code: d.code,
        file: &d.file,
        line: d.line,
        column: d.column,
        message: &d.message,
    }
}

fn load_all(workspace: &Workspace, diagnostics: &mut Vec<Diagnostic>) -> Result<Vec<Loaded>> {
    let catalogue = &workspace.config.catalogue;
    let mut loaded = Vec::new();
    let mut parse = |path: &Path,
                     lang: &weekly_model::Lang,
                     number: u32,
                     date: Option<IsoDate>,
                     season: bool|
     -> Result<()> {
        let file = workspace.display_path(path);
        let bytes = std::fs::read(path).with_context(|| format!("failed to read `{file}`"))?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let (offset, line) = crate::files::utf8_error_position(&e);
                diagnostics.push(
                    Diagnostic::error(
                        "encoding",
                        line as u32,
                        1,
                        format!("not valid UTF-8 at byte {offset}; save the file as UTF-8"),
                    )
                    .in_file(&file),
                );
                return Ok(());
            }
        };
        let options = ParseOptions {
            file: &file,
            lang,
            catalogue,
        };
        let parsed = parse_document(&text, &options);
        diagnostics.extend(parsed.diagnostics);
        loaded.push(Loaded {
            number,
            date,
            file,
            text,
            document: parsed.document,
            season,
        });
        Ok(())
    };
    for issue in &workspace.issues {
        for edition in &issue.editions {
            parse(
                &edition.path,
                &edition.lang,
                issue.number,
                Some(issue.date),
                false,
            )?;
        }
    }
    for season in &workspace.seasons {
        parse(season, &workspace.config.primary_language, 0, None, true)?;
    }
    Ok(loaded)
}
