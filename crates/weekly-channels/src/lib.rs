//! The issue where its readers already are, through each service's official API: Mastodon and
//! Bluesky announcements (posted once: a re-run never posts again), and long-form drafts on
//! dev.to, WordPress, Ghost and a WeChat Official Account (a re-run updates the draft it made;
//! WeChat's needs its images and cover, so the caller drives it through [`wechat`]). Values in, requests out:
//! the caller keeps each [`Remote`] and hands it back on the next run. Secrets are never in an
//! error: every message a service sends back is shown with them taken out.

mod bluesky;
mod longform;
mod mastodon;
pub mod paste;
pub mod text;
pub mod wechat;
pub mod wechat_html;

use std::time::Duration;

/// A kind of channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Mastodon server: `POST /api/v1/statuses`.
    Mastodon,
    /// Bluesky (or any AT Protocol PDS): `createSession`, `createRecord`.
    Bluesky,
    /// dev.to or another Forem: `/api/articles`.
    Devto,
    /// WordPress: `/wp-json/wp/v2/posts` with an application password.
    Wordpress,
    /// Ghost: the Admin API with a JWT made from the admin key.
    Ghost,
    /// A WeChat Official Account: a draft with its images uploaded (see [`wechat`]).
    Wechat,
}

impl Kind {
    /// The kind a `[channels.NAME] kind` names.
    pub fn parse(word: &str) -> Option<Kind> {
        Some(match word.trim().to_ascii_lowercase().as_str() {
            "mastodon" => Kind::Mastodon,
            "bluesky" => Kind::Bluesky,
            "devto" | "dev.to" | "forem" => Kind::Devto,
            "wordpress" => Kind::Wordpress,
            "ghost" => Kind::Ghost,
            "wechat" | "weixin" => Kind::Wechat,
            _ => return None,
        })
    }

    /// Its word.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Mastodon => "mastodon",
            Kind::Bluesky => "bluesky",
            Kind::Devto => "devto",
            Kind::Wordpress => "wordpress",
            Kind::Ghost => "ghost",
            Kind::Wechat => "wechat",
        }
    }

    /// True when what it made can be changed later (a draft), false for a post that stays
    /// as posted (a status, a skeet): a re-run updates the one and never repeats the other.
    pub fn updatable(self) -> bool {
        matches!(
            self,
            Kind::Devto | Kind::Wordpress | Kind::Ghost | Kind::Wechat
        )
    }

    /// Every kind's word, for messages.
    pub const WORDS: &'static str = "mastodon, bluesky, devto, wordpress, ghost, wechat";
}

/// What a channel gets of an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The title.
    pub title: String,
    /// A short announcement: a line or two of plain text (the link is added after it).
    pub announcement: String,
    /// The page (the canonical URL of a long-form post, the link of an announcement).
    pub url: String,
    /// The edition as Markdown (dev.to).
    pub markdown: String,
    /// The edition as HTML (WordPress, Ghost).
    pub html: String,
    /// Its language code.
    pub lang: String,
    /// An idempotency key for this issue on this channel (Mastodon).
    pub key: String,
    /// The card (PNG), for a link preview (Bluesky's `uploadBlob`); empty: none.
    pub card: Vec<u8>,
}

/// Where a channel's service is and who we are there.
#[derive(Clone)]
pub struct Account {
    /// The service's base URL (`https://mastodon.social`, `https://bsky.social`…).
    pub api_url: String,
    /// The user (Bluesky handle, WordPress user); empty when the service needs none.
    pub user: String,
    /// The secret (Mastodon or dev.to token, Bluesky or WordPress app password, Ghost admin
    /// key `ID:SECRET`).
    pub secret: String,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("api_url", &self.api_url)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// What a channel made, kept by the caller between runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// The service's id of it.
    pub id: String,
    /// Where readers (or the editor, for a draft) see it.
    pub url: String,
    /// A version the service wants back on an update (Ghost's `updated_at`); may be empty.
    pub version: String,
}

/// What a run did on a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// Posted (or drafted) now.
    Created(Remote),
    /// The draft made earlier, updated.
    Updated(Remote),
    /// Posted earlier and not to be posted again.
    Kept(Remote),
}

impl Done {
    /// What it made.
    pub fn remote(&self) -> &Remote {
        match self {
            Done::Created(r) | Done::Updated(r) | Done::Kept(r) => r,
        }
    }
}

/// A channel that could not be served.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    /// The service answered with an error: its status and its own message.
    #[error("{service} answered {status}: {message}")]
    Refused {
        /// Which service.
        service: &'static str,
        /// The HTTP status.
        status: u16,
        /// What it said, secrets taken out.
        message: String,
    },
    /// It could not be reached.
    #[error("cannot reach {service}: {message}")]
    Transport {
        /// Which service.
        service: &'static str,
        /// Why, secrets taken out.
        message: String,
    },
    /// What we would send breaks a rule of the service (a limit), or the account is incomplete.
    #[error("{0}")]
    Invalid(String),
}

