//! Reading sources: `sources.toml` and OPML, HTTP fetching with limits and conditional GET,
//! charset decoding, feed parsing, a concurrent collection run, inbox scores and GitHub stars.
//! Storage is the caller's (see `weekly-store`).

pub mod cap;
pub mod decode;
pub mod draft;
pub mod feed;
pub mod fetch;
pub mod github;
pub mod guard;
pub mod opml;
pub mod run;
pub mod score;
pub mod sources;
pub mod text;
