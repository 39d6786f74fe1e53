//! `weekly translate` end to end: the real binary against our local OpenAI-compatible server,
//! with its latency and faults; and `--check` over the corpus's translations.

use crate::common;

use common::{copy_dir, corpus, repo_root, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;
use weekly_fake_llm::{FakeLlm, Fault, Options};

/// A copy of the example workspace whose issue 6 has no English edition.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    copy_dir(&repo_root().join("examples/demo-weekly"), &root);
    std::fs::remove_file(root.join("issues/0006/en.md")).unwrap();
    // Quick back-off so the fault tests stay short.
    let config = std::fs::read_to_string(root.join("weekly.toml")).unwrap();
    std::fs::write(
        root.join("weekly.toml"),
        format!(
            "{config}\n[translate]\nmodel = \"fake-1\"\ntimeout_seconds = 5\nconcurrency = 4\n"
        ),
    )
    .unwrap();
    (dir, root)
}

/// `weekly translate 6 --to en EXTRA…` against `server`.
fn translate(root: &Path, server: &FakeLlm, key: Option<&str>, extra: &[&str]) -> Output {
    let mut args = vec!["6", "--to", "en"];
    args.extend_from_slice(extra);
    translate_with(root, server, key, &args)
}

/// `weekly translate ARGS…` against `server`, with `key` as the API key.
fn translate_with(root: &Path, server: &FakeLlm, key: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_weekly"));
    command
        .arg("--workspace")
        .arg(root)
        .arg("translate")
        .args(args)
        .env_remove("WEEKLY_WORKSPACE")
        .env_remove("WEEKLY_LLM_MODEL")
        .env("WEEKLY_LLM_BASE_URL", server.base_url());
    match key {
        Some(key) => command.env("WEEKLY_LLM_API_KEY", key),
        None => command.env_remove("WEEKLY_LLM_API_KEY"),
    };
    command.output().unwrap()
}

