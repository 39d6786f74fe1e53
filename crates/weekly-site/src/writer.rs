//! The build's way out: files and pages to the [`Sink`], the sitemap's list and the
//! [`Summary`]. A page whose key (see [`crate::memo`]) is the one the last build recorded for
//! its path is kept by the sink instead of rendered and written again.

use crate::build::Summary;
use crate::memo::{Key, KeyHasher, Memo};
use crate::templates::Templates;
use crate::urls::Urls;
use crate::{Sink, SiteError};

pub(crate) struct Writer<'s> {
    pub(crate) sink: &'s mut dyn Sink,
    pub(crate) summary: Summary,
    pub(crate) sitemap: Vec<(String, Option<String>)>,
    pub(crate) urls: &'s Urls,
}

/// A page at `url` with its `key`: rendered, or `None` when the last build made it from the
/// same key.
pub(crate) struct Made {
    pub(crate) url: String,
    pub(crate) key: Key,
    pub(crate) html: Option<String>,
}

/// What keys are made of for the pages of one language.
#[derive(Clone, Copy)]
pub(crate) struct Keys<'a> {
    pub(crate) memo: &'a Memo,
    pub(crate) templates: &'a Templates,
    /// A hash of the values every page of the language shares (`site`).
    pub(crate) shared: Key,
}

impl Keys<'_> {
    /// The key of a page from `template` and the values `parts` adds.
    pub(crate) fn key(&self, template: &str, parts: impl FnOnce(&mut KeyHasher)) -> Key {
        self.memo
            .key(self.templates.fingerprint(), template, |hasher| {
                hasher.add_bytes(&self.shared.to_le_bytes());
                parts(hasher);
            })
    }

    /// The page at `url` from `template` and the values `parts` adds: rendered by `render`
    /// unless the last build made it from the same values.
    pub(crate) fn make(
        &self,
        urls: &Urls,
        url: String,
        template: &str,
        parts: impl FnOnce(&mut KeyHasher),
        render: impl FnOnce() -> Result<String, SiteError>,
    ) -> Result<Made, SiteError> {
        let key = self.key(template, parts);
        let html = if self.memo.unchanged(&urls.file(&url), key) {
            None
        } else {
            Some(render()?)
        };
        Ok(Made { url, key, html })
    }
}

impl Writer<'_> {
    pub(crate) fn file(&mut self, path: &str, bytes: impl Into<Vec<u8>>) -> Result<(), SiteError> {
        let bytes = bytes.into();
        self.summary.files += 1;
        self.summary.bytes += bytes.len() as u64;
        self.sink.write(path, bytes)
    }

    /// Writes or keeps `made` (rendering it with `again` when the sink cannot keep it), and
    /// lists it in the sitemap.
    pub(crate) fn made(
        &mut self,
        made: Made,
        lastmod: Option<String>,
        again: impl FnOnce() -> Result<String, SiteError>,
    ) -> Result<(), SiteError> {
        let path = self.urls.file(&made.url);
        self.sitemap.push((self.urls.absolute(&made.url), lastmod));
        if made.html.is_none()
            && let Some(len) = self.sink.keep(&path, made.key)
        {
            self.summary.files += 1;
            self.summary.kept += 1;
            self.summary.bytes += len;
            return Ok(());
        }
        let html = match made.html {
            Some(html) => html,
            None => again()?,
        };
        self.summary.files += 1;
        self.summary.bytes += html.len() as u64;
        self.sink.write_keyed(&path, made.key, html.into_bytes())
    }

    /// Renders `template` with `context` at `url` (kept when unchanged), listed in the
    /// sitemap.
    pub(crate) fn render(
        &mut self,
        keys: Keys<'_>,
        url: &str,
        template: &str,
        context: &serde_json::Value,
    ) -> Result<(), SiteError> {
        let render = || keys.templates.render(template, context);
        let made = keys.make(
            self.urls,
            url.to_owned(),
            template,
            |h| h.add(context),
            render,
        )?;
        self.made(made, None, render)
    }
}
