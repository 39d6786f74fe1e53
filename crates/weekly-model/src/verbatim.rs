//! The exact source text of a node, kept for lossless round-trips.

use std::hash::{DefaultHasher, Hash, Hasher};

/// The bytes a node was parsed from, and a fingerprint of the node's content at that time.
///
/// A writer emits `text` only while the node's current fingerprint still equals `fingerprint`;
/// once a field is edited the fingerprint changes and the node is written canonically. Nobody
/// has to remember to invalidate anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verbatim {
    /// The original text, line endings and trailing blank lines included.
    pub text: String,
    /// Fingerprint of the node's content when it was parsed.
    pub fingerprint: u64,
}

impl Verbatim {
    /// Returns the original text when `current` (the node's fingerprint now) is unchanged.
    pub fn if_unchanged(&self, current: u64) -> Option<&str> {
        (self.fingerprint == current).then_some(self.text.as_str())
    }
}

/// Fingerprint of any hashable content. Deterministic within one build of the program
/// (`DefaultHasher::new` uses fixed keys), which is all a parse-then-write cycle needs.
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}
