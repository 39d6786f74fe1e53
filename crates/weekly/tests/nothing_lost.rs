//! Nothing is lost: every part of an issue — the paragraphs before its first section, essays,
//! quotes, images, tables, every section counted or not, categories under their section —
//! reaches the season collection, the e-book (which `epubcheck` passes), the site's search
//! and the links-only edition (under the issue's own section names). Two small invented
//! workspaces are written the way This Week in Rust and 科技爱好者周刊 write their issues.
//!
//! The e-books are also held to their issues by words (`weekly_app::ebook::words_kept`: Han
//! characters and Latin words, markup and URLs left out). `imported_archives_lose_nothing`
//! does the same for any imported archive: set `WEEKLY_NOTHING_LOST` to one or more workspace
//! folders (separated by `:`), made by `weekly import`, and every season's full e-book in every
//! language must pass `epubcheck` and hold at least 99 % of its issues' words (without it, the
//! three shared archives are imported and held to it).

use crate::common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use weekly_model::Lang;
use weekly_stats::Words;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn fresh(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("nothing-lost-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ok(ws: &Path, args: &[&str]) -> String {
    let o = weekly_at(ws, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// A newsletter written the way This Week in Rust is: `Key: value` headers, `#`/`##`
/// sections, `###`/`####` categories, bulleted links, a list before the first heading, a
/// table, a quote. All text invented.
fn twir_workspace(name: &str) -> PathBuf {
    let ws = fresh(name);
    write(
        &ws,
        "weekly.toml",
        r#"name = { en = "This Week in Rust" }
base_url = "https://twir.example.org"
primary_language = "en"
languages = ["en"]
season_length = 2
free_after = 0

[format]
field_header = true
titles = ["This Week in Rust {number}"]
section_levels = [1, 2]
category_levels = [3, 4]
numbering = []
bullets = true

[[sections]]
key = "community"
counted = true
names = { en = "Updates from Rust Community" }

[[sections]]
key = "crate"
counted = true
names = { en = "Crate of the Week" }

[[sections]]
key = "events"
counted = true
names = { en = "Upcoming Events" }

[[sections]]
key = "quote"
counted = false
names = { en = "Quote of the Week" }
"#,
    );
    write(
        &ws,
        "issues/0001/issue.toml",
        "number = 1\ndate = \"2024-03-06\"\n",
    );
    write(
        &ws,
        "issues/0001/en.md",
        "Title: This Week in Rust 1\nNumber: 1\nDate: 2024-03-06\nCategory: This Week in Rust\n\n\
Hello, and thanks for reading; this greeting mentions marmalade, a word no other part has.\n\
![A crab waving from a rock](https://img.example.org/crab-wave.png)\n\n\
* [A link that comes before any heading](https://early.example.org/first)\n\
* [Another early link](https://early.example.org/second)\n\n\
## Updates from Rust Community\n\n\
The community kept busy this week with a quarterly harvest of posts.\n\n\
### Official\n\n\
* [Toolchain nine point nine is out](https://blog.example.org/nine-nine)\n\
* [Notes with a stray anchor](https://notes.example.org/page#part#two)\n\n\
### Newsletters\n\n\
* [A monthly digest about tiny boards](https://digest.example.org/boards)\n\n\
#### Deep Dives\n\n\
* [Walking through lifetimes slowly](https://deep.example.org/lifetimes)\n\n\
## Crate of the Week\n\n\
This week's crate is [tidyfox](https://crates.example.org/tidyfox), which keeps foxes in tidy rows.\n\
See also [the local notes](#notes) and [a link with no target]().\n\n\
## Upcoming Events\n\n\
| When | Where | What |\n|:-----|:-----:|-----:|\n| Mar 10 | Online | Ferris tea party |\n| Mar 12 | Lisbon | Borrow checker picnic |\n\n\
### Virtual\n\n\
* 2024-03-10 | Online | [Ferris tea party](https://events.example.org/tea)\n\n\
# Quote of the Week\n\n\
> The compiler is a patient teacher who never raises its voice.\n\n\
Thanks to [a kind reader](https://quotes.example.org/kind) for the suggestion.\n",
    );
    write(
        &ws,
        "issues/0002/issue.toml",
        "number = 2\ndate = \"2024-03-13\"\n",
    );
    write(
        &ws,
        "issues/0002/en.md",
        "Title: This Week in Rust 2\nNumber: 2\nDate: 2024-03-13\n\n\
Another week, another greeting.\n\n\
## Updates from Rust Community\n\n\
### Official\n\n\
* [Survey results are in](https://blog.example.org/survey)\n\n\
## Crate of the Week\n\n\
No crate was nominated, so the editors picked [quietbell](https://crates.example.org/quietbell).\n\n\
# Quote of the Week\n\n\
> Types are promises you can check.\n",
    );
    ws
}

/// A newsletter written the way 科技爱好者周刊 is: an H1 title with the theme, a cover image
/// paragraph, a lead essay headed by the theme, `1、` entries, `###` categories, a topic essay
/// whose lists are not entries, a table, a quote section, and a section renamed since (2018's
/// `新闻` is today's `科技动态`). All text invented.
fn tech_workspace(name: &str) -> PathBuf {
    let ws = fresh(name);
    write(
        &ws,
        "weekly.toml",
        r#"name = { zh = "科技爱好者周刊" }
base_url = "https://tech.example.org"
primary_language = "zh"
languages = ["zh"]
season_length = 2
free_after = 0

[format]
titles = ["科技爱好者周刊（第 {number} 期）：{theme}"]
numbering = ["dunhao"]
category_levels = [3]
essays = ["本周话题：*"]

[[sections]]
key = "news"
counted = true
names = { zh = "科技动态" }
aliases = ["新闻"]

[[sections]]
key = "tools"
counted = true
names = { zh = "工具" }

[[sections]]
key = "quotes"
counted = false
names = { zh = "言论" }

[[sections]]
key = "past"
counted = false
names = { zh = "往年回顾" }
"#,
    );
    write(
        &ws,
        "issues/0001/issue.toml",
        "number = 1\ndate = \"2018-05-04\"\n",
    );
    write(
        &ws,
        "issues/0001/zh.md",
        "# 科技爱好者周刊（第 1 期）：种树的最好时间\n\n\
这里收集每周值得一读的科技消息，逢周五出刊。\n\n\
![晨雾里的灯塔](https://img.example.org/lighthouse.jpg)\n\n\
海边的灯塔在晨雾里亮着，拍照的人在礁石上守了一整夜。\n\n\
## 种树的最好时间\n\n\
有人说，种一棵树最好的时间是十年前，其次是现在。木匠做榫卯也是这样，早一天动手，就早一天合缝。\n\n\
1、先想清楚要种什么。\n\n\
2、再去找合适的土。\n\n\
## 新闻\n\n\
1、[会自己浇水的花盆](https://news.example.org/pot)\n\n\
花盆底部装了湿度传感器，土干了就从水箱里抽水。\n\n\
### 小消息\n\n\
1、[一座城市换上了太阳能路灯](https://news.example.org/lamps)\n\n\
路灯白天充电，夜里亮十个小时。\n\n\
## 本周话题：远程办公还会继续吗\n\n\
不少公司让员工回到办公室，理由是面对面交流更顺畅。可是省下的通勤时间，也实实在在。\n\n\
1、[一篇支持远程的文章](https://essay.example.org/remote)，作者列了三条理由。\n\n\
## 工具\n\n\
1、[表格转换器](https://tools.example.org/table)\n\n\
把各种表格互相转换，支持下面这些格式。\n\n\
| 格式 | 读取 | 写入 |\n|:---:|:---|---:|\n| CSV | 支持 | 支持 |\n| 电子表格 | 支持 | 暂不支持 |\n\n\
## 言论\n\n\
1、\n\n\
好的工具会让人忘记它的存在，就像好的鞋子。\n\n\
-- [一位鞋匠](https://quotes.example.org/cobbler)\n\n\
## 往年回顾\n\n\
[去年的今天：纸张的未来](https://tech.example.org/zh/0/)\n",
    );
    write(
        &ws,
        "issues/0002/issue.toml",
        "number = 2\ndate = \"2018-05-11\"\n",
    );
    write(
        &ws,
        "issues/0002/zh.md",
        "# 科技爱好者周刊（第 2 期）：慢一点\n\n\
这里收集每周值得一读的科技消息，逢周五出刊。\n\n\
## 慢一点\n\n\
走得太快，容易错过路边的风景。\n\n\
## 科技动态\n\n\
1、[会唱歌的冰箱](https://news.example.org/fridge)\n\n\
冰箱门没关好的时候，它会哼一段旋律。\n",
    );
    ws
}

/// Debian's `epubcheck` as a command, or `None` (a failure under `WEEKLY_REQUIRE_EPUBCHECK`).
fn epubcheck() -> Option<Vec<String>> {
    for jar in ["/usr/share/java/epubcheck.jar", "/usr/bin/epubcheck"] {
        let command = vec!["java".to_owned(), "-jar".to_owned(), jar.to_owned()];
        let runs = Path::new(jar).is_file()
            && Command::new(&command[0])
                .args(&command[1..])
                .arg("--version")
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("EPUBCheck"));
        if runs {
            return Some(command);
        }
    }
    assert!(
        std::env::var_os("WEEKLY_REQUIRE_EPUBCHECK").is_none(),
        "epubcheck is required (WEEKLY_REQUIRE_EPUBCHECK) and was not found"
    );
    skip("epubcheck not found (Debian: apt-get install epubcheck)");
    None
}

/// Fails with epubcheck's report unless it finds nothing in `book`.
fn assert_epubcheck_passes(checker: &[String], book: &Path) {
    let out = Command::new(&checker[0])
        .args(&checker[1..])
        .arg(book)
        .output()
        .expect("run epubcheck");
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        out.status.success() && text.contains("No errors or warnings detected"),
        "{}:\n{text}",
        book.display()
    );
}

/// The files of an EPUB by name.
fn epub_files(book: &Path) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut file, &mut text);
            (file.name().unwrap().to_string(), text)
        })
        .collect()
}

