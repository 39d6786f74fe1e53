//! The weekly digest of the other newsletters: the newsletter sources of `sources.toml`
//! (`kind = "newsletter"`), fetched now or read from what `weekly collect` stored, the newest
//! numbered issue of each published in the last `[digest] days`, as Telegram messages under
//! the ledger key of their ISO week. Posting them is the caller's.

use crate::collector::{self, Report, RunOptions, load_sources, stamp};
use crate::workspace::Workspace;
use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Datelike, Duration, FixedOffset, Utc};
use weekly_collect::sources::{Kind, Source};
use weekly_render::markdown::circled;
use weekly_render::telegram::{MESSAGE_LIMIT, escape, visible_len};
use weekly_render::texts::fill;
use weekly_store::{Sighting, Store};
use weekly_telegram::Message;

/// A workspace's digest, ready to be composed: its newsletters and its words.
#[derive(Debug)]
pub struct Digest {
    newsletters: Vec<Source>,
    offset: FixedOffset,
    days: u32,
    intro: String,
    period: Option<String>,
    footer: String,
}

/// What a digest has to say at a time.
#[derive(Debug)]
pub enum Composed {
    /// No newsletter published between `from` and `to` (stamps): nothing to post.
    Quiet { from: String, to: String },
    /// The messages to post.
    Post(Post),
}

/// The digest's messages.
#[derive(Debug)]
pub struct Post {
    /// The ledger key (`digest:2026-W47`), one post per ISO week.
    pub key: String,
    /// The messages, each under the Telegram limit.
    pub messages: Vec<Message>,
    /// How many newsletters it gathers.
    pub newsletters: usize,
}

impl Digest {
    /// The digest of `workspace`; an error when `sources.toml` has no newsletter.
    pub fn plan(workspace: &Workspace) -> Result<Digest> {
        let (path, _, list) = load_sources(workspace)?;
        let newsletters: Vec<Source> = list
            .into_iter()
            .filter(|s| s.kind == Kind::Newsletter)
            .collect();
        if newsletters.is_empty() {
            bail!(
                "no newsletter sources in {}: mark the other weeklies with kind = \"newsletter\"",
                workspace.display_path(&path)
            );
        }
        let lang = &workspace.config.primary_language;
        let texts = workspace
            .config
            .texts
            .get(lang)
            .cloned()
            .unwrap_or_default();
        let offset = FixedOffset::east_opt(workspace.config.digest_offset_seconds)
            .ok_or_else(|| anyhow!("bad [digest] utc_offset"))?;
        Ok(Digest {
            newsletters,
            offset,
            days: workspace.config.digest.days.max(1),
            intro: texts.get("digest_intro").cloned().unwrap_or_default(),
            period: texts.get("digest_period").cloned(),
            footer: texts.get("digest_footer").cloned().unwrap_or_default(),
        })
    }

    /// The newsletter sources.
    pub fn newsletters(&self) -> &[Source] {
        &self.newsletters
    }

    /// Fetches the newsletters now (GitHub left out), as `weekly collect` would.
    pub async fn fetch(&self, workspace: &Workspace, store: &Store) -> Result<Report> {
        collector::run(
            workspace,
            store,
            &self.newsletters,
            RunOptions {
                ignore_backoff: false,
                no_github: true,
            },
        )
        .await
    }

    /// The digest of the window that ends at `to`, from what the store has seen.
    pub async fn compose(&self, store: &Store, to: DateTime<Utc>) -> Result<Composed> {
        let from = to - Duration::days(i64::from(self.days));
        let mut picked: Vec<(&Source, Sighting)> = Vec::new();
        for source in &self.newsletters {
            let seen = store
                .sightings(&source.url, &stamp(from), &stamp(to))
                .await?;
            if let Some(s) = pick(&seen) {
                picked.push((source, s.clone()));
            }
        }
        if picked.is_empty() {
            return Ok(Composed::Quiet {
                from: stamp(from),
                to: stamp(to),
            });
        }
        let local = |t: DateTime<Utc>| t.with_timezone(&self.offset).format("%Y.%m.%d").to_string();
        let period = self
            .period
            .as_ref()
            .map(|t| fill(t, &[("from", &local(from)), ("to", &local(to))]))
            .unwrap_or_default();
        let items: Vec<(&Source, &Sighting)> = picked.iter().map(|(s, x)| (*s, x)).collect();
        let html = messages(&self.intro, &period, &self.footer, &items);
        let week = to.with_timezone(&self.offset).iso_week();
        Ok(Composed::Post(Post {
            key: format!("digest:{}-W{:02}", week.year(), week.week()),
            messages: html
                .into_iter()
                .map(|html| Message::Text {
                    html,
                    preview: false,
                })
                .collect(),
            newsletters: picked.len(),
        }))
    }
}

