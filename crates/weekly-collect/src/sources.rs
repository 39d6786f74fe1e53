//! `sources.toml`: the sources an editor reads. Errors name the file, line and column; new
//! sources are appended as text, so the editor's comments and order survive.

use serde::Deserialize;
use std::fmt;
use std::fmt::Write as _;
use toml::Spanned;
use weekly_model::diagnostic::text_position;
use weekly_model::url_norm::normalize;

/// The file name at the root of a workspace.
pub const FILE_NAME: &str = "sources.toml";

/// What a source is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A feed of articles, projects, videos: its items become inbox candidates.
    #[default]
    Feed,
    /// Another newsletter: its newest numbered issue goes into the Sunday digest (and its
    /// items into the inbox too).
    Newsletter,
    /// Links readers send to the newsletter's Telegram bot (`url = "telegram:bot"`): each
    /// message's first link becomes a candidate "submitted by a reader", the rest of the
    /// message its note.
    Telegram,
}

impl Kind {
    /// The word in `sources.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Feed => "feed",
            Kind::Newsletter => "newsletter",
            Kind::Telegram => "telegram",
        }
    }
}

/// One source.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The feed's URL.
    pub url: String,
    /// A name to show.
    pub name: String,
    /// How much its items count in the inbox (1.0 is neutral).
    pub weight: f64,
    /// Free tags.
    pub tags: Vec<String>,
    /// Language code of its items (`zh`, `en`…); empty when unknown.
    pub lang: String,
    /// Feed or newsletter.
    pub kind: Kind,
}

impl Source {
    /// The host of its URL (lower case), for per-host limits.
    pub fn host(&self) -> String {
        host_of(&self.url)
    }
}

/// The host part of a URL, lower case (empty when there is none).
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.to_ascii_lowercase()
}

/// A problem in `sources.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcesError {
    /// The file.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SourcesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for SourcesError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    source: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    url: Spanned<String>,
    #[serde(default)]
    name: String,
    #[serde(default = "one")]
    weight: Spanned<f64>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    kind: Kind,
}

fn one() -> Spanned<f64> {
    Spanned::new(0..0, 1.0)
}

/// Parses the text of a `sources.toml`.
pub fn parse(text: &str, file: &str) -> Result<Vec<Source>, SourcesError> {
    let error = |offset: usize, message: String| {
        let (line, column) = text_position(text, offset);
        SourcesError {
            file: file.to_owned(),
            line,
            column,
            message,
        }
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        error(
            e.span().map_or(0, |s| s.start),
            e.message().trim().to_owned(),
        )
    })?;
    let mut out: Vec<Source> = Vec::with_capacity(raw.source.len());
    let mut seen: Vec<String> = Vec::new();
    for s in raw.source {
        let url = s.url.get_ref().trim().to_owned();
        if s.kind == Kind::Telegram {
            if !url.starts_with("telegram:") {
                return Err(error(
                    s.url.span().start,
                    format!(
                        "`url`: a `kind = \"telegram\"` source is the bot itself: write `url = \"telegram:bot\"`, not `{url}`"
                    ),
                ));
            }
        } else if !(url.starts_with("http://") || url.starts_with("https://"))
            || host_of(&url).is_empty()
        {
            return Err(error(
                s.url.span().start,
                format!("`url`: `{url}` is not an http(s) URL"),
            ));
        }
        let key = normalize(&url);
        if seen.contains(&key) {
            return Err(error(
                s.url.span().start,
                format!("`url`: `{url}` is listed twice"),
            ));
        }
        seen.push(key);
        let weight = *s.weight.get_ref();
        if !(0.0..=100.0).contains(&weight) {
            return Err(error(
                s.weight.span().start,
                format!("`weight`: {weight} must be between 0 and 100"),
            ));
        }
        let name = if s.name.trim().is_empty() {
            host_of(&url)
        } else {
            s.name.trim().to_owned()
        };
        out.push(Source {
            url,
            name,
            weight,
            tags: s.tags,
            lang: s.lang,
            kind: s.kind,
        });
    }
    Ok(out)
}