/// Makes season `season`'s e-book of `ws` in `lang` (`--full` when `full`) at `path`, and
/// returns how much of each issue's words it holds, as `weekly_app::ebook::words_kept`
/// counts them.
fn book_and_words(
    ws: &Path,
    season: u32,
    lang: &str,
    full: bool,
    path: &Path,
) -> Vec<(u32, weekly_stats::Coverage)> {
    let season_arg = season.to_string();
    let mut args = vec![
        "ebook",
        "--season",
        &season_arg,
        "--lang",
        lang,
        "-o",
        path.to_str().unwrap(),
    ];
    if full {
        args.push("--full");
    }
    ok(ws, &args);
    let workspace = weekly_app::workspace::Workspace::load(ws).unwrap();
    let season = weekly_app::season::Season::load(&workspace, season).unwrap();
    let bytes = std::fs::read(path).unwrap();
    weekly_app::ebook::words_kept(&workspace, &season, &Lang::new(lang).unwrap(), full, &bytes)
        .unwrap()
}

/// The words of every issue file's body (its header left out) in `lang`.
fn issue_words(ws: &Path, lang: &str) -> Words {
    let workspace = weekly_app::workspace::Workspace::load(ws).unwrap();
    let archive = weekly_app::archive::Archive::load(&workspace).unwrap();
    let lang = Lang::new(lang).unwrap();
    let mut words = Words::default();
    for issue in &archive.issues {
        let edition = issue.full(&lang).expect("a full text");
        words.extend(&Words::of_markdown(&weekly_app::ebook::body_markdown(
            &edition.document,
        )));
    }
    words
}

