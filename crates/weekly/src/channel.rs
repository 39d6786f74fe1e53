//! The Telegram channel of a workspace: where it is (`[telegram]`, overridden by
//! `WEEKLY_TELEGRAM_API_URL`, `WEEKLY_TELEGRAM_BOT_TOKEN`, `WEEKLY_TELEGRAM_CHAT_ID`), and
//! posting a list of messages under a ledger key, or showing them in a dry run. The token is
//! never printed.

use crate::collector::stamp;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use chrono::Utc;
use weekly_store::{DeliveryState, Store};
use weekly_telegram::{BotApi, DEFAULT_API_URL, Delivered, Message, Photo, deliver};

/// Where messages go.
#[derive(Clone)]
pub struct Target {
    api: String,
    token: String,
    chat: String,
}

impl Target {
    /// True when a bot token and a chat are set.
    pub fn is_configured(&self) -> bool {
        !self.token.is_empty() && !self.chat.is_empty()
    }

    /// The chat posted to.
    pub fn chat(&self) -> &str {
        &self.chat
    }
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("api", &self.api)
            .field("chat", &self.chat)
            .finish_non_exhaustive()
    }
}

use weekly_app::config::env_or as setting;

/// The channel configured for `workspace`.
pub fn target(workspace: &Workspace) -> Target {
    let t = &workspace.config.telegram;
    let api = setting("WEEKLY_TELEGRAM_API_URL", &t.api_url);
    crate::printer::keep_secret(&t.bot_token);
    Target {
        api: if api.is_empty() {
            DEFAULT_API_URL.to_owned()
        } else {
            api
        },
        token: setting("WEEKLY_TELEGRAM_BOT_TOKEN", &t.bot_token),
        chat: setting("WEEKLY_TELEGRAM_CHAT_ID", &t.chat_id),
    }
}

/// The photo of announcements, if configured: an `http(s)` URL that Telegram fetches, or a
/// file of the workspace — a relative path whose real path (links resolved) stays inside it,
/// naming a regular file. Anything else is an error naming `[telegram] photo`.
pub fn photo(workspace: &Workspace) -> Result<Option<Photo>> {
    let p = workspace.config.telegram.photo.trim();
    if p.is_empty() {
        return Ok(None);
    }
    if p.starts_with("http://") || p.starts_with("https://") {
        return Ok(Some(Photo::Url(p.to_owned())));
    }
    let relative = std::path::Path::new(p);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        anyhow::bail!(
            "[telegram] photo: `{p}` must be a path inside the workspace (like \
             `static/cover.png`) or an http(s) URL"
        );
    }
    let root = std::fs::canonicalize(&workspace.root)?;
    let path = workspace.root.join(relative);
    let real = weekly_app::files::real_path_inside(&root, &path)
        .map_err(|e| anyhow::anyhow!("[telegram] photo: `{p}`: {e}"))?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "[telegram] photo: `{p}` is a link that leads outside the workspace; it is not \
                 uploaded"
            )
        })?;
    if !real.is_file() {
        anyhow::bail!("[telegram] photo: `{p}` is not a regular file");
    }
    Ok(Some(Photo::File(real)))
}

/// Posts `messages` under `key` (prefixed with the chat), or shows them with `dry_run`.
pub async fn post(
    target: &Target,
    store: &Store,
    key: &str,
    messages: &[Message],
    dry_run: bool,
    resend_unsure: bool,
) -> Result<Delivered> {
    let chat = if target.chat.is_empty() {
        "(no chat)"
    } else {
        &target.chat
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
    if target.token.is_empty() {
        bail!(
            "no bot token: set WEEKLY_TELEGRAM_BOT_TOKEN (a `bot_token = \"…\"` line under `[telegram]` in weekly.toml works too, but keeps the token in the file)"
        );
    }
    if target.chat.is_empty() {
        bail!("no chat: set [telegram] chat_id in weekly.toml or WEEKLY_TELEGRAM_CHAT_ID");
    }
    let bot = BotApi::new(&target.api, &target.token, &target.chat)?;
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
            target.chat
        ),
        (n, 0) => format!("{n} messages posted to {}", target.chat),
        (n, m) => format!(
            "{n} messages posted to {} ({m} were posted before)",
            target.chat
        ),
    }
}
