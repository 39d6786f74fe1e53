//! `weekly check`: parse every edition and season file, run the archive checks, print every
//! problem at once.

use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;
use weekly_model::Diagnostic;

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
#[command(after_help = rules_help())]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Leave warnings out of the report.
    #[arg(long)]
    pub errors_only: bool,
}

/// The codes `[check]` in weekly.toml can turn off, down or up.
fn rules_help() -> String {
    use std::fmt::Write as _;
    let mut help = String::from(
        "A newsletter sets what it makes of a rule in weekly.toml, by code:\n\n  [check]\n  \
         image-alt = \"off\"        # not reported\n  issue-jump = \"warning\"   # reported, \
         does not fail\n  crlf = \"error\"           # fails the check\n\nThe codes:\n",
    );
    for (code, what) in weekly_check::RULES {
        let _ = writeln!(help, "  {code:<21} {what}");
    }
    help
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

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let mut report = weekly_app::checking::check_workspace(&workspace)?;
    if args.errors_only {
        report.errors_only();
    }
    print(&report, args.format)?;
    Ok(if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints a report: one line per problem and a summary, or JSON.
fn print(report: &weekly_app::checking::Report, format: Format) -> Result<()> {
    match format {
        Format::Human => printer::check_report(report),
        Format::Json => {
            let json: Vec<JsonDiagnostic<'_>> = report.diagnostics.iter().map(to_json).collect();
            printer::out(&serde_json::to_string_pretty(&json)?);
        }
    }
    Ok(())
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
