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
use weekly_app::{announcing, environment};
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
}

/// The steps, with what each does.
const STEPS: [(&str, &str); 7] = [
    ("check", "check the workspace (stops on errors)"),
    ("site", "build the public site and the subscribers' site"),
    ("deploy", "run [publish] deploy"),
    ("email", "send the e-mail campaigns"),
    ("telegram", "announce the issue on Telegram"),
    ("readme", "regenerate the READMEs"),
    (
        "disclosure",
        "make issue ISSUE − free_after free everywhere",
    ),
];

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let archive = Archive::load(&workspace)?;
    if archive.issue(args.issue).is_none() {
        bail!("there is no issue #{} in the workspace", args.issue);
    }
    if args.issue < archive.latest() {
        printer::status(&format!(
            "note: #{} is not the latest issue (#{}); the sites are built as of #{}",
            args.issue,
            archive.latest(),
            archive.latest()
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
    for (step, what) in STEPS {
        if let Some((at, detail)) = runtime.block_on(store.publish_step(args.issue, step))? {
            printer::out(&format!("✓ {step}: done {at} ({detail})"));
            continue;
        }
        printer::out(&format!("→ {step}: {what}"));
        let detail = run_step(step, args.issue, workspace, store, runtime)
            .with_context(|| format!("publishing #{} stopped at `{step}`; fix it and run `weekly publish {}` again: the steps done are not done again", args.issue, args.issue))?;
        let now = crate::collector::stamp(chrono::Utc::now());
        runtime.block_on(store.record_publish_step(args.issue, step, &now, &detail))?;
        printer::out(&format!("✓ {step}: {detail}"));
    }
    printer::out(&format!("issue #{} is published", args.issue));
    Ok(ExitCode::SUCCESS)
}

/// Runs one step for real; returns its note.
fn run_step(
    step: &str,
    issue: u32,
    workspace: &Workspace,
    store: &Store,
    runtime: &tokio::runtime::Runtime,
) -> Result<String> {
    let config = &workspace.config;
    let root = &workspace.root;
    match step {
        "check" => {
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
        "site" => {
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
        "deploy" => {
            let command = config.publish.deploy.trim();
            if command.is_empty() {
                return Ok("no [publish] deploy command: nothing deployed".into());
            }
            let status = deploy(command, root, issue, &config.publish.pass_env)?;
            if !status.success() {
                bail!("the deploy command `{command}` failed ({status})");
            }
            Ok(format!("`{command}` succeeded"))
        }
        "email" => {
            if config.smtp.host.trim().is_empty()
                && workspace.env.get(environment::SMTP_URL).is_none()
            {
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
        "telegram" => {
            let target = crate::channel::target(workspace);
            if !target.is_configured() {
                return Ok("no Telegram bot or chat configured: nothing posted".into());
            }
            let announcement =
                printer::shown_blocked(announcing::announcement(workspace, issue, None))?;
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
        "readme" => {
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
        "disclosure" => Ok(disclosure(issue, workspace)),
        other => bail!("unknown step `{other}`"),
    }
}

/// The issue that becomes free with `issue`, and where the public site now shows it whole.
fn disclosure(issue: u32, workspace: &Workspace) -> String {
    let free_after = workspace.config.free_after;
    let Some(freed) = issue.checked_sub(free_after).filter(|n| *n > 0) else {
        return format!("no issue becomes free yet (issues are free {free_after} issues later)");
    };
    let lang = &workspace.config.primary_language;
    let page = workspace
        .root
        .join("site")
        .join(lang.as_str())
        .join(freed.to_string())
        .join("index.html");
    if !page.is_file() {
        return format!("issue #{freed} is free now (it has no page on the site)");
    }
    format!(
        "issue #{freed} is free now: its full text is on the public site ({}) and in its feeds",
        workspace.display_path(&page)
    )
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
    for (step, what) in STEPS {
        let done = runtime.block_on(store.publish_step(args.issue, step))?;
        let state = match &done {
            Some((at, _)) => format!("done {at}, skipped"),
            None => "to do".into(),
        };
        printer::out(&format!("  {step}: {what} — {state}"));
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
        diff.push_str(&line_diff(file, &readme.old, &readme.new));
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

/// A unified-style diff of one changed region: the lines before and after it that both
/// texts share are left out.
fn line_diff(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let removed = &a[head..a.len() - tail];
    let added = &b[head..b.len() - tail];
    let mut out = format!(
        "--- {name}\n+++ {name}\n@@ -{},{} +{},{} @@\n",
        head + 1,
        removed.len(),
        head + 1,
        added.len()
    );
    for line in removed {
        out.push('-');
        out.push_str(line);
        out.push('\n');
    }
    for line in added {
        out.push('+');
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Runs the deploy command in the workspace with a minimal environment (no secret of ours:
/// `weekly_app::child::minimal_env`) plus `WEEKLY_ISSUE`, `WEEKLY_SITE` and
/// `WEEKLY_SITE_FULL`; every line it prints is shown through the printer, scrubbed of the
/// run's secrets and of terminal controls.
fn deploy(
    command: &str,
    root: &std::path::Path,
    issue: u32,
    pass_env: &[String],
) -> Result<std::process::ExitStatus> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("sh");
    weekly_app::child::minimal_env(&mut child, pass_env, "[publish] pass_env")?;
    let mut child = child
        .args(["-c", command])
        .current_dir(root)
        .env("WEEKLY_ISSUE", issue.to_string())
        .env("WEEKLY_SITE", root.join("site"))
        .env("WEEKLY_SITE_FULL", root.join("site-full"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run the deploy command")?;
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    std::thread::scope(|scope| {
        scope.spawn(|| relay(stderr, printer::status));
        relay(stdout, printer::out);
    });
    child.wait().context("cannot wait for the deploy command")
}

/// Prints each line `from` gives (bytes that are not UTF-8 shown as U+FFFD) until it ends.
fn relay(from: impl std::io::Read, print: fn(&str)) {
    use std::io::BufRead as _;
    let mut from = std::io::BufReader::new(from);
    let mut line = Vec::new();
    while matches!(from.read_until(b'\n', &mut line), Ok(n) if n > 0) {
        let text = String::from_utf8_lossy(&line);
        print(text.trim_end_matches(['\n', '\r']));
        line.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_shows_only_the_changed_lines() {
        let d = line_diff("R.md", "a\nb\nc\nd\n", "a\nB\nB2\nd\n");
        assert!(line_diff("R.md", "a\nd\n", "a\nx\ny\nd\n").contains("@@ -2,0 +2,2 @@"));
        assert_eq!(d, "--- R.md\n+++ R.md\n@@ -2,2 +2,2 @@\n-b\n-c\n+B\n+B2\n");
        assert_eq!(line_diff("R.md", "same", "same"), "");
    }
}
