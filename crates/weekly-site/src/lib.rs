//! The static website of a newsletter, pure: parsed issues and settings in, files out through a
//! [`Sink`]. Pages come from minijinja templates (built in, replaceable per workspace); entry
//! Markdown is rendered by comrak and sanitized; feeds, search index, charts and word clouds
//! are ours.

pub mod build;
pub mod charts;
pub mod cloud;
pub mod feeds;
pub mod highlight;
pub mod input;
pub mod labels;
mod language;
pub mod links;
pub mod markdown;
pub mod memo;
pub mod og;
mod page_meta;
pub mod search;
mod seasons;
mod sections;
pub mod sitemap;
pub mod templates;
pub mod urls;
pub mod view;
mod writer;

pub use build::{Summary, build};
pub use input::{EditionInput, IssueInput, SeasonFile, SiteConfig, SiteInput};
pub use memo::{Key, Memo};
pub use templates::{Override, Templates};

/// Why a build stopped.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A template failed to compile or render.
    #[error("{file}:{line}: {message}")]
    Template {
        /// The template file.
        file: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// What went wrong.
        message: String,
    },
    /// The sink could not take a file.
    #[error("cannot write `{path}`: {message}")]
    Write {
        /// Output path.
        path: String,
        /// Why.
        message: String,
    },
}

/// Where the built files go: a directory, memory, or nowhere.
pub trait Sink {
    /// Takes one file at `path` (relative, `/`-separated).
    fn write(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), SiteError>;

    /// Takes the page at `path` made from `key` (see [`memo`]), so that a later build can keep
    /// it. Sinks that keep nothing write it as any file.
    fn write_keyed(&mut self, path: &str, key: Key, bytes: Vec<u8>) -> Result<(), SiteError> {
        let _ = key;
        self.write(path, bytes)
    }

    /// Keeps the file the last build made at `path` from the same `key`, unrendered, and gives
    /// its length. `None` when the sink cannot (it keeps nothing, or the file is gone): the
    /// page is then rendered and written.
    fn keep(&mut self, path: &str, key: Key) -> Option<u64> {
        let _ = (path, key);
        None
    }
}

/// A sink keeping every file in memory (tests, link checks, `serve`).
#[derive(Debug, Default, Clone)]
pub struct Memory {
    /// Files by path, in the order written.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Sink for Memory {
    fn write(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), SiteError> {
        self.files.push((path.to_owned(), bytes));
        Ok(())
    }
}

impl Memory {
    /// The text of file `path`.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .and_then(|(_, b)| std::str::from_utf8(b).ok())
    }

    /// Broken internal links of the HTML files, for a site rooted at `root`.
    pub fn broken_links(&self, root: &str) -> Vec<links::BrokenLink> {
        let files: std::collections::HashSet<String> =
            self.files.iter().map(|(p, _)| p.clone()).collect();
        let pages: Vec<(String, String)> = self
            .files
            .iter()
            .filter(|(p, _)| {
                std::path::Path::new(p)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("html"))
            })
            .map(|(p, b)| (p.clone(), String::from_utf8_lossy(b).into_owned()))
            .collect();
        links::check(&pages, &files, root)
    }
}
