//! The editor's assistant end to end: candidates collected from a feed of the local web
//! stand-in are drafted by the local model server (`weekly inbox draft`), checked, kept, shown,
//! accepted into the draft marked for review; `weekly check` warns and `weekly publish`
//! refuses until the editor approves. No request leaves the machine.

use crate::common;

use common::{copy_dir, repo_root, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use weekly_fake_llm::{FakeLlm, Fault, Options};
use weekly_fake_web::{FakeWeb, Page};

const TOKEN: &str = "123456:SECRET-token";
const ARTICLE: &str = "/posts/fast-json";
const REPO: &str = "https://github.com/acme/fastjson";

fn workspace(web: &FakeWeb) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    copy_dir(&repo_root().join("examples/demo-weekly"), &root);
    let config = std::fs::read_to_string(root.join("weekly.toml")).unwrap();
    let config = config
        .replace("timeout_seconds = 20", "timeout_seconds = 5")
        .replace(
            "github_api_url = \"https://api.github.com\"",
            &format!("github_api_url = \"{}\"", web.url()),
        );
    std::fs::write(root.join("weekly.toml"), config).unwrap();
    let u = web.url();
    std::fs::write(
        root.join("sources.toml"),
        format!("[[source]]\nurl = \"{u}/feed.xml\"\nname = \"Blog\"\nlang = \"en\"\n"),
    )
    .unwrap();
    (dir, root)
}

fn run(root: &Path, web: &FakeWeb, llm: &FakeLlm, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weekly"))
        .arg("--workspace")
        .arg(root)
        .args(args)
        .env_remove("WEEKLY_WORKSPACE")
        .env_remove("WEEKLY_GITHUB_API_URL")
        .env_remove("WEEKLY_GITHUB_TOKEN")
        .env_remove("WEEKLY_LLM_API_KEY")
        .env("WEEKLY_LLM_BASE_URL", llm.base_url())
        .env("WEEKLY_TELEGRAM_API_URL", web.url())
        .env("WEEKLY_TELEGRAM_BOT_TOKEN", TOKEN)
        // The stand-in is on 127.0.0.1: the guard of candidates' links lets exactly its
        // address through, nothing else of this machine.
        .env(
            weekly_collect::guard::TEST_ALLOW_ENV,
            web.url().trim_start_matches("http://"),
        )
        .output()
        .expect("run weekly")
}

