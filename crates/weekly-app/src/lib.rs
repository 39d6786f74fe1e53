//! The application layer of `weekly`, shared by the commands and (next) the server: the
//! workspace on disk and its `weekly.toml`, the parsed archive, the inputs of every edition,
//! the site's output directory, and the translation and collection runs. It prints nothing:
//! what a person should read comes back as values (or through a callback), and the binary
//! decides how to show it. Long runs draw their own progress bars (indicatif, hidden when
//! standard error is not a terminal).

pub mod announcing;
pub mod archive;
pub mod bounces;
pub mod building;
pub mod buildstamp;
pub mod campaign;
pub mod checking;
pub mod child;
pub mod collected;
pub mod collector;
pub mod config;
pub mod database;
pub mod digest;
pub mod drafter;
pub mod ebook;
pub mod editions;
pub mod email_edition;
pub mod environment;
pub mod featured;
pub mod files;
pub mod import;
pub mod inbox;
pub mod init;
pub mod mail;
pub mod mail_texts;
pub mod og;
pub mod outdir;
pub mod preview;
pub mod publishing;
pub mod readme;
pub mod rendering;
pub mod season;
pub mod sender;
pub mod sending;
pub mod site;
pub mod smtp_pool;
pub mod splitting;
pub mod statistics;
pub mod submissions;
pub mod subscriber_lists;
pub mod subscribers;
pub mod subscription;
pub mod telegram;
pub mod tokens;
pub mod translation;
pub mod translator;
pub mod workspace;
