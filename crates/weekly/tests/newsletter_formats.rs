//! Newsletters that are not Python Trending Weekly, run by configuration alone: two invented
//! workspaces, one written like This Week in Rust (Pelican headers, bullet entries under
//! sections and categories, English) and one like 科技爱好者周刊 (an H1 title `…（第 N 期）：主题`,
//! `N、` entries with `1.` lists inside them, a lead essay, a README grouped by year and
//! month). `weekly check` finds no false errors in them, titles give number and theme, and the
//! editions speak in each newsletter's words (`[texts.<lang>]`); `[check]` turns rules off,
//! down or up.

use crate::common;

use common::{stderr, stdout, weekly_at};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn fresh(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("newsletter-formats-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const GEARS_TOML: &str = r####"name = { en = "Gears Weekly" }
base_url = "https://gears.example.org"
primary_language = "en"
languages = ["en"]
free_after = 0

[[sections]]
key = "community"
counted = true
names = { en = "Community News" }

[[sections]]
key = "merged"
counted = true
names = { en = "Merged This Week" }
aliases = ["Merged Changes"]

[[sections]]
key = "events"
counted = false
names = { en = "Upcoming Events" }

[format]
field_header = true
title_keys = ["title"]
number_keys = ["number"]
date_keys = ["date"]
titles = ["Gears Weekly {number}"]
section_levels = [1, 2]
category_levels = [3]
numbering = []
bullets = true

[texts.en]
description = "Inside: {{ counts }}."
count_community = "{{ n }} posts from the community"
count_community_one = "{{ n }} post from the community"
count_merged = "{{ n }} merged changes"
count_last_separator = ", plus "
read_more = "Read the whole issue"
readme_item = "* [Gears Weekly {{ number }}]({{ link }}), {{ date }}"
readme_description = "  {{ description }}"
readme_year = "### {{ year }}"
"####;

/// An issue of Gears Weekly: `Key: value` header (a date with a time), categories, bullet
/// entries (one with a second link, one with a tag before the link, one titled in Chinese),
/// an image without alt text, a `#hashtag` in the body, a list of 45 merged changes, events
/// that repeat a link.
fn gears_issue(number: u32, date: &str) -> String {
    let mut merged = String::new();
    for n in 1..=45 {
        let _ = writeln!(
            merged,
            "* [change number {n} to the gear box](https://code.example.org/pull/{number}{n:02})"
        );
    }
    format!(
        "Title: Gears Weekly {number}\nNumber: {number}\nDate: {date} 09:30\nCategory: Gears Weekly\n\n\
         Hello and welcome to another Gears Weekly! #gears #weekly\n\n\
         ![](https://gears.example.org/banner-{number}.png)\n\n\
         # Community News\n\n\
         ### Official\n\
         * [Gear 2.{number} is out](https://gears.example.org/blog/{number})\n\n\
         ### Walkthroughs\n\
         * [Oiling a gear box](https://blog.example.org/oil-{number}) by [Ann](https://ann.example.org)\n\
         * [Cutting teeth](https://blog.example.org/teeth-{number}) by [Ann](https://ann.example.org)\n\
         * [video] [A talk about gears](https://video.example.org/{number})\n\
         * [齿轮入门（中文）](https://blog.example.cn/gears-{number})\n\n\
         # Merged This Week\n\n{merged}\n\
         # Upcoming Events\n\n\
         * 3/14 [Gear meetup](https://meet.example.org/gears)\n\
         * 3/21 [Gear meetup](https://meet.example.org/gears)\n"
    )
}

fn gears(test: &str) -> PathBuf {
    let ws = fresh(&format!("gears-{test}"));
    write(&ws, "weekly.toml", GEARS_TOML);
    for (number, date) in [(211, "2025-02-28"), (212, "2025-3-7")] {
        let padded = weekly_model::IsoDate::parse_loose(date).unwrap();
        write(
            &ws,
            &format!("issues/{number:04}/issue.toml"),
            &format!("number = {number}\ndate = \"{padded}\"\n"),
        );
        write(
            &ws,
            &format!("issues/{number:04}/en.md"),
            &gears_issue(number, date),
        );
    }
    write(
        &ws,
        "README.md",
        "# Gears Weekly\n\n<!-- weekly:issues -->\n<!-- /weekly:issues -->\n",
    );
    ws
}

const TOOLS_TOML: &str = r###"name = { zh = "工具人周报" }
base_url = "https://tools.example.cn"
primary_language = "zh"
languages = ["zh"]
free_after = 0

[[sections]]
key = "news"
counted = true
names = { zh = "动态" }

[[sections]]
key = "articles"
counted = true
names = { zh = "文章" }

[[sections]]
key = "tools"
counted = true
names = { zh = "工具" }

[format]
titles = ["工具人周报（第 {number} 期）：{theme}", "工具人周报：第 {number} 期"]
section_levels = [2]
category_levels = [3]
numbering = ["dunhao"]
essays = ["本周话题：*"]

[texts.zh]
description = "本期收录{{ counts }}。"
count_news = " {{ n }} 条动态"
count_articles = " {{ n }} 篇文章"
count_tools = " {{ n }} 个工具"
count_last_separator = "，以及"
teaser_lead = "本期标题一览："
readme_item = "- 第 {{ number }} 期：[{{ theme }}]({{ link }})"
readme_description = ""
readme_year = "## {{ year }}"
readme_month = "**{{ month_name }}**"
"###;

/// An issue of 工具人周报: H1 title, a lead essay headed by the theme with a `1.` list, an
/// event section with bold `**1、…**` lines, `N、` entries with `1.` lists and images without
/// alt text inside them.
fn tools_issue(title: &str, theme: &str) -> String {
    format!(
        "# {title}\n\n这里记录每周值得分享的工具与文章，周五发布。\n\n\
         ## 封面图\n\n![](https://img.example.cn/cover.webp)\n\n一张封面。\n\n\
         ## {theme}\n\n编者的话。要点有三：\n\n1. 第一点\n2. 第二点\n2. 写错了序号的第三点\n\n\
         ## 活动\n\n**1、线下聚会**\n\n欢迎参加。\n\n\
         ## 动态\n\n\
         1、[一条新闻](https://news.example.cn/1)\n\n![](https://img.example.cn/1.webp)\n\n它讲了三件事：\n\n1. 甲\n1. 乙\n1. 丙\n\n\
         2、[另一条新闻](https://news.example.cn/2)\n\n说明。\n\n\
         3、[第三条新闻](https://news.example.cn/3)\n\n说明。\n\n\
         ## 文章\n\n\
         1、[一篇文章](https://blog.example.cn/a)（英文）\n\n介绍。\n\n\
         2、[又一篇文章](https://blog.example.cn/b)\n\n介绍。\n"
    )
}

fn tools(test: &str) -> PathBuf {
    let ws = fresh(&format!("tools-{test}"));
    write(&ws, "weekly.toml", TOOLS_TOML);
    let issues = [
        (
            259,
            "2024-11-29",
            "工具人周报（第 259 期）：冬天来了".to_owned(),
        ),
        (
            260,
            "2024-12-27",
            "工具人周报（第 260 期）：旅程不会停在 Day 1".to_owned(),
        ),
        (261, "2025-01-03", "工具人周报：第 261 期".to_owned()),
    ];
    for (number, date, title) in &issues {
        let theme = title.split('：').nth(1).unwrap_or("本周话题：无题");
        write(
            &ws,
            &format!("issues/{number:04}/issue.toml"),
            &format!("number = {number}\ndate = \"{date}\"\n"),
        );
        write(
            &ws,
            &format!("issues/{number:04}/zh.md"),
            &tools_issue(title, theme),
        );
    }
    // The README lists #261 under a theme its title lacks: it is kept.
    write(
        &ws,
        "README.md",
        "# 工具人周报\n\n<!-- weekly:issues -->\n\n- 第 261 期：[新年第一期](docs/issue-261.md)\n\n<!-- /weekly:issues -->\n",
    );
    ws
}

/// `weekly check --format json` of `ws`: exit code and the findings.
fn check(ws: &Path) -> (i32, Vec<Value>) {
    let out = weekly_at(ws, &["check", "--format", "json"]);
    let findings: Vec<Value> = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&out), stderr(&out)));
    (out.status.code().unwrap_or(-1), findings)
}

