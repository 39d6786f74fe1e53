//! Seasons on the imported corpus: the totals the archive's own wrap-up posts state, the
//! season files (`weekly season K --write`) and the editor's words kept, the wrap-up posts
//! (reviewed snapshots), every season's EPUB in `epubcheck`, and a PDF in poppler's tools.

use crate::common;

use common::{corpus, read, skip, stderr, stdout, weekly, weekly_at};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The corpus imported once, or `None` without the corpus.
fn corpus_workspace() -> Option<&'static PathBuf> {
    static WS: OnceLock<Option<PathBuf>> = OnceLock::new();
    WS.get_or_init(|| {
        let src = corpus()?;
        let ws = Path::new(env!("CARGO_TARGET_TMPDIR")).join("seasons-corpus");
        let _ = std::fs::remove_dir_all(&ws);
        let o = weekly(&[
            "import",
            "python-weekly",
            src.to_str().unwrap(),
            "--into",
            ws.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        Some(ws)
    })
    .as_ref()
}

/// A private copy of the imported corpus, for tests that write into it.
fn corpus_copy(name: &str) -> Option<PathBuf> {
    let ws = corpus_workspace()?;
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&copy);
    common::copy_dir(ws, &copy);
    Some(copy)
}

fn ok(ws: &Path, args: &[&str]) -> String {
    let o = weekly_at(ws, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// (articles, projects, media, discussions, books) of season `n` from `stats --by season`.
fn season_counts(seasons: &Value, n: u64) -> [u64; 5] {
    let season = seasons
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["season"] == n)
        .unwrap_or_else(|| panic!("no season {n} in {seasons}"));
    let c = &season["counts"];
    ["articles", "projects", "media", "discussions", "books"]
        .map(|k| c[k].as_u64().unwrap_or_else(|| panic!("no {k} in {c}")))
}

#[test]
fn seasons_2_and_3_have_the_totals_their_wrap_up_posts_state() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    let json: Value =
        serde_json::from_str(&ok(ws, &["stats", "--by", "season", "--format", "json"])).unwrap();
    // As printed in the archive's wrap-up posts of seasons 2 and 3.
    assert_eq!(season_counts(&json, 2), [354, 347, 28, 2, 93]);
    assert_eq!(season_counts(&json, 3), [357, 362, 21, 19, 0]);
    // The text report has the same rows.
    let text = ok(ws, &["stats", "--by", "season"]);
    let row = text
        .lines()
        .find(|l| l.split_whitespace().next() == Some("S2"))
        .unwrap_or_else(|| panic!("no row of season 2 in\n{text}"));
    for figure in ["354", "347", "28", "93"] {
        assert!(
            row.split_whitespace().any(|w| w == figure),
            "{figure} in {row}"
        );
    }
    // The wrap-up post shows them, with the change from season 2.
    let post = ok(ws, &["render", "--season", "3", "--edition", "wrapup"]);
    assert!(post.contains("：357 (上季 354, +3)"), "{post}");
    assert!(post.contains("：362 (上季 347, +15)"), "{post}");
}

#[test]
fn wrap_up_posts_of_every_corpus_season() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    for season in 1..=6 {
        let post = ok(
            ws,
            &[
                "render",
                "--season",
                &season.to_string(),
                "--edition",
                "wrapup",
            ],
        );
        insta::assert_snapshot!(format!("wrapup_season{season}_zh"), post);
    }
    let en = ok(
        ws,
        &[
            "render",
            "--season",
            "2",
            "--edition",
            "wrapup",
            "--lang",
            "en",
        ],
    );
    insta::assert_snapshot!("wrapup_season2_en", en);
}

