//! Mastodon: `POST /api/v1/statuses` with the account's token and an `Idempotency-Key` (the
//! server answers a repeated key with the status it made, so a retry never posts twice),
//! within the server's own character limit (`GET /api/v2/instance`,
//! `configuration.statuses.max_characters`; URLs count as 23).
//! Docs: <https://docs.joinmastodon.org/methods/statuses/#create>,
//! <https://docs.joinmastodon.org/methods/instance/#v2>.

use crate::text::{fit, mastodon_length};
use crate::{Account, ChannelError, Post, Remote, endpoint, send_json};
use serde_json::{Value, json};

/// The limit of servers that do not say theirs.
pub(crate) const DEFAULT_LIMIT: usize = 500;

/// The status: the announcement cut to fit, a blank line, the link.
pub(crate) fn body(post: &Post, limit: usize) -> Result<Value, ChannelError> {
    let link = format!("\n\n{}", post.url);
    let room = limit.saturating_sub(mastodon_length(&link));
    if room < 10 {
        return Err(ChannelError::Invalid(format!(
            "a Mastodon status of {limit} characters has no room for the announcement"
        )));
    }
    let text = fit(post.announcement.trim(), room, mastodon_length);
    Ok(json!({
        "status": format!("{text}{link}"),
        "visibility": "public",
        "language": post.lang,
    }))
}

/// The server's character limit.
async fn limit(http: &reqwest::Client, account: &Account) -> usize {
    let answer = http
        .get(endpoint(&account.api_url, "api/v2/instance"))
        .send()
        .await;
    let Ok(answer) = answer else {
        return DEFAULT_LIMIT;
    };
    let value: Value = answer.json().await.unwrap_or_default();
    value["configuration"]["statuses"]["max_characters"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_LIMIT)
}

/// Posts the announcement; the status made.
pub(crate) async fn post(
    http: &reqwest::Client,
    account: &Account,
    post: &Post,
) -> Result<Remote, ChannelError> {
    let secret = account.secret.trim();
    let body = body(post, limit(http, account).await)?;
    let made = send_json(
        "Mastodon",
        http.post(endpoint(&account.api_url, "api/v1/statuses"))
            .bearer_auth(secret)
            .header("Idempotency-Key", &post.key)
            .json(&body),
        &[secret],
    )
    .await?;
    Ok(Remote {
        id: made["id"].as_str().unwrap_or_default().to_owned(),
        url: made["url"].as_str().unwrap_or_default().to_owned(),
        version: String::new(),
    })
}
