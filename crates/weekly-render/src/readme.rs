//! The README's past-issue list and statistics table, and their update between markers.
//!
//! Each block is regenerated whole from the archive and written between
//! `<!-- weekly:NAME -->` and `<!-- /weekly:NAME -->`, so re-running never duplicates a line
//! and an unchanged archive leaves the file byte for byte as it was.
//!
//! The words are the newsletter's (`[texts.<lang>]`), each optional, the built-in ones being
//! Python Trending Weekly's:
//!
//! | key | built-in (zh) | placeholders |
//! | --- | --- | --- |
//! | `readme_item` | `- 第 {{ number }} 期：[{{ theme }}]({{ link }})` | `number`, `theme` (escaped for a link text), `link`, `date`, `description` |
//! | `readme_description` | `  - {{ description }}` (empty: no such line) | the same |
//! | `readme_year` | none: no years | `year`; a line before each year's issues, e.g. `## {{ year }}` |
//! | `readme_month` | none: no months | `year`, `month` (1–12), `month_name`; e.g. `**{{ month_name }}**` |
//! | `readme_months` | `一月, 二月, …` (en: `January, …`) | the twelve `month_name`s, separated by commas |
//! | `readme_stats_item`, `readme_stats_count`, `readme_stats_issues` | `统计项`, `数量`, `周刊期数` | the statistics table's words |

use crate::texts::{Texts, base, fill, none};
use std::fmt::{self, Write as _};
use weekly_model::{Catalogue, Counts, IsoDate, Lang};

/// One issue in the past-issue list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// Issue number.
    pub number: u32,
    /// Publication date (the list's years and months).
    pub date: IsoDate,
    /// The theme (title without brand and number), inline Markdown.
    pub theme: String,
    /// Where the link points (a path relative to the README or a URL).
    pub target: String,
    /// The description line.
    pub description: String,
}

/// The README word `key` in `lang`: the newsletter's, else the built-in one.
fn word(lang: &Lang, texts: &Texts, key: &str) -> Option<String> {
    if let Some(text) = texts.get(key) {
        return Some(text.clone());
    }
    let builtin = match (base(lang), key) {
        ("zh", "readme_item") => "- 第 {{ number }} 期：[{{ theme }}]({{ link }})",
        ("ja", "readme_item") => "- 第 {{ number }} 号：[{{ theme }}]({{ link }})",
        (_, "readme_item") => "- Issue {{ number }}: [{{ theme }}]({{ link }})",
        (_, "readme_description") => "  - {{ description }}",
        ("zh", "readme_months") => {
            "一月,二月,三月,四月,五月,六月,七月,八月,九月,十月,十一月,十二月"
        }
        ("ja", "readme_months") => "1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月",
        (_, "readme_months") => {
            "January,February,March,April,May,June,July,August,September,October,November,December"
        }
        ("zh", "readme_stats_item") => "统计项",
        ("zh", "readme_stats_count") => "数量",
        ("zh", "readme_stats_issues") => "周刊期数",
        ("ja", "readme_stats_item") => "項目",
        ("ja", "readme_stats_count") => "数",
        ("ja", "readme_stats_issues") => "号数",
        (_, "readme_stats_item") => "Item",
        (_, "readme_stats_count") => "Count",
        (_, "readme_stats_issues") => "Issues",
        _ => return None,
    };
    Some(builtin.to_owned())
}

/// The list entry of one issue: `- 第 N 期：[主题](target)` or `- Issue N: [Theme](target)`,
/// then the description indented on the next line.
pub fn list_item(lang: &Lang, item: &ListItem) -> String {
    list_item_in(lang, item, none())
}