#[test]
fn season_files_are_written_checked_and_keep_the_editors_words() {
    let Some(ws) = corpus_copy("seasons-write") else {
        return;
    };
    let report = ok(&ws, &["season", "2"]);
    assert!(
        report.starts_with("season 2: issues #31–#60 (complete, 30 of 30 issues)"),
        "{report}"
    );
    assert_eq!(report.lines().filter(|l| l.starts_with("  #")).count(), 30);
    ok(&ws, &["season", "2", "--write"]);
    let seasons = ws.join("seasons");
    for name in [
        "season-2.zh.md",
        "season-2-links.zh.md",
        "season-2-wrapup.zh.md",
        "season-2-cloud.zh.svg",
        "season-2.en.md",
        "season-2.zh.epub",
    ] {
        assert!(seasons.join(name).is_file(), "{name}");
    }
    let collection = read(&seasons.join("season-2.zh.md"));
    assert_eq!(
        collection.matches("\n## [第").count(),
        30,
        "one part per issue"
    );
    assert!(collection.contains("\n### 🦄文章&教程\n"));
    // The files read back without errors (the corpus's own files have some; ours none).
    let check = weekly_at(&ws, &["check"]);
    let report = format!("{}{}", stdout(&check), stderr(&check));
    assert!(
        report.contains("seasons/season-2.en.md:"),
        "our files are checked: {report}"
    );
    let ours: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("seasons/season-2") && l.contains(": error"))
        .collect();
    assert!(ours.is_empty(), "{ours:#?}");
    // Before the editor writes anything, no page shows the wrap-up's placeholder.
    let draft_site = ws.join("site-placeholder");
    ok(&ws, &["build", "--out", draft_site.to_str().unwrap()]);
    for lang in ["zh", "en"] {
        let page = read(&draft_site.join(format!("{lang}/seasons/2/index.html")));
        assert!(
            !page.contains("在这里写下") && !page.contains("Write your look back"),
            "{lang}: {page}"
        );
    }

    // The editor writes their look back; writing again keeps it and changes nothing else.
    let wrapup = seasons.join("season-2-wrapup.zh.md");
    let before = read(&wrapup);
    let start = before.find("<!-- weekly:editor -->").unwrap() + "<!-- weekly:editor -->".len();
    let end = before.find("<!-- /weekly:editor -->").unwrap();
    let edited = format!(
        "{}\n第二季结束了，感谢每一位读者！\n\n下一季见。\n{}",
        &before[..start],
        &before[end..]
    );
    std::fs::write(&wrapup, &edited).unwrap();
    let again = weekly_at(&ws, &["season", "2", "--write"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("0 written"), "{}", stderr(&again));
    assert_eq!(read(&wrapup), edited);

    // The site publishes the season's e-book and wrap-up post (with the editor's words) on
    // the season's page.
    let site = ws.join("site");
    ok(&ws, &["build", "--out", site.to_str().unwrap()]);
    let page = read(&site.join("zh/seasons/2/index.html"));
    assert!(
        page.contains("<a href=\"/zh/seasons/2/season-2.zh.epub\" download>EPUB</a>"),
        "{page}"
    );
    assert_eq!(
        std::fs::read(site.join("zh/seasons/2/season-2.zh.epub")).unwrap(),
        std::fs::read(seasons.join("season-2.zh.epub")).unwrap()
    );
    assert!(page.contains("第二季结束了，感谢每一位读者！"), "{page}");
    // The cloud is drawn once, by the page (the post's own image of it is left out there).
    assert_eq!(
        page.matches("<figure class=\"cloud\">").count(),
        1,
        "{page}"
    );
    assert!(!page.contains("src=\"season-2-cloud.zh.svg\""), "{page}");
}

#[test]
fn a_season_that_has_not_begun_is_a_clear_error() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    let o = weekly_at(ws, &["season", "40"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("season 40 (issues #1171–#1200) has no issues yet"),
        "{e}"
    );
}

/// Debian's `epubcheck` as a command (its `/usr/bin/epubcheck` is the jar itself, run by
/// `java -jar`), or `None` (a failure under `WEEKLY_REQUIRE_EPUBCHECK`).
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

