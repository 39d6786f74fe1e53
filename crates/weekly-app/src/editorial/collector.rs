//! A collection run wired to the workspace: sources from `sources.toml`, validators and
//! back-off from the database, a progress bar, every outcome stored as it arrives, then star
//! counts for new GitHub repositories. Used by `weekly collect` and `weekly digest`.

use crate::environment::{self, Environment};
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use weekly_collect::fetch::{Fetcher, Validators};
use weekly_collect::github::{Github, GithubError, repo_of};
use weekly_collect::run::{Concurrency, Job, Outcome, collect, next_attempt};
use weekly_collect::sources::{self, Source};
use weekly_model::url_norm::normalize;
use weekly_store::{FeedState, NewItem, Store};

pub use crate::database::stamp;

/// Reads `sources.toml` of the workspace.
pub fn load_sources(workspace: &Workspace) -> Result<(PathBuf, String, Vec<Source>)> {
    let path = workspace.root.join(sources::FILE_NAME);
    if !path.exists() {
        return Ok((path, String::new(), Vec::new()));
    }
    let text = workspace.read_text(&path)?;
    let shown = workspace.display_path(&path);
    let list = sources::parse(&text, &shown)?;
    Ok((path, text, list))
}

/// Opens the workspace database (see [`crate::database`]).
pub async fn open_store(workspace: &Workspace) -> Result<Store> {
    crate::database::open(workspace).await
}

/// What happened to one source.
#[derive(Debug, Clone)]
pub struct SourceReport {
    /// The source.
    pub source: Source,
    /// `new`, `unchanged`, `failed` or `skipped`.
    pub status: &'static str,
    /// New links.
    pub new: usize,
    /// Links already known.
    pub seen: usize,
    /// Error or note.
    pub note: String,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One entry per source, in file order.
    pub sources: Vec<SourceReport>,
    /// Bytes received.
    pub bytes: usize,
    /// Star counts read.
    pub stars_read: usize,
    /// Why star counts stopped, if they did.
    pub stars_note: Option<String>,
    /// Wall time.
    pub elapsed: Duration,
}

impl Report {
    fn count(&self, status: &str) -> usize {
        self.sources.iter().filter(|s| s.status == status).count()
    }

    /// The closing summary line.
    pub fn summary(&self) -> String {
        let new: usize = self.sources.iter().map(|s| s.new).sum();
        let seen: usize = self.sources.iter().map(|s| s.seen).sum();
        let mut line = format!(
            "{} sources: {} fetched, {} unchanged (304), {} failed, {} skipped (backing off) · {new} new links, {seen} already known · {:.1} MB in {:.2} s",
            self.sources.len(),
            self.count("fetched"),
            self.count("unchanged"),
            self.count("failed"),
            self.count("skipped"),
            self.bytes as f64 / 1e6,
            self.elapsed.as_secs_f64(),
        );
        if self.stars_read > 0 || self.stars_note.is_some() {
            let _ = write!(
                line,
                " · GitHub stars read for {} repositories",
                self.stars_read
            );
        }
        line
    }
}

/// Options of a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Fetch sources that are backing off too.
    pub ignore_backoff: bool,
    /// Skip the GitHub star lookups.
    pub no_github: bool,
}

