//! What the workspace is turned into for readers: the site (built into its output folder, or in
//! memory for `weekly serve`), its cards, season pages and files, e-books, README blocks and
//! rendered editions, the figures of the archive. Depends on `workspace`, and on `delivery` for the e-mail edition
//! of one subscriber (`weekly render --edition email --to`).

pub mod building;
pub mod buildstamp;
pub mod doctor;
pub mod ebook;
pub mod fonts;
pub mod og;
pub mod outdir;
pub mod preview;
pub mod readme;
pub mod rendering;
pub mod report;
pub mod report_page;
pub mod season;
pub mod site;
pub mod statistics;