/// [`list_item`] in the newsletter's words (`readme_item`, `readme_description`).
pub fn list_item_in(lang: &Lang, item: &ListItem, texts: &Texts) -> String {
    let theme = if item.theme.trim().is_empty() {
        format!("#{}", item.number)
    } else {
        item.theme.trim().replace('\n', " ")
    };
    let number = item.number.to_string();
    let date = item.date.to_string();
    let description = item.description.trim().replace('\n', " ");
    let theme = weekly_model::inline::escape_link_text(&theme);
    let link = weekly_model::inline::escape_link_url(&item.target);
    let vars = [
        ("number", number.as_str()),
        ("date", date.as_str()),
        ("theme", theme.as_str()),
        ("link", link.as_str()),
        ("description", description.as_str()),
    ];
    let mut out = fill(&word(lang, texts, "readme_item").unwrap_or_default(), &vars);
    let line = word(lang, texts, "readme_description").unwrap_or_default();
    if !description.is_empty() && !line.trim().is_empty() {
        out.push('\n');
        out.push_str(&fill(&line, &vars));
    }
    out
}

/// The whole list, newest issue first.
pub fn issue_list(lang: &Lang, items: &[ListItem]) -> String {
    issue_list_in(lang, items, none())
}

/// [`issue_list`] in the newsletter's words; grouped under a line per year (`readme_year`)
/// and per month (`readme_month`) when the texts ask for them, each such line with a blank
/// line before and after:
///
/// ```text
/// ## 2026
///
/// **八月**
///
/// - 第 407 期：[主题](./issues/0407/zh.md)
/// ```
pub fn issue_list_in(lang: &Lang, items: &[ListItem], texts: &Texts) -> String {
    let mut sorted: Vec<&ListItem> = items.iter().collect();
    sorted.sort_by_key(|item| std::cmp::Reverse(item.number));
    let year_line = word(lang, texts, "readme_year").filter(|t| !t.trim().is_empty());
    let month_line = word(lang, texts, "readme_month").filter(|t| !t.trim().is_empty());
    let months = word(lang, texts, "readme_months").unwrap_or_default();
    let months: Vec<&str> = months.split([',', '，', '、']).map(str::trim).collect();
    // Paragraphs: group lines, and runs of list items.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let mut current: Option<(u16, u8)> = None;
    for item in sorted {
        let (year, month) = (item.date.year(), item.date.month());
        let new_year = current.is_none_or(|(y, _)| y != year);
        let new_month = new_year || current.is_some_and(|(_, m)| m != month);
        let year_text = year.to_string();
        let month_text = month.to_string();
        let month_name = months
            .get(usize::from(month) - 1)
            .copied()
            .unwrap_or(month_text.as_str());
        let vars = [
            ("year", year_text.as_str()),
            ("month", month_text.as_str()),
            ("month_name", month_name),
        ];
        let mut lines = Vec::new();
        if new_year && let Some(t) = &year_line {
            lines.push(fill(t, &vars));
        }
        if new_month && let Some(t) = &month_line {
            lines.push(fill(t, &vars));
        }
        if !lines.is_empty() {
            if !run.is_empty() {
                paragraphs.push(std::mem::take(&mut run).join("\n"));
            }
            paragraphs.extend(lines);
        }
        current = Some((year, month));
        run.push(list_item_in(lang, item, texts));
    }
    if !run.is_empty() {
        paragraphs.push(run.join("\n"));
    }
    paragraphs.join("\n\n")
}

/// A two-column statistics table: issues, then one row per counted section.
pub fn stats_table(lang: &Lang, issues: u32, counts: &Counts, catalogue: &Catalogue) -> String {
    stats_table_in(lang, issues, counts, catalogue, none())
}

/// [`stats_table`] in the newsletter's words (`readme_stats_*`).
pub fn stats_table_in(
    lang: &Lang,
    issues: u32,
    counts: &Counts,
    catalogue: &Catalogue,
    texts: &Texts,
) -> String {
    let cell = |key: &str| {
        word(lang, texts, key)
            .unwrap_or_default()
            .replace('|', "\\|")
    };
    let (issues_label, item, number) = (
        cell("readme_stats_issues"),
        cell("readme_stats_item"),
        cell("readme_stats_count"),
    );
    let mut out = format!("| {item} | {number} |\n| :-- | --: |\n| {issues_label} | {issues} |");
    for (key, n) in counts.iter() {
        let name = catalogue.get(key).map_or_else(
            || key.to_string(),
            |d| format!("{}{}", d.emoji, d.name(lang)),
        );
        let _ = write!(out, "\n| {} | {n} |", name.replace('|', "\\|"));
    }
    out
}

