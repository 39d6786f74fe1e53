//! Pure renderers: model values in, text out. No I/O.
//!
//! - [`markdown`]: a document back to Markdown, lossless for unchanged nodes;
//! - [`split`]: a bilingual `中文---English` draft into one edition per language;
//! - [`describe`]: the description line from the counts, in any language;
//! - [`teaser`], [`links`], [`telegram`], [`readme`]: the weekly editions;
//! - [`collection`], [`wrapup`]: a season's collection and wrap-up post.

pub mod collection;
pub mod describe;
pub mod insert;
pub mod links;
pub mod markdown;
pub mod readme;
pub mod split;
pub mod teaser;
pub mod telegram;
pub mod texts;
pub mod titles;
pub mod wrapup;
pub mod yaml;

/// Helpers for the unit tests of this crate.
#[cfg(test)]
pub(crate) mod test_support {
    use weekly_model::{Catalogue, Document, Lang};
    use weekly_parse::{ParseOptions, parse_document};

    /// Parses `text` as a `lang` edition with the Python Trending Weekly catalogue.
    pub fn parse_as(text: &str, lang: &Lang) -> Document {
        let catalogue = Catalogue::python_weekly();
        parse_document(
            text,
            &ParseOptions {
                file: "t.md",
                lang,
                catalogue: &catalogue,
            },
        )
        .document
    }

    /// Parses `text` as a Chinese edition.
    pub fn parse(text: &str) -> Document {
        parse_as(text, &Lang::zh())
    }
}
