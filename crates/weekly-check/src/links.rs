//! Links: an entry link appears once per issue and is featured in one issue only. URLs are
//! compared after `weekly_model::url_norm::normalize`.

use crate::{Edition, Settings};
use std::collections::HashMap;
use weekly_model::url_norm::normalize;
use weekly_model::{Diagnostic, Lang};

/// Where a link was featured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Featured {
    /// Issue number.
    pub number: u32,
    /// Issue date.
    pub date: Option<weekly_model::IsoDate>,
    /// Section name in the edition's language.
    pub section: String,
    /// Entry number in the section.
    pub entry: u32,
}

impl std::fmt::Display for Featured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.number)?;
        if let Some(date) = self.date {
            write!(f, " ({date})")?;
        }
        write!(f, ", {} {}", self.section, self.entry)
    }
}

/// The entry's title links, each normalised URL once (`[a](u)[b](u)` names one link). A
/// bullet entry is its first link: the others of its line credit an author or a source
/// (`* [Title](u) by [Ann](a)`), whom two entries of one issue may well share.
fn distinct_links(entry: &weekly_model::Entry) -> Vec<(String, weekly_model::Link)> {
    let mut links = entry.links();
    if entry.marker == weekly_model::NumberMarker::Bullet {
        links.truncate(1);
    }
    let mut out: Vec<(String, weekly_model::Link)> = Vec::new();
    for link in links {
        let key = normalize(&link.url);
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, link));
        }
    }
    out
}

fn section_name(settings: &Settings<'_>, key: &weekly_model::SectionKey, lang: &Lang) -> String {
    settings
        .catalogue
        .get(key)
        .map_or_else(|| key.to_string(), |d| d.name(lang).to_owned())
}

/// Every link featured in counted sections, by normalised URL, first occurrence first.
pub fn index(
    editions: &[Edition<'_>],
    settings: &Settings<'_>,
    lang: &Lang,
) -> HashMap<String, Vec<Featured>> {
    let mut sorted: Vec<&Edition<'_>> = editions
        .iter()
        .filter(|e| e.is_issue() && &e.document.lang == lang)
        .collect();
    sorted.sort_by_key(|e| e.number);
    let mut map: HashMap<String, Vec<Featured>> = HashMap::new();
    for edition in sorted {
        for section in edition.document.all_sections() {
            if !settings.catalogue.is_counted(&section.key) {
                continue;
            }
            for entry in &section.entries {
                for (key, _) in distinct_links(entry) {
                    map.entry(key).or_default().push(Featured {
                        number: edition.number,
                        date: edition.date,
                        section: section_name(settings, &section.key, lang),
                        entry: entry.number,
                    });
                }
            }
        }
    }
    map
}

pub(crate) fn check_within(
    edition: &Edition<'_>,
    settings: &Settings<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<String, (String, u32)> = HashMap::new();
    for section in edition.document.all_sections() {
        if !settings.catalogue.is_counted(&section.key) {
            continue;
        }
        let name = section.heading.plain();
        for entry in &section.entries {
            for (key, link) in distinct_links(entry) {
                if let Some((first_section, first_entry)) = seen.get(&key) {
                    out.push(Diagnostic::error(
                        "duplicate-url",
                        entry.line,
                        1,
                        format!(
                            "`{}` is already entry {first_entry} of `{first_section}` in this issue",
                            link.url
                        ),
                    ));
                } else {
                    seen.insert(key, (name.clone(), entry.number));
                }
            }
        }
    }
}

pub(crate) fn check_across(
    editions: &[Edition<'_>],
    settings: &Settings<'_>,
    out: &mut Vec<Diagnostic>,
) {
    // Translations repeat the primary edition's links; checking them again would only echo it.
    for lang in settings.languages.iter().take(1) {
        let map = index(editions, settings, lang);
        for edition in editions
            .iter()
            .filter(|e| e.is_issue() && &e.document.lang == lang)
        {
            for section in edition.document.all_sections() {
                if !settings.catalogue.is_counted(&section.key) {
                    continue;
                }
                for entry in &section.entries {
                    for (key, link) in distinct_links(entry) {
                        let earlier = map
                            .get(&key)
                            .and_then(|v| v.iter().find(|f| f.number < edition.number));
                        if let Some(first) = earlier {
                            out.push(
                                Diagnostic::warning(
                                    "repeated-url",
                                    entry.line,
                                    1,
                                    format!("`{}` was already featured in {first}", link.url),
                                )
                                .in_file(edition.file),
                            );
                        }
                    }
                }
            }
        }
    }
}
