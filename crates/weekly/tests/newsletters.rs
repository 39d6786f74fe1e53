//! Any newsletter: This Week in Rust and 科技爱好者周刊 imported with their shipped formats
//! (`weekly import SRC --into DIR --format NAME`) and held to their raw files, read here
//! independently of the parser: every issue's number, date, theme and entries (the invented
//! fourth newsletter, `init` and the import's mechanics are in `newsletter_import`).
//!
//! The archives are `../shared/corpus/this-week-in-rust` and `../shared/corpus/ruanyf-weekly`
//! (`WEEKLY_SHARED_CORPUS` names another folder holding them). A test whose archive is
//! missing is skipped with a message, and fails when `CI=true`.

use crate::common;

use common::{repo_root, skip, stderr, stdout, weekly, weekly_at};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

// ----- the archives -------------------------------------------------------------------------

/// `../shared/corpus/NAME`, or `None` (skipped with a message; a failure when `CI=true`).
fn archive(name: &str) -> Option<PathBuf> {
    let base = std::env::var_os("WEEKLY_SHARED_CORPUS")
        .map_or_else(|| repo_root().join("../shared/corpus"), PathBuf::from);
    let dir = base.join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "CI=true and the archive {} is missing",
        dir.display()
    );
    skip(&format!(
        "archive not found at {} (set WEEKLY_SHARED_CORPUS)",
        dir.display()
    ));
    None
}

/// An archive imported once with its format, and what the import printed.
struct Imported {
    src: PathBuf,
    ws: PathBuf,
    printed: String,
}

fn import(name: &str, format: &str) -> Option<Imported> {
    let src = archive(name)?;
    let ws = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("newsletters-{name}"));
    let _ = std::fs::remove_dir_all(&ws);
    let out = weekly(&[
        "import",
        src.to_str().unwrap(),
        "--into",
        ws.to_str().unwrap(),
        "--format",
        format,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    Some(Imported {
        src,
        ws,
        printed: stderr(&out),
    })
}

fn twir() -> Option<&'static Imported> {
    static ONCE: OnceLock<Option<Imported>> = OnceLock::new();
    ONCE.get_or_init(|| import("this-week-in-rust", "this-week-in-rust"))
        .as_ref()
}

fn ruanyf() -> Option<&'static Imported> {
    static ONCE: OnceLock<Option<Imported>> = OnceLock::new();
    ONCE.get_or_init(|| import("ruanyf-weekly", "ruanyf-weekly"))
        .as_ref()
}

/// `weekly check --format json`: exit code and diagnostics.
pub(crate) fn check(ws: &Path) -> (i32, Vec<Value>) {
    let out = weekly_at(ws, &["check", "--format", "json"]);
    let value: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (
        out.status.code().unwrap(),
        value.as_array().unwrap().clone(),
    )
}

/// Codes of problems reading a file (the parser's and the workspace's), as opposed to what
/// the archive's rules find in a well-read file.
const PARSE_CODES: [&str; 11] = [
    "yaml",
    "front-matter",
    "date",
    "encoding",
    "stray-h1",
    "unclosed-fence",
    "empty-title",
    "issue-toml",
    "stray-file",
    "empty-edition",
    "outside-link",
];

pub(crate) fn parse_errors(diags: &[Value]) -> Vec<&Value> {
    diags
        .iter()
        .filter(|d| d["severity"] == "error" && PARSE_CODES.contains(&d["code"].as_str().unwrap()))
        .collect()
}

/// `weekly stats --format json` by issue number.
pub(crate) fn stats(ws: &Path) -> BTreeMap<u64, Value> {
    let out = weekly_at(ws, &["stats", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["number"].as_u64().unwrap(), s.clone()))
        .collect()
}

/// The theme `weekly render N --edition readme` shows: the link text of its list line.
pub(crate) fn readme_theme(ws: &Path, number: u64) -> String {
    let n = number.to_string();
    let out = weekly_at(ws, &["render", &n, "--edition", "readme"]);
    assert!(out.status.success(), "#{number}: {}", stderr(&out));
    let text = stdout(&out);
    let line = text.lines().next().unwrap_or_default();
    list_theme(line)
        .unwrap_or_else(|| panic!("#{number}: {line}"))
        .1
}

/// Number and theme of a README list line: `- Issue 12: [Theme](./issues/0012/en.md)`.
fn list_theme(line: &str) -> Option<(u64, String)> {
    let open = line.find('[')?;
    let close = line.rfind("](")?;
    let number = line[..open]
        .split(|c: char| !c.is_ascii_digit())
        .find(|d| !d.is_empty())?
        .parse()
        .ok()?;
    Some((number, unescape(&line[open + 1..close])))
}

