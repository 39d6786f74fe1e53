//! The real channel: the Telegram Bot API over HTTPS (`sendMessage`, `sendPhoto`), HTML parse
//! mode. 429 answers are waited out (`retry_after`), 5xx and refused connections are retried
//! with back-off; an answer that never comes is reported as "may have been posted". The token
//! is part of the URL path, so errors are stripped of URLs and `Debug` hides it.

use crate::{Channel, Message, Photo, SendError};
use std::fmt;
use std::time::Duration;

/// The public Bot API.
pub const DEFAULT_API_URL: &str = "https://api.telegram.org";

/// Longest `retry_after` waited out.
/// The largest photo the Bot API takes as an upload.
const MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;
const MAX_WAIT: Duration = Duration::from_mins(1);

/// A message sent to the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// The update's id (ask from `id + 1` to confirm it).
    pub id: i64,
    /// `@username`, else the first name (may be empty).
    pub sender: String,
    /// The message's text (empty for a photo or sticker).
    pub text: String,
}

/// A bot posting to one chat.
#[derive(Clone)]
pub struct BotApi {
    client: reqwest::Client,
    api: String,
    token: String,
    chat: String,
    attempts: usize,
    retry_base: Duration,
}

impl fmt::Debug for BotApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BotApi")
            .field("api", &self.api)
            .field("chat", &self.chat)
            .field("token", &"<hidden>")
            .finish_non_exhaustive()
    }
}

enum Attempt {
    Done(Option<i64>),
    Retry(Duration),
    Fail(SendError),
}

impl BotApi {
    /// A bot with `token` posting to `chat` (`@channel` or a numeric id) through `api`.
    pub fn new(api: &str, token: &str, chat: &str) -> Result<BotApi, SendError> {
        let client = weekly_http::builder(weekly_http::Timeouts::total(Duration::from_mins(1)))
            .build()
            .map_err(|e| SendError::NotSent(e.without_url().to_string()))?;
        Ok(BotApi {
            client,
            api: api.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            chat: chat.to_owned(),
            attempts: 4,
            retry_base: Duration::from_secs(1),
        })
    }

    /// Sets the first back-off delay (doubled each retry); tests use a short one.
    #[must_use]
    pub fn with_retry_base(mut self, base: Duration) -> BotApi {
        self.retry_base = base;
        self
    }

