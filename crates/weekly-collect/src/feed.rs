//! Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed, through feed-rs, reduced to what the inbox
//! needs: title, link, date and a short plain-text summary per item.

use crate::decode::to_utf8;
use crate::text::plain;
use chrono::{DateTime, Utc};

/// Longest summary kept, in characters.
pub const SUMMARY_CHARS: usize = 280;
/// Longest item link kept, in bytes: an item with a longer one is left out (no real article
/// has one, and it would be stored and shown whole).
pub const MAX_URL_BYTES: usize = 2048;
/// Items read of one feed unless configured otherwise: the first ones, which are the newest in
/// nearly every feed.
pub const MAX_ITEMS: usize = 200;

/// One item of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The item's link, absolute.
    pub url: String,
    /// The title as plain text.
    pub title: String,
    /// A plain-text summary.
    pub summary: String,
    /// Published (or else updated) time.
    pub published: Option<DateTime<Utc>>,
}

/// A parsed feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// The feed's own title.
    pub title: String,
    /// Items with a link, in feed order.
    pub items: Vec<Item>,
    /// Items dropped because they had no usable link (none, or one over [`MAX_URL_BYTES`]).
    pub without_link: usize,
    /// Items after the first `max_items`, not read.
    pub cut: usize,
    /// The character set the body was in.
    pub encoding: &'static str,
}

/// Why a body is not a feed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a feed: {0}")]
pub struct FeedError(pub String);

fn absolute(link: &str, base: Option<&url::Url>) -> Option<String> {
    let link = link.trim();
    if link.starts_with("http://") || link.starts_with("https://") {
        return Some(link.to_owned());
    }
    if link.is_empty() {
        return None;
    }
    let joined = base?.join(link).ok()?;
    matches!(joined.scheme(), "http" | "https").then(|| joined.to_string())
}

/// A title as plain text: HTML titles lose their tags, plain ones keep `<` as written.
fn text_of(text: &feed_rs::model::Text, max_chars: usize) -> String {
    if text.content_type.as_str().contains("html") {
        plain(&text.content, max_chars)
    } else {
        // Entities are decoded already: escape the two that `plain` would read.
        plain(
            &text.content.replace('&', "&amp;").replace('<', "&lt;"),
            max_chars,
        )
    }
}

/// Parses a feed body fetched from `url` (relative links are resolved against it), reading at
/// most its first `max_items` items.
pub fn parse(
    body: &[u8],
    content_type: Option<&str>,
    url: &str,
    max_items: usize,
) -> Result<Feed, FeedError> {
    let (utf8, encoding) = to_utf8(body, content_type);
    let (utf8, cut) = match crate::cap::first_items(&utf8, max_items.max(1)) {
        Some((first, cut)) => (std::borrow::Cow::Owned(first), cut),
        None => (utf8, 0),
    };
    let base = url::Url::parse(url).ok();
    let parsed = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        .build()
        .parse(&*utf8)
        .map_err(|e| FeedError(e.to_string()))?;
    drop(utf8);
    let mut items = Vec::with_capacity(parsed.entries.len());
    let mut without_link = 0;
    for entry in parsed.entries {
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| entry.links.first())
            .and_then(|l| absolute(&l.href, base.as_ref()))
            .or_else(|| absolute(&entry.id, None));
        let Some(link) = link.filter(|l| l.len() <= MAX_URL_BYTES) else {
            without_link += 1;
            continue;
        };
        let title = entry
            .title
            .map(|t| text_of(&t, 300))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| link.clone());
        let summary = entry
            .summary
            .map(|s| s.content)
            .or_else(|| entry.content.and_then(|c| c.body))
            .map(|s| plain(&s, SUMMARY_CHARS))
            .unwrap_or_default();
        items.push(Item {
            url: link,
            title,
            summary,
            published: entry.published.or(entry.updated),
        });
    }
    Ok(Feed {
        title: parsed
            .title
            .map(|t| plain(&t.content, 200))
            .unwrap_or_default(),
        items,
        without_link,
        cut,
        encoding: encoding.name(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss2_with_relative_links_and_html() {
        let xml = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>
<item><title>First &amp; best</title><link>/posts/1</link><pubDate>Sat, 21 Nov 2026 08:00:00 +0800</pubDate>
<description>&lt;p&gt;Hello &lt;b&gt;there&lt;/b&gt;&lt;/p&gt;</description></item>
<item><title>No link</title></item>
</channel></rss>"#;
        let f = parse(
            xml.as_bytes(),
            None,
            "https://blog.example.org/feed.xml",
            MAX_ITEMS,
        )
        .unwrap();
        assert_eq!(f.title, "Blog");
        assert_eq!(f.items.len(), 1);
        assert_eq!(f.without_link, 1);
        let i = &f.items[0];
        assert_eq!(i.url, "https://blog.example.org/posts/1");
        assert_eq!(i.title, "First & best");
        assert_eq!(i.summary, "Hello there");
        assert_eq!(
            i.published.unwrap().to_rfc3339(),
            "2026-11-21T00:00:00+00:00"
        );
    }

    #[test]
    fn atom_rss1_and_json_feed() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>x</id><updated>2026-11-20T00:00:00Z</updated>
<entry><title type="html">&lt;i&gt;Async&lt;/i&gt; 指南</title><id>urn:1</id><link rel="alternate" href="https://a.org/1"/><link rel="enclosure" href="https://a.org/1.mp3"/><updated>2026-11-20T01:00:00Z</updated></entry></feed>"#;
        let f = parse(atom.as_bytes(), None, "https://a.org/atom", MAX_ITEMS).unwrap();
        assert_eq!(f.items[0].url, "https://a.org/1");
        assert_eq!(f.items[0].title, "Async 指南");

        let rss1 = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://r.org/"><title>R</title><link>https://r.org/</link></channel>
<item rdf:about="https://r.org/1"><title>One</title><link>https://r.org/1</link><dc:date>2026-11-19T10:00:00Z</dc:date></item></rdf:RDF>"#;
        let f = parse(rss1.as_bytes(), None, "https://r.org/rss", MAX_ITEMS).unwrap();
        assert_eq!(f.items[0].url, "https://r.org/1");
        assert!(f.items[0].published.is_some());

        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://j.org/1","title":"Jay","content_html":"<p>Body</p>","date_published":"2026-11-18T00:00:00Z"}]}"#;
        let f = parse(
            json.as_bytes(),
            Some("application/feed+json"),
            "https://j.org/feed.json",
            MAX_ITEMS,
        )
        .unwrap();
        assert_eq!(f.items[0].title, "Jay");
        assert_eq!(f.items[0].summary, "Body");
    }

    #[test]
    fn plain_titles_keep_angle_brackets() {
        let xml = "<rss version=\"2.0\"><channel><title>T</title><item><title>Vec&lt;T&gt; &amp; you</title><link>https://a.org/1</link></item></channel></rss>";
        let f = parse(xml.as_bytes(), None, "https://a.org/", MAX_ITEMS).unwrap();
        assert_eq!(f.items[0].title, "Vec<T> & you");
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(
            parse(
                b"<rss><channel><item><title>x</item></rss>",
                None,
                "https://x.org",
                MAX_ITEMS
            )
            .is_err()
        );
        assert!(parse(b"just text", None, "https://x.org", MAX_ITEMS).is_err());
    }
}
