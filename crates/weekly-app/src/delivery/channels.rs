//! The issue on the channels of `[channels.NAME]` (Mastodon, Bluesky, dev.to, WordPress,
//! Ghost), as part of `weekly publish`: each channel's post made from the edition it names,
//! sent through `weekly-channels`, and recorded (`publish_step` `channel:NAME`, with the
//! service's id and URL) so that a re-run updates a draft and never posts an announcement
//! twice. One channel failing stops no other; its error names the channel and the service's
//! own message, secrets taken out. `--dry-run` writes each request body instead.

use crate::archive::Archive;
use crate::editions;
use crate::workspace::Workspace;
use anyhow::{Context, Result, anyhow};
use std::path::Path;
use weekly_channels::{Account, Done, Kind, Post, Remote};
use weekly_model::Lang;
use weekly_store::Store;

/// The step name a channel's record has.
pub fn step(name: &str) -> String {
    format!("channel:{name}")
}

/// The environment variable that holds a channel's secret: `WEEKLY_CHANNEL_<NAME>_SECRET`.
pub fn secret_variable(name: &str) -> String {
    format!(
        "WEEKLY_CHANNEL_{}_SECRET",
        name.to_ascii_uppercase().replace('-', "_")
    )
}

/// What a channel did on a run.
#[derive(Debug)]
pub struct Outcome {
    /// The channel's name.
    pub name: String,
    /// Its kind.
    pub kind: &'static str,
    /// The issue it posted (the disclosed one for `when = "disclosure"`).
    pub issue: u32,
    /// What it did, or why not (secrets taken out).
    pub result: Result<Done, String>,
}

fn remote_json(kind: Kind, remote: &Remote) -> String {
    serde_json::json!({"kind": kind.as_str(), "id": remote.id, "url": remote.url, "version": remote.version})
        .to_string()
}

/// A channel's record read back.
pub fn remote_of(detail: &str) -> Option<Remote> {
    let v: serde_json::Value = serde_json::from_str(detail).ok()?;
    Some(Remote {
        id: v["id"].as_str()?.to_owned(),
        url: v["url"].as_str().unwrap_or_default().to_owned(),
        version: v["version"].as_str().unwrap_or_default().to_owned(),
    })
}

/// The post of issue `number` for a channel: the edition it names in its language.
fn post(
    workspace: &Workspace,
    archive: &Archive,
    name: &str,
    number: u32,
    lang: &Lang,
    edition: &str,
) -> Result<Post> {
    let issue = archive
        .issue(number)
        .ok_or_else(|| anyhow!("there is no issue #{number}"))?;
    let document = editions::source(issue, lang)?;
    let title = editions::title(workspace, lang, issue, document);
    let url = editions::issue_url(workspace, lang, number);
    let markdown = match edition {
        "full" => {
            let full = issue
                .full(lang)
                .ok_or_else(|| anyhow!("issue #{number} has no full text in `{lang}`"))?;
            weekly_render::markdown::render(&full.document)
        }
        _ => editions::teaser(workspace, issue, lang)?,
    };
    let body = editions::body_under_title(&markdown);
    let description = weekly_parse::description::find(document).map(|d| d.text);
    let announcement = match description {
        Some(d) => format!("{title}\n\n{}", weekly_model::inline::plain_text(&d)),
        None => title.clone(),
    };
    Ok(Post {
        title,
        announcement,
        url,
        markdown: body.to_owned(),
        html: weekly_site::markdown::block(body),
        lang: lang.to_string(),
        // The same key for the same issue on the same channel, run after run.
        key: format!("weekly:{}:{number}:{name}", workspace.config.base_url),
        // The issue's card, when the site has it (a link preview's image).
        card: std::fs::read(card_path(workspace, lang, number)).unwrap_or_default(),
    })
}

/// The issue's card on the public site (`site/LANG/N/og.png`, drawn by the site step).
fn card_path(workspace: &Workspace, lang: &Lang, number: u32) -> std::path::PathBuf {
    workspace
        .root
        .join("site")
        .join(lang.as_str())
        .join(number.to_string())
        .join("og.png")
}

