//! Sending campaigns: recipients claimed from the store in batches under a lease, each made
//! into its message and handed to a `Transport` (SMTP through `smtp_pool`, or `.eml`
//! files for a dry run) at most `concurrency` at once and `rate` a second, the results written
//! back in groups. At most `window` recipients are claimed and not yet recorded: after a crash
//! those are sent again (and counted), nothing else is — and none is skipped.

use crate::campaign::Personaliser;
use crate::transport::{Refusal, Retry, Transport};
use anyhow::{Result, bail};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use weekly_store::{Campaign, Claimed, Store};

/// How a campaign is sent.
#[derive(Debug, Clone)]
pub struct SendOptions {
    /// Messages on the wire at once.
    pub concurrency: usize,
    /// Messages a second at most (0: no limit).
    pub rate: f64,
    /// Seconds a claim holds; renewed while the process lives.
    pub lease_seconds: i64,
    /// The waits after temporary refusals.
    pub retry: Retry,
    /// Permanent refusals that make a subscriber bounced.
    pub bounce_after: i64,
    /// Recipients claimed and not yet recorded, at most (the resend window after a crash).
    pub window: usize,
}

impl SendOptions {
    /// The options of `[smtp]`.
    pub fn of(config: &crate::config::SmtpConfig) -> SendOptions {
        SendOptions {
            concurrency: config.concurrency.max(1),
            rate: config.rate,
            lease_seconds: config.lease_seconds.max(2),
            retry: Retry::of(config),
            bounce_after: config.bounce_after.max(1),
            window: (config.concurrency.max(1) * 8).clamp(64, 400),
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    /// Messages the server took.
    pub sent: u64,
    /// Temporary refusals (each tried again later).
    pub deferred: u64,
    /// Permanent refusals.
    pub failed: u64,
    /// Subscribers marked bounced now.
    pub bounced: u64,
}

/// Told how a run goes: once per message done, and with a line to show.
pub trait Progress: Send + Sync {
    /// A campaign starts: `done` of `total` recipients are done.
    fn campaign(&self, campaign: &Campaign, done: u64, total: u64);
    /// One more recipient done (sent, failed or skipped).
    fn done(&self, n: u64);
    /// Something worth a line.
    fn note(&self, line: &str);
}

/// This process as a worker: host, process id and a random part, so another process on the
/// same host can tell it is gone.
pub fn worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .trim()
        .replace(':', "_");
    let host = if host.is_empty() { "host".into() } else { host };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{host}:{}:{nanos:08x}", std::process::id())
}

/// Of `workers`, those that ran on this host in a process that is gone (a killed run): their
/// recipients can be taken back at once instead of after their lease.
pub fn stopped_here(workers: &[String], me: &str) -> Vec<String> {
    let mut parts = me.split(':');
    let (Some(host), Some(my_pid)) = (parts.next(), parts.next()) else {
        return Vec::new();
    };
    if !std::path::Path::new("/proc/self").exists() {
        return Vec::new();
    }
    workers
        .iter()
        .filter(|w| w.as_str() != me)
        .filter(|w| {
            let mut p = w.split(':');
            if p.next() != Some(host) {
                return false;
            }
            let Some(pid) = p.next().filter(|p| p.bytes().all(|b| b.is_ascii_digit())) else {
                return false;
            };
            if pid == my_pid {
                return true;
            }
            match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
                // The state follows the command name in parentheses: Z and X are gone.
                Ok(stat) => stat
                    .rsplit_once(')')
                    .and_then(|(_, rest)| rest.trim_start().chars().next())
                    .is_some_and(|state| matches!(state, 'Z' | 'X')),
                Err(_) => true,
            }
        })
        .cloned()
        .collect()
}

/// The name of a campaign's message to `recipient`: `ISSUE.LANG.TIER/SUBSCRIBER` (the file of a
/// dry run).
pub fn message_name(campaign: &Campaign, recipient: &Claimed) -> String {
    format!(
        "{}.{}.{}/{:09}",
        campaign.issue, campaign.lang, campaign.tier, recipient.subscriber_id
    )
}

/// Unix seconds now.
fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// One message's outcome, with its recipient.
struct Outcome {
    recipient: Claimed,
    result: Result<(), Refusal>,
}

/// What the connection tasks share: the next free slot of the rate limit, and a pause for
/// everyone after a temporary refusal.
#[derive(Debug)]
struct Pace {
    interval: Option<Duration>,
    next_slot: Instant,
    pause_until: Instant,
}

impl Pace {
    /// When the next message may go, taking that slot.
    fn slot(&mut self) -> Instant {
        let now = Instant::now();
        let slot = now.max(self.next_slot).max(self.pause_until);
        if let Some(interval) = self.interval {
            self.next_slot = slot + interval;
        }
        slot
    }
}

