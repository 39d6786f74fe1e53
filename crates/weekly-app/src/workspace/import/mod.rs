//! `weekly import SRC --into DIR [--format NAME|FILE.toml]`: turn an archive of Markdown files
//! into a workspace, or bring the issues a workspace lacks into it.
//!
//! The format's `[import]` table says where the issues are: Python Trending Weekly's repository
//! layout (`python_weekly`), or file patterns with where each issue's number, date and theme
//! come from (`layout`). Either way the result is a [`Plan`]: issues by number, each with its
//! date, its files (copied byte for byte) and its themes per language for `issue.toml`.
//! Identity is never taken from the order of files.
//!
//! A new workspace is assembled in a hidden directory next to DIR and renamed into place at
//! the end, so a failed import leaves nothing behind. Into an existing workspace only the
//! issues it does not have are added (each assembled beside it, then renamed in); an issue it
//! has is never touched, so importing the same archive again changes nothing. The source is
//! never written, and a file a link takes out of it is not read.

mod layout;
pub mod pattern;
mod python_weekly;

use crate::config::{self, Config};
use crate::workspace::{Workspace, issue_dir_name};
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use weekly_model::{IsoDate, Lang};

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// Issues added.
    pub issues: usize,
    /// Issues the workspace already had, identical to the archive's.
    pub unchanged: usize,
    /// Issues the workspace already had and that differ from the archive's: kept as they are.
    pub kept: Vec<u32>,
    /// Files added per kind (`zh.md`, `en.teaser.md`, …).
    pub files: BTreeMap<String, usize>,
    /// Season files added.
    pub seasons: usize,
    /// Files of the archive that are not issues, and why.
    pub skipped: Vec<(PathBuf, String)>,
    /// Things skipped or doubtful.
    pub warnings: Vec<String>,
    /// True when the workspace existed before.
    pub into_existing: bool,
}

/// One issue to write.
#[derive(Debug, Default, Clone)]
pub(crate) struct PlannedIssue {
    /// Its date (an issue without one is not written).
    pub date: Option<IsoDate>,
    /// Target name in the issue directory (`zh.md`) → source file.
    pub files: BTreeMap<String, PathBuf>,
    /// The bytes of source files already read, by target name (written as they are, without
    /// reading the file again).
    pub held: BTreeMap<String, Vec<u8>>,
    /// Themes per language for `issue.toml` `titles`.
    pub titles: BTreeMap<Lang, String>,
}

/// What a reader of an archive found.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// The `weekly.toml` of a new workspace.
    pub config_text: String,
    /// Issues by number.
    pub issues: BTreeMap<u32, PlannedIssue>,
    /// Season files to copy into `seasons/`.
    pub seasons: Vec<PathBuf>,
    /// Files that are not issues, and why.
    pub skipped: Vec<(PathBuf, String)>,
    /// Things skipped or doubtful.
    pub warnings: Vec<String>,
}

/// Imports the archive `src` into the workspace `into`: a new one (`into` missing or empty)
/// made with `format` (a shipped format's name or a `weekly.toml` file; Python Trending
/// Weekly's when `None`), or an existing one, whose own `weekly.toml` decides how the archive is
/// read.
pub fn import(src: &Path, into: &Path, format: Option<&str>) -> Result<Report> {
    if !src.is_dir() {
        bail!("`{}` does not exist or is not a directory", src.display());
    }
    let existing = into.join(config::FILE_NAME).is_file();
    let mut early_warnings = Vec::new();
    let (config_text, config) = if existing {
        let workspace = Workspace::load(into)?;
        if let Some(format) = format {
            early_warnings.push(format!(
                "`{}` is a workspace already: its own weekly.toml decides how the archive is \
                 read, not `--format {format}`",
                into.display()
            ));
        }
        (String::new(), workspace.config)
    } else {
        let text = match format {
            Some(format) => crate::init::format_text(format)?,
            None => config::DEFAULT.to_owned(),
        };
        let config = Config::parse(&text, format.unwrap_or(config::FILE_NAME))
            .context("the format is invalid")?;
        (text, config)
    };
    let src_real =
        std::fs::canonicalize(src).with_context(|| format!("cannot read `{}`", src.display()))?;
    let mut plan = if config.import.is_python_weekly() {
        python_weekly::check_source(src)?;
        refuse_non_empty(into, existing)?;
        python_weekly::plan(src, &src_real, &config, &config_text)?
    } else {
        refuse_non_empty(into, existing)?;
        layout::plan(src, &src_real, &config, &config_text)?
    };
    plan.warnings.splice(0..0, early_warnings);
    if existing {
        into_existing(&plan, into)
    } else {
        into_new(&plan, into)
    }
}

/// A directory that is not empty and is not a workspace is refused.
fn refuse_non_empty(into: &Path, existing: bool) -> Result<()> {
    if !existing && into.exists() && std::fs::read_dir(into)?.next().is_some() {
        bail!(
            "`{}` already exists and is not empty; nothing was changed",
            into.display()
        );
    }
    Ok(())
}

/// The hidden directory next to `into` where an import is assembled.
fn staging_dir(into: &Path) -> Result<PathBuf> {
    let parent = into
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let staging = parent.join(format!(
        ".{}.importing-{}",
        into.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("workspace"),
        std::process::id()
    ));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    Ok(staging)
}

fn report_of(plan: &Plan) -> Report {
    Report {
        skipped: plan.skipped.clone(),
        warnings: plan.warnings.clone(),
        ..Report::default()
    }
}

