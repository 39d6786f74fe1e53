//! Starting and importing a newsletter of any format, on archives written here: a fourth,
//! invented newsletter declared with only what README.md documents; `weekly init --format`;
//! the import's re-imports, errors naming the file, dates from git history, and the older
//! Python Trending Weekly form.

use crate::common;
use crate::newsletters::{check, parse_errors, readme_theme, stats};

use common::{repo_root, skip, stderr, weekly, weekly_at};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// ----- a fourth style, declared from README.md alone ---------------------------------------

/// The declaration of an invented newsletter, written from README.md's "Any newsletter": YAML
/// front matter with its own keys, `###` categories under `## 内容`, entries `N、[name](url)：…`
/// numbered across the categories, `<img>` lines between entries, a README list for the
/// themes its titles lack, drafts and notes that are not issues.
const GARDEN_TOML: &str = r#"
name = { zh = "园圃周记" }
base_url = "https://garden.example.org"
primary_language = "zh"
languages = ["zh"]

[format]
number_keys = ["issue"]
date_keys = ["published"]
titles = ["园圃周记 · 第 {number} 期 · {theme}", "园圃周记 · 第 {number} 期"]
section_levels = [2]
category_levels = [3]
numbering = ["dunhao"]
essays = ["卷首：*"]

[import]
files = ["posts/{date}-week{number}.md"]
skip = ["posts/drafts/**"]
skip_unless = { kind = "issue" }
number = ["header", "file"]
date = ["header", "file"]
readme = ["index.md"]

[[sections]]
key = "content"
counted = true
names = { zh = "内容" }

[[sections]]
key = "letters"
counted = false
names = { zh = "来信" }
patterns = ["读者来信*"]
"#;

/// One issue of the invented newsletter: `per_category` entries in each of three categories,
/// numbered across them, an image between entries, two letters.
fn garden_issue(number: u32, date: &str, theme: Option<&str>, per_category: u32) -> String {
    let headline = match theme {
        Some(t) => format!("园圃周记 · 第 {number} 期 · {t}"),
        None => format!("园圃周记 · 第 {number} 期"),
    };
    let mut text = format!(
        "---\ntitle: \"{headline}\"\nissue: {number}\npublished: {date}\nkind: issue\n---\n\n"
    );
    text.push_str("## 卷首：慢慢来\n\n1、种子要先泡一夜。\n\n2、土要松。\n\n## 内容\n\n");
    let mut n = 0;
    for category in ["工具", "植物", "书"] {
        let _ = write!(text, "### {category}\n\n");
        for _ in 0..per_category {
            n += 1;
            let _ = write!(
                text,
                "{n}、[第 {n} 条](https://garden.example.org/{number}/{n})：一句说明。\n\n"
            );
            let _ = write!(
                text,
                "<img src=\"https://garden.example.org/img/{n}.png\" alt=\"图 {n}\" width=\"400\">\n\n"
            );
        }
    }
    text.push_str("## 读者来信（两封）\n\n1、[一封信](https://garden.example.org/letters/1)\n\n");
    text.push_str("2、[又一封](https://garden.example.org/letters/2)\n");
    text
}