/// `needles` all occur in `haystack`, in this order.
fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("`{needle}` (after the ones before it) not in:\n{haystack}"),
        }
    }
}

#[test]
fn this_week_in_rust_style_issues_reach_the_collection_and_the_epub_whole() {
    let ws = twir_workspace("twir-books");
    let collection = ok(&ws, &["render", "--season", "1", "--edition", "collection"]);
    // Every part of issue 1, in order: the greeting and its image, the list without a
    // heading, each section with its categories under it, the table, the quote.
    assert_in_order(
        &collection,
        &[
            "## [#1](https://twir.example.org/en/1/)",
            "marmalade",
            "![A crab waving from a rock](https://img.example.org/crab-wave.png)",
            "* [A link that comes before any heading](https://early.example.org/first)",
            "### Updates from Rust Community",
            "quarterly harvest",
            "#### Official",
            "Toolchain nine point nine",
            "#### Newsletters",
            "##### Deep Dives",
            "Walking through lifetimes",
            "### Crate of the Week",
            "keeps foxes in tidy rows",
            "### Upcoming Events",
            "| Mar 12 | Lisbon | Borrow checker picnic |",
            "#### Virtual",
            "### Quote of the Week",
            "> The compiler is a patient teacher",
            "## [#2](https://twir.example.org/en/2/)",
            "Another week, another greeting.",
            "quietbell",
            "> Types are promises you can check.",
        ],
    );
    let kept = issue_words(&ws, "en").kept_in(&Words::of_markdown(&collection));
    assert_eq!(
        kept.kept, kept.total,
        "missing from the collection: {kept:?}"
    );

    let book = ws.join("season-1.en.epub");
    let words = book_and_words(&ws, 1, "en", false, &book);
    assert_eq!(words.len(), 2);
    for (issue, coverage) in &words {
        assert_eq!(
            coverage.kept, coverage.total,
            "#{issue} lost words in the book: {coverage:?}"
        );
    }
    let files = epub_files(&book);
    let chapter = &files
        .iter()
        .find(|f| f.0 == "OEBPS/issue-1.xhtml")
        .unwrap()
        .1;
    assert_in_order(
        chapter,
        &[
            "marmalade",
            "[Image: A crab waving from a rock]",
            "A link that comes before any heading",
            "<h2>Updates from Rust Community</h2>",
            "<h3>Official</h3>",
            "href=\"https://notes.example.org/page#part%23two\"",
            "<h3>Newsletters</h3>",
            "<h4>Deep Dives</h4>",
            "<h2>Crate of the Week</h2>",
            "<h2>Upcoming Events</h2>",
            "<th style=\"text-align: left\">When</th>",
            "<td style=\"text-align: center\">Lisbon</td>",
            "<h2>Quote of the Week</h2>",
            "<blockquote>",
            "patient teacher",
        ],
    );
    // The list without a heading has no empty heading.
    assert!(!chapter.contains("<h2></h2>"), "{chapter}");
    // Categories are listed under their section in the contents.
    let nav = &files.iter().find(|f| f.0 == "OEBPS/nav.xhtml").unwrap().1;
    assert!(
        nav.contains("<li><a href=\"issue-1.xhtml#s-community\">Updates from Rust Community</a>\n<ol>\n<li><a href=\"issue-1.xhtml#s-community-2\">Official</a></li>\n<li><a href=\"issue-1.xhtml#s-community-3\">Newsletters</a>\n<ol>\n<li><a href=\"issue-1.xhtml#s-community-4\">Deep Dives</a></li>\n</ol>\n</li>\n</ol>\n</li>"),
        "{nav}"
    );
    if let Some(checker) = epubcheck() {
        assert_epubcheck_passes(&checker, &book);
    }
}

