//! How the program fetches what readers and editors point it at (pages, images): with the
//! collector's limits (`[collect]`) through the guard of URLs from outside, which lets the
//! tests' allow-list (`WEEKLY_TEST_ALLOW_FETCH`) through and nothing else on this machine.

use crate::config::CollectConfig;
use crate::workspace::Workspace;
use anyhow::{Result, anyhow};
use std::time::Duration;
use weekly_collect::fetch::Limits;
use weekly_collect::guard::{Exceptions, GuardedFetcher, TEST_ALLOW_ENV};

/// The limits of one fetch, from `[collect]`.
pub fn limits(config: &CollectConfig) -> Limits {
    Limits {
        timeout: Duration::from_secs(config.timeout_seconds.max(1)),
        connect_timeout: Duration::from_secs(config.timeout_seconds.clamp(1, 10)),
        max_bytes: config.max_bytes,
        max_redirects: config.max_redirects,
    }
}

/// The guarded fetcher of `workspace`, and the tests' allow-list when one is set (the caller
/// says so: it is the one way past the guard).
pub fn guarded_fetcher(workspace: &Workspace) -> Result<(GuardedFetcher, Option<String>)> {
    let (exceptions, allowed) = match workspace.env.get(TEST_ALLOW_ENV) {
        Some(list) => (
            Exceptions::from_allow_list(list).map_err(|e| anyhow!("{TEST_ALLOW_ENV}: {e}"))?,
            Some(list.to_owned()),
        ),
        None => (Exceptions::default(), None),
    };
    let fetcher = GuardedFetcher::with_exceptions(limits(&workspace.config.collect), exceptions)?;
    Ok((fetcher, allowed))
}
