//! Counts of numbered entries per counted section, the numbers statistics and description lines
//! are made of.

use crate::catalogue::{Catalogue, SectionKey};
use crate::document::Document;

/// Entries per counted section key, in catalogue order. Every counted key of the catalogue is
/// present, with 0 when the document has no such section.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Counts {
    by_key: Vec<(SectionKey, u32)>,
}

impl Counts {
    /// Zero for every counted section of `catalogue`.
    pub fn zero(catalogue: &Catalogue) -> Counts {
        Counts {
            by_key: catalogue
                .sections
                .iter()
                .filter(|s| s.counted)
                .map(|s| (s.key.clone(), 0))
                .collect(),
        }
    }

    /// Numbered entries of `document` per counted section (sections inside season parts
    /// included). Sections the catalogue does not count are ignored.
    pub fn of(document: &Document, catalogue: &Catalogue) -> Counts {
        let mut counts = Counts::zero(catalogue);
        for section in document.all_sections() {
            if let Some(slot) = counts.slot(section.key.as_str()) {
                *slot += section.entries.len() as u32;
            }
        }
        counts
    }

    fn slot(&mut self, key: &str) -> Option<&mut u32> {
        self.by_key
            .iter_mut()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, n)| n)
    }

    /// The count for `key` (0 when the key is unknown).
    pub fn get(&self, key: &str) -> u32 {
        self.by_key
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .map_or(0, |(_, n)| *n)
    }

    /// Sets the count of a counted key; unknown keys are ignored.
    pub fn set(&mut self, key: &str, value: u32) {
        if let Some(slot) = self.slot(key) {
            *slot = value;
        }
    }

    /// Adds `other` key by key (keys missing here are appended).
    pub fn add(&mut self, other: &Counts) {
        for (key, n) in &other.by_key {
            match self.slot(key.as_str()) {
                Some(slot) => *slot += n,
                None => self.by_key.push((key.clone(), *n)),
            }
        }
    }

    /// Keys and counts in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = (&SectionKey, u32)> {
        self.by_key.iter().map(|(k, n)| (k, *n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocKind, Heading, HeadingStyle, Section};
    use crate::entry::Entry;
    use crate::lang::Lang;

    fn section(key: &str, entries: u32) -> Section {
        Section {
            category: false,
            key: SectionKey::new(key).unwrap(),
            heading: Heading {
                style: HeadingStyle::Atx(2),
                text: key.into(),
                source: None,
                line: 0,
            },
            intro: Vec::new(),
            entries: (1..=entries)
                .map(|n| Entry::linked(n, "t", "https://x.org"))
                .collect(),
        }
    }

    #[test]
    fn counts_follow_the_catalogue() {
        let catalogue = Catalogue::python_weekly();
        let doc = Document {
            kind: DocKind::Full,
            lang: Lang::zh(),
            line_ending: crate::LineEnding::Lf,
            leading: String::new(),
            header: None,
            preamble: Vec::new(),
            sections: vec![
                section("articles", 3),
                section("past", 4),
                section("projects", 2),
                section("articles", 1),
            ],
            parts: Vec::new(),
            postamble: Vec::new(),
        };
        let counts = Counts::of(&doc, &catalogue);
        assert_eq!(counts.get("articles"), 4);
        assert_eq!(counts.get("projects"), 2);
        assert_eq!(counts.get("media"), 0);
        assert_eq!(counts.get("past"), 0, "uncounted sections are ignored");
        let keys: Vec<&str> = counts.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            ["articles", "projects", "media", "discussions", "books"]
        );
        let mut sum = counts.clone();
        sum.add(&counts);
        let total: u32 = sum.iter().map(|(_, n)| n).sum();
        assert_eq!((sum.get("articles"), total), (8, 12));
    }
}
