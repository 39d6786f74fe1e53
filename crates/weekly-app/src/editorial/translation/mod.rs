//! The translation step of `weekly translate`: which editions to write in which languages, and
//! the run that plans each edition, asks the engine ([`crate::translator`]) for the units that
//! need the model and writes what came back. Nothing is printed: what a person should read comes
//! as [`Event`]s through a [`Progress`], the closing numbers as a [`Summary`], and the refusals
//! (no key, a model that refuses every request) as errors.

mod audit;
mod plan;
mod report;
mod request;
mod settings;
mod write;

pub use audit::{Audit, Finding, check};
pub use report::{Event, Progress, Summary, Trouble};
pub use settings::{
    GLOSSARY, SYSTEM_TEMPLATE, client_config, is_local, load_glossary, load_template,
};

use crate::archive::Archive;
use crate::editions::resolve_lang;
use crate::translator::{Engine, run_owner};
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::time::Instant;
use weekly_llm::OpenAiClient;
use weekly_model::Lang;
use weekly_translate::{Glossary, PromptContext, prompt_version};

/// What to translate and how (the options of `weekly translate`).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Issue numbers to translate or check.
    pub issues: Vec<u32>,
    /// Every issue of the workspace.
    pub all: bool,
    /// Target language codes (none: every configured language but the source).
    pub to: Vec<String>,
    /// Source language code (none: the primary language).
    pub from: Option<String>,
    /// Show what would be requested; send nothing, write nothing.
    pub dry_run: bool,
    /// Translate every unit again, replacing a person's edits.
    pub force: bool,
    /// Requests in flight at once (none: `translate.concurrency`).
    pub concurrency: Option<usize>,
}

/// The languages, issues and glossary a run or a check works on.
#[derive(Debug)]
pub struct Selection {
    /// The source language.
    pub from: Lang,
    /// The languages written, never the source.
    pub targets: Vec<Lang>,
    /// The issues named (or all of them).
    pub archive: Archive,
    /// The terms of `glossary.toml`.
    pub glossary: Glossary,
}

/// Resolves the languages and loads the issues of `options`, refusing what cannot be done.
pub fn select(workspace: &Workspace, options: &Options) -> Result<Selection> {
    let config = &workspace.config;
    let from = match &options.from {
        Some(code) => resolve_lang(workspace, Some(code))?,
        None => config.primary_language.clone(),
    };
    let targets: Vec<Lang> = if options.to.is_empty() {
        config
            .languages
            .iter()
            .filter(|l| **l != from)
            .cloned()
            .collect()
    } else {
        options
            .to
            .iter()
            .map(|code| resolve_lang(workspace, Some(code)))
            .collect::<Result<_>>()?
    };
    if targets.is_empty() {
        bail!("no language to translate into: weekly.toml lists only `{from}`; name one with --to");
    }
    if let Some(same) = targets.iter().find(|l| **l == from) {
        bail!("`--to {same}` is the source language");
    }
    if options.issues.is_empty() && !options.all {
        bail!("name the issues to translate (e.g. `weekly translate 160 --to en`) or give --all");
    }
    let archive = Archive::load_only(workspace, |n| options.all || options.issues.contains(&n))?;
    for n in &options.issues {
        if archive.issue(*n).is_none() {
            bail!("issue {n} is not in the workspace (no issues/{n:04}/issue.toml)");
        }
    }
    let glossary = load_glossary(workspace)?;
    Ok(Selection {
        from,
        targets,
        archive,
        glossary,
    })
}

/// Translates the editions of `selection` into each target language: plans every edition,
/// asks for the units that need the model and writes each edition none of whose units is in
/// trouble.
pub async fn translate(
    workspace: &Workspace,
    selection: &Selection,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Summary> {
    let started = Instant::now();
    let template = load_template(workspace)?;
    let config = &workspace.config;
    let concurrency = options
        .concurrency
        .unwrap_or(config.translate.concurrency)
        .max(1);
    let client_config = client_config(workspace);
    let store = if options.dry_run && crate::database::is_missing_file(workspace) {
        None
    } else {
        Some(crate::database::open(workspace).await?)
    };
    let from = &selection.from;
    let newsletter = config.name.get(from).cloned().unwrap_or_default();
    let version = prompt_version(&template);
    let needs_key = client_config.api_key.is_none() && !is_local(&client_config.base_url);
    let base_url = client_config.base_url.clone();
    let client = OpenAiClient::new(client_config)?;
    let owner = run_owner();
    let mut summary = Summary::default();
    for target in &selection.targets {
        let runs = plan::editions(
            workspace,
            selection,
            options,
            target,
            store.as_ref(),
            progress,
            &mut summary,
        )
        .await?;
        plan::report_kept(workspace, &runs, progress);
        if options.dry_run {
            plan::report_dry_run(workspace, &runs, from, target, progress);
            continue;
        }
        let Some(store) = &store else { continue };
        let jobs = request::jobs(&runs);
        if !jobs.is_empty() && needs_key {
            bail!(
                "WEEKLY_LLM_API_KEY is not set, and {base_url} needs a key; nothing was sent or \
                 written\n\
                 hint: export WEEKLY_LLM_API_KEY=…, or point translate.base_url (or \
                 WEEKLY_LLM_BASE_URL) at a local server that needs none"
            );
        }
        let engine = Engine {
            model: &client,
            store,
            prompt: PromptContext {
                template: &template,
                newsletter: &newsletter,
                source: from,
                target,
                glossary: &selection.glossary,
            },
            prompt_version: &version,
            concurrency,
            repair_attempts: config.translate.repair_attempts,
            owner: &owner,
        };
        let answers = request::run(&engine, &jobs, runs.len(), &mut summary.totals).await?;
        let name = config
            .name
            .get(target)
            .or_else(|| config.name.get(from))
            .cloned()
            .unwrap_or_default();
        for (run, answers) in runs.iter().zip(answers) {
            if answers.troubles.is_empty() {
                write::edition(
                    workspace,
                    store,
                    run,
                    &answers.texts,
                    target,
                    &name,
                    progress,
                )
                .await?;
            } else {
                summary.needs_person += answers.troubles.len();
                progress.event(Event::NotWritten {
                    file: workspace.display_path(&run.target_path),
                    source: workspace.display_path(&run.source_path),
                    troubles: answers.troubles,
                });
            }
        }
    }
    let usage = client.usage();
    summary.requests = usage.requests;
    summary.retries = usage.retries;
    summary.elapsed = started.elapsed();
    if let Some(store) = store {
        store.close().await;
    }
    Ok(summary)
}
