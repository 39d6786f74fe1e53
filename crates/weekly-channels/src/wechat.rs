//! A WeChat Official Account (公众号) draft through the official API: the access token
//! (`GET /cgi-bin/token`, two hours; kept by the caller and used until five minutes before it
//! ends, asked again once when WeChat says it expired), every image uploaded
//! (`POST /cgi-bin/media/uploadimg`) and its `src` replaced, the card as the cover
//! (`POST /cgi-bin/material/add_material?type=thumb`), then the draft made
//! (`POST /cgi-bin/draft/add`) or updated (`POST /cgi-bin/draft/update`) with
//! `content_source_url` the page. Title, digest and content are held to WeChat's limits
//! before anything is sent.
//! Docs: <https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html>,
//! <https://developers.weixin.qq.com/doc/offiaccount/Asset_Management/Adding_Permanent_Assets.html>,
//! <https://developers.weixin.qq.com/doc/offiaccount/Draft_Box/Add_draft.html>.

use crate::wechat_html::Article;
use crate::{Account, ChannelError, Remote, endpoint, unreachable};
use serde_json::{Value, json};

/// The longest title (characters).
pub const TITLE_CHARS: usize = 64;
/// The longest digest (characters).
pub const DIGEST_CHARS: usize = 120;
/// The most characters of an article's content.
pub const CONTENT_CHARS: usize = 20_000;

/// An access token and when it ends (Unix seconds).
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The token.
    pub token: String,
    /// When it ends.
    pub expires_at: i64,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// What a WeChat draft is made of.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The title.
    pub title: String,
    /// The digest shown in the feed.
    pub digest: String,
    /// The author (may be empty).
    pub author: String,
    /// The article (links as references); its images still at their addresses.
    pub article: Article,
    /// Each image's bytes, in `article.images` order.
    pub image_bytes: Vec<Vec<u8>>,
    /// The cover (the card, PNG).
    pub cover: Vec<u8>,
    /// The page.
    pub source_url: String,
}

fn wechat_error(value: &Value, secrets: &[&str]) -> Option<ChannelError> {
    let code = value["errcode"].as_i64().unwrap_or(0);
    (code != 0).then(|| ChannelError::Refused {
        service: "WeChat",
        status: u16::try_from(code.clamp(0, 65_535)).unwrap_or(0),
        message: weekly_model::shown::redact(
            &format!("errcode {code}: {}", value["errmsg"].as_str().unwrap_or("")),
            secrets,
        )
        .into_owned(),
    })
}

/// A token, `cached` while it has five minutes left, else a new one.
pub async fn token(
    http: &reqwest::Client,
    account: &Account,
    cached: Option<&Token>,
    now: i64,
) -> Result<Token, ChannelError> {
    if let Some(t) = cached.filter(|t| t.expires_at - 300 > now) {
        return Ok(t.clone());
    }
    let secret = account.secret.trim();
    let encode = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let answer = http
        .get(format!(
            "{}?grant_type=client_credential&appid={}&secret={}",
            endpoint(&account.api_url, "cgi-bin/token"),
            encode(account.user.trim()),
            encode(secret)
        ))
        .send()
        .await
        .map_err(|e| unreachable("WeChat", e, &[secret]))?;
    let value: Value = answer
        .json()
        .await
        .map_err(|e| unreachable("WeChat", e, &[secret]))?;
    if let Some(e) = wechat_error(&value, &[secret]) {
        return Err(e);
    }
    let token = value["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if token.is_empty() {
        return Err(ChannelError::Invalid(
            "WeChat answered no access_token".into(),
        ));
    }
    Ok(Token {
        token,
        expires_at: now + value["expires_in"].as_i64().unwrap_or(7200),
    })
}

async fn upload(
    http: &reqwest::Client,
    url: String,
    token: &str,
    bytes: Vec<u8>,
    name: &str,
) -> Result<Value, ChannelError> {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("media", part);
    let answer = http
        .post(url)
        .multipart(form)
        .send()
        .await
        .map_err(|e| unreachable("WeChat", e, &[token]))?;
    let value: Value = answer
        .json()
        .await
        .map_err(|e| unreachable("WeChat", e, &[token]))?;
    match wechat_error(&value, &[token]) {
        Some(e) => Err(e),
        None => Ok(value),
    }
}

