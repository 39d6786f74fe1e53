//! The integration tests of `weekly`, in one test binary (one link of the program's crates
//! instead of one per file): each module runs the built `weekly` binary, or the libraries, on
//! workspaces of its own. `common` holds what they share.

mod common;

mod assistant;
mod bounces;
pub(crate) mod campaigns;
mod channels;
mod cli;
mod collect;
mod database;
mod dkim;
mod editions;
mod email;
mod first_hour;
mod images;
mod incremental;
mod mail;
mod newsletter_formats;
mod newsletter_import;
mod newsletters;
mod nothing_lost;
mod paste;
mod safety;
mod search;
mod seasons;
mod serve;
mod server;
mod server_ops;
mod signals;
mod site;
mod snapshots;
mod subscribers;
mod tidy;
mod translate;
mod trust;
