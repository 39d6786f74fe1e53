//! The pure core of translation: an edition cut into units, the rules a translated unit must
//! keep, the glossary, the prompt, the plan of a run and the assembly of the result. No I/O:
//! the model client and the translation memory are edge crates.

pub mod assemble;
pub mod compare;
pub mod glossary;
pub mod plan;
pub mod prompt;
pub mod rules;
pub mod unit;

pub use assemble::{Assembly, assemble};
pub use compare::{Finding, compare};
pub use glossary::{Glossary, GlossaryError};
pub use plan::{Decision, Record, plan};
pub use prompt::{PromptContext, memory_key, prompt_version, system_message, text_hash};
pub use rules::{Problem, Rules, check};
pub use unit::{Unit, UnitKind, units};

/// Parsing for the unit tests of this crate.
#[cfg(test)]
mod test_support {
    use weekly_model::{Catalogue, Document, Lang};
    use weekly_parse::{ParseOptions, parse_document};

    /// Parses `text` as a `lang` edition with the Python Trending Weekly catalogue.
    pub fn parse(text: &str, lang: &Lang) -> Document {
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
}
