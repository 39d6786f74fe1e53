//! Accepting a candidate: its entry (or the model's draft of it, marked for the editor) added
//! to an issue's `draft.md` as the next entry of a section, the draft's description line
//! brought up to date, and the candidate marked accepted.

use super::entry::{block_safe, lang_tag, paragraph, title_link};
use crate::archive::Archive;
use crate::collector::stamp;
use crate::drafter::{DRAFT_MARK, entry_markdown, stars_text, unknown_section};
use crate::featured;
use crate::files;
use crate::workspace::Workspace;
use anyhow::{Result, anyhow, bail};
use chrono::Utc;
use std::fmt::Write as _;
use std::path::PathBuf;
use weekly_collect::github::repo_of;
use weekly_model::{Catalogue, Counts, Lang, SectionKey};
use weekly_parse::{ParseOptions, parse_document};
use weekly_render::insert::insert_entry;
use weekly_store::{Status, Store};

/// What to accept, and where.
#[derive(Debug, Clone, Copy)]
pub struct Acceptance<'a> {
    /// The candidate's number.
    pub id: i64,
    /// The section key (`articles`, `projects`…).
    pub section: &'a str,
    /// The issue whose draft receives it (default: the first issue not published yet that
    /// has a `draft.md`).
    pub issue: Option<u32>,
    /// Accept a link that was featured before.
    pub force: bool,
}

/// Where an accepted candidate went.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// The draft file, as the workspace shows it.
    pub file: String,
    /// The section's name in the primary language.
    pub section: String,
    /// The entry's number in the section.
    pub entry: u32,
    /// The candidate's title.
    pub title: String,
    /// The entry is the model's draft, marked until the editor has read it.
    pub drafted: bool,
}

/// The issue number and `draft.md` of `issue`, else of the next issue not published yet
/// (`published`: those a campaign or a publish step was recorded for) that has a draft. A
/// published issue named with `issue` is taken: the editor asked for it.
fn draft_path(
    workspace: &Workspace,
    issue: Option<u32>,
    published: &[u32],
) -> Result<(u32, PathBuf)> {
    let dir = match issue {
        Some(n) => workspace
            .issues
            .iter()
            .find(|d| d.number == n)
            .ok_or_else(|| anyhow!("there is no issue #{n} in the workspace"))?,
        None => workspace
            .issues
            .iter()
            .filter(|d| !published.contains(&d.number))
            .find(|d| d.dir.join("draft.md").exists())
            .ok_or_else(|| {
                let last = published.last().map_or(String::new(), |n| {
                    format!(" (issue #{n} went out already; its draft is closed)")
                });
                anyhow!(
                    "no issue waiting to go out has a draft.md{last}: `weekly new` starts the next one, or name an issue with `--issue N`"
                )
            })?,
    };
    Ok((dir.number, dir.dir.join("draft.md")))
}

/// `text` (an issue or draft with an entry just added) with the counts of its description line
/// brought up to date: `5 个开源项目` becomes `6 个开源项目`; the rest of the line is kept.
fn with_fresh_description(text: &str, file: &str, lang: &Lang, catalogue: &Catalogue) -> String {
    let parsed = parse_document(
        text,
        &ParseOptions {
            file,
            lang,
            catalogue,
        },
    );
    let Some(description) = weekly_parse::description::find(&parsed.document) else {
        return text.to_owned();
    };
    let counts = Counts::of(&parsed.document, catalogue);
    let fresh = weekly_parse::description::rewrite_counts(&description.text, |key| {
        // Book giveaways are prose, not entries: their claim stays.
        (key != "books").then(|| counts.get(key))
    });
    if fresh == description.text {
        return text.to_owned();
    }
    text.replacen(&description.text, &fresh, 1)
}

/// The last star count read for `url`'s repository.
async fn stars(store: &Store, url: &str) -> Result<Option<i64>> {
    let Some(repo) = repo_of(url) else {
        return Ok(None);
    };
    Ok(store
        .stars()
        .await?
        .get(&repo)
        .and_then(|h| h.last())
        .map(|(_, n)| *n))
}