#[test]
fn tech_weekly_style_issues_reach_the_collection_and_the_epub_whole() {
    let ws = tech_workspace("tech-books");
    let collection = ok(&ws, &["render", "--season", "1", "--edition", "collection"]);
    assert_in_order(
        &collection,
        &[
            "## [第1期",
            "这里收集每周值得一读的科技消息",
            "![晨雾里的灯塔](https://img.example.org/lighthouse.jpg)",
            "礁石上守了一整夜",
            "### 种树的最好时间",
            "木匠做榫卯",
            "1、先想清楚要种什么。",
            "### 新闻",
            "会自己浇水的花盆",
            "#### 小消息",
            "太阳能路灯",
            "### 本周话题：远程办公还会继续吗",
            "省下的通勤时间",
            "### 工具",
            "| 电子表格 | 支持 | 暂不支持 |",
            "### 言论",
            "好的工具会让人忘记它的存在",
            "### 往年回顾",
            "纸张的未来",
            "## [第2期",
            "### 慢一点",
            "路边的风景",
            "### 科技动态",
            "会唱歌的冰箱",
        ],
    );
    let kept = issue_words(&ws, "zh").kept_in(&Words::of_markdown(&collection));
    assert_eq!(
        kept.kept, kept.total,
        "missing from the collection: {kept:?}"
    );

    let book = ws.join("season-1.zh.epub");
    let words = book_and_words(&ws, 1, "zh", false, &book);
    assert_eq!(words.len(), 2);
    for (issue, coverage) in &words {
        assert_eq!(
            coverage.kept, coverage.total,
            "#{issue} lost words in the book: {coverage:?}"
        );
    }
    let files = epub_files(&book);
    let chapter = &files
        .iter()
        .find(|f| f.0 == "OEBPS/issue-1.xhtml")
        .unwrap()
        .1;
    assert_in_order(
        chapter,
        &[
            "这里收集每周值得一读的科技消息",
            "[图片: 晨雾里的灯塔]",
            "<h2>种树的最好时间</h2>",
            "榫卯",
            "<h2>新闻</h2>",
            "<h3>小消息</h3>",
            "<h2>本周话题：远程办公还会继续吗</h2>",
            "通勤",
            "<h2>工具</h2>",
            "<th style=\"text-align: center\">格式</th>",
            "<h2>言论</h2>",
            "好的鞋子",
            "<h2>往年回顾</h2>",
        ],
    );
    let nav = &files.iter().find(|f| f.0 == "OEBPS/nav.xhtml").unwrap().1;
    assert!(
        nav.contains("<li><a href=\"issue-1.xhtml#s-news\">新闻</a>\n<ol>\n<li><a href=\"issue-1.xhtml#s-news-2\">小消息</a></li>\n</ol>\n</li>"),
        "{nav}"
    );
    if let Some(checker) = epubcheck() {
        assert_epubcheck_passes(&checker, &book);
    }
}

