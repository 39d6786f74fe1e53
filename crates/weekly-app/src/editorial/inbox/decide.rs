//! Rejecting and snoozing candidates: every number is checked before any is changed.

use crate::collector::stamp;
use anyhow::Result;
use chrono::Utc;
use weekly_store::{Status, Store};

/// Marks every one of `ids` with `status` (hidden until `until`), once all of them exist.
async fn decide(store: &Store, ids: &[i64], status: Status, until: Option<&str>) -> Result<()> {
    let now = stamp(Utc::now());
    for id in ids {
        super::candidate(store, *id).await?;
    }
    for id in ids {
        store.decide(*id, status, until, None, &now).await?;
    }
    Ok(())
}

/// Drops the candidates `ids`.
pub async fn reject(store: &Store, ids: &[i64]) -> Result<()> {
    decide(store, ids, Status::Rejected, None).await
}

/// Hides the candidates `ids` for `days`; answers until when (a timestamp).
pub async fn snooze(store: &Store, ids: &[i64], days: u32) -> Result<String> {
    let until = stamp(Utc::now() + chrono::Duration::days(i64::from(days)));
    decide(store, ids, Status::Snoozed, Some(&until)).await?;
    Ok(until)
}
