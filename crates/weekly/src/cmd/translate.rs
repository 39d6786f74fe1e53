//! `weekly translate`: write other-language editions with an LLM, unit by unit, keeping every
//! link and number, reusing the translation memory and never overwriting a person's edit; and
//! `--check`, which reads existing translations against their sources by the same rules.

use crate::archive::{Archive, Issue};
use crate::editions::resolve_lang;
use crate::files;
use crate::printer;
use crate::translator::{Engine, Job, Outcome, Totals};
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use indicatif::ProgressBar;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use weekly_app::environment;
use weekly_llm::{ClientConfig, OpenAiClient};
use weekly_model::{Document, Lang};
use weekly_parse::{ParseOptions, parse_document};
use weekly_render::markdown::render;
use weekly_store::{Store, UnitRecord};
use weekly_translate::prompt::DEFAULT_SYSTEM;
use weekly_translate::{
    Assembly, Decision, Glossary, PromptContext, Record, Rules, Unit, assemble, compare, plan,
    prompt_version, text_hash, units,
};

/// The glossary file.
pub const GLOSSARY: &str = "glossary.toml";
/// The file that replaces the built-in instructions.
pub const SYSTEM_TEMPLATE: &str = "templates/translate/system.md";

/// Arguments of `weekly translate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each unit (the title's theme, a paragraph, an entry with its \
description) is one request: the instructions are the system message, the unit's Markdown the \
user message. An answer must keep the source's URLs, images, inline and fenced code, star notes, \
paragraphs and list numbers, use the glossary's terms and, in a non-CJK language, leave no \
Chinese; otherwise it is asked again with the problems stated, then reported. Nothing is \
written for an edition with a unit in trouble, and the command exits 1 naming the units.\n\n\
The title's number, the section headings (from the catalogue) and the description line (from \
the counts) are written by us, not by the model.\n\n\
Translations are remembered in weekly.db (key: source text, language, model, instructions), so \
a re-run makes no request and editing one entry re-translates that entry only. A unit edited by \
a person after it was written is kept (and reported if its source changed since), unless \
--force.\n\n\
Model: [translate] in weekly.toml; WEEKLY_LLM_BASE_URL and WEEKLY_LLM_MODEL override it; the \
key comes from WEEKLY_LLM_API_KEY only and is never printed. Terms: glossary.toml. \
Instructions: templates/translate/system.md.\n\n\
Examples:\n  weekly translate 160 --to en\n  weekly translate --all --to ja --dry-run\n  \
weekly translate --check --all        # audit existing translations"
)]
pub struct Args {
    /// Issue numbers to translate or check.
    pub issues: Vec<u32>,
    /// Every issue of the workspace.
    #[arg(long)]
    pub all: bool,
    /// Target language; repeat for several (default: every configured language but the source).
    #[arg(long = "to", value_name = "LANG")]
    pub to: Vec<String>,
    /// Source language (default: the primary language).
    #[arg(long = "from", value_name = "LANG")]
    pub from: Option<String>,
    /// Compare existing translations with their sources instead of translating.
    #[arg(long)]
    pub check: bool,
    /// Show what would be requested; send nothing, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Translate every unit again, replacing a person's edits (the memory still answers what it
    /// knows for the same model and instructions).
    #[arg(long)]
    pub force: bool,
    /// Requests in flight at once (default: `translate.concurrency`).
    #[arg(long)]
    pub concurrency: Option<usize>,
}

/// One edition to write.
struct EditionRun {
    issue: u32,
    source: Document,
    source_path: PathBuf,
    target_path: PathBuf,
    existing_text: Option<String>,
    units: Vec<Unit>,
    decisions: Vec<Decision>,
    /// What earlier runs recorded, by unit id.
    records: BTreeMap<String, Record>,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let config = &workspace.config;
    let from = match &args.from {
        Some(code) => resolve_lang(&workspace, Some(code))?,
        None => config.primary_language.clone(),
    };
    let targets: Vec<Lang> = if args.to.is_empty() {
        config
            .languages
            .iter()
            .filter(|l| **l != from)
            .cloned()
            .collect()
    } else {
        args.to
            .iter()
            .map(|code| resolve_lang(&workspace, Some(code)))
            .collect::<Result<_>>()?
    };
    if targets.is_empty() {
        bail!("no language to translate into: weekly.toml lists only `{from}`; name one with --to");
    }
    if let Some(same) = targets.iter().find(|l| **l == from) {
        bail!("`--to {same}` is the source language");
    }
    if args.issues.is_empty() && !args.all {
        bail!("name the issues to translate (e.g. `weekly translate 160 --to en`) or give --all");
    }
    let wanted: Vec<u32> = args.issues.clone();
    let archive = Archive::load_only(&workspace, |n| args.all || wanted.contains(&n))?;
    for n in &wanted {
        if archive.issue(*n).is_none() {
            bail!("issue {n} is not in the workspace (no issues/{n:04}/issue.toml)");
        }
    }
    let glossary = load_glossary(&workspace)?;
    if args.check {
        return Ok(check(&workspace, &archive, &from, &targets, &glossary));
    }
    let template_path = root.join(SYSTEM_TEMPLATE);
    let template = if template_path.exists() {
        workspace
            .read_text(&template_path)
            .with_context(|| format!("cannot read {SYSTEM_TEMPLATE}"))?
    } else {
        DEFAULT_SYSTEM.to_owned()
    };
    let runtime = crate::runtime()?;
    runtime.block_on(translate(
        args, &workspace, &archive, &from, &targets, &glossary, &template,
    ))
}

