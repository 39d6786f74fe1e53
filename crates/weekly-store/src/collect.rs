//! Collection state: per-source validators and failures, candidates (one per normalised URL),
//! the sightings that tie a candidate to every source it came from, and GitHub star counts.
//! Times are RFC 3339 UTC text (`2026-11-24T10:00:00Z`), which sorts as it reads.

use crate::sql::Sql;
use crate::{Engine, Store, StoreError};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

/// What a collection run remembers about one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedState {
    /// The source URL as configured.
    pub source: String,
    /// `ETag` of the last 200 answer.
    pub etag: Option<String>,
    /// `Last-Modified` of the last 200 answer.
    pub last_modified: Option<String>,
    /// Failures in a row.
    pub failures: i64,
    /// No fetch before this time (back-off).
    pub next_attempt: Option<String>,
    /// `200`, `304` or `failed`.
    pub last_status: String,
    /// The last error, empty after a success.
    pub last_error: String,
    /// When it was last fetched.
    pub last_fetched: Option<String>,
}

/// An item read from a feed, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    /// The link as the feed gives it.
    pub url: String,
    /// The link after `weekly_model::url_norm::normalize`.
    pub url_norm: String,
    /// The title.
    pub title: String,
    /// A plain-text summary.
    pub summary: String,
    /// The source's language code.
    pub lang: String,
    /// Publication time, RFC 3339 UTC.
    pub published: Option<String>,
}

/// What storing a source's items did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Links never seen before.
    pub new: usize,
    /// Links already known (from this source or another).
    pub seen: usize,
}

/// Where a candidate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting for the editor.
    New,
    /// Added to a draft.
    Accepted,
    /// Not wanted.
    Rejected,
    /// Hidden until a date.
    Snoozed,
}

impl Status {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Snoozed => "snoozed",
        }
    }

    fn parse(text: &str) -> Status {
        match text {
            "accepted" => Status::Accepted,
            "rejected" => Status::Rejected,
            "snoozed" => Status::Snoozed,
            _ => Status::New,
        }
    }
}

/// One source's view of a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    /// The source URL.
    pub source: String,
    /// The candidate's link.
    pub url: String,
    /// The title this source gave.
    pub title: String,
    /// The date this source gave.
    pub published: Option<String>,
}

/// A link waiting for (or past) the editor's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Its number in the inbox.
    pub id: i64,
    /// The link as first seen.
    pub url: String,
    /// The normalised link.
    pub url_norm: String,
    /// The title as first seen.
    pub title: String,
    /// A plain-text summary.
    pub summary: String,
    /// The first source's language.
    pub lang: String,
    /// Publication time.
    pub published: Option<String>,
    /// When a source first gave it.
    pub first_seen: String,
    /// Where it stands.
    pub status: Status,
    /// Hidden until then (when snoozed).
    pub snoozed_until: Option<String>,
    /// Every source it came from.
    pub sources: Vec<String>,
}

/// An entry the model drafted for a candidate (see `weekly inbox draft`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDraft {
    /// The candidate.
    pub candidate: i64,
    /// The section it was drafted for.
    pub section: String,
    /// Title in the editor's language.
    pub title: String,
    /// The page's own title when it is in another language (else empty).
    pub original_title: String,
    /// The description.
    pub description: String,
    /// Stars from the GitHub API when the link is a repository.
    pub stars: Option<i64>,
    /// The model that wrote it.
    pub model: String,
    /// When.
    pub created_at: String,
}

type DraftRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
    String,
);

type CandidateRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
);

const CANDIDATE_COLUMNS: &str =
    "id, url, url_norm, title, summary, lang, published, first_seen, status, snoozed_until";

fn candidate(row: CandidateRow) -> Candidate {
    let (id, url, url_norm, title, summary, lang, published, first_seen, status, snoozed_until) =
        row;
    Candidate {
        id,
        url,
        url_norm,
        title,
        summary,
        lang,
        published,
        first_seen,
        status: Status::parse(&status),
        snoozed_until,
        sources: Vec::new(),
    }
}

/// Rows per multi-row statement (SQLite allows 32,766 parameters).
const CHUNK: usize = 200;

