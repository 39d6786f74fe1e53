//! The application layer of `weekly`, shared by every front end (the CLI, `weekly-server`),
//! in four groups: `workspace` (the workspace on disk, `weekly.toml`, the environment, the
//! parsed archive, edition inputs, the database it uses), `editorial` (collecting, drafting,
//! the inbox, translating, splitting, checking), `output` (the site, cards, seasons, e-books,
//! README blocks, rendered editions, figures) and `delivery` (subscribers, links, the double
//! opt-in, mail, campaigns, bounces, announcements, the release). A group uses `workspace` and
//! no group above it: `output` may use `delivery`, nothing else crosses (held by
//! `tests/layers.rs`). It prints nothing: what a person should read comes back as values (or
//! through a callback), and the front end decides how to show it. Long runs draw their own
//! progress bars (indicatif, hidden when standard error is not a terminal).

pub mod delivery;
pub mod editorial;
pub mod output;
pub mod workspace;

// Every module under its old name too, so that `weekly_app::archive` and `crate::archive` keep
// working: the folders group them by concern.
pub use delivery::{
    announcing, bounces, campaign, channels, email_edition, mail, mail_texts, publishing,
    scheduling, sender, sending, smtp_pool, subscriber_lists, subscribers, subscription, tokens,
    tracking, transport,
};
pub use editorial::{
    checking, collector, digest, drafter, images, inbox, new_issue, splitting, submissions,
    translation, translator,
};
pub use output::{
    building, buildstamp, doctor, ebook, fonts, og, outdir, preview, readme, rendering, report,
    report_page, season, site, statistics,
};
pub use workspace::{
    archive, child, collected, config, database, editions, environment, featured, fetching, files,
    import, init, telegram,
};