fn weekly_in(root: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--workspace", root.to_str().unwrap()];
    all.extend_from_slice(args);
    common::weekly(&all)
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn urls(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(str::to_owned)
        .collect();
    v.sort();
    v
}

#[test]
fn translates_an_issue_then_a_rerun_sends_nothing() {
    let (_dir, root) = workspace();
    let server = FakeLlm::start(Options {
        latency: Duration::from_millis(30),
        api_key: Some("sk-test-do-not-print".into()),
    })
    .unwrap();
    let out = translate(&root, &server, Some("sk-test-do-not-print"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = server.request_count();
    assert!(first >= 10, "one request per unit: {first}");
    let en = read(root.join("issues/0006/en.md"));
    let zh = read(root.join("issues/0006/zh.md"));
    assert!(en.starts_with("---\ntitle: 'Rust Star Weekly #6: "), "{en}");
    assert!(en.contains("## 🦄Articles & Tutorials"), "{en}");
    assert_eq!(urls(&en), urls(&zh), "every link kept");
    // Each request: our instructions as the system message, one unit as the user message.
    for r in server.received() {
        assert!(r.system.contains("from Simplified Chinese into English"));
        assert!(!r.system.contains(&r.user));
        assert!(
            !r.user.contains("\n## "),
            "one unit per request: {}",
            r.user
        );
        assert_eq!(r.model, "fake-1");
        assert_eq!(
            r.authorization.as_deref(),
            Some("Bearer sk-test-do-not-print")
        );
    }
    let printed = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!printed.contains("sk-test-do-not-print"));
    assert!(printed.contains(&format!("{first} requests")), "{printed}");

    // The edition is part of the workspace: render shows it, check accepts it.
    let render = weekly_in(&root, &["render", "6", "--edition", "full", "--lang", "en"]);
    assert!(render.status.success(), "{}", stderr(&render));
    assert!(stdout(&render).contains("Rust Star Weekly #6: "));
    let check = weekly_in(&root, &["check"]);
    let report = format!("{}{}", stdout(&check), stderr(&check));
    assert!(report.contains("0 errors"), "{report}");
    let audit = weekly_in(&root, &["translate", "--check", "6", "--to", "en"]);
    assert!(
        audit.status.success(),
        "{}{}",
        stdout(&audit),
        stderr(&audit)
    );

    // Unchanged source: no request, same bytes.
    let again = translate(&root, &server, Some("sk-test-do-not-print"), &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(server.request_count(), first);
    assert_eq!(read(root.join("issues/0006/en.md")), en);
    assert!(
        stderr(&again).contains("en.md: unchanged"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn one_edited_entry_is_retranslated_and_a_persons_edit_survives() {
    let (_dir, root) = workspace();
    let server = FakeLlm::start(Options::default()).unwrap();
    assert!(translate(&root, &server, None, &[]).status.success());
    let first = server.request_count();
    let en_path = root.join("issues/0006/en.md");
    let zh_path = root.join("issues/0006/zh.md");

    // A person rewrites entry 1's description in English; the editor changes entry 2's source.
    let en = read(en_path.clone());
    let mut lines: Vec<String> = en.lines().map(str::to_owned).collect();
    let entry1 = lines.iter().position(|l| l.starts_with("1、[")).unwrap();
    lines[entry1 + 2] = "Hand-written: the best series on LSM trees we know.".into();
    std::fs::write(&en_path, lines.join("\n") + "\n").unwrap();
    let zh = read(zh_path.clone()).replacen("2、[", "2、[新版：", 1);
    std::fs::write(&zh_path, zh).unwrap();

    let out = translate(&root, &server, None, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.request_count(), first + 1, "only entry 2 is sent");
    assert!(server.received().last().unwrap().user.contains("新版"));
    let en = read(en_path.clone());
    assert!(en.contains("Hand-written: the best series on LSM trees we know."));

    // Re-running keeps it still, and says why; --force replaces it.
    let out = translate(&root, &server, None, &[]);
    assert_eq!(server.request_count(), first + 1);
    assert!(
        stderr(&out).contains("edited by a person"),
        "{}",
        stderr(&out)
    );
    assert!(read(en_path.clone()).contains("Hand-written"));
    let forced = translate(&root, &server, None, &["--force"]);
    assert!(forced.status.success());
    assert!(!read(en_path).contains("Hand-written"));
}

#[test]
fn rate_limits_errors_and_broken_answers_are_handled() {
    let (_dir, root) = workspace();
    let server = FakeLlm::start(Options::default()).unwrap();
    let zh = read(root.join("issues/0006/zh.md"));
    // Markers taken from three entries of the issue.
    let markers: Vec<String> = zh
        .lines()
        .filter(|l| l.contains("、["))
        .map(|l| {
            l.split("](")
                .nth(1)
                .unwrap()
                .split(')')
                .next()
                .unwrap()
                .to_owned()
        })
        .take(4)
        .collect();
    server.add(&markers[0], Fault::RateLimit(1), 1);
    server.add(&markers[1], Fault::ServerError, 2);
    server.add(&markers[2], Fault::DropLink, 1);
    // Entry 4 answers in Chinese on the first attempt and both repairs.
    server.add(&markers[3], Fault::KeepChinese, 3);

    let started = std::time::Instant::now();
    let out = translate(&root, &server, None, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert!(
        !root.join("issues/0006/en.md").exists(),
        "nothing broken is written"
    );
    assert!(err.contains("1 unit(s) need a person"), "{err}");
    assert!(err.contains("entry 4 of `🦄文章&教程`"), "{err}");
    assert!(
        err.contains("han: Chinese text is left untranslated"),
        "{err}"
    );
    assert!(
        err.contains("issues/0006/zh.md:"),
        "names the source line: {err}"
    );
    // The repair request states the problem to the model.
    let repairs: Vec<_> = server
        .received()
        .into_iter()
        .filter(|r| r.user.contains(&markers[2]))
        .collect();
    assert_eq!(repairs.len(), 2, "dropped link, then repaired");
    assert!(
        repairs[1]
            .system
            .contains("these URLs of the source are missing")
    );

    // Everything that passed was remembered: the re-run asks for entry 4 only.
    let before = server.request_count();
    let out = translate(&root, &server, None, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.request_count(), before + 1);
    assert!(root.join("issues/0006/en.md").exists());
}

#[test]
fn glossary_terms_reach_the_model_and_are_checked() {
    let (_dir, root) = workspace();
    std::fs::write(
        root.join("glossary.toml"),
        "[terms.\"存储引擎\"]\nen = \"storage engine\"\n",
    )
    .unwrap();
    let server = FakeLlm::start(Options::default()).unwrap();
    let out = translate(&root, &server, None, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let title_request = server
        .received()
        .into_iter()
        .find(|r| r.user.contains("存储引擎"))
        .unwrap();
    assert!(title_request.system.contains("- 存储引擎 → storage engine"));
    assert!(
        title_request
            .system
            .contains("from Simplified Chinese into English")
    );

    // The workspace's own instructions replace ours; a new prompt is a new memory key.
    std::fs::create_dir_all(root.join("templates/translate")).unwrap();
    std::fs::write(
        root.join("templates/translate/system.md"),
        "House rules for {{ newsletter }}: translate {{ what }} into {{ target_language }}.\n{{ glossary }}",
    )
    .unwrap();
    let before = server.request_count();
    let out = translate(&root, &server, None, &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let custom = &server.received()[before..];
    assert!(!custom.is_empty());
    assert!(custom.iter().all(|r| {
        r.system
            .starts_with("House rules for Rust 星期刊: translate ")
    }));
    assert!(
        custom
            .iter()
            .any(|r| r.system.contains("- 存储引擎 → storage engine"))
    );
    assert!(read(root.join("issues/0006/en.md")).contains("storage engine"));

    // A broken glossary is an error with its place, and nothing is sent.
    std::fs::write(root.join("glossary.toml"), "[terms.\"x\"]\nen = 3\n").unwrap();
    let count = server.request_count();
    let out = translate(&root, &server, None, &["--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("glossary.toml:2:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(server.request_count(), count);
}

#[test]
fn a_wrong_key_stops_the_run_without_printing_it() {
    let (_dir, root) = workspace();
    let server = FakeLlm::start(Options {
        api_key: Some("sk-right".into()),
        ..Options::default()
    })
    .unwrap();
    let out = translate(&root, &server, Some("sk-wrong-secret"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let printed = format!("{}{}", stdout(&out), stderr(&out));
    assert!(printed.contains("HTTP 401"), "{printed}");
    assert!(printed.contains("WEEKLY_LLM_API_KEY"), "{printed}");
    assert!(!printed.contains("sk-wrong-secret"));
    assert!(!root.join("issues/0006/en.md").exists());
    assert!(
        server.request_count() <= 4,
        "stops after the first refusals (one per slot), got {}",
        server.request_count()
    );
}

#[test]
fn translates_the_other_way_too() {
    let (_dir, root) = workspace();
    std::fs::remove_file(root.join("issues/0005/zh.md")).unwrap();
    let server = FakeLlm::start(Options::default()).unwrap();
    let out = translate_with(&root, &server, None, &["5", "--from", "en", "--to", "zh"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let zh = read(root.join("issues/0005/zh.md"));
    assert!(zh.starts_with("# Rust 星期刊#5："), "{zh}");
    assert!(zh.contains("## 🦄文章&教程"), "{zh}");
    assert!(
        zh.contains("本期分享了"),
        "description from the counts: {zh}"
    );
    let received = server.received();
    assert!(
        received[0]
            .system
            .contains("from English into Simplified Chinese")
    );
    assert_eq!(urls(&zh), urls(&read(root.join("issues/0005/en.md"))));
}

#[test]
fn dry_run_sends_and_writes_nothing() {
    let (_dir, root) = workspace();
    let server = FakeLlm::start(Options::default()).unwrap();
    let out = translate(&root, &server, None, &["--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("units to translate"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("entry 1 of `🦄文章&教程`"));
    assert_eq!(server.request_count(), 0);
    assert!(!root.join("issues/0006/en.md").exists());
    assert!(!root.join("weekly.db").exists());
}

#[test]
fn a_source_with_errors_is_not_translated() {
    let (_dir, root) = workspace();
    let zh = read(root.join("issues/0006/zh.md")).replacen("title: '", "title: 'unclosed ", 1);
    let zh = zh.replacen("用 Rust 写存储引擎'", "用 Rust 写存储引擎", 1);
    std::fs::write(root.join("issues/0006/zh.md"), zh).unwrap();
    let server = FakeLlm::start(Options::default()).unwrap();
    let out = translate(&root, &server, None, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("issues/0006/zh.md: not translated"),
        "{}",
        stderr(&out)
    );
    assert_eq!(server.request_count(), 0);
    assert!(!root.join("issues/0006/en.md").exists());
}

#[test]
fn a_translation_written_by_hand_is_left_alone() {
    let (_dir, root) = workspace();
    let server = FakeLlm::start(Options::default()).unwrap();
    let before = read(root.join("issues/0005/en.md"));
    let out = translate_with(&root, &server, None, &["5", "--to", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not written by `weekly translate`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(server.request_count(), 0);
    assert_eq!(read(root.join("issues/0005/en.md")), before);
}

/// A split draft's English edition keeps what the editor wrote and gets only what is
/// missing or still in Chinese: a description copied whole by `split`.
#[test]
fn translate_fills_only_what_the_editor_left_in_the_source_language() {
    let (_dir, root) = workspace();
    let server = FakeLlm::start(Options::default()).unwrap();
    let zh = read(root.join("issues/0005/zh.md"));
    // The English edition as `split` writes one: the source's kind of header.
    let hand = read(root.join("issues/0005/en.md"));
    let (h1, rest) = hand.split_once('\n').unwrap();
    let title = h1.trim_start_matches("# ").replace('\'', "''");
    let en = format!("---\ntitle: '{title}'\npubDate: 2026-10-03\n---\n{rest}");
    assert!(zh.starts_with("---\n"), "{zh}");
    // Put a Chinese paragraph of the source where the English one is.
    let zh_paragraph = zh
        .split("\n\n")
        .find(|p| {
            !p.starts_with(['#', '-', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
                && p.chars()
                    .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                    .count()
                    > 10
        })
        .expect("a Chinese paragraph")
        .to_owned();
    let en_paragraphs: Vec<&str> = en.split("\n\n").collect();
    let zh_paragraphs: Vec<&str> = zh.split("\n\n").collect();
    let at = zh_paragraphs
        .iter()
        .position(|p| *p == zh_paragraph)
        .unwrap();
    let mut mixed = en_paragraphs.clone();
    mixed[at] = &zh_paragraph;
    let mixed = mixed.join("\n\n");
    std::fs::write(root.join("issues/0005/en.md"), &mixed).unwrap();
    let out = translate_with(&root, &server, None, &["5", "--to", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(server.request_count() >= 1, "{}", stderr(&out));
    let after = read(root.join("issues/0005/en.md"));
    assert!(!after.contains(&zh_paragraph), "{after}");
    // Everything else is as the editor wrote it.
    // Everything else is as the editor wrote it (the description line is written from the
    // counts, as in every edition `translate` writes).
    let kept = en_paragraphs
        .iter()
        .enumerate()
        .filter(|(i, p)| *i != at && !p.starts_with("This week we share") && !p.starts_with("---"))
        .all(|(_, p)| after.contains(p));
    assert!(kept, "{after}");
}

/// The corpus's English editions against their Chinese sources: the broken ones the history
/// of the newsletter names are all reported.
#[test]
fn check_reports_the_known_broken_english_editions() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("pw");
    let import = common::weekly(&[
        "import",
        "python-weekly",
        corpus.to_str().unwrap(),
        "--into",
        root.to_str().unwrap(),
    ]);
    assert!(import.status.success(), "{}", stderr(&import));
    let out = weekly_in(&root, &["translate", "--check", "--all", "--to", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    let has = |file: &str, what: &str| {
        report
            .lines()
            .any(|l| l.starts_with(&format!("issues/{file}")) && l.contains(what))
    };
    // #94: wrong number and topic.
    assert!(
        has("0094/en.md:1:", "does not carry the issue number 94"),
        "{report}"
    );
    // #98–#101: themes shifted from neighbouring issues.
    for n in ["0098", "0099", "0100", "0101"] {
        assert!(
            has(
                &format!("{n}/en.md:1:"),
                "names of the source theme are missing"
            ),
            "{n}"
        );
    }
    // Chinese H1 in English teasers; a wholly Chinese English teaser; a Chinese description.
    assert!(has("0148/en.teaser.md:1:", "han:"));
    assert!(has("0151/en.teaser.md:1:", "han:"));
    let chinese_entries = report
        .lines()
        .filter(|l| l.starts_with("issues/0150/en.teaser.md") && l.contains("han:"))
        .count();
    assert!(chinese_entries >= 20, "{chinese_entries}");
    assert!(has("0145/en.teaser.md", "a paragraph: han:"));
    // A faithful translation is not reported.
    assert!(!report.contains("issues/0102/en.md"), "{report}");
}

#[test]
fn two_runs_at_once_pay_for_each_unit_once() {
    let options = || Options {
        latency: Duration::from_millis(150),
        api_key: Some("sk-test-do-not-print".into()),
    };
    // One run alone: how many requests the issue takes.
    let (_a, alone) = workspace();
    let server = FakeLlm::start(options()).unwrap();
    let out = translate(&alone, &server, Some("sk-test-do-not-print"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let needed = server.request_count();
    // Two runs at once on a new workspace (they also race to create the database).
    let (_b, root) = workspace();
    let server = FakeLlm::start(options()).unwrap();
    let (first, second) = std::thread::scope(|s| {
        let run = || translate(&root, &server, Some("sk-test-do-not-print"), &[]);
        let first = s.spawn(run);
        let second = s.spawn(run);
        (first.join().unwrap(), second.join().unwrap())
    });
    for out in [&first, &second] {
        assert!(out.status.success(), "{}{}", stdout(out), stderr(out));
    }
    assert_eq!(
        server.request_count(),
        needed,
        "each unit asked for once: {}",
        stderr(&second)
    );
    assert_eq!(
        read(root.join("issues/0006/en.md")),
        read(alone.join("issues/0006/en.md"))
    );
}

#[test]
fn a_key_echoed_by_the_server_is_not_printed() {
    let (_dir, root) = workspace();
    let server = FakeLlm::start(Options {
        latency: Duration::from_millis(1),
        api_key: Some("sk-the-right-one".into()),
    })
    .unwrap();
    let out = translate(&root, &server, Some("sk-wrong-but-secret-777"), &[]);
    let printed = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success());
    assert!(printed.contains("Bearer [redacted]"), "{printed}");
    assert!(!printed.contains("sk-wrong-but-secret-777"), "{printed}");
}