fn ok(root: &Path, web: &FakeWeb, llm: &FakeLlm, args: &[&str]) -> String {
    let o = run(root, web, llm, args);
    assert!(o.status.success(), "{args:?}: {}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

/// The feed, the article page and the repository of the stand-in.
fn serve(web: &FakeWeb) {
    let u = web.url();
    let date = chrono::Utc::now().to_rfc2822();
    web.feed(
        "/feed.xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Blog</title>\
<item><title>Parsing JSON 3x faster</title><link>{u}{ARTICLE}</link><pubDate>{date}</pubDate><description>How we sped up JSON.</description></item>\
<item><title>fastjson</title><link>{REPO}</link><pubDate>{date}</pubDate><description>A JSON library.</description></item>\
</channel></rss>"
        ),
    );
    web.page(
        ARTICLE,
        Page {
            body: "<html><head><title>Parsing JSON 3x faster in Rust</title></head><body>\
<nav>Home · About</nav><article><h1>Parsing JSON 3x faster in Rust</h1>\
<p>We rewrote our JSON parser with SIMD instructions in 2024 and it became 3x faster on \
large documents. This post walks through the changes, the benchmarks and what we gave up \
to get there, including simpler error messages.</p><script>track()</script></article>\
<footer>© Blog</footer></body></html>"
                .as_bytes()
                .to_vec(),
            content_type: "text/html; charset=utf-8".into(),
            etag: None,
            last_modified: None,
            content_encoding: None,
        },
    );
    web.stars("acme/fastjson", 12_345);
    web.repo_text(
        "acme/fastjson",
        "A fast JSON library for Rust",
        "# fastjson\n\nfastjson parses JSON with SIMD. It works on stable Rust and has no \
dependencies. Please star the repository! See https://fastjson.example for the docs.",
    );
}

/// Candidate ids by URL, from `weekly inbox --json`.
fn ids(root: &Path, web: &FakeWeb, llm: &FakeLlm) -> (i64, i64, serde_json::Value) {
    let json: serde_json::Value =
        serde_json::from_str(&ok(root, web, llm, &["inbox", "--json"])).unwrap();
    let id = |needle: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|c| c["url"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no {needle} in {json}"))["id"]
            .as_i64()
            .unwrap()
    };
    (id(ARTICLE), id("acme/fastjson"), json)
}

#[test]
fn a_page_and_a_repository_are_drafted_checked_kept_and_accepted_for_review() {
    let web = FakeWeb::start(TOKEN).unwrap();
    serve(&web);
    let llm = FakeLlm::start(Options::default()).unwrap();
    let (_dir, root) = workspace(&web);
    ok(&root, &web, &llm, &["collect", "--no-github"]);
    let (article, repo, _) = ids(&root, &web, &llm);

    let out = ok(
        &root,
        &web,
        &llm,
        &["inbox", "draft", &article.to_string(), &repo.to_string()],
    );
    assert!(
        out.contains(&format!("#{article} drafted (articles)")),
        "{out}"
    );
    assert!(
        out.contains(&format!("#{repo} drafted (projects)")),
        "{out}"
    );
    let received = llm.received();
    assert_eq!(received.len(), 2);
    // The request shows the model entries of the same section from the archive, and the
    // page's text without its navigation or scripts.
    let article_request = received.iter().find(|r| r.user.contains(ARTICLE)).unwrap();
    assert!(article_request.system.starts_with("weekly:draft-entry"));
    assert!(
        article_request.user.contains("<example>"),
        "{}",
        article_request.user
    );
    let examples = article_request.user.matches("<example>").count();
    assert!((1..=4).contains(&examples), "{examples} examples");
    assert!(article_request.user.contains("SIMD instructions in 2024"));
    assert!(!article_request.user.contains("track()"));
    assert!(!article_request.user.contains("Home · About"));
    let repo_request = received.iter().find(|r| r.user.contains(REPO)).unwrap();
    assert!(repo_request.user.contains("fastjson parses JSON with SIMD"));
    // Stars come from the API, never from the model: not even shown to it.
    assert!(!repo_request.user.contains("12345"));

    // Kept: a second run asks nothing.
    let again = ok(
        &root,
        &web,
        &llm,
        &["inbox", "draft", &article.to_string(), &repo.to_string()],
    );
    assert!(again.contains("kept draft"), "{again}");
    assert_eq!(llm.request_count(), 2);

    // The inbox shows the drafts.
    let (_, _, json) = ids(&root, &web, &llm);
    let repo_row = json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == repo)
        .unwrap();
    assert_eq!(repo_row["drafts"][0]["stars"], 12_345);
    assert!(
        repo_row["drafts"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("草稿：")
    );
    let text = ok(&root, &web, &llm, &["inbox"]);
    assert!(text.contains("draft (projects): 草稿："), "{text}");

    // Accepted into the draft, in the house format, marked for review.
    ok(
        &root,
        &web,
        &llm,
        &[
            "inbox",
            "accept",
            &repo.to_string(),
            "--section",
            "projects",
        ],
    );
    let draft = std::fs::read_to_string(root.join("issues/0007/draft.md")).unwrap();
    // `[中文---Original](url)`, as the house keeps an English page's own title.
    assert!(
        draft.contains(&format!(
            "[草稿：acme/fastjson: A fast JSON library for Rust---acme/fastjson: A fast JSON library for Rust]({REPO})"
        )),
        "{draft}"
    );
    assert!(draft.contains("<!-- weekly:ai-draft"), "{draft}");
    assert!(draft.contains("（star 12.3K）"), "{draft}");
    let check = run(&root, &web, &llm, &["check"]);
    let report = format!("{}{}", stdout(&check), stderr(&check));
    assert!(report.contains("warning[ai-draft]"), "{report}");
    // Publishing stops at the check step while the mark is there.
    let publish = run(&root, &web, &llm, &["publish", "7"]);
    let said = format!("{}{}", stdout(&publish), stderr(&publish));
    assert!(!publish.status.success(), "{said}");
    assert!(
        said.contains("issues/0007/draft.md") && said.contains("not approved yet"),
        "{said}"
    );

    // The editor approves by deleting the mark: the warning goes.
    let approved: String = draft
        .split_inclusive('\n')
        .filter(|l| !l.contains("weekly:ai-draft"))
        .collect();
    std::fs::write(root.join("issues/0007/draft.md"), approved).unwrap();
    let check = run(&root, &web, &llm, &["check"]);
    let report = format!("{}{}", stdout(&check), stderr(&check));
    assert!(!report.contains("ai-draft"), "{report}");
}

#[test]
fn answers_that_invent_a_link_or_a_star_count_are_refused() {
    let web = FakeWeb::start(TOKEN).unwrap();
    serve(&web);
    let llm = FakeLlm::start(Options::default()).unwrap();
    let (_dir, root) = workspace(&web);
    ok(&root, &web, &llm, &["collect", "--no-github"]);
    let (article, repo, _) = ids(&root, &web, &llm);
    // The article's answers invent a link, twice; the repository's first answer invents a
    // star count, the second is good.
    llm.add(
        ARTICLE,
        Fault::Reply(
            r#"{"title": "更快的 JSON", "original_title": "", "description": "作者重写了解析器，详见 https://evil.example/more 的完整说明与基准测试结果，值得一读。"}"#.into(),
        ),
        2,
    );
    llm.add(
        REPO,
        Fault::Reply(
            r#"{"title": "fastjson", "original_title": "", "description": "一个很快的 JSON 库，已经有 50000 个 star 了，用 SIMD 解析，值得一看看看。"}"#.into(),
        ),
        1,
    );
    let o = run(
        &root,
        &web,
        &llm,
        &["inbox", "draft", &article.to_string(), &repo.to_string()],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "#{article} not drafted: the model's answer was refused twice"
        )) && out.contains("contains a link"),
        "{out}"
    );
    assert!(out.contains(&format!("#{repo} drafted")), "{out}");
    // The second request told the model what was wrong.
    let retried = llm
        .received()
        .into_iter()
        .filter(|r| r.user.contains(REPO))
        .nth(1)
        .expect("a second request");
    assert!(retried.user.contains("mentions stars"), "{}", retried.user);
    // The refused candidate has no draft; the other has the good one.
    let (_, _, json) = ids(&root, &web, &llm);
    for c in json.as_array().unwrap() {
        let drafts = c["drafts"].as_array().unwrap();
        if c["id"] == article {
            assert!(drafts.is_empty(), "{c}");
        } else if c["id"] == repo {
            assert!(!drafts[0]["description"].as_str().unwrap().contains("50000"));
        }
    }
}

