//! Bluesky (any AT Protocol PDS): a session from the handle and an app password
//! (`com.atproto.server.createSession`), then the post (`com.atproto.repo.createRecord`,
//! collection `app.bsky.feed.post`): at most 300 graphemes, the link as a link facet
//! whose offsets are UTF-8 byte offsets, and the issue as the link card (`app.bsky.embed.external`).
//! Docs: <https://docs.bsky.app/docs/advanced-guides/posts>,
//! <https://docs.bsky.app/docs/api/com-atproto-server-create-session>.

use crate::text::{BLUESKY_GRAPHEMES, fit, graphemes, link_ranges};
use crate::{Account, ChannelError, Post, Remote, endpoint, send_json};
use serde_json::{Value, json};

/// The post record for the repository `did`.
/// The post record for the repository `did`, with the card's blob (`uploadBlob`'s answer) as
/// the link card's thumbnail when there is one.
pub(crate) fn record(post: &Post, did: &str, thumb: Option<&Value>) -> Value {
    let link = format!("\n\n{}", post.url);
    let room = BLUESKY_GRAPHEMES.saturating_sub(graphemes(&link));
    let text = format!("{}{link}", fit(post.announcement.trim(), room, graphemes));
    let facets: Vec<Value> = link_ranges(&text)
        .into_iter()
        .map(|(start, end, uri)| {
            json!({
                "index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
            })
        })
        .collect();
    let mut external = json!({"uri": post.url, "title": post.title, "description": ""});
    if let Some(blob) = thumb {
        external["thumb"] = blob.clone();
    }
    json!({
        "repo": did,
        "collection": "app.bsky.feed.post",
        "record": {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "langs": [post.lang],
            "facets": facets,
            "embed": {
                "$type": "app.bsky.embed.external",
                "external": external,
            },
        },
    })
}

/// Signs in and posts; the record made (its `at://` URI as id, its web address as URL).
pub(crate) async fn post(
    http: &reqwest::Client,
    account: &Account,
    post: &Post,
) -> Result<Remote, ChannelError> {
    let secret = account.secret.trim();
    if account.user.trim().is_empty() {
        return Err(ChannelError::Invalid(
            "`user` (the Bluesky handle) is empty".into(),
        ));
    }
    let session = send_json(
        "Bluesky",
        http.post(endpoint(
            &account.api_url,
            "xrpc/com.atproto.server.createSession",
        ))
        .json(&json!({"identifier": account.user.trim(), "password": secret})),
        &[secret],
    )
    .await?;
    let (Some(jwt), Some(did)) = (session["accessJwt"].as_str(), session["did"].as_str()) else {
        return Err(ChannelError::Invalid(
            "Bluesky's session has no accessJwt or did".into(),
        ));
    };
    let handle = session["handle"]
        .as_str()
        .unwrap_or(account.user.trim())
        .to_owned();
    // The card, uploaded first: its blob is the link card's thumbnail.
    let thumb = if post.card.is_empty() {
        None
    } else {
        let uploaded = send_json(
            "Bluesky",
            http.post(endpoint(
                &account.api_url,
                "xrpc/com.atproto.repo.uploadBlob",
            ))
            .bearer_auth(jwt)
            .header("Content-Type", "image/png")
            .body(post.card.clone()),
            &[secret, jwt],
        )
        .await?;
        Some(uploaded["blob"].clone())
    };
    let made = send_json(
        "Bluesky",
        http.post(endpoint(
            &account.api_url,
            "xrpc/com.atproto.repo.createRecord",
        ))
        .bearer_auth(jwt)
        .json(&record(post, did, thumb.as_ref())),
        &[secret, jwt],
    )
    .await?;
    let uri = made["uri"].as_str().unwrap_or_default().to_owned();
    let rkey = uri.rsplit('/').next().unwrap_or_default();
    Ok(Remote {
        url: format!("https://bsky.app/profile/{handle}/post/{rkey}"),
        id: uri,
        version: String::new(),
    })
}
