//! Pure renderers: model values in, text out. No I/O.

pub mod markdown;
pub mod yaml;