/// One connection's task: takes recipients from `jobs`, makes each message, waits for its
/// slot and hands it to the transport; the outcome goes to `done`.
async fn connection_task<T: Transport>(
    campaign: Arc<Campaign>,
    personaliser: Arc<Personaliser>,
    transport: Arc<T>,
    jobs: Arc<tokio::sync::Mutex<tokio::sync::mpsc::Receiver<Claimed>>>,
    pace: Arc<std::sync::Mutex<Pace>>,
    done: tokio::sync::mpsc::UnboundedSender<Outcome>,
) {
    loop {
        let Some(recipient) = jobs.lock().await.recv().await else {
            return;
        };
        let message = personaliser.message(&campaign, &recipient);
        let name = message_name(&campaign, &recipient);
        let slot = pace
            .lock()
            .map_or_else(|_| Instant::now(), |mut p| p.slot());
        // A sleep that is already due still waits for the timer's next tick (a millisecond):
        // only a slot in the future is waited for.
        if slot > Instant::now() {
            tokio::time::sleep_until(slot).await;
        }
        let result = match message {
            Ok(message) => transport.deliver(&recipient.email, &name, message).await,
            Err(e) => Err(Refusal::Permanent(format!("{e:#}"))),
        };
        if done.send(Outcome { recipient, result }).is_err() {
            return;
        }
    }
}

/// Sends `campaign` to its recipients that are due, as worker `worker`, through `transport`.
pub async fn send_campaign<T: Transport>(
    store: &Store,
    campaign: &Campaign,
    personaliser: &Personaliser,
    transport: Arc<T>,
    options: &SendOptions,
    worker: &str,
    progress: &dyn Progress,
) -> Result<SendReport> {
    let mut report = SendReport::default();
    let counts = store.campaign_counts(campaign.id).await?;
    let finished = counts.sent + counts.failed + counts.skipped;
    progress.campaign(
        campaign,
        u64::try_from(finished).unwrap_or(0),
        u64::try_from(counts.total).unwrap_or(0),
    );
    let window = options.window.max(2);
    let batch = window.div_ceil(2);
    let pace = Arc::new(std::sync::Mutex::new(Pace {
        interval: (options.rate > 0.0).then(|| Duration::from_secs_f64(1.0 / options.rate)),
        next_slot: Instant::now(),
        pause_until: Instant::now(),
    }));
    let (job_tx, job_rx) = tokio::sync::mpsc::channel::<Claimed>(window);
    let job_rx = Arc::new(tokio::sync::Mutex::new(job_rx));
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
    let shared = (Arc::new(campaign.clone()), Arc::new(personaliser.clone()));
    let tasks: Vec<_> = (0..options.concurrency.max(1))
        .map(|_| {
            tokio::spawn(connection_task(
                Arc::clone(&shared.0),
                Arc::clone(&shared.1),
                Arc::clone(&transport),
                Arc::clone(&job_rx),
                Arc::clone(&pace),
                done_tx.clone(),
            ))
        })
        .collect();
    drop(done_tx);
    let result = send_loop(
        store,
        campaign,
        options,
        worker,
        progress,
        &job_tx,
        &mut done_rx,
        &pace,
        window,
        batch,
        &mut report,
    )
    .await;
    drop(job_tx);
    for task in tasks {
        task.await.ok();
    }
    result.map(|()| report)
}

