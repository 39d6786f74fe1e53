//! Entry titles as the title-only editions show them: link syntax and images removed, the
//! language tag of the first issues dropped, Markdown escapes kept, on one line.

use weekly_model::inline::unlink;
use weekly_model::{Catalogue, Document, Entry, Section};

/// A counted section as the title-only editions (teaser, Telegram) show it: the section with
/// the categories that follow it (`### Official` under `## Community News`), so that their
/// titles are listed, and numbered, under the section's one heading.
pub(crate) struct TitleGroup<'a> {
    /// The section.
    pub head: &'a Section,
    /// Its entries, then each category's: the category (`None` for the section's own) and
    /// its entries.
    pub parts: Vec<(Option<&'a Section>, &'a [Entry])>,
}

impl TitleGroup<'_> {
    /// The section's heading as inline Markdown; the catalogue's name when it has none.
    pub fn heading(&self, document: &Document, catalogue: &Catalogue) -> String {
        let text = self.head.heading.text.trim();
        if !text.is_empty() {
            return text.to_owned();
        }
        catalogue.get(&self.head.key).map_or_else(
            || self.head.key.to_string(),
            |d| d.name(&document.lang).to_owned(),
        )
    }

    /// Every entry of the group, in order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.parts.iter().flat_map(|(_, entries)| entries.iter())
    }
}

/// The counted sections of `document` that have entries, each with its categories.
pub(crate) fn title_groups<'a>(
    document: &'a Document,
    catalogue: &Catalogue,
) -> Vec<TitleGroup<'a>> {
    let mut groups: Vec<TitleGroup<'a>> = Vec::new();
    for section in document.all_sections() {
        match groups.last_mut() {
            Some(group) if section.category && group.head.key == section.key => {
                group.parts.push((Some(section), &section.entries));
            }
            _ => groups.push(TitleGroup {
                head: section,
                parts: vec![(None, &section.entries)],
            }),
        }
    }
    groups.retain(|g| catalogue.is_counted(&g.head.key) && g.entries().next().is_some());
    groups
}

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
