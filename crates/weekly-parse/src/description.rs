//! The description line ("本期分享了 12 篇文章，12 个开源项目…", "Shared 12 articles, …"):
//! finding it and reading the counts it claims.

use weekly_model::{Block, Document, Header};

/// Counts claimed by a description line. `None` means the line does not mention that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClaimedCounts {
    /// Articles.
    pub articles: Option<u32>,
    /// Open-source projects.
    pub projects: Option<u32>,
    /// Podcasts and videos.
    pub media: Option<u32>,
    /// Hot topics / discussions.
    pub discussions: Option<u32>,
    /// Books given away.
    pub books: Option<u32>,
    /// The "全文 N 字" word-count stamp; `Some(None)` for an empty placeholder `全文  字`.
    pub words: Option<Option<u32>>,
}

impl ClaimedCounts {
    /// True when nothing was recognised.
    pub fn is_empty(&self) -> bool {
        *self == ClaimedCounts::default()
    }

    /// The claimed count for a section key (`articles`, `projects`, `media`, `discussions`,
    /// `books`).
    pub fn for_key(&self, key: &str) -> Option<u32> {
        match key {
            "articles" => self.articles,
            "projects" => self.projects,
            "media" => self.media,
            "discussions" => self.discussions,
            "books" => self.books,
            _ => None,
        }
    }
}

/// Where a description was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// The text of the description.
    pub text: String,
    /// The counts it claims.
    pub counts: ClaimedCounts,
    /// 1-based line (0 when it comes from the front matter).
    pub line: u32,
}

/// Words that follow a number, by kind. Longest first where one is a prefix of another.
const AFTER: &[(&str, Kind)] = &[
    ("篇文章", Kind::Articles),
    ("篇技术文章", Kind::Articles),
    ("个开源项目", Kind::Projects),
    ("个项目", Kind::Projects),
    ("则音视频", Kind::Media),
    ("则视频", Kind::Media),
    ("则播客", Kind::Media),
    ("个音视频", Kind::Media),
    ("则热门话题", Kind::Discussions),
    ("则热门讨论", Kind::Discussions),
    ("个热门话题", Kind::Discussions),
    ("个热门讨论", Kind::Discussions),
    ("则讨论", Kind::Discussions),
    ("本の技術記事", Kind::Articles),
    ("個のオープンソースプロジェクト", Kind::Projects),
    ("本のポッドキャスト・動画", Kind::Media),
    ("件のディスカッション", Kind::Discussions),
    ("冊の本", Kind::Books),
    ("articles", Kind::Articles),
    ("article", Kind::Articles),
    ("open-source projects", Kind::Projects),
    ("open source projects", Kind::Projects),
    ("open-source project", Kind::Projects),
    ("projects", Kind::Projects),
    ("project", Kind::Projects),
    ("audio/videos", Kind::Media),
    ("audio/video", Kind::Media),
    ("podcasts", Kind::Media),
    ("podcast", Kind::Media),
    ("videos", Kind::Media),
    ("video", Kind::Media),
    ("hot topics", Kind::Discussions),
    ("hot topic", Kind::Discussions),
    ("discussions", Kind::Discussions),
    ("discussion", Kind::Discussions),
    ("trending discussions", Kind::Discussions),
    ("trending discussion", Kind::Discussions),
    ("trending topics", Kind::Discussions),
    ("trending topic", Kind::Discussions),
    ("hot discussions", Kind::Discussions),
    ("hot discussion", Kind::Discussions),
    ("popular discussions", Kind::Discussions),
    ("topics", Kind::Discussions),
    ("topic", Kind::Discussions),
    ("books", Kind::Books),
    ("book", Kind::Books),
    ("copies", Kind::Books),
    ("podcasts or videos", Kind::Media),
    ("podcast or video", Kind::Media),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Articles,
    Projects,
    Media,
    Discussions,
    Books,
}

/// Reads the counts claimed in `text`.
pub fn claimed_counts(text: &str) -> ClaimedCounts {
    let mut counts = ClaimedCounts::default();
    let lower = text.to_lowercase();
    let text = lower.as_str();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || (i > 0 && text.as_bytes()[i - 1].is_ascii_digit()) {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let number: Option<u32> = rest[..digits].parse().ok();
        let after = rest[digits..].trim_start();
        let before = text[..i].trim_end();
        if let Some(n) = number {
            if before.ends_with("赠书") && after.starts_with('本') {
                counts.books = Some(n);
            } else if before.ends_with("全文") && after.starts_with('字') {
                counts.words = Some(Some(n));
            } else if let Some((_, kind)) = AFTER.iter().find(|(word, _)| after.starts_with(word)) {
                let slot = match kind {
                    Kind::Articles => &mut counts.articles,
                    Kind::Projects => &mut counts.projects,
                    Kind::Media => &mut counts.media,
                    Kind::Discussions => &mut counts.discussions,
                    Kind::Books => &mut counts.books,
                };
                if slot.is_none() {
                    *slot = Some(n);
                }
            }
        }
        i += digits;
    }
    if counts.words.is_none()
        && let Some(pos) = text.find("全文")
    {
        let after = text[pos + "全文".len()..].trim_start();
        if after.starts_with('字') {
            counts.words = Some(None);
        }
    }
    counts
}

