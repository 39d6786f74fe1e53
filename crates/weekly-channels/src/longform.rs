//! Long-form drafts with the page as their canonical URL, made once and updated after:
//! dev.to/Forem (`POST /api/articles`, `PUT /api/articles/{id}`, the `api-key` header),
//! WordPress (`POST /wp-json/wp/v2/posts[/{id}]`, an application password over basic auth) and
//! Ghost (`POST /ghost/api/admin/posts/?source=html`, `PUT …/posts/{id}/` with the
//! `updated_at` it answered, a JWT signed with the admin key: HS256, `kid` the key's id, `aud`
//! `/admin/`, five minutes at most).
//! Docs: <https://developers.forem.com/api/v1#tag/articles>,
//! <https://developer.wordpress.org/rest-api/reference/posts/>,
//! <https://ghost.org/docs/admin-api/#token-authentication>.

use crate::{Account, ChannelError, Kind, Post, Remote, endpoint, send_json};
use base64::Engine as _;
use hmac::{KeyInit, Mac};
use serde_json::{Value, json};

type HmacSha256 = hmac::Hmac<sha2_hmac::Sha256>;

/// The request body of a draft (with the version an update must name).
pub(crate) fn body(kind: Kind, post: &Post, previous: Option<&Remote>) -> Value {
    match kind {
        Kind::Devto => json!({"article": {
            "title": post.title,
            "body_markdown": post.markdown,
            "published": false,
            "canonical_url": post.url,
        }}),
        Kind::Wordpress => json!({
            "title": post.title,
            "content": post.html,
            "status": "draft",
        }),
        _ => {
            let mut one = json!({
                "title": post.title,
                "html": post.html,
                "status": "draft",
                "canonical_url": post.url,
            });
            if let Some(p) = previous {
                one["updated_at"] = json!(p.version);
            }
            json!({"posts": [one]})
        }
    }
}

/// A Ghost Admin API token from `ID:SECRET` (the secret in hex) at `now` (Unix seconds).
pub fn ghost_token(key: &str, now: i64) -> Result<String, ChannelError> {
    let (id, secret) = key
        .trim()
        .split_once(':')
        .ok_or_else(|| ChannelError::Invalid("a Ghost admin key is `ID:SECRET`".into()))?;
    let secret = hex::decode(secret)
        .map_err(|_| ChannelError::Invalid("the Ghost admin key's secret is not hex".into()))?;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let header = b64(json!({"alg": "HS256", "typ": "JWT", "kid": id})
        .to_string()
        .as_bytes());
    let claims = b64(json!({"iat": now, "exp": now + 300, "aud": "/admin/"})
        .to_string()
        .as_bytes());
    let signing = format!("{header}.{claims}");
    let mut mac = HmacSha256::new_from_slice(&secret)
        .map_err(|_| ChannelError::Invalid("the Ghost admin key's secret is empty".into()))?;
    mac.update(signing.as_bytes());
    Ok(format!("{signing}.{}", b64(&mac.finalize().into_bytes())))
}

/// Makes the draft, or updates `previous`; what it is now.
pub(crate) async fn save(
    http: &reqwest::Client,
    kind: Kind,
    account: &Account,
    post: &Post,
    previous: Option<&Remote>,
) -> Result<Remote, ChannelError> {
    let secret = account.secret.trim();
    let body = body(kind, post, previous);
    let (service, request) = match kind {
        Kind::Devto => {
            let url = match previous {
                Some(p) => endpoint(&account.api_url, &format!("api/articles/{}", p.id)),
                None => endpoint(&account.api_url, "api/articles"),
            };
            let request = if previous.is_some() {
                http.put(url)
            } else {
                http.post(url)
            };
            ("dev.to", request.header("api-key", secret))
        }
        Kind::Wordpress => {
            let path = match previous {
                Some(p) => format!("wp-json/wp/v2/posts/{}", p.id),
                None => "wp-json/wp/v2/posts".to_owned(),
            };
            let request = http
                .post(endpoint(&account.api_url, &path))
                .basic_auth(account.user.trim(), Some(secret));
            ("WordPress", request)
        }
        _ => {
            let token = ghost_token(secret, chrono::Utc::now().timestamp())?;
            let request = match previous {
                Some(p) => http.put(endpoint(
                    &account.api_url,
                    &format!("ghost/api/admin/posts/{}/?source=html", p.id),
                )),
                None => http.post(endpoint(
                    &account.api_url,
                    "ghost/api/admin/posts/?source=html",
                )),
            };
            (
                "Ghost",
                request
                    .header("Authorization", format!("Ghost {token}"))
                    .header("Accept-Version", "v5.0"),
            )
        }
    };
    let made = send_json(service, request.json(&body), &[secret]).await?;
    let one = if kind == Kind::Ghost {
        &made["posts"][0]
    } else {
        &made
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let url = match kind {
        Kind::Wordpress => text(&one["link"]),
        _ => text(&one["url"]),
    };
    Ok(Remote {
        id: text(&one["id"]),
        url,
        version: text(&one["updated_at"]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ghost_token_is_a_jwt_signed_with_the_decoded_secret() {
        let token = ghost_token("6489a1b2c3:0a0b0c0d", 1_000).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let decode = |p: &str| {
            String::from_utf8(
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(p)
                    .unwrap(),
            )
            .unwrap()
        };
        assert!(decode(parts[0]).contains("\"kid\":\"6489a1b2c3\""));
        let claims: Value = serde_json::from_str(&decode(parts[1])).unwrap();
        assert_eq!(
            (claims["aud"].as_str(), claims["exp"].as_i64()),
            (Some("/admin/"), Some(1_300))
        );
        let mut mac = HmacSha256::new_from_slice(&[10, 11, 12, 13]).unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[2])
            .unwrap();
        assert!(mac.verify_slice(&signature).is_ok());
        assert!(ghost_token("no-colon", 0).is_err());
        assert!(ghost_token("id:zz", 0).is_err());
    }
}