fn progress(total: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} sources · {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn item(source: &Source, item: weekly_collect::feed::Item) -> NewItem {
    NewItem {
        url_norm: normalize(&item.url),
        url: item.url,
        title: item.title,
        summary: item.summary,
        lang: source.lang.clone(),
        published: item.published.map(stamp),
    }
}

/// Fetches `sources`, stores what they give, and reads star counts of new repositories.
pub async fn run(
    workspace: &Workspace,
    store: &Store,
    sources: &[Source],
    options: RunOptions,
) -> Result<Report> {
    let started = Instant::now();
    let config = &workspace.config.collect;
    let now = Utc::now();
    let mut states = store.feed_states().await?;
    let mut report = Report {
        sources: sources
            .iter()
            .map(|s| SourceReport {
                source: s.clone(),
                status: "skipped",
                new: 0,
                seen: 0,
                note: String::new(),
            })
            .collect(),
        ..Report::default()
    };
    let mut jobs = Vec::new();
    for (index, source) in sources.iter().enumerate() {
        if source.kind == weekly_collect::sources::Kind::Telegram {
            // Not a feed: the bot's messages are read below.
            continue;
        }
        let state = states.get(&source.url);
        let waiting = state
            .and_then(|s| s.next_attempt.as_deref())
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .filter(|t| *t > now);
        if let (Some(until), false) = (waiting, options.ignore_backoff) {
            report.sources[index].note = format!(
                "backing off after {} failures, until {until} (--ignore-backoff to try now)",
                state.map_or(0, |s| s.failures)
            );
            continue;
        }
        jobs.push(Job {
            index,
            source: source.clone(),
            validators: Validators {
                etag: state.and_then(|s| s.etag.clone()),
                last_modified: state.and_then(|s| s.last_modified.clone()),
            },
        });
    }
    let fetcher =
        Arc::new(Fetcher::new(crate::fetching::limits(config)).context("cannot set up HTTP")?);
    let bar = progress(jobs.len());
    let mut stream = Box::pin(collect(
        fetcher,
        jobs,
        Concurrency {
            total: config.concurrency.max(1),
            per_host: config.per_host.max(1),
            max_items: config.max_items.max(1),
        },
    ));
    let stamp_now = stamp(now);
    // Outcomes are stored in batches (one transaction each): a source's items and its new
    // state always go together.
    let mut batch: Vec<(FeedState, Option<Vec<NewItem>>)> = Vec::new();
    let mut batch_sources: Vec<usize> = Vec::new();
    let mut batch_items = 0;
    loop {
        let next = stream.next().await;
        let done = next.is_none();
        if let Some((index, outcome)) = next {
            let source = &sources[index];
            let mut state = states.remove(&source.url).unwrap_or_else(|| FeedState {
                source: source.url.clone(),
                ..FeedState::default()
            });
            state.last_fetched = Some(stamp_now.clone());
            let entry = &mut report.sources[index];
            let mut items = None;
            match outcome {
                Outcome::NotModified => {
                    entry.status = "unchanged";
                    state.failures = 0;
                    state.next_attempt = None;
                    state.last_status = "304".into();
                    state.last_error.clear();
                }
                Outcome::Parsed {
                    feed,
                    validators,
                    bytes,
                } => {
                    report.bytes += bytes;
                    let list: Vec<NewItem> =
                        feed.items.into_iter().map(|i| item(source, i)).collect();
                    batch_items += list.len();
                    items = Some(list);
                    entry.status = "fetched";
                    let mut notes = Vec::new();
                    if feed.without_link > 0 {
                        notes.push(format!(
                            "{} items without a usable link skipped",
                            feed.without_link
                        ));
                    }
                    if feed.cut > 0 {
                        notes.push(format!(
                            "{} items after the first {} not read (`max_items`)",
                            feed.cut, config.max_items
                        ));
                    }
                    entry.note = notes.join("; ");
                    state.etag = validators.etag;
                    state.last_modified = validators.last_modified;
                    state.failures = 0;
                    state.next_attempt = None;
                    state.last_status = "200".into();
                    state.last_error.clear();
                }
                Outcome::Failed(reason) => {
                    entry.status = "failed";
                    state.failures += 1;
                    state.next_attempt = next_attempt(state.failures, now).map(stamp);
                    state.last_status = "failed".into();
                    entry.note = if state.failures > 1 {
                        format!("{reason} ({} failures in a row)", state.failures)
                    } else {
                        reason.clone()
                    };
                    state.last_error = reason;
                }
            }
            batch.push((state, items));
            batch_sources.push(index);
            bar.set_message(source.name.clone());
            bar.inc(1);
        }
        if !batch.is_empty() && (done || batch_items >= 2000 || batch.len() >= 50) {
            let recorded = store.record_batch(&batch, &stamp_now).await?;
            for (index, r) in batch_sources.drain(..).zip(recorded) {
                report.sources[index].new = r.new;
                report.sources[index].seen = r.seen;
            }
            batch.clear();
            batch_items = 0;
        }
        if done {
            break;
        }
    }
    bar.finish_and_clear();
    for (index, source) in sources.iter().enumerate() {
        if source.kind != weekly_collect::sources::Kind::Telegram {
            continue;
        }
        let state = states.remove(&source.url);
        let entry = &mut report.sources[index];
        match crate::submissions::read_bot(workspace, store, source, state, &stamp_now).await {
            Ok((new, seen, messages)) => {
                entry.status = "fetched";
                entry.new = new;
                entry.seen = seen;
                entry.note = format!("{messages} messages to the bot");
            }
            Err(e) => {
                entry.status = "failed";
                entry.note = format!("{e:#}");
            }
        }
    }
    if !options.no_github {
        stars(workspace, store, &mut report, now).await?;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Reads the star counts of candidate repositories not observed in the last 20 hours.
async fn stars(
    workspace: &Workspace,
    store: &Store,
    report: &mut Report,
    now: DateTime<Utc>,
) -> Result<()> {
    let config = &workspace.config.collect;
    if config.github_lookups == 0 {
        return Ok(());
    }
    let known = store.stars().await?;
    let recent = stamp(now - chrono::Duration::hours(20));
    let mut repos: Vec<String> = Vec::new();
    for candidate in store.candidates(&stamp(now), false).await? {
        let Some(repo) = repo_of(&candidate.url) else {
            continue;
        };
        let fresh = known
            .get(&repo)
            .and_then(|list| list.last())
            .is_some_and(|(at, _)| *at >= recent);
        if !fresh && !repos.contains(&repo) {
            repos.push(repo);
        }
    }
    repos.truncate(config.github_lookups);
    if repos.is_empty() {
        return Ok(());
    }
    let env = Environment::process();
    let api = env.or(environment::GITHUB_API_URL, &config.github_api_url);
    let token = env.get(environment::GITHUB_TOKEN).map(str::to_owned);
    let github = Github::new(&api, token)?;
    let observed = stamp(now);
    let mut answers = futures::stream::iter(repos.into_iter().map(|repo| {
        let github = github.clone();
        async move {
            let stars = github.stars(&repo).await;
            (repo, stars)
        }
    }))
    .buffer_unordered(4);
    while let Some((repo, stars)) = answers.next().await {
        match stars {
            Ok(n) => {
                store.record_stars(&repo, &observed, n).await?;
                report.stars_read += 1;
            }
            Err(GithubError::RateLimited) => {
                report.stars_note = Some(GithubError::RateLimited.to_string());
                break;
            }
            Err(e) => {
                report
                    .stars_note
                    .get_or_insert_with(|| format!("{repo}: {e}"));
            }
        }
    }
    Ok(())
}

/// Stars per day between the oldest and newest observation of `list` (at least an hour
/// apart).
pub fn growth(list: &[(String, i64)]) -> Option<f64> {
    let (first, last) = (list.first()?, list.last()?);
    let t0 = DateTime::parse_from_rfc3339(&first.0).ok()?;
    let t1 = DateTime::parse_from_rfc3339(&last.0).ok()?;
    let days = (t1 - t0).num_seconds() as f64 / 86_400.0;
    (days >= 1.0 / 24.0).then(|| (last.1 - first.1) as f64 / days)
}

/// The sources of `list` whose name or URL is in `only` (all when `only` is empty).
pub fn select(list: Vec<Source>, only: &[String]) -> Result<Vec<Source>> {
    if only.is_empty() {
        return Ok(list);
    }
    let chosen: Vec<Source> = list
        .into_iter()
        .filter(|s| only.iter().any(|o| *o == s.name || *o == s.url))
        .collect();
    if chosen.is_empty() {
        bail!("no source in sources.toml has the name or URL given with --only");
    }
    Ok(chosen)
}

/// By source URL.
pub fn weights(list: &[Source]) -> HashMap<String, f64> {
    list.iter().map(|s| (s.url.clone(), s.weight)).collect()
}