#[derive(serde::Deserialize)]
struct Answer {
    query: String,
    urls: Vec<String>,
}

/// The URLs the site's own search script finds for each query in `site`'s index of `lang`
/// (run in Node by `tests/browser/search_query.mjs`), or `None` without Node.
fn search(site: &Path, lang: &str, queries: &[&str]) -> Option<Vec<Answer>> {
    if Command::new("node").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("WEEKLY_REQUIRE_BROWSER").is_none(),
            "WEEKLY_REQUIRE_BROWSER is set but node is missing"
        );
        skip("needs node (.ci/run installs it)");
        return None;
    }
    let mut child = Command::new("node")
        .arg(repo_root().join("tests/browser/search_query.mjs"))
        .arg(site)
        .arg(lang)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node");
    serde_json::to_writer(child.stdin.take().unwrap(), queries).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    Some(serde_json::from_slice(&o.stdout).unwrap())
}

#[test]
fn search_finds_words_that_only_essays_preambles_and_section_intros_hold() {
    for (ws, lang, queries) in [
        (
            tech_workspace("tech-search"),
            "zh",
            // The lead essay, the topic essay, the paragraph after the cover image.
            vec![
                ("榫卯", "/zh/1/#s-other"),
                ("通勤", "/zh/1/#s-other-2"),
                ("礁石", "/zh/1/"),
            ],
        ),
        (
            twir_workspace("twir-search"),
            "en",
            // The greeting, a section's intro, a section that is only text.
            vec![
                ("marmalade", "/en/1/"),
                ("harvest", "/en/1/#s-community"),
                ("foxes", "/en/1/#s-crate"),
            ],
        ),
    ] {
        let site = ws.join("site");
        ok(&ws, &["build", "--out", site.to_str().unwrap()]);
        // The documents of the index (what a plain scan finds) ...
        let workspace = weekly_app::workspace::Workspace::load(&ws).unwrap();
        let archive = weekly_app::archive::Archive::load(&workspace).unwrap();
        let stop_words = weekly_app::site::stop_words(&workspace).unwrap();
        let input = weekly_app::site::input(&workspace, &archive, false, stop_words);
        let docs = weekly_site::build::search_docs(&input, &Lang::new(lang).unwrap());
        for (query, url) in &queries {
            let found: Vec<&str> = docs
                .iter()
                .filter(|d| weekly_site::search::matches(d, query))
                .map(|d| d.url.as_str())
                .collect();
            assert!(found.iter().any(|u| u.ends_with(url)), "{query}: {found:?}");
        }
        // ... and the shipped script over the built index.
        let words: Vec<&str> = queries.iter().map(|q| q.0).collect();
        let Some(answers) = search(&site, lang, &words) else {
            continue;
        };
        for ((query, url), answer) in queries.iter().zip(&answers) {
            assert_eq!(&answer.query, query);
            assert!(
                answer.urls.iter().any(|u| u.ends_with(url)),
                "{query}: {:?}",
                answer.urls
            );
        }
    }
}