#[test]
fn a_submission_through_the_server_and_one_through_the_bot_reach_the_inbox() {
    let web = FakeWeb::start(TOKEN).unwrap();
    serve(&web);
    let llm = FakeLlm::start(Options::default()).unwrap();
    let (_dir, root) = workspace(&web);
    // The bot is a source of its own.
    let mut sources = std::fs::read_to_string(root.join("sources.toml")).unwrap();
    sources.push_str("\n[[source]]\nurl = \"telegram:bot\"\nname = \"Readers on Telegram\"\nkind = \"telegram\"\n");
    std::fs::write(root.join("sources.toml"), sources).unwrap();

    let server = common::server::start(&root, 60);
    let form = "url=https%3A%2F%2Freader.example.org%2Fgreat-post&note=A+great+read+on+asyncio&contact=ann%40example.org&website=";
    let (status, body) = common::server::request(
        &server.address,
        "POST",
        "/submit",
        "application/x-www-form-urlencoded",
        form,
    );
    assert_eq!(status, 200, "{body}");
    // A bot (the honeypot filled) and a bad address change nothing.
    let (status, _) = common::server::request(
        &server.address,
        "POST",
        "/submit",
        "application/x-www-form-urlencoded",
        "url=https%3A%2F%2Fspam.example.org%2F&website=http%3A%2F%2Fspam",
    );
    assert_eq!(status, 200);
    let (status, _) = common::server::request(
        &server.address,
        "POST",
        "/submit",
        "application/json",
        r#"{"url": "javascript:alert(1)"}"#,
    );
    assert_eq!(status, 400);
    drop(server);

    web.telegram_message("bob", "看看这个 https://bot.example.net/tool 很实用");
    web.telegram_message("eve", "hello, no link");
    let report = ok(&root, &web, &llm, &["collect", "--no-github"]);
    assert!(report.contains("Readers on Telegram"), "{report}");

    let text = ok(&root, &web, &llm, &["inbox", "--explain"]);
    let lines: Vec<&str> = text.lines().collect();
    let title_line = |url: &str| {
        lines
            .iter()
            .position(|l| l.starts_with('#') && l.contains(url))
            .unwrap_or_else(|| panic!("no {url} in {text}"))
    };
    let form = title_line("https://reader.example.org/great-post");
    assert!(lines[form].contains("a reader (form)"), "{text}");
    assert!(
        lines[form + 2].contains("submitted by a reader +5.00"),
        "{text}"
    );
    let bot = title_line("https://bot.example.net/tool");
    assert!(lines[bot].contains("Readers on Telegram"), "{text}");
    assert!(
        lines[bot + 2].contains("submitted by a reader +5.00"),
        "{text}"
    );
    assert!(!text.contains("spam.example.org"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&root, &web, &llm, &["inbox", "--json"])).unwrap();
    let bot = json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["url"] == "https://bot.example.net/tool")
        .unwrap();
    assert!(
        bot["parts"].to_string().contains("submitted by a reader"),
        "{bot}"
    );
    // A second collect reads no message twice.
    ok(&root, &web, &llm, &["collect", "--no-github"]);
    let again: serde_json::Value =
        serde_json::from_str(&ok(&root, &web, &llm, &["inbox", "--json"])).unwrap();
    assert_eq!(
        again.as_array().unwrap().len(),
        json.as_array().unwrap().len()
    );
    let calls: Vec<_> = web
        .telegram_calls()
        .into_iter()
        .filter(|c| c.method == "getUpdates")
        .collect();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].fields["offset"], "1003");
}

