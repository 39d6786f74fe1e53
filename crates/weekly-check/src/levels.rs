//! What a newsletter makes of each rule (`[check]` in `weekly.toml`): a rule turned off, or
//! its findings reported as warnings or as errors. An archive whose images never had alt text
//! turns `image-alt` off; one with holes in its numbering may make `issue-jump` a warning.

use std::collections::BTreeMap;
use weekly_model::{Diagnostic, Severity};

/// Every code `weekly check` can report, with what it means.
pub const RULES: &[(&str, &str)] = &[
    (
        "ai-draft",
        "an entry the model drafted that the editor has not approved",
    ),
    (
        "count-disagreement",
        "two language editions claim different counts",
    ),
    (
        "count-mismatch",
        "the description line's counts differ from the entries",
    ),
    ("crlf", "the file ends its lines with CRLF"),
    ("date", "a header date that is not a date"),
    ("draft", "a `draft.md` that cannot be read"),
    ("duplicate-url", "the same link twice in one issue"),
    ("empty-edition", "an empty edition or draft"),
    ("empty-title", "an entry without a title"),
    ("encoding", "a file that is not UTF-8"),
    ("front-matter", "front matter that is never closed"),
    ("image-alt", "an image without alt text"),
    (
        "image-size",
        "a picture of the site over `[images] max_bytes`",
    ),
    (
        "image-local",
        "an image that is a file on the author's computer",
    ),
    (
        "issue-date-order",
        "an issue dated before the one it follows",
    ),
    ("issue-gap", "issue numbers missing from the archive"),
    ("issue-jump", "many issue numbers missing at once"),
    ("issue-number", "an issue number used by two directories"),
    ("issue-toml", "an `issue.toml` that cannot be read"),
    (
        "missing-translation",
        "a language without its name, section names or site texts",
    ),
    ("mixed-line-endings", "CRLF and LF line endings in one file"),
    (
        "numbering-duplicate",
        "an entry number used twice in a section",
    ),
    ("numbering-gap", "entry numbers skipped in a section"),
    ("numbering-order", "entry numbers going back in a section"),
    (
        "outside-link",
        "a workspace file that links outside the workspace",
    ),
    ("repeated-url", "a link featured in an earlier issue"),
    (
        "stray-file",
        "a file in an issue directory that is no edition",
    ),
    ("stray-h1", "a level-1 heading inside the body"),
    ("title-date", "the file's date differs from `issue.toml`"),
    (
        "title-number",
        "the title's issue number is missing or differs from `issue.toml`",
    ),
    (
        "translation",
        "a translation that lost something of its source",
    ),
    ("unclosed-fence", "a code block that is never closed"),
    ("unknown-language", "a language that is not in `languages`"),
    (
        "untranslated",
        "text of the source language left in a translation",
    ),
    ("yaml", "front matter that is not valid YAML"),
    (
        "toml",
        "front matter between `+++` lines that is not valid TOML",
    ),
    (
        "yaml-comment",
        "a YAML value that ` #` cuts short as a comment",
    ),
];

/// What is made of a rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported as a warning.
    Warning,
    /// Reported as an error (`weekly check` exits with 1, `build` stops).
    Error,
}

impl Level {
    /// `off`, `warning` or `error`.
    pub fn parse(text: &str) -> Option<Level> {
        match text.trim() {
            "off" => Some(Level::Off),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// The levels a newsletter set, by rule code; the rules it does not name keep their own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Levels {
    by_code: BTreeMap<String, Level>,
}

impl Levels {
    /// Sets the level of rule `code`; an error names what is wrong (an unknown code, with the
    /// closest known ones).
    pub fn set(&mut self, code: &str, level: &str) -> Result<(), String> {
        if !RULES.iter().any(|(c, _)| *c == code) {
            let near: Vec<&str> = RULES
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| {
                    let folded = code.replace('_', "-").to_lowercase();
                    c.contains(folded.as_str()) || folded.contains(c)
                })
                .collect();
            let hint = if near.is_empty() {
                "`weekly check --help` lists the codes".to_owned()
            } else {
                format!("did you mean `{}`?", near.join("`, `"))
            };
            return Err(format!("`{code}` is not the code of a rule; {hint}"));
        }
        let Some(level) = Level::parse(level) else {
            return Err(format!(
                "`{code}`: `{level}` is not one of `off`, `warning`, `error`"
            ));
        };
        self.by_code.insert(code.to_owned(), level);
        Ok(())
    }

    /// The level set for `code`, if any.
    pub fn get(&self, code: &str) -> Option<Level> {
        self.by_code.get(code).copied()
    }

    /// True when no rule was changed.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// The findings as the newsletter wants them: those of rules turned off removed, the others
    /// with the severity set for their rule.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.by_code.is_empty() {
            return;
        }
        diagnostics.retain_mut(|d| match self.get(d.code) {
            Some(Level::Off) => false,
            Some(Level::Warning) => {
                d.severity = Severity::Warning;
                true
            }
            Some(Level::Error) => {
                d.severity = Severity::Error;
                true
            }
            None => true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_turned_off_down_or_up() {
        let mut levels = Levels::default();
        levels.set("image-alt", "off").unwrap();
        levels.set("issue-jump", "warning").unwrap();
        levels.set("crlf", "error").unwrap();
        let mut found = vec![
            Diagnostic::warning("image-alt", 3, 1, "no alt"),
            Diagnostic::error("issue-jump", 0, 0, "jump"),
            Diagnostic::warning("crlf", 0, 0, "crlf"),
            Diagnostic::error("numbering-gap", 9, 1, "gap"),
        ];
        levels.apply(&mut found);
        let got: Vec<(&str, Severity)> = found.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(
            got,
            [
                ("issue-jump", Severity::Warning),
                ("crlf", Severity::Error),
                ("numbering-gap", Severity::Error),
            ]
        );
    }

    #[test]
    fn unknown_codes_and_levels_are_refused_with_a_hint() {
        let mut levels = Levels::default();
        let e = levels.set("image_alt", "off").unwrap_err();
        assert!(e.contains("did you mean `image-alt`"), "{e}");
        let e = levels.set("image-alt", "quiet").unwrap_err();
        assert!(e.contains("`off`, `warning`, `error`"), "{e}");
        assert!(levels.is_empty());
    }
}
