//! Text in, model and diagnostics out: reads issue, teaser, draft and season Markdown files of
//! the whole "weekly" format family into [`weekly_model::Document`].
//!
//! The parser is line based and lossless: every byte of the input belongs to exactly one node,
//! whose original text is kept, so `weekly_render::markdown` gives back the input byte for byte.
//! It never panics and never stops at the first problem; every problem is a [`Diagnostic`] with a
//! line and column. It does no I/O: callers pass the text and a file name for messages.

mod front_matter;
mod lines;
mod structure;

pub mod description;

use weekly_model::{Catalogue, Diagnostic, Document, Lang};

/// What the parser needs besides the text.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions<'a> {
    /// File name used in diagnostics.
    pub file: &'a str,
    /// Language of the edition.
    pub lang: &'a Lang,
    /// Sections the newsletter knows.
    pub catalogue: &'a Catalogue,
}

/// A parsed document and every problem found on the way.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document (always produced, even from broken input).
    pub document: Document,
    /// Problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one Markdown file.
pub fn parse_document(text: &str, options: &ParseOptions<'_>) -> Parsed {
    parse_with(text, options, false)
}

/// Parses a season collection file (one `##` part per issue, its sections under `###`, their
/// categories under `####` and `#####`) whatever heading levels the newsletter's issues use:
/// a newsletter that declares `###` categories still reads its season files as collections.
pub fn parse_collection(text: &str, options: &ParseOptions<'_>) -> Parsed {
    parse_with(text, options, true)
}

fn parse_with(text: &str, options: &ParseOptions<'_>, collection: bool) -> Parsed {
    let mut diagnostics = Vec::new();
    let document = structure::build(text, options, collection, &mut diagnostics);
    for d in &mut diagnostics {
        options.file.clone_into(&mut d.file);
    }
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Parsed {
        document,
        diagnostics,
    }
}