impl Store {
    /// Every source's state, by source URL.
    pub async fn feed_states(&self) -> Result<HashMap<String, FeedState>, StoreError> {
        type Row = (
            String,
            Option<String>,
            Option<String>,
            i64,
            Option<String>,
            String,
            String,
            Option<String>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT source, etag, last_modified, failures, next_attempt, last_status, last_error, last_fetched FROM feed_state",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    source,
                    etag,
                    last_modified,
                    failures,
                    next_attempt,
                    last_status,
                    last_error,
                    last_fetched,
                )| {
                    (
                        source.clone(),
                        FeedState {
                            source,
                            etag,
                            last_modified,
                            failures,
                            next_attempt,
                            last_status,
                            last_error,
                            last_fetched,
                        },
                    )
                },
            )
            .collect())
    }

    /// Stores the outcome of several sources in one transaction: each one's items (when it
    /// gave some) together with its new state, so validators are never saved without the items
    /// they stand for.
    pub async fn record_batch(
        &self,
        batch: &[(FeedState, Option<Vec<NewItem>>)],
        now: &str,
    ) -> Result<Vec<Recorded>, StoreError> {
        let mut tx = self.write_transaction().await?;
        let mut out = Vec::with_capacity(batch.len());
        for (state, items) in batch {
            let recorded = match items {
                Some(items) => record(&mut tx, self.engine(), &state.source, items, now).await?,
                None => Recorded::default(),
            };
            save_state(&mut tx, state).await?;
            out.push(recorded);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Stores items that did not come from a feed (a reader's submission) as seen from
    /// `source`: a new link becomes a candidate, a known one gets a sighting from `source`.
    pub async fn record_items(
        &self,
        source: &str,
        items: &[NewItem],
        now: &str,
    ) -> Result<Recorded, StoreError> {
        let mut tx = self.write_transaction().await?;
        let recorded = record(&mut tx, self.engine(), source, items, now).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    /// Candidates waiting for a decision at `now`: new ones, and snoozed ones whose time has
    /// come. With `all`, every candidate.
    pub async fn candidates(&self, now: &str, all: bool) -> Result<Vec<Candidate>, StoreError> {
        let sql = if all {
            format!("SELECT {CANDIDATE_COLUMNS} FROM candidate ORDER BY id")
        } else {
            format!(
                "SELECT {CANDIDATE_COLUMNS} FROM candidate WHERE status = 'new'
                 OR (status = 'snoozed' AND snoozed_until <= $1) ORDER BY id"
            )
        };
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        if !all {
            query = query.bind(now);
        }
        let rows: Vec<CandidateRow> = query.fetch_all(&self.pool).await?;
        let mut out: Vec<Candidate> = rows.into_iter().map(candidate).collect();
        let sources: Vec<(i64, String)> =
            sqlx::query_as("SELECT candidate, source FROM sighting ORDER BY seen_at, source")
                .fetch_all(&self.pool)
                .await?;
        let mut by_id: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, source) in sources {
            by_id.entry(id).or_default().push(source);
        }
        for c in &mut out {
            c.sources = by_id.remove(&c.id).unwrap_or_default();
        }
        Ok(out)
    }

    /// One candidate, with its sources.
    pub async fn candidate(&self, id: i64) -> Result<Option<Candidate>, StoreError> {
        let row: Option<CandidateRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {CANDIDATE_COLUMNS} FROM candidate WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut c = candidate(row);
        c.sources =
            sqlx::query_scalar("SELECT source FROM sighting WHERE candidate = $1 ORDER BY seen_at")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        Ok(Some(c))
    }

    /// Records the editor's decision on a candidate.
    pub async fn decide(
        &self,
        id: i64,
        status: Status,
        snoozed_until: Option<&str>,
        placed: Option<(u32, &str)>,
        now: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE candidate SET status = $2, snoozed_until = $3, issue = $4, section = $5, decided_at = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(snoozed_until)
        .bind(placed.map(|(issue, _)| i64::from(issue)))
        .bind(placed.map(|(_, section)| section))
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// What `source` gave with a date in `(from, to]`, newest first.
    pub async fn sightings(
        &self,
        source: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<Sighting>, StoreError> {
        let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT s.source, c.url, s.title, s.published FROM sighting s JOIN candidate c ON c.id = s.candidate
             WHERE s.source = $1 AND s.published > $2 AND s.published <= $3
             ORDER BY s.published DESC, c.id DESC",
        )
        .bind(source)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(source, url, title, published)| Sighting {
                source,
                url,
                title,
                published,
            })
            .collect())
    }

    /// Keeps the draft of `candidate` for `section` (replacing an earlier one).
    pub async fn save_draft(&self, draft: &StoredDraft) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO candidate_draft
               (candidate, section, title, original_title, description, stars, model, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (candidate, section) DO UPDATE SET title = $3, original_title = $4,
               description = $5, stars = $6, model = $7, created_at = $8",
        )
        .bind(draft.candidate)
        .bind(&draft.section)
        .bind(&draft.title)
        .bind(&draft.original_title)
        .bind(&draft.description)
        .bind(draft.stars)
        .bind(&draft.model)
        .bind(&draft.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every draft, by candidate (a candidate drafted for several sections has several).
    pub async fn drafts(&self) -> Result<HashMap<i64, Vec<StoredDraft>>, StoreError> {
        let rows: Vec<DraftRow> = sqlx::query_as(
            "SELECT candidate, section, title, original_title, description, stars, model,
                    created_at
             FROM candidate_draft ORDER BY candidate, section",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<i64, Vec<StoredDraft>> = HashMap::new();
        for (candidate, section, title, original_title, description, stars, model, created_at) in
            rows
        {
            out.entry(candidate).or_default().push(StoredDraft {
                candidate,
                section,
                title,
                original_title,
                description,
                stars,
                model,
                created_at,
            });
        }
        Ok(out)
    }

    /// Records a repository's star count.
    pub async fn record_stars(
        &self,
        repo: &str,
        observed_at: &str,
        stars: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO repo_stars (repo, observed_at, stars) VALUES ($1, $2, $3)
             ON CONFLICT (repo, observed_at) DO UPDATE SET stars = $3",
        )
        .bind(repo)
        .bind(observed_at)
        .bind(stars)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every star observation, by repository (`owner/name`, lower case), oldest first.
    pub async fn stars(&self) -> Result<HashMap<String, Vec<(String, i64)>>, StoreError> {
        let rows: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT repo, observed_at, stars FROM repo_stars ORDER BY observed_at")
                .fetch_all(&self.pool)
                .await?;
        let mut out: HashMap<String, Vec<(String, i64)>> = HashMap::new();
        for (repo, at, stars) in rows {
            out.entry(repo).or_default().push((at, stars));
        }
        Ok(out)
    }
}

/// Stores one source's items on `conn`: new links become candidates, and every link gets a
/// sighting from this source.
async fn record(
    conn: &mut AnyConnection,
    engine: Engine,
    source: &str,
    items: &[NewItem],
    now: &str,
) -> Result<Recorded, StoreError> {
    let mut unique: Vec<&NewItem> = Vec::with_capacity(items.len());
    let mut keys = HashSet::new();
    for item in items {
        if keys.insert(item.url_norm.as_str()) {
            unique.push(item);
        }
    }
    let mut ids: HashMap<String, i64> = HashMap::new();
    for chunk in unique.chunks(CHUNK) {
        let mut q = Sql::new(
            engine,
            "SELECT id, url_norm FROM candidate WHERE url_norm IN ",
        );
        q.open(false);
        for item in chunk {
            q.bind(item.url_norm.as_str());
        }
        q.close();
        let rows: Vec<(i64, String)> = q.query_as().fetch_all(&mut *conn).await?;
        ids.extend(rows.into_iter().map(|(id, key)| (key, id)));
    }
    let fresh: Vec<&&NewItem> = unique
        .iter()
        .filter(|i| !ids.contains_key(&i.url_norm))
        .collect();
    let recorded = Recorded {
        new: fresh.len(),
        seen: unique.len() - fresh.len(),
    };
    for chunk in fresh.chunks(CHUNK) {
        let mut q = Sql::new(
            engine,
            "INSERT INTO candidate (url_norm, url, title, summary, lang, published, first_seen) VALUES ",
        );
        for (i, item) in chunk.iter().enumerate() {
            q.open(i > 0)
                .bind(item.url_norm.as_str())
                .bind(item.url.as_str())
                .bind(item.title.as_str())
                .bind(item.summary.as_str())
                .bind(item.lang.as_str())
                .bind(item.published.as_deref())
                .bind(now)
                .close();
        }
        q.push(" RETURNING id, url_norm");
        let rows: Vec<(i64, String)> = q.query_as().fetch_all(&mut *conn).await?;
        ids.extend(rows.into_iter().map(|(id, key)| (key, id)));
    }
    for chunk in unique.chunks(CHUNK) {
        let mut q = Sql::new(
            engine,
            "INSERT INTO sighting (candidate, source, title, published, seen_at) VALUES ",
        );
        for (i, item) in chunk.iter().enumerate() {
            q.open(i > 0)
                .bind(ids[&item.url_norm])
                .bind(source)
                .bind(item.title.as_str())
                .bind(item.published.as_deref())
                .bind(now)
                .close();
        }
        q.push(" ON CONFLICT (candidate, source) DO NOTHING");
        q.query().execute(&mut *conn).await?;
    }
    Ok(recorded)
}

async fn save_state(conn: &mut AnyConnection, state: &FeedState) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO feed_state (source, etag, last_modified, failures, next_attempt, last_status, last_error, last_fetched)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (source) DO UPDATE SET etag = $2, last_modified = $3, failures = $4,
           next_attempt = $5, last_status = $6, last_error = $7, last_fetched = $8",
    )
    .bind(&state.source)
    .bind(&state.etag)
    .bind(&state.last_modified)
    .bind(state.failures)
    .bind(&state.next_attempt)
    .bind(&state.last_status)
    .bind(&state.last_error)
    .bind(&state.last_fetched)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(url: &str, title: &str, published: &str) -> NewItem {
        NewItem {
            url: url.into(),
            url_norm: url.to_lowercase(),
            title: title.into(),
            summary: String::new(),
            lang: "en".into(),
            published: Some(published.into()),
        }
    }

    async fn record_one(store: &Store, source: &str, items: &[NewItem], now: &str) -> Recorded {
        let state = FeedState {
            source: source.into(),
            ..FeedState::default()
        };
        let batch = [(state, Some(items.to_vec()))];
        store.record_batch(&batch, now).await.unwrap()[0]
    }

    async fn save(store: &Store, state: &FeedState) {
        store
            .record_batch(&[(state.clone(), None)], "t")
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn items_become_candidates_once_with_every_source() {
        for (engine, store) in crate::testdb::stores().await {
            eprintln!("engine: {engine}");
            let store: &Store = &store;
            let a = [
                item("https://a.org/1", "One", "2026-11-20T00:00:00Z"),
                item("https://a.org/2", "Two", "2026-11-21T00:00:00Z"),
                item("https://a.org/2", "Two again", "2026-11-21T00:00:00Z"),
            ];
            let r = record_one(store, "feed-a", &a, "2026-11-24T00:00:00Z").await;
            assert_eq!(r, Recorded { new: 2, seen: 0 });
            let b = [item("https://a.org/2", "Deux", "2026-11-22T00:00:00Z")];
            let r = record_one(store, "feed-b", &b, "2026-11-24T01:00:00Z").await;
            assert_eq!(r, Recorded { new: 0, seen: 1 });
            let r = record_one(store, "feed-a", &a, "2026-11-24T02:00:00Z").await;
            assert_eq!(r, Recorded { new: 0, seen: 2 });

            let all = store
                .candidates("2026-11-24T03:00:00Z", false)
                .await
                .unwrap();
            assert_eq!(all.len(), 2);
            assert_eq!(all[1].title, "Two");
            assert_eq!(all[1].sources, ["feed-a", "feed-b"]);

            store
                .decide(
                    all[0].id,
                    Status::Snoozed,
                    Some("2026-11-30T00:00:00Z"),
                    None,
                    "now",
                )
                .await
                .unwrap();
            store
                .decide(all[1].id, Status::Rejected, None, None, "now")
                .await
                .unwrap();
            assert!(
                store
                    .candidates("2026-11-25T00:00:00Z", false)
                    .await
                    .unwrap()
                    .is_empty()
            );
            let back = store
                .candidates("2026-12-01T00:00:00Z", false)
                .await
                .unwrap();
            assert_eq!(back.len(), 1);
            assert_eq!(back[0].status, Status::Snoozed);

            let week = store
                .sightings("feed-b", "2026-11-17T00:00:00Z", "2026-11-24T00:00:00Z")
                .await
                .unwrap();
            assert_eq!(week.len(), 1);
            assert_eq!(week[0].title, "Deux");
            assert_eq!(week[0].url, "https://a.org/2");
        }
    }

    #[tokio::test]
    async fn feed_state_round_trips() {
        for (engine, store) in crate::testdb::stores().await {
            eprintln!("engine: {engine}");
            let store: &Store = &store;
            let mut state = FeedState {
                source: "https://a.org/feed".into(),
                etag: Some("\"x\"".into()),
                failures: 0,
                last_status: "200".into(),
                ..FeedState::default()
            };
            save(store, &state).await;
            state.failures = 2;
            state.last_error = "timed out".into();
            save(store, &state).await;
            let states = store.feed_states().await.unwrap();
            assert_eq!(states["https://a.org/feed"], state);
        }
    }
}
