//! Core II end to end on the real archive and on crafted workspaces: statistics against the
//! archive's own database, teasers against the historic teasers, Telegram limits, and the
//! idempotence of `split` and `readme`.

use crate::common;

use common::{corpus, repo_root, stderr, stdout, weekly};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use weekly_model::{Catalogue, Document, Lang};
use weekly_parse::{ParseOptions, parse_document};

/// The corpus imported once into a workspace under the target directory.
fn corpus_workspace() -> Option<&'static Path> {
    static WORKSPACE: OnceLock<Option<PathBuf>> = OnceLock::new();
    WORKSPACE
        .get_or_init(|| {
            let src = corpus()?;
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("editions-corpus");
            let _ = std::fs::remove_dir_all(&dir);
            let out = weekly(&[
                "import",
                "python-weekly",
                src.to_str().unwrap(),
                "--into",
                dir.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", stderr(&out));
            Some(dir)
        })
        .as_deref()
}

fn ws_args<'a>(ws: &'a Path, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--workspace", ws.to_str().unwrap()]);
    all
}

fn parse(text: &str, lang: &Lang) -> Document {
    let catalogue = Catalogue::python_weekly();
    parse_document(
        text,
        &ParseOptions {
            file: "t.md",
            lang,
            catalogue: &catalogue,
        },
    )
    .document
}

/// Rows of `weekly_summary` read with Python's sqlite3 module (the database is the archive's
/// own record of its counts).
fn database_rows(src: &Path) -> Option<Vec<Value>> {
    let db = src.join("resources/python_weekly.db");
    let script = "import json,sqlite3,sys\ncon=sqlite3.connect(sys.argv[1])\nrows=con.execute('select issue_no,date,article_count,project_count,audio_video_count,hot_topic_count,book_count from weekly_summary order by issue_no').fetchall()\nprint(json.dumps(rows))";
    let out = std::process::Command::new("python3")
        .args(["-c", script, db.to_str().unwrap()])
        .output();
    match out {
        Ok(out) if out.status.success() => serde_json::from_slice(&out.stdout).ok(),
        _ => {
            common::skip(&format!(
                "python3 with sqlite3 is needed to read {}",
                db.display()
            ));
            None
        }
    }
}