/// A README without the markers of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerError {
    /// The block name.
    pub name: String,
    /// 1-based line of the problem (0 when a marker is missing).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for MarkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for MarkerError {}

/// The opening and closing marker of block `name`.
/// The themes of the list already between the `issues` markers of `readme`, by issue number:
/// the first link text of each line that names a number before it (`- Issue 2: [Theme](…)`,
/// `- 第 2 期：[主题](…)`).
pub fn listed_themes(readme: &str) -> std::collections::HashMap<u32, String> {
    let (open, close) = markers("issues");
    let mut themes = std::collections::HashMap::new();
    let Some(start) = readme.find(&open) else {
        return themes;
    };
    let block = &readme[start + open.len()..];
    let block = block.find(&close).map_or(block, |end| &block[..end]);
    for line in block.lines() {
        let Some(link) = weekly_model::inline::links(line).into_iter().next() else {
            continue;
        };
        let before = &line[..line.find('[').unwrap_or(0)];
        let digits: String = before
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(number) = digits.parse::<u32>()
            && !link.text.trim().is_empty()
        {
            themes.entry(number).or_insert(link.text);
        }
    }
    themes
}

/// True when a theme says nothing but the date (`(2023-05-20)`): the title had no theme.
pub fn is_date_only(theme: &str) -> bool {
    let t = theme
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    t.is_empty() || weekly_model::IsoDate::parse(t).is_some()
}

pub fn markers(name: &str) -> (String, String) {
    (
        format!("<!-- weekly:{name} -->"),
        format!("<!-- /weekly:{name} -->"),
    )
}

