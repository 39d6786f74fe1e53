//! Statistics of issues and seasons: entries per counted section, word counts, totals per
//! season and over the archive, and the figures a landing page reads.
//!
//! Pure: values in, values out. The Chinese segmenter (jieba) is built once on first use.

pub mod coverage;
pub mod issue;
pub mod season;
pub mod totals;
pub mod words;

pub use coverage::{Coverage, Words};
pub use issue::{IssueStats, Source, issue_counts, issue_stats};
pub use season::{SeasonFacts, Starred, season_facts};
pub use totals::{Totals, landing_figures, seasons};
pub use words::{WordCounts, word_counts};