fn errors(findings: &[Value]) -> Vec<&Value> {
    findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect()
}

fn codes(findings: &[Value]) -> Vec<String> {
    let mut codes: Vec<String> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn a_bulleted_english_weekly_checks_without_false_errors() {
    let ws = gears("check");
    let (code, findings) = check(&ws);
    assert_eq!(errors(&findings), Vec::<&Value>::new(), "{findings:#?}");
    assert_eq!(code, 0);
    // No `untranslated` for the editor's own language, no `yaml-comment` in a Pelican header's
    // body, no numbering of bullets; the title's number is read by the pattern.
    for code in ["untranslated", "yaml-comment", "title-number", "title-date"] {
        assert!(
            !codes(&findings).contains(&code.to_owned()),
            "{code}: {findings:#?}"
        );
    }
}

#[test]
fn a_dunhao_weekly_checks_without_false_errors_and_reports_real_slips_on_their_line() {
    let ws = tools("check");
    let (code, findings) = check(&ws);
    assert_eq!(errors(&findings), Vec::<&Value>::new(), "{findings:#?}");
    assert_eq!(code, 0);
    assert!(
        !codes(&findings).contains(&"title-number".to_owned()),
        "{findings:#?}"
    );
    // A real slip: the second news item numbered 3.
    let path = ws.join("issues/0260/zh.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("2、[另一条新闻]", "3、[另一条新闻]")).unwrap();
    let (code, findings) = check(&ws);
    let errors = errors(&findings);
    assert_eq!(code, 1);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let lines: Vec<(u64, &str)> = errors
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(lines, [(37, "numbering-gap"), (41, "numbering-duplicate")]);
    let text = std::fs::read_to_string(&path).unwrap();
    for line in [37, 41] {
        let line = text.lines().nth(line - 1).unwrap();
        assert!(line.starts_with("3、["), "{line}");
    }
}

#[test]
fn titles_give_number_and_theme_in_the_readme_grouped_by_year_and_month() {
    let ws = tools("readme");
    let file = ws.join("README.md");
    let out = weekly_at(&ws, &["readme", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let readme = std::fs::read_to_string(ws.join("README.md")).unwrap();
    assert_eq!(
        readme,
        "# 工具人周报\n\n<!-- weekly:issues -->\n\n\
         ## 2025\n\n**一月**\n\n\
         - 第 261 期：[新年第一期](./issues/0261/zh.md)\n\n\
         ## 2024\n\n**十二月**\n\n\
         - 第 260 期：[旅程不会停在 Day 1](./issues/0260/zh.md)\n\n\
         **十一月**\n\n\
         - 第 259 期：[冬天来了](./issues/0259/zh.md)\n\n\
         <!-- /weekly:issues -->\n"
    );
    // Running it again changes nothing.
    let out = weekly_at(&ws, &["readme", file.to_str().unwrap(), "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn editions_speak_the_newsletters_words() {
    let ws = tools("editions");
    let out = weekly_at(&ws, &["render", "260", "--edition", "teaser"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let teaser = stdout(&out);
    assert!(
        teaser.starts_with(
            "# 工具人周报（第 260 期）：旅程不会停在 Day 1\n\n\
             本期收录 3 条动态，以及 2 篇文章。\n\n本期标题一览：\n\n**动态**\n\n① 一条新闻\n\n"
        ),
        "{teaser}"
    );
    let out = weekly_at(&ws, &["render", "260", "--edition", "readme"]);
    assert_eq!(
        stdout(&out),
        "- 第 260 期：[旅程不会停在 Day 1](./issues/0260/zh.md)\n"
    );

    let ws = gears("editions");
    let out = weekly_at(&ws, &["readme", ws.join("README.md").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let readme = std::fs::read_to_string(ws.join("README.md")).unwrap();
    assert!(
        readme.contains(
            "### 2025\n\n\
             * [Gears Weekly 212](./issues/0212/en.md), 2025-03-07\n  \
             Inside: 5 posts from the community, plus 45 merged changes.\n\
             * [Gears Weekly 211](./issues/0211/en.md), 2025-02-28\n"
        ),
        "{readme}"
    );
    let out = weekly_at(&ws, &["render", "212", "--edition", "teaser"]);
    let teaser = stdout(&out);
    assert!(
        teaser.contains(
            "Inside: 5 posts from the community, plus 45 merged changes.\n\n\
             **Community News**\n\n- Gear 2.212 is out\n- Oiling a gear box by Ann\n"
        ),
        "{teaser}"
    );
    assert!(!teaser.contains("Official"), "{teaser}");
    let out = weekly_at(
        &ws,
        &["render", "212", "--edition", "telegram", "--format", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let all = format!("{}\n{}", json["caption"], json["messages"]);
    assert!(
        all.contains("<b>Community News</b>\\n<i>Official</i>\\n• Gear 2.212 is out\\n<i>Walkthroughs</i>\\n• Oiling a gear box by Ann"),
        "{all}"
    );
    assert!(all.contains("Read the whole issue"), "{all}");
}

#[test]
fn the_check_table_turns_rules_off_down_and_up() {
    let ws = tools("levels");
    // Without `[check]`, images without alt text are warned of.
    let (_, findings) = check(&ws);
    assert!(codes(&findings).contains(&"image-alt".to_owned()));
    let toml = format!("{TOOLS_TOML}\n[check]\nimage-alt = \"off\"\ntitle-number = \"error\"\n");
    write(&ws, "weekly.toml", &toml);
    // A title that gives no number: a warning made an error.
    let path = ws.join("issues/0261/zh.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("# 工具人周报：第 261 期", "# 新年第一期"),
    )
    .unwrap();
    let (code, findings) = check(&ws);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&errors(&findings).into_iter().cloned().collect::<Vec<_>>()),
        ["title-number"]
    );
    assert!(
        !codes(&findings).contains(&"image-alt".to_owned()),
        "{findings:#?}"
    );
    // Made a warning again: the check passes.
    write(
        &ws,
        "weekly.toml",
        &toml.replace("title-number = \"error\"", "title-number = \"warning\""),
    );
    assert_eq!(check(&ws).0, 0);
    // A code no rule has is refused where it is written.
    write(
        &ws,
        "weekly.toml",
        &format!("{TOOLS_TOML}\n[check]\nimage_alt = \"off\"\n"),
    );
    let out = weekly_at(&ws, &["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let line = TOOLS_TOML.lines().count() + 3;
    assert!(
        stderr(&out).contains(&format!("weekly.toml:{line}:1: `check`: `image_alt` is not the code of a rule; did you mean `image-alt`?")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn what_check_makes_a_warning_does_not_stop_the_build() {
    let ws = tools("build");
    // A copy of the archive that lacks more than a hundred issues.
    write(
        &ws,
        "issues/0400/issue.toml",
        "number = 400\ndate = \"2025-01-10\"\n",
    );
    write(
        &ws,
        "issues/0400/zh.md",
        &tools_issue("工具人周报（第 400 期）：跳号", "跳号"),
    );
    let site = ws.join("site");
    let build = || weekly_at(&ws, &["build", "--out", site.to_str().unwrap()]);
    let out = build();
    assert!(!out.status.success());
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(said.contains("issue-jump"), "{said}");
    write(
        &ws,
        "weekly.toml",
        &format!("{TOOLS_TOML}\n[check]\nissue-jump = \"warning\"\n"),
    );
    let out = build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join("zh/400/index.html").is_file());
}