pub(crate) fn load_glossary(workspace: &Workspace) -> Result<Glossary> {
    let path = workspace.root.join(GLOSSARY);
    if !path.exists() {
        return Ok(Glossary::default());
    }
    let text = workspace.read_text(&path)?;
    Ok(Glossary::parse(&text, GLOSSARY)?)
}

fn source_edition<'a>(issue: &'a Issue, from: &Lang) -> Option<&'a crate::archive::Edition> {
    issue.full(from).or_else(|| issue.teaser(from))
}

fn target_path(source: &crate::archive::Edition, target: &Lang) -> PathBuf {
    let name = if source.teaser {
        format!("{target}.teaser.md")
    } else {
        format!("{target}.md")
    };
    source.path.with_file_name(name)
}

fn parse(workspace: &Workspace, text: &str, lang: &Lang, file: &str) -> Document {
    parse_document(
        text,
        &ParseOptions {
            file,
            lang,
            catalogue: &workspace.config.catalogue,
        },
    )
    .document
}

/// True for a server on this machine (Ollama, llama.cpp…), which may need no key.
fn is_local(base_url: &str) -> bool {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    matches!(name, "localhost" | "127.0.0.1" | "::1") || name.starts_with("127.")
}

pub fn client_config(workspace: &Workspace) -> ClientConfig {
    let t = &workspace.config.translate;
    let env = workspace.env;
    let base_url = env.or(environment::LLM_BASE_URL, &t.base_url);
    let model = env.or(environment::LLM_MODEL, &t.model);
    let mut config = ClientConfig::new(&base_url, &model);
    config.api_key = env.get(environment::LLM_API_KEY).map(str::to_owned);
    config.temperature = t.temperature;
    config.timeout = Duration::from_secs(t.timeout_seconds.max(1));
    config.max_retries = t.max_retries;
    config.requests_per_minute = (t.requests_per_minute > 0).then_some(t.requests_per_minute);
    config
}

