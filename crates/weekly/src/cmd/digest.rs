//! `weekly digest`: the weekly post gathering the newest numbered issue of each newsletter
//! source (`kind = "newsletter"` in sources.toml) published in the last `[digest] days`.

use crate::channel::{self, post};
use crate::collector::{self, RunOptions, load_sources, open_store, stamp};
use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Datelike, Duration, FixedOffset, Utc};
use std::path::Path;
use std::process::ExitCode;
use weekly_collect::sources::{Kind, Source};
use weekly_render::telegram::{MESSAGE_LIMIT, escape, visible_len};
use weekly_render::texts::fill;
use weekly_store::Sighting;
use weekly_telegram::Message;

/// Arguments of `weekly digest`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The window is the last [digest] days (7) before now, compared in UTC; the dates \
shown use [digest] utc_offset. A newsletter's newest item whose title carries an issue number \
(`#12`, `第 12 期`, `Issue 12`) is taken, else its newest item. Nothing is posted when no \
newsletter published. The digest is recorded per ISO week: a second run in the same week \
posts nothing.\n\nExamples:\n  weekly digest --dry-run\n  weekly digest"
)]
pub struct Args {
    /// Show the digest instead of posting it.
    #[arg(long)]
    pub dry_run: bool,
    /// Use what earlier `weekly collect` runs stored, without fetching the newsletters now.
    #[arg(long)]
    pub no_fetch: bool,
    /// Post a message that an interrupted run may have posted already.
    #[arg(long)]
    pub resend_unsure: bool,
    /// The time the window ends (RFC 3339), instead of now.
    #[arg(long, value_parser = parse_time)]
    pub now: Option<DateTime<Utc>>,
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("`{text}` is not an RFC 3339 time such as 2026-11-22T10:00:00Z: {e}"))
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

fn circled(n: usize) -> String {
    char::from_u32(0x2460 + n as u32 - 1)
        .filter(|_| (1..=20).contains(&n))
        .map_or_else(|| format!("{n}."), String::from)
}

/// The digest messages: intro, period, one line per newsletter, footer; split under the
/// message limit.
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
    for (i, (source, s)) in items.iter().enumerate() {
        let title = if s.title.starts_with(&source.name) {
            s.title.clone()
        } else {
            format!("{} {}", source.name, s.title)
        };
        blocks.push(format!(
            "{} <a href=\"{}\">{}</a>",
            circled(i + 1),
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

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let (path, _, list) = load_sources(&workspace)?;
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
    let lang = workspace.config.primary_language.clone();
    let texts = workspace
        .config
        .texts
        .get(&lang)
        .cloned()
        .unwrap_or_default();
    let offset = FixedOffset::east_opt(workspace.config.digest_offset_seconds)
        .ok_or_else(|| anyhow!("bad [digest] utc_offset"))?;
    let target = channel::target(&workspace);
    let runtime = crate::runtime()?;
    runtime.block_on(async {
        let store = open_store(&workspace).await?;
        if !args.no_fetch {
            let report = collector::run(
                &workspace,
                &store,
                &newsletters,
                RunOptions {
                    ignore_backoff: false,
                    no_github: true,
                },
            )
            .await?;
            for s in report.sources.iter().filter(|s| s.status == "failed") {
                printer::status(&format!("failed {}: {}", s.source.name, s.note));
            }
            printer::status(&report.summary());
        }
        let to = args.now.unwrap_or_else(Utc::now);
        let from = to - Duration::days(i64::from(workspace.config.digest.days.max(1)));
        let mut picked: Vec<(&Source, Sighting)> = Vec::new();
        for source in &newsletters {
            let seen = store
                .sightings(&source.url, &stamp(from), &stamp(to))
                .await?;
            if let Some(s) = pick(&seen) {
                picked.push((source, s.clone()));
            }
        }
        if picked.is_empty() {
            printer::out(&format!(
                "nothing to post: no newsletter published between {} and {}",
                stamp(from),
                stamp(to)
            ));
            store.close().await;
            return Ok(ExitCode::SUCCESS);
        }
        let local = |t: DateTime<Utc>| t.with_timezone(&offset).format("%Y.%m.%d").to_string();
        let period = texts
            .get("digest_period")
            .map(|t| fill(t, &[("from", &local(from)), ("to", &local(to))]))
            .unwrap_or_default();
        let intro = texts.get("digest_intro").cloned().unwrap_or_default();
        let footer = texts.get("digest_footer").cloned().unwrap_or_default();
        let items: Vec<(&Source, &Sighting)> = picked.iter().map(|(s, x)| (*s, x)).collect();
        let html = messages(&intro, &period, &footer, &items);
        let week = to.with_timezone(&offset).iso_week();
        let key = format!("digest:{}-W{:02}", week.year(), week.week());
        let list: Vec<Message> = html
            .into_iter()
            .map(|html| Message::Text {
                html,
                preview: false,
            })
            .collect();
        let done = post(
            &target,
            &store,
            &key,
            &list,
            args.dry_run,
            args.resend_unsure,
        )
        .await;
        store.close().await;
        let done = done?;
        printer::out(&format!(
            "digest of {} newsletters: {}",
            picked.len(),
            channel::summary(&done, &target, args.dry_run)
        ));
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let source = Source {
            url: "https://n.example.org/feed".into(),
            name: "Py <Weekly>".into(),
            weight: 1.0,
            tags: vec![],
            lang: String::new(),
            kind: Kind::Newsletter,
        };
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
    fn long_digests_are_split_under_the_limit() {
        let source = Source {
            url: "u".into(),
            name: "N".into(),
            weight: 1.0,
            tags: vec![],
            lang: String::new(),
            kind: Kind::Newsletter,
        };
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
