//! One module per subcommand: its arguments and its `run` function.

pub mod announce;
pub mod build;
pub mod check;
pub mod collect;
pub mod dedup;
pub mod digest;
pub mod import;
pub mod inbox;
pub mod info;
pub mod init;
pub mod mail;
pub mod readme;
pub mod render;
pub mod serve;
pub mod server;
pub mod sources;
pub mod split;
pub mod stats;
pub mod subscribers;
pub mod translate;
