//! `weekly init DIR`: a new, empty workspace with a commented `weekly.toml` and `sources.toml`.

use crate::config;
use crate::printer;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `weekly init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to create (may exist if empty).
    pub dir: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    // A new newsletter gets a name to change, not the reference newsletter's.
    create(&args.dir, &new_config())?;
    printer::status(&format!(
        "created workspace `{}`\nnext: edit `{}`, write `issues/0001/issue.toml` and `issues/0001/zh.md`, then run `weekly check --workspace {}`",
        args.dir.display(),
        args.dir.join(config::FILE_NAME).display(),
        args.dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// The `weekly.toml` of a new workspace: the built-in one with a name to change.
fn new_config() -> String {
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
    #[test]
    fn a_new_workspace_is_not_named_after_the_reference_newsletter() {
        let text = super::new_config();
        assert!(
            text.contains("\"My Weekly\""),
            "the name line of DEFAULT changed"
        );
        assert!(!text.contains("Python 潮流周刊"));
    }
}
