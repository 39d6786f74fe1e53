//! `weekly inbox draft`: candidates drafted as entries in the house style by the configured
//! model ([`crate::drafter`]), their pages read through the guarded fetcher; a kept draft is
//! not asked for again unless told to.

use crate::archive::Archive;
use crate::collector::stamp;
use crate::drafter::{Drafter, Refused, examples, likely_section, unknown_section};
use crate::environment;
use crate::translation::client_config;
use crate::workspace::Workspace;
use anyhow::{Result, anyhow};
use chrono::Utc;
use weekly_collect::github::Github;
use weekly_collect::guard::{GuardedFetcher, TEST_ALLOW_ENV};
use weekly_llm::OpenAiClient;
use weekly_model::SectionKey;
use weekly_store::Store;

/// What happened to each candidate, as it happens.
#[derive(Debug)]
pub enum DraftEvent {
    /// The tests' allow-list of local addresses is set (`variable`): `list` may be fetched.
    TestExceptions {
        /// The variable.
        variable: &'static str,
        /// Its value.
        list: String,
    },
    /// A draft for this section is kept; none asked for.
    Kept {
        /// The candidate.
        id: i64,
        /// The section.
        section: SectionKey,
        /// The kept draft's title.
        title: String,
    },
    /// A new draft, saved.
    Drafted {
        /// The candidate.
        id: i64,
        /// The section.
        section: SectionKey,
        /// Its title.
        title: String,
        /// Its description.
        description: String,
    },
    /// No draft.
    Refused {
        /// The candidate.
        id: i64,
        /// Why.
        reason: Refused,
    },
}

/// The fetcher for candidates' pages. Their links come from readers and feeds' content: only
/// public addresses are fetched. The exceptions exist for the tests' local stand-ins
/// (ARCHITECTURE.md, trust boundary), read in `fetching` alone, and said here.
fn fetcher(workspace: &Workspace, events: &mut dyn FnMut(DraftEvent)) -> Result<GuardedFetcher> {
    let (fetcher, allowed) = crate::fetching::guarded_fetcher(workspace)?;
    if let Some(list) = allowed {
        events(DraftEvent::TestExceptions {
            variable: TEST_ALLOW_ENV,
            list,
        });
    }
    Ok(fetcher)
}

/// The GitHub API client: `collect.github_api_url` (or `WEEKLY_GITHUB_API_URL`), the token of
/// `WEEKLY_GITHUB_TOKEN`.
fn github(workspace: &Workspace) -> Result<Github> {
    let api = workspace.env.or(
        environment::GITHUB_API_URL,
        &workspace.config.collect.github_api_url,
    );
    let token = workspace
        .env
        .get(environment::GITHUB_TOKEN)
        .map(str::to_owned);
    Ok(Github::new(&api, token)?)
}

/// Drafts the candidates `ids` for `section` (default: the likeliest one for each link), asking
/// again for a kept draft only with `again`. Answers how many got no draft.
pub async fn draft(
    workspace: &Workspace,
    store: &Store,
    ids: &[i64],
    section: Option<&str>,
    again: bool,
    events: &mut dyn FnMut(DraftEvent),
) -> Result<usize> {
    let catalogue = &workspace.config.catalogue;
    let section = match section {
        Some(s) => Some(
            SectionKey::new(s)
                .filter(|k| catalogue.is_counted(k))
                .ok_or_else(|| unknown_section(workspace, s))?,
        ),
        None => None,
    };
    let mut candidates = Vec::new();
    for id in ids {
        candidates.push(super::candidate(store, *id).await?);
    }
    let archive = Archive::load(workspace)?;
    let by_section = examples(workspace, &archive);
    let kept = store.drafts().await?;
    let model = OpenAiClient::new(client_config(workspace))?;
    let fetcher = fetcher(workspace, events)?;
    let github = github(workspace)?;
    let drafter = Drafter {
        workspace,
        model: &model,
        fetcher: &fetcher,
        github: &github,
        examples: &by_section,
    };
    let mut refused = 0;
    for c in &candidates {
        let key = match &section {
            Some(k) => k.clone(),
            None => likely_section(workspace, &by_section, &c.url).ok_or_else(|| {
                anyhow!("no section has entries to learn from: name one with `--section`")
            })?,
        };
        let existing = kept
            .get(&c.id)
            .and_then(|list| list.iter().find(|d| d.section == key.as_str()));
        if let (Some(d), false) = (existing, again) {
            events(DraftEvent::Kept {
                id: c.id,
                section: key,
                title: d.title.clone(),
            });
            continue;
        }
        match drafter.draft(c, &key, &stamp(Utc::now())).await {
            Ok(d) => {
                store.save_draft(&d).await?;
                events(DraftEvent::Drafted {
                    id: c.id,
                    section: key,
                    title: d.title,
                    description: d.description,
                });
            }
            Err(reason) => {
                refused += 1;
                events(DraftEvent::Refused { id: c.id, reason });
            }
        }
    }
    Ok(refused)
}