/// The issue a channel posts when `issue` is published: the issue itself, or for
/// `when = "disclosure"` the one that becomes free with it (`None`: none does yet).
fn issue_for(workspace: &Workspace, when: &str, issue: u32) -> Option<u32> {
    if when == "disclosure" {
        let free_after = workspace.config.free_after;
        return issue
            .checked_sub(free_after)
            .filter(|n| *n > 0 && free_after > 0);
    }
    Some(issue)
}

/// Serves every configured channel for the publication of `issue`; `dry_run` writes each
/// first request body as `NAME.json` there instead, and records nothing.
pub async fn publish(
    workspace: &Workspace,
    store: &Store,
    issue: u32,
    dry_run: Option<&Path>,
) -> Result<Vec<Outcome>> {
    let config = &workspace.config;
    if config.channels.is_empty() {
        return Ok(Vec::new());
    }
    let archive = Archive::load(workspace)?;
    let http = weekly_channels::client().map_err(|e| anyhow!("{e}"))?;
    let mut out = Vec::new();
    for (name, channel) in &config.channels {
        let Some(kind) = Kind::parse(&channel.kind) else {
            continue;
        };
        let Some(number) = issue_for(workspace, &channel.when, issue) else {
            continue;
        };
        let lang = match channel.language.as_str() {
            "" => config.primary_language.clone(),
            code => Lang::new(code).unwrap_or_else(|| config.primary_language.clone()),
        };
        let account = Account {
            api_url: channel.api_url.trim().to_owned(),
            user: channel.user.trim().to_owned(),
            secret: workspace
                .env
                .get(&secret_variable(name))
                .unwrap_or_default()
                .to_owned(),
        };
        let made = post(workspace, &archive, name, number, &lang, &channel.edition);
        let result = match (made, dry_run) {
            (Err(e), _) => Err(format!("{e:#}")),
            (Ok(post), Some(dir)) => {
                let body =
                    weekly_channels::preview(kind, &account, &post).map_err(|e| e.to_string());
                match body {
                    Ok(body) => {
                        std::fs::create_dir_all(dir)
                            .with_context(|| format!("cannot create `{}`", dir.display()))?;
                        crate::files::write_atomic(
                            &dir.join(format!("{name}.json")),
                            &serde_json::to_string_pretty(&body)?,
                        )?;
                        Ok(Done::Kept(Remote {
                            id: String::new(),
                            url: dir.join(format!("{name}.json")).display().to_string(),
                            version: String::new(),
                        }))
                    }
                    Err(e) => Err(e),
                }
            }
            (Ok(post), None) => {
                let step = step(name);
                let previous = store
                    .publish_step(number, &step)
                    .await?
                    .and_then(|(_, detail)| remote_of(&detail));
                let done = if kind == Kind::Wechat {
                    wechat(
                        workspace,
                        &http,
                        name,
                        &account,
                        &post,
                        number,
                        &lang,
                        previous.as_ref(),
                    )
                    .await
                    .map_err(|e| weekly_channels::ChannelError::Invalid(format!("{e:#}")))
                    .map(|made| match previous {
                        Some(_) => Done::Updated(made),
                        None => Done::Created(made),
                    })
                } else {
                    weekly_channels::publish(&http, kind, &account, &post, previous.as_ref()).await
                };
                match done {
                    Ok(done) => {
                        store
                            .set_publish_step(
                                number,
                                &step,
                                &weekly_store::time::now(),
                                &remote_json(kind, done.remote()),
                            )
                            .await?;
                        Ok(done)
                    }
                    Err(e) => Err(
                        weekly_model::shown::redact(&e.to_string(), &[&account.secret])
                            .into_owned(),
                    ),
                }
            }
        };
        out.push(Outcome {
            name: name.clone(),
            kind: kind.as_str(),
            issue: number,
            result,
        });
    }
    Ok(out)
}

/// The heading of a WeChat article's list of references.
fn references_heading(lang: &Lang) -> &'static str {
    match lang.as_str().split('-').next() {
        Some("zh") => "参考链接",
        Some("ja") => "参考リンク",
        _ => "References",
    }
}

