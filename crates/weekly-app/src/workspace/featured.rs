//! Where each link of the archive was featured, by normalised URL: the primary-language full
//! edition of each issue (its teaser when there is no full text). Used by `weekly dedup`, the
//! inbox and `inbox accept`; `weekly check` applies the same rules (`weekly-check::links`).

use crate::archive::Archive;
use crate::workspace::Workspace;
use std::collections::HashMap;
pub use weekly_check::links::Featured;

/// Every featured link of the archive.
pub fn index(workspace: &Workspace, archive: &Archive) -> HashMap<String, Vec<Featured>> {
    let lang = &workspace.config.primary_language;
    let editions: Vec<weekly_check::Edition<'_>> = archive
        .issues
        .iter()
        .filter_map(|issue| {
            let edition = issue.best(lang)?;
            Some(weekly_check::Edition {
                number: issue.number,
                date: Some(issue.date),
                file: "",
                text: "",
                document: &edition.document,
                season: false,
            })
        })
        .collect();
    let settings = weekly_check::Settings {
        catalogue: &workspace.config.catalogue,
        languages: &workspace.config.languages,
    };
    weekly_check::links::index(&editions, &settings, lang)
}

/// The key of a link's host among readers' figures (`[tracking]`): `host:NAME`, without
/// `www.`.
pub fn host_key(url: &str) -> Option<String> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    Some(format!("host:{}", host.trim_start_matches("www.")))
}
