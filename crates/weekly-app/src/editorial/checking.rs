//! `weekly check` as one library call: every edition, season file and draft of a workspace
//! parsed and checked — the archive rules, each translation against its source, each draft as
//! `weekly split` would write it, entries the model drafted and nobody approved — with the
//! newsletter's `[check]` levels applied, sorted by file and position.

use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::path::Path;
use weekly_model::{Diagnostic, Document, IsoDate, Severity};
use weekly_parse::{ParseOptions, parse_document};

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read.
    pub files: usize,
    /// How many issues the workspace holds.
    pub issues: usize,
}

impl Report {
    /// The errors among the problems.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Leaves the warnings out.
    pub fn errors_only(&mut self) {
        self.diagnostics.retain(|d| d.severity == Severity::Error);
    }
}

/// Checks everything `workspace` holds.
pub fn check_workspace(workspace: &Workspace) -> Result<Report> {
    let mut diagnostics = workspace.problems.clone();
    for d in &mut diagnostics {
        d.file = workspace.display_path(Path::new(&d.file));
    }
    let loaded = load_all(workspace, &mut diagnostics)?;
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
    let mut found = weekly_check::check(&editions, &settings);
    // Translated editions are read against their source by the rules of `translate --check`:
    // its findings replace the title-only `untranslated` rule of the archive checks.
    let (translated, compared) = translation_findings(workspace, &loaded)?;
    found.retain(|d| !(d.code == "untranslated" && compared.contains(&d.file)));
    diagnostics.extend(found);
    diagnostics.extend(translated);
    for l in &loaded {
        oversized_images(workspace, &l.text, &l.file, &mut diagnostics);
    }
    check_drafts(workspace, &settings, &mut diagnostics);
    for issue in &workspace.issues {
        for edition in &issue.editions {
            if let Ok(text) = workspace.read_text(&edition.path) {
                unapproved(
                    &text,
                    &workspace.display_path(&edition.path),
                    &mut diagnostics,
                );
            }
        }
    }
    // `[check]`: the rules this newsletter turns off, down or up.
    workspace.config.check.apply(&mut diagnostics);
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Ok(Report {
        diagnostics,
        files: loaded.len(),
        issues: workspace.issues.len(),
    })
}

/// `image-size`: the site's own pictures (`BASE_URL/…` or `/…`, files under `static/`) that
/// take more than `[images] max_bytes`. Pictures elsewhere are not fetched: `check` is offline.
fn oversized_images(workspace: &Workspace, text: &str, file: &str, out: &mut Vec<Diagnostic>) {
    let max = workspace.config.images.max_bytes as u64;
    let base = format!("{}/", workspace.config.base_url);
    for (line, column, image) in weekly_check::images_of(text) {
        let url = image.url.split(['?', '#']).next().unwrap_or_default();
        let rest = match url.strip_prefix(&base) {
            Some(rest) => rest,
            None if url.starts_with('/') && !url.starts_with("//") => &url[1..],
            None => continue,
        };
        let relative = Path::new(rest);
        if !relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            continue;
        }
        let path = workspace.root.join("static").join(relative);
        // A link is not followed (it could lead out of the workspace).
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_file() && meta.len() > max {
            let mut d = Diagnostic::warning(
                "image-size",
                line,
                column,
                format!(
                    "picture `{}` takes {} bytes, over `[images] max_bytes` ({max}): slow on a \
                     phone and in mail (`weekly image add {}` makes one that fits)",
                    image.url,
                    meta.len(),
                    workspace.display_path(&path)
                ),
            );
            file.clone_into(&mut d.file);
            out.push(d);
        }
    }
}

/// The first entry of `issue`'s editions or draft that the model drafted and the editor has
/// not approved yet, as `file:line: …` (a release waits for it).
pub fn unapproved_draft(workspace: &Workspace, issue: u32) -> Result<Option<String>> {
    let Some(dir) = workspace.issues.iter().find(|d| d.number == issue) else {
        return Ok(None);
    };
    let mut files: Vec<std::path::PathBuf> = dir.editions.iter().map(|e| e.path.clone()).collect();
    files.push(dir.dir.join("draft.md"));
    for path in files.iter().filter(|p| p.is_file()) {
        let text = workspace.read_text(path)?;
        if let Some(line) = crate::drafter::unapproved_lines(&text).first() {
            return Ok(Some(format!(
                "{}:{line}: an entry drafted by the model is not approved yet: read and edit \
                 it, then delete its `weekly:ai-draft` line",
                workspace.display_path(path)
            )));
        }
    }
    Ok(None)
}

/// A file read and parsed for checking.
struct Loaded {
    lang: weekly_model::Lang,
    teaser: bool,
    number: u32,
    date: Option<IsoDate>,
    file: String,
    text: String,
    document: Document,
    season: bool,
}

