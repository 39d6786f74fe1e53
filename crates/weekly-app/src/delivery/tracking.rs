//! Readers' signals (`[tracking]`, all off by default). When a campaign is made with clicks
//! on, every link of its content becomes a placeholder and the links are stored with it, each
//! with its section and source; every message fills the placeholders with its own signed
//! `/c/TOKEN` links (and the open pixel's `/o/TOKEN`). `weekly server` answers them: the token
//! checked, the click classified (a mail scanner's HEAD, a prefetch within seconds of delivery,
//! a scanner's agent — or a reader), counted in memory per day, campaign and link, and added
//! to the database every second. No address, agent or person is stored (but for
//! `per_subscriber`, the editor's documented choice).

use crate::archive::Archive;
use crate::tokens::{Secret, Tracked};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use weekly_store::{CampaignLink, CountKey, Store, StoreError, ViewKey};

/// The placeholder of link `N` in a stored campaign: `%%weekly-click-N%%`.
const CLICK_PREFIX: &str = "%%weekly-click-";
/// The placeholder of the open pixel's address.
const OPEN: &str = "%%weekly-open%%";

/// Words of the agents of mail scanners, link checkers and crawlers (lowercase).
const SCANNER_AGENTS: &[&str] = &[
    "bot",
    "crawler",
    "spider",
    "preview",
    "scanner",
    "barracuda",
    "mimecast",
    "proofpoint",
    "safelinks",
    "symantec",
    "trendmicro",
    "forcepoint",
    "fortinet",
    "zscaler",
    "checkpoint",
    "sophos",
    "slurp",
    "headlesschrome",
    "python-requests",
    "go-http-client",
    "okhttp",
    "microsoft office",
    "ms-office",
];

/// The links of a campaign's content, by section and source, for [`placeholders`].
#[derive(Debug, Default)]
pub struct LinkFacts {
    /// Normalised URL → the section key of its entry.
    pub sections: HashMap<String, String>,
    /// Normalised URL → the inbox source it came from.
    pub sources: HashMap<String, String>,
}

impl LinkFacts {
    /// What the issue's editions and the inbox say of the issue's links.
    pub async fn of(
        archive: &Archive,
        number: u32,
        store: &Store,
    ) -> Result<LinkFacts, StoreError> {
        let mut facts = LinkFacts::default();
        if let Some(issue) = archive.issue(number) {
            for edition in &issue.editions {
                for section in &edition.document.sections {
                    for entry in &section.entries {
                        for link in entry.links() {
                            facts
                                .sections
                                .entry(weekly_model::url_norm::normalize(&link.url))
                                .or_insert_with(|| section.key.as_str().to_owned());
                        }
                    }
                }
            }
        }
        if !facts.sections.is_empty() {
            for candidate in store.candidates("9999-12-31T00:00:00Z", true).await? {
                if facts.sections.contains_key(&candidate.url_norm)
                    && let Some(source) = candidate.sources.first()
                {
                    facts
                        .sources
                        .insert(candidate.url_norm.clone(), source.clone());
                }
            }
        }
        Ok(facts)
    }
}

