//! What to do with each unit on a run: translate it, copy it (nothing to translate), or keep
//! the text already in the translated edition — because it is up to date, or because a person
//! edited it (a person's edit is never overwritten unless asked with `force`).

use crate::prompt::text_hash;
use crate::unit::{Unit, needs_translation};
use std::collections::BTreeMap;
use weekly_model::Lang;

/// What was written for a unit last time: the hash of its source and of its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// SHA-256 of the source unit the translation was made from.
    pub source_hash: String,
    /// SHA-256 of the unit as written into the edition.
    pub output_hash: String,
}

/// The decision for one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Ask the translation memory, then the model.
    Translate,
    /// Nothing to translate (code, images, names only): the source text is used.
    Copy,
    /// Keep the existing text of the translated edition.
    Keep {
        /// The text kept.
        text: String,
        /// A person changed it after we wrote it, or wrote it with no record of ours.
        edited: bool,
        /// Its source changed since: a person should look at it.
        stale: bool,
    },
}

/// True when `text`, in the edition of `target`, is still written in `source`'s language (a
/// description `split` copied whole, a title nobody translated): Han characters in a
/// language that has none, Chinese without kana in Japanese, no Han at all in Chinese.
pub fn still_in_source(text: &str, source: &Lang, target: &Lang) -> bool {
    let prose = crate::unit::prose_only(text);
    let han = weekly_model::lang::han_count(&prose);
    let kana = prose
        .chars()
        .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c));
    let base = |l: &Lang| l.as_str().split('-').next().unwrap_or("").to_owned();
    match (source.is_cjk(), target.is_cjk()) {
        (true, false) => han > 0,
        (true, true) if base(target) == "ja" && base(source) != "ja" => han > 0 && !kana,
        (false, true) => han == 0 && !kana && prose.chars().any(char::is_alphabetic),
        _ => false,
    }
}

/// Decides for every unit of the source. `existing` are the units of the translated edition
/// on disk (if any), `records` what earlier runs wrote, by unit id. A unit missing from the
/// edition, or still in the source's language there, is translated; what a person wrote is
/// kept. With `force`, every unit with words is translated again (the memory answers those it
/// knows).
pub fn plan(
    source: &[Unit],
    existing: &[Unit],
    records: &BTreeMap<String, Record>,
    source_lang: &Lang,
    target_lang: &Lang,
    force: bool,
) -> Vec<Decision> {
    let existing: BTreeMap<&str, &Unit> = existing.iter().map(|u| (u.id.as_str(), u)).collect();
    source
        .iter()
        .map(|unit| {
            if !needs_translation(&unit.text, source_lang) {
                return Decision::Copy;
            }
            if force {
                return Decision::Translate;
            }
            let Some(current) = existing.get(unit.id.as_str()) else {
                return Decision::Translate;
            };
            if still_in_source(&current.text, source_lang, target_lang) {
                return Decision::Translate;
            }
            let source_hash = text_hash(&unit.text);
            match records.get(&unit.id) {
                Some(record) if text_hash(&current.text) == record.output_hash => {
                    if record.source_hash == source_hash {
                        Decision::Keep {
                            text: current.text.clone(),
                            edited: false,
                            stale: false,
                        }
                    } else {
                        Decision::Translate
                    }
                }
                Some(record) => Decision::Keep {
                    text: current.text.clone(),
                    edited: true,
                    stale: record.source_hash != source_hash,
                },
                None => Decision::Keep {
                    text: current.text.clone(),
                    edited: true,
                    stale: false,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unit::UnitKind;

    fn unit(id: &str, text: &str) -> Unit {
        Unit {
            id: id.into(),
            kind: UnitKind::Entry,
            text: text.into(),
            line: 1,
            label: id.into(),
        }
    }

    fn record(source: &str, output: &str) -> Record {
        Record {
            source_hash: text_hash(source),
            output_hash: text_hash(output),
        }
    }

    fn en() -> Lang {
        Lang::new("en").unwrap()
    }

    #[test]
    fn a_unit_left_in_the_source_language_is_translated_what_a_person_wrote_kept() {
        let source = [unit("a", "中文描述"), unit("b", "另一段")];
        let existing = [unit("a", "中文描述"), unit("b", "Written by the editor")];
        let decisions = plan(
            &source,
            &existing,
            &BTreeMap::new(),
            &Lang::zh(),
            &en(),
            false,
        );
        assert_eq!(decisions[0], Decision::Translate);
        assert!(matches!(decisions[1], Decision::Keep { edited: true, .. }));
        let ja = Lang::new("ja").unwrap();
        assert!(still_in_source("这是中文", &Lang::zh(), &ja));
        assert!(!still_in_source("これは日本語です", &Lang::zh(), &ja));
        assert!(still_in_source("English only", &en(), &Lang::zh()));
        assert!(!still_in_source(
            "`uv` is fast: https://x.org/中文",
            &Lang::zh(),
            &en()
        ));
    }

    #[test]
    fn decisions() {
        let source = [
            unit("new", "新的"),
            unit("same", "不变"),
            unit("changed", "改了"),
            unit("edited", "人改过"),
            unit("stale", "都改了"),
            unit("code", "```\n代码\n```"),
            unit("hand", "手写"),
        ];
        let existing = [
            unit("same", "Unchanged"),
            unit("changed", "Old"),
            unit("edited", "Edited by a person"),
            unit("stale", "Edited too"),
            unit("hand", "Written by hand"),
        ];
        let records: BTreeMap<String, Record> = [
            ("same", record("不变", "Unchanged")),
            ("changed", record("改前", "Old")),
            ("edited", record("人改过", "Machine")),
            ("stale", record("改前", "Machine")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let keep = |text: &str, edited, stale| Decision::Keep {
            text: text.into(),
            edited,
            stale,
        };
        assert_eq!(
            plan(&source, &existing, &records, &Lang::zh(), &en(), false),
            [
                Decision::Translate,
                keep("Unchanged", false, false),
                Decision::Translate,
                keep("Edited by a person", true, false),
                keep("Edited too", true, true),
                Decision::Copy,
                keep("Written by hand", true, false),
            ]
        );
        let forced = plan(&source, &existing, &records, &Lang::zh(), &en(), true);
        assert_eq!(forced[3], Decision::Translate);
        assert_eq!(forced[6], Decision::Translate);
        assert_eq!(
            forced[1],
            Decision::Translate,
            "the memory still answers it"
        );
        assert_eq!(forced[5], Decision::Copy);
    }
}