/// The HTTP client of the channels: the project's settings, 30 s for a whole request.
pub fn client() -> Result<reqwest::Client, ChannelError> {
    weekly_http::builder(weekly_http::Timeouts::total(Duration::from_secs(30)))
        .build()
        .map_err(|e| {
            ChannelError::Invalid(format!(
                "cannot set up the HTTP client: {}",
                e.without_url()
            ))
        })
}

/// Serves `post` on a channel of `kind` as `account`: creates it, or (given what an earlier
/// run made) updates a draft or keeps a post.
pub async fn publish(
    http: &reqwest::Client,
    kind: Kind,
    account: &Account,
    post: &Post,
    previous: Option<&Remote>,
) -> Result<Done, ChannelError> {
    if account.api_url.trim().is_empty() {
        return Err(ChannelError::Invalid("`api_url` is empty".into()));
    }
    if account.secret.trim().is_empty() {
        return Err(ChannelError::Invalid(
            "no secret: set its environment variable".into(),
        ));
    }
    match (kind, previous) {
        (Kind::Mastodon | Kind::Bluesky, Some(made)) => Ok(Done::Kept(made.clone())),
        (Kind::Mastodon, None) => mastodon::post(http, account, post).await.map(Done::Created),
        (Kind::Bluesky, None) => bluesky::post(http, account, post).await.map(Done::Created),
        (Kind::Wechat, _) => Err(ChannelError::Invalid(
            "a WeChat draft needs its images and cover: use `weekly_channels::wechat`".into(),
        )),
        (Kind::Devto | Kind::Wordpress | Kind::Ghost, previous) => {
            let made = longform::save(http, kind, account, post, previous).await?;
            Ok(match previous {
                Some(_) => Done::Updated(made),
                None => Done::Created(made),
            })
        }
    }
}

/// The request `publish` would make first, as JSON, with no secret: what `--dry-run` writes.
pub fn preview(
    kind: Kind,
    account: &Account,
    post: &Post,
) -> Result<serde_json::Value, ChannelError> {
    match kind {
        Kind::Mastodon => mastodon::body(post, mastodon::DEFAULT_LIMIT),
        Kind::Bluesky => Ok(bluesky::record(post, "did:example:dry-run", None)),
        Kind::Devto | Kind::Wordpress | Kind::Ghost => Ok(longform::body(kind, post, None)),
        Kind::Wechat => {
            let article = wechat_html::article(&post.html, "References");
            Ok(serde_json::json!({
                "title": post.title,
                "content": article.html,
                "content_source_url": post.url,
                "images_to_upload": article.images,
                "references": article.references,
            }))
        }
    }
    .map(|body| {
        serde_json::json!({
            "kind": kind.as_str(),
            "api_url": account.api_url,
            "body": body,
        })
    })
}

/// An answer's error message, the secrets taken out.
pub(crate) async fn refused(
    service: &'static str,
    answer: reqwest::Response,
    secrets: &[&str],
) -> ChannelError {
    let status = answer.status().as_u16();
    let text = answer.text().await.unwrap_or_default();
    // Each service words its errors its own way: `message` (WordPress, Bluesky), `errors[0]
    // .message` (Ghost), `error` (Mastodon, dev.to).
    let message = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            [
                &v["message"],
                &v["errors"][0]["message"],
                &v["error"],
                &v["description"],
            ]
            .into_iter()
            .find_map(|m| m.as_str().map(str::to_owned))
        })
        .unwrap_or(text);
    let message: String = message.chars().take(300).collect();
    ChannelError::Refused {
        service,
        status,
        message: weekly_model::shown::redact(&message, secrets).into_owned(),
    }
}

/// A transport error, the secrets (and the URL, which may hold one) taken out.
pub(crate) fn unreachable(
    service: &'static str,
    error: reqwest::Error,
    secrets: &[&str],
) -> ChannelError {
    let message = error.without_url().to_string();
    ChannelError::Transport {
        service,
        message: weekly_model::shown::redact(&message, secrets).into_owned(),
    }
}

/// Sends `request` and reads the JSON it answers; an error naming `service` with its own words
/// when the request could not be made or was refused, `secrets` taken out.
pub(crate) async fn send_json(
    service: &'static str,
    request: reqwest::RequestBuilder,
    secrets: &[&str],
) -> Result<serde_json::Value, ChannelError> {
    let answer = request
        .send()
        .await
        .map_err(|e| unreachable(service, e, secrets))?;
    if !answer.status().is_success() {
        return Err(refused(service, answer, secrets).await);
    }
    answer
        .json()
        .await
        .map_err(|e| unreachable(service, e, secrets))
}

/// `base` and `path` joined with one `/`.
pub(crate) fn endpoint(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}