/// The theme of every issue as the README list shows it (`weekly readme`, which writes each
/// issue's line as `weekly render N --edition readme` does), and that of every tenth issue as
/// `weekly render` shows it, which must agree.
fn listed_themes(ws: &Path) -> BTreeMap<u64, String> {
    let dir = tempfile::tempdir().unwrap();
    let readme = dir.path().join("README.md");
    std::fs::write(&readme, "<!-- weekly:issues -->\n<!-- /weekly:issues -->\n").unwrap();
    let out = weekly_at(ws, &["readme", readme.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: BTreeMap<u64, String> = std::fs::read_to_string(&readme)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("- "))
        .filter_map(list_theme)
        .collect();
    let sample: Vec<u64> = listed.keys().copied().step_by(10).collect();
    for (n, theme) in on_two_threads(&sample, |n| (*n, readme_theme(ws, *n))) {
        assert_eq!(theme, listed[&n], "#{n}: render and readme disagree");
    }
    listed
}

/// Markdown backslash escapes taken back.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(next) = chars.next()
        {
            if !next.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(next);
        } else {
            out.push(c);
        }
    }
    out
}

/// Within 1 % of `expected`, or one entry.
fn close_enough(ours: u64, expected: u64) -> bool {
    let diff = ours.abs_diff(expected);
    diff <= 1 || (diff as f64) <= expected as f64 * 0.01
}

/// Runs `f` on every item, two at a time (the machines are shared).
fn on_two_threads<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let half = items.len().div_ceil(2);
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(half.max(1))
            .map(|chunk| s.spawn(|| chunk.iter().map(&f).collect::<Vec<_>>()))
            .collect();
        parts.into_iter().flat_map(|p| p.join().unwrap()).collect()
    })
}

// ----- the raw files, read independently --------------------------------------------------

/// The text without HTML comments (`<!-- … -->`, also across lines) and fenced code blocks.
fn without_code_and_comments(text: &str) -> Vec<String> {
    let mut uncommented = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        uncommented.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => {
                // Keep the line structure: the comment's line breaks stay.
                let comment = &rest[start..start + 4 + end + 3];
                uncommented.extend(std::iter::repeat_n('\n', comment.matches('\n').count()));
                rest = &rest[start + 4 + end + 3..];
            }
            None => {
                rest = "";
            }
        }
    }
    uncommented.push_str(rest);
    let mut lines = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for line in uncommented.lines() {
        let t = line.trim_start();
        let marker = t.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| t.chars().take_while(|c| *c == m).count());
        match fence {
            Some((m, n)) => {
                if marker == Some(m) && run >= n && t.trim_end().chars().all(|c| c == m) {
                    fence = None;
                }
                lines.push(String::new());
            }
            None if run >= 3 => {
                fence = Some((marker.unwrap(), run));
                lines.push(String::new());
            }
            None => lines.push(line.to_owned()),
        }
    }
    lines
}

/// `Key: value` lines at the top of a Pelican post.
fn pelican_header(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect()
}

/// `2020-12-2 18:46` → `2020-12-02`.
fn day(value: &str) -> String {
    let date = value.split([' ', 'T']).next().unwrap();
    let parts: Vec<u32> = date.split('-').map(|p| p.parse().unwrap()).collect();
    format!("{:04}-{:02}-{:02}", parts[0], parts[1], parts[2])
}

