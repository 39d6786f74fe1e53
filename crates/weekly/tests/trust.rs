//! What `check` sees is what `build` and `serve` rely on: errors that change what readers see
//! stop a build, drafts are checked, the order of issues is checked, empty editions are errors.

use crate::common;

use common::{demo_copy, read, stderr, stdout};
use std::path::Path;

fn run(ws: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--workspace", ws.to_str().unwrap()];
    all.extend_from_slice(args);
    common::weekly(&all)
}

fn both(o: &std::process::Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// `weekly build` into `out` of `ws`, with extra arguments.
fn build(ws: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(ws, &args)
}

#[test]
fn errors_that_change_what_readers_see_stop_the_build() {
    let ws = demo_copy("trust-stop");
    let out = ws.join("public");
    let o = build(&ws, &out, &[]);
    assert!(o.status.success(), "{}", both(&o));
    let before = read(&out.join("zh/3/index.html"));
    // A typo in the newest issue's number would make every paid issue free.
    std::fs::write(
        ws.join("issues/0007/issue.toml"),
        "number = 4000000000\ndate = \"2026-10-17\"\n",
    )
    .unwrap();
    let o = build(&ws, &out, &[]);
    let text = both(&o);
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(
        text.contains("issues/0007/issue.toml") && text.contains("error[issue-jump]"),
        "{text}"
    );
    assert!(text.contains("nothing was built") && text.contains("--allow-errors"));
    assert_eq!(
        read(&out.join("zh/3/index.html")),
        before,
        "the site is unchanged"
    );
    // `check` reports the same error.
    let check = run(&ws, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout(&check).contains("error[issue-jump]"));
    // A preview may be built anyway, and says so.
    let preview = ws.join("preview");
    let o = build(&ws, &preview, &["--allow-errors"]);
    assert!(o.status.success(), "{}", both(&o));
    assert!(both(&o).contains("not for publishing"));

    // A broken YAML title is a parse error: it stops the build too.
    std::fs::write(
        ws.join("issues/0007/issue.toml"),
        "number = 7\ndate = \"2026-10-17\"\n",
    )
    .unwrap();
    let zh = ws.join("issues/0006/zh.md");
    let text = read(&zh);
    let broken = text
        .replacen("title: '", "title: 'broken \"", 1)
        .replacen("'\n", "\n", 1);
    std::fs::write(&zh, broken).unwrap();
    let o = build(&ws, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert!(both(&o).contains("issues/0006/zh.md"), "{}", both(&o));
}

#[test]
fn a_folder_without_a_readable_issue_toml_is_an_error_with_its_cause() {
    let ws = demo_copy("trust-toml");
    std::fs::remove_file(ws.join("issues/0005/issue.toml")).unwrap();
    std::fs::write(
        ws.join("issues/0004/issue.toml"),
        b"number = 4\ndate = \"2026-09-26\"\n# caf\xe9\n",
    )
    .unwrap();
    let o = run(&ws, &["check"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("issues/0005/issue.toml:0:0: error[issue-toml]: missing `issue.toml`")
            && text.contains("2 Markdown files of this folder are not built"),
        "{text}"
    );
    assert!(
        text.contains("issues/0004/issue.toml:3:1: error[issue-toml]: not valid UTF-8 at byte"),
        "{text}"
    );
    let o = build(&ws, &ws.join("public"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("issues/0005/issue.toml"),
        "{}",
        both(&o)
    );
}

#[test]
fn gaps_reversed_dates_and_duplicate_numbers_name_both_folders() {
    let ws = demo_copy("trust-order");
    let issues = ws.join("issues");
    // #4 and #5 go, #6 gets a date before #3's, and a copy of #2 claims number 2 again.
    std::fs::remove_dir_all(issues.join("0004")).unwrap();
    std::fs::remove_dir_all(issues.join("0005")).unwrap();
    std::fs::write(
        issues.join("0006/issue.toml"),
        "number = 6\ndate = \"2026-09-01\"\n",
    )
    .unwrap();
    common::copy_dir(&issues.join("0002"), &issues.join("0002-copy"));
    let o = run(&ws, &["check"]);
    let text = stdout(&o);
    assert!(
        text.contains("warning[issue-gap]: #4–#5 missing between `issues/0003` and `issues/0006`"),
        "{text}"
    );
    assert!(
        text.contains("error[issue-date-order]: #6 is dated 2026-09-01 but #3 in `issues/0003`"),
        "{text}"
    );
    assert!(
        text.contains(
            "error[issue-number]: issue #2 is in both `issues/0002` and `issues/0002-copy`"
        ),
        "{text}"
    );
    let out = ws.join("public");
    let o = build(&ws, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert!(!out.exists(), "nothing was built");
    let beside: Vec<_> = std::fs::read_dir(&ws)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".building-"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn empty_editions_and_empty_drafts_are_errors() {
    let ws = demo_copy("trust-empty");
    std::fs::write(ws.join("issues/0003/zh.md"), "\n  \n").unwrap();
    let o = run(&ws, &["check"]);
    assert!(
        stdout(&o).contains("issues/0003/zh.md:0:0: error[empty-edition]"),
        "{}",
        both(&o)
    );
    assert_eq!(build(&ws, &ws.join("public"), &[]).status.code(), Some(2));
    let draft = ws.join("issues/0007/draft.md");
    std::fs::write(&draft, "").unwrap();
    let before = read(&ws.join("issues/0007/zh.md"));
    let o = run(&ws, &["split", draft.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is empty; nothing was written"),
        "{}",
        both(&o)
    );
    assert_eq!(read(&ws.join("issues/0007/zh.md")), before);
    assert!(
        stdout(&run(&ws, &["check"])).contains("issues/0007/draft.md:0:0: error[empty-edition]")
    );
}

#[test]
fn check_reads_the_draft_by_the_rules_of_the_editions() {
    let ws = demo_copy("trust-draft");
    let draft = ws.join("issues/0007/draft.md");
    let text = read(&draft);
    // One English half missing, and the first article's link repeated as the second's.
    let text = text
        .replace(
            "[panic 不是错误处理---Panic Is Not Error Handling](https://rustacean.example.org/panic-is-not-error-handling)",
            "[panic 不是错误处理](https://blog.example.com/designing-error-types)",
        );
    std::fs::write(&draft, text).unwrap();
    let o = run(&ws, &["check"]);
    let report = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(
        report.contains("issues/0007/draft.md:17:1: error[untranslated]"),
        "{report}"
    );
    assert_eq!(report.matches("[untranslated]").count(), 1, "{report}");
    assert!(
        report.contains("issues/0007/draft.md:17:1: error[duplicate-url]"),
        "{report}"
    );
    assert_eq!(
        report.matches("error[duplicate-url]").count(),
        1,
        "reported once, not once per half: {report}"
    );
}

#[test]
fn readme_in_a_language_without_editions_changes_nothing() {
    let ws = demo_copy("trust-readme");
    for n in 1..=7 {
        let _ = std::fs::remove_file(ws.join(format!("issues/{n:04}/en.md")));
    }
    let readme = ws.join("README.md");
    let text = "# 周刊\n\n<!-- weekly:issues -->\n- 第 1 期：[旧的](x)\n<!-- /weekly:issues -->\n";
    std::fs::write(&readme, text).unwrap();
    let o = run(&ws, &["readme", readme.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert!(
        stderr(&o).contains("no issue has a `en` edition"),
        "{}",
        both(&o)
    );
    assert_eq!(read(&readme), text);
}

#[test]
fn check_and_translate_check_find_the_same_chinese_left_in_a_translation() {
    let ws = demo_copy("trust-one-rule");
    // A fresh split: the English edition has English titles and Chinese bodies.
    let draft = ws.join("issues/0007/draft.md");
    let o = run(&ws, &["split", draft.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", both(&o));
    let check = run(&ws, &["check"]);
    let report = stdout(&check);
    let from_check: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("issues/0007/en.md:") && l.contains("error[untranslated]"))
        .collect();
    let audit = run(&ws, &["translate", "--check", "7", "--to", "en"]);
    let audited = stdout(&audit);
    let from_audit: Vec<&str> = audited.lines().filter(|l| l.contains(": han: ")).collect();
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(audit.status.code(), Some(1));
    assert!(from_check.len() >= 3, "{report}");
    assert_eq!(
        from_check.len(),
        from_audit.len(),
        "{report}\n---\n{audited}"
    );
}

#[test]
fn what_a_new_editor_hit_first() {
    let tmp = tempfile::tempdir().unwrap();
    // `init` names the newsletter neutrally and makes one folder, not a whole path.
    let ws = tmp.path().join("mine");
    let o = common::weekly(&["init", ws.to_str().unwrap()]);
    assert!(o.status.success(), "{}", both(&o));
    let config = read(&ws.join("weekly.toml"));
    assert!(!config.contains("Python 潮流周刊") && config.contains("My Weekly"));
    let deep = tmp.path().join("nope/deep/x");
    let o = common::weekly(&["init", deep.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not exist"), "{}", both(&o));
    assert!(!tmp.path().join("nope").exists());
    // An empty weekly.toml is reported at its first line, with what it needs.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("weekly.toml"), "").unwrap();
    let o = run(&empty, &["check"]);
    assert!(
        stderr(&o).contains("weekly.toml:1:1: the file is empty"),
        "{}",
        both(&o)
    );

    let demo = demo_copy("trust-papercuts");
    // Every demo issue is still paid: no `#1–#0`.
    let info = stdout(&run(&demo, &["info"]));
    assert!(
        !info.contains("#1–#0") && info.contains("free to read: none yet"),
        "{info}"
    );
    // `dedup` refuses what is not a web address.
    let o = run(&demo, &["dedup", "not-a-url"]);
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    // `stats --by season` in text: the season rows only.
    let text = stdout(&run(&demo, &["stats", "--by", "season"]));
    assert!(
        text.contains("S1") && !text.contains("2026-09-05"),
        "{text}"
    );
    // `collect` fails when every source failed.
    std::fs::write(
        demo.join("sources.toml"),
        "[[source]]\nurl = \"http://127.0.0.1:1/feed.xml\"\nname = \"Nothing\"\n",
    )
    .unwrap();
    let o = run(&demo, &["collect", "--no-github"]);
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    assert!(
        stderr(&o).contains("the one source tried failed"),
        "{}",
        both(&o)
    );
    // `translate` without a key says so before any request.
    std::fs::remove_file(demo.join("issues/0006/en.md")).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_weekly"))
        .args([
            "--workspace",
            demo.to_str().unwrap(),
            "translate",
            "6",
            "--to",
            "en",
        ])
        .env_remove("WEEKLY_WORKSPACE")
        .env_remove("WEEKLY_LLM_API_KEY")
        .env("WEEKLY_LLM_BASE_URL", "https://llm.example.invalid/v1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert!(
        stderr(&o).contains("WEEKLY_LLM_API_KEY is not set"),
        "{}",
        both(&o)
    );
    assert!(!stderr(&o).contains("retried"), "{}", both(&o));
}

#[test]
fn an_issue_with_errors_is_not_announced() {
    let ws = demo_copy("trust-announce");
    std::fs::write(ws.join("issues/0005/en.md"), "").unwrap();
    let o = run(&ws, &["announce", "5", "--dry-run"]);
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert!(
        stdout(&o).contains("issues/0005/en.md:0:0: error[empty-edition]")
            && stderr(&o).contains("nothing was posted"),
        "{}",
        both(&o)
    );
    // Another issue is announced as before.
    let o = run(&ws, &["announce", "4", "--dry-run"]);
    assert!(o.status.success(), "{}", both(&o));
}

/// The deploy command gets no secret of ours in its environment, and what it prints is
/// scrubbed of the run's secrets like every other line.
#[test]
fn the_deploy_command_gets_no_secret_and_its_output_is_scrubbed() {
    let ws = demo_copy("deploy-env");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let password = "smtp-password-that-must-not-show-42";
    std::fs::write(ws.join("leak.txt"), format!("found {password}\n")).unwrap();
    let config = read(&ws.join("weekly.toml"));
    std::fs::write(
        ws.join("weekly.toml"),
        format!(
            "{config}\n[publish]\ndeploy = \"env > deploy-env.txt; cat leak.txt; \
             printf 'bad \\\\377 byte\\\\n'; echo issue $WEEKLY_ISSUE >&2; exit 3\"\n\
             pass_env = [\"DEPLOY_TARGET\"]\n"
        ),
    )
    .unwrap();
    let secrets = [
        ("WEEKLY_SECRET", "a-link-signing-secret-0123456789abcdef"),
        ("WEEKLY_SMTP_PASSWORD", password),
        ("WEEKLY_LLM_API_KEY", "sk-llm-key-that-must-not-show-1234"),
    ];
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_weekly"))
        .arg("--workspace")
        .arg(&ws)
        .args(["publish", "7"])
        .env_remove("WEEKLY_WORKSPACE")
        .env_remove("WEEKLY_SMTP_URL")
        .envs(secrets)
        .env("DEPLOY_TARGET", "example-host:/srv/www")
        .env("UNRELATED_VARIABLE", "kept-out")
        .output()
        .unwrap();
    let out = both(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("stopped at `deploy`"), "{out}");
    assert!(
        out.contains("issue 7"),
        "the command's stderr is shown: {out}"
    );
    assert!(
        out.contains("bad"),
        "a line that is not UTF-8 is shown: {out}"
    );
    assert!(out.contains("found [redacted]"), "{out}");
    for (_, value) in secrets {
        assert!(!out.contains(value), "{value} printed: {out}");
    }
    let env = read(&ws.join("deploy-env.txt"));
    let names: Vec<&str> = env
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(n, _)| n)
        .collect();
    assert!(names.contains(&"PATH"), "{env}");
    assert!(env.contains("DEPLOY_TARGET=example-host:/srv/www"), "{env}");
    assert!(env.contains("WEEKLY_ISSUE=7"), "{env}");
    assert!(!env.contains("UNRELATED_VARIABLE"), "{env}");
    for (name, value) in secrets {
        assert!(
            !env.contains(name) && !env.contains(value),
            "{name} reached it: {env}"
        );
    }

    // A `WEEKLY_` name in `pass_env` is refused, naming the field.
    std::fs::write(
        ws.join("weekly.toml"),
        format!("{config}\n[publish]\ndeploy = \"true\"\npass_env = [\"WEEKLY_SECRET\"]\n"),
    )
    .unwrap();
    let o = run(&ws, &["publish", "7"]);
    assert!(!o.status.success());
    assert!(
        both(&o).contains("[publish] pass_env: `WEEKLY_SECRET`"),
        "{}",
        both(&o)
    );
}

/// `[telegram] photo` is a regular file of the workspace: an absolute path, a `..` path, a
/// link out of the workspace and a folder are refused before anything is posted.
#[test]
fn the_telegram_photo_is_a_file_of_the_workspace() {
    let ws = demo_copy("telegram-photo");
    let config = read(&ws.join("weekly.toml"));
    let outside = ws.parent().unwrap().join("telegram-photo-outside.png");
    std::fs::write(&outside, b"not for the channel").unwrap();
    let _ = std::fs::remove_file(ws.join("out.png"));
    std::os::unix::fs::symlink(&outside, ws.join("out.png")).unwrap();
    std::fs::create_dir_all(ws.join("static/folder.png")).unwrap();
    std::fs::write(ws.join("static/cover.png"), b"\x89PNG fake").unwrap();
    let announce = |photo: &str| {
        assert!(config.contains("photo = \"\""));
        let text = config.replacen("photo = \"\"", &format!("photo = \"{photo}\""), 1);
        std::fs::write(ws.join("weekly.toml"), text).unwrap();
        run(&ws, &["announce", "7", "--dry-run"])
    };
    for (photo, why) in [
        (
            outside.to_str().unwrap(),
            "must be a path inside the workspace",
        ),
        (
            "../telegram-photo-outside.png",
            "must be a path inside the workspace",
        ),
        ("out.png", "leads outside the workspace"),
        ("static/folder.png", "is not a regular file"),
    ] {
        let o = announce(photo);
        assert!(!o.status.success(), "{photo}: {}", both(&o));
        assert!(both(&o).contains(why), "{photo}: {}", both(&o));
        assert!(both(&o).contains("[telegram] photo"), "{}", both(&o));
    }
    let o = announce("static/cover.png");
    assert!(o.status.success(), "{}", both(&o));
    assert!(both(&o).contains("[photo "), "{}", both(&o));
}
