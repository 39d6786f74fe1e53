//! `weekly collect`, `inbox`, `dedup`, `sources`, `announce` and `digest` end to end: the real
//! binary against our local web stand-in (feeds that misbehave, the GitHub API, the Telegram
//! Bot API). No request leaves the machine.

use crate::common;

use chrono::{Duration, Utc};
use common::{copy_dir, repo_root, stderr, stdout};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;
use weekly_fake_web::{FakeWeb, Page, TelegramFault};

const TOKEN: &str = "123456:SECRET-token";

/// A copy of the example workspace with short limits.
fn workspace(web: &FakeWeb) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    copy_dir(&repo_root().join("examples/demo-weekly"), &root);
    let config = std::fs::read_to_string(root.join("weekly.toml")).unwrap();
    let config = config
        .replace("timeout_seconds = 20", "timeout_seconds = 2")
        .replace("max_bytes = 10485760", "max_bytes = 1048576")
        .replace(
            "github_api_url = \"https://api.github.com\"",
            &format!("github_api_url = \"{}\"", web.url()),
        )
        .replace("chat_id = \"\"", "chat_id = \"@demo_channel\"");
    std::fs::write(root.join("weekly.toml"), config).unwrap();
    (dir, root)
}

fn run(root: &Path, web: &FakeWeb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weekly"))
        .arg("--workspace")
        .arg(root)
        .args(args)
        .env_remove("WEEKLY_WORKSPACE")
        .env_remove("WEEKLY_GITHUB_API_URL")
        .env_remove("WEEKLY_GITHUB_TOKEN")
        .env("WEEKLY_TELEGRAM_API_URL", web.url())
        .env("WEEKLY_TELEGRAM_BOT_TOKEN", TOKEN)
        .env_remove("WEEKLY_TELEGRAM_CHAT_ID")
        .output()
        .expect("run weekly")
}

fn rfc822(hours_ago: i64) -> String {
    (Utc::now() - Duration::hours(hours_ago)).to_rfc2822()
}

fn rss(title: &str, items: &[(&str, &str, i64)]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\n"
    );
    for (t, link, hours) in items {
        let t = t
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let _ = writeln!(
            xml,
            "<item><title>{t}</title><link>{link}</link><pubDate>{}</pubDate><description>&lt;p&gt;About {t}.&lt;/p&gt;</description></item>",
            rfc822(*hours)
        );
    }
    xml.push_str("</channel></rss>\n");
    xml
}

/// A link of the example archive: issue 3, articles, entry 1.
const FEATURED: &str = "https://embedded.example.com/posts/8kb-ram";

fn serve_feeds(web: &FakeWeb) {
    web.feed(
        "/blog.xml",
        &rss(
            "Blog",
            &[
                (
                    "Async Rust in depth",
                    "https://deep.example.org/async?utm_source=rss",
                    2,
                ),
                (
                    "A crate for errors",
                    "https://github.com/Example-Org/ErrKit",
                    30,
                ),
                ("Old news", FEATURED, 5),
            ],
        ),
    );
    web.page(
        "/atom.xml",
        Page {
            body: format!(
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>中文源</title><id>x</id><updated>2026-11-20T00:00:00Z</updated>\
<entry><title>深入异步 Rust</title><id>1</id><link href=\"https://www.deep.example.org/async/\"/><updated>{}</updated></entry></feed>",
                (Utc::now() - Duration::hours(1)).to_rfc3339()
            )
            .into_bytes(),
            content_type: "application/atom+xml".into(),
            etag: Some("\"atom-1\"".into()),
            ..Page::default()
        },
    );
    let gbk_text = format!(
        "<?xml version=\"1.0\" encoding=\"GB2312\"?><rss version=\"2.0\"><channel><title>国内周刊</title>\
<item><title>零拷贝解析</title><link>https://cn.example.cn/zero-copy</link><pubDate>{}</pubDate></item></channel></rss>",
        rfc822(3)
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&gbk_text);
    web.page(
        "/gbk.xml",
        Page {
            body: gbk.into_owned(),
            content_type: "application/xml".into(),
            last_modified: Some("Sat, 21 Nov 2026 08:00:00 GMT".into()),
            ..Page::default()
        },
    );
    web.feed(
        "/malformed.xml",
        "<rss><channel><item><title>oops</channel>",
    );
    web.stars("example-org/errkit", 3200);
}