fn label(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether `text` holds a link: inline `[t](u)` or `<https://…>`, `[t][id]`, `[t][]`, or a
/// shortcut `[t]` that `definitions` define. Images (`![a](s)`) are not links.
fn holds_link(text: &str, definitions: &HashSet<String>) -> bool {
    if ["<http://", "<https://"].iter().any(|a| {
        text.match_indices(a).any(|(i, _)| {
            text[i..]
                .find('>')
                .is_some_and(|e| !text[i..i + e].contains(' '))
        })
    }) {
        return true;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] != b'[' {
            i += 1;
            continue;
        }
        let image = i > 0 && b[i - 1] == b'!';
        // The matching `]`.
        let mut depth = 0;
        let mut close = None;
        let mut j = i;
        while j < b.len() {
            match b[j] {
                b'\\' => j += 1,
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        let Some(close) = close else {
            i += 1;
            continue;
        };
        let inner = &text[i + 1..close];
        let after = &text[close + 1..];
        if !image {
            if after.starts_with('(') && after.contains(')') {
                return true;
            }
            if let Some(id) = after.strip_prefix('[')
                && let Some(end) = id.find(']')
            {
                let id = &id[..end];
                let id = if id.trim().is_empty() { inner } else { id };
                if definitions.contains(&label(id)) {
                    return true;
                }
            } else if !after.starts_with('(')
                && !is_definition(after)
                && definitions.contains(&label(inner))
            {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Whether the text after `[label]` makes it a link reference definition (`[id]: url "title"`)
/// rather than a shortcut link followed by a colon (`[crate]: what it does`).
fn is_definition(after: &str) -> bool {
    let Some(rest) = after.strip_prefix(':') else {
        return false;
    };
    let mut words = rest.split_whitespace();
    let url = words.next().unwrap_or_default();
    let title: Vec<&str> = words.collect();
    let looks_like_url = url.contains("://") || url.starts_with(['<', '/', '#', '.']);
    let title_only = title.is_empty()
        || title
            .first()
            .is_some_and(|t| t.starts_with(['"', '\'', '(']));
    looks_like_url && title_only
}

fn is_bullet(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    let (Some(marker), Some(space)) = (chars.next(), chars.next()) else {
        return false;
    };
    if !matches!(marker, '*' | '-' | '+') || !(space == ' ' || space == '\t') {
        return false;
    }
    // A thematic break (`* * *`, `- - -`) is not a list item.
    !t.chars().all(|c| c == marker || c == ' ' || c == '\t')
}

/// This Week in Rust's entry lines: bullet items whose text, continuation lines included,
/// holds a link.
fn twir_expected_entries(text: &str) -> u64 {
    let lines = without_code_and_comments(text);
    let definitions: HashSet<String> = lines
        .iter()
        .filter_map(|l| {
            let t = l.trim_start();
            let (name, url) = t.strip_prefix('[')?.split_once("]:")?;
            (!url.trim().is_empty()).then(|| label(name))
        })
        .collect();
    let mut count = 0;
    let mut i = 0;
    while i < lines.len() {
        if !is_bullet(&lines[i]) {
            i += 1;
            continue;
        }
        let mut item = lines[i].clone();
        let mut j = i + 1;
        while j < lines.len()
            && !lines[j].trim().is_empty()
            && !is_bullet(&lines[j])
            && !lines[j].trim_start().starts_with('#')
        {
            item.push('\n');
            item.push_str(&lines[j]);
            j += 1;
        }
        if holds_link(&item, &definitions) {
            count += 1;
        }
        i = j;
    }
    count
}

/// 科技爱好者周刊's entry lines: `N、` lines outside the lead essay (a `##` section headed by
/// the theme, `本周话题：…` or `刊首语：…`).
fn ruanyf_expected_entries(text: &str, theme: &str) -> u64 {
    let fold = |s: &str| s.split_whitespace().collect::<String>();
    let mut count = 0;
    let mut essay = false;
    for line in without_code_and_comments(text) {
        if let Some(heading) = line.strip_prefix("## ") {
            let h = fold(heading);
            essay = h.starts_with("本周话题：")
                || h.starts_with("刊首语：")
                || (!theme.is_empty() && h == fold(theme));
            continue;
        }
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && line[digits..].starts_with('、') && !essay {
            count += 1;
        }
    }
    count
}

// ----- This Week in Rust ----------------------------------------------------------------------

#[test]
fn this_week_in_rust_every_issue_number_date_theme_and_entries() {
    let Some(imported) = twir() else { return };
    let stats = stats(&imported.ws);
    let mut expected_issues = BTreeSet::new();
    let mut wrong = Vec::new();
    let mut titles = BTreeMap::new();
    let mut entries = (0, 0);
    for file in std::fs::read_dir(imported.src.join("content")).unwrap() {
        let path = file.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let header = pelican_header(&text);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if header
            .get("category")
            .is_some_and(|c| c != "This Week in Rust")
        {
            // Not an issue: skipped, and said so.
            assert!(
                imported.printed.contains(&name) && imported.printed.contains("skipped"),
                "{name} was not listed as skipped:\n{}",
                imported.printed
            );
            continue;
        }
        let title = &header["title"];
        let number: u64 = header.get("number").map_or_else(
            || title.rsplit(' ').next().unwrap().parse().unwrap(),
            |n| n.parse().unwrap(),
        );
        assert!(expected_issues.insert(number), "#{number} twice");
        titles.insert(number, title.clone());
        let Some(s) = stats.get(&number) else {
            wrong.push(format!("{name}: no issue #{number}"));
            continue;
        };
        if s["date"] != day(&header["date"]) {
            wrong.push(format!(
                "#{number}: date {} for {}",
                s["date"], header["date"]
            ));
        }
        let expected = twir_expected_entries(&text);
        let ours = s["entries"].as_u64().unwrap();
        entries.0 += ours;
        entries.1 += expected;
        if !close_enough(ours, expected) {
            wrong.push(format!(
                "#{number} ({name}): {ours} entries, the file has {expected}"
            ));
        }
    }
    assert_eq!(
        stats.keys().copied().collect::<BTreeSet<_>>(),
        expected_issues,
        "the issues"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    eprintln!(
        "This Week in Rust: {} issues, {} entries (the files have {})",
        stats.len(),
        entries.0,
        entries.1
    );
    // No theme in these titles: the README list shows the title itself.
    let shown = listed_themes(&imported.ws);
    assert_eq!(shown.len(), titles.len());
    let wrong: Vec<String> = shown
        .into_iter()
        .filter(|(n, theme)| *theme != titles[n])
        .map(|(n, theme)| format!("#{n}: `{theme}` for `{}`", titles[&n]))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn this_week_in_rust_checks_without_errors() {
    let Some(imported) = twir() else { return };
    let (code, diags) = check(&imported.ws);
    let parse = parse_errors(&diags);
    assert!(parse.is_empty(), "{parse:?}");
    let errors: Vec<&Value> = diags.iter().filter(|d| d["severity"] == "error").collect();
    assert!(
        errors.is_empty(),
        "{} errors, e.g. {:?}",
        errors.len(),
        errors.first()
    );
    assert_eq!(code, 0);
}

// ----- 科技爱好者周刊 --------------------------------------------------------------------------

/// The README's themes: `- 第 N 期：[theme](docs/issue-N.md)`.
fn ruanyf_readme(src: &Path) -> BTreeMap<u64, String> {
    let text = std::fs::read_to_string(src.join("README.md")).unwrap();
    let mut themes = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("- 第 ") else {
            continue;
        };
        let number: u64 = rest.split(' ').next().unwrap().parse().unwrap();
        let open = rest.find('[').unwrap();
        let close = rest.rfind("](").unwrap();
        themes.insert(number, rest[open + 1..close].to_owned());
    }
    themes
}

#[test]
fn ruanyf_weekly_every_issue_number_date_theme_and_entries() {
    let Some(imported) = ruanyf() else { return };
    let stats = stats(&imported.ws);
    let readme = ruanyf_readme(&imported.src);
    let dates: BTreeMap<String, String> = std::fs::read_to_string(imported.src.join("dates.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let (path, date) = l.split_once('\t').unwrap();
            (path.to_owned(), date.to_owned())
        })
        .collect();
    let mut wrong = Vec::new();
    let mut themes = BTreeMap::new();
    let mut entries = (0, 0);
    for file in std::fs::read_dir(imported.src.join("docs")).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let number: u64 = name
            .trim_start_matches("issue-")
            .trim_end_matches(".md")
            .parse()
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .unwrap()
            .trim();
        // The theme follows `期）：` in the title, else the README has it.
        let theme = title
            .split_once("期）：")
            .map_or_else(|| readme[&number].clone(), |(_, t)| t.trim().to_owned());
        themes.insert(number, theme.clone());
        let Some(s) = stats.get(&number) else {
            wrong.push(format!("{name}: no issue #{number}"));
            continue;
        };
        let date = &dates[&format!("docs/{name}")];
        if s["date"] != *date {
            wrong.push(format!("#{number}: date {} for {date}", s["date"]));
        }
        let expected = ruanyf_expected_entries(&text, &theme);
        let ours = s["entries"].as_u64().unwrap();
        entries.0 += ours;
        entries.1 += expected;
        if !close_enough(ours, expected) {
            wrong.push(format!(
                "#{number}: {ours} entries, the file has {expected}"
            ));
        }
    }
    assert_eq!(
        stats.keys().copied().collect::<BTreeSet<_>>(),
        themes.keys().copied().collect::<BTreeSet<_>>(),
        "the issues"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    eprintln!(
        "科技爱好者周刊: {} issues, {} entries (the files have {})",
        stats.len(),
        entries.0,
        entries.1
    );
    let shown = listed_themes(&imported.ws);
    assert_eq!(shown.len(), themes.len());
    let wrong: Vec<String> = shown
        .into_iter()
        .filter(|(n, theme)| *theme != themes[n])
        .map(|(n, theme)| format!("#{n}: `{theme}` for `{}`", themes[&n]))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The files added together are named.
    assert!(
        imported
            .printed
            .contains("have the date 2018-10-13 from the dates table"),
        "{}",
        imported.printed
    );
}

#[test]
fn ruanyf_weekly_parses_without_errors() {
    let Some(imported) = ruanyf() else { return };
    let (_, diags) = check(&imported.ws);
    let parse = parse_errors(&diags);
    assert!(parse.is_empty(), "{parse:?}");
    // 2018's `## 新闻` and today's `## 科技动态` are one section, as written.
    let out = weekly_at(&imported.ws, &["stats", "--format", "json"]);
    let all: Value = serde_json::from_slice(&out.stdout).unwrap();
    let news = |n: u64| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|s| s["number"] == n)
            .map(|s| s["counts"]["news"].as_u64().unwrap())
            .unwrap()
    };
    assert!(news(1) > 0 && news(407) > 0);
    let first = std::fs::read_to_string(imported.ws.join("issues/0001/zh.md")).unwrap();
    assert!(first.contains("\n## 新闻\n"));
}
