//! The release of an issue, as the parts `weekly publish` runs: its steps in order, the
//! deploy command (a child with a minimal environment, its lines handed to the caller), the
//! note on the issue that becomes free, and the diff of a README a release would change.

use crate::workspace::Workspace;
use anyhow::{Context, Result};

/// The steps, with what each does.
pub const STEPS: [(&str, &str); 7] = [
    ("check", "check the workspace (stops on errors)"),
    ("site", "build the public site and the subscribers' site"),
    ("deploy", "run [publish] deploy"),
    ("email", "send the e-mail campaigns"),
    ("telegram", "announce the issue on Telegram"),
    ("readme", "regenerate the READMEs"),
    (
        "disclosure",
        "make the issue `free_after` issues older free everywhere",
    ),
];

/// What step `step` of publishing `issue` does, in words about this issue (the disclosure
/// names the issue that becomes free).
pub fn step_words(step: &str, issue: u32, workspace: &Workspace) -> String {
    let words = STEPS
        .iter()
        .find(|(s, _)| *s == step)
        .map_or("", |(_, w)| *w);
    if step != "disclosure" {
        return words.to_owned();
    }
    let free_after = workspace.config.free_after;
    match issue.checked_sub(free_after).filter(|n| *n > 0) {
        _ if free_after == 0 => "nothing to disclose: every issue is free".to_owned(),
        Some(freed) => format!("make issue #{freed} free everywhere ({free_after} issues older)"),
        None => format!("no issue becomes free yet (issues are free {free_after} issues later)"),
    }
}

/// The issue that becomes free with `issue`, and where the public site now shows it whole.
pub fn disclosure(issue: u32, workspace: &Workspace) -> String {
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

/// A unified-style diff of one changed region: the lines before and after it that both
/// texts share are left out.
pub fn line_diff(name: &str, old: &str, new: &str) -> String {
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
/// [`crate::child::minimal_env`]) plus `WEEKLY_ISSUE`, `WEEKLY_SITE` and `WEEKLY_SITE_FULL`;
/// each line it prints on its standard output goes to `out`, each of its standard error to
/// `err` (the caller shows them scrubbed of secrets and terminal controls).
pub fn deploy(
    command: &str,
    root: &std::path::Path,
    issue: u32,
    pass_env: &[String],
    out: fn(&str),
    err: fn(&str),
) -> Result<std::process::ExitStatus> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("sh");
    crate::child::minimal_env(&mut child, pass_env, "[publish] pass_env")?;
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
        scope.spawn(|| relay(stderr, err));
        relay(stdout, out);
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