/// `text` with each claimed count of a section kind (`12 篇文章`, `3 projects`) replaced by
/// `count(key)` for its key (`articles`, `projects`, `media`, `discussions`, `books`); a claim
/// whose `count` is `None` stays as written, and so does everything else (the wording, the
/// word-count stamp).
pub fn rewrite_counts(text: &str, count: impl Fn(&str) -> Option<u32>) -> String {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied) = (0, 0);
    while i < lower.len() {
        let rest = &lower[i..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let after = rest[digits..].trim_start();
        let before = lower[..i].trim_end();
        let key = if before.ends_with("赠书") && after.starts_with('本') {
            Some("books")
        } else if before.ends_with("全文") {
            None
        } else {
            AFTER
                .iter()
                .find(|(word, _)| after.starts_with(word))
                .map(|(_, kind)| match kind {
                    Kind::Articles => "articles",
                    Kind::Projects => "projects",
                    Kind::Media => "media",
                    Kind::Discussions => "discussions",
                    Kind::Books => "books",
                })
        };
        if let Some(n) = key.and_then(&count) {
            out.push_str(&text[copied..i]);
            out.push_str(&n.to_string());
            copied = i + digits;
        }
        i += digits;
    }
    out.push_str(&text[copied..]);
    out
}

/// The counts of `text` when it reads like a description line: it says "shared" and claims at
/// least one count, in a short paragraph.
fn description_counts(text: &str) -> Option<ClaimedCounts> {
    let lower = text.to_lowercase();
    let says_shared = ["分享了", "shar", "featur", "紹介"]
        .iter()
        .any(|w| lower.contains(w));
    if !says_shared || text.chars().count() >= 400 {
        return None;
    }
    Some(claimed_counts(text)).filter(|c| !c.is_empty())
}

/// Finds the description of a document: the first preamble paragraph that claims counts, or
/// else the front-matter `description`.
pub fn find(document: &Document) -> Option<Description> {
    let in_preamble = document.preamble.iter().find_map(|b: &Block| {
        description_counts(&b.text).map(|counts| Description {
            text: b.text.clone(),
            counts,
            line: b.line,
        })
    });
    in_preamble.or_else(|| match &document.header {
        Some(Header::FrontMatter(fm)) => {
            let text = fm.description.as_deref()?;
            let counts = Some(claimed_counts(text)).filter(|c| !c.is_empty())?;
            Some(Description {
                text: text.to_owned(),
                counts,
                line: 0,
            })
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_variants() {
        let c = claimed_counts(
            "本期分享了 12 篇文章，12 个开源项目，2 则音视频，2 则热门话题，赠书 5 本《书》，全文  2300 字。",
        );
        assert_eq!(
            (c.articles, c.projects, c.media, c.discussions, c.books),
            (Some(12), Some(12), Some(2), Some(2), Some(5))
        );
        assert_eq!(c.words, Some(Some(2300)));
        assert_eq!(
            claimed_counts("分享了 1 则视频，全文  字").words,
            Some(None)
        );
        assert_eq!(claimed_counts("分享了 3 则视频").media, Some(3));
    }

    #[test]
    fn english_variants() {
        let c =
            claimed_counts("Sharing 13 articles and 13 open-source projects, 2 podcasts/videos");
        assert_eq!(
            (c.articles, c.projects, c.media),
            (Some(13), Some(13), Some(2))
        );
        let c = claimed_counts(
            "This week we're sharing 12 articles, 12 open source projects, 1 hot topics",
        );
        assert_eq!((c.projects, c.discussions), (Some(12), Some(1)));
        assert_eq!(
            rewrite_counts(
                "本期分享了 5 篇文章，5 个开源项目，全文 1330 字。",
                |k| { (k == "projects").then_some(6) }
            ),
            "本期分享了 5 篇文章，6 个开源项目，全文 1330 字。"
        );
        assert_eq!(
            rewrite_counts("Sharing 1 article and 2 Projects.", |_| Some(9)),
            "Sharing 9 article and 9 Projects."
        );
        for (text, n) in [
            ("and 1 trending discussion.", 1),
            ("2 podcasts/videos, and 3 trending topics.", 3),
            ("and 2 hot discussions.", 2),
        ] {
            assert_eq!(claimed_counts(text).discussions, Some(n), "{text}");
        }
        assert!(claimed_counts("Python 3.12 was released").is_empty());
    }
}
