//! The editor's inbox: the candidates the collector found, ranked ([`list()`]), and the
//! decisions on them: accepted into an issue's draft ([`accept()`]), drafted by the model
//! ([`draft()`]), rejected or snoozed ([`reject`], [`snooze`]). Nothing is printed: results come
//! back as values, the drafting step's news through a callback.

mod accept;
mod decide;
mod draft;
mod entry;
mod list;

pub use accept::{Acceptance, Accepted, Unaccepted, accept, unaccept};
pub use decide::{reject, snooze};
pub use draft::{DraftEvent, draft};
pub use list::{DraftRow, Listing, Row, hours_since, list};

use anyhow::{Result, anyhow};
use weekly_store::{Candidate, Store};

/// The candidate numbered `id`, or an error that names it.
async fn candidate(store: &Store, id: i64) -> Result<Candidate> {
    store
        .candidate(id)
        .await?
        .ok_or_else(|| anyhow!("there is no candidate #{id} (see `weekly inbox`)"))
}