#[allow(clippy::too_many_arguments)]
async fn translate(
    args: &Args,
    workspace: &Workspace,
    archive: &Archive,
    from: &Lang,
    targets: &[Lang],
    glossary: &Glossary,
    template: &str,
) -> Result<ExitCode> {
    let started = Instant::now();
    let config = &workspace.config;
    let concurrency = args
        .concurrency
        .unwrap_or(config.translate.concurrency)
        .max(1);
    let client_config = client_config(workspace);
    let store = if args.dry_run && weekly_app::database::is_missing_file(workspace) {
        None
    } else {
        Some(weekly_app::database::open(workspace).await?)
    };
    let newsletter = config.name.get(from).cloned().unwrap_or_default();
    let version = prompt_version(template);
    let (needs_key, base_url) = (
        client_config.api_key.is_none() && !is_local(&client_config.base_url),
        client_config.base_url.clone(),
    );
    let client = OpenAiClient::new(client_config)?;
    let mut totals = Totals::default();
    let owner = crate::translator::run_owner();
    let mut needs_person = 0usize;
    for target in targets {
        let name = config
            .name
            .get(target)
            .or_else(|| config.name.get(from))
            .cloned()
            .unwrap_or_default();
        let mut runs = Vec::new();
        for issue in &archive.issues {
            let Some(source) = source_edition(issue, from) else {
                if !args.all {
                    printer::status(&format!(
                        "issue {}: no `{from}` edition to translate from",
                        issue.number
                    ));
                }
                continue;
            };
            let source_shown = workspace.display_path(&source.path);
            if archive.files_with_errors.contains(&source_shown) {
                printer::status(&format!(
                    "{source_shown}: not translated; fix the errors `weekly check` reports first"
                ));
                needs_person += 1;
                continue;
            }
            let path = target_path(source, target);
            let shown = workspace.display_path(&path);
            let existing_text = if path.exists() {
                Some(workspace.read_text(&path)?)
            } else {
                None
            };
            let existing = existing_text
                .as_deref()
                .map(|t| units(&parse(workspace, t, target, &shown)))
                .unwrap_or_default();
            let records: BTreeMap<String, Record> = match &store {
                Some(store) => store
                    .unit_records(issue.number, target.as_str())
                    .await?
                    .into_iter()
                    .map(|(k, r)| {
                        (
                            k,
                            Record {
                                source_hash: r.source_hash,
                                output_hash: r.output_hash,
                            },
                        )
                    })
                    .collect(),
                None => BTreeMap::new(),
            };
            if existing_text.is_some() && records.is_empty() && !args.force {
                // Written by hand or by another tool: its structure is not ours to rebuild.
                printer::status(&format!(
                    "{shown}: kept; it was not written by `weekly translate` (--force replaces \
                     it; `weekly translate --check {}` compares it with its source)",
                    issue.number
                ));
                continue;
            }
            let source_units = units(&source.document);
            let decisions = plan(&source_units, &existing, &records, from, args.force);
            runs.push(EditionRun {
                records,
                issue: issue.number,
                source: (*source.document).clone(),
                source_path: source.path.clone(),
                target_path: path,
                existing_text,
                units: source_units,
                decisions,
            });
        }
        let jobs: Vec<Job> = runs
            .iter()
            .enumerate()
            .flat_map(|(e, run)| {
                run.units
                    .iter()
                    .zip(&run.decisions)
                    .filter(|(_, d)| **d == Decision::Translate)
                    .map(move |(u, _)| Job {
                        edition: e,
                        unit: u.clone(),
                    })
            })
            .collect();
        report_kept(workspace, &runs);
        if args.dry_run {
            for run in &runs {
                let n = run
                    .decisions
                    .iter()
                    .filter(|d| **d == Decision::Translate)
                    .count();
                printer::out(&format!(
                    "{}: {n} of {} units to translate ({from} → {target})",
                    workspace.display_path(&run.target_path),
                    run.units.len(),
                ));
                for (unit, _) in run
                    .units
                    .iter()
                    .zip(&run.decisions)
                    .filter(|(_, d)| **d == Decision::Translate)
                {
                    printer::out(&format!("  {} (line {})", unit.label, unit.line));
                }
            }
            continue;
        }
        let Some(store) = &store else { continue };
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
                template,
                newsletter: &newsletter,
                source: from,
                target,
                glossary,
            },
            prompt_version: &version,
            concurrency,
            repair_attempts: config.translate.repair_attempts,
            owner: &owner,
        };
        let progress = ProgressBar::new(0);
        let (outcomes, t) = engine.run(&jobs, &progress).await?;
        totals.memory_hits += t.memory_hits;
        totals.completions += t.completions;
        totals.repairs += t.repairs;
        totals.prompt_tokens += t.prompt_tokens;
        totals.completion_tokens += t.completion_tokens;
        let mut results: Vec<BTreeMap<String, String>> = vec![BTreeMap::new(); runs.len()];
        let mut failed: Vec<Vec<(Unit, String)>> = vec![Vec::new(); runs.len()];
        let mut fatal = None;
        for (job, outcome) in jobs.iter().zip(outcomes) {
            match outcome {
                Outcome::Done { text } => {
                    results[job.edition].insert(job.unit.id.clone(), text);
                }
                Outcome::Rejected(problems) => {
                    let why = problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ");
                    failed[job.edition].push((job.unit.clone(), why));
                }
                Outcome::Failed { message, fatal: f } => {
                    if f {
                        fatal.get_or_insert_with(|| message.clone());
                    }
                    failed[job.edition].push((job.unit.clone(), message));
                }
                Outcome::Skipped => {
                    failed[job.edition].push((job.unit.clone(), "not attempted".into()));
                }
            }
        }
        if let Some(message) = fatal {
            bail!(
                "the model refused the requests: {message}\nhint: check translate.base_url and \
                 translate.model in weekly.toml (or WEEKLY_LLM_BASE_URL, WEEKLY_LLM_MODEL) and \
                 WEEKLY_LLM_API_KEY; nothing was written"
            );
        }
        for (e, run) in runs.iter().enumerate() {
            let shown = workspace.display_path(&run.target_path);
            if !failed[e].is_empty() {
                needs_person += failed[e].len();
                printer::status(&format!(
                    "{shown}: not written; {} unit(s) need a person:",
                    failed[e].len()
                ));
                let source_file = workspace.display_path(&run.source_path);
                for (unit, why) in &failed[e] {
                    printer::status(&format!(
                        "  {source_file}:{}: {}: {why}",
                        unit.line, unit.label
                    ));
                }
                continue;
            }
            write_edition(workspace, store, run, &results[e], target, &name).await?;
        }
    }
    let usage = client.usage();
    if !args.dry_run {
        printer::status(&format!(
            "{} requests ({} retried after 429/5xx, timeouts or connection errors, {} re-asked \
             for broken rules), \
             {} from the translation memory; tokens: {} in, {} out; {:.2} s",
            usage.requests,
            usage.retries,
            totals.repairs,
            totals.memory_hits,
            totals.prompt_tokens,
            totals.completion_tokens,
            started.elapsed().as_secs_f64()
        ));
    }
    if let Some(store) = store {
        store.close().await;
    }
    Ok(if needs_person > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn report_kept(workspace: &Workspace, runs: &[EditionRun]) {
    for run in runs {
        for (unit, decision) in run.units.iter().zip(&run.decisions) {
            if let Decision::Keep {
                edited: true,
                stale,
                ..
            } = decision
            {
                let shown = workspace.display_path(&run.target_path);
                let note = if *stale {
                    "its source changed since: please review it"
                } else {
                    "kept"
                };
                printer::status(&format!(
                    "{shown}: {} was edited by a person; {note} (--force re-translates it)",
                    unit.label
                ));
            }
        }
    }
}

async fn write_edition(
    workspace: &Workspace,
    store: &Store,
    run: &EditionRun,
    translated: &BTreeMap<String, String>,
    target: &Lang,
    name: &str,
) -> Result<()> {
    let mut texts = BTreeMap::new();
    for (unit, decision) in run.units.iter().zip(&run.decisions) {
        let text = match decision {
            Decision::Translate => translated.get(&unit.id).cloned(),
            Decision::Copy => Some(unit.text.clone()),
            Decision::Keep { text, .. } => Some(text.clone()),
        };
        if let Some(text) = text {
            texts.insert(unit.id.clone(), text);
        }
    }
    let document = assemble(
        &run.source,
        &texts,
        &Assembly {
            catalogue: &workspace.config.catalogue,
            target,
            name,
        },
    );
    let text = render(&document);
    let shown = workspace.display_path(&run.target_path);
    if run.existing_text.as_deref() == Some(text.as_str()) {
        printer::status(&format!("{shown}: unchanged"));
    } else {
        files::write_atomic(&run.target_path, &text)?;
        printer::status(&format!("{shown}: written"));
    }
    let written: BTreeMap<String, String> = units(&parse(workspace, &text, target, &shown))
        .into_iter()
        .map(|u| (u.id, u.text))
        .collect();
    // A person's edit keeps the record of what we wrote, so it stays recognised as theirs.
    let records: Vec<UnitRecord> = run
        .units
        .iter()
        .zip(&run.decisions)
        .filter_map(|(u, decision)| match decision {
            Decision::Keep { edited: true, .. } => run.records.get(&u.id).map(|r| UnitRecord {
                unit: u.id.clone(),
                source_hash: r.source_hash.clone(),
                output_hash: r.output_hash.clone(),
            }),
            _ => written.get(&u.id).map(|out| UnitRecord {
                unit: u.id.clone(),
                source_hash: text_hash(&u.text),
                output_hash: text_hash(out),
            }),
        })
        .collect();
    store
        .set_unit_records(run.issue, target.as_str(), &records)
        .await?;
    Ok(())
}

fn check(
    workspace: &Workspace,
    archive: &Archive,
    from: &Lang,
    targets: &[Lang],
    glossary: &Glossary,
) -> ExitCode {
    let mut editions = 0;
    let mut with_problems = 0;
    let mut findings_total = 0;
    for issue in &archive.issues {
        for target in targets {
            let rules = Rules {
                source: from,
                target,
                glossary,
            };
            let pairs = [
                (issue.full(from), issue.full(target)),
                (issue.teaser(from), issue.teaser(target)),
            ];
            for (source, translation) in pairs {
                let (Some(source), Some(translation)) = (source, translation) else {
                    continue;
                };
                editions += 1;
                let findings = compare(&source.document, &translation.document, &rules);
                if findings.is_empty() {
                    continue;
                }
                with_problems += 1;
                findings_total += findings.len();
                let shown = workspace.display_path(&translation.path);
                for f in findings {
                    printer::out(&format!("{shown}:{}: {}: {}", f.line, f.label, f.problem));
                }
            }
        }
    }
    printer::status(&format!(
        "checked {editions} translated edition(s): {with_problems} with problems, \
         {findings_total} finding(s)"
    ));
    if with_problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
