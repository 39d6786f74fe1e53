//! Pure renderers: model values in, text out. No I/O.
//!
//! - [`markdown`]: a document back to Markdown, lossless for unchanged nodes;
//! - [`split`]: a bilingual `中文---English` draft into one edition per language;
//! - [`describe`]: the description line from the counts, in any language;
//! - [`teaser`], [`links`], [`telegram`], [`readme`]: the weekly editions.

pub mod describe;
pub mod links;
pub mod markdown;
pub mod readme;
pub mod split;
pub mod teaser;
pub mod telegram;
pub mod texts;
pub mod titles;
pub mod yaml;
