//! `weekly publish ISSUE`: the release of an issue as ordered steps, each recorded in the
//! database when done, so an interrupted release is run again and continues where it stopped
//! without doing anything twice; `--dry-run` shows the plan and writes what would go out.

use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::archive::Archive;
use weekly_app::building::{self, BuildOptions};
use weekly_app::sending::{self, SendRequest};
use weekly_app::{announcing, environment, publishing};
use weekly_store::Store;

/// `weekly publish`
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The steps, in order: check (stops on errors), site (the public site and the subscribers' \
site), deploy (`[publish] deploy`, its output shown; a failure stops the release), email (the \
campaigns of `weekly send`), telegram (the announcement of `weekly announce`), readme (the \
READMEs of `[publish] readme`), disclosure (issue ISSUE − free_after is now free: the public \
site built in the site step shows it in full).\n\n\
Each step is recorded when it is done: run the same command again after a failure or an \
interrupt and it goes on from the step that did not finish; the e-mail and Telegram steps \
themselves never send a message twice.\n\n\
Examples:\n  weekly publish 42 --dry-run     # the plan, and outbox/ with every mail, the Telegram \
messages and the README changes\n  weekly publish 42")]
pub struct Args {
    /// The issue to publish.
    pub issue: u32,
    /// Show the plan and write the outbox; send, post and deploy nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Where `--dry-run` writes (default: `outbox/` in the workspace).
    #[arg(long, requires = "dry_run")]
    pub outbox: Option<PathBuf>,
    /// Publish at this time instead of now: `2026-12-12 08:00` (local time) or RFC 3339 with
    /// an offset. Stored; a running `weekly server` runs `weekly publish` then, once, across
    /// restarts. `weekly campaigns` lists it, `--cancel` cancels it.
    #[arg(long, value_name = "TIME", conflicts_with = "dry_run")]
    pub at: Option<String>,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    if let Some(at) = &args.at {
        let when = weekly_app::scheduling::parse_local(at)?;
        return super::with_store(root, async |workspace, store| {
            let id = weekly_app::scheduling::schedule(
                workspace,
                store,
                weekly_app::scheduling::Job::Publish,
                args.issue,
                None,
                when,
                chrono::Utc::now(),
            )
            .await?;
            let local = when.with_timezone(&chrono::Local);
            printer::out(&format!(
                "scheduled publish #{id}: issue {} at {} ({}); a running `weekly server` runs every step then \
                 (`weekly campaigns --cancel {id}` cancels it)",
                args.issue,
                local.format("%Y-%m-%d %H:%M:%S %:z"),
                weekly_store::time::of(when)
            ));
            Ok(ExitCode::SUCCESS)
        });
    }
    let workspace = Workspace::load(root)?;
    let archive = Archive::load(&workspace)?;
    if archive.issue(args.issue).is_none() {
        bail!("there is no issue #{} in the workspace", args.issue);
    }
    if args.issue < archive.latest() {
        // An issue newer than this one is on disk: its pages are built too, and the public
        // site counts the paid window from it.
        printer::status(&format!(
            "note: issue #{} is in the workspace too (a draft or written ahead), so the sites \
             are built as of #{}: its pages are published with #{}; move it out of `issues/` \
             first to publish only up to #{}",
            archive.latest(),
            archive.latest(),
            args.issue,
            args.issue
        ));
    }
    let runtime = crate::runtime()?;
    let store = runtime.block_on(weekly_app::database::open(&workspace))?;
    let result = if args.dry_run {
        dry_run(args, &workspace, &archive, &store, &runtime)
    } else {
        release(args, &workspace, &store, &runtime)
    };
    runtime.block_on(store.close());
    result
}

fn release(
    args: &Args,
    workspace: &Workspace,
    store: &Store,
    runtime: &tokio::runtime::Runtime,
) -> Result<ExitCode> {
    for (step, _) in publishing::STEPS {
        if let Some((at, detail)) = runtime.block_on(store.publish_step(args.issue, step))? {
            printer::out(&format!("✓ {step}: done {at} ({detail})"));
            continue;
        }
        let what = publishing::step_words(step, args.issue, workspace);
        printer::out(&format!("→ {step}: {what}"));
        let detail = run_step(step, args.issue, workspace, store, runtime)
            .with_context(|| format!("publishing #{} stopped at `{step}`; fix it and run `weekly publish {}` again: the steps done are not done again", args.issue, args.issue))?;
        let now = crate::collector::stamp(chrono::Utc::now());
        runtime.block_on(store.record_publish_step(args.issue, step, &now, &detail))?;
        printer::out(&format!("✓ {step}: {detail}"));
    }
    // The channels: every run, so that a draft is brought up to date; an announcement made
    // before is kept, never posted again.
    let outcomes = runtime.block_on(weekly_app::channels::publish(
        workspace, store, args.issue, None,
    ))?;
    let failed = print_channels(&outcomes);
    if failed > 0 {
        printer::status(&format!(
            "{} failed: run `weekly publish {}` again to retry (what was posted is not posted again)",
            printer::count(failed, "channel", "channels"),
            args.issue
        ));
        return Ok(ExitCode::from(1));
    }
    printer::out(&format!("issue #{} is published", args.issue));
    Ok(ExitCode::SUCCESS)
}

/// One line per channel; how many failed.
fn print_channels(outcomes: &[weekly_app::channels::Outcome]) -> usize {
    let mut failed = 0;
    for o in outcomes {
        let line = match &o.result {
            Ok(weekly_channels::Done::Created(r)) => format!(
                "✓ channel {} ({}): #{} posted: {}",
                o.name, o.kind, o.issue, r.url
            ),
            Ok(weekly_channels::Done::Updated(r)) => format!(
                "✓ channel {} ({}): #{} draft updated: {}",
                o.name, o.kind, o.issue, r.url
            ),
            Ok(weekly_channels::Done::Kept(r)) => format!(
                "✓ channel {} ({}): #{} posted before, not again: {}",
                o.name, o.kind, o.issue, r.url
            ),
            Err(e) => {
                failed += 1;
                format!("✗ channel {} ({}): #{}: {e}", o.name, o.kind, o.issue)
            }
        };
        printer::out(&line);
    }
    failed
}

/// Runs one step for real; returns its note.
fn run_step(
    step: &str,
    issue: u32,
    workspace: &Workspace,
    store: &Store,
    runtime: &tokio::runtime::Runtime,
) -> Result<String> {
    match step {
        "check" => step_check(issue, workspace),
        "site" => step_site(workspace),
        "deploy" => step_deploy(issue, workspace),
        "email" => step_email(issue, workspace, store, runtime),
        "telegram" => step_telegram(issue, workspace, store, runtime),
        "readme" => step_readme(workspace),
        "disclosure" => Ok(publishing::disclosure(issue, workspace)),
        other => bail!("unknown step `{other}`"),
    }
}

/// `weekly check`: no errors, and no drafted entry left unapproved.
fn step_check(issue: u32, workspace: &Workspace) -> Result<String> {
    let mut report = weekly_app::checking::check_workspace(workspace)?;
    report.errors_only();
    printer::check_report(&report);
    if report.errors() > 0 {
        bail!("`weekly check` found errors");
    }
    // Entries the model drafted must have been read and approved by the editor.
    if let Some(blocker) = weekly_app::checking::unapproved_draft(workspace, issue)? {
        bail!("{blocker}");
    }
    Ok("no errors".into())
}

/// The public and the subscribers' sites.
fn step_site(workspace: &Workspace) -> Result<String> {
    let root = &workspace.root;
    for full in [false, true] {
        let options = BuildOptions {
            full,
            ..BuildOptions::default()
        };
        let built = printer::shown_blocked(building::build_site(root, &options, &|l| {
            printer::status(l);
        }))?;
        printer::built(&built);
    }
    Ok("site/ and site-full/ built".into())
}

/// `[publish] deploy`, when there is one.
fn step_deploy(issue: u32, workspace: &Workspace) -> Result<String> {
    let config = &workspace.config;
    let root = &workspace.root;
    let command = config.publish.deploy.trim();
    if command.is_empty() {
        return Ok("no [publish] deploy command: nothing deployed".into());
    }
    let status = publishing::deploy(
        command,
        root,
        issue,
        &config.publish.pass_env,
        printer::out,
        printer::status,
    )?;
    if !status.success() {
        bail!("the deploy command `{command}` failed ({status})");
    }
    Ok(format!("`{command}` succeeded"))
}

/// The issue's campaigns, when a mail server is configured.
fn step_email(
    issue: u32,
    workspace: &Workspace,
    store: &Store,
    runtime: &tokio::runtime::Runtime,
) -> Result<String> {
    let config = &workspace.config;
    if config.smtp.host.trim().is_empty() && workspace.env.get(environment::SMTP_URL).is_none() {
        return Ok("no mail server ([smtp] host): no e-mail sent".into());
    }
    let request = SendRequest {
        issue: Some(issue),
        lang: None,
    };
    let progress = crate::progress::SendBar::new();
    let sent = runtime.block_on(sending::send(workspace, store, &request, &progress));
    progress.finish();
    sent?;
    Ok("campaigns finished (see `weekly campaigns`)".into())
}

/// The announcement on Telegram, when a bot and chat are configured.
fn step_telegram(
    issue: u32,
    workspace: &Workspace,
    store: &Store,
    runtime: &tokio::runtime::Runtime,
) -> Result<String> {
    let target = crate::channel::target(workspace);
    if !target.is_configured() {
        return Ok("no Telegram bot or chat configured: nothing posted".into());
    }
    let announcement = printer::shown_blocked(announcing::announcement(workspace, issue, None))?;
    let done = runtime.block_on(crate::channel::post(
        &target,
        store,
        &announcement.key,
        &announcement.messages,
        false,
        false,
    ))?;
    printer::out(&format!(
        "issue #{issue} ({}): {}",
        announcement.lang,
        crate::channel::summary(&done, &target, false)
    ));
    Ok("announced".into())
}

/// The README blocks of `[publish] readme`.
fn step_readme(workspace: &Workspace) -> Result<String> {
    let config = &workspace.config;
    let root = &workspace.root;
    if config.publish.readme.is_empty() {
        return Ok("no [publish] readme: nothing regenerated".into());
    }
    let mut done = Vec::new();
    for (lang, file) in &config.publish.readme {
        let lang = weekly_app::editions::resolve_lang(workspace, Some(lang))?;
        let path = root.join(file);
        let readme = weekly_app::readme::regenerate(workspace, &path, &lang)
            .with_context(|| format!("`{file}` could not be regenerated"))?;
        printer::untitled_warning(&readme.untitled, &lang);
        if readme.new == readme.old {
            printer::status(&format!(
                "`{}` is up to date ({})",
                path.display(),
                printer::count(readme.issues, "issue", "issues")
            ));
        } else {
            weekly_app::files::write_atomic(&path, &readme.new)?;
            printer::status(&format!(
                "updated `{}` ({})",
                path.display(),
                printer::count(readme.issues, "issue", "issues")
            ));
        }
        done.push(file.as_str());
    }
    Ok(format!("{} regenerated", done.join(", ")))
}

fn dry_run(
    args: &Args,
    workspace: &Workspace,
    archive: &Archive,
    store: &Store,
    runtime: &tokio::runtime::Runtime,
) -> Result<ExitCode> {
    let outbox = args
        .outbox
        .clone()
        .unwrap_or_else(|| workspace.root.join("outbox"));
    std::fs::create_dir_all(&outbox)
        .with_context(|| format!("cannot create `{}`", outbox.display()))?;
    printer::out(&format!(
        "the plan for #{} (dry run: nothing is sent, posted, deployed or recorded)",
        args.issue
    ));
    for (step, _) in publishing::STEPS {
        let done = runtime.block_on(store.publish_step(args.issue, step))?;
        let state = match &done {
            Some((at, _)) => format!("done {at}, skipped"),
            None => "to do".into(),
        };
        let what = publishing::step_words(step, args.issue, workspace);
        printer::out(&format!("  {step}: {what} — {state}"));
    }
    // What the channels would be sent, one request body each (no secret in them).
    let channels_dir = outbox.join("channels");
    let outcomes = runtime.block_on(weekly_app::channels::publish(
        workspace,
        store,
        args.issue,
        Some(&channels_dir),
    ))?;
    for o in &outcomes {
        match &o.result {
            Ok(done) => printer::out(&format!(
                "  channel {} ({}): {}",
                o.name,
                o.kind,
                done.remote().url
            )),
            Err(e) => printer::out(&format!(
                "  channel {} ({}): cannot be made: {e}",
                o.name, o.kind
            )),
        }
    }
    // What would go out.
    let langs = weekly_app::campaign::campaign_languages(workspace, archive, args.issue, None)?;
    let mail_dir = outbox.join("mail");
    let written = runtime.block_on(sending::write_outbox(
        workspace, archive, store, args.issue, &langs, &mail_dir,
    ))?;
    printer::out(&format!(
        "  email: {} in {}",
        printer::count(written, "message", "messages"),
        mail_dir.display()
    ));
    let issue = archive.issue(args.issue).context("the issue is gone")?;
    let lang = &workspace.config.primary_language;
    let announcement = weekly_app::editions::telegram(workspace, issue, lang)?;
    let telegram = serde_json::json!({
        "chat_id": crate::channel::target(workspace).chat(),
        "caption": announcement.caption,
        "messages": announcement.messages,
    });
    let telegram_file = outbox.join("telegram.json");
    std::fs::write(&telegram_file, serde_json::to_string_pretty(&telegram)?)?;
    printer::out(&format!("  telegram: {}", telegram_file.display()));
    let mut diff = String::new();
    for (lang, file) in &workspace.config.publish.readme {
        let lang = weekly_app::editions::resolve_lang(workspace, Some(lang))?;
        let readme = weekly_app::readme::regenerate(workspace, &workspace.root.join(file), &lang)?;
        diff.push_str(&publishing::line_diff(file, &readme.old, &readme.new));
    }
    let diff_file = outbox.join("README.diff");
    std::fs::write(&diff_file, &diff)?;
    printer::out(&format!(
        "  readme: {} ({})",
        diff_file.display(),
        if diff.is_empty() {
            "no change"
        } else {
            "changes"
        }
    ));
    let command = workspace.config.publish.deploy.trim();
    printer::out(&format!(
        "  deploy: {}",
        if command.is_empty() {
            "nothing configured".to_owned()
        } else {
            format!("would run `{command}`")
        }
    ));
    Ok(ExitCode::SUCCESS)
}