#[test]
fn the_site_shows_no_empty_heading_for_a_list_written_without_one() {
    let ws = twir_workspace("twir-site");
    let site = ws.join("site");
    ok(&ws, &["build", "--out", site.to_str().unwrap()]);
    let page = read(&site.join("en/1/index.html"));
    assert!(
        page.contains("A link that comes before any heading"),
        "{page}"
    );
    assert!(!page.contains("<h2></h2>"), "{page}");
    // Nor an empty line in the page's contents.
    assert!(!page.contains("\"></a>"), "{page}");
    assert!(
        page.contains("<h2>Updates from Rust Community</h2>"),
        "{page}"
    );
    let feed = read(&site.join("en/feed.xml"));
    assert!(!feed.contains("&lt;h2&gt;&lt;/h2&gt;"), "{feed}");
}

#[test]
fn the_links_edition_keeps_the_section_names_of_each_issue() {
    let ws = tech_workspace("tech-links");
    let links = ok(&ws, &["render", "--season", "1", "--edition", "links"]);
    assert_in_order(
        &links,
        &[
            "## 新闻",
            "1、[会自己浇水的花盆](https://news.example.org/pot)",
            "2、[一座城市换上了太阳能路灯](https://news.example.org/lamps)",
            "## 科技动态",
            "1、[会唱歌的冰箱](https://news.example.org/fridge)",
            "## 工具",
        ],
    );
    // One issue alone keeps its own name too.
    let one = ok(&ws, &["render", "1", "--edition", "links"]);
    assert!(one.contains("## 新闻\n"), "{one}");
    assert!(!one.contains("科技动态"), "{one}");
}

