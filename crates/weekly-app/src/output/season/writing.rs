//! A season's files written into `seasons/` for every language: collection, links-only
//! edition, public e-book, word cloud and wrap-up post (the editor's words in it kept). A file
//! already as it should be is left alone.

use super::{Season, SeasonFile};
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::path::Path;
use weekly_model::Lang;

/// A step of [`write_files`].
#[derive(Debug)]
pub enum Told<'a> {
    /// A file written.
    Wrote(&'a Path),
    /// No issue of the season has an edition in this language: nothing written for it.
    NoEdition(&'a Lang),
}

/// What [`write_files`] did.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    pub written: usize,
    pub unchanged: usize,
}

/// Writes the season's files (`full`: paid issues' full texts in the collection and cloud);
/// `told` hears of each file written and each language skipped.
pub fn write_files(
    workspace: &Workspace,
    season: &Season,
    full: bool,
    told: &mut dyn FnMut(Told<'_>),
) -> Result<Written> {
    let dir = workspace.root.join("seasons");
    std::fs::create_dir_all(&dir)?;
    let mut done = Written {
        written: 0,
        unchanged: 0,
    };
    let mut put = |kind: SeasonFile, lang: &Lang, text: &[u8], told: &mut dyn FnMut(Told<'_>)| {
        put_file(workspace, season, kind, lang, text, &mut done, told)
    };
    for lang in &workspace.config.languages {
        if !season
            .members()
            .iter()
            .any(|m| season.text(workspace, m, lang, true).is_some())
        {
            told(Told::NoEdition(lang));
            continue;
        }
        put(
            SeasonFile::Collection,
            lang,
            season.collection(workspace, lang, full).as_bytes(),
            told,
        )?;
        put(
            SeasonFile::Links,
            lang,
            season.links(workspace, lang).as_bytes(),
            told,
        )?;
        // The public e-book, which the site links on the season's page.
        let book = crate::ebook::book(workspace, season, lang, false)?;
        put(SeasonFile::Epub, lang, &weekly_ebook::epub(&book)?, told)?;
        let cloud = season.cloud(workspace, lang, full)?;
        if let Some(svg) = &cloud {
            put(SeasonFile::Cloud, lang, svg.as_bytes(), told)?;
        }
        let wrapup_path = season.path(workspace, SeasonFile::Wrapup, lang);
        let previous = if wrapup_path.is_file() {
            Some(workspace.read_text(&wrapup_path)?)
        } else {
            None
        };
        let post = season.wrapup(
            workspace,
            lang,
            previous.as_deref(),
            cloud.map(|_| SeasonFile::Cloud.name(season.number, lang)),
            full,
        )?;
        put(SeasonFile::Wrapup, lang, post.as_bytes(), told)?;
    }
    Ok(done)
}

/// Writes one file unless it already holds `text`.
fn put_file(
    workspace: &Workspace,
    season: &Season,
    kind: SeasonFile,
    lang: &Lang,
    text: &[u8],
    done: &mut Written,
    told: &mut dyn FnMut(Told<'_>),
) -> Result<()> {
    let path = season.path(workspace, kind, lang);
    if let Ok(meta) = std::fs::symlink_metadata(&path)
        && !meta.is_file()
    {
        bail!(
            "`{}` is not a regular file (a link or a folder): not replacing it",
            workspace.display_path(&path)
        );
    }
    if std::fs::read(&path).is_ok_and(|old| old == text) {
        done.unchanged += 1;
    } else {
        crate::files::write_bytes_atomic(&path, text)?;
        done.written += 1;
        told(Told::Wrote(&path));
    }
    Ok(())
}
