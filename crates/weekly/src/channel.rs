//! Posting to the Telegram channel of a workspace (see [`weekly_app::telegram`] for where it
//! is) a list of messages under a ledger key, or showing them in a dry run. The token is never
//! printed.

use crate::collector::stamp;
use crate::printer;
use anyhow::{Result, bail};
use chrono::Utc;
use weekly_store::{DeliveryState, Store};
use weekly_telegram::{Delivered, Message, Photo, deliver};

pub use weekly_app::telegram::{Target, target};

/// Posts `messages` under `key` (prefixed with the chat), or shows them with `dry_run`.
pub async fn post(
    target: &Target,
    store: &Store,
    key: &str,
    messages: &[Message],
    dry_run: bool,
    resend_unsure: bool,
) -> Result<Delivered> {
    // A token written in weekly.toml is as secret as one from the environment.
    printer::keep_secret(target.token());
    let chat = if target.chat().is_empty() {
        "(no chat)"
    } else {
        target.chat()
    };
    let key = format!("telegram:{chat}:{key}");
    if dry_run {
        let mut done = Delivered::default();
        for (i, m) in messages.iter().enumerate() {
            let state = store.delivery(&format!("{key}#{}", i + 1)).await?;
            let note = match state {
                Some(DeliveryState::Sent(_)) => {
                    done.already += 1;
                    "posted already"
                }
                Some(DeliveryState::Unsure) => "may have been posted",
                None => "would be posted",
            };
            printer::out(&format!(
                "--- message {} of {} ({note}) ---",
                i + 1,
                messages.len()
            ));
            match m {
                Message::Text { html, .. } => printer::out(html),
                Message::Photo { photo, caption } => {
                    let shown = match photo {
                        Photo::Url(u) => u.clone(),
                        Photo::File(p) => p.display().to_string(),
                    };
                    printer::out(&format!("[photo {shown}]\n{caption}"));
                }
            }
        }
        return Ok(done);
    }
    if target.token().is_empty() {
        bail!(
            "no bot token: set WEEKLY_TELEGRAM_BOT_TOKEN (a `bot_token = \"…\"` line under `[telegram]` in weekly.toml works too, but keeps the token in the file)"
        );
    }
    if target.chat().is_empty() {
        bail!("no chat: set [telegram] chat_id in weekly.toml or WEEKLY_TELEGRAM_CHAT_ID");
    }
    let bot = target.bot()?;
    Ok(deliver(
        &bot,
        store,
        &key,
        messages,
        resend_unsure,
        &stamp(Utc::now()),
    )
    .await?)
}

/// One line about a delivery.
pub fn summary(done: &Delivered, target: &Target, dry_run: bool) -> String {
    if dry_run {
        return format!(
            "dry run: nothing posted ({} of the messages were posted before)",
            done.already
        );
    }
    match (done.posted, done.already) {
        (0, _) => format!(
            "nothing posted: every message was posted to {} before",
            target.chat()
        ),
        (n, 0) => format!("{n} messages posted to {}", target.chat()),
        (n, m) => format!(
            "{n} messages posted to {} ({m} were posted before)",
            target.chat()
        ),
    }
}
