//! GitHub repositories: which links are repositories, and their star counts from the REST API
//! (`GET /repos/{owner}/{repo}`), with an optional token. The base URL is configurable so tests
//! never leave the machine.

use std::time::Duration;

/// Paths on github.com that are not `owner/repo`.
const NOT_OWNERS: &[&str] = &[
    "about",
    "collections",
    "enterprise",
    "explore",
    "features",
    "issues",
    "marketplace",
    "notifications",
    "orgs",
    "pricing",
    "pulls",
    "search",
    "settings",
    "sponsors",
    "topics",
    "trending",
    "login",
    "signup",
    "site",
    "security",
    "apps",
    "readme",
    "events",
];

/// `owner/repo` (lower case) when `url` is a github.com repository or a page inside one. Only
/// names GitHub allows (an owner of letters, digits and `-`; a repository of those, `.` and
/// `_`, not `.` or `..`) are taken: the two go into the API's path, and a reader's link must
/// not steer it (`%2e%2e`, `..`).
pub fn repo_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let path = rest.strip_prefix("github.com/")?;
    let mut parts = path.split(['/', '?', '#']).filter(|p| !p.is_empty());
    let owner = parts.next()?;
    let repo = parts.next()?.trim_end_matches(".git");
    let owner_ok = (1..=39).contains(&owner.len())
        && owner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let repo_ok = (1..=100).contains(&repo.len())
        && repo != "."
        && repo != ".."
        && repo
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if NOT_OWNERS.contains(&owner.to_ascii_lowercase().as_str()) || !owner_ok || !repo_ok {
        return None;
    }
    Some(format!("{owner}/{repo}").to_ascii_lowercase())
}

/// Why a star count could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GithubError {
    /// The rate limit is used up (403/429): stop asking in this run.
    #[error("GitHub rate limit reached (set WEEKLY_GITHUB_TOKEN for 5,000 requests an hour)")]
    RateLimited,
    /// Another status.
    #[error("GitHub answered HTTP {0}")]
    Status(u16),
    /// Transport or JSON trouble.
    #[error("{0}")]
    Other(String),
}

/// What the API tells of a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoInfo {
    /// Stars.
    pub stars: i64,
    /// Its one-line description (may be empty).
    pub description: String,
}

/// A REST client for star counts, descriptions and READMEs.
#[derive(Debug, Clone)]
pub struct Github {
    client: reqwest::Client,
    api: String,
    token: Option<String>,
}

impl Github {
    /// A client for `api` (`https://api.github.com` in real use).
    pub fn new(api: &str, token: Option<String>) -> Result<Github, GithubError> {
        let client = weekly_http::builder(weekly_http::Timeouts::total(Duration::from_secs(15)))
            .build()
            .map_err(|e| GithubError::Other(e.without_url().to_string()))?;
        Ok(Github {
            client,
            api: api.trim_end_matches('/').to_owned(),
            token: token.filter(|t| !t.is_empty()),
        })
    }

    /// A GET of `path` (after the API root) accepting `accept`, with the token if any.
    fn get(&self, path: &str, accept: &str) -> reqwest::RequestBuilder {
        let request = self
            .client
            .get(format!("{}/{path}", self.api))
            .header(reqwest::header::ACCEPT, accept)
            .header("X-GitHub-Api-Version", "2022-11-28");
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// The star count of `repo` (`owner/name`).
    pub async fn stars(&self, repo: &str) -> Result<i64, GithubError> {
        self.repo(repo).await.map(|r| r.stars)
    }

    /// The README of `repo` as text (at most `max_bytes`; `None` when it has none).
    pub async fn readme(
        &self,
        repo: &str,
        max_bytes: usize,
    ) -> Result<Option<String>, GithubError> {
        let response = self
            .get(
                &format!("repos/{repo}/readme"),
                "application/vnd.github.raw+json",
            )
            .send()
            .await
            .map_err(|e| GithubError::Other(e.without_url().to_string()))?;
        match response.status().as_u16() {
            200 => {}
            404 => return Ok(None),
            429 => return Err(GithubError::RateLimited),
            status => return Err(GithubError::Status(status)),
        }
        let mut response = response;
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| GithubError::Other(e.without_url().to_string()))?
        {
            body.extend_from_slice(&chunk);
            if body.len() >= max_bytes {
                body.truncate(max_bytes);
                break;
            }
        }
        Ok(Some(String::from_utf8_lossy(&body).into_owned()))
    }

    /// Stars and description of `repo` (`owner/name`).
    pub async fn repo(&self, repo: &str) -> Result<RepoInfo, GithubError> {
        let response = self
            .get(&format!("repos/{repo}"), "application/vnd.github+json")
            .send()
            .await
            .map_err(|e| GithubError::Other(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let exhausted = response
            .headers()
            .get("x-ratelimit-remaining")
            .is_some_and(|v| v.as_bytes() == b"0");
        if status == 429 || (status == 403 && exhausted) {
            return Err(GithubError::RateLimited);
        }
        if status != 200 {
            return Err(GithubError::Status(status));
        }
        let body: serde_json::Value = response
            .json()
            .await
            .map_err(|e| GithubError::Other(e.without_url().to_string()))?;
        let stars = body
            .get("stargazers_count")
            .and_then(serde_json::Value::as_i64)
            .ok_or_else(|| GithubError::Other("no stargazers_count in the answer".into()))?;
        let description = body
            .get("description")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .chars()
            .take(1000)
            .collect();
        Ok(RepoInfo { stars, description })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_are_recognised() {
        assert_eq!(
            repo_of("https://github.com/Astral-sh/uv"),
            Some("astral-sh/uv".into())
        );
        assert_eq!(
            repo_of("https://www.github.com/a/b/tree/main/docs?x=1"),
            Some("a/b".into())
        );
        assert_eq!(repo_of("https://github.com/a/b.git"), Some("a/b".into()));
        assert_eq!(repo_of("https://github.com/topics/python"), None);
        assert_eq!(repo_of("https://github.com/astral-sh"), None);
        assert_eq!(repo_of("https://gitlab.com/a/b"), None);
        // A reader's link does not steer the API's path.
        assert_eq!(repo_of("https://github.com/a/%2e%2e"), None);
        assert_eq!(repo_of("https://github.com/a/.."), None);
        assert_eq!(repo_of("https://github.com/a%2fb/c"), None);
        assert_eq!(
            repo_of("https://github.com/a-b/c_d.e"),
            Some("a-b/c_d.e".into())
        );
    }
}
