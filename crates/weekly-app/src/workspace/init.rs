//! New workspaces: the ready-made `weekly.toml` of each newsletter format we ship, and the
//! skeleton `weekly init` and `weekly import` write.

use crate::config::{self, Config};
use anyhow::{Context, Result, bail};
use std::path::Path;

/// The formats we ship: name, and its complete, commented `weekly.toml`.
pub const FORMATS: [(&str, &str); 3] = [
    ("python-weekly", config::DEFAULT),
    (
        "this-week-in-rust",
        include_str!("../../assets/formats/this-week-in-rust.toml"),
    ),
    (
        "ruanyf-weekly",
        include_str!("../../assets/formats/ruanyf-weekly.toml"),
    ),
];

/// The names of the shipped formats, for messages: `python-weekly, this-week-in-rust, …`.
pub fn format_names() -> String {
    FORMATS
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `weekly.toml` text of `format`: a shipped format's name, or a file of yours (read and
/// checked). The text is returned as it is, comments included.
pub fn format_text(format: &str) -> Result<String> {
    if let Some((_, text)) = FORMATS.iter().find(|(name, _)| *name == format) {
        return Ok((*text).to_owned());
    }
    let path = Path::new(format);
    if !path.is_file() {
        bail!(
            "`{format}` is neither a format we ship ({}) nor a file",
            format_names()
        );
    }
    let text = crate::files::read_text(path)?;
    Config::parse(&text, &path.display().to_string())?;
    Ok(text)
}

/// The `weekly.toml` of a new workspace without a format: Python Trending Weekly's, with a name
/// to change (a new newsletter gets its own name, not the reference newsletter's).
pub fn new_config() -> String {
    config::DEFAULT.replacen(
        "name = { zh = \"Python 潮流周刊\", en = \"Python Trending Weekly\", ja = \"Python トレンド週刊\" }",
        "name = { zh = \"我的周刊\", en = \"My Weekly\" }   # change me",
        1,
    )
}

/// The commented `sources.toml` of a new workspace.
const SOURCES: &str = "\
# The sources `weekly collect` reads. One [[source]] table each:
#   url     the feed (RSS 0.9x/1.0/2.0, Atom or JSON Feed)     (required)
#   name    shown in the inbox and the digest                 (default: the host)
#   weight  how much its links count in the inbox score       (default 1; 2 adds 5 points)
#   tags    free labels                                       lang: language of its items
#   kind    \"feed\" (default) or \"newsletter\": another weekly, gathered by `weekly digest`
# `weekly sources import reader.opml` appends the feeds of a feed reader's export.
#
# [[source]]
# url = \"https://blog.example.org/feed.xml\"
# name = \"Example Blog\"
# weight = 1.5
# tags = [\"python\"]
# lang = \"en\"
";

/// Creates the skeleton of a workspace with the given configuration text. Refuses to write into
/// a non-empty directory.
pub fn create(dir: &Path, config_text: &str) -> Result<()> {
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        bail!(
            "`{}` does not exist; create it first (`weekly init` makes one folder, not a whole \
             path) — nothing was changed",
            parent.display()
        );
    }
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .with_context(|| format!("failed to read `{}`", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "`{}` already exists and is not empty; nothing was changed\nhint: pick a new directory",
                dir.display()
            );
        }
    }
    std::fs::create_dir_all(dir.join("issues"))?;
    std::fs::create_dir_all(dir.join("templates/texts"))?;
    std::fs::write(dir.join(config::FILE_NAME), config_text)?;
    std::fs::write(dir.join(weekly_collect::sources::FILE_NAME), SOURCES)?;
    std::fs::write(
        dir.join("templates/README.md"),
        "Files here override the built-in templates and texts of the same name.\n\
         `texts/<lang>/<key>.md` replaces the `[texts.<lang>]` value `<key>` of weekly.toml.\n",
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_workspace_is_not_named_after_the_reference_newsletter() {
        let text = new_config();
        assert!(
            text.contains("\"My Weekly\""),
            "the name line of DEFAULT changed"
        );
        assert!(!text.contains("Python 潮流周刊"));
    }

    #[test]
    fn every_shipped_format_is_valid() {
        for (name, text) in FORMATS {
            let config = Config::parse(text, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                config.import.is_python_weekly(),
                name == "python-weekly",
                "{name}"
            );
        }
    }
}