/// Quotes a TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The TOML text of one source, as appended to the file.
pub fn to_toml(source: &Source) -> String {
    let mut out = format!(
        "[[source]]\nurl = {}\nname = {}\n",
        quoted(&source.url),
        quoted(&source.name)
    );
    if (source.weight - 1.0).abs() > f64::EPSILON {
        let _ = writeln!(out, "weight = {}", source.weight);
    }
    if !source.tags.is_empty() {
        let tags: Vec<String> = source.tags.iter().map(|t| quoted(t)).collect();
        let _ = writeln!(out, "tags = [{}]", tags.join(", "));
    }
    if !source.lang.is_empty() {
        let _ = writeln!(out, "lang = {}", quoted(&source.lang));
    }
    if source.kind != Kind::Feed {
        let _ = writeln!(out, "kind = {}", quoted(source.kind.as_str()));
    }
    out
}

/// Appends the sources of `new` whose URL is not in `existing` to `text`. Returns the new
/// text and how many were added.
pub fn append(text: &str, existing: &[Source], new: &[Source]) -> (String, usize) {
    let mut known: Vec<String> = existing.iter().map(|s| normalize(&s.url)).collect();
    let mut out = text.to_owned();
    let mut added = 0;
    for source in new {
        let key = normalize(&source.url);
        if known.contains(&key) {
            continue;
        }
        known.push(key);
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        out.push_str(&to_toml(source));
        added += 1;
    }
    (out, added)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# What I read.
[[source]]
url = "https://blog.example.org/feed.xml"
name = "Example Blog"
weight = 2.0
tags = ["python"]
lang = "en"

[[source]]
url = "https://weekly.example.cn/rss"
kind = "newsletter"
"#;

    #[test]
    fn reads_sources_with_defaults() {
        let s = parse(FILE, "sources.toml").unwrap();
        assert_eq!(s.len(), 2);
        assert!((s[0].weight - 2.0).abs() < f64::EPSILON);
        assert_eq!(s[1].name, "weekly.example.cn");
        assert_eq!(s[1].kind, Kind::Newsletter);
        assert!((s[1].weight - 1.0).abs() < f64::EPSILON);
    }

    #[test]
    fn errors_are_positioned() {
        let bad = FILE.replace("kind = \"newsletter\"", "kind = \"podcast\"");
        let e = parse(&bad, "sources.toml").unwrap_err();
        assert_eq!(e.line, 11, "{e}");
        let bad = FILE.replace("https://weekly.example.cn/rss", "ftp://x");
        let e = parse(&bad, "sources.toml").unwrap_err();
        assert_eq!((e.line, e.column), (10, 7), "{e}");
        let twice =
            format!("{FILE}\n[[source]]\nurl = \"http://www.blog.example.org/feed.xml/\"\n");
        let e = parse(&twice, "sources.toml").unwrap_err();
        assert!(e.message.contains("listed twice"), "{e}");
        assert_eq!(e.line, 14);
    }

    #[test]
    fn append_keeps_text_and_skips_known() {
        let existing = parse(FILE, "s").unwrap();
        let new = vec![
            Source {
                url: "https://blog.example.org/feed.xml".into(),
                name: "dup".into(),
                weight: 1.0,
                tags: vec![],
                lang: String::new(),
                kind: Kind::Feed,
            },
            Source {
                url: "https://news.example.com/atom".into(),
                name: "News \"quoted\"".into(),
                weight: 1.0,
                tags: vec!["ai".into()],
                lang: "en".into(),
                kind: Kind::Feed,
            },
        ];
        let (text, added) = append(FILE, &existing, &new);
        assert_eq!(added, 1);
        assert!(text.starts_with(FILE));
        let back = parse(&text, "s").unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back[2].name, "News \"quoted\"");
        assert_eq!(back[2].tags, ["ai"]);
    }
}
