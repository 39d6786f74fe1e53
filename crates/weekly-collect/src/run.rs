//! One collection run: every source fetched concurrently, bounded overall and per host, each
//! body parsed on a blocking thread as soon as it arrives, and results handed out one by one as
//! they finish. A failing source gives a failed outcome and never stops the others.

use crate::feed::{self, Feed};
use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use crate::sources::Source;
use chrono::{DateTime, Duration, Utc};
use futures::{Stream, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// A source to fetch, with what the last run left.
#[derive(Debug, Clone)]
pub struct Job {
    /// Position in the caller's list.
    pub index: usize,
    /// The source.
    pub source: Source,
    /// Validators for a conditional GET.
    pub validators: Validators,
}

/// What came of one source.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// 304: unchanged.
    NotModified,
    /// A feed arrived and parsed.
    Parsed {
        /// The feed.
        feed: Feed,
        /// Validators for next time.
        validators: Validators,
        /// Body size.
        bytes: usize,
    },
    /// It failed; the reason.
    Failed(String),
}

/// Sources fetched at once, overall and per host, and how much of each feed is read.
#[derive(Debug, Clone, Copy)]
pub struct Concurrency {
    /// Requests in flight overall.
    pub total: usize,
    /// Requests in flight to one host.
    pub per_host: usize,
    /// Items read of one feed (the first ones).
    pub max_items: usize,
}

/// Orders jobs round-robin by host, so one big host does not hold the whole queue.
fn interleave(jobs: Vec<Job>) -> Vec<Job> {
    let mut hosts: Vec<(String, Vec<Job>)> = Vec::new();
    for job in jobs {
        let host = job.source.host();
        match hosts.iter_mut().find(|(h, _)| *h == host) {
            Some((_, list)) => list.push(job),
            None => hosts.push((host, vec![job])),
        }
    }
    for (_, list) in &mut hosts {
        list.reverse();
    }
    let mut out = Vec::new();
    loop {
        let mut any = false;
        for (_, list) in &mut hosts {
            if let Some(job) = list.pop() {
                out.push(job);
                any = true;
            }
        }
        if !any {
            return out;
        }
    }
}

/// Fetches and parses every job; yields `(index, outcome)` in the order they finish.
pub fn collect(
    fetcher: Arc<Fetcher>,
    jobs: Vec<Job>,
    concurrency: Concurrency,
) -> impl Stream<Item = (usize, Outcome)> {
    let per_host = concurrency.per_host.max(1);
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    // Parsing is CPU work: one feed per core at a time (a body waiting for its turn is small
    // or in a temporary file), so memory does not grow with the number of feeds in flight.
    let parsing = Arc::new(Semaphore::new(
        std::thread::available_parallelism().map_or(2, usize::from),
    ));
    let max_items = concurrency.max_items;
    for job in &jobs {
        hosts
            .entry(job.source.host())
            .or_insert_with(|| Arc::new(Semaphore::new(per_host)));
    }
    futures::stream::iter(interleave(jobs))
        .map(move |job| {
            let fetcher = Arc::clone(&fetcher);
            let gate = Arc::clone(&hosts[&job.source.host()]);
            let parsing = Arc::clone(&parsing);
            let index = job.index;
            // A task of its own, so fetches go on while the caller stores earlier results.
            let task = tokio::spawn(async move {
                let fetched = {
                    let _permit = gate.acquire_owned().await;
                    fetcher.get(&job.source.url, &job.validators).await
                };
                outcome(fetched, &job.source.url, &parsing, max_items).await
            });
            async move {
                let result = task
                    .await
                    .unwrap_or_else(|e| Outcome::Failed(format!("the fetch stopped: {e}")));
                (index, result)
            }
        })
        .buffer_unordered(concurrency.total.max(1))
}

async fn outcome(
    fetched: Result<Fetched, FetchError>,
    url: &str,
    parsing: &Semaphore,
    max_items: usize,
) -> Outcome {
    match fetched {
        Err(e) => Outcome::Failed(e.to_string()),
        Ok(Fetched::NotModified) => Outcome::NotModified,
        Ok(Fetched::Body(body)) => {
            let url = url.to_owned();
            let bytes = body.len;
            let validators = body.validators.clone();
            let _turn = parsing.acquire().await;
            let parsed = tokio::task::spawn_blocking(move || {
                let base = if body.final_url.is_empty() {
                    url
                } else {
                    body.final_url.clone()
                };
                let (contents, left) = body
                    .first_items(max_items)
                    .map_err(|e| feed::FeedError(format!("cannot read the body back: {e}")))?;
                let mut feed =
                    feed::parse(&contents, body.content_type.as_deref(), &base, max_items)?;
                feed.cut += left;
                Ok::<_, feed::FeedError>(feed)
            })
            .await;
            match parsed {
                Ok(Ok(feed)) => Outcome::Parsed {
                    feed,
                    validators,
                    bytes,
                },
                Ok(Err(e)) => Outcome::Failed(e.to_string()),
                Err(e) => Outcome::Failed(format!("the parser stopped: {e}")),
            }
        }
    }
}

/// When a source that failed `failures` times in a row may be tried again: the next run after
/// one failure, then after 1, 2, 4… hours, at most a week.
pub fn next_attempt(failures: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if failures < 2 {
        return None;
    }
    let hours = 1_i64 << (failures - 2).min(8);
    Some(now + Duration::hours(hours.min(24 * 7)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::Kind;

    fn job(index: usize, url: &str) -> Job {
        Job {
            index,
            source: Source {
                url: url.into(),
                name: String::new(),
                weight: 1.0,
                tags: vec![],
                lang: String::new(),
                kind: Kind::Feed,
            },
            validators: Validators::default(),
        }
    }

    #[test]
    fn hosts_take_turns() {
        let jobs = vec![
            job(0, "https://a.org/1"),
            job(1, "https://a.org/2"),
            job(2, "https://a.org/3"),
            job(3, "https://b.org/1"),
            job(4, "https://c.org/1"),
        ];
        let order: Vec<usize> = interleave(jobs).iter().map(|j| j.index).collect();
        assert_eq!(order, [0, 3, 4, 1, 2]);
    }

    #[test]
    fn back_off_grows_and_is_capped() {
        let now = Utc::now();
        assert_eq!(next_attempt(0, now), None);
        assert_eq!(next_attempt(1, now), None);
        assert_eq!(next_attempt(2, now), Some(now + Duration::hours(1)));
        assert_eq!(next_attempt(4, now), Some(now + Duration::hours(4)));
        assert_eq!(next_attempt(40, now), Some(now + Duration::hours(168)));
    }
}
