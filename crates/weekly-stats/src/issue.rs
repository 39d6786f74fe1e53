//! Statistics of one issue: which edition they were taken from, entries per counted section,
//! and word counts.

use crate::words::{WordCounts, word_counts};
use weekly_model::inline::plain_text;
use weekly_model::{Catalogue, Counts, DocKind, Document, IsoDate};
use weekly_parse::description;

/// Which edition the figures were taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The full text.
    Full,
    /// The teaser (title lists only): entry counts are exact, word counts are not the issue's.
    Teaser,
}

/// Figures of one issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueStats {
    /// Issue number.
    pub number: u32,
    /// Publication date.
    pub date: IsoDate,
    /// The edition the figures come from.
    pub source: Source,
    /// Entries per counted section.
    pub counts: Counts,
    /// Entries in all sections, counted or not (essay sections hold none).
    pub entries: u32,
    /// Word counts of the edition (of the full text when `source` is `Full`).
    pub words: WordCounts,
}

/// Figures of issue `number` from `document`, preferably its full text in the primary language.
///
/// Entries are counted per counted section. A counted section without numbered entries takes
/// the number its own text claims, else the one the description line claims, first in
/// `document`, then in `others` (the issue's other editions, whose description may be older):
/// book giveaways are written as prose ("本期赠书 **5** 本").
pub fn issue_stats(
    number: u32,
    date: IsoDate,
    document: &Document,
    others: &[&Document],
    catalogue: &Catalogue,
) -> IssueStats {
    let mut stats = issue_counts(number, date, document, others, catalogue);
    stats.words = word_counts(document);
    stats
}

/// [`issue_stats`] without the word counts (left at zero): what the entry counts need, without
/// loading the segmenter's dictionary (some 50 MB) for them.
pub fn issue_counts(
    number: u32,
    date: IsoDate,
    document: &Document,
    others: &[&Document],
    catalogue: &Catalogue,
) -> IssueStats {
    let mut counts = Counts::of(document, catalogue);
    let keys: Vec<String> = counts.iter().map(|(k, _)| k.to_string()).collect();
    for key in keys {
        if counts.get(&key) > 0 {
            continue;
        }
        let claimed = std::iter::once(document)
            .chain(others.iter().copied())
            .find_map(|doc| claimed_in(doc, &key));
        if let Some(claimed) = claimed {
            counts.set(&key, claimed);
        }
    }
    IssueStats {
        number,
        date,
        source: if document.kind == DocKind::Teaser {
            Source::Teaser
        } else {
            Source::Full
        },
        counts,
        entries: u32::try_from(document.entries().count()).unwrap_or(u32::MAX),
        words: WordCounts::default(),
    }
}

/// The number `document` claims for `key`: in the intro of that section, else in the
/// description line.
fn claimed_in(document: &Document, key: &str) -> Option<u32> {
    document
        .all_sections()
        .filter(|s| s.key.as_str() == key)
        .find_map(|s| {
            s.intro
                .iter()
                .find_map(|b| description::claimed_counts(&plain_text(&b.text)).for_key(key))
        })
        .or_else(|| description::find(document).and_then(|d| d.counts.for_key(key)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use weekly_model::Lang;
    use weekly_parse::{ParseOptions, parse_document};

    #[test]
    fn counts_entries_and_books_from_the_description() {
        let text = "# 周刊#3：主题\n\n本期分享了 2 篇文章，1 个开源项目，赠书 4 本，全文 100 字。\n\n## 🦄文章&教程\n\n1、[甲](https://a.org)\n\n说明。\n\n2、[乙](https://b.org)\n\n## 🐿️项目&资源\n\n1、[丙](https://c.org)\n\n## 🎁赠书福利\n\n本期赠书 **5** 本《好书》。\n";
        let catalogue = Catalogue::python_weekly();
        let lang = Lang::zh();
        let parsed = parse_document(
            text,
            &ParseOptions {
                file: "t.md",
                lang: &lang,
                catalogue: &catalogue,
            },
        );
        let stats = issue_stats(
            3,
            IsoDate::new(2023, 5, 27).unwrap(),
            &parsed.document,
            &[],
            &catalogue,
        );
        assert_eq!(stats.counts.get("articles"), 2);
        assert_eq!(stats.counts.get("projects"), 1);
        assert_eq!(stats.counts.get("books"), 5);
        assert_eq!(stats.counts.get("media"), 0);
        assert_eq!(stats.source, Source::Full);
        assert!(stats.words.han > 20, "{:?}", stats.words);
    }
}
