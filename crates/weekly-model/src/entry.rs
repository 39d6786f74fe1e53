//! A numbered entry of a section: its title line and the paragraphs under it.

use crate::document::Block;
use crate::inline::{self, Attachment, Image, Link, StarNote};
use crate::verbatim::{Verbatim, fingerprint};

/// How an entry number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberMarker {
    /// `1、` (Chinese enumeration comma), the house style.
    Dunhao,
    /// `1.` (English files of the first era).
    Dot,
    /// `①` (teasers, title lists).
    Circled,
    /// `* `, `- ` or `+ ` (a bullet item that holds a link); the number counts the section's
    /// bullet entries.
    Bullet,
}

/// One numbered entry: `N、[标题](url)` followed by description paragraphs and images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The number as written (duplicates and gaps are kept; `weekly check` reports them).
    pub number: u32,
    /// How the number is written.
    pub marker: NumberMarker,
    /// The title line after the number, as inline Markdown (links, language tag).
    pub title: String,
    /// Paragraphs, lists, code blocks and images under the title, each as Markdown.
    pub body: Vec<Block>,
    /// Original text of the whole entry, for lossless writing.
    pub source: Option<Verbatim>,
    /// 1-based line of the title in the source file (0 for entries built in code).
    pub line: u32,
}

/// Language tags written after titles in the first issues.
const LANG_TAGS: [&str; 6] = ["（英文）", "(英)", "（英）", "(中英)", "(中译)", "(英文)"];

impl Entry {
    /// A new entry with a linked title, escaped so any text and URL survive.
    pub fn linked(number: u32, title: &str, url: &str) -> Entry {
        Entry {
            number,
            marker: NumberMarker::Dunhao,
            title: format!(
                "[{}]({})",
                inline::escape_link_text(title),
                inline::escape_link_url(url)
            ),
            body: Vec::new(),
            source: None,
            line: 0,
        }
    }

    /// Fingerprint of everything that is written out.
    pub fn fingerprint(&self) -> u64 {
        let body: Vec<&str> = self.body.iter().map(|b| b.text.as_str()).collect();
        fingerprint(&(self.number, self.marker, &self.title, body))
    }

    /// Links of the title line (one, two for `[a](u)[b](v)` titles, none for plain titles).
    pub fn links(&self) -> Vec<Link> {
        inline::links(&self.title)
    }

    /// The first link's URL.
    pub fn url(&self) -> Option<String> {
        self.links().into_iter().next().map(|l| l.url)
    }

    /// The title as plain text, link syntax, escapes and language tag removed.
    pub fn plain_title(&self) -> String {
        let mut title = self.title.trim_end();
        for tag in LANG_TAGS {
            if let Some(stripped) = title.strip_suffix(tag) {
                title = stripped.trim_end();
            }
        }
        inline::plain_text(title)
    }

    /// The language tag written after the title (`（英文）`, `(英)`, `(中英)`, `(中译)`).
    pub fn lang_tag(&self) -> Option<&'static str> {
        let title = self.title.trim_end();
        LANG_TAGS.into_iter().find(|tag| title.ends_with(tag))
    }

    /// Images in the body.
    pub fn images(&self) -> Vec<Image> {
        self.body
            .iter()
            .flat_map(|b| inline::links_and_images(&b.text).1)
            .collect()
    }

    /// Star notes in the body; the first one is the project's star count.
    pub fn star_notes(&self) -> Vec<StarNote> {
        self.body
            .iter()
            .flat_map(|b| inline::star_notes(&b.text))
            .collect()
    }

    /// Stars of the project, from the first star note.
    pub fn stars(&self) -> Option<u32> {
        self.star_notes().first().map(|n| n.stars)
    }

    /// Attached notes `（附：…）` in the body.
    pub fn attachments(&self) -> Vec<Attachment> {
        self.body
            .iter()
            .flat_map(|b| inline::attachments(&b.text))
            .collect()
    }

    /// Links in the body text (not images).
    pub fn body_links(&self) -> Vec<Link> {
        self.body
            .iter()
            .flat_map(|b| inline::links(&b.text))
            .collect()
    }

    /// For a bilingual draft title `[中文---English](url)`: the title before and after the first
    /// `---` of each link text. `None` when no link text holds `---`.
    pub fn bilingual_titles(&self) -> Option<(String, String)> {
        let links = self.links();
        if !links.iter().any(|l| l.text.contains("---")) {
            return None;
        }
        let mut first = String::new();
        let mut second = String::new();
        for link in &links {
            let (a, b) = link.text.split_once("---").unwrap_or((&link.text, ""));
            first.push_str(&inline::plain_text(a));
            second.push_str(&inline::plain_text(b));
        }
        Some((first.trim().to_owned(), second.trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, body: &[&str]) -> Entry {
        Entry {
            number: 1,
            marker: NumberMarker::Dunhao,
            title: title.into(),
            body: body.iter().map(|t| Block::new(*t)).collect(),
            source: None,
            line: 1,
        }
    }

    #[test]
    fn derived_views() {
        let e = entry(
            "[PEP-713：可调用的模块](https://peps.python.org/pep-0713)（英文）",
            &[
                "提案（star 1.2K）（附：[另一篇](https://a.org)）",
                "![](https://img/x.png)",
            ],
        );
        assert_eq!(e.plain_title(), "PEP-713：可调用的模块");
        assert_eq!(e.lang_tag(), Some("（英文）"));
        assert_eq!(e.stars(), Some(1200));
        assert_eq!(e.images().len(), 1);
        assert_eq!(e.attachments()[0].links[0].url, "https://a.org");
        assert_eq!(e.url().as_deref(), Some("https://peps.python.org/pep-0713"));
    }

    #[test]
    fn fingerprint_follows_content() {
        let mut e = entry("[a](u)", &["x"]);
        let before = e.fingerprint();
        e.body[0].text.push('!');
        assert_ne!(before, e.fingerprint());
    }

    #[test]
    fn bilingual_split_and_linked_constructor() {
        let e = entry("[装饰器指南---A Guide to Decorators](https://x.org)", &[]);
        assert_eq!(
            e.bilingual_titles(),
            Some(("装饰器指南".into(), "A Guide to Decorators".into()))
        );
        let made = Entry::linked(3, "a [weird] title", "https://x.org/a_(b)");
        assert_eq!(made.plain_title(), "a [weird] title");
        assert_eq!(made.url().as_deref(), Some("https://x.org/a_(b)"));
    }
}