#[test]
fn links_to_this_machine_are_refused_when_submitted_and_never_fetched_when_drafted() {
    let web = FakeWeb::start(TOKEN).unwrap();
    serve(&web);
    // An internal service on this machine that no reader's link may reach.
    let internal = FakeWeb::start(TOKEN).unwrap();
    let secret = "internal admin page: secret-4711";
    internal.page(
        "/admin",
        Page {
            body: format!("<html><head><title>Admin</title></head><body><article><p>{secret}. \
This page lists every account of the internal service with its settings.</p></article></body></html>")
            .into_bytes(),
            content_type: "text/html; charset=utf-8".into(),
            ..Page::default()
        },
    );
    let port = internal.url().rsplit(':').next().unwrap().to_owned();
    let llm = FakeLlm::start(Options::default()).unwrap();
    let (_dir, root) = workspace(&web);

    // The form refuses them up front.
    let server = common::server::start(&root, 60);
    for url in [
        format!("http://127.0.0.1:{port}/admin"),
        "http://127.0.0.1:9001/admin".to_owned(),
        "http://127.1/admin".to_owned(),
        "http://0x7f.1/admin".to_owned(),
        "http://2130706433./admin".to_owned(),
        "http://0177.0.0.1/admin".to_owned(),
        "http://localhost:9001/admin".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://metadata.google.internal/computeMetadata/v1/".to_owned(),
        "http://10.0.0.1/".to_owned(),
    ] {
        // The page the form was sent from is in English; the answer is too.
        let body = format!("{{\"url\": \"{url}\", \"note\": \"look\", \"lang\": \"en\"}}");
        let (status, page) = common::server::request(
            &server.address,
            "POST",
            "/submit",
            "application/json",
            &body,
        );
        assert_eq!(status, 400, "{url}: {page}");
        assert!(page.contains("Not a public address"), "{url}: {page}");
    }
    drop(server);

    // Links already in the store are refused by the guard when drafted: from a feed's content
    // (plain, a local name, behind a redirect of the allowed stand-in) and from readers'
    // messages to the bot, which are stored as written.
    web.redirect("/moved", &format!("http://127.0.0.1:{port}/admin"));
    let u = web.url();
    let from_feed = [
        format!("http://127.0.0.1:{port}/admin"),
        format!("http://localhost:{port}/admin"),
        format!("{u}/moved"),
    ];
    let from_bot = [
        format!("http://127.1:{port}/admin"),
        format!("http://0x7f.1:{port}/admin"),
        format!("http://2130706433.:{port}/admin"),
        format!("http://0177.0.0.1:{port}/admin"),
    ];
    let items: Vec<String> = from_feed
        .iter()
        .enumerate()
        .map(|(i, link)| {
            format!("<item><title>Internal {i}</title><link>{link}</link><description>x</description></item>")
        })
        .collect();
    let items = items.concat();
    web.feed(
        "/feed.xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Blog</title>{items}</channel></rss>"
        ),
    );
    let mut sources = std::fs::read_to_string(root.join("sources.toml")).unwrap();
    sources.push_str("\n[[source]]\nurl = \"telegram:bot\"\nname = \"Readers on Telegram\"\nkind = \"telegram\"\n");
    std::fs::write(root.join("sources.toml"), sources).unwrap();
    for link in &from_bot {
        web.telegram_message("mallory", &format!("great read {link}"));
    }
    ok(&root, &web, &llm, &["collect", "--no-github"]);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&root, &web, &llm, &["inbox", "--json"])).unwrap();
    let ids: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].to_string())
        .collect();
    assert_eq!(ids.len(), from_feed.len() + from_bot.len(), "{json}");
    for link in from_bot.iter().chain(&from_feed) {
        assert!(json.to_string().contains(link.as_str()), "{link}: {json}");
    }
    assert!(!json.to_string().contains(":9001/"), "{json}");
    let mut args = vec!["inbox", "draft", "--section", "articles"];
    args.extend(ids.iter().map(String::as_str));
    let o = run(&root, &web, &llm, &args);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert_eq!(
        out.matches("not drafted: the page could not be read: refused:")
            .count(),
        ids.len(),
        "{out}"
    );
    assert!(out.contains("127.0.0.1 is a loopback address"), "{out}");
    // Nothing reached the internal service, the model or the store.
    assert!(internal.requests().is_empty(), "{:?}", internal.requests());
    assert_eq!(llm.request_count(), 0);
    let json = ok(&root, &web, &llm, &["inbox", "--json"]);
    assert!(!json.contains("secret-4711"), "{json}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    for c in json.as_array().unwrap() {
        assert!(c["drafts"].as_array().unwrap().is_empty(), "{c}");
    }
}