/// Replaces what stands between the markers of block `name` with `content` (one blank line on
/// each side). The line ending of the file is kept.
pub fn replace_block(text: &str, name: &str, content: &str) -> Result<String, MarkerError> {
    let (open, close) = markers(name);
    let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
    let start = text.find(&open).ok_or_else(|| MarkerError {
        name: name.into(),
        line: 0,
        message: format!("no `{open}` marker; put `{open}` and `{close}` on their own lines where the block belongs"),
    })?;
    if let Some(second) = text[start + open.len()..].find(&open) {
        return Err(MarkerError {
            name: name.into(),
            line: line_of(start + open.len() + second),
            message: format!("`{open}` appears twice"),
        });
    }
    let body_start = start + open.len();
    let end = text[body_start..]
        .find(&close)
        .map(|e| body_start + e)
        .ok_or_else(|| MarkerError {
            name: name.into(),
            line: line_of(start),
            message: format!("`{open}` is not closed by `{close}`"),
        })?;
    let crlf = text.contains("\r\n");
    let le = if crlf { "\r\n" } else { "\n" };
    let content = content.trim_matches('\n');
    let content = if crlf {
        content.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        content.to_owned()
    };
    let mut out = String::with_capacity(text.len() + content.len());
    out.push_str(&text[..body_start]);
    out.push_str(le);
    out.push_str(le);
    out.push_str(&content);
    out.push_str(le);
    out.push_str(le);
    out.push_str(&text[end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<ListItem> {
        (1..=3)
            .map(|n| ListItem {
                number: n,
                date: IsoDate::new(2024, 12, 20 + n as u8).unwrap(),
                theme: format!("主题 [{n}]"),
                target: format!("./issues/000{n}/zh.md"),
                description: format!("本期分享了 {n} 篇文章。"),
            })
            .collect()
    }

    #[test]
    fn list_is_newest_first_and_escaped() {
        let list = issue_list(&Lang::zh(), &items());
        assert!(list.starts_with("- 第 3 期：[主题 \\[3\\]](./issues/0003/zh.md)\n  - 本期分享了 3 篇文章。\n- 第 2 期"), "{list}");
        let en = list_item(&Lang::en(), &items()[0]);
        assert!(en.starts_with("- Issue 1: ["));
    }

    #[test]
    fn replacing_twice_changes_nothing() {
        let readme = "# 周刊\r\n\r\n## 往期\r\n<!-- weekly:issues -->\r\nold\r\n<!-- /weekly:issues -->\r\n\r\n## 其它\r\n";
        let list = issue_list(&Lang::zh(), &items());
        let once = replace_block(readme, "issues", &list).unwrap();
        assert!(
            once.contains("<!-- weekly:issues -->\r\n\r\n- 第 3 期"),
            "{once}"
        );
        assert!(!once.contains("old"));
        assert!(
            !once.replace("\r\n", "").contains('\n'),
            "line endings kept"
        );
        assert_eq!(replace_block(&once, "issues", &list).unwrap(), once);
    }

    #[test]
    fn marker_errors_say_what_to_do() {
        let e = replace_block("text", "stats", "x").unwrap_err();
        assert!(e.message.contains("<!-- weekly:stats -->"));
        let e = replace_block("a\n<!-- weekly:stats -->\nb", "stats", "x").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn stats_table_rows() {
        let catalogue = Catalogue::python_weekly();
        let mut counts = Counts::zero(&catalogue);
        counts.set("articles", 1926);
        let table = stats_table(&Lang::zh(), 159, &counts, &catalogue);
        assert!(
            table.contains("| 周刊期数 | 159 |\n| 🦄文章&教程 | 1926 |\n| 🐿️项目&资源 | 0 |"),
            "{table}"
        );
    }

    #[test]
    fn list_grouped_by_year_and_month_in_the_newsletters_words() {
        let item = |number: u32, date: &str, theme: &str| ListItem {
            number,
            date: IsoDate::parse(date).unwrap(),
            theme: theme.into(),
            target: format!("docs/issue-{number}.md"),
            description: "不显示".into(),
        };
        let items = [
            item(40, "2024-12-27", "年末"),
            item(41, "2025-01-03", "新年"),
            item(39, "2024-11-29", "冬天"),
            item(38, "2024-11-22", "落叶"),
        ];
        let texts: Texts = [
            ("readme_year", "## {{ year }}"),
            ("readme_month", "**{{ month_name }}**"),
            ("readme_description", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let list = issue_list_in(&Lang::zh(), &items, &texts);
        assert_eq!(
            list,
            "## 2025\n\n**一月**\n\n- 第 41 期：[新年](docs/issue-41.md)\n\n\
             ## 2024\n\n**十二月**\n\n- 第 40 期：[年末](docs/issue-40.md)\n\n\
             **十一月**\n\n- 第 39 期：[冬天](docs/issue-39.md)\n- 第 38 期：[落叶](docs/issue-38.md)"
        );
        // The themes are read back from such a list.
        let readme = format!("<!-- weekly:issues -->\n{list}\n<!-- /weekly:issues -->\n");
        assert_eq!(
            listed_themes(&readme).get(&39).map(String::as_str),
            Some("冬天")
        );
        // Months only, named by number, and a line of the newsletter's own for each issue.
        let texts: Texts = [
            ("readme_month", "**{{ year }} 年 {{ month }} 月**"),
            (
                "readme_item",
                "* {{ date }} [{{ theme }}]({{ link }}) (#{{ number }})",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let list = issue_list_in(&Lang::zh(), &items[2..], &texts);
        assert_eq!(
            list,
            "**2024 年 11 月**\n\n* 2024-11-29 [冬天](docs/issue-39.md) (#39)\n  - 不显示\n\
             * 2024-11-22 [落叶](docs/issue-38.md) (#38)\n  - 不显示"
        );
    }

    #[test]
    fn stats_table_in_the_newsletters_words() {
        let catalogue = Catalogue::python_weekly();
        let counts = Counts::zero(&catalogue);
        let texts: Texts = [("readme_stats_issues", "期数")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let table = stats_table_in(&Lang::zh(), 7, &counts, &catalogue, &texts);
        assert!(
            table.starts_with("| 统计项 | 数量 |\n| :-- | --: |\n| 期数 | 7 |"),
            "{table}"
        );
    }
}