#[test]
fn counts_equal_the_database_except_the_documented_disagreements() {
    let (Some(src), Some(ws)) = (corpus(), corpus_workspace()) else {
        return;
    };
    let Some(rows) = database_rows(&src) else {
        return;
    };
    let out = weekly(&ws_args(ws, &["stats", "--format", "json"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let ours: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ours: BTreeMap<u64, &Value> = ours
        .iter()
        .map(|o| (o["number"].as_u64().unwrap(), o))
        .collect();
    // Where the database and the texts disagree, and why (see BENCHMARKS.md / the issue note):
    //  7: the database records 5 books; neither edition mentions a giveaway.
    // 91: the database says 12 projects; the list has 11 (numbering skips 9).
    // 144: the database says 12 articles; the teaser lists 13.
    // (#35 has only an English file, whose project list skips number 4; it is counted from its
    // Chinese part in the season 2 collection, which has all 12. #16 and #77 have no file and
    // are counted from their parts in the season 1 and 3 collections.)
    let documented: BTreeSet<u64> = [7, 91, 144].into();
    let mut differing = BTreeSet::new();
    let mut compared = 0;
    for row in &rows {
        let number = row[0].as_u64().unwrap();
        let Some(o) = ours.get(&number) else {
            continue; // not in this copy of the archive
        };
        compared += 1;
        let c = &o["counts"];
        let mine = [
            o["date"].clone(),
            c["articles"].clone(),
            c["projects"].clone(),
            c["media"].clone(),
            c["discussions"].clone(),
            c["books"].clone(),
        ];
        if mine[..] != row.as_array().unwrap()[1..] {
            eprintln!("#{number}: database {row} ours {mine:?}");
            differing.insert(number);
        }
    }
    assert!(compared >= 150, "only {compared} issues compared");
    assert_eq!(differing, documented);
    eprintln!(
        "stats: {compared} issues compared with the database, {} documented disagreements",
        documented.len()
    );
}

#[test]
fn jieba_counts_stay_near_the_historic_word_stamps() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    let out = weekly(&ws_args(ws, &["stats", "--format", "json"]));
    let ours: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut checked = 0;
    let mut within = 0;
    let mut worst: f64 = 0.0;
    for o in &ours {
        let n = o["number"].as_u64().unwrap();
        if !(87..=109).contains(&n) || o["source"] != "full" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(ws.join(format!("issues/{n:04}/zh.md"))) else {
            continue; // only the English edition is in this copy
        };
        let Some(stamp) = weekly_parse::description::claimed_counts(&text)
            .words
            .flatten()
        else {
            continue;
        };
        let jieba = o["words"]["jieba"].as_f64().unwrap();
        let deviation = (jieba - f64::from(stamp)).abs() / f64::from(stamp);
        worst = worst.max(deviation);
        eprintln!(
            "#{n}: jieba {jieba} stamp {stamp} {:+.2}%",
            deviation * 100.0
        );
        if deviation < 0.01 {
            within += 1;
        }
        // The description's stamp is that count, as the archive's are.
        let description = o["description"]["zh"].as_str().unwrap_or_default();
        assert!(
            description.contains(&format!("全文 {jieba} 字")),
            "#{n}: {description}"
        );
        assert!(o["words"]["han"].as_u64().unwrap() > 1000);
        checked += 1;
    }
    assert!(checked >= 15, "{checked}");
    // Best values so far (they may only get better): 16 of the 20 stamped issues of this copy
    // within 1 % (most off by the one token), the others 1.3–3.4 % (edited after stamping?).
    assert!(within >= 16, "{within} of {checked} within 1 %");
    assert!(worst < 0.035, "worst deviation {:.1} %", worst * 100.0);
    eprintln!(
        "word stamps: {checked} issues, worst deviation {:.1}%",
        worst * 100.0
    );
}

fn titles_by_section(doc: &Document) -> Vec<(String, Vec<String>)> {
    let catalogue = Catalogue::python_weekly();
    doc.sections
        .iter()
        .filter(|s| catalogue.is_counted(&s.key) && !s.entries.is_empty())
        .map(|s| {
            (
                s.key.to_string(),
                s.entries
                    .iter()
                    // Compared as seen: spaces collapsed, and `*` dropped because one side
                    // escapes literal asterisks (`\*args`) where the other writes them bare.
                    .map(|e| {
                        let plain = e.plain_title().replace('*', "");
                        plain.split_whitespace().collect::<Vec<_>>().join(" ")
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn teasers_from_todays_full_texts_list_the_historic_titles() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    let mut pairs = 0;
    let mut differing = BTreeMap::new();
    for number in 1..=200u32 {
        let dir = ws.join(format!("issues/{number:04}"));
        let (full, historic) = (dir.join("zh.md"), dir.join("zh.teaser.md"));
        if !(full.exists() && historic.exists()) {
            continue;
        }
        pairs += 1;
        let n = number.to_string();
        let out = weekly(&ws_args(ws, &["render", &n, "--edition", "teaser"]));
        assert!(out.status.success(), "#{number}: {}", stderr(&out));
        let rendered = parse(&stdout(&out), &Lang::zh());
        let old = parse(&std::fs::read_to_string(&historic).unwrap(), &Lang::zh());
        let (new_titles, old_titles) = (titles_by_section(&rendered), titles_by_section(&old));
        if new_titles != old_titles {
            let changed: Vec<String> = new_titles
                .iter()
                .flat_map(|(k, ts)| ts.iter().map(move |t| format!("{k}: {t}")))
                .filter(|t| {
                    !old_titles
                        .iter()
                        .flat_map(|(k, ts)| ts.iter().map(move |t| format!("{k}: {t}")))
                        .any(|o| &o == t)
                })
                .collect();
            differing.insert(number, changed);
        }
    }
    for (n, changed) in &differing {
        eprintln!(
            "#{n}: {} titles differ, e.g. {:?}",
            changed.len(),
            changed.first()
        );
    }
    assert!(pairs >= 50, "{pairs} pairs");
    eprintln!("teasers: {pairs} pairs, {} differ", differing.len());
    // Full texts edited after their teaser was published:
    // #74: the full text has 12 articles, the teaser 11 (it lacks the Django series entry);
    // #84: the teaser kept a draft's English half (`…调试 Python--Debugging Python…`, split
    //      on `--` instead of `---`), fixed in the full text;
    // #91: the full text lost project 9 (gpustack), the teaser still lists it.
    let expected: BTreeSet<u32> = [74, 84, 91].into();
    assert_eq!(differing.keys().copied().collect::<BTreeSet<_>>(), expected);
}

#[test]
fn every_telegram_announcement_fits_its_limit_and_is_valid_html() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    let mut rendered = 0;
    let mut split = 0;
    for entry in std::fs::read_dir(ws.join("issues")).unwrap() {
        let dir = entry.unwrap().path();
        let number: u32 = dir.file_name().unwrap().to_str().unwrap().parse().unwrap();
        for lang in ["zh", "en"] {
            if !dir.join(format!("{lang}.md")).exists()
                && !dir.join(format!("{lang}.teaser.md")).exists()
            {
                continue;
            }
            let n = number.to_string();
            let out = weekly(&ws_args(
                ws,
                &[
                    "render",
                    &n,
                    "--edition",
                    "telegram",
                    "--lang",
                    lang,
                    "--format",
                    "json",
                ],
            ));
            assert!(out.status.success(), "#{number} {lang}: {}", stderr(&out));
            let value: Value = serde_json::from_slice(&out.stdout).unwrap();
            let caption = value["caption"].as_str().unwrap();
            let len = weekly_render::telegram::validate(caption)
                .unwrap_or_else(|e| panic!("#{number} {lang}: {e}\n{caption}"));
            assert!(len <= 1024, "#{number} {lang}: caption of {len}");
            assert!(
                caption.contains(&number.to_string()),
                "#{number} {lang}: {caption}"
            );
            let messages = value["messages"].as_array().unwrap();
            for m in messages {
                let m = m.as_str().unwrap();
                let len = weekly_render::telegram::validate(m)
                    .unwrap_or_else(|e| panic!("#{number} {lang}: {e}\n{m}"));
                assert!(len <= 4096, "#{number} {lang}: message of {len}");
            }
            // Every title of the edition appears in the announcement.
            let text: String = std::iter::once(caption)
                .chain(messages.iter().filter_map(Value::as_str))
                .collect::<Vec<_>>()
                .join("\n");
            let source = [format!("{lang}.md"), format!("{lang}.teaser.md")]
                .iter()
                .find_map(|f| std::fs::read_to_string(dir.join(f)).ok())
                .unwrap();
            let source = parse(&source, &Lang::new(lang).unwrap());
            let catalogue = Catalogue::python_weekly();
            let titles = source
                .entries()
                .filter(|(s, _)| catalogue.is_counted(&s.key))
                .count();
            assert_eq!(
                text.lines().filter(|l| l.starts_with(is_circled)).count(),
                titles,
                "#{number} {lang}: titles missing\n{text}"
            );
            if !messages.is_empty() {
                split += 1;
            }
            rendered += 1;
        }
    }
    assert!(rendered >= 290, "{rendered}");
    eprintln!("telegram: {rendered} announcements valid; {split} needed photo + message");
}

fn is_circled(c: char) -> bool {
    matches!(c, '①'..='⑳' | '㉑'..='㉟' | '㊱'..='㊿')
}

/// A small workspace written by the test: config from `weekly init`, two issues.
fn crafted_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let out = weekly(&["init", ws.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    for (n, date) in [(1, "2026-01-03"), (2, "2026-01-10")] {
        let issue = ws.join(format!("issues/{n:04}"));
        std::fs::create_dir_all(&issue).unwrap();
        std::fs::write(
            issue.join("issue.toml"),
            format!("number = {n}\ndate = \"{date}\"\n"),
        )
        .unwrap();
        std::fs::write(
            issue.join("zh.md"),
            format!("# Python 潮流周刊#{n}：主题 {n}\n\n本期分享了 2 篇文章，1 个开源项目。\n\n## 🦄文章&教程\n\n1、[文章一](https://a.org/{n}/1)\n\n说明。\n\n2、[文章二](https://a.org/{n}/2)\n\n说明。\n\n## 🐿️项目&资源\n\n1、[项目](https://p.org/{n})\n\n说明。\n"),
        )
        .unwrap();
    }
    dir
}

#[test]
fn split_writes_both_editions_and_rerunning_changes_nothing() {
    let dir = crafted_workspace();
    let ws = dir.path().join("ws");
    let issue = ws.join("issues/0003");
    std::fs::create_dir_all(&issue).unwrap();
    std::fs::write(
        issue.join("issue.toml"),
        "number = 3\ndate = \"2026-01-17\"\n",
    )
    .unwrap();
    let draft = "---\ntitle: 'Python 潮流周刊#3：反斜杠\\与引号''---Backslash\\ and Python''s: quotes'\ndescription: ''\npubDate: 2026-01-17\n---\n\n## 🦄文章&教程\n\n1、[装饰器---Decorators](https://x.org/a---b_(c))\n\n说明。\n";
    std::fs::write(issue.join("draft.md"), draft).unwrap();
    let draft_path = issue.join("draft.md");
    let args = ws_args(&ws, &["split", draft_path.to_str().unwrap()]);
    let first = weekly(&args);
    assert!(first.status.success(), "{}", stderr(&first));
    let zh = std::fs::read_to_string(issue.join("zh.md")).unwrap();
    let en = std::fs::read_to_string(issue.join("en.md")).unwrap();
    assert!(
        en.contains("title: 'My Weekly #3: Backslash\\ and Python''s: quotes'"),
        "{en}"
    );
    assert!(
        en.contains("description: 'This issue shares 1 article.'"),
        "{en}"
    );
    assert!(
        en.contains("1、[Decorators](https://x.org/a---b_(c))"),
        "{en}"
    );
    assert!(zh.contains("1、[装饰器](https://x.org/a---b_(c))"), "{zh}");
    assert_eq!(
        std::fs::read_to_string(&draft_path).unwrap(),
        draft,
        "the draft is untouched"
    );

    let again = weekly(&args);
    assert!(again.status.success());
    assert!(
        stderr(&again).matches("unchanged").count() == 2,
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(issue.join("en.md")).unwrap(), en);

    // Splitting the Chinese edition again gives it back byte for byte.
    let out_dir = dir.path().join("resplit");
    let zh_path = issue.join("zh.md");
    let resplit = weekly(&ws_args(
        &ws,
        &[
            "split",
            zh_path.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
    ));
    assert!(resplit.status.success(), "{}", stderr(&resplit));
    assert_eq!(std::fs::read_to_string(out_dir.join("zh.md")).unwrap(), zh);

    // An edited output is not overwritten without --force, and nothing is written.
    std::fs::write(issue.join("en.md"), "edited\n").unwrap();
    let refused = weekly(&args);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(
        std::fs::read_to_string(issue.join("en.md")).unwrap(),
        "edited\n"
    );
    let mut forced = args.clone();
    forced.push("--force");
    assert!(weekly(&forced).status.success());
    assert_eq!(std::fs::read_to_string(issue.join("en.md")).unwrap(), en);

    // The split issue checks clean but for the body still to translate (`说明。`), which
    // `check` reports by the rules of `translate --check`.
    let check = weekly(&ws_args(&ws, &["check"]));
    let report = stdout(&check);
    assert_eq!(check.status.code(), Some(1), "{report}{}", stderr(&check));
    let errors: Vec<&str> = report.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(errors.len(), 1, "{report}");
    assert!(
        errors[0].starts_with("issues/0003/en.md:") && errors[0].contains("untranslated"),
        "{report}"
    );
}

#[test]
fn readme_update_is_idempotent_and_check_reports_staleness() {
    let dir = crafted_workspace();
    let ws = dir.path().join("ws");
    let readme = ws.join("README.md");
    let original = "# 周刊\n\n## 数据统计\n\n<!-- weekly:stats -->\n<!-- /weekly:stats -->\n\n## 往期列表\n\n<!-- weekly:issues -->\n<!-- /weekly:issues -->\n\n## Star History\n";
    std::fs::write(&readme, original).unwrap();
    let path = readme.to_str().unwrap();
    let check = weekly(&ws_args(&ws, &["readme", path, "--check"]));
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert_eq!(
        std::fs::read_to_string(&readme).unwrap(),
        original,
        "--check changes nothing"
    );

    assert!(weekly(&ws_args(&ws, &["readme", path])).status.success());
    let once = std::fs::read_to_string(&readme).unwrap();
    assert!(once.contains("- 第 2 期：[主题 2](./issues/0002/zh.md)\n  - 本期分享了 2 篇文章，1 个开源项目。\n- 第 1 期："), "{once}");
    assert!(
        once.contains("| 周刊期数 | 2 |\n| 🦄文章&教程 | 4 |"),
        "{once}"
    );
    assert!(once.ends_with("## Star History\n"));

    let again = weekly(&ws_args(&ws, &["readme", path]));
    assert!(stderr(&again).contains("up to date"), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), once);
    assert_eq!(
        weekly(&ws_args(&ws, &["readme", path, "--check"]))
            .status
            .code(),
        Some(0)
    );

    std::fs::write(&readme, "# no markers\n").unwrap();
    let refused = weekly(&ws_args(&ws, &["readme", path]));
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("<!-- weekly:issues -->"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn render_editions_of_the_example_and_clear_errors() {
    let ws = repo_root().join("examples/demo-weekly");
    let teaser = weekly(&ws_args(&ws, &["render", "3", "--edition", "teaser"]));
    assert!(teaser.status.success(), "{}", stderr(&teaser));
    let text = stdout(&teaser);
    let doc = parse(&text, &Lang::zh());
    assert_eq!(doc.kind, weekly_model::DocKind::Teaser);
    assert_eq!(doc.entries().count(), 11);

    let links = weekly(&ws_args(
        &ws,
        &["render", "--season", "1", "--edition", "links"],
    ));
    assert!(links.status.success(), "{}", stderr(&links));
    let doc = parse(&stdout(&links), &Lang::zh());
    let stats = weekly(&ws_args(&ws, &["stats", "--format", "json"]));
    let stats: Vec<Value> = serde_json::from_slice(&stats.stdout).unwrap();
    let articles: u64 = stats
        .iter()
        .map(|s| s["counts"]["articles"].as_u64().unwrap())
        .sum();
    let linked = doc
        .sections
        .iter()
        .find(|s| s.key.as_str() == "articles")
        .unwrap()
        .entries
        .len();
    assert_eq!(
        linked as u64, articles,
        "the season's links list every article"
    );

    let missing = weekly(&ws_args(&ws, &["render", "99", "--edition", "teaser"]));
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no issue #99"),
        "{}",
        stderr(&missing)
    );
    let bad_lang = weekly(&ws_args(
        &ws,
        &["render", "3", "--edition", "full", "--lang", "fr"],
    ));
    assert!(
        stderr(&bad_lang).contains("not a language of this newsletter"),
        "{}",
        stderr(&bad_lang)
    );
}

#[test]
fn example_readme_is_up_to_date_and_its_draft_splits_to_its_editions() {
    let ws = repo_root().join("examples/demo-weekly");
    let readme = ws.join("README.md");
    let out = weekly(&ws_args(
        &ws,
        &["readme", readme.to_str().unwrap(), "--check"],
    ));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // The committed zh.md of issue 7 is what `weekly split` makes of its draft; en.md is that
    // split with its bodies translated afterwards (same titles, sections and links).
    let dir = tempfile::tempdir().unwrap();
    let draft = ws.join("issues/0007/draft.md");
    let out = weekly(&ws_args(
        &ws,
        &[
            "split",
            draft.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ],
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |p: PathBuf| std::fs::read_to_string(p).unwrap();
    assert_eq!(
        read(dir.path().join("zh.md")),
        read(ws.join("issues/0007/zh.md"))
    );
    let (split_en, committed_en) = (
        parse(&read(dir.path().join("en.md")), &Lang::new("en").unwrap()),
        parse(
            &read(ws.join("issues/0007/en.md")),
            &Lang::new("en").unwrap(),
        ),
    );
    assert_eq!(
        titles_by_section(&split_en),
        titles_by_section(&committed_en)
    );
    assert_eq!(split_en.title(), committed_en.title());
}

#[test]
fn text_files_in_templates_override_the_configured_texts() {
    let dir = crafted_workspace();
    let ws = dir.path().join("ws");
    let texts = ws.join("templates/texts/zh");
    std::fs::create_dir_all(&texts).unwrap();
    std::fs::write(texts.join("teaser_lead.md"), "第 {{ number }} 期的标题：\n").unwrap();
    let out = weekly(&ws_args(&ws, &["render", "2", "--edition", "teaser"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\n\n第 2 期的标题：\n\n**🦄文章&教程**\n\n① 文章一\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn dedup_finds_corpus_links_written_differently() {
    let Some(ws) = corpus_workspace() else { return };
    // The first article of issue 10, as the archive has it.
    let text = std::fs::read_to_string(ws.join("issues/0010/zh.md")).unwrap();
    let issue = std::fs::read_to_string(ws.join("issues/0010/issue.toml")).unwrap();
    let date = issue.split('"').nth(1).unwrap().to_owned();
    let line = text
        .lines()
        .find(|l| l.starts_with("1、["))
        .expect("an entry 1");
    let url = line.split("](").nth(1).unwrap().split(')').next().unwrap();
    assert!(url.starts_with("https://"), "{url}");
    // Written as someone might paste it: http, a tracking parameter, a fragment.
    let variant = format!(
        "{}{}utm_source=weekly#intro",
        url.replacen("https://", "http://", 1),
        if url.contains('?') { "&" } else { "?" }
    );
    let out = weekly(&ws_args(
        ws,
        &["dedup", &variant, "https://never.example.org/x"],
    ));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("featured in #10 ({date}), 文章&教程 1")),
        "{text}"
    );
    assert!(text.contains("https://never.example.org/x: new"), "{text}");
}

#[test]
fn title_only_editions_keep_the_spaces_and_stars_of_the_source() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    // Double spaces inside titles, as in the source and the real teasers (#23, #73).
    for (n, title) in [
        ("23", "Talk Python To Me  #434：用 Python 构建移动 APP"),
        ("73", "swarm：OpenAI  推出的研究多智能体编排的框架"),
    ] {
        for edition in ["teaser", "links", "telegram"] {
            let out = weekly(&ws_args(ws, &["render", n, "--edition", edition]));
            assert!(out.status.success(), "#{n} {edition}: {}", stderr(&out));
            assert!(
                stdout(&out).contains(title),
                "#{n} {edition} lost the double space of `{title}`"
            );
        }
    }
    // A literal `*` is text: `*args, **kwargs` (#73) and `import *` (#16, when present).
    let out = weekly(&ws_args(ws, &["render", "73", "--edition", "telegram"]));
    let text = stdout(&out);
    assert!(text.contains("*args, **kwargs"), "{text}");
    if ws.join("issues/0016/zh.md").exists() {
        let out = weekly(&ws_args(ws, &["render", "16", "--edition", "telegram"]));
        assert!(stdout(&out).contains("import *"), "{}", stdout(&out));
    }
}

/// `- Issue N: [Theme](…)` lines of a README list: theme by number.
fn readme_themes(text: &str) -> BTreeMap<u32, String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("- Issue ")?;
            let (number, rest) = rest.split_once(':')?;
            let theme = rest.trim().strip_prefix('[')?.split("](").next()?;
            Some((number.parse().ok()?, theme.to_owned()))
        })
        .collect()
}

#[test]
fn the_english_readme_keeps_every_title_of_the_real_one() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    let original = std::fs::read_to_string(corpus().unwrap().join("README.md")).unwrap();
    let marked = original
        .replacen(
            "## 🦄 Past Issues\n",
            "## 🦄 Past Issues\n\n<!-- weekly:issues -->\n",
            1,
        )
        .replacen(
            "## Star History",
            "<!-- /weekly:issues -->\n\n## Star History",
            1,
        );
    let dir = tempfile::tempdir().unwrap();
    let readme = dir.path().join("README.md");
    std::fs::write(&readme, &marked).unwrap();
    let out = weekly(&ws_args(
        ws,
        &["readme", readme.to_str().unwrap(), "--lang", "en"],
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let before = readme_themes(&original);
    let after = readme_themes(&std::fs::read_to_string(&readme).unwrap());
    let untitled: Vec<u32> = after
        .iter()
        .filter(|(_, t)| t.trim().is_empty() || t.starts_with("(20"))
        .map(|(n, _)| *n)
        .collect();
    assert!(untitled.is_empty(), "issues without a title: {untitled:?}");
    let same = after
        .iter()
        .filter(|(n, t)| before.get(n) == Some(t))
        .count();
    eprintln!(
        "English README: {same} of {} titles as in the real one",
        after.len()
    );
    // Best value so far; it may only go up. The others are titles the author reworded in the
    // README (the edition's own title is used: `Python 3.14 Release Schedule` for `… Plan`).
    assert!(
        same >= 105,
        "{same} of {} titles as in the real README",
        after.len()
    );
}

#[test]
fn generated_descriptions_name_discussions_as_the_issue_does() {
    let Some(ws) = corpus_workspace() else {
        return;
    };
    let mut checked = 0;
    for number in 1..=200u32 {
        let Ok(text) = std::fs::read_to_string(ws.join(format!("issues/{number:04}/zh.md"))) else {
            continue;
        };
        let Some(word) = ["则热门讨论", "则热门话题"]
            .into_iter()
            .find(|w| text.lines().take(12).any(|l| l.contains(w)))
        else {
            continue;
        };
        let n = number.to_string();
        let out = weekly(&ws_args(ws, &["render", &n, "--edition", "teaser"]));
        assert!(stdout(&out).contains(word), "#{number}: {}", stdout(&out));
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
}
