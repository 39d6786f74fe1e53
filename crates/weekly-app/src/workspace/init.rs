//! New workspaces: the ready-made `weekly.toml` of each newsletter format we ship, and the
//! skeleton `weekly init` and `weekly import` write.

use crate::config::{self, Config};
use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::path::Path;
use weekly_model::Lang;

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

/// What a new editor chose (`weekly init`'s flags or answers); `None` keeps the format's own.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// The newsletter's name (the same in every language until the editor writes each).
    pub name: Option<String>,
    /// Its languages, the primary first.
    pub languages: Option<Vec<Lang>>,
    /// Issues after which a paid issue becomes free; 0 for a free newsletter.
    pub free_after: Option<u32>,
    /// Where the site will be.
    pub base_url: Option<String>,
}

/// `text` (a `weekly.toml`) with `choices` written into its top-level keys, comments and the
/// rest kept as they are, and `[publish] readme` naming the README `create` writes; checked
/// by parsing the result.
pub fn customize(text: &str, choices: &Choices) -> Result<String> {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let mut wanted: Vec<(&str, String)> = Vec::new();
    if let Some(languages) = &choices.languages {
        let Some(primary) = languages.first() else {
            bail!("`--languages` names no language");
        };
        wanted.push(("primary_language", quote(primary.as_str())));
        let list: Vec<String> = languages.iter().map(|l| quote(l.as_str())).collect();
        wanted.push(("languages", format!("[{}]", list.join(", "))));
    }
    if let Some(name) = &choices.name {
        let langs: Vec<Lang> = match &choices.languages {
            Some(l) => l.clone(),
            None => Config::parse(text, config::FILE_NAME)?.languages,
        };
        let each: Vec<String> = langs
            .iter()
            .map(|l| format!("{} = {}", l.as_str(), quote(name.trim())))
            .collect();
        wanted.push(("name", format!("{{ {} }}", each.join(", "))));
    }
    if let Some(n) = choices.free_after {
        wanted.push(("free_after", n.to_string()));
    }
    if let Some(url) = &choices.base_url {
        let url = url.trim().trim_end_matches('/');
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            bail!("`--base-url`: `{url}` is not an http(s) URL");
        }
        wanted.push(("base_url", quote(url)));
    }
    let primary = match &choices.languages {
        Some(l) => l.first().cloned(),
        None => Config::parse(text, config::FILE_NAME)
            .map(|c| c.primary_language)
            .ok(),
    }
    .unwrap_or_else(Lang::zh);
    let readme_line = format!(
        "readme = {{ {} = \"README.md\" }}   # READMEs whose issue list `weekly readme` regenerates\n",
        primary.as_str()
    );
    let mut readme_done = false;
    let mut out = String::with_capacity(text.len() + 256);
    let mut top = true;
    let mut in_publish = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            if top {
                // Keys the format's file does not have go at the end of the top level.
                for (key, value) in wanted.drain(..) {
                    let _ = writeln!(out, "{key} = {value}");
                }
            }
            top = false;
            in_publish = trimmed.starts_with("[publish]");
        }
        let key = trimmed.split(['=', ' ']).next().unwrap_or("");
        if top && let Some(at) = wanted.iter().position(|(k, _)| *k == key) {
            let (key, value) = wanted.remove(at);
            let _ = writeln!(out, "{key} = {value}");
            continue;
        }
        if in_publish && key == "readme" && trimmed.starts_with("readme = {}") {
            out.push_str(&readme_line);
            readme_done = true;
            continue;
        }
        out.push_str(line);
    }
    for (key, value) in wanted {
        let _ = writeln!(out, "{key} = {value}");
    }
    if !readme_done
        && !text
            .lines()
            .any(|l| l.trim_start().starts_with("[publish]"))
    {
        out.push_str("\n[publish]\n");
        out.push_str(&readme_line);
    }
    Config::parse(&out, config::FILE_NAME)?;
    Ok(out)
}

/// What `weekly init` writes into `.gitignore`: every file `weekly` makes that holds a secret,
/// readers' addresses, paid text or mail, and its caches.
pub const GITIGNORE: &str = "\
# Written by weekly; not for a repository (secrets, readers' addresses, paid text, mail, caches).
/.weekly-secret
/weekly.db
/weekly.db-*
/site/
/site-full/
/.site.spare/
/.site-full.spare/
/.*.building-*/
/.*.lock
/outbox/
/.weekly-cache/
";

/// The README of a new workspace: its name and the markers between which `weekly readme`
/// writes the list of issues and the figures.
pub fn readme(name: &str, lang: &Lang) -> String {
    let (issues, figures) = match lang.as_str().split('-').next() {
        Some("zh") => ("往期", "统计"),
        Some("ja") => ("バックナンバー", "統計"),
        _ => ("Issues", "Figures"),
    };
    format!(
        "# {name}\n\n## {issues}\n\n<!-- weekly:issues -->\n<!-- /weekly:issues -->\n\n## {figures}\n\n<!-- weekly:stats -->\n<!-- /weekly:stats -->\n"
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
    std::fs::write(dir.join(".gitignore"), GITIGNORE)?;
    if let Ok(config) = Config::parse(config_text, config::FILE_NAME) {
        for (lang, file) in &config.publish.readme {
            let lang = Lang::new(lang).unwrap_or_else(|| config.primary_language.clone());
            let path = dir.join(file);
            if !path.exists() {
                let name = config.name.get(&lang).map_or("", String::as_str);
                std::fs::write(path, readme(name, &lang))?;
            }
        }
    }
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
    fn choices_are_written_into_the_top_level_keys() {
        let choices = Choices {
            name: Some("Rust 周刊".into()),
            languages: Some(vec![Lang::zh(), Lang::new("en").unwrap()]),
            free_after: Some(0),
            base_url: Some("https://rust.example.org/".into()),
        };
        for (format, text) in FORMATS {
            let out = customize(text, &choices).unwrap_or_else(|e| panic!("{format}: {e}"));
            let config = Config::parse(&out, "t").unwrap();
            assert_eq!(config.free_after, 0, "{format}");
            assert_eq!(config.base_url, "https://rust.example.org");
            assert_eq!(config.primary_name(), "Rust 周刊");
            assert_eq!(config.languages.len(), 2);
            assert_eq!(
                config.publish.readme.get("zh").map(String::as_str),
                Some("README.md"),
                "{format}"
            );
            // Comments are kept.
            assert!(out.lines().filter(|l| l.starts_with('#')).count() > 5);
        }
        let bad = Choices {
            base_url: Some("weekly.example.org".into()),
            ..Choices::default()
        };
        assert!(customize(config::DEFAULT, &bad).is_err());
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