/// Where a WeChat channel's access token is kept between runs (shared by concurrent runs,
/// readable by the owner only).
fn token_file(workspace: &Workspace, name: &str) -> std::path::PathBuf {
    workspace
        .root
        .join(".weekly-cache/channels")
        .join(format!("{name}.token"))
}

fn read_token(path: &Path) -> Option<weekly_channels::wechat::Token> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    Some(weekly_channels::wechat::Token {
        token: v["token"].as_str()?.to_owned(),
        expires_at: v["expires_at"].as_i64()?,
    })
}

fn write_token(path: &Path, token: &weekly_channels::wechat::Token) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text =
        serde_json::json!({"token": token.token, "expires_at": token.expires_at}).to_string();
    crate::files::write_atomic(path, &text)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(())
}

/// A WeChat draft of `post`: its images fetched with the collector's limits through the guard
/// of URLs from outside, the issue's card (`site/LANG/N/og.png`, made by the site step) as the
/// cover, the token from the cache or asked for (and asked again once when WeChat refuses it).
#[allow(clippy::too_many_arguments)]
async fn wechat(
    workspace: &Workspace,
    http: &reqwest::Client,
    name: &str,
    account: &Account,
    post: &Post,
    number: u32,
    lang: &Lang,
    previous: Option<&Remote>,
) -> Result<Remote> {
    use weekly_channels::wechat;
    let article = weekly_channels::wechat_html::article(&post.html, references_heading(lang));
    let cover_path = card_path(workspace, lang, number);
    let cover = std::fs::read(&cover_path).with_context(|| {
        format!(
            "the cover is the issue's card `{}`: build the site first (with `[site] og_images`)",
            workspace.display_path(&cover_path)
        )
    })?;
    let (fetcher, _) = crate::fetching::guarded_fetcher(workspace)?;
    let mut image_bytes = Vec::new();
    for src in &article.images {
        let fetched = fetcher
            .get(src, &weekly_collect::fetch::Validators::default())
            .await
            .with_context(|| format!("cannot fetch the image {src}"))?;
        let weekly_collect::fetch::Fetched::Body(body) = fetched else {
            anyhow::bail!("the image {src} answered no body");
        };
        if body.spilled.is_some() {
            anyhow::bail!("the image {src} is too large for WeChat");
        }
        image_bytes.push(body.bytes);
    }
    let description = post
        .announcement
        .lines()
        .skip(2)
        .collect::<Vec<_>>()
        .join(" ");
    let draft = wechat::Draft {
        title: post.title.clone(),
        digest: if description.trim().is_empty() {
            post.title.clone()
        } else {
            description
        },
        author: String::new(),
        article,
        image_bytes,
        cover,
        source_url: post.url.clone(),
    };
    wechat::check(&draft).map_err(|e| anyhow!("{e}"))?;
    let cache = token_file(workspace, name);
    let now = chrono::Utc::now().timestamp();
    let mut token = wechat::token(http, account, read_token(&cache).as_ref(), now)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    write_token(&cache, &token)?;
    match wechat::save(http, account, &token, &draft, previous).await {
        Ok(made) => Ok(made),
        Err(e) if wechat::token_refused(&e) => {
            token = wechat::token(http, account, None, now)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            write_token(&cache, &token)?;
            wechat::save(http, account, &token, &draft, previous)
                .await
                .map_err(|e| anyhow!("{e}"))
        }
        Err(e) => Err(anyhow!("{e}")),
    }
}

/// What the channels made: (issue, channel, kind, URL, when), of `issue` or of every issue.
pub async fn status(
    store: &Store,
    issue: Option<u32>,
) -> Result<Vec<(u32, String, String, String, String)>> {
    let rows = store.publish_steps("channel:", issue).await?;
    Ok(rows
        .into_iter()
        .map(|(issue, step, at, detail)| {
            let v: serde_json::Value = serde_json::from_str(&detail).unwrap_or_default();
            (
                issue,
                step.trim_start_matches("channel:").to_owned(),
                v["kind"].as_str().unwrap_or("").to_owned(),
                v["url"].as_str().unwrap_or("").to_owned(),
                at,
            )
        })
        .collect())
}
