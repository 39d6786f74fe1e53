//! The `weekly` binary end to end: init, check, import, info.

use crate::common;

use common::{corpus, repo_root, stderr, stdout, weekly};
use std::path::Path;

fn json_check(workspace: &Path) -> (i32, Vec<serde_json::Value>) {
    let out = weekly(&[
        "check",
        "--format",
        "json",
        "--workspace",
        workspace.to_str().unwrap(),
    ]);
    let value: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    (
        out.status.code().unwrap(),
        value.as_array().unwrap().clone(),
    )
}

fn has(diags: &[serde_json::Value], file: &str, code: &str) -> bool {
    diags.iter().any(|d| d["file"] == file && d["code"] == code)
}

#[test]
fn example_newsletter_checks_clean() {
    let example = repo_root().join("examples/demo-weekly");
    let out = weekly(&["check", "--workspace", example.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("0 errors, 0 warnings in 14 files (7 issues)"),
        "{}",
        stderr(&out)
    );
    let info = weekly(&["info", "--workspace", example.to_str().unwrap()]);
    assert!(
        stdout(&info).contains("7 issues: #1 (2026-09-05) … #7 (2026-10-17)"),
        "{}",
        stdout(&info)
    );
}

#[test]
fn init_creates_a_workspace_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("news");
    let out = weekly(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("weekly.toml").is_file());
    assert!(dir.join("issues").is_dir());
    assert!(dir.join("templates").is_dir());
    let before = std::fs::read_to_string(dir.join("weekly.toml")).unwrap();
    std::fs::write(dir.join("weekly.toml"), "# mine\n").unwrap();
    let again = weekly(&["init", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));
    assert_eq!(
        std::fs::read_to_string(dir.join("weekly.toml")).unwrap(),
        "# mine\n"
    );
    // An empty workspace checks clean.
    std::fs::write(dir.join("weekly.toml"), before).unwrap();
    let check = weekly(&["check", "--workspace", dir.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn config_errors_name_file_line_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("news");
    assert!(weekly(&["init", dir.to_str().unwrap()]).status.success());
    let path = dir.join("weekly.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("season_length = 30", "season_lenght = 30");
    std::fs::write(&path, &text).unwrap();
    let out = weekly(&["check", "--workspace", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let line = text
        .lines()
        .position(|l| l.starts_with("season_lenght"))
        .unwrap()
        + 1;
    let err = stderr(&out);
    assert!(err.contains(&format!("weekly.toml:{line}:1:")), "{err}");
    assert!(err.contains("season_lenght"), "{err}");
}

#[test]
fn check_reports_every_problem_with_positions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("news");
    assert!(weekly(&["init", dir.to_str().unwrap()]).status.success());
    for (n, date, zh) in [
        (
            1,
            "2026-01-03",
            "---\ntitle: 'X周刊#1：一'\npubDate: 2026-01-03\n---\n\n本期分享了 3 篇文章。\n\n## 🦄文章&教程\n\n1、[a](https://a.example.com/x/)\n\n2、[b](https://b.example.com)\n\n4、[c](http://www.a.example.com/x?utm_source=feed)\n",
        ),
        (
            2,
            "2026-01-10",
            "---\ntitle: 'X周刊#3：二'\npubDate: 2026-01-10\n---\n\n## 🦄文章&教程\n\n1、[d](https://b.example.com/)\n",
        ),
    ] {
        let issue = dir.join(format!("issues/{n:04}"));
        std::fs::create_dir_all(&issue).unwrap();
        std::fs::write(
            issue.join("issue.toml"),
            format!("number = {n}\ndate = \"{date}\"\n"),
        )
        .unwrap();
        std::fs::write(issue.join("zh.md"), zh).unwrap();
    }
    std::fs::create_dir_all(dir.join("issues/0003")).unwrap();
    std::fs::write(
        dir.join("issues/0003/issue.toml"),
        "number = 3\ndate = \"2026-02-30\"\n",
    )
    .unwrap();

    let (code, diags) = json_check(&dir);
    assert_eq!(code, 1);
    let codes: Vec<(String, String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = [
        ("issues/0001/zh.md", "numbering-gap", 14),
        ("issues/0001/zh.md", "duplicate-url", 14),
        ("issues/0002/zh.md", "title-number", 2),
        ("issues/0002/zh.md", "repeated-url", 8),
        ("issues/0003/issue.toml", "issue-toml", 2),
    ];
    for (file, code, line) in expect {
        assert!(
            codes.contains(&(file.to_owned(), code.to_owned(), line)),
            "missing {file} {code} {line} in {codes:?}"
        );
    }
    // The description claims 3 and there are 3 entries: no count error.
    assert!(
        !has(&diags, "issues/0001/zh.md", "count-mismatch"),
        "{codes:?}"
    );
    let repeated = diags.iter().find(|d| d["code"] == "repeated-url").unwrap();
    assert!(
        repeated["message"]
            .as_str()
            .unwrap()
            .contains("#1 (2026-01-03), 文章&教程 2"),
        "{repeated}"
    );
}

#[test]
fn corpus_imports_and_check_finds_the_known_disagreements() {
    let Some(src) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("pw");
    let out = weekly(&[
        "import",
        "python-weekly",
        src.to_str().unwrap(),
        "--into",
        ws.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Files are copied byte for byte, keeping full texts and teasers apart.
    let full = std::fs::read(src.join("docs/2025-07-05-weekly.md")).unwrap();
    assert_eq!(std::fs::read(ws.join("issues/0109/zh.md")).unwrap(), full);
    let teaser = std::fs::read(src.join("history/teasers/2025-07-05-weekly.md")).unwrap();
    assert_eq!(
        std::fs::read(ws.join("issues/0109/zh.teaser.md")).unwrap(),
        teaser
    );
    assert!(ws.join("issues/0159/zh.teaser.md").is_file());
    assert!(!ws.join("issues/0159/zh.md").exists());
    let toml = std::fs::read_to_string(ws.join("issues/0055/issue.toml")).unwrap();
    assert_eq!(toml, "number = 55\ndate = \"2024-06-10\"\n");

    let (code, diags) = json_check(&ws);
    assert_eq!(code, 1);
    for (file, code) in [
        ("issues/0091/zh.md", "numbering-gap"),
        ("issues/0091/zh.md", "count-mismatch"),
        ("issues/0105/zh.md", "numbering-duplicate"),
        ("issues/0144/zh.teaser.md", "count-mismatch"),
        // Descriptions that leave out a kind the issue has (2 media entries).
        ("issues/0059/en.md", "count-mismatch"),
        ("issues/0094/zh.md", "count-mismatch"),
        ("issues/0094/en.md", "title-number"),
        ("issues/0148/en.teaser.md", "untranslated"),
        ("issues/0150/en.teaser.md", "untranslated"),
        ("issues/0151/en.teaser.md", "untranslated"),
        ("issues/0072/zh.md", "crlf"),
        ("issues/0098/en.md", "image-local"),
        ("issues/0002/zh.md", "image-alt"),
    ] {
        assert!(has(&diags, file, code), "expected {code} in {file}");
    }
    // Nothing that would mean the parser misread the archive.
    let parse_codes = [
        "yaml",
        "front-matter",
        "date",
        "encoding",
        "stray-h1",
        "unclosed-fence",
        "empty-title",
        "issue-toml",
        "stray-file",
    ];
    let bad: Vec<_> = diags
        .iter()
        .filter(|d| parse_codes.contains(&d["code"].as_str().unwrap()))
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    // Issue 3's `3.12 …` paragraph and issue 22's are not entries: no numbering problem there.
    assert!(!has(&diags, "issues/0003/zh.md", "numbering-duplicate"));
    assert!(!has(&diags, "issues/0022/zh.md", "count-mismatch"));
    eprintln!("corpus check: {} diagnostics", diags.len());
}

#[test]
fn partial_repository_imports_by_title_numbers() {
    let Some(src) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let partial = tmp.path().join("partial");
    std::fs::create_dir_all(partial.join("docs/en")).unwrap();
    for name in ["2024-05-12-weekly.md", "2025-07-12-weekly.md"] {
        std::fs::copy(src.join("docs").join(name), partial.join("docs").join(name)).unwrap();
    }
    std::fs::copy(
        src.join("docs/en/2024-05-12-weekly.md"),
        partial.join("docs/en/2024-05-12-weekly.md"),
    )
    .unwrap();
    let ws = tmp.path().join("ws");
    let out = weekly(&[
        "import",
        "python-weekly",
        partial.to_str().unwrap(),
        "--into",
        ws.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(ws.join("issues/0050/zh.md").is_file());
    assert!(ws.join("issues/0050/en.md").is_file());
    assert!(ws.join("issues/0110/zh.teaser.md").is_file());
    let info = weekly(&["info", "--workspace", ws.to_str().unwrap()]);
    assert!(
        stdout(&info).contains("2 issues: #50 (2024-05-12) … #110 (2025-07-12)"),
        "{}",
        stdout(&info)
    );
}

#[test]
fn import_refuses_a_non_empty_target_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("docs")).unwrap();
    std::fs::write(src.join("docs/2024-01-06-weekly.md"), "# Demo#1：x\n").unwrap();
    let into = tmp.path().join("into");
    std::fs::create_dir_all(&into).unwrap();
    std::fs::write(into.join("keep.txt"), "mine").unwrap();
    let out = weekly(&[
        "import",
        "python-weekly",
        src.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let names: Vec<_> = std::fs::read_dir(&into)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["keep.txt"]);
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    // A directory that is not a python-weekly repository is refused with a clear message.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = weekly(&[
        "import",
        "python-weekly",
        empty.to_str().unwrap(),
        "--into",
        tmp.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("python-weekly repository"),
        "{}",
        stderr(&out)
    );
}