/// The workspaces the archive test reads: those named by `WEEKLY_NOTHING_LOST` (folders
/// separated by `:`), else the shared This Week in Rust and 科技爱好者周刊 archives imported
/// with their formats; `None` when those are missing (a failure when `CI=true`).
fn imported_archives() -> Option<Vec<PathBuf>> {
    if let Some(list) = std::env::var_os("WEEKLY_NOTHING_LOST") {
        return Some(std::env::split_paths(&list).collect());
    }
    let base = repo_root().join("../shared/corpus");
    let mut out = Vec::new();
    for name in ["python-weekly", "this-week-in-rust", "ruanyf-weekly"] {
        let src = base.join(name);
        if !src.is_dir() {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "CI=true and the archive {} is missing",
                src.display()
            );
            skip(&format!("archive not found at {}", src.display()));
            return None;
        }
        let ws = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("nothing-lost-{name}"));
        let _ = std::fs::remove_dir_all(&ws);
        let o = weekly(&[
            "import",
            src.to_str().unwrap(),
            "--into",
            ws.to_str().unwrap(),
            "--format",
            name,
        ]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        out.push(ws);
    }
    Some(out)
}

/// Each imported archive (see [`imported_archives`]): every season's full e-book in every
/// language passes `epubcheck` and holds at least 99 % of its issues' words.
#[test]
fn imported_archives_lose_nothing() {
    let Some(list) = imported_archives() else {
        return;
    };
    let checker = epubcheck();
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for ws in list {
        let workspace = weekly_app::workspace::Workspace::load(&ws).unwrap();
        let archive = weekly_app::archive::Archive::load(&workspace).unwrap();
        let config = &workspace.config;
        let mut seasons: Vec<u32> = archive
            .issues
            .iter()
            .map(|i| config.seasons.of(i.number))
            .collect();
        seasons.dedup();
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("nothing-lost-archives");
        std::fs::create_dir_all(&out).unwrap();
        let name = ws.file_name().unwrap().to_string_lossy().into_owned();
        for season in seasons {
            for lang in &config.languages {
                let book = out.join(format!("{name}-season-{season}.{lang}.epub"));
                let o = weekly_at(
                    &ws,
                    &[
                        "ebook",
                        "--season",
                        &season.to_string(),
                        "--lang",
                        lang.as_str(),
                        "--full",
                        "-o",
                        book.to_str().unwrap(),
                    ],
                );
                if !o.status.success() {
                    // A language without any edition in this season has no book.
                    report.push(format!(
                        "{name} S{season} {lang}: no book ({})",
                        stderr(&o).trim()
                    ));
                    continue;
                }
                if let Some(checker) = &checker {
                    let out = Command::new(&checker[0])
                        .args(&checker[1..])
                        .arg(&book)
                        .output()
                        .unwrap();
                    let text = format!("{}{}", stdout(&out), stderr(&out));
                    if !(out.status.success() && text.contains("No errors or warnings detected")) {
                        failures.push(format!("{}: epubcheck:\n{text}", book.display()));
                    }
                }
                let season_value = weekly_app::season::Season::load(&workspace, season).unwrap();
                let words = weekly_app::ebook::words_kept(
                    &workspace,
                    &season_value,
                    lang,
                    true,
                    &std::fs::read(&book).unwrap(),
                )
                .unwrap();
                let (kept, total): (u64, u64) = words
                    .iter()
                    .fold((0, 0), |(k, t), (_, c)| (k + c.kept, t + c.total));
                let ratio = if total == 0 {
                    1.0
                } else {
                    kept as f64 / total as f64
                };
                let worst = words
                    .iter()
                    .min_by(|a, b| a.1.ratio().total_cmp(&b.1.ratio()))
                    .map(|(n, c)| format!("worst #{n} {:.2} % {:?}", c.ratio() * 100.0, c.missing))
                    .unwrap_or_default();
                let line = format!(
                    "{name} S{season} {lang}: {kept}/{total} words ({:.2} %), {worst}",
                    ratio * 100.0
                );
                if ratio < 0.99 {
                    failures.push(line.clone());
                }
                report.push(line);
            }
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
