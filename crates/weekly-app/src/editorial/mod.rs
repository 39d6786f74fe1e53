//! The editor's work before an issue goes out: collecting links from sources and readers,
//! drafting entries with a model, the inbox, pictures for an issue, translating editions, splitting a
//! bilingual draft, checking everything, the digest of other newsletters. Depends on `workspace` only.

pub mod checking;
pub mod collector;
pub mod digest;
pub mod drafter;
pub mod images;
pub mod inbox;
pub mod new_issue;
pub mod splitting;
pub mod submissions;
pub mod translation;
pub mod translator;
