//! Wires the workspace to `weekly-site`: the parsed archive becomes a `SiteInput`, the
//! workspace's `templates/` override the built-in templates and stop words, and the season word
//! clouds are cached in the workspace between builds.

use crate::archive::Archive;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use weekly_model::Counts;
use weekly_site::build::CloudCache;
use weekly_site::cloud::Cloud;
use weekly_site::{EditionInput, IssueInput, Override, SiteConfig, SiteInput, Templates};

/// Templates of the workspace, compiled over the built-in ones.
pub fn templates(workspace: &Workspace) -> Result<Templates> {
    let mut overrides = BTreeMap::new();
    for name in weekly_site::templates::names() {
        let path = workspace.root.join("templates").join(name);
        if path.is_file() {
            overrides.insert(
                name.to_owned(),
                Override {
                    file: workspace.display_path(&path),
                    source: crate::files::read_text(&path)?,
                },
            );
        }
    }
    Ok(Templates::new(&overrides)?)
}

/// The stop words of the word clouds: the workspace's `templates/stopwords.txt`, else ours.
pub fn stop_words(workspace: &Workspace) -> Result<String> {
    let path = workspace.root.join("templates").join("stopwords.txt");
    if path.is_file() {
        crate::files::read_text(&path)
    } else {
        Ok(weekly_site::cloud::STOP_WORDS.to_owned())
    }
}

/// The site input of a loaded archive.
pub fn input<'a>(
    workspace: &'a Workspace,
    archive: &'a Archive,
    full: bool,
    stop_words: String,
) -> SiteInput<'a> {
    let config = &workspace.config;
    let issues = archive
        .issues
        .iter()
        .map(|issue| IssueInput {
            number: issue.number,
            date: issue.date,
            editions: issue
                .editions
                .iter()
                .map(|e| EditionInput {
                    lang: &e.lang,
                    teaser: e.teaser,
                    document: &e.document,
                })
                .collect(),
            counts: issue
                .counted(&config.primary_language)
                .map_or_else(Counts::default, |e| {
                    Counts::of(&e.document, &config.catalogue)
                }),
        })
        .collect();
    SiteInput {
        config: SiteConfig {
            name: config.name.clone(),
            base_url: config.base_url.clone(),
            primary: config.primary_language.clone(),
            languages: config.languages.clone(),
            season_length: config.season_length,
            free_after: config.free_after,
            star_badge_threshold: config.star_badge_threshold,
            catalogue: config.catalogue.clone(),
            texts: config.texts.clone(),
            full,
            stop_words,
            feed_items: 20,
        },
        issues,
    }
}

/// The file of the workspace holding the word clouds of the last build (a cache: deleting it
/// only makes the next build segment the season texts and place their words again).
pub const CLOUD_CACHE: &str = ".weekly-cache/site-clouds.json";

/// The word clouds an earlier build left in the workspace (empty when there are none or they
/// do not read).
pub fn read_cloud_cache(workspace: &Workspace) -> CloudCache {
    std::fs::read(workspace.root.join(CLOUD_CACHE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<(u64, Cloud)>>(&bytes).ok())
        .map(|rows| rows.into_iter().collect())
        .unwrap_or_default()
}

/// Keeps the word clouds of this build for the next one, when they changed.
pub fn keep_cloud_cache(workspace: &Workspace, old: &CloudCache, new: &CloudCache) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let path = workspace.root.join(CLOUD_CACHE);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
    }
    let mut rows: Vec<(&u64, &Cloud)> = new.iter().collect();
    rows.sort_by_key(|(key, _)| **key);
    crate::files::write_atomic(&path, &serde_json::to_string(&rows)?)
}
