//! Domain types of a newsletter issue. Pure values: no I/O, no clock, no environment.
//!
//! The central type is [`Document`]: one language edition of an issue (full text, teaser or
//! draft) or a season file. A document is a lossless tree: every node may carry the exact text it
//! was parsed from ([`Verbatim`]), so writing an unchanged document gives back the original bytes,
//! while an edited node is written in the canonical house format.

pub mod catalogue;
pub mod counts;
pub mod date;
pub mod diagnostic;
pub mod document;
pub mod email;
pub mod entry;
pub mod format;
pub mod inline;
pub mod lang;
pub mod par;
pub mod season;
pub mod shown;
pub mod url_norm;
pub mod verbatim;

pub use catalogue::{Catalogue, SectionDef, SectionKey};
pub use counts::Counts;
pub use date::IsoDate;
pub use diagnostic::{Diagnostic, Severity};
pub use document::{
    Block, DocKind, Document, FieldSyntax, FrontMatter, FrontMatterStyle, Header, Heading,
    HeadingStyle, LineEnding, Part, Section, TitleParts,
};
pub use entry::{Entry, NumberMarker};
pub use format::{Format, Numbering, TitlePattern};
pub use inline::{Attachment, Image, Link, StarNote};
pub use lang::Lang;
pub use season::{SeasonRange, Seasons};
pub use verbatim::Verbatim;
