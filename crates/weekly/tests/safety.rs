//! Hostile workspaces and inputs: links that lead out of the workspace, output manifests that
//! name files outside the output, unreadable manifests, concurrent runs.

use crate::common;

use common::{demo_copy, stderr, stdout};
use std::path::Path;
use std::process::{Command, Output};

/// A secret that must never reach an output.
const SECRET: &str = "sk-planted-secret-4242";

/// Runs `weekly` with a secret API key in its environment.
fn weekly_with_secret(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weekly"))
        .args(args)
        .env_remove("WEEKLY_WORKSPACE")
        .env("WEEKLY_LLM_API_KEY", SECRET)
        .output()
        .expect("run weekly")
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                let bytes = std::fs::read(entry.path()).unwrap();
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push(entry.path().display().to_string());
                }
            }
        }
    }
    found
}

#[test]
fn links_out_of_the_workspace_are_not_published() {
    let ws = demo_copy("safety-links");
    let outside = ws.with_file_name("safety-links-outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("private.md"),
        format!("# 私密\n\nkey {SECRET}\n"),
    )
    .unwrap();
    std::fs::create_dir_all(ws.join("static/inner")).unwrap();
    std::fs::write(ws.join("static/inner/ok.txt"), "fine").unwrap();
    let link = |target: &Path, at: &Path| std::os::unix::fs::symlink(target, at).unwrap();
    link(Path::new("/proc/self/environ"), &ws.join("static/env.txt"));
    link(&outside, &ws.join("static/away"));
    // A link that stays inside the workspace is followed.
    link(
        &ws.join("static/inner/ok.txt"),
        &ws.join("static/alias.txt"),
    );
    // An edition and a text override that are links to a file outside.
    std::fs::remove_file(ws.join("issues/0003/en.md")).unwrap();
    link(&outside.join("private.md"), &ws.join("issues/0003/en.md"));
    std::fs::create_dir_all(ws.join("templates/texts/zh")).unwrap();
    link(
        &outside.join("private.md"),
        &ws.join("templates/texts/zh/subscribe.md"),
    );

    let out = ws.join("public");
    let args = [
        "build",
        "--workspace",
        ws.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    // The links out of the workspace are errors that stop the build…
    let o = weekly_with_secret(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("error[outside-link]"), "{}", stdout(&o));
    // …and even a preview built despite them publishes nothing they point at.
    let o = weekly_with_secret(&[&args[..], &["--allow-errors"]].concat());
    let err = stderr(&o);
    assert!(out.join("index.html").is_file(), "{err}");
    assert!(
        files_containing(&out, SECRET).is_empty(),
        "the secret reached the site: {:?}",
        files_containing(&out, SECRET)
    );
    assert!(!out.join("env.txt").exists() && !out.join("away").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("alias.txt")).unwrap(),
        "fine"
    );
    assert!(
        err.contains("`static/env.txt` is a link that leads outside the workspace; skipped")
            && err.contains("`static/away`"),
        "{err}"
    );
    assert!(!err.contains(SECRET) && !stdout(&o).contains(SECRET));

    let o = weekly_with_secret(&["check", "--workspace", ws.to_str().unwrap()]);
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        text.contains("issues/0003/en.md") && text.contains("outside-link"),
        "{text}"
    );
    assert!(text.contains("templates/texts/zh/subscribe.md"), "{text}");
    assert!(!text.contains(SECRET));
}

#[test]
fn import_skips_links_that_leave_the_source() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("safety-import");
    let _ = std::fs::remove_dir_all(&root);
    let src = root.join("src");
    std::fs::create_dir_all(src.join("docs")).unwrap();
    std::fs::write(
        src.join("docs/2024-01-06-weekly.md"),
        "# Python 潮流周刊#1：开始\n\n## 🦄文章&教程\n\n1、[一](https://a.org/1)\n\n正文。\n",
    )
    .unwrap();
    std::fs::write(root.join("secret.md"), format!("# 周刊#2：x\n\n{SECRET}\n")).unwrap();
    std::os::unix::fs::symlink(
        root.join("secret.md"),
        src.join("docs/2024-01-13-weekly.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", src.join("README.md")).unwrap();
    let into = root.join("ws");
    let o = weekly_with_secret(&[
        "import",
        "python-weekly",
        src.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ]);
    let err = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("2024-01-13-weekly.md") && err.contains("a link that leads outside"),
        "{err}"
    );
    assert!(into.join("issues/0001/zh.md").is_file());
    assert!(
        files_containing(&into, SECRET).is_empty(),
        "{:?}",
        files_containing(&into, SECRET)
    );
    assert!(!err.contains(SECRET));
}

#[test]
fn out_dot_in_an_empty_folder_and_two_builds_at_once() {
    let ws = demo_copy("safety-out-dot");
    let here = ws.with_file_name("safety-out-dot-public");
    let _ = std::fs::remove_dir_all(&here);
    std::fs::create_dir_all(&here).unwrap();
    let build = || {
        Command::new(env!("CARGO_BIN_EXE_weekly"))
            .args(["build", "--workspace", ws.to_str().unwrap(), "--out", "."])
            .current_dir(&here)
            .env_remove("WEEKLY_WORKSPACE")
            .output()
            .unwrap()
    };
    let o = build();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(here.join("zh/7/index.html").is_file());
    // Two builds of the same folder at once: the second waits for the first, both succeed.
    std::fs::write(here.join("CNAME"), "weekly.example.org").unwrap();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(build);
        let b = s.spawn(build);
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a.status.success(), "{}", stderr(&a));
    assert!(b.status.success(), "{}", stderr(&b));
    assert!(here.join("zh/7/index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(here.join("CNAME")).unwrap(),
        "weekly.example.org"
    );
    let beside: Vec<String> = std::fs::read_dir(here.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".safety-out-dot-public.building-")
                || n.starts_with(".safety-out-dot-public.old-")
        })
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

#[test]
fn a_folder_name_with_a_newline_stays_on_one_check_line() {
    let ws = demo_copy("safety-newline");
    let dir = ws.join("issues/0099\nerror: forged");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("zh.md"), "# 标题\n").unwrap();
    let o = common::weekly(&["check", "--workspace", ws.to_str().unwrap()]);
    let text = stdout(&o);
    assert!(text.contains("0099\\nerror: forged"), "{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("error: forged")),
        "{text}"
    );
}

#[test]
fn no_word_of_a_paid_body_reaches_the_public_site() {
    let ws = demo_copy("safety-paid-words");
    // Every demo issue is paid in the public site (free_after = 50). Words that occur only in a
    // paid body, often enough to lead the season's word cloud.
    let path = ws.join("issues/0007/zh.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let secret = " 秘藏词汇 zxqvparrot".repeat(30);
    let text = text.replacen(
        "应用则把精力放在错误上下文与用户提示上。",
        &format!("应用则把精力放在错误上下文与用户提示上。{secret}"),
        1,
    );
    std::fs::write(&path, text).unwrap();
    let public = ws.join("public");
    let full = ws.join("full");
    for (out, extra) in [(&public, None), (&full, Some("--full"))] {
        let mut args = vec![
            "build",
            "--workspace",
            ws.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let o = common::weekly(&args);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for word in ["zxqv", "秘藏"] {
        assert!(
            files_containing(&public, word).is_empty(),
            "{word} in {:?}",
            files_containing(&public, word)
        );
        // The subscribers' site has them, in the season's cloud among other places.
        let seen = files_containing(&full, word);
        assert!(seen.iter().any(|f| f.contains("seasons")), "{seen:?}");
    }
}