/// Whether a title carries an issue number.
pub fn is_numbered(title: &str) -> bool {
    let lower = title.to_lowercase();
    let digit_after = |marker: &str| {
        lower.match_indices(marker).any(|(i, m)| {
            lower[i + m.len()..]
                .trim_start_matches([' ', '#', '.'])
                .starts_with(|c: char| c.is_ascii_digit())
        })
    };
    digit_after("#") || digit_after("issue") || digit_after("no.") || {
        lower.match_indices('第').any(|(i, _)| {
            let rest = lower[i + '第'.len_utf8()..].trim_start();
            let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            digits.len() < rest.len() && digits.trim_start().starts_with('期')
        })
    }
}

/// The item of one newsletter for the digest.
pub fn pick(sightings: &[Sighting]) -> Option<&Sighting> {
    sightings
        .iter()
        .find(|s| is_numbered(&s.title))
        .or_else(|| sightings.first())
}

/// The digest messages: intro, period, one line per newsletter (numbered as the teasers are,
/// ① to ㊿), footer; split under the message limit.
pub fn messages(
    intro: &str,
    period: &str,
    footer: &str,
    items: &[(&Source, &Sighting)],
) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    let head: Vec<String> = [intro, period]
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| escape(t))
        .collect();
    for (n, (source, s)) in (1..).zip(items) {
        let title = if s.title.starts_with(&source.name) {
            s.title.clone()
        } else {
            format!("{} {}", source.name, s.title)
        };
        blocks.push(format!(
            "{} <a href=\"{}\">{}</a>",
            circled(n),
            escape(&s.url),
            escape(&title)
        ));
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = head.join("\n\n");
    let tail = escape(footer);
    for block in blocks.into_iter().chain((!tail.is_empty()).then_some(tail)) {
        let joined = if current.is_empty() {
            block.clone()
        } else {
            format!("{current}\n\n{block}")
        };
        if visible_len(&joined) > MESSAGE_LIMIT && !current.is_empty() {
            out.push(std::mem::replace(&mut current, block));
        } else {
            current = joined;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn newsletter(url: &str, name: &str) -> Source {
        Source {
            url: url.into(),
            name: name.into(),
            weight: 1.0,
            tags: vec![],
            lang: String::new(),
            kind: Kind::Newsletter,
        }
    }

    #[test]
    fn numbered_titles() {
        for t in [
            "Python Weekly #712",
            "Django News - Issue 300",
            "Python 潮流周刊#130：x",
            "第 12 期：主题",
            "第12期",
            "PyCoder's Weekly No. 5",
        ] {
            assert!(is_numbered(t), "{t}");
        }
        for t in [
            "A post about issue trackers",
            "第一期",
            "C# tips",
            "2026 in review",
        ] {
            assert!(!is_numbered(t), "{t}");
        }
    }

    #[test]
    fn lines_are_escaped_and_prefixed() {
        let source = newsletter("https://n.example.org/feed", "Py <Weekly>");
        let s = Sighting {
            source: source.url.clone(),
            url: "https://n.example.org/1?a=1&b=2".into(),
            title: "#12: [brackets] & _under_".into(),
            published: None,
        };
        let out = messages("Intro", "From A to B", "", &[(&source, &s)]);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0],
            "Intro\n\nFrom A to B\n\n① <a href=\"https://n.example.org/1?a=1&amp;b=2\">Py &lt;Weekly&gt; #12: [brackets] &amp; _under_</a>"
        );
        assert!(weekly_render::telegram::validate(&out[0]).is_ok());
    }

    #[test]
    fn more_than_twenty_newsletters_are_numbered_as_teasers_are() {
        let source = newsletter("u", "N");
        let s = Sighting {
            source: "u".into(),
            url: "https://x.org".into(),
            title: "#1".into(),
            published: None,
        };
        let items: Vec<(&Source, &Sighting)> = (0..21).map(|_| (&source, &s)).collect();
        let out = messages("", "", "", &items).join("\n\n");
        assert!(out.contains("⑳ <a"), "{out}");
        assert!(out.contains("㉑ <a"), "{out}");
    }

    #[test]
    fn long_digests_are_split_under_the_limit() {
        let source = newsletter("u", "N");
        let s = Sighting {
            source: "u".into(),
            url: "https://x.org".into(),
            title: "#1 ".to_owned() + &"长".repeat(900),
            published: None,
        };
        let items: Vec<(&Source, &Sighting)> = (0..10).map(|_| (&source, &s)).collect();
        let out = messages("Intro", "", "", &items);
        assert!(out.len() >= 3);
        assert!(out.iter().all(|m| visible_len(m) <= MESSAGE_LIMIT));
    }
}