    /// Messages sent to the bot since `offset` (`getUpdates`, no waiting): (update id, sender's
    /// `@username` or name, text). Asking with the last id + 1 confirms the earlier ones.
    pub async fn updates(&self, offset: i64) -> Result<Vec<Update>, SendError> {
        let body =
            serde_json::json!({"offset": offset, "timeout": 0, "allowed_updates": ["message"]});
        let response = self
            .client
            .post(self.url("getUpdates"))
            .json(&body)
            .send()
            .await
            .map_err(|e| SendError::NotSent(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let value: serde_json::Value = response
            .json()
            .await
            .map_err(|e| SendError::Refused(format!("HTTP {status}: {}", e.without_url())))?;
        if value["ok"] != serde_json::Value::Bool(true) {
            let description = value["description"].as_str().unwrap_or("no description");
            return Err(SendError::Refused(format!(
                "HTTP {status}: {}",
                description.replace(&self.token, "<token>")
            )));
        }
        let mut out = Vec::new();
        for update in value["result"].as_array().into_iter().flatten() {
            let Some(id) = update["update_id"].as_i64() else {
                continue;
            };
            let message = &update["message"];
            let from = &message["from"];
            let sender = from["username"]
                .as_str()
                .map(|u| format!("@{u}"))
                .or_else(|| from["first_name"].as_str().map(str::to_owned))
                .unwrap_or_default();
            out.push(Update {
                id,
                sender,
                text: message["text"].as_str().unwrap_or_default().to_owned(),
            });
        }
        Ok(out)
    }

    fn url(&self, method: &str) -> String {
        format!("{}/bot{}/{method}", self.api, self.token)
    }

    /// Sends `message` once; `upload` is the photo file's content, read once by `send`.
    async fn request(
        &self,
        message: &Message,
        upload: Option<&[u8]>,
    ) -> Result<reqwest::Response, reqwest::Error> {
        match message {
            Message::Text { html, preview } => {
                let body = serde_json::json!({
                    "chat_id": self.chat,
                    "text": html,
                    "parse_mode": "HTML",
                    "link_preview_options": { "is_disabled": !preview },
                });
                self.client
                    .post(self.url("sendMessage"))
                    .json(&body)
                    .send()
                    .await
            }
            Message::Photo {
                photo: Photo::Url(url),
                caption,
            } => {
                let body = serde_json::json!({
                    "chat_id": self.chat,
                    "photo": url,
                    "caption": caption,
                    "parse_mode": "HTML",
                });
                self.client
                    .post(self.url("sendPhoto"))
                    .json(&body)
                    .send()
                    .await
            }
            Message::Photo {
                photo: Photo::File(path),
                caption,
            } => {
                let name = path
                    .file_name()
                    .map_or_else(|| "photo".into(), |n| n.to_string_lossy().into_owned());
                let bytes = upload.unwrap_or_default().to_vec();
                let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
                let form = reqwest::multipart::Form::new()
                    .text("chat_id", self.chat.clone())
                    .text("caption", caption.clone())
                    .text("parse_mode", "HTML")
                    .part("photo", part);
                self.client
                    .post(self.url("sendPhoto"))
                    .multipart(form)
                    .send()
                    .await
            }
        }
    }

    async fn attempt(&self, message: &Message, upload: Option<&[u8]>, retry: Duration) -> Attempt {
        let response = match self.request(message, upload).await {
            Ok(r) => r,
            Err(e) if e.is_connect() => return Attempt::Retry(retry),
            Err(e) => return Attempt::Fail(SendError::Unsure(e.without_url().to_string())),
        };
        let status = response.status().as_u16();
        let body: serde_json::Value = match response.json().await {
            Ok(v) => v,
            Err(_) if status >= 500 => return Attempt::Retry(retry),
            Err(e) => {
                return Attempt::Fail(SendError::Refused(format!(
                    "HTTP {status}, unreadable answer: {}",
                    e.without_url()
                )));
            }
        };
        if body["ok"].as_bool() == Some(true) {
            return Attempt::Done(body["result"]["message_id"].as_i64());
        }
        // The Bot API may name the method's path, which holds the token.
        let description = weekly_model::shown::redact(
            body["description"].as_str().unwrap_or("no description"),
            &[&self.token],
        )
        .into_owned();
        if status == 429 {
            let wait = Duration::from_secs(body["parameters"]["retry_after"].as_u64().unwrap_or(1));
            if wait > MAX_WAIT {
                return Attempt::Fail(SendError::Refused(format!(
                    "{description} (asked to wait {} s)",
                    wait.as_secs()
                )));
            }
            return Attempt::Retry(wait);
        }
        if status >= 500 {
            return Attempt::Retry(retry);
        }
        Attempt::Fail(SendError::Refused(format!("HTTP {status}: {description}")))
    }
}

impl Channel for BotApi {
    fn describe(&self) -> String {
        format!("Telegram chat {}", self.chat)
    }

    async fn send(&self, message: &Message) -> Result<Option<i64>, SendError> {
        let mut upload = None;
        if let Message::Photo {
            photo: Photo::File(path),
            ..
        } = message
        {
            // Only a regular, non-empty file Telegram accepts as a photo (10 MB at most): a
            // folder or a device would be posted as an empty or endless upload.
            let problem = match tokio::fs::metadata(path).await {
                Err(e) => Some(e.to_string()),
                Ok(m) if !m.is_file() => Some("not a regular file".to_owned()),
                Ok(m) if m.len() == 0 => Some("an empty file".to_owned()),
                Ok(m) if m.len() > MAX_PHOTO_BYTES => Some(format!(
                    "{} bytes, over Telegram's 10 MB for a photo",
                    m.len()
                )),
                Ok(_) => None,
            };
            if let Some(problem) = problem {
                return Err(SendError::NotSent(format!("{}: {problem}", path.display())));
            }
            match tokio::fs::read(path).await {
                Ok(bytes) => upload = Some(bytes),
                Err(e) => return Err(SendError::NotSent(format!("{}: {e}", path.display()))),
            }
        }
        let mut retry = self.retry_base;
        for attempt in 1..=self.attempts {
            match self.attempt(message, upload.as_deref(), retry).await {
                Attempt::Done(id) => return Ok(id),
                Attempt::Fail(e) => return Err(e),
                Attempt::Retry(wait) if attempt < self.attempts => {
                    tokio::time::sleep(wait).await;
                    retry *= 2;
                }
                Attempt::Retry(_) => {}
            }
        }
        Err(SendError::NotSent(format!(
            "gave up after {} attempts (server errors or rate limit)",
            self.attempts
        )))
    }
}