#[test]
fn every_corpus_season_makes_an_epub_that_epubcheck_passes_in_zh_and_en() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    let Some(checker) = epubcheck() else {
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("seasons-epub");
    let _ = std::fs::remove_dir_all(&dir);
    ok(ws, &["ebook", "--all", "-o", dir.to_str().unwrap()]);
    let mut books: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "epub"))
        .collect();
    books.sort();
    for season in 1..=6 {
        for lang in ["zh", "en"] {
            assert!(
                dir.join(format!("season-{season}.{lang}.epub")).is_file(),
                "season {season} {lang} in {books:?}"
            );
        }
    }
    // Two checkers at a time (each is a JVM).
    let results: Vec<(PathBuf, std::process::Output)> = books
        .chunks(2)
        .flat_map(|pair| {
            let children: Vec<_> = pair
                .iter()
                .map(|book| {
                    let child = Command::new(&checker[0])
                        .args(&checker[1..])
                        .arg(book)
                        .stdout(std::process::Stdio::piped())
                        .stderr(std::process::Stdio::piped())
                        .spawn()
                        .expect("run epubcheck");
                    (book.clone(), child)
                })
                .collect();
            children
                .into_iter()
                .map(|(book, child)| (book, child.wait_with_output().unwrap()))
                .collect::<Vec<_>>()
        })
        .collect();
    for (book, out) in results {
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            out.status.success() && text.contains("No errors or warnings detected"),
            "{}:\n{text}",
            book.display()
        );
    }
    // The Japanese book of season 2 holds the five issues that have a Japanese edition, says
    // so, counts only their entries, and has no Chinese label.
    let member = |book: &str, name: &str| {
        let bytes = std::fs::read(dir.join(book)).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let file = |name: &str| member("season-2.ja.epub", name);
    let title = file("OEBPS/title.xhtml");
    assert!(title.contains("第 51〜55 号"), "{title}");
    let counted: u32 = title
        .lines()
        .filter_map(|l| l.strip_prefix("<li>")?.strip_suffix("</li>"))
        .filter_map(|l| l.rsplit_once(": ")?.1.parse::<u32>().ok())
        .sum();
    let zh_title = member("season-2.zh.epub", "OEBPS/title.xhtml");
    let season_total: u32 = zh_title
        .lines()
        .filter_map(|l| l.strip_prefix("<li>")?.strip_suffix("</li>"))
        .filter_map(|l| l.rsplit_once(": ")?.1.parse::<u32>().ok())
        .sum();
    assert!(
        counted > 0 && counted * 3 < season_total,
        "5 issues' entries ({counted}) against the season's ({season_total})"
    );
    for page in [
        "OEBPS/title.xhtml",
        "OEBPS/nav.xhtml",
        "OEBPS/issue-51.xhtml",
    ] {
        let text = file(page);
        for chinese in ["发布时间", "扉页", "第51期", "目录", "封面"] {
            assert!(!text.contains(chinese), "{page} has {chinese}");
        }
    }
}

/// `pdfinfo`, `pdftotext` and `pdftohtml` from poppler-utils, or `false` (a failure under
/// `WEEKLY_REQUIRE_BROWSER`, as CI installs them with Chromium).
fn poppler() -> bool {
    let found = Command::new("pdfinfo").arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("WEEKLY_REQUIRE_BROWSER").is_none(),
            "pdfinfo (poppler-utils) is required and was not found"
        );
        skip("poppler-utils not found");
    }
    found
}

