//! The README's past-issue list and statistics table, and their update between markers.
//!
//! Each block is regenerated whole from the archive and written between
//! `<!-- weekly:NAME -->` and `<!-- /weekly:NAME -->`, so re-running never duplicates a line
//! and an unchanged archive leaves the file byte for byte as it was.

use std::fmt::{self, Write as _};
use weekly_model::{Catalogue, Counts, Lang};

/// One issue in the past-issue list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// Issue number.
    pub number: u32,
    /// The theme (title without brand and number), inline Markdown.
    pub theme: String,
    /// Where the link points (a path relative to the README or a URL).
    pub target: String,
    /// The description line.
    pub description: String,
}

/// The list entry of one issue: `- 第 N 期：[主题](target)` or `- Issue N: [Theme](target)`,
/// then the description indented on the next line.
pub fn list_item(lang: &Lang, item: &ListItem) -> String {
    let label = match lang.as_str().split('-').next().unwrap_or("") {
        "zh" => format!("第 {} 期：", item.number),
        "ja" => format!("第 {} 号：", item.number),
        _ => format!("Issue {}: ", item.number),
    };
    let theme = if item.theme.trim().is_empty() {
        format!("#{}", item.number)
    } else {
        item.theme.trim().replace('\n', " ")
    };
    let mut out = format!(
        "- {label}[{}]({})",
        weekly_model::inline::escape_link_text(&theme),
        weekly_model::inline::escape_link_url(&item.target)
    );
    if !item.description.trim().is_empty() {
        out.push_str("\n  - ");
        out.push_str(&item.description.trim().replace('\n', " "));
    }
    out
}

/// The whole list, newest issue first.
pub fn issue_list(lang: &Lang, items: &[ListItem]) -> String {
    let mut sorted: Vec<&ListItem> = items.iter().collect();
    sorted.sort_by_key(|item| std::cmp::Reverse(item.number));
    sorted
        .iter()
        .map(|item| list_item(lang, item))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A two-column statistics table: issues, then one row per counted section.
pub fn stats_table(lang: &Lang, issues: u32, counts: &Counts, catalogue: &Catalogue) -> String {
    let (issues_label, item, number) = match lang.as_str().split('-').next().unwrap_or("") {
        "zh" => ("周刊期数", "统计项", "数量"),
        "ja" => ("号数", "項目", "数"),
        _ => ("Issues", "Item", "Count"),
    };
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
}