/// Adds the candidate to the draft and marks it accepted.
pub async fn accept(
    workspace: &Workspace,
    store: &Store,
    request: &Acceptance<'_>,
) -> Result<Accepted> {
    let id = request.id;
    let candidate = super::candidate(store, id).await?;
    if candidate.status == Status::Accepted {
        bail!("candidate #{id} was accepted already");
    }
    let catalogue = &workspace.config.catalogue;
    let key = SectionKey::new(request.section)
        .filter(|k| catalogue.is_counted(k))
        .ok_or_else(|| unknown_section(workspace, request.section))?;
    let archive = Archive::load(workspace)?;
    if let Some(places) = featured::index(workspace, &archive).get(&candidate.url_norm)
        && !request.force
    {
        let list: Vec<String> = places.iter().map(ToString::to_string).collect();
        bail!(
            "{} was featured in {} (--force to add it anyway)",
            candidate.url,
            list.join("; ")
        );
    }
    let published = store.published_issues().await?;
    let (number, path) = draft_path(workspace, request.issue, &published)?;
    let text = if path.exists() {
        workspace.read_text(&path)?
    } else {
        String::new()
    };
    let lang = &workspace.config.primary_language;
    let shown = workspace.display_path(&path);
    let parsed = parse_document(
        &text,
        &ParseOptions {
            file: &shown,
            lang,
            catalogue,
        },
    );
    let drafted = store
        .drafts()
        .await?
        .remove(&id)
        .and_then(|list| list.into_iter().find(|d| d.section == key.as_str()));
    let (title, blocks) = if let Some(d) = &drafted {
        // The model's draft, marked until the editor has read it and deletes the mark.
        let (title, body) = entry_markdown(d, &candidate.url);
        (title, vec![DRAFT_MARK.to_owned(), block_safe(body.trim())])
    } else {
        let mut title = title_link(&candidate.title, &candidate.url);
        if let Some(tag) = lang_tag(lang, &candidate.lang) {
            title.push_str(tag);
        }
        let mut body = paragraph(&candidate.summary);
        if let Some(n) = stars(store, &candidate.url).await? {
            let _ = write!(body, "（star {}）", stars_text(n));
        }
        (title, vec![body])
    };
    let (new_text, entry) = insert_entry(
        &text,
        &parsed.document,
        catalogue,
        lang,
        &key,
        &title,
        &blocks,
    );
    let new_text = with_fresh_description(&new_text, &shown, lang, catalogue);
    files::write_atomic(&path, &new_text)?;
    store
        .decide(
            id,
            Status::Accepted,
            None,
            Some((number, key.as_str())),
            &stamp(Utc::now()),
        )
        .await?;
    let section = catalogue.get(&key).map_or(key.as_str(), |d| d.name(lang));
    Ok(Accepted {
        file: shown,
        section: section.to_owned(),
        entry,
        title: candidate.title,
        drafted: drafted.is_some(),
    })
}

/// Where a candidate taken back was.
#[derive(Debug, Clone)]
pub struct Unaccepted {
    /// The draft its entry was taken out of; `None` when no draft has it any more (removed
    /// by hand).
    pub file: Option<String>,
    /// The candidate's title.
    pub title: String,
}

/// Takes candidate `id` back: its entry out of the draft it went into (the later entries of
/// its section renumbered), the candidate back into the inbox. The draft of an issue that
/// went out is not touched.
pub async fn unaccept(workspace: &Workspace, store: &Store, id: i64) -> Result<Unaccepted> {
    let candidate = super::candidate(store, id).await?;
    if candidate.status != Status::Accepted {
        bail!(
            "candidate #{id} is not accepted (it is {}); nothing was changed",
            candidate.status.as_str()
        );
    }
    let published = store.published_issues().await?;
    let lang = &workspace.config.primary_language;
    let catalogue = &workspace.config.catalogue;
    let mut file = None;
    for dir in workspace.issues.iter().rev() {
        let path = dir.dir.join("draft.md");
        if !path.is_file() {
            continue;
        }
        let text = workspace.read_text(&path)?;
        let shown = workspace.display_path(&path);
        let parsed = parse_document(
            &text,
            &ParseOptions {
                file: &shown,
                lang,
                catalogue,
            },
        );
        let same = |url: &str| {
            url == candidate.url || weekly_model::url_norm::normalize(url) == candidate.url_norm
        };
        let Some(new_text) = weekly_render::insert::remove_entry(&text, &parsed.document, same)
        else {
            continue;
        };
        if published.contains(&dir.number) {
            bail!(
                "the entry of candidate #{id} is in the draft of issue #{}, which went out already; nothing was changed",
                dir.number
            );
        }
        let new_text = with_fresh_description(&new_text, &shown, lang, catalogue);
        files::write_atomic(&path, &new_text)?;
        file = Some(shown);
        break;
    }
    store
        .decide(id, Status::New, None, None, &stamp(Utc::now()))
        .await?;
    Ok(Unaccepted {
        file,
        title: candidate.title,
    })
}
