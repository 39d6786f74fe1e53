//! `weekly build` end to end: the example workspace (public, full, a paid
//! issue becoming free, hostile content, template overrides and their errors), the whole
//! imported corpus (link check, feeds in feedparser, search), and the browser test.

use crate::common;

use common::{
    browser_available, copy_dir, corpus, demo_copy, node, read, repo_root, stderr, weekly,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn build(ws: &Path, extra: &[&str]) -> PathBuf {
    let out = ws.join(if extra.contains(&"--full") {
        "site-full"
    } else {
        "site"
    });
    let mut args = vec![
        "build",
        "--workspace",
        ws.to_str().unwrap(),
        "--check-links",
    ];
    args.extend(extra);
    let o = weekly(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("every internal link and fragment resolves"));
    out
}

fn set_free_after(ws: &Path, n: u32) {
    let config = ws.join("weekly.toml");
    let text = read(&config).replace("free_after = 50", &format!("free_after = {n}"));
    std::fs::write(config, text).unwrap();
}

#[test]
fn builds_every_page_kind_with_meta_feeds_and_no_external_requests() {
    let ws = demo_copy("pages");
    let out = build(&ws, &["--full"]);
    for file in [
        "index.html",
        "en/index.html",
        "zh/1/index.html",
        "en/7/index.html",
        "zh/archive/index.html",
        "zh/seasons/1/index.html",
        "zh/sections/projects/index.html",
        "zh/stats/index.html",
        "zh/search/index.html",
        "zh/search/index/meta.json",
        "zh/feed.xml",
        "en/atom.xml",
        "en/feed.json",
        "404.html",
        "en/404.html",
        "sitemap.xml",
        "robots.txt",
        "assets/site.css",
        "assets/search.js",
        "assets/icon.svg",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let issue = read(&out.join("zh/5/index.html"));
    assert!(issue.starts_with("<!doctype html>\n<html lang=\"zh\">"));
    assert!(issue.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://weekly.example.org/en/5/\">"
    ));
    assert!(issue.contains("<meta property=\"og:title\" content=\"Rust 星期刊#5：浏览器内外的 WebAssembly · Rust 星期刊\">"));
    // The issue's card, drawn beside it (when the machine has a font for Han characters).
    assert!(issue.contains(
        "<meta property=\"og:image\" content=\"https://weekly.example.org/zh/5/og.png\">"
    ));
    assert!(issue.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    // Pages without a card keep the small one.
    let archive = read(&out.join("zh/archive/index.html"));
    assert!(archive.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    assert!(!archive.contains("og:image"));
    assert!(issue.contains(
        "<a class=\"lang-switch\" hreflang=\"en\" lang=\"en\" href=\"/en/5/\">English</a>"
    ));
    assert!(issue.contains("id=\"articles-1\""));
    // Nothing of ours is fetched from elsewhere: scripts, styles and fonts are the site's.
    // (Images inside entries load from where the editor put them.)
    for entry in walk(&out) {
        if entry.extension().is_some_and(|e| e == "html" || e == "css") {
            let text = read(&entry);
            assert!(!text.contains("<script src=\"http"), "{}", entry.display());
            assert!(
                !text.contains("rel=\"stylesheet\" href=\"http"),
                "{}",
                entry.display()
            );
            assert!(!text.contains("@import"), "{}", entry.display());
            assert!(!text.contains("url(http"), "{}", entry.display());
            assert!(!text.contains("@font-face"), "{}", entry.display());
        }
    }
    // The dashboard: stacked bars, a pie and a word cloud of `<text>` words, inline.
    let stats = read(&out.join("zh/stats/index.html"));
    assert!(stats.contains("<svg class=\"chart bars\""));
    assert!(stats.contains("<svg class=\"chart pie\""));
    assert!(stats.contains("<svg class=\"cloud\""));
    assert!(stats.contains("text-anchor=\"middle\" dominant-baseline=\"central\""));
    assert!(!stats.contains("<script"));
    // Its axes in the page's language, and the running season (7 of 30 issues) marked.
    let en_stats = read(&out.join("en/stats/index.html"));
    for (page, axis, season) in [(&stats, "条目", "第1季"), (&en_stats, "entries", "S1")] {
        assert!(
            page.contains(&format!("class=\"axis\">{axis}</text>")),
            "{page}"
        );
        assert!(page.contains(&format!(">{season}</text>")), "{page}");
        assert!(page.contains("<a href=\"") && page.contains("class=\"unfinished\""));
    }
    assert!(stats.contains("第 1 季尚未结束：已出 7 期，共 30 期。"));
    assert!(en_stats.contains("Season 1 is still running: 7 of its 30 issues so far."));
    let robots = read(&out.join("robots.txt"));
    assert!(robots.contains("Sitemap: https://weekly.example.org/sitemap.xml"));
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(
        sitemap
            .contains("<loc>https://weekly.example.org/en/7/</loc><lastmod>2026-10-17</lastmod>")
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn paid_issues_are_teasers_until_they_cross_the_line() {
    let ws = demo_copy("disclosure");
    set_free_after(&ws, 2);
    // Latest is 7: issues 1–5 are free, 6 and 7 are teasers.
    let out = build(&ws, &[]);
    let body = "冷启动时间低于一毫秒"; // a sentence of issue 5's body
    assert!(read(&out.join("zh/5/index.html")).contains(body));
    let six = read(&out.join("zh/6/index.html"));
    assert!(
        six.contains("class=\"notice\""),
        "issue 6 should be a teaser"
    );
    assert!(six.contains("本期将在第 8 期发布后免费开放全文。"));
    let six_full = read(&ws.join("issues/0006/zh.md"));
    // A plain paragraph of an entry body (no Markdown that would render differently).
    let six_body = six_full
        .split("\n\n")
        .skip_while(|p| !p.starts_with("1、"))
        .find(|p| {
            p.chars().count() > 30 && !p.contains(['`', '*', '[', ']', '<', '>', '#', '_', '\n'])
        })
        .unwrap();
    assert!(!six.contains(six_body), "a paid body reached the page");
    for feed in ["zh/feed.xml", "zh/atom.xml", "zh/feed.json"] {
        assert!(
            !read(&out.join(feed)).contains(six_body),
            "{feed} leaks issue 6"
        );
    }
    let index = walk(&out.join("zh/search/index"))
        .iter()
        .map(|p| read(p))
        .collect::<String>();
    assert!(!index.contains(six_body), "the search index leaks issue 6");
    // The subscribers' site has it in full.
    let full = build(&ws, &["--full"]);
    assert!(read(&full.join("zh/6/index.html")).contains(six_body));
    // Issue 8 comes out: issue 6 is free in the next public build.
    let eight = ws.join("issues/0008");
    copy_dir(&ws.join("issues/0007"), &eight);
    std::fs::remove_file(eight.join("draft.md")).ok();
    std::fs::write(
        eight.join("issue.toml"),
        "number = 8\ndate = \"2026-10-24\"\n",
    )
    .unwrap();
    for lang in ["zh", "en"] {
        let path = eight.join(format!("{lang}.md"));
        std::fs::write(&path, read(&path).replace("#7", "#8")).unwrap();
    }
    let out = build(&ws, &[]);
    assert!(read(&out.join("zh/6/index.html")).contains(six_body));
    assert!(read(&out.join("zh/8/index.html")).contains("class=\"notice\""));
}

/// `(written, unchanged, removed)` of the summary line of `weekly build`.
fn changes(stderr: &str) -> (usize, usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.contains(" written, "))
        .expect(stderr);
    let number = |word: &str| -> usize {
        let before = &line[..line.find(&format!(" {word}")).expect(word)];
        before.rsplit([' ', ':']).next().unwrap().parse().unwrap()
    };
    (number("written"), number("unchanged"), number("removed"))
}

#[test]
fn a_rebuild_writes_only_what_changed_and_removes_what_is_gone() {
    let ws = demo_copy("rebuild");
    let run = || {
        let o = weekly(&["build", "--workspace", ws.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        changes(&stderr(&o))
    };
    let (written, unchanged, _) = run();
    assert!(written > 50 && unchanged == 0, "{written} {unchanged}");
    let out = ws.join("site");
    let first = out.join("zh/1/index.html");
    let stamp = std::fs::metadata(&first).unwrap().modified().unwrap();
    // The same workspace gives the same bytes: nothing is written again.
    assert_eq!(run(), (0, written, 0));
    // One issue's title changes: its page and the pages that list it, not the others.
    let seven = ws.join("issues/0007/zh.md");
    let text = read(&seven);
    let edited = text.replace("错误处理再思考", "重建测试的新标题");
    assert_ne!(text, edited);
    std::fs::write(&seven, edited).unwrap();
    let (changed, kept, removed) = run();
    assert!(
        changed > 0 && changed < written / 2,
        "{changed} of {written}"
    );
    assert_eq!((changed + kept, removed), (written, 0));
    assert!(read(&out.join("zh/7/index.html")).contains("重建测试的新标题"));
    assert_eq!(
        std::fs::metadata(&first).unwrap().modified().unwrap(),
        stamp
    );
    // An issue removed from the workspace leaves the site.
    std::fs::remove_dir_all(ws.join("issues/0007")).unwrap();
    let (_, _, removed) = run();
    assert!(removed >= 2, "{removed}");
    assert!(!out.join("zh/7").exists() && !out.join("en/7").exists());
    assert!(std::fs::read_dir(&ws).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".building-")
    }));
}

#[test]
fn static_files_are_copied_and_may_replace_a_file_the_site_makes() {
    let ws = demo_copy("static");
    let files = ws.join("static");
    std::fs::create_dir_all(files.join("images")).unwrap();
    std::fs::create_dir_all(files.join(".well-known")).unwrap();
    std::fs::create_dir_all(files.join(".git")).unwrap();
    let png: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0, 0xff, 0xfe, 13, 10];
    std::fs::write(files.join("images/logo.png"), &png).unwrap();
    std::fs::write(
        files.join("robots.txt"),
        "User-agent: *\nDisallow: /zh/search/\n",
    )
    .unwrap();
    std::fs::write(files.join("CNAME"), "weekly.example.org\n").unwrap();
    std::fs::write(files.join(".well-known/security.txt"), "Contact: x\n").unwrap();
    std::fs::write(files.join(".DS_Store"), "junk").unwrap();
    std::fs::write(files.join(".git/HEAD"), "junk").unwrap();
    let run = || {
        let o = weekly(&[
            "build",
            "--workspace",
            ws.to_str().unwrap(),
            "--check-links",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        stderr(&o)
    };
    let said = run();
    assert!(said.contains(" and 4 from `static/`"), "{said}");
    assert!(
        said.contains("note: `static/robots.txt` replaces the file the site makes there"),
        "{said}"
    );
    let out = ws.join("site");
    assert_eq!(std::fs::read(out.join("images/logo.png")).unwrap(), png);
    assert_eq!(read(&out.join("CNAME")), "weekly.example.org\n");
    assert_eq!(
        read(&out.join("robots.txt")),
        "User-agent: *\nDisallow: /zh/search/\n"
    );
    assert!(out.join(".well-known/security.txt").is_file());
    assert!(!out.join(".DS_Store").exists() && !out.join(".git").exists());
    // Nothing changed, nothing written; a static file removed leaves the site, and the site's
    // own robots.txt comes back.
    assert_eq!(changes(&run()).0, 0);
    std::fs::remove_file(files.join("images/logo.png")).unwrap();
    std::fs::remove_file(files.join("robots.txt")).unwrap();
    let (written, _, removed) = changes(&run());
    assert_eq!((written, removed), (1, 1));
    assert!(!out.join("images").exists());
    assert!(read(&out.join("robots.txt")).contains("Sitemap: https://weekly.example.org/"));
    // A static file where the site has a folder stops the build, which changes nothing.
    std::fs::write(files.join("zh"), "x").unwrap();
    let o = weekly(&["build", "--workspace", ws.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("`static/zh` is a file, but the site has a folder there"),
        "{}",
        stderr(&o)
    );
    assert!(out.join("zh/1/index.html").is_file() && out.join("CNAME").is_file());
}

#[test]
fn content_cannot_inject_script_into_pages_or_feeds() {
    let ws = demo_copy("xss");
    let path = ws.join("issues/0003/zh.md");
    let text = read(&path).replacen(
        "\n\n2、",
        "\n\n<script>alert('x')</script> <img src=\"https://img.example.org/a.png\" onerror=alert(1)>\n\n[点我](javascript:alert(2)) <a href=\"javascript:alert(3)\">再点</a>\n\n2、",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let out = build(&ws, &["--full"]);
    for file in [
        "zh/3/index.html",
        "zh/feed.xml",
        "zh/atom.xml",
        "zh/feed.json",
    ] {
        let page = read(&out.join(file)).to_lowercase();
        assert!(!page.contains("alert('x')</script>"), "{file}");
        assert!(!page.contains("onerror"), "{file}");
        assert!(!page.contains("href=\"javascript:"), "{file}");
        assert!(!page.contains("href=&quot;javascript:"), "{file}");
    }
    assert!(read(&out.join("zh/3/index.html")).contains("点我"));
}

#[test]
fn workspace_templates_replace_built_ins_and_errors_name_file_and_line() {
    let ws = demo_copy("templates");
    std::fs::create_dir_all(ws.join("templates")).unwrap();
    std::fs::write(
        ws.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p class=\"mine\">{{ site.labels.not_found }}</p>{% endblock %}",
    )
    .unwrap();
    std::fs::write(ws.join("templates/stopwords.txt"), "rust\n").unwrap();
    let out = build(&ws, &["--full"]);
    assert!(read(&out.join("404.html")).contains("<p class=\"mine\">页面不存在。</p>"));
    assert!(!read(&out.join("zh/stats/index.html")).contains(">Rust</text>"));
    // A syntax error: the file and line are named, and the last good site stays.
    std::fs::write(
        ws.join("templates/issue.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{% for x in issue.sections %}\n{% endblock %}\n",
    )
    .unwrap();
    let o = weekly(&["build", "--workspace", ws.to_str().unwrap(), "--full"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("templates/issue.html:4: syntax error"),
        "{err}"
    );
    assert!(
        out.join("zh/1/index.html").is_file(),
        "the previous build was lost"
    );
}

#[test]
fn refuses_to_replace_a_directory_it_did_not_write() {
    let ws = demo_copy("refuse");
    let out = ws.join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "keep me").unwrap();
    let o = weekly(&[
        "build",
        "--workspace",
        ws.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("was not written by `weekly build`"));
    assert_eq!(read(&out.join("notes.txt")), "keep me");
}

#[test]
fn snapshots_of_the_page_templates() {
    let ws = demo_copy("snapshots");
    let out = build(&ws, &["--full"]);
    let public = build(&ws, &[]);
    for (name, file) in [
        ("home", out.join("index.html")),
        ("issue_full", out.join("zh/5/index.html")),
        ("issue_teaser", public.join("zh/5/index.html")),
        ("issue_en", out.join("en/5/index.html")),
        ("archive", out.join("zh/archive/index.html")),
        ("season", out.join("zh/seasons/1/index.html")),
        ("section", out.join("en/sections/projects/index.html")),
        ("search", out.join("zh/search/index.html")),
        ("not_found", out.join("404.html")),
    ] {
        insta::assert_snapshot!(format!("site_{name}"), read(&file));
    }
    // Lists of issues show each issue's own number, never a list number beside it (a
    // reversed list once showed #159 as "9."); dates and pills do not break inside; Japanese
    // pages name Japanese fonts first.
    for page in [
        "index.html",
        "zh/archive/index.html",
        "zh/seasons/1/index.html",
    ] {
        let html = read(&out.join(page));
        assert!(!html.contains("<ol class=\"issue-list\""), "{page}");
        assert!(html.contains("<ul class=\"issue-list\">"), "{page}");
    }
    let css = read(&out.join("assets/site.css"));
    assert!(css.contains(".issue-list { list-style: none;"));
    assert!(css.contains("time { white-space: nowrap; }"));
    let ja_rule = css
        .find("html:lang(ja) body")
        .expect("a rule for Japanese pages");
    let jp = css[ja_rule..].find("Noto Sans CJK JP").unwrap();
    assert!(
        !css[ja_rule..ja_rule + jp].contains(" SC\""),
        "JP fonts before any SC font"
    );
}

/// The corpus imported and built once (public site), or `None` without the corpus.
/// The paid offer of the corpus site (`[site] paid_url`).
const SUBSCRIBE_URL: &str = "https://example.org/subscribe";

fn corpus_site() -> Option<&'static (PathBuf, PathBuf)> {
    static SITE: OnceLock<Option<(PathBuf, PathBuf)>> = OnceLock::new();
    SITE.get_or_init(|| {
        let src = corpus()?;
        let ws = Path::new(env!("CARGO_TARGET_TMPDIR")).join("site-corpus");
        let _ = std::fs::remove_dir_all(&ws);
        let o = weekly(&[
            "import",
            "python-weekly",
            src.to_str().unwrap(),
            "--into",
            ws.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        // Where the pages' call to subscribe leads (`reader.mjs` follows it).
        let config = ws.join("weekly.toml");
        let text = read(&config).replacen(
            "paid_url = \"\"",
            &format!("paid_url = \"{SUBSCRIBE_URL}\""),
            1,
        );
        std::fs::write(&config, text).unwrap();
        let out = build(&ws, &[]);
        Some((ws, out))
    })
    .as_ref()
}

#[test]
fn the_whole_corpus_builds_with_no_broken_link_and_valid_feeds() {
    let Some((_, out)) = corpus_site() else {
        return;
    };
    // 157 issues in zh, en and ja; the newest 50 are teasers in the public site.
    let zh_pages = std::fs::read_dir(out.join("zh"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .parse::<u32>()
                .is_ok()
        })
        .count();
    assert!(zh_pages >= 140, "{zh_pages} zh issue pages");
    let latest = read(&out.join("zh/157/index.html"));
    assert!(latest.contains("class=\"notice\""));
    // Long section lists are paged (the link check above covers the pager's links).
    let second = read(&out.join("zh/sections/articles/2/index.html"));
    assert!(second.contains("rel=\"prev\" href=\"/zh/sections/articles/\""));
    assert!(second.contains("<ol class=\"featured\" start=\"501\">"));
    assert!(!read(&out.join("zh/100/index.html")).contains("class=\"notice\""));
    // An English section page lists no entry whose title was left in Chinese (a stray
    // character of the source, as in #157's "读 Python behind the scenes", is not a title).
    for page in [
        "en/sections/projects/index.html",
        "en/sections/articles/index.html",
    ] {
        let html = read(&out.join(page));
        let list = &html[html.find("<ol class=\"featured\"").expect(page)..];
        let list = &list[..list.find("</ol>").unwrap()];
        for item in list.split("<li>").skip(1) {
            let han = item
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count();
            assert!(han < 2, "{page}: {item}");
        }
    }
    // Each language's season pages show a cloud of its own words; a language with no full
    // texts in the season (ja has none after issue 55) shows the primary language's.
    let cloud = |lang: &str, season: u32| {
        cloud_words(&out.join(format!("{lang}/seasons/{season}/index.html")))
    };
    let han = |words: &[String]| {
        words
            .iter()
            .filter(|w| w.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
            .count()
    };
    let (zh, en, ja) = (cloud("zh", 3), cloud("en", 3), cloud("ja", 3));
    assert!(zh.len() >= 30 && en.len() >= 30, "{zh:?} {en:?}");
    assert!(han(&zh) > zh.len() / 2, "{zh:?}");
    assert_eq!(han(&en), 0, "{en:?}");
    assert!(
        !en.iter()
            .any(|w| ["the", "article", "author", "supports"].contains(&w.to_lowercase().as_str())),
        "{en:?}"
    );
    assert_eq!(ja, zh);
    if Command::new("python3")
        .args(["-c", "import feedparser"])
        .status()
        .is_ok_and(|s| s.success())
    {
        let o = Command::new("python3")
            .arg(repo_root().join("crates/weekly/tests/support/validate_feeds.py"))
            .arg(out)
            .args(["zh", "en", "ja"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(text.matches("ok: ").count(), 9, "{text}");
    } else {
        eprintln!(
            "skipped feed validation: python3 with feedparser not found (pip install feedparser)"
        );
    }
}

/// The words of the word cloud of a season page, in the order drawn.
fn cloud_words(page: &Path) -> Vec<String> {
    let html = read(page);
    let Some(start) = html.find("<svg class=\"cloud\"") else {
        return Vec::new();
    };
    let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let after = &t[t.find('>')? + 1..];
            Some(after[..after.find("</text>")?].to_owned())
        })
        .collect()
}

#[test]
fn browser_opens_an_issue_switches_language_and_finds_a_chinese_word() {
    if !browser_available() {
        return;
    }
    let Some((_, out)) = corpus_site() else {
        return;
    };
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-shots");
    std::fs::create_dir_all(&shots).unwrap();
    let args = [
        out.as_os_str(),
        shots.as_os_str(),
        "装饰器".as_ref(),
        "120".as_ref(),
    ];
    node("site.mjs", &args);
    assert!(shots.join("entry.png").is_file());
}

/// What readers meet, in Chromium at 390 px and 1280 px, light and dark (`tests/browser/
/// reader.mjs`): search in pages, charts whose texts never overlap and whose legends are whole,
/// every language in itself, the subscribe call, the free issues, long pages made easy, code
/// coloured.
#[test]
fn browser_reads_the_corpus_site_at_phone_and_desktop_widths() {
    if !browser_available() {
        return;
    }
    let Some((_, out)) = corpus_site() else {
        return;
    };
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reader-shots");
    std::fs::create_dir_all(&shots).unwrap();
    // A Chinese issue with a code block (the corpus has Python in a few).
    let code_page = (1..200)
        .map(|n| format!("/zh/{n}/"))
        .find(|p| {
            std::fs::read_to_string(out.join(format!("{}index.html", &p[1..])))
                .is_ok_and(|html| html.contains("<pre><code class=\"language-python\">"))
        })
        .expect("an issue with Python code");
    let text = node(
        "reader.mjs",
        &[
            out.as_os_str(),
            shots.as_os_str(),
            SUBSCRIBE_URL.as_ref(),
            code_page.as_ref(),
        ],
    );
    assert_eq!(text.matches("ok: ").count(), 24, "{text}");
    assert!(shots.join("stats-390-dark.png").is_file());
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    (bytes.len() > 24 && &bytes[..8] == b"\x89PNG\r\n\x1a\n").then(|| {
        (
            u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
            u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
        )
    })
}

#[test]
fn every_issue_page_names_its_open_graph_card_and_the_card_is_drawn() {
    let Some((ws, out)) = corpus_site() else {
        return;
    };
    let cache = ws.join(".weekly-cache/og");
    if !cache.is_dir() {
        // No font for Han characters on this machine: the build warned, nothing was drawn.
        assert!(
            std::env::var_os("WEEKLY_REQUIRE_BROWSER").is_none(),
            "CI installs fonts-noto-cjk: the cards must be drawn"
        );
        common::skip("no font for Han characters (fonts-noto-cjk)");
        return;
    }
    let mut checked = 0;
    let mut distinct = std::collections::HashSet::new();
    for lang in ["zh", "en"] {
        for entry in std::fs::read_dir(out.join(lang)).unwrap() {
            let dir = entry.unwrap().path();
            let is_issue = dir
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
            if !is_issue {
                continue;
            }
            let page = read(&dir.join("index.html"));
            let number = dir.file_name().unwrap().to_str().unwrap().to_owned();
            let expected = format!(
                "<meta property=\"og:image\" content=\"https://weekly.example.org/{lang}/{number}/og.png\">"
            );
            assert!(page.contains(&expected), "{}", dir.display());
            assert!(page.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
            let png = std::fs::read(dir.join("og.png")).unwrap();
            assert_eq!(png_size(&png), Some((1200, 630)), "{}", dir.display());
            right_padding_is_clear(&png, &dir);
            distinct.insert(png);
            checked += 1;
        }
    }
    assert!(checked > 250, "{checked} cards");
    // Each card shows its own issue.
    assert_eq!(distinct.len(), checked);
    // Drawn once: the cache holds one file per distinct card, and a rebuild draws none.
    let cached = std::fs::read_dir(&cache).unwrap().count();
    assert!(cached >= checked, "{cached} cached for {checked} cards");
}

/// Nothing of a card is drawn in its right-most 40 px: every pixel there is the background's
/// colour (the top-right corner's).
fn right_padding_is_clear(png: &[u8], dir: &Path) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let at = |x: usize, y: usize| {
        let i = (y * w + x) * channels;
        &pixels[i..i + 3]
    };
    let background = at(w - 1, 0).to_vec();
    for y in 0..h {
        for x in w - 40..w {
            assert_eq!(
                at(x, y),
                &background[..],
                "{}: ink at ({x}, {y})",
                dir.display()
            );
        }
    }
}

/// Two offers, never confused: the call that promises every issue in full leads to the paid
/// offer of its language and is shown only while issues are paid; without one, the call is the
/// free form's, which is labelled and says what free subscribers get.
#[test]
fn the_call_to_subscribe_is_the_offer_it_names() {
    let ws = demo_copy("offers");
    let config = ws.join("weekly.toml");
    let text = read(&config).replace(
        "paid_url = \"https://example.org/subscribe/rust-star\"",
        "paid_url = { zh = \"https://pay.example.org/zh\" }",
    ) + "\n[server]\npublic_url = \"https://weekly.example.org/api\"\n";
    assert!(text.contains("pay.example.org/zh") && text.contains("/api\""));
    std::fs::write(&config, text).unwrap();
    let out = build(&ws, &[]);
    let zh = read(&out.join("index.html"));
    let en = read(&out.join("en/index.html"));
    // Chinese: the paid call leads to the Chinese offer; the form is labelled and links it.
    assert!(
        zh.contains("<a class=\"subscribe-link\" href=\"https://pay.example.org/zh\">订阅后可阅读每期全文</a>"),
        "{zh}"
    );
    assert!(
        zh.contains("<label for=\"subscribe-email\">免费邮件订阅</label>"),
        "{zh}"
    );
    assert!(zh.contains("id=\"subscribe-email\" type=\"email\""), "{zh}");
    assert!(
        zh.contains("免费订阅者每期收到标题摘要。 <a href=\"https://pay.example.org/zh\">"),
        "{zh}"
    );
    // English has no paid offer: nothing promises the full text; the call is the free form's.
    assert!(!en.contains("read every issue in full"), "{en}");
    assert!(
        en.contains("href=\"#subscribe\">Get every issue by e-mail, free</a>"),
        "{en}"
    );
    assert!(en.contains("Free subscribers get each issue"), "{en}");
    // The mail's subscribe line is the language's paid offer, else the site.
    let teaser = |lang: &str| {
        let o = weekly(&[
            "render",
            "7",
            "--edition",
            "teaser",
            "--lang",
            lang,
            "--workspace",
            ws.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    assert!(teaser("zh").contains("订阅后可阅读每期全文：https://pay.example.org/zh"));
    assert!(teaser("en").contains("in full: https://weekly.example.org\n"));

    // A free newsletter: no promise of the full text even with a paid offer, and no note.
    set_free_after(&ws, 0);
    let out = build(&ws, &[]);
    let zh = read(&out.join("index.html"));
    assert!(!zh.contains("订阅后可阅读每期全文"), "{zh}");
    assert!(zh.contains("免费订阅，每期发布时寄到你的邮箱"), "{zh}");
    assert!(!zh.contains("subscribe-note"), "{zh}");
}
