//! The feeds of one language: RSS 2.0 (rss crate), Atom 1.0 (atom_syndication) and JSON Feed
//! 1.1 (serde). Items carry what the site shows, so a paid issue is a teaser in them too.

use crate::urls::Urls;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::json;
use weekly_model::{IsoDate, Lang};

/// One issue in a feed.
#[derive(Debug, Clone)]
pub struct FeedItem {
    /// Title.
    pub title: String,
    /// Absolute URL of the page.
    pub url: String,
    /// Publication date.
    pub date: IsoDate,
    /// Content as HTML.
    pub html: String,
    /// One-line summary.
    pub summary: String,
}

/// What a language's feeds describe.
#[derive(Debug, Clone)]
pub struct FeedMeta<'a> {
    /// Newsletter name.
    pub name: &'a str,
    /// One-line description.
    pub description: &'a str,
    /// Language.
    pub lang: &'a Lang,
    /// URLs of the site.
    pub urls: &'a Urls,
}

fn datetime(date: IsoDate) -> DateTime<FixedOffset> {
    NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        u32::from(date.month()),
        u32::from(date.day()),
    )
    .and_then(|d| d.and_hms_opt(0, 0, 0))
    .map_or_else(
        || DateTime::UNIX_EPOCH.fixed_offset(),
        |d| d.and_utc().fixed_offset(),
    )
}

/// RSS 2.0, with an `atom:link rel="self"`.
pub fn rss(meta: &FeedMeta<'_>, items: &[FeedItem]) -> String {
    let self_url = meta.urls.absolute(&meta.urls.feed(meta.lang, "feed.xml"));
    let channel = rss::Channel {
        title: meta.name.to_owned(),
        link: meta.urls.absolute(&meta.urls.home(meta.lang)),
        description: meta.description.to_owned(),
        language: Some(meta.lang.to_string()),
        last_build_date: items.first().map(|i| datetime(i.date).to_rfc2822()),
        generator: Some("weekly".into()),
        atom_ext: Some(rss::extension::atom::AtomExtension {
            links: vec![atom_syndication::Link {
                href: self_url,
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Default::default()
            }],
        }),
        items: items
            .iter()
            .map(|item| rss::Item {
                title: Some(item.title.clone()),
                link: Some(item.url.clone()),
                description: Some(item.html.clone()),
                guid: Some(rss::Guid {
                    value: item.url.clone(),
                    permalink: true,
                }),
                pub_date: Some(datetime(item.date).to_rfc2822()),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    channel.to_string()
}

/// Atom 1.0.
pub fn atom(meta: &FeedMeta<'_>, items: &[FeedItem]) -> String {
    let home = meta.urls.absolute(&meta.urls.home(meta.lang));
    let self_url = meta.urls.absolute(&meta.urls.feed(meta.lang, "atom.xml"));
    let link = |href: String, rel: &str, mime: Option<&str>| atom_syndication::Link {
        href,
        rel: rel.into(),
        mime_type: mime.map(str::to_owned),
        ..Default::default()
    };
    let feed = atom_syndication::Feed {
        title: atom_syndication::Text::plain(meta.name),
        id: self_url.clone(),
        updated: items
            .first()
            .map_or_else(|| DateTime::UNIX_EPOCH.fixed_offset(), |i| datetime(i.date)),
        authors: vec![atom_syndication::Person {
            name: meta.name.to_owned(),
            uri: Some(home.clone()),
            ..Default::default()
        }],
        links: vec![
            link(home, "alternate", Some("text/html")),
            link(self_url, "self", Some("application/atom+xml")),
        ],
        subtitle: Some(atom_syndication::Text::plain(meta.description)),
        lang: Some(meta.lang.to_string()),
        entries: items
            .iter()
            .map(|item| atom_syndication::Entry {
                title: atom_syndication::Text::plain(item.title.clone()),
                id: item.url.clone(),
                updated: datetime(item.date),
                published: Some(datetime(item.date)),
                links: vec![link(item.url.clone(), "alternate", Some("text/html"))],
                summary: (!item.summary.is_empty())
                    .then(|| atom_syndication::Text::plain(item.summary.clone())),
                content: Some(atom_syndication::Content {
                    value: Some(item.html.clone()),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    feed.to_string()
}

/// JSON Feed 1.1.
pub fn json_feed(meta: &FeedMeta<'_>, items: &[FeedItem]) -> String {
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": meta.name,
        "home_page_url": meta.urls.absolute(&meta.urls.home(meta.lang)),
        "feed_url": meta.urls.absolute(&meta.urls.feed(meta.lang, "feed.json")),
        "description": meta.description,
        "language": meta.lang.as_str(),
        "authors": [{"name": meta.name}],
        "items": items.iter().map(|item| json!({
            "id": item.url,
            "url": item.url,
            "title": item.title,
            "content_html": item.html,
            "summary": item.summary,
            "date_published": datetime(item.date).to_rfc3339(),
        })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&feed).expect("JSON values serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Urls, Vec<FeedItem>) {
        let urls = Urls::new("https://w.example.org", &Lang::zh());
        let items = vec![FeedItem {
            title: "周刊#2：<异步> & \"引号\"".into(),
            url: urls.absolute(&urls.issue(&Lang::zh(), 2)),
            date: IsoDate::new(2026, 10, 3).unwrap(),
            html: "<p>a &amp; b</p><script>x</script>]]>".into(),
            summary: "s".into(),
        }];
        (urls, items)
    }

    #[test]
    fn rss_and_atom_escape_and_date_correctly() {
        let (urls, items) = sample();
        let lang = Lang::zh();
        let meta = FeedMeta {
            name: "周刊 & Co",
            description: "d",
            lang: &lang,
            urls: &urls,
        };
        let rss = rss(&meta, &items);
        assert!(
            rss.contains("<title>周刊#2：&lt;异步&gt; &amp; &quot;引号&quot;</title>"),
            "{rss}"
        );
        assert!(rss.contains("Sat, 3 Oct 2026 00:00:00 +0000"), "{rss}");
        assert!(rss.contains("rel=\"self\""), "{rss}");
        let atom = atom(&meta, &items);
        assert!(
            atom.contains("<updated>2026-10-03T00:00:00+00:00</updated>"),
            "{atom}"
        );
        assert!(!atom.contains("<script>"), "{atom}");
        let json: serde_json::Value = serde_json::from_str(&json_feed(&meta, &items)).unwrap();
        assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
        assert_eq!(
            json["items"][0]["date_published"],
            "2026-10-03T00:00:00+00:00"
        );
    }
}
