//! Checks over parsed editions: everything `weekly check` reports beyond parse errors.
//!
//! Pure: editions in, diagnostics out. Each rule lives in its own module and has a stable code:
//! `numbering-duplicate`, `numbering-gap`, `numbering-order`, `count-mismatch`,
//! `count-disagreement`, `duplicate-url`, `repeated-url`, `untranslated`, `title-number`,
//! `title-date`, `yaml-comment`, `crlf`, `mixed-line-endings`, `image-alt` (an image without alt
//! text), `image-local` (an image that is a file on the author's computer). [`RULES`] lists
//! every code `weekly check` reports; [`Levels`] is what a newsletter makes of them.
//!
//! The rules read an issue the newsletter's way (`Catalogue::format`): its title patterns give
//! the title's number, and bullet entries, which have no numbers, are not numbered.

mod counts;
pub mod levels;
pub mod links;
mod numbering;
mod text;

pub use levels::{Level, Levels, RULES};
pub use text::images_of;
use weekly_model::{Catalogue, Diagnostic, DocKind, Document, IsoDate, Lang};

/// One language edition of an issue, with the identity stored for it.
#[derive(Debug, Clone, Copy)]
pub struct Edition<'a> {
    /// Issue number as stored in the workspace.
    pub number: u32,
    /// Publication date as stored.
    pub date: Option<IsoDate>,
    /// File name for messages.
    pub file: &'a str,
    /// The original text (for line-ending and YAML lints).
    pub text: &'a str,
    /// The parsed document.
    pub document: &'a Document,
    /// True for season files: only the source checks apply to them.
    pub season: bool,
}

impl Edition<'_> {
    fn is_issue(&self) -> bool {
        !self.season && matches!(self.document.kind, DocKind::Full | DocKind::Teaser)
    }
}

/// What the checks need to know about the newsletter.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// Section catalogue, and the format of the newsletter's issues.
    pub catalogue: &'a Catalogue,
    /// Configured languages, primary first.
    pub languages: &'a [Lang],
}

/// Runs every check over the editions and returns the diagnostics sorted by file and line.
pub fn check(editions: &[Edition<'_>], settings: &Settings<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for edition in editions {
        let mut found = Vec::new();
        if edition.is_issue() {
            numbering::check(edition, &mut found);
            counts::check_claims(edition, settings, &mut found);
            links::check_within(edition, settings, &mut found);
            text::check_identity(edition, settings, &mut found);
            text::check_translation(edition, settings, &mut found);
        }
        text::check_source(edition, &mut found);
        text::check_images(edition, &mut found);
        for d in &mut found {
            edition.file.clone_into(&mut d.file);
        }
        out.extend(found);
    }
    counts::check_editions_agree(editions, &mut out);
    links::check_across(editions, settings, &mut out);
    out.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    out
}
