//! The Bot API stand-in: `sendMessage` and `sendPhoto` with JSON or multipart bodies. Like
//! Telegram it refuses a wrong token (401), a missing chat, HTML it cannot parse and texts over
//! the limits (400), and it can be told to answer 429 with `retry_after` or 500.

use crate::{Shared, lock};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Mutex;
use weekly_render::telegram::{CAPTION_LIMIT, MESSAGE_LIMIT, validate};

/// A call the stand-in received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramCall {
    /// `sendMessage`, `sendPhoto`…
    pub method: String,
    /// The fields sent (a file field is shown as `<file NAME, N bytes>`).
    pub fields: BTreeMap<String, String>,
    /// The status answered.
    pub status: u16,
}

/// A failure to play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TelegramFault {
    /// 429 Too Many Requests with `retry_after` seconds.
    RetryAfter(u64),
    /// 500.
    ServerError,
    /// 400 with a description that names the method's path, token and all.
    EchoPath,
}

#[derive(Debug, Default)]
pub(crate) struct Bot {
    pub(crate) token: String,
    pub(crate) calls: Vec<TelegramCall>,
    pub(crate) faults: Vec<(TelegramFault, u32)>,
    /// Updates waiting for `getUpdates`, oldest first (forgotten once an offset confirms them).
    pub(crate) updates: Vec<serde_json::Value>,
    pub(crate) next_update: i64,
}

impl Bot {
    /// Queues a private message to the bot from `username`.
    pub(crate) fn message(&mut self, username: &str, text: &str) {
        self.next_update += 1;
        let id = 1000 + self.next_update;
        self.updates.push(json!({
            "update_id": id,
            "message": {
                "message_id": id,
                "date": 1_764_000_000,
                "from": {"id": 42, "is_bot": false, "first_name": "Reader", "username": username},
                "chat": {"id": 42, "type": "private"},
                "text": text,
            }
        }));
    }
}

fn answer(status: StatusCode, body: &serde_json::Value) -> Response {
    (status, axum::Json(body.clone())).into_response()
}

fn refuse(status: StatusCode, description: &str) -> Response {
    answer(
        status,
        &json!({"ok": false, "error_code": status.as_u16(), "description": description}),
    )
}

/// The fields of a `multipart/form-data` body.
fn multipart(body: &[u8], boundary: &str) -> BTreeMap<String, String> {
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut fields = BTreeMap::new();
    for part in text.split(&delimiter) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        else {
            continue;
        };
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let shown = match head
            .split("filename=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        {
            Some(file) => format!("<file {file}, {} bytes>", value.len()),
            None => value.to_owned(),
        };
        fields.insert(name.to_owned(), shown);
    }
    fields
}

fn fields(headers: &HeaderMap, body: &[u8]) -> BTreeMap<String, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(boundary) = content_type.split("boundary=").nth(1) {
        return multipart(body, boundary.trim_matches('"'));
    }
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    value
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                    (k.clone(), text)
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn handle(
    shared: &Mutex<Shared>,
    rest: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let (token, method) = rest.split_once('/').unwrap_or((rest, ""));
    let fields = fields(headers, body);
    let mut shared = lock(shared);
    let bot = &mut shared.telegram;
    let response = respond(bot, token, method, &fields);
    bot.calls.push(TelegramCall {
        method: method.to_owned(),
        fields,
        status: response.status().as_u16(),
    });
    response
}

fn respond(
    bot: &mut Bot,
    token: &str,
    method: &str,
    fields: &BTreeMap<String, String>,
) -> Response {
    if token != bot.token {
        return refuse(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    if let Some(slot) = bot.faults.iter_mut().find(|(_, n)| *n > 0) {
        slot.1 -= 1;
        return match slot.0 {
            TelegramFault::RetryAfter(seconds) => answer(
                StatusCode::TOO_MANY_REQUESTS,
                &json!({"ok": false, "error_code": 429,
                        "description": format!("Too Many Requests: retry after {seconds}"),
                        "parameters": {"retry_after": seconds}}),
            ),
            TelegramFault::ServerError => {
                refuse(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
            }
            TelegramFault::EchoPath => refuse(
                StatusCode::BAD_REQUEST,
                &format!("Bad Request: cannot call /bot{token}/{method}"),
            ),
        };
    }
    if method == "getUpdates" {
        // Like Telegram: an offset confirms every update before it, which is then forgotten.
        let offset: i64 = fields
            .get("offset")
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        bot.updates
            .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
        return answer(StatusCode::OK, &json!({"ok": true, "result": bot.updates}));
    }
    if fields.get("chat_id").is_none_or(String::is_empty) {
        return refuse(StatusCode::BAD_REQUEST, "Bad Request: chat_id is empty");
    }
    let (text_field, limit) = match method {
        "sendMessage" => ("text", MESSAGE_LIMIT),
        "sendPhoto" => {
            if fields.get("photo").is_none_or(String::is_empty) {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: there is no photo in the request",
                );
            }
            ("caption", CAPTION_LIMIT)
        }
        _ => return refuse(StatusCode::NOT_FOUND, "Not Found"),
    };
    let text = fields.get(text_field).cloned().unwrap_or_default();
    if text.is_empty() && method == "sendMessage" {
        return refuse(
            StatusCode::BAD_REQUEST,
            "Bad Request: message text is empty",
        );
    }
    if fields.get("parse_mode").map(String::as_str) == Some("HTML") {
        match validate(&text) {
            Err(e) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    &format!("Bad Request: can't parse entities: {e}"),
                );
            }
            Ok(len) if len > limit => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    &format!("Bad Request: {text_field} is too long"),
                );
            }
            Ok(_) => {}
        }
    }
    let id = i64::try_from(bot.calls.iter().filter(|c| c.status == 200).count()).unwrap_or(0) + 1;
    answer(
        StatusCode::OK,
        &json!({"ok": true, "result": {"message_id": id, "chat": {"id": fields["chat_id"]}}}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_fields_are_read() {
        let body = "--XY\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n@c\r\n--XY\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n--XY--\r\n";
        let f = multipart(body.as_bytes(), "XY");
        assert_eq!(f["chat_id"], "@c");
        assert_eq!(f["photo"], "<file p.png, 7 bytes>");
    }
}
