//! Links readers send to the newsletter's Telegram bot: a `kind = "telegram"` source of
//! `sources.toml`. `weekly collect` asks the Bot API for the messages since the last offset
//! (kept in the source's `feed_state`, in the column that holds a feed's `ETag`), and each
//! message's first web link becomes a candidate from that source, its other words the note.

use crate::workspace::Workspace;
use anyhow::{Result, bail};
use weekly_collect::sources::Source;
use weekly_model::url_norm::{normalize, web_url};
use weekly_store::{FeedState, NewItem, Store};
use weekly_telegram::{BotApi, Update};

/// Longest note kept (characters).
const MAX_NOTE: usize = 1000;

/// The candidates in `updates`: each message's first web link, the rest of its text and its
/// sender as the summary. Messages without a link are left out.
pub fn items_of(updates: &[Update], now: &str) -> Vec<NewItem> {
    let mut out = Vec::new();
    for update in updates {
        let text = &update.text;
        let Some(start) = text.find("https://").or_else(|| text.find("http://")) else {
            continue;
        };
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '，' | '。' | '、' | '）' | '」'))
            .map_or(text.len(), |e| start + e);
        let raw = text[start..end].trim_end_matches(['.', ',', ')', ';', '!', '?', '>', '"', '\'']);
        let Some(url) = web_url(raw) else { continue };
        let note: String = format!("{} {}", &text[..start], &text[end..])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_NOTE)
            .collect();
        let summary = match (note.is_empty(), update.sender.is_empty()) {
            (_, true) => note,
            (true, false) => format!("(from {})", update.sender),
            (false, false) => format!("{note} (from {})", update.sender),
        };
        out.push(NewItem {
            url: url.to_owned(),
            url_norm: normalize(url),
            title: url.to_owned(),
            summary,
            lang: String::new(),
            published: Some(now.to_owned()),
        });
    }
    out
}

/// The bot of `workspace` (see [`crate::telegram::target`]).
fn bot(workspace: &Workspace) -> Result<BotApi> {
    let target = crate::telegram::target(workspace);
    if target.token().is_empty() {
        bail!("no bot token: set WEEKLY_TELEGRAM_BOT_TOKEN");
    }
    target.bot()
}

/// Reads the messages sent to the bot since the last run and stores their links, with the
/// new offset, in one transaction. Returns (new candidates, links seen, messages read).
pub async fn read_bot(
    workspace: &Workspace,
    store: &Store,
    source: &Source,
    state: Option<FeedState>,
    now: &str,
) -> Result<(usize, usize, usize)> {
    let mut state = state.unwrap_or_else(|| FeedState {
        source: source.url.clone(),
        ..FeedState::default()
    });
    let offset: i64 = state
        .etag
        .as_deref()
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    let updates = bot(workspace)?
        .updates(offset)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let items = items_of(&updates, now);
    if let Some(last) = updates.iter().map(|u| u.id).max() {
        state.etag = Some((last + 1).to_string());
    }
    state.last_fetched = Some(now.to_owned());
    state.last_status = "200".into();
    state.failures = 0;
    state.last_error.clear();
    let recorded = store
        .record_batch(&[(state, Some(items))], now)
        .await?
        .pop()
        .unwrap_or_default();
    Ok((recorded.new, recorded.seen, updates.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(id: i64, sender: &str, text: &str) -> Update {
        Update {
            id,
            sender: sender.into(),
            text: text.into(),
        }
    }

    #[test]
    fn each_message_gives_its_first_link_and_a_note() {
        let items = items_of(
            &[
                update(
                    1,
                    "@reader",
                    "推荐这篇：https://blog.example.org/post?a=1。写得很好",
                ),
                update(2, "", "no link here"),
                update(
                    3,
                    "Ann",
                    "(see https://example.net/x) and https://example.net/y",
                ),
                update(4, "@x", "https://localhost/admin"),
            ],
            "2026-12-01T00:00:00Z",
        );
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].url, "https://blog.example.org/post?a=1");
        assert_eq!(items[0].summary, "推荐这篇： 。写得很好 (from @reader)");
        assert_eq!(items[1].url, "https://example.net/x");
        assert_eq!(
            items[1].summary,
            "(see and https://example.net/y (from Ann)"
        );
    }
}