/// The loop of [`send_campaign`]: claims, hands out, records.
#[allow(clippy::too_many_arguments)]
async fn send_loop(
    store: &Store,
    campaign: &Campaign,
    options: &SendOptions,
    worker: &str,
    progress: &dyn Progress,
    jobs: &tokio::sync::mpsc::Sender<Claimed>,
    done: &mut tokio::sync::mpsc::UnboundedReceiver<Outcome>,
    pace: &std::sync::Mutex<Pace>,
    window: usize,
    batch: usize,
    report: &mut SendReport,
) -> Result<()> {
    let mut sent: Vec<i64> = Vec::new();
    // Claimed and not yet recorded (handed out, on the wire, or sent and not marked).
    let mut outstanding = 0_usize;
    let mut last_flush = Instant::now();
    let mut last_renew = Instant::now();
    let mut last_take_back: Option<Instant> = None;
    let lease = Duration::from_secs(u64::try_from(options.lease_seconds).unwrap_or(60));
    loop {
        // Recipients of workers that stopped come back first (at once for a process of this
        // host that is gone, after their lease for the others).
        if last_take_back.is_none_or(|t| t.elapsed() >= lease / 4) {
            let workers = store.sending_workers().await?;
            let stopped = stopped_here(&workers, worker);
            let back = store.take_back(now_secs(), &stopped).await?;
            if back > 0 {
                progress.note(&format!(
                    "{back} recipient(s) of a run that stopped are sent again (they may get the issue twice)"
                ));
            }
            last_take_back = Some(Instant::now());
        }
        if window - outstanding >= batch.div_ceil(2) {
            let want = (window - outstanding).min(batch);
            let now = now_secs();
            let claimed = store
                .claim_recipients(
                    campaign.id,
                    worker,
                    now,
                    now + options.lease_seconds,
                    i64::try_from(want).unwrap_or(1),
                )
                .await?;
            outstanding += claimed.len();
            for recipient in claimed {
                // The channel holds `window`: it never waits here.
                jobs.send(recipient)
                    .await
                    .map_err(|_| anyhow::anyhow!("the sending tasks stopped"))?;
            }
        }
        if outstanding == 0 {
            if store.finish_campaign(campaign.id, &stamp()).await? {
                return Ok(());
            }
            let (next, others_sending) = store.campaign_next(campaign.id).await?;
            let now = now_secs();
            if next.is_some_and(|n| n <= now) {
                continue;
            }
            // Retries due later, or another worker's recipients: wait for them.
            let wait = match next {
                Some(at) => u64::try_from(at - now).unwrap_or(1).clamp(1, 60),
                None => 1,
            };
            if others_sending {
                last_take_back = None;
            }
            tokio::time::sleep(Duration::from_secs(wait).min(lease / 2)).await;
            continue;
        }
        let tick = tokio::time::sleep(Duration::from_millis(50));
        tokio::select! {
            outcome = done.recv() => {
                let Some(outcome) = outcome else {
                    bail!("the sending tasks stopped");
                };
                record(store, outcome, options, report, &mut sent, &mut outstanding, pace, progress).await?;
                while let Ok(outcome) = done.try_recv() {
                    record(store, outcome, options, report, &mut sent, &mut outstanding, pace, progress).await?;
                }
            }
            () = tick => {}
        }
        // Records go in groups: a quarter of the window, or what 50 ms gathered. The window
        // bounds how many are claimed and unrecorded, so waiting longer would stall sending.
        if sent.len() >= (window / 4).max(1) || last_flush.elapsed() >= Duration::from_millis(50) {
            flush(store, &mut sent, &mut outstanding, progress).await?;
            last_flush = Instant::now();
        }
        if last_renew.elapsed() >= lease / 3 {
            store
                .renew_lease(worker, now_secs() + options.lease_seconds)
                .await?;
            last_renew = Instant::now();
        }
    }
}

fn stamp() -> String {
    crate::database::stamp(chrono::Utc::now())
}

/// Records the messages the server took, in one transaction.
async fn flush(
    store: &Store,
    sent: &mut Vec<i64>,
    outstanding: &mut usize,
    progress: &dyn Progress,
) -> Result<()> {
    if sent.is_empty() {
        return Ok(());
    }
    store.mark_sent(sent, &stamp()).await?;
    *outstanding = outstanding.saturating_sub(sent.len());
    progress.done(sent.len() as u64);
    sent.clear();
    Ok(())
}

/// Takes one message's outcome into the books.
#[allow(clippy::too_many_arguments)]
async fn record(
    store: &Store,
    outcome: Outcome,
    options: &SendOptions,
    report: &mut SendReport,
    sent: &mut Vec<i64>,
    outstanding: &mut usize,
    pace: &std::sync::Mutex<Pace>,
    progress: &dyn Progress,
) -> Result<()> {
    let Outcome { recipient, result } = outcome;
    match result {
        Ok(()) => {
            report.sent += 1;
            sent.push(recipient.id);
        }
        Err(Refusal::Temporary(error)) => {
            report.deferred += 1;
            let wait = options.retry.wait(recipient.attempts);
            store
                .mark_retry(recipient.id, now_secs() + wait, &error)
                .await?;
            *outstanding = outstanding.saturating_sub(1);
            // The server may be overloaded or down: everyone waits a little.
            if let Ok(mut pace) = pace.lock() {
                pace.pause_until = pace
                    .pause_until
                    .max(Instant::now() + Duration::from_secs(1));
            }
            progress.note(&format!(
                "{}: refused for now, tried again in {wait} s: {error}",
                recipient.email
            ));
        }
        Err(Refusal::Permanent(error)) => {
            report.failed += 1;
            let bounced = store
                .mark_failed(
                    recipient.id,
                    recipient.subscriber_id,
                    &error,
                    options.bounce_after,
                    &stamp(),
                )
                .await?;
            *outstanding = outstanding.saturating_sub(1);
            progress.done(1);
            if bounced {
                report.bounced += 1;
            }
            progress.note(&format!(
                "{}: refused{}: {error}",
                recipient.email,
                if bounced { ", now marked bounced" } else { "" }
            ));
        }
    }
    Ok(())
}
