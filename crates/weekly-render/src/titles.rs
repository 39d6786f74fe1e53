//! Entry titles as the title-only editions show them: link syntax and images removed, the
//! language tag of the first issues dropped, Markdown escapes kept, on one line.

use weekly_model::Entry;
use weekly_model::inline::unlink;

/// The title as inline Markdown without links: `[shelve\.py](u)（英文）` → `shelve\.py`.
pub fn title_markdown(entry: &Entry) -> String {
    let mut title = unlink(&entry.title);
    if let Some(tag) = entry.lang_tag()
        && let Some(stripped) = title.trim_end().strip_suffix(tag)
    {
        title = stripped.to_owned();
    }
    one_line(&title)
}

/// `text` on one line: each line break, with the white space around it, becomes one space;
/// spaces inside a line stay as written (`meet-libai:  构建…` keeps its two).
fn one_line(text: &str) -> String {
    text.trim()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The title as plain text (escapes and emphasis removed), on one line.
pub fn title_plain(entry: &Entry) -> String {
    one_line(&entry.plain_title())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_without_links_or_tags() {
        let e = Entry::linked(1, "x", "u");
        assert_eq!(title_markdown(&e), "x");
        let mut e = e;
        e.title = "[代码阅读：shelve\\.py](https://a.org)（英文）".into();
        assert_eq!(title_markdown(&e), "代码阅读：shelve\\.py");
        assert_eq!(title_plain(&e), "代码阅读：shelve.py");
        e.title = "[a](u) 和\n[b](v)".into();
        assert_eq!(title_markdown(&e), "a 和 b");
        e.title = "[meet-libai:  构建知识图谱](u)".into();
        assert_eq!(title_markdown(&e), "meet-libai:  构建知识图谱");
        assert_eq!(title_plain(&e), "meet-libai:  构建知识图谱");
    }
}