fn sources_toml(web: &FakeWeb) -> String {
    let u = web.url();
    let feed = |name: &str, path: &str, extra: &str| {
        format!("[[source]]\nurl = \"{u}{path}\"\nname = \"{name}\"\n{extra}\n")
    };
    [
        feed("Blog", "/blog.xml", "lang = \"en\""),
        feed("Chinese", "/atom.xml", "lang = \"zh\"\nweight = 2.0"),
        feed("GBK", "/hop/2/gbk.xml", "lang = \"zh\""),
        feed("Malformed", "/malformed.xml", ""),
        feed("Endless", "/endless", ""),
        feed("Slow", "/slow", ""),
        feed("Bomb", "/bomb", ""),
        feed("Loop", "/loop/a", ""),
        feed("Broken", "/status/500", ""),
    ]
    .concat()
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

#[test]
fn collect_reports_every_failure_and_keeps_the_rest() {
    let web = FakeWeb::start(TOKEN).unwrap();
    serve_feeds(&web);
    let (_dir, root) = workspace(&web);
    std::fs::write(root.join("sources.toml"), sources_toml(&web)).unwrap();

    let started = Instant::now();
    let out = run(&root, &web, &["collect"]);
    let elapsed = started.elapsed();
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(elapsed.as_secs() < 15, "took {elapsed:?}");
    assert!(
        line_with(&text, "Malformed").contains("not a feed"),
        "{text}"
    );
    assert!(
        line_with(&text, "Endless").contains("larger than 1048576"),
        "{text}"
    );
    assert!(
        line_with(&text, "Bomb").contains("larger than 1048576"),
        "{text}"
    );
    assert!(line_with(&text, "Slow").contains("timed out"), "{text}");
    assert!(line_with(&text, "Loop").contains("redirect loop"), "{text}");
    assert!(line_with(&text, "Broken").contains("HTTP 500"), "{text}");
    // The Chinese feed's link is the blog's first one, normalised: whichever arrives second
    // finds it known.
    assert!(text.contains("4 new links, 1 already known"), "{text}");
    assert!(line_with(&text, "Blog").contains("fetched"), "{text}");
    assert!(line_with(&text, "GBK").contains("1 new"), "{text}");
    assert!(
        text.contains("9 sources: 3 fetched, 0 unchanged (304), 6 failed, 0 skipped"),
        "{text}"
    );
    assert!(
        text.contains("GitHub stars read for 1 repositories"),
        "{text}"
    );

    // Second run: conditional GETs give 304; the failures are tried again.
    web.clear_requests();
    let out = run(&root, &web, &["collect", "--verbose"]);
    let text = stdout(&out);
    assert!(
        text.contains("9 sources: 0 fetched, 3 unchanged (304), 6 failed, 0 skipped"),
        "{text}"
    );
    let requests = web.requests();
    let blog = requests.iter().find(|r| r.path == "/blog.xml").unwrap();
    assert_eq!(blog.status, 304);
    assert!(blog.if_none_match.is_some());
    let gbk = requests.iter().find(|r| r.path == "/gbk.xml").unwrap();
    assert_eq!(
        gbk.if_modified_since.as_deref(),
        Some("Sat, 21 Nov 2026 08:00:00 GMT")
    );
    assert!(
        line_with(&text, "Loop").contains("2 failures in a row"),
        "{text}"
    );

    // Third run: sources that failed twice wait.
    let out = run(&root, &web, &["collect"]);
    let text = stdout(&out);
    assert!(text.contains("0 failed, 6 skipped (backing off)"), "{text}");
    assert!(
        line_with(&text, "Loop").contains("--ignore-backoff"),
        "{text}"
    );

    // The inbox: the featured link is hidden; the link from two sources and the repository
    // show their score parts.
    let out = run(&root, &web, &["inbox", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert!(rows.iter().all(|r| r["url"] != FEATURED));
    // First: the link two sources gave (its title is whichever source's arrived first).
    assert!(
        rows[0]["url"]
            .as_str()
            .unwrap()
            .contains("deep.example.org/async"),
        "{rows:#?}"
    );
    let parts = |r: &serde_json::Value| {
        r["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[0].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(parts(&rows[0]).contains(&"sources".to_owned()), "{rows:#?}");
    assert!(parts(&rows[0]).contains(&"weight".to_owned()), "{rows:#?}");
    let repo = rows
        .iter()
        .find(|r| r["url"] == "https://github.com/Example-Org/ErrKit")
        .unwrap();
    assert_eq!(repo["stars"], 3200);
    assert!(parts(repo).contains(&"stars".to_owned()));
    let text = stdout(&run(&root, &web, &["inbox", "--explain"]));
    assert!(
        text.contains("1 hidden because they were featured before"),
        "{text}"
    );
    assert!(text.contains("recency +"), "{text}");

    // Accept the repository into issue 7's draft, reject one, snooze one.
    let id = repo["id"].as_i64().unwrap().to_string();
    let out = run(
        &root,
        &web,
        &["inbox", "accept", &id, "--section", "projects"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("项目&资源 6"), "{}", stdout(&out));
    let draft = std::fs::read_to_string(root.join("issues/0007/draft.md")).unwrap();
    assert!(
        draft.contains("6、[A crate for errors](https://github.com/Example-Org/ErrKit)（英文）\n\nAbout A crate for errors.（star 3.2K）\n"),
        "{draft}"
    );
    // The description line follows the new entry, and a new split carries it into zh.md.
    assert!(
        draft.contains("本期分享了 5 篇文章，6 个开源项目，"),
        "{draft}"
    );
    let draft_path = root.join("issues/0007/draft.md");
    let split = run(
        &root,
        &web,
        &["split", draft_path.to_str().unwrap(), "--force"],
    );
    assert!(split.status.success(), "{}", stderr(&split));
    let zh = std::fs::read_to_string(root.join("issues/0007/zh.md")).unwrap();
    assert!(zh.contains("6 个开源项目"), "{zh}");
    let en = std::fs::read_to_string(root.join("issues/0007/en.md")).unwrap();
    assert!(en.contains("6 open-source projects"), "{en}");
    let again = run(
        &root,
        &web,
        &["inbox", "accept", &id, "--section", "projects"],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("accepted already"));
    // Taken back: out of the draft (the description's count with it), back into the inbox,
    // and accepted again.
    let back = run(&root, &web, &["inbox", "unaccept", &id]);
    assert!(back.status.success(), "{}", stderr(&back));
    assert!(stdout(&back).contains("took #"), "{}", stdout(&back));
    let draft = std::fs::read_to_string(root.join("issues/0007/draft.md")).unwrap();
    assert!(
        !draft.contains("ErrKit") && draft.contains("5 个开源项目"),
        "{draft}"
    );
    // The editions split from the draft still hold it (a featured link is hidden from the
    // inbox) until the draft is split again.
    let split = run(
        &root,
        &web,
        &["split", draft_path.to_str().unwrap(), "--force"],
    );
    assert!(split.status.success(), "{}", stderr(&split));
    let listed = stdout(&run(&root, &web, &["inbox", "--json"]));
    assert!(listed.contains("ErrKit"), "{listed}");
    let unaccepted_twice = run(&root, &web, &["inbox", "unaccept", &id]);
    assert!(stderr(&unaccepted_twice).contains("is not accepted"));
    assert!(
        run(
            &root,
            &web,
            &["inbox", "accept", &id, "--section", "projects"]
        )
        .status
        .success()
    );
    // Once issue 7 went out (a campaign or a publish step recorded), its draft is closed:
    // accepting names the way forward, and goes to the next issue once `weekly new` made it.
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = weekly_store::Store::open(&root.join("weekly.db"))
            .await
            .unwrap();
        store
            .record_publish_step(7, "site", "2026-12-01T00:00:00Z", "built")
            .await
            .unwrap();
        store.close().await;
    });
    let other = rows
        .iter()
        .map(|r| r["id"].as_i64().unwrap().to_string())
        .find(|other| *other != id)
        .unwrap();
    let closed = run(
        &root,
        &web,
        &["inbox", "accept", &other, "--section", "articles"],
    );
    assert!(!closed.status.success());
    assert!(
        stderr(&closed).contains("issue #7 went out already")
            && stderr(&closed).contains("weekly new"),
        "{}",
        stderr(&closed)
    );
    assert!(run(&root, &web, &["new"]).status.success());
    let next = run(
        &root,
        &web,
        &["inbox", "accept", &other, "--section", "articles"],
    );
    assert!(next.status.success(), "{}", stderr(&next));
    assert!(
        stdout(&next).contains("issues/0008/draft.md"),
        "{}",
        stdout(&next)
    );
    assert!(
        run(&root, &web, &["inbox", "unaccept", &other])
            .status
            .success()
    );
    let bad = run(&root, &web, &["inbox", "accept", "1", "--section", "nope"]);
    assert!(stderr(&bad).contains("--section nope"), "{}", stderr(&bad));
    let first = rows[0]["id"].as_i64().unwrap().to_string();
    let third = rows[2]["id"].as_i64().unwrap().to_string();
    assert!(
        run(&root, &web, &["inbox", "reject", &first])
            .status
            .success()
    );
    assert!(
        run(&root, &web, &["inbox", "snooze", &third, "--days", "2"])
            .status
            .success()
    );
    let rows: serde_json::Value =
        serde_json::from_slice(&run(&root, &web, &["inbox", "--json"]).stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 0, "{rows:#?}");
}

#[test]
fn dedup_names_the_issue_and_section() {
    let web = FakeWeb::start(TOKEN).unwrap();
    let (_dir, root) = workspace(&web);
    let out = run(
        &root,
        &web,
        &[
            "dedup",
            "http://www.embedded.example.com/posts/8kb-ram/?utm_source=x#top",
            "https://new.example.org/",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("8kb-ram/?utm_source=x#top: featured in #3 (2026-09-19), 文章&教程 1"),
        "{text}"
    );
    assert!(text.contains("https://new.example.org/: new"), "{text}");
    let out = run(&root, &web, &["dedup", "https://new.example.org/"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn sources_import_and_export_opml() {
    let web = FakeWeb::start(TOKEN).unwrap();
    let (dir, root) = workspace(&web);
    std::fs::remove_file(root.join("sources.toml")).ok();
    let opml = dir.path().join("feeds.opml");
    std::fs::write(
        &opml,
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>x</title></head><body>\
<outline text=\"Rust\"><outline type=\"rss\" text=\"A &amp; B\" xmlUrl=\"https://a.example.org/feed\"/>\
<outline type=\"rss\" text=\"C\" xmlUrl=\"https://c.example.org/atom\"/></outline></body></opml>",
    )
    .unwrap();
    let out = run(&root, &web, &["sources", "import", opml.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 sources added"), "{}", stdout(&out));
    let out = run(&root, &web, &["sources", "import", opml.to_str().unwrap()]);
    assert!(stdout(&out).contains("0 sources added"), "{}", stdout(&out));
    let toml = std::fs::read_to_string(root.join("sources.toml")).unwrap();
    assert!(
        toml.contains("name = \"A & B\"") && toml.contains("tags = [\"Rust\"]"),
        "{toml}"
    );
    let out = run(&root, &web, &["sources", "export"]);
    assert!(
        stdout(&out).contains("text=\"A &amp; B\""),
        "{}",
        stdout(&out)
    );
    let list = stdout(&run(&root, &web, &["sources", "list"]));
    assert!(list.contains("never fetched"), "{list}");

    std::fs::write(&opml, "<opml><body><outline></body>").unwrap();
    let out = run(&root, &web, &["sources", "import", opml.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("feeds.opml:1:"), "{}", stderr(&out));
    std::fs::write(root.join("sources.toml"), "[[source]]\nurl = 3\n").unwrap();
    let out = run(&root, &web, &["collect"]);
    assert!(
        stderr(&out).contains("sources.toml:2:7"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn announce_posts_once_and_survives_rate_limits() {
    let web = FakeWeb::start(TOKEN).unwrap();
    let (_dir, root) = workspace(&web);
    std::fs::write(root.join("cover.png"), b"PNG").unwrap();
    let config = std::fs::read_to_string(root.join("weekly.toml")).unwrap();
    std::fs::write(
        root.join("weekly.toml"),
        config.replace("photo = \"\"", "photo = \"cover.png\""),
    )
    .unwrap();

    let dry = run(&root, &web, &["announce", "5", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("would be posted"), "{}", stdout(&dry));
    assert!(web.telegram_calls().is_empty());

    web.telegram_fault(TelegramFault::RetryAfter(1), 1);
    let started = Instant::now();
    let out = run(&root, &web, &["announce", "5"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(started.elapsed().as_millis() >= 1000);
    let posts = web.telegram_posts();
    assert!(!posts.is_empty());
    assert_eq!(posts[0].method, "sendPhoto");
    assert_eq!(posts[0].fields["chat_id"], "@demo_channel");
    assert_eq!(posts[0].fields["photo"], "<file cover.png, 3 bytes>");
    assert!(posts[0].fields["caption"].contains("#5"), "{:?}", posts[0]);
    assert_eq!(web.telegram_calls().len(), posts.len() + 1);
    assert!(!stdout(&out).contains(TOKEN) && !stderr(&out).contains(TOKEN));

    let again = run(&root, &web, &["announce", "5"]);
    assert!(again.status.success());
    assert!(
        stdout(&again).contains("nothing posted"),
        "{}",
        stdout(&again)
    );
    assert_eq!(web.telegram_posts().len(), posts.len());

    // A wrong token: a clear error, the token never shown.
    let out = Command::new(env!("CARGO_BIN_EXE_weekly"))
        .arg("--workspace")
        .arg(&root)
        .args(["announce", "4"])
        .env("WEEKLY_TELEGRAM_API_URL", web.url())
        .env("WEEKLY_TELEGRAM_BOT_TOKEN", "999:WRONG-secret")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Unauthorized"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("WRONG-secret"));
    // Nothing was recorded for issue 4: a later run with the right token posts it.
    let out = run(&root, &web, &["announce", "4"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn digest_posts_the_week_once_and_nothing_when_empty() {
    let web = FakeWeb::start(TOKEN).unwrap();
    let (_dir, root) = workspace(&web);
    let now = Utc::now();
    web.feed(
        "/py.xml",
        &rss(
            "Py Weekly",
            &[
                ("Py Weekly #712", "https://py.example.org/712", 30),
                ("A sponsor note [ad]", "https://py.example.org/ad", 2),
                ("Py Weekly #711", "https://py.example.org/711", 24 * 8),
            ],
        ),
    );
    web.feed(
        "/news.xml",
        &rss(
            "News",
            &[(
                "Issue 300: _under_ & <tags>",
                "https://news.example.org/300",
                50,
            )],
        ),
    );
    web.feed(
        "/old.xml",
        &rss("Old", &[("Old #1", "https://old.example.org/1", 24 * 9)]),
    );
    let u = web.url();
    std::fs::write(
        root.join("sources.toml"),
        format!(
            "[[source]]\nurl = \"{u}/py.xml\"\nname = \"Py Weekly\"\nkind = \"newsletter\"\n\n\
[[source]]\nurl = \"{u}/news.xml\"\nname = \"Django 新闻\"\nkind = \"newsletter\"\n\n\
[[source]]\nurl = \"{u}/old.xml\"\nname = \"Old\"\nkind = \"newsletter\"\n\n\
[[source]]\nurl = \"{u}/blog.xml\"\nname = \"Not a newsletter\"\n"
        ),
    )
    .unwrap();
    // A 500 from Telegram is retried.
    web.telegram_fault(TelegramFault::ServerError, 1);
    let out = run(&root, &web, &["digest"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let posts = web.telegram_posts();
    assert_eq!(posts.len(), 1, "{posts:?}");
    let text = &posts[0].fields["text"];
    assert_eq!(posts[0].fields["parse_mode"], "HTML");
    assert!(text.starts_with("Rust 社区里有不少优秀的周刊"), "{text}");
    assert!(text.contains("。\n\n时间："), "{text}");
    let to = (now + Duration::hours(8)).format("%Y.%m.%d").to_string();
    assert!(text.contains(&format!(" - {to}")), "{text}");
    assert!(
        text.contains("① <a href=\"https://py.example.org/712\">Py Weekly #712</a>"),
        "{text}"
    );
    assert!(
        text.contains("② <a href=\"https://news.example.org/300\">Django 新闻 Issue 300: _under_ &amp; &lt;tags&gt;</a>"),
        "{text}"
    );
    assert!(
        !text.contains("old.example.org") && !text.contains("/711"),
        "{text}"
    );
    assert!(
        stdout(&out).contains("digest of 2 newsletters: 1 messages posted"),
        "{}",
        stdout(&out)
    );

    let again = run(&root, &web, &["digest"]);
    assert!(
        stdout(&again).contains("nothing posted"),
        "{}",
        stdout(&again)
    );
    assert_eq!(web.telegram_posts().len(), 1);

    // A week with no issue: nothing is sent at all.
    let later = (now + Duration::days(30)).to_rfc3339();
    let empty = run(&root, &web, &["digest", "--no-fetch", "--now", &later]);
    assert!(empty.status.success());
    assert!(
        stdout(&empty).contains("nothing to post"),
        "{}",
        stdout(&empty)
    );
    assert_eq!(
        web.telegram_calls().len(),
        2,
        "the failed call and the post"
    );
}

#[test]
fn two_collects_at_once_both_finish() {
    let web = FakeWeb::start(TOKEN).unwrap();
    let (_dir, root) = workspace(&web);
    let mut sources = String::new();
    for f in 0..40 {
        let items: Vec<(String, String, i64)> = (0..150)
            .map(|i| {
                (
                    format!("Post {f}-{i}"),
                    format!("https://site{f}.example.org/posts/{i}"),
                    i64::from(i % 48),
                )
            })
            .collect();
        let items: Vec<(&str, &str, i64)> = items
            .iter()
            .map(|(t, l, h)| (t.as_str(), l.as_str(), *h))
            .collect();
        web.feed(
            &format!("/many/{f}.xml"),
            &rss(&format!("Feed {f}"), &items),
        );
        let _ = writeln!(
            sources,
            "[[source]]\nurl = \"{}/many/{f}.xml\"\nname = \"Feed {f}\"\n",
            web.url()
        );
    }
    std::fs::write(root.join("sources.toml"), sources).unwrap();
    let _ = std::fs::remove_file(root.join("weekly.db"));
    for round in 0..2 {
        let (a, b) = std::thread::scope(|s| {
            let go = || run(&root, &web, &["collect", "--no-github"]);
            let a = s.spawn(go);
            let b = s.spawn(go);
            (a.join().unwrap(), b.join().unwrap())
        });
        for o in [&a, &b] {
            assert!(
                o.status.success(),
                "round {round}: {}{}",
                stdout(o),
                stderr(o)
            );
            assert!(!stderr(o).contains("locked"), "{}", stderr(o));
        }
    }
    let inbox = run(&root, &web, &["inbox", "--json"]);
    assert!(inbox.status.success(), "{}", stderr(&inbox));
}

#[test]
fn hostile_feed_text_reaches_neither_the_terminal_nor_the_draft_as_code() {
    let web = FakeWeb::start(TOKEN).unwrap();
    let (_dir, root) = workspace(&web);
    let title = "Clear \u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7} \u{202e}txt.exe";
    web.feed(
        "/hostile.xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>H</title>\
<item><title>{title}</title><link>https://hostile.example.org/post</link><pubDate>{}</pubDate>\
<description>See [click](https://evil.example/a), &lt;https://evil.example/b&gt;, https://evil.example/c and www.evil.example; **bold** `code`</description></item>\
</channel></rss>",
            rfc822(1)
        ),
    );
    std::fs::write(
        root.join("sources.toml"),
        format!(
            "[[source]]\nurl = \"{}/hostile.xml\"\nname = \"H\"\n",
            web.url()
        ),
    )
    .unwrap();
    let out = run(&root, &web, &["collect", "--no-github"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let inbox = run(&root, &web, &["inbox", "--explain"]);
    let printed = format!("{}{}", stdout(&inbox), stderr(&inbox));
    assert!(
        printed.contains("Clear \\e[2J\\e]52;c;ZXZpbA=="),
        "{printed}"
    );
    assert!(
        !printed.contains(['\u{1b}', '\u{7}', '\u{202e}']),
        "control characters printed raw: {printed:?}"
    );
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&run(&root, &web, &["inbox", "--json"]))).unwrap();
    let id = rows[0]["id"].as_i64().unwrap().to_string();
    let accepted = run(
        &root,
        &web,
        &["inbox", "accept", &id, "--section", "articles"],
    );
    assert!(accepted.status.success(), "{}", stderr(&accepted));
    let draft = std::fs::read_to_string(root.join("issues/0007/draft.md")).unwrap();
    let start = draft.find("hostile.example.org/post").unwrap();
    let summary = draft[start..]
        .split("\n\n")
        .nth(1)
        .expect("a summary paragraph");
    assert!(summary.contains("evil.example"), "kept as text: {summary}");
    // As the site renders it (comrak with autolinks): text only, no link, emphasis or code.
    let html = weekly_site::markdown::block(summary);
    for tag in ["<a ", "<strong", "<em", "<code", "<img"] {
        assert!(!html.contains(tag), "{tag} in {html}");
    }
    assert!(weekly_model::inline::links(summary).is_empty(), "{summary}");
}

#[test]
fn a_token_echoed_by_the_bot_api_is_not_printed() {
    let web = FakeWeb::start(TOKEN).unwrap();
    let (_dir, root) = workspace(&web);
    web.telegram_fault(TelegramFault::EchoPath, 1);
    let out = run(&root, &web, &["announce", "5"]);
    let printed = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success());
    assert!(printed.contains("/bot[redacted]/sendMessage"), "{printed}");
    assert!(!printed.contains("SECRET-token"), "{printed}");
}

#[test]
fn a_huge_feed_is_read_up_to_max_items_and_overlong_links_are_left_out() {
    let web = FakeWeb::start(TOKEN).unwrap();
    let (_dir, root) = workspace(&web);
    let long = format!("https://long.example.org/{}", "a".repeat(5000));
    let mut items: Vec<(String, String, i64)> = vec![("Long".into(), long, 1)];
    items.extend((0..3000).map(|i| {
        (
            format!("Post {i}"),
            format!("https://big.example.org/{i}"),
            2,
        )
    }));
    let items: Vec<(&str, &str, i64)> = items
        .iter()
        .map(|(t, l, h)| (t.as_str(), l.as_str(), *h))
        .collect();
    let xml = rss("Big", &items);
    assert!(xml.len() > 128 * 1024, "the body goes to a temporary file");
    web.feed("/big.xml", &xml);
    std::fs::write(
        root.join("sources.toml"),
        format!(
            "[[source]]\nurl = \"{}/big.xml\"\nname = \"Big\"\n",
            web.url()
        ),
    )
    .unwrap();
    let out = run(&root, &web, &["collect", "--no-github", "-v"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("199 new") && text.contains("1 items without a usable link skipped"),
        "{text}"
    );
    assert!(
        text.contains("2801 items after the first 200 not read"),
        "{text}"
    );
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&run(&root, &web, &["inbox", "--json"]))).unwrap();
    assert!(rows.iter().all(|r| r["url"].as_str().unwrap().len() < 100));
}