/// `html` and `text` with every web link of the content (not the subscriber's own links) put
/// as a placeholder, and the links in order (positions from 1); with `opens`, the pixel's
/// image before `</body>`.
pub fn placeholders(
    html: &str,
    text: &str,
    facts: &LinkFacts,
    opens: bool,
) -> (String, String, Vec<CampaignLink>) {
    let mut links: Vec<CampaignLink> = Vec::new();
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("href=\"") {
        let start = at + "href=\"".len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        let raw = &rest[start..start + len];
        let url = raw.replace("&amp;", "&");
        out.push_str(&rest[..start]);
        if url.starts_with("http://") || url.starts_with("https://") {
            let position = if let Some(l) = links.iter().find(|l| l.url == url) {
                l.position
            } else {
                let norm = weekly_model::url_norm::normalize(&url);
                let source = facts
                    .sources
                    .get(&norm)
                    .cloned()
                    .or_else(|| crate::featured::host_key(&url))
                    .unwrap_or_default();
                let position = u32::try_from(links.len() + 1).unwrap_or(u32::MAX);
                links.push(CampaignLink {
                    position,
                    section: facts.sections.get(&norm).cloned().unwrap_or_default(),
                    source,
                    url,
                });
                position
            };
            let _ = write!(out, "{CLICK_PREFIX}{position}%%");
        } else {
            out.push_str(raw);
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    if opens {
        out = with_open_pixel(&out);
    }
    (out, text_placeholders(text, &links), links)
}

/// `html` with the open pixel's image (its address a placeholder) before `</body>`.
pub fn with_open_pixel(html: &str) -> String {
    let pixel = format!(
        "<img src=\"{OPEN}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0;width:1px;height:1px\">"
    );
    let mut out = html.to_owned();
    match out.rfind("</body>") {
        Some(at) => out.insert_str(at, &pixel),
        None => out.push_str(&pixel),
    }
    out
}

/// `text` with each of `links` put as its placeholder where it stands as a whole URL (not as
/// the start of a longer one).
fn text_placeholders(text: &str, links: &[CampaignLink]) -> String {
    let mut by_length: Vec<&CampaignLink> = links.iter().collect();
    by_length.sort_by_key(|l| std::cmp::Reverse(l.url.len()));
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    'scan: while i < text.len() {
        let here = &text[i..];
        if here.starts_with("http") {
            for link in &by_length {
                if here.starts_with(link.url.as_str()) {
                    let next = here[link.url.len()..].chars().next();
                    let whole = next.is_none_or(|c| {
                        c.is_whitespace()
                            || matches!(c, ')' | '>' | ']' | '"' | '\'' | '）' | '，' | '。')
                    });
                    if whole {
                        let _ = write!(out, "{CLICK_PREFIX}{}%%", link.position);
                        i += link.url.len();
                        continue 'scan;
                    }
                }
            }
        }
        let c = here.chars().next().expect("not at the end");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// A stored body with its placeholders filled for one message: `/c/TOKEN` per link and
/// `/o/TOKEN` for the pixel, signed for campaign `campaign`, made at `sent`, for `subscriber`
/// when `per_subscriber`.
pub fn fill(
    body: &str,
    secret: &Secret,
    links_base: &str,
    campaign: i64,
    sent: i64,
    subscriber: Option<i64>,
) -> String {
    if !body.contains("%%weekly-") {
        return body.to_owned();
    }
    let token = |position| {
        secret.click_token(&Tracked {
            campaign,
            position,
            sent,
            subscriber,
        })
    };
    let mut out = String::with_capacity(body.len() + 64);
    let mut rest = body;
    while let Some(at) = rest.find(CLICK_PREFIX) {
        let after = &rest[at + CLICK_PREFIX.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if let (Ok(position), true) = (
            after[..digits].parse::<u32>(),
            after[digits..].starts_with("%%"),
        ) {
            out.push_str(&rest[..at]);
            let _ = write!(out, "{links_base}/c/{}", token(position));
            rest = &after[digits + 2..];
        } else {
            out.push_str(&rest[..at + CLICK_PREFIX.len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    if out.contains(OPEN) {
        out = out.replace(OPEN, &format!("{links_base}/o/{}", token(0)));
    }
    out
}

/// What a request to a tracked link was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taker {
    /// A reader.
    Reader,
    /// A mail scanner, a link checker or a prefetch.
    Scanner,
}

/// Who followed a link: a HEAD, a request within `prefetch` seconds of the message being made
/// (`[tracking] prefetch_seconds`), or a scanner's agent is a scanner; anything else a reader.
pub fn classify(head: bool, agent: &str, sent: i64, now: i64, prefetch: i64) -> Taker {
    let agent = agent.to_ascii_lowercase();
    if head || now - sent <= prefetch || SCANNER_AGENTS.iter().any(|w| agent.contains(w)) {
        Taker::Scanner
    } else {
        Taker::Reader
    }
}

/// Whether a page request comes from a robot (for page views).
pub fn is_bot(agent: &str) -> bool {
    let agent = agent.to_ascii_lowercase();
    agent.is_empty()
        || SCANNER_AGENTS.iter().any(|w| agent.contains(w))
        || agent.starts_with("curl/")
        || agent.starts_with("wget/")
}

/// Counts gathered in memory by a server and added to the database in batches (every second,
/// and when the server stops): one write per batch however many clicks came.
#[derive(Debug, Default)]
pub struct Counter {
    clicks: Mutex<HashMap<CountKey, i64>>,
    views: Mutex<HashMap<ViewKey, i64>>,
}

impl Counter {
    /// Counts one click (or open: position 0) of `tracked`, by `taker`, on `day`.
    pub fn click(&self, tracked: &Tracked, taker: Taker, day: &str) {
        let kind = match (tracked.position, taker) {
            (0, Taker::Reader) => "open",
            (0, Taker::Scanner) => "open-scanner",
            (_, Taker::Reader) => "human",
            (_, Taker::Scanner) => "scanner",
        };
        let key = CountKey {
            day: day.to_owned(),
            campaign_id: tracked.campaign,
            position: tracked.position,
            kind: kind.to_owned(),
        };
        *self
            .clicks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(key)
            .or_default() += 1;
    }

    /// Counts one page view.
    pub fn view(&self, key: ViewKey) {
        *self
            .views
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(key)
            .or_default() += 1;
    }

    /// Adds what was counted to the database; on failure the counts are kept for the next try.
    pub async fn flush(&self, store: &Store) -> Result<(), StoreError> {
        let mut clicks: Vec<(CountKey, i64)> = std::mem::take(
            &mut *self
                .clicks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
        .into_iter()
        .collect();
        let mut views: Vec<(ViewKey, i64)> = std::mem::take(
            &mut *self
                .views
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
        .into_iter()
        .collect();
        // Rows in one order in every process: two servers adding to the same rows at once
        // then wait for each other instead of deadlocking.
        clicks.sort_unstable();
        views.sort_unstable();
        if let Err(e) = store.add_counts(&clicks).await {
            self.put_back(clicks, views);
            return Err(e);
        }
        if let Err(e) = store.add_page_views(&views).await {
            self.put_back(Vec::new(), views);
            return Err(e);
        }
        Ok(())
    }

    fn put_back(&self, clicks: Vec<(CountKey, i64)>, views: Vec<(ViewKey, i64)>) {
        let mut held = self
            .clicks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (key, n) in clicks {
            *held.entry(key).or_default() += n;
        }
        let mut held = self
            .views
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (key, n) in views {
            *held.entry(key).or_default() += n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_content_link_becomes_a_placeholder_and_comes_back_signed() {
        let html = "<p><a href=\"https://a.example.org/x?p=1&amp;q=2\">A</a> \
                    <a href=\"https://b.example.org/\">B</a> <a href=\"https://a.example.org/x?p=1&amp;q=2\">A again</a> \
                    <a href=\"%%weekly-unsubscribe-link%%\">unsubscribe</a> <a href=\"mailto:x@example.org\">mail</a></p></body>";
        let text = "A https://a.example.org/x?p=1&q=2\nB (https://b.example.org/) and https://b.example.org/more\n";
        let mut facts = LinkFacts::default();
        facts.sections.insert(
            weekly_model::url_norm::normalize("https://b.example.org/"),
            "projects".into(),
        );
        let (html2, text2, links) = placeholders(html, text, &facts, true);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].url, "https://a.example.org/x?p=1&q=2");
        assert_eq!(links[1].section, "projects");
        assert_eq!(links[1].source, "host:b.example.org");
        assert_eq!(html2.matches("%%weekly-click-1%%").count(), 2);
        assert!(
            html2.contains("%%weekly-unsubscribe-link%%") && html2.contains("mailto:x@example.org")
        );
        assert!(html2.contains("%%weekly-open%%"));
        // A longer URL that only starts like a link is left alone.
        assert_eq!(
            text2,
            "A %%weekly-click-1%%\nB (%%weekly-click-2%%) and https://b.example.org/more\n"
        );
        let secret = Secret::from_text("0123456789abcdef0123456789abcdef").unwrap();
        let filled = fill(&html2, &secret, "https://w.example.org", 9, 1000, None);
        assert!(!filled.contains("%%weekly-click"));
        let tokens: Vec<&str> = filled
            .match_indices("https://w.example.org/c/")
            .map(|(i, _)| {
                let t = &filled[i + "https://w.example.org/c/".len()..];
                &t[..t.find('"').unwrap()]
            })
            .collect();
        assert_eq!(tokens.len(), 3);
        let first = secret.tracked(tokens[0]).unwrap();
        assert_eq!(
            (first.campaign, first.position, first.sent, first.subscriber),
            (9, 1, 1000, None)
        );
        assert!(filled.contains("https://w.example.org/o/"));
    }

    #[test]
    fn scanners_are_told_from_readers() {
        let at = |head, agent, sent| classify(head, agent, sent, 100, 10);
        assert_eq!(at(true, "Mozilla/5.0", 0), Taker::Scanner);
        assert_eq!(at(false, "Mozilla/5.0", 95), Taker::Scanner);
        assert_eq!(at(false, "Mozilla/5.0", 90), Taker::Scanner);
        assert_eq!(at(false, "Mozilla/5.0", 89), Taker::Reader);
        let preview = "Mozilla/5.0 (compatible; BingPreview/1.0b)";
        assert_eq!(at(false, preview, 0), Taker::Scanner);
        assert_eq!(at(false, "Mozilla/5.0 (iPhone)", 0), Taker::Reader);
        assert_eq!(at(false, "curl/8.5.0", 0), Taker::Reader);
    }
}
