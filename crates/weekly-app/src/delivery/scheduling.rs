//! Sends and releases at a chosen time (`weekly send N --at "2026-12-12 08:00"`, `weekly
//! publish N --at …`): the time read in local time or RFC 3339, the job checked and stored now,
//! and carried out by any running `weekly server` once it is due ([`run_due`], called every
//! second), once, across restarts.

use crate::sender::{Progress, SendReport};
use crate::sending::{SendProgress, SendRequest};
use crate::workspace::Workspace;
use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};
use std::path::Path;
use weekly_store::{Campaign, CampaignCounts, Scheduled, Store};

/// How long a server holds a due send before another may take it over (renewed while it
/// sends).
pub const LEASE_SECONDS: i64 = 60;

/// The time `text` names: `YYYY-MM-DD HH:MM[:SS]` (or with a `T`) in `zone`, or RFC 3339
/// with its offset.
pub fn parse_when<Tz: TimeZone>(text: &str, zone: &Tz) -> Result<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return zone
                .from_local_datetime(&naive)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| {
                    anyhow!("`{text}` does not exist in the local time zone (a clock change)")
                });
        }
    }
    bail!(
        "`{text}` is not a time like `2026-12-12 08:00` (local time) or `2026-12-12T08:00:00+08:00`"
    )
}

/// The time `text` names in this machine's time zone (see [`parse_when`]).
pub fn parse_local(text: &str) -> Result<DateTime<Utc>> {
    parse_when(text, &Local)
}

/// What a schedule carries out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The issue's campaigns (`weekly send N`).
    Send,
    /// Every step of `weekly publish N`.
    Publish,
}

impl Job {
    /// The word stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Job::Send => "send",
            Job::Publish => "publish",
        }
    }
}

/// Schedules `job` of issue `number` (a send in `lang`, else every language) at `when`: the
/// issue's campaigns are made now to find any problem early (nothing is stored but the
/// schedule); the schedule's id.
pub async fn schedule(
    workspace: &Workspace,
    store: &Store,
    job: Job,
    number: u32,
    lang: Option<&str>,
    when: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i64> {
    if when <= now {
        bail!(
            "{} is not in the future (now is {}); run `weekly {} {number}` now instead",
            weekly_store::time::of(when),
            weekly_store::time::of(now),
            job.as_str()
        );
    }
    let archive = crate::archive::Archive::load(workspace)?;
    let only = crate::sending::language(workspace, lang)?;
    let langs = crate::campaign::campaign_languages(workspace, &archive, number, only.as_ref())?;
    crate::campaign::render_campaigns(workspace, &archive, number, &langs)?;
    let lang = only.map(|l| l.to_string()).unwrap_or_default();
    Ok(store
        .schedule_send(
            number,
            &lang,
            job.as_str(),
            &weekly_store::time::of(when),
            &weekly_store::time::of(now),
        )
        .await?)
}

/// A send run for a schedule tells nobody: the server logs the outcome.
struct Quiet;

impl Progress for Quiet {
    fn campaign(&self, _: &Campaign, _: u64, _: u64) {}
    fn done(&self, _: u64) {}
    fn note(&self, _: &str) {}
}

impl SendProgress for Quiet {
    fn prepared(&self, _: &Campaign, _: i64, _: bool) {}
    fn finished(&self, _: &Campaign, _: &SendReport, _: &CampaignCounts) {}
    fn nothing_to_send(&self) {}
}

/// Carries out the earliest scheduled job that is due, when there is one nobody holds: the
/// workspace at `root` is read again (the issue may be newer than the server), the issue's
/// campaigns created and sent (or `weekly publish` run) while `worker`'s claim is renewed, and
/// the schedule ended as done or failed. The schedule and a line saying what happened.
pub async fn run_due(
    root: &Path,
    store: &Store,
    worker: &str,
) -> Result<Option<(Scheduled, String)>> {
    let now = Utc::now();
    let lease = |from: DateTime<Utc>| {
        weekly_store::time::of(from + chrono::Duration::seconds(LEASE_SECONDS))
    };
    let Some(due) = store
        .claim_due_send(worker, &weekly_store::time::of(now), &lease(now))
        .await?
    else {
        return Ok(None);
    };
    let renewing = {
        let store = store.clone();
        let (id, worker) = (due.id, worker.to_owned());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(
                    u64::try_from(LEASE_SECONDS / 3).unwrap_or(20),
                ))
                .await;
                let _ = store.renew_send(id, &worker, &lease(Utc::now())).await;
            }
        })
    };
    let outcome = if due.what == Job::Publish.as_str() {
        publish(root, due.issue).await
    } else {
        async {
            let workspace = Workspace::load(root)?;
            let request = SendRequest {
                issue: Some(due.issue),
                lang: (!due.lang.is_empty()).then(|| due.lang.clone()),
            };
            let report = crate::sending::send(&workspace, store, &request, &Quiet).await?;
            Ok(format!(
                "{} sent, {} refused for good, {} to try again",
                report.sent, report.failed, report.deferred
            ))
        }
        .await
    };
    renewing.abort();
    let (state, note) = match &outcome {
        Ok(note) => ("done", note.clone()),
        Err(e) => ("failed", format!("{e:#}")),
    };
    store
        .finish_send(due.id, worker, state, &note, &weekly_store::time::now())
        .await?;
    let line = format!(
        "scheduled {} #{} of issue {} ({}): {state}, {note}",
        due.what, due.id, due.issue, due.due_at
    );
    Ok(Some((due, line)))
}

/// `weekly publish ISSUE` of the workspace at `root`, run by this same program as a child
/// (the server's environment, its mail server and secrets, is the one publishing needs): its
/// last line, or its error.
async fn publish(root: &Path, issue: u32) -> Result<String> {
    let program = std::env::current_exe().map_err(|e| anyhow!("cannot find this program: {e}"))?;
    let out = tokio::process::Command::new(program)
        .arg("--workspace")
        .arg(root)
        .args(["publish", &issue.to_string()])
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| anyhow!("cannot run `weekly publish {issue}`: {e}"))?;
    let last = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_owned()
    };
    if out.status.success() {
        Ok(last(&out.stdout))
    } else {
        bail!("`weekly publish {issue}` failed: {}", last(&out.stderr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_in_the_zone_or_with_their_offset() {
        let zone = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        let at = |t: &str| weekly_store::time::of(parse_when(t, &zone).unwrap());
        assert_eq!(at("2026-12-12 08:00"), "2026-12-12T00:00:00Z");
        assert_eq!(at("2026-12-12 08:00:30"), "2026-12-12T00:00:30Z");
        assert_eq!(at("2026-12-12T08:00:00+01:00"), "2026-12-12T07:00:00Z");
        assert!(parse_when("next saturday", &zone).is_err());
        assert!(parse_when("2026-13-01 08:00", &zone).is_err());
    }
}