/// The invented archive: three issues, a README list, a draft and a note that are not issues.
fn garden_archive(dir: &Path) {
    std::fs::create_dir_all(dir.join("posts/drafts")).unwrap();
    let issues = [
        (1, "2025-03-07", Some("发芽"), 2),
        (2, "2025-03-14", None, 3),
        (3, "2025-03-21", Some("移栽"), 4),
    ];
    for (number, date, theme, per) in issues {
        std::fs::write(
            dir.join(format!("posts/{date}-week{number}.md")),
            garden_issue(number, date, theme, per),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("posts/drafts/2025-03-28-week4.md"),
        garden_issue(4, "2025-03-28", Some("草稿"), 1),
    )
    .unwrap();
    std::fs::write(
        dir.join("posts/2025-03-10-week9.md"),
        "---\ntitle: \"园圃周记 · 第 9 期 · 公告\"\nissue: 9\npublished: 2025-03-10\nkind: note\n---\n\n停刊一周。\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("index.md"),
        "# 园圃周记\n\n- 第 3 期：[移栽](posts/2025-03-21-week3.md)\n- 第 2 期：[浇水的学问](posts/2025-03-14-week2.md)\n- 第 1 期：[发芽](posts/2025-03-07-week1.md)\n",
    )
    .unwrap();
}

#[test]
fn a_fourth_style_declared_from_the_readme_gets_every_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("garden");
    garden_archive(&src);
    let format = tmp.path().join("garden.toml");
    std::fs::write(&format, GARDEN_TOML).unwrap();
    let ws = tmp.path().join("ws");
    let out = weekly(&[
        "import",
        src.to_str().unwrap(),
        "--into",
        ws.to_str().unwrap(),
        "--format",
        format.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stderr(&out);
    assert!(printed.contains("imported 3 issues"), "{printed}");
    assert!(
        printed.contains("2025-03-28-week4.md") && printed.contains("2025-03-10-week9.md"),
        "the draft and the note are listed as skipped: {printed}"
    );
    // The workspace's weekly.toml is the declaration, as written.
    assert_eq!(
        std::fs::read_to_string(ws.join("weekly.toml")).unwrap(),
        GARDEN_TOML
    );
    assert_eq!(
        std::fs::read_to_string(ws.join("issues/0002/issue.toml")).unwrap(),
        "number = 2\ndate = \"2025-03-14\"\ntitles = { zh = \"浇水的学问\" }\n"
    );
    let stats = stats(&ws);
    for (number, per) in [(1, 2), (2, 3), (3, 4)] {
        let s = &stats[&number];
        // Three categories of the content section, and the two letters; the essay's numbered
        // lines and the images are not entries.
        assert_eq!(s["entries"], 3 * per + 2, "#{number}: {s}");
        assert_eq!(s["counts"]["content"], 3 * per, "#{number}: {s}");
    }
    for (number, theme) in [(1, "发芽"), (2, "浇水的学问"), (3, "移栽")] {
        assert_eq!(readme_theme(&ws, number), theme);
    }
    let (_, diags) = check(&ws);
    let parse = parse_errors(&diags);
    assert!(parse.is_empty(), "{parse:?}");
}

// ----- init, errors, re-imports, git dates ---------------------------------------------------

#[test]
fn init_writes_each_shipped_format() {
    let tmp = tempfile::tempdir().unwrap();
    let assets = repo_root().join("crates/weekly-app/assets");
    for (format, file) in [
        ("this-week-in-rust", "formats/this-week-in-rust.toml"),
        ("ruanyf-weekly", "formats/ruanyf-weekly.toml"),
        ("python-weekly", "weekly.toml"),
    ] {
        let dir = tmp.path().join(format);
        let out = weekly(&["init", dir.to_str().unwrap(), "--format", format]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        // The format's file as shipped, comments and all, with `[publish] readme` naming the
        // README that init writes beside it (with the list's markers), and a .gitignore.
        let written = std::fs::read_to_string(dir.join("weekly.toml")).unwrap();
        let shipped = std::fs::read_to_string(assets.join(file)).unwrap();
        let lines = |t: &str| -> Vec<String> {
            t.lines()
                .filter(|l| !l.starts_with("readme = ") && *l != "[publish]")
                .map(str::to_owned)
                .collect()
        };
        let (mut w, mut s) = (lines(&written), lines(&shipped));
        while w.last().is_some_and(String::is_empty) {
            w.pop();
        }
        while s.last().is_some_and(String::is_empty) {
            s.pop();
        }
        assert_eq!(w, s, "{format}");
        assert!(written.contains("readme = { "), "{format}: {written}");
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(readme.contains("<!-- weekly:issues -->"), "{readme}");
        let ignored = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
        for secret in ["/weekly.db", "/.weekly-secret", "/site-full/", "/outbox/"] {
            assert!(ignored.lines().any(|l| l == secret), "{secret}: {ignored}");
        }
        let out = weekly_at(&dir, &["check"]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
    }
    // Without a format: Python Trending Weekly's, with a name to change, as before.
    let dir = tmp.path().join("plain");
    assert!(weekly(&["init", dir.to_str().unwrap()]).status.success());
    let text = std::fs::read_to_string(dir.join("weekly.toml")).unwrap();
    assert!(text.contains("\"My Weekly\"") && text.contains("[format]"));
    // A name we do not ship is refused with the ones we do.
    let out = weekly(&[
        "init",
        tmp.path().join("x").to_str().unwrap(),
        "--format",
        "no-such-weekly",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("this-week-in-rust"),
        "{}",
        stderr(&out)
    );
}

/// Every file under `dir` with its bytes and modification time.
fn tree(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (
                e.path().strip_prefix(dir).unwrap().to_owned(),
                (std::fs::read(e.path()).unwrap(), meta.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn a_re_import_changes_nothing_and_adds_only_new_issues() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("garden");
    garden_archive(&src);
    let format = tmp.path().join("garden.toml");
    std::fs::write(&format, GARDEN_TOML).unwrap();
    let ws = tmp.path().join("ws");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "import",
            src.to_str().unwrap(),
            "--into",
            ws.to_str().unwrap(),
        ];
        args.extend(extra);
        weekly(&args)
    };
    assert!(
        run(&["--format", format.to_str().unwrap()])
            .status
            .success()
    );
    let before = tree(&ws);
    let out = run(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("added 0 issues") && stderr(&out).contains("3 already there"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&ws), before, "a re-import changed the workspace");
    // An edited issue is kept; a new one in the archive is added.
    let edited = ws.join("issues/0001/zh.md");
    std::fs::write(
        &edited,
        "---\ntitle: \"园圃周记 · 第 1 期 · 改过\"\n---\n\n编辑改过。\n",
    )
    .unwrap();
    std::fs::write(
        src.join("posts/2025-03-28-week4.md"),
        garden_issue(4, "2025-03-28", Some("收获"), 1),
    )
    .unwrap();
    let out = run(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("added 1 issue") && stderr(&out).contains("kept as they are (#1)"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read_to_string(&edited)
            .unwrap()
            .contains("编辑改过")
    );
    assert!(ws.join("issues/0004/zh.md").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_file_that_cannot_be_placed_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("garden");
    garden_archive(&src);
    // An issue file with no number in its header and a name the pattern reads no number from.
    std::fs::write(
        src.join("posts/2025-04-04-weekX.md"),
        "---\ntitle: 园圃周记\npublished: 2025-04-04\nkind: issue\n---\n\n## 内容\n",
    )
    .unwrap();
    let format = tmp.path().join("garden.toml");
    // Files named `posts/*.md` are issues: this one too.
    std::fs::write(
        &format,
        GARDEN_TOML.replace(
            "files = [\"posts/{date}-week{number}.md\"]",
            "files = [\"posts/{date}-week{number}.md\", \"posts/*.md\"]",
        ),
    )
    .unwrap();
    let ws = tmp.path().join("ws");
    let out = weekly(&[
        "import",
        src.to_str().unwrap(),
        "--into",
        ws.to_str().unwrap(),
        "--format",
        format.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2025-04-04-weekX.md") && stderr(&out).contains("no issue number"),
        "{}",
        stderr(&out)
    );
    assert!(!ws.exists());
    // Nothing imported is an error too.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = weekly(&[
        "import",
        empty.to_str().unwrap(),
        "--into",
        ws.to_str().unwrap(),
        "--format",
        "ruanyf-weekly",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nothing imported")
            && stderr(&out).contains("docs/issue-{number}.md"),
        "{}",
        stderr(&out)
    );
    assert!(!ws.exists());
}

#[test]
fn dates_from_the_git_history_of_the_archive() {
    let git = |dir: &Path, args: &[&str], date: &str| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output();
        match out {
            Ok(o) => {
                assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
                true
            }
            Err(_) => false,
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("weekly");
    std::fs::create_dir_all(src.join("docs")).unwrap();
    if !git(&src, &["init", "-q"], "2024-01-01T00:00:00Z") {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true and git is missing"
        );
        skip("needs git");
        return;
    }
    let issue = |n: u32, theme: &str| {
        format!(
            "# 科技爱好者周刊（第 {n} 期）：{theme}\n\n## 工具\n\n1、[甲](https://a.example.org/{n})\n\n介绍。\n"
        )
    };
    std::fs::write(src.join("docs/issue-1.md"), issue(1, "开始")).unwrap();
    git(&src, &["add", "."], "2024-03-01T10:00:00Z");
    git(&src, &["commit", "-qm", "one"], "2024-03-01T10:00:00Z");
    std::fs::write(src.join("docs/issue-2.md"), issue(2, "继续")).unwrap();
    // Edited later: the date is the day it was added.
    std::fs::write(src.join("docs/issue-1.md"), issue(1, "开始了")).unwrap();
    git(&src, &["add", "."], "2024-03-08T10:00:00Z");
    git(&src, &["commit", "-qm", "two"], "2024-03-08T10:00:00Z");
    std::fs::write(src.join("docs/issue-1.md"), issue(1, "开始")).unwrap();
    git(&src, &["commit", "-qam", "three"], "2024-05-01T10:00:00Z");
    let ws = tmp.path().join("ws");
    let out = weekly(&[
        "import",
        src.to_str().unwrap(),
        "--into",
        ws.to_str().unwrap(),
        "--format",
        "ruanyf-weekly",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    for (n, date) in [(1, "2024-03-01"), (2, "2024-03-08")] {
        let toml = std::fs::read_to_string(ws.join(format!("issues/{n:04}/issue.toml"))).unwrap();
        assert_eq!(toml, format!("number = {n}\ndate = \"{date}\"\n"));
    }
    // The source is a git repository still, untouched.
    assert!(src.join(".git").is_dir());
    assert!(!ws.join("issues/.git").exists());
}

#[test]
fn the_older_python_weekly_form_is_the_python_weekly_format() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("docs/en")).unwrap();
    std::fs::write(
        src.join("docs/2024-01-06-weekly.md"),
        "# Demo#1：开始\n\n## 🦄文章&教程\n\n1、[一](https://a.org/1)\n\n正文。\n",
    )
    .unwrap();
    std::fs::write(
        src.join("docs/en/2024-01-06-weekly.md"),
        "# Demo #1 (2024-01-06)\n\n## Articles & Tutorials\n\n1. [One](https://a.org/1)\n",
    )
    .unwrap();
    std::fs::write(
        src.join("README.md"),
        "- Issue 1: [A Start](./docs/en/2024-01-06-weekly.md)\n",
    )
    .unwrap();
    let older = tmp.path().join("older");
    let newer = tmp.path().join("newer");
    let out = weekly(&[
        "import",
        "python-weekly",
        src.to_str().unwrap(),
        "--into",
        older.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = weekly(&[
        "import",
        src.to_str().unwrap(),
        "--into",
        newer.to_str().unwrap(),
        "--format",
        "python-weekly",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let strip = |t: BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)>| {
        t.into_iter()
            .map(|(p, (b, _))| (p, b))
            .collect::<BTreeMap<_, _>>()
    };
    assert_eq!(strip(tree(&older)), strip(tree(&newer)));
    // The English title has only the date: the README's English theme is kept for it.
    assert_eq!(
        std::fs::read_to_string(newer.join("issues/0001/issue.toml")).unwrap(),
        "number = 1\ndate = \"2024-01-06\"\ntitles = { en = \"A Start\" }\n"
    );
}