/// The findings of `weekly translate --check` (the rules a new translation must pass) for every
/// edition in another language than the primary one whose source is in the workspace, as
/// diagnostics: Chinese left in it is an error (`untranslated`), the rest warnings
/// (`translation`). Also the files that were compared.
fn translation_findings(
    workspace: &Workspace,
    loaded: &[Loaded],
) -> Result<(Vec<Diagnostic>, std::collections::HashSet<String>)> {
    let glossary = workspace.glossary()?;
    let primary = &workspace.config.primary_language;
    let source_of = |l: &Loaded| {
        loaded.iter().find(|s| {
            !s.season && s.number == l.number && &s.lang == primary && s.teaser == l.teaser
        })
    };
    let mut out = Vec::new();
    let mut compared = std::collections::HashSet::new();
    for translation in loaded.iter().filter(|l| !l.season && &l.lang != primary) {
        let Some(source) = source_of(translation) else {
            continue;
        };
        let rules = weekly_translate::Rules {
            source: primary,
            target: &translation.lang,
            glossary: &glossary,
        };
        compared.insert(translation.file.clone());
        for f in weekly_translate::compare(&source.document, &translation.document, &rules) {
            let message = format!("{}: {}: {}", f.label, f.problem.rule, f.problem.message);
            let d = if f.problem.rule == "han" {
                Diagnostic::error("untranslated", f.line, 1, message)
            } else {
                Diagnostic::warning("translation", f.line, 1, message)
            };
            out.push(d.in_file(&translation.file));
        }
    }
    Ok((out, compared))
}

/// Warns on each entry the model drafted that the editor has not approved yet.
fn unapproved(text: &str, file: &str, out: &mut Vec<Diagnostic>) {
    for line in crate::drafter::unapproved_lines(text) {
        out.push(
            Diagnostic::warning(
                "ai-draft",
                line,
                1,
                "this entry is the model's draft: read and edit it, then delete this line \
                 (`weekly publish` refuses the issue until then)",
            )
            .in_file(file),
        );
    }
}

/// `draft.md` of each issue, by the rules of an issue's editions: what the parser finds, what
/// `weekly split` would warn about (a half without its translation), and the checks of the two
/// editions the split would write (numbering, counts, the same link twice…), on their own: a
/// draft is not compared with the rest of the archive, which may hold its own split.
fn check_drafts(
    workspace: &Workspace,
    settings: &weekly_check::Settings<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let config = &workspace.config;
    let primary = &config.primary_language;
    let Some(other) = config.languages.iter().find(|l| *l != primary) else {
        return;
    };
    for issue in &workspace.issues {
        let path = issue.dir.join("draft.md");
        if !path.is_file() {
            continue;
        }
        let file = workspace.display_path(&path);
        let text = match workspace.read_text(&path) {
            Ok(text) => text,
            Err(e) => {
                out.push(Diagnostic::error("draft", 0, 0, format!("{e:#}")).in_file(&file));
                continue;
            }
        };
        if text.trim().is_empty() {
            out.push(Diagnostic::error("empty-edition", 0, 0, "the draft is empty").in_file(&file));
            continue;
        }
        unapproved(&text, &file, out);
        let parsed = parse_document(
            &text,
            &ParseOptions {
                file: &file,
                lang: primary,
                catalogue: &config.catalogue,
            },
        );
        let parse_failed = parsed
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        out.extend(parsed.diagnostics.into_iter().map(|d| d.in_file(&file)));
        if parse_failed {
            continue;
        }
        let brand = config.name.get(other).cloned().unwrap_or_default();
        let split = weekly_render::split::split(
            &parsed.document,
            &weekly_render::split::SplitOptions {
                catalogue: &config.catalogue,
                other,
                other_brand: &brand,
            },
        );
        let halves = [(&split.primary, text.as_str()), (&split.other, "")];
        let editions: Vec<weekly_check::Edition<'_>> = halves
            .iter()
            .map(|(document, text)| weekly_check::Edition {
                number: issue.number,
                date: Some(issue.date),
                file: &file,
                text,
                document,
                season: false,
            })
            .collect();
        let mut found = weekly_check::check(&editions, settings);
        for missing in &split.missing {
            found.push(
                Diagnostic::warning(
                    "untranslated",
                    missing.line,
                    1,
                    format!(
                        "{}; `weekly split` would keep the `{primary}` text in the `{other}` edition",
                        missing.what
                    ),
                )
                .in_file(&file),
            );
        }
        // The two halves share the draft's lines: one report of each problem on a line.
        let mut seen = std::collections::HashSet::new();
        out.extend(found.into_iter().filter(|d| seen.insert((d.line, d.code))));
    }
}

fn load_all(workspace: &Workspace, diagnostics: &mut Vec<Diagnostic>) -> Result<Vec<Loaded>> {
    let catalogue = &workspace.config.catalogue;
    let mut loaded = Vec::new();
    let mut parse = |path: &Path,
                     lang: &weekly_model::Lang,
                     number: u32,
                     date: Option<IsoDate>,
                     teaser: bool,
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
        let parsed = if season {
            weekly_parse::parse_collection(&text, &options)
        } else {
            parse_document(&text, &options)
        };
        diagnostics.extend(parsed.diagnostics);
        loaded.push(Loaded {
            lang: lang.clone(),
            teaser,
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
                edition.teaser,
                false,
            )?;
        }
    }
    for season in &workspace.seasons {
        parse(
            season,
            &workspace.config.primary_language,
            0,
            None,
            false,
            true,
        )?;
    }
    Ok(loaded)
}