/// Checks the limits before anything is sent.
pub fn check(draft: &Draft) -> Result<(), ChannelError> {
    let chars = |s: &str| s.chars().count();
    if chars(&draft.title) > TITLE_CHARS {
        return Err(ChannelError::Invalid(format!(
            "the title has {} characters; WeChat takes {TITLE_CHARS}",
            chars(&draft.title)
        )));
    }
    if chars(&draft.article.html) > CONTENT_CHARS {
        return Err(ChannelError::Invalid(format!(
            "the article has {} characters of HTML; WeChat takes {CONTENT_CHARS}: choose the teaser edition",
            chars(&draft.article.html)
        )));
    }
    Ok(())
}

/// Uploads the images and the cover and makes (or, given `previous`, updates) the draft.
pub async fn save(
    http: &reqwest::Client,
    account: &Account,
    token: &Token,
    draft: &Draft,
    previous: Option<&Remote>,
) -> Result<Remote, ChannelError> {
    check(draft)?;
    let t = token.token.as_str();
    let api = |path: &str| format!("{}?access_token={t}", endpoint(&account.api_url, path));
    let mut html = draft.article.html.clone();
    for (i, (src, bytes)) in draft
        .article
        .images
        .iter()
        .zip(&draft.image_bytes)
        .enumerate()
    {
        let name = format!(
            "image-{}.{}",
            i + 1,
            if bytes.starts_with(b"\x89PNG") {
                "png"
            } else {
                "jpg"
            }
        );
        let uploaded = upload(
            http,
            api("cgi-bin/media/uploadimg"),
            t,
            bytes.clone(),
            &name,
        )
        .await?;
        let url = uploaded["url"].as_str().unwrap_or_default();
        html = html.replace(
            &format!("src=\"{}\"", src.replace('&', "&amp;")),
            &format!("src=\"{url}\""),
        );
    }
    let cover = upload(
        http,
        format!("{}&type=thumb", api("cgi-bin/material/add_material")),
        t,
        draft.cover.clone(),
        "cover.png",
    )
    .await?;
    let thumb = cover["media_id"].as_str().unwrap_or_default().to_owned();
    let digest: String = draft.digest.chars().take(DIGEST_CHARS).collect();
    let article = json!({
        "title": draft.title,
        "author": draft.author,
        "digest": digest,
        "content": html,
        "content_source_url": draft.source_url,
        "thumb_media_id": thumb,
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
    });
    let (url, body) = match previous {
        Some(p) => (
            api("cgi-bin/draft/update"),
            json!({"media_id": p.id, "index": 0, "articles": article}),
        ),
        None => (api("cgi-bin/draft/add"), json!({"articles": [article]})),
    };
    let answer = http
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(|e| unreachable("WeChat", e, &[t]))?;
    let value: Value = answer
        .json()
        .await
        .map_err(|e| unreachable("WeChat", e, &[t]))?;
    if let Some(e) = wechat_error(&value, &[t]) {
        return Err(e);
    }
    let id = match previous {
        Some(p) => p.id.clone(),
        None => value["media_id"].as_str().unwrap_or_default().to_owned(),
    };
    Ok(Remote {
        url: format!("wechat draft {id}"),
        id,
        version: String::new(),
    })
}

/// The draft's first request as a dry run shows it (no token, no image bytes).
pub fn preview(draft: &Draft) -> Value {
    json!({
        "title": draft.title,
        "digest": draft.digest.chars().take(DIGEST_CHARS).collect::<String>(),
        "content": draft.article.html,
        "content_source_url": draft.source_url,
        "images_to_upload": draft.article.images,
        "references": draft.article.references,
    })
}

/// True when WeChat's answer says the token is no good (expired or invalid): ask again.
pub fn token_refused(error: &ChannelError) -> bool {
    matches!(
        error,
        ChannelError::Refused {
            service: "WeChat",
            status: 40001 | 42001 | 40014,
            ..
        }
    )
}