fn into_new(plan: &Plan, into: &Path) -> Result<Report> {
    let mut report = report_of(plan);
    let staging = staging_dir(into)?;
    let result = (|| -> Result<()> {
        crate::init::create(&staging, &plan.config_text)?;
        let issues: Vec<(&u32, &PlannedIssue)> = plan.issues.iter().collect();
        // Creating files is most of an import's time: two threads at once.
        let written = weekly_model::par::map(&issues, |(number, planned)| {
            write_issue(&staging.join("issues"), **number, planned)
        });
        for files in written {
            if let Some(files) = files? {
                count(&files, &mut report);
                report.issues += 1;
            }
        }
        if !plan.seasons.is_empty() {
            std::fs::create_dir_all(staging.join("seasons"))?;
            for path in &plan.seasons {
                std::fs::copy(path, staging.join("seasons").join(file_name(path)))?;
                report.seasons += 1;
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if into.exists() {
        std::fs::remove_dir(into)
            .with_context(|| format!("failed to replace empty `{}`", into.display()))?;
    }
    std::fs::rename(&staging, into)
        .with_context(|| format!("failed to move the workspace to `{}`", into.display()))?;
    Ok(report)
}

/// Adds the issues (and season files) the workspace `into` does not have; the ones it has are
/// compared, never written.
fn into_existing(plan: &Plan, into: &Path) -> Result<Report> {
    let mut report = report_of(plan);
    report.into_existing = true;
    let workspace = Workspace::load(into)?;
    let have: BTreeMap<u32, &Path> = workspace
        .issues
        .iter()
        .map(|i| (i.number, i.dir.as_path()))
        .collect();
    let staging = staging_dir(into)?;
    let result = (|| -> Result<Vec<(PathBuf, PathBuf)>> {
        let mut moves = Vec::new();
        for (number, planned) in &plan.issues {
            if planned.date.is_none() {
                continue;
            }
            if let Some(dir) = have.get(number) {
                if same_issue(dir, *number, planned)? {
                    report.unchanged += 1;
                } else {
                    report.kept.push(*number);
                }
                continue;
            }
            let name = issue_dir_name(*number);
            let target = into.join("issues").join(&name);
            if target.exists() {
                // A folder that is not an issue of the workspace (no readable issue.toml):
                // `weekly check` reports it; it is not replaced.
                report.kept.push(*number);
                continue;
            }
            if let Some(files) = write_issue(&staging.join("issues"), *number, planned)? {
                count(&files, &mut report);
                report.issues += 1;
            }
            moves.push((staging.join("issues").join(&name), target));
        }
        for path in &plan.seasons {
            let target = into.join("seasons").join(file_name(path));
            if target.exists() {
                continue;
            }
            std::fs::create_dir_all(staging.join("seasons"))?;
            let staged = staging.join("seasons").join(file_name(path));
            std::fs::copy(path, &staged)?;
            report.seasons += 1;
            moves.push((staged, target));
        }
        Ok(moves)
    })();
    let moves = match result {
        Ok(moves) => moves,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    for (from, to) in &moves {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(from, to)
            .with_context(|| format!("failed to move `{}` into place", to.display()))?;
    }
    let _ = std::fs::remove_dir_all(&staging);
    Ok(report)
}

/// The `issue.toml` of a planned issue.
fn issue_toml(number: u32, date: IsoDate, titles: &BTreeMap<Lang, String>) -> String {
    let mut meta = format!("number = {number}\ndate = \"{date}\"\n");
    if !titles.is_empty() {
        let items: Vec<String> = titles
            .iter()
            .map(|(lang, theme)| {
                let quoted = toml::Value::String(theme.clone()).to_string();
                format!("{lang} = {quoted}")
            })
            .collect();
        meta.push_str("titles = { ");
        meta.push_str(&items.join(", "));
        meta.push_str(" }\n");
    }
    meta
}

fn count(files: &[String], report: &mut Report) {
    for target in files {
        *report.files.entry(target.clone()).or_insert(0) += 1;
    }
}

/// Writes issue `number` into `issues` (a folder of the staging directory): the names of the
/// files written, or `None` when it has no date and is left out.
fn write_issue(issues: &Path, number: u32, planned: &PlannedIssue) -> Result<Option<Vec<String>>> {
    let Some(date) = planned.date else {
        return Ok(None);
    };
    let dir = issues.join(issue_dir_name(number));
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("issue.toml"),
        issue_toml(number, date, &planned.titles),
    )?;
    for (target, source) in &planned.files {
        match planned.held.get(target) {
            Some(bytes) => std::fs::write(dir.join(target), bytes),
            None => std::fs::copy(source, dir.join(target)).map(|_| ()),
        }
        .with_context(|| format!("failed to copy `{}`", source.display()))?;
    }
    Ok(Some(planned.files.keys().cloned().collect()))
}

/// True when the issue folder `dir` holds exactly what the import would write.
fn same_issue(dir: &Path, number: u32, planned: &PlannedIssue) -> Result<bool> {
    let Some(date) = planned.date else {
        return Ok(true);
    };
    let toml = issue_toml(number, date, &planned.titles);
    if std::fs::read(dir.join("issue.toml")).ok().as_deref() != Some(toml.as_bytes()) {
        return Ok(false);
    }
    for (target, source) in &planned.files {
        let ours = std::fs::read(dir.join(target)).ok();
        let theirs = match planned.held.get(target) {
            Some(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
            None => std::borrow::Cow::Owned(
                std::fs::read(source)
                    .with_context(|| format!("failed to read `{}`", source.display()))?,
            ),
        };
        if ours.as_deref() != Some(&*theirs) {
            return Ok(false);
        }
    }
    Ok(true)
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned()
}

/// The text of a file of the archive (bytes that are not UTF-8 replaced: the file is copied as
/// it is, and `weekly check` reports them).
pub(crate) fn read_lossy(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