#[test]
fn a_season_pdf_has_numbered_pages_an_outline_entry_per_issue_and_chinese_text() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    if !common::browser_available() || !poppler() {
        return;
    }
    let pdf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("season-3.pdf");
    let _ = std::fs::remove_file(&pdf);
    let o = weekly_at(
        ws,
        &[
            "ebook",
            "--season",
            "3",
            "--format",
            "pdf",
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = stderr(&o);
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    assert!(info.status.success(), "{}", stderr(&info));
    let pages: u32 = stdout(&info)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{}", stdout(&info)));
    // 30 issues on A5, each starting on a new page, after a title page and the contents.
    assert!((60..=1500).contains(&pages), "{pages} pages");
    let text = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = stdout(&text);
    assert!(text.contains("文章&教程"), "Chinese text is extractable");
    assert!(text.contains("第61期"), "the first issue's heading");
    // Page numbers in the bottom margin: the last page ends with its number.
    let last_page = text
        .split('\u{c}')
        .rev()
        .find(|p| !p.trim().is_empty())
        .unwrap();
    assert!(
        last_page.trim_end().ends_with(&pages.to_string()),
        "last page ends with {pages}: {last_page}"
    );
    // The outline: one top-level entry per issue (61–90), sections under them.
    let xml = Command::new("pdftohtml")
        .args(["-xml", "-i", "-q", "-stdout", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    let xml = stdout(&xml);
    let outline = &xml[xml.find("<outline>").expect("an outline")..];
    let top: Vec<&str> = top_level_items(outline);
    assert_eq!(top.len(), 30, "{top:?}");
    assert!(top[0].contains("第61期"), "{top:?}");
    assert!(top[29].contains("第90期"), "{top:?}");
    // This machine has an emoji font (CI installs it): no warning that emoji print as boxes.
    assert!(!printed.contains("no emoji font"), "{printed}");
}

/// The texts of the `<item>`s directly inside the first `<outline>` of pdftohtml's XML.
fn top_level_items(xml: &str) -> Vec<&str> {
    let mut depth = 0i32;
    let mut items = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with("</outline>") {
            depth -= 1;
            if depth == 0 {
                break;
            }
        } else if rest.starts_with("<outline") {
            depth += 1;
        } else if rest.starts_with("<item") && depth == 1 {
            let start = rest.find('>').unwrap() + 1;
            let end = rest.find("</item>").unwrap();
            items.push(&rest[start..end]);
        }
        rest = &rest[1..];
    }
    items
}

#[test]
fn a_paid_issue_without_a_teaser_file_shows_only_its_titles_in_the_public_season_files() {
    // The example archive has full texts only, and every issue is still paid.
    let ws = common::demo_copy("seasons-paid");
    let body = "库和应用对错误类型的需求并不相同";
    let public = ok(&ws, &["render", "--season", "1", "--edition", "collection"]);
    assert!(!public.contains(body), "{public}");
    assert!(
        !public.contains("https://blog.example.com/designing-error-types"),
        "{public}"
    );
    assert!(
        public.contains("错误类型该怎么设计"),
        "the titles are there: {public}"
    );
    let paid = ok(
        &ws,
        &[
            "render",
            "--season",
            "1",
            "--edition",
            "collection",
            "--tier",
            "paid",
        ],
    );
    assert!(paid.contains(body), "{paid}");
    // The public e-book holds no paid text either.
    let book = ws.join("season-1.epub");
    ok(
        &ws,
        &["ebook", "--season", "1", "-o", book.to_str().unwrap()],
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        std::io::Read::read_to_string(&mut file, &mut all).unwrap();
    }
    assert!(all.contains("错误类型该怎么设计"), "titles in the book");
    assert!(!all.contains(body), "no paid text in the book");
    assert!(!all.contains("https://blog.example.com/designing-error-types"));
}

/// Printing a PDF never reaches the network: every `socket` and `connect` call of the
/// printing Chromium and its children is recorded (strace, inside a network namespace of its
/// own so that not even a regression could send a packet), and none of them opens an IP
/// socket or names an address outside loopback.
#[test]
fn printing_a_pdf_makes_no_connection_outside_loopback() {
    if !common::browser_available() {
        return;
    }
    assert!(
        Command::new("strace").arg("-V").output().is_ok(),
        "strace is required (Debian: apt-get install strace; .ci/run installs it)"
    );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdf-offline");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("trace.log");
    let wrapper = dir.join("chromium");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nif unshare -n true 2>/dev/null; then u='unshare -n'; else u='unshare -rn'; fi\n\
             exec $u strace -f -qq -e trace=socket,connect -o '{}' /usr/bin/chromium \"$@\"\n",
            trace.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &wrapper,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let ws = common::demo_copy("pdf-offline");
    let pdf = dir.join("season-1.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_weekly"))
        .arg("--workspace")
        .arg(&ws)
        .args(["ebook", "--season", "1", "--format", "pdf", "-o"])
        .arg(&pdf)
        .env("WEEKLY_CHROMIUM", &wrapper)
        .env("WEEKLY_SECRET", "a-secret-the-browser-must-never-see-0123")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::metadata(&pdf).unwrap().len() > 1000);
    let log = std::fs::read_to_string(&trace).unwrap();
    assert!(
        log.contains("socket(AF_UNIX"),
        "strace recorded the browser's calls: {log}"
    );
    let opened_ip: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("socket(AF_INET") && !l.contains("= -1 EAFNOSUPPORT"))
        .collect();
    assert!(opened_ip.is_empty(), "IP sockets opened: {opened_ip:#?}");
    let outside: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("connect(") && l.contains("AF_INET"))
        .filter(|l| !l.contains("inet_addr(\"127.") && !l.contains("\"::1\""))
        .collect();
    assert!(
        outside.is_empty(),
        "connections outside loopback: {outside:#?}"
    );
}
