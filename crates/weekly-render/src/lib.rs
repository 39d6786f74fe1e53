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

    /// A newsletter in the style of This Week in Rust: `Key: value` headers, bullet entries
    /// under `##` sections and `###` categories; `numbering` the numbered lines it reads.
    pub fn bullets_catalogue(numbering: Vec<weekly_model::Numbering>) -> Catalogue {
        let section = |key: &str, name: &str, counted: bool| weekly_model::SectionDef {
            key: weekly_model::SectionKey::new(key).unwrap(),
            emoji: String::new(),
            names: vec![(Lang::en(), name.to_owned())],
            aliases: Vec::new(),
            counted,
            patterns: Vec::new(),
        };
        Catalogue {
            sections: vec![
                section("community", "Community News", true),
                section("merged", "Merged This Week", true),
                section("jobs", "Jobs", false),
            ],
            format: weekly_model::Format {
                field_header: true,
                titles: vec![weekly_model::TitlePattern::new("Gears Weekly {number}").unwrap()],
                levels: weekly_model::format::Levels {
                    sections: vec![2],
                    categories: vec![3],
                },
                numbering,
                bullets: true,
                ..weekly_model::Format::python_weekly()
            },
        }
    }

    /// An issue of that newsletter.
    pub const GEARS: &str = "Title: Gears Weekly 7\nNumber: 7\nDate: 2025-03-07\n\n\
        Hello from the gears.\n\n\
        ## Community News\n\n\
        ### Official\n\
        * [Release notes for the new gear](https://gears.example.org/notes)\n\n\
        ### Walkthroughs\n\
        * [Oiling <gears> & you](https://blog.example.org/oil) by [Ann](https://ann.example.org)\n\
        * [video] [Turning gears, a talk](https://video.example.org/turning)\n\n\
        ## Merged This Week\n\n\
        * [faster teeth](https://code.example.org/pull/9)\n\n\
        ## Jobs\n\n\
        * [Gear cutter wanted](https://jobs.example.org/1)\n";

    /// Parses `text` with `catalogue` as an English edition.
    pub fn parse_with(text: &str, catalogue: &Catalogue) -> Document {
        parse_document(
            text,
            &ParseOptions {
                file: "t.md",
                lang: &Lang::en(),
                catalogue,
            },
        )
        .document
    }
}
