//! What a translation run tells as it goes ([`Event`]s, received by a [`Progress`]) and at its
//! end (a [`Summary`]).

use crate::translator::Totals;
use std::time::Duration;
use weekly_model::Lang;

/// A unit that could not be translated, and why.
#[derive(Debug, Clone)]
pub struct Trouble {
    /// Its line in the source file.
    pub line: u32,
    /// What part it is (`entry 3 of 🦄文章&教程`).
    pub label: String,
    /// The broken rules, or the model's error.
    pub why: String,
}

/// What happened, in the order it happened. Files are named as the workspace shows them.
#[derive(Debug, Clone)]
pub enum Event {
    /// An issue named on the command line has no edition in the source language.
    NoSource {
        /// The issue.
        issue: u32,
        /// The source language.
        from: Lang,
    },
    /// A source file with parse errors is not translated (it needs a person).
    SourceHasErrors {
        /// The source file.
        source: String,
    },
    /// A translated edition that `weekly translate` did not write is kept whole.
    NotOurs {
        /// The translated file.
        file: String,
        /// Its issue.
        issue: u32,
    },
    /// A unit a person edited after it was written is kept.
    EditedKept {
        /// The translated file.
        file: String,
        /// The unit.
        label: String,
        /// Its source changed since.
        stale: bool,
    },
    /// `dry_run`: the units one edition would request.
    WouldTranslate {
        /// The translated file.
        file: String,
        /// The source language.
        from: Lang,
        /// The target language.
        to: Lang,
        /// Units of the edition.
        total: usize,
        /// Those to translate: label and line.
        units: Vec<(String, u32)>,
    },
    /// An edition left unwritten because some units are in trouble.
    NotWritten {
        /// The translated file.
        file: String,
        /// The source file.
        source: String,
        /// The units in trouble.
        troubles: Vec<Trouble>,
    },
    /// An edition written (or found already as it would be written).
    Written {
        /// The translated file.
        file: String,
        /// False when the file already held this text.
        changed: bool,
    },
}

/// Receives the [`Event`]s of a run.
pub trait Progress {
    /// One event.
    fn event(&mut self, event: Event);
}

impl<F: FnMut(Event)> Progress for F {
    fn event(&mut self, event: Event) {
        self(event);
    }
}

/// The closing numbers of a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    /// Units (and source files) that need a person; nothing was written for their editions.
    pub needs_person: usize,
    /// Memory hits, completions, repairs and tokens.
    pub totals: Totals,
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Of which retries (after 429/5xx, timeouts or connection errors).
    pub retries: u64,
    /// Wall time.
    pub elapsed: Duration,
}
