//! The Telegram channel of a workspace, worked out once: `[telegram]` of `weekly.toml`,
//! overridden by `WEEKLY_TELEGRAM_API_URL`, `WEEKLY_TELEGRAM_BOT_TOKEN` and
//! `WEEKLY_TELEGRAM_CHAT_ID`; and the photo of announcements. Announcements, digests and the
//! submissions bot all use it.

use crate::environment;
use crate::workspace::Workspace;
use anyhow::{Context as _, Result};
use weekly_telegram::{BotApi, DEFAULT_API_URL, Photo};

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

    /// The bot token (never to be printed).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The Bot API's base URL.
    pub fn api(&self) -> &str {
        &self.api
    }

    /// A Bot API client for this target.
    pub fn bot(&self) -> Result<BotApi> {
        BotApi::new(&self.api, &self.token, &self.chat).context("cannot set up the Bot API client")
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

/// The channel configured for `workspace`.
pub fn target(workspace: &Workspace) -> Target {
    let t = &workspace.config.telegram;
    let api = workspace.env.or(environment::TELEGRAM_API_URL, &t.api_url);
    Target {
        api: if api.is_empty() {
            DEFAULT_API_URL.to_owned()
        } else {
            api
        },
        token: workspace
            .env
            .or(environment::TELEGRAM_BOT_TOKEN, &t.bot_token),
        chat: workspace.env.or(environment::TELEGRAM_CHAT_ID, &t.chat_id),
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
    let real = crate::files::real_path_inside(&root, &path)
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
