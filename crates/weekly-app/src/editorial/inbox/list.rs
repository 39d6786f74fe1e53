//! The ranked list of candidates: each one scored from its age, its sources' weights, the
//! keyword rules and its repository's stars; links featured in a past issue hidden.

use crate::archive::Archive;
use crate::collector::{growth, load_sources, stamp, weights};
use crate::featured::{self, host_key};
use crate::workspace::Workspace;
use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;
use weekly_collect::github::repo_of;
use weekly_collect::score::{Rules, Signals, Taken, interest, score};
use weekly_store::{Candidate, Store, StoredDraft};

/// A candidate as the list shows it (and `--json` prints it).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Its number.
    pub id: i64,
    /// The score, to two decimals.
    pub score: f64,
    /// The parts of the score.
    pub parts: Vec<(&'static str, f64)>,
    /// The title as first seen.
    pub title: String,
    /// The link.
    pub url: String,
    /// The sources' names (`a reader (…)` for a submission).
    pub sources: Vec<String>,
    /// Publication time.
    pub published: Option<String>,
    /// The repository's last star count.
    pub stars: Option<i64>,
    /// The model's drafts of this candidate (`weekly inbox draft`), by section.
    pub drafts: Vec<DraftRow>,
}

/// A draft as `--json` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DraftRow {
    /// The section key.
    pub section: String,
    /// Title in the editor's language.
    pub title: String,
    /// The page's own title when in another language (else empty).
    pub original_title: String,
    /// The description.
    pub description: String,
    /// Stars when the link is a repository.
    pub stars: Option<i64>,
    /// The model that wrote it.
    pub model: String,
}

impl From<StoredDraft> for DraftRow {
    fn from(d: StoredDraft) -> DraftRow {
        DraftRow {
            section: d.section,
            title: d.title,
            original_title: d.original_title,
            description: d.description,
            stars: d.stars,
            model: d.model,
        }
    }
}

/// The list.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The best candidates, best first, at most the limit.
    pub rows: Vec<Row>,
    /// Candidates shown or not.
    pub total: usize,
    /// Candidates hidden because their link was featured before.
    pub hidden: usize,
}

/// Hours from `time` (RFC 3339) to `now`.
pub fn hours_since(time: Option<&str>, now: DateTime<Utc>) -> Option<f64> {
    let t = DateTime::parse_from_rfc3339(time?).ok()?;
    Some((now - t.with_timezone(&Utc)).num_seconds() as f64 / 3600.0)
}

/// Two decimals.
fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// What the list needs besides the candidate.
struct Context {
    now: DateTime<Utc>,
    rules: Rules,
    weights: HashMap<String, f64>,
    names: HashMap<String, String>,
    stars: HashMap<String, Vec<(String, i64)>>,
    /// How readers took to each source's and host's links (`[tracking] clicks`), and to all.
    taken: HashMap<String, Taken>,
    all: Taken,
}

/// Readers' figures per source and host, from every tracked campaign's links.
async fn readers(store: &Store) -> Result<(HashMap<String, Taken>, Taken)> {
    let mut taken: HashMap<String, Taken> = HashMap::new();
    let mut all = Taken::default();
    for figure in store.link_figures().await? {
        // Links outside entries (the page, the sponsor's) say nothing of a source.
        if figure.link.section.is_empty() {
            continue;
        }
        let clicks = figure.human as f64;
        all.featured += 1.0;
        all.clicks += clicks;
        let mut keys = vec![figure.link.source.clone()];
        if let Some(host) = host_key(&figure.link.url)
            && !keys.contains(&host)
        {
            keys.push(host);
        }
        for key in keys {
            let t = taken.entry(key).or_default();
            t.featured += 1.0;
            t.clicks += clicks;
        }
    }
    Ok((taken, all))
}

impl Context {
    fn row(&self, c: Candidate, drafts: Vec<StoredDraft>) -> Row {
        let w: Vec<f64> = c
            .sources
            .iter()
            .map(|s| self.weights.get(s).copied().unwrap_or(1.0))
            .collect();
        let history = repo_of(&c.url).and_then(|r| self.stars.get(&r));
        let text = format!("{} {}", c.title, c.summary);
        let age_hours = hours_since(c.published.as_deref(), self.now)
            .or_else(|| hours_since(Some(&c.first_seen), self.now))
            .unwrap_or(0.0);
        let stars = history.and_then(|h| h.last()).map(|(_, n)| *n);
        // The candidate's own sources first; its host when none of them has figures.
        let of = |key: &String| self.taken.get(key).and_then(|t| interest(*t, self.all));
        let readers = c
            .sources
            .iter()
            .filter_map(of)
            .reduce(f64::max)
            .or_else(|| host_key(&c.url).as_ref().and_then(of));
        let s = score(
            &self.rules,
            &Signals {
                age_hours,
                weights: &w,
                text: &text,
                stars,
                stars_per_day: history.and_then(|h| growth(h)),
                submitted: c
                    .sources
                    .iter()
                    .any(|s| s.starts_with("reader:") || s.starts_with("telegram:")),
                interest: readers,
            },
        );
        let sources = c
            .sources
            .iter()
            .map(|s| {
                self.names.get(s).cloned().unwrap_or_else(|| {
                    s.strip_prefix("reader:")
                        .map_or_else(|| s.clone(), |via| format!("a reader ({via})"))
                })
            })
            .collect();
        Row {
            id: c.id,
            score: round(s.total()),
            parts: s.parts().into_iter().map(|(k, v)| (k, round(v))).collect(),
            title: c.title,
            url: c.url,
            sources,
            published: c.published,
            stars,
            drafts: drafts.into_iter().map(DraftRow::from).collect(),
        }
    }
}

/// The candidates not hidden at `now`, best first, at most `limit` of them.
pub async fn list(
    workspace: &Workspace,
    store: &Store,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Listing> {
    let archive = Archive::load(workspace)?;
    let index = featured::index(workspace, &archive);
    let (_, _, sources) = load_sources(workspace)?;
    let inbox = &workspace.config.inbox;
    let context = Context {
        now,
        rules: Rules {
            half_life_hours: inbox.half_life_hours,
            keywords: inbox
                .keywords
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
        },
        weights: weights(&sources),
        names: sources
            .iter()
            .map(|s| (s.url.clone(), s.name.clone()))
            .collect(),
        stars: store.stars().await?,
        taken: HashMap::new(),
        all: Taken::default(),
    };
    let context = if inbox.readers_interest {
        let (taken, all) = readers(store).await?;
        Context {
            taken,
            all,
            ..context
        }
    } else {
        context
    };
    let mut drafts = store.drafts().await?;
    let mut hidden = 0;
    let mut rows: Vec<Row> = Vec::new();
    for c in store.candidates(&stamp(now), false).await? {
        if index.contains_key(&c.url_norm) {
            hidden += 1;
            continue;
        }
        let kept = drafts.remove(&c.id).unwrap_or_default();
        rows.push(context.row(c, kept));
    }
    rows.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    let total = rows.len();
    rows.truncate(limit);
    Ok(Listing {
        rows,
        total,
        hidden,
    })
}
