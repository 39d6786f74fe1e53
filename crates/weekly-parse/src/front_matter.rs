//! Issue headers: YAML front matter between `---` fences, TOML between `+++`, or `Key: value`
//! lines; reading the fields we use by the newsletter's keys, reporting errors at their position
//! in the file.

use crate::lines::Line;
use serde::Deserialize;
use std::collections::BTreeMap;
use weekly_model::{Diagnostic, FieldSyntax, Format, FrontMatter, FrontMatterStyle, IsoDate};

#[derive(Deserialize, Default)]
struct Fields {
    title: Option<String>,
    #[serde(rename = "pubDate")]
    pub_date: Option<String>,
    author: Option<String>,
    description: Option<String>,
}

const KNOWN: [&str; 4] = ["title", "pubDate", "author", "description"];

/// Index of the closing `---` line when `lines[start]` opens front matter.
pub(crate) fn closing_fence(lines: &[Line<'_>], start: usize) -> Option<usize> {
    if lines.get(start)?.content.trim_end() != "---" {
        return None;
    }
    lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .take(200)
        .find(|(_, l)| l.content.trim_end() == "---")
        .map(|(i, _)| i)
}

/// Reads the YAML between `lines[open]` and `lines[close]` (both `---`): by the built-in keys
/// (`title`, `pubDate`, `author`, `description`), or — when the title or date is only under
/// another of the newsletter's keys (`date: 2020-12-02 18:46`) — by the format's keys, every
/// line kept as written.
pub(crate) fn read(
    lines: &[Line<'_>],
    open: usize,
    close: usize,
    format: &Format,
    diagnostics: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let body = &lines[open + 1..close];
    let yaml = joined(body);
    let first_line = lines[open].number + 1;
    let fields = match serde_saphyr::from_str::<Option<Fields>>(&yaml) {
        Ok(fields) => fields.unwrap_or_default(),
        Err(error) => {
            let (line, column) = error.location().map_or((0, 0), |loc| {
                (loc.line().saturating_sub(1) as u32, loc.column() as u32)
            });
            let message = error.to_string();
            let message = message.lines().next().unwrap_or("invalid YAML").trim();
            diagnostics.push(Diagnostic::error(
                "yaml",
                first_line + line,
                column.max(1),
                format!("front matter is not valid YAML: {message}; quote the value with double quotes, or double each `'` inside single quotes"),
            ));
            salvage(body)
        }
    };
    let other_key = |keys: &[String], builtin: &str| {
        body.iter()
            .filter_map(|l| FieldSyntax::Yaml.split(l.content))
            .any(|(key, _)| key != builtin && Format::is_key(keys, key))
    };
    if (fields.title.is_none() && other_key(&format.title_keys, "title"))
        || (fields.pub_date.is_none() && other_key(&format.date_keys, "pubDate"))
    {
        let values = serde_saphyr::from_str::<Option<BTreeMap<String, Scalar>>>(&yaml)
            .ok()
            .flatten()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(key, value)| Some((key, value.0?)))
            .collect();
        return read_keyed(body, format, FieldSyntax::Yaml, &values, diagnostics);
    }
    let mut other_lines = Vec::new();
    let mut in_known = false;
    for line in body {
        let top_key = top_level_key(line.content);
        if let Some(key) = top_key {
            in_known = KNOWN.contains(&key);
        }
        if !in_known {
            other_lines.push(line.content);
        }
    }
    if let Some(date) = &fields.pub_date
        && IsoDate::parse(date).is_none()
    {
        let line = body
            .iter()
            .find(|l| top_level_key(l.content) == Some("pubDate"))
            .map_or(first_line, |l| l.number);
        diagnostics.push(Diagnostic::error(
            "date",
            line,
            1,
            format!("`pubDate` is `{date}`, expected a date like `2024-05-18`"),
        ));
    }
    FrontMatter {
        style: weekly_model::FrontMatterStyle::Yaml,
        title: fields.title,
        pub_date: fields.pub_date,
        author: fields.author,
        description: fields.description,
        other_lines: other_lines.join("\n"),
        source: None,
    }
}

/// Index of the closing `+++` line when `lines[start]` opens TOML front matter.
pub(crate) fn closing_toml_fence(lines: &[Line<'_>], start: usize) -> Option<usize> {
    if lines.get(start)?.content.trim_end() != "+++" {
        return None;
    }
    lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .take(200)
        .find(|(_, l)| l.content.trim_end() == "+++")
        .map(|(i, _)| i)
}

/// Reads the TOML between `lines[open]` and `lines[close]` (both `+++`) by the format's keys,
/// every line kept as written; a TOML error is reported at its line and column.
pub(crate) fn read_toml(
    lines: &[Line<'_>],
    open: usize,
    close: usize,
    format: &Format,
    diagnostics: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let body = &lines[open + 1..close];
    let text = joined(body);
    let values = match text.parse::<toml::Table>() {
        Ok(table) => table
            .into_iter()
            .filter_map(|(key, value)| {
                let value = match value {
                    toml::Value::String(s) => s,
                    toml::Value::Datetime(d) => d.to_string(),
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Float(f) => f.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    _ => return None,
                };
                Some((key, value))
            })
            .collect(),
        Err(error) => {
            let (line, column) = error.span().map_or((0, 1), |span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count();
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
                (line, column + 1)
            });
            let message = error.message().lines().next().unwrap_or("invalid TOML");
            diagnostics.push(Diagnostic::error(
                "toml",
                body.get(line).map_or(lines[open].number + 1, |l| l.number),
                column as u32,
                format!("front matter is not valid TOML: {message}"),
            ));
            BTreeMap::new()
        }
    };
    read_keyed(body, format, FieldSyntax::Toml, &values, diagnostics)
}

fn joined(body: &[Line<'_>]) -> String {
    let mut text = String::new();
    for line in body {
        text.push_str(line.content);
        text.push('\n');
    }
    text
}

/// A YAML value when it is a scalar (lists and maps are skipped).
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_owned())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_none<E>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Scalar, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Scalar(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Scalar, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Scalar(None))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// The end (exclusive) of `Key: value` header lines starting at `start`: every line up to
/// the first blank one is `Key: value` (a key of letters, digits, `_` or `-`), and one of the
/// keys is a title, number or date key of `format` — so a first paragraph that happens to
/// start with `Note:` is not taken for a header.
pub(crate) fn field_lines(lines: &[Line<'_>], start: usize, format: &Format) -> Option<usize> {
    let mut end = start;
    let mut known = false;
    while let Some(line) = lines.get(end) {
        if line.is_blank() {
            break;
        }
        let (key, _) = FieldSyntax::Lines.split(line.content)?;
        known |= [&format.title_keys, &format.number_keys, &format.date_keys]
            .iter()
            .any(|keys| Format::is_key(keys, key));
        end += 1;
        if end - start > 50 {
            return None;
        }
    }
    (known && end > start).then_some(end)
}

/// Reads `Key: value` header lines (Pelican) by the format's keys.
pub(crate) fn read_fields(
    lines: &[Line<'_>],
    start: usize,
    end: usize,
    format: &Format,
    diagnostics: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let body = &lines[start..end];
    let values = body
        .iter()
        .filter_map(|l| FieldSyntax::Lines.split(l.content))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    read_keyed(body, format, FieldSyntax::Lines, &values, diagnostics)
}

/// A header read by the format's keys: the title and date of the first lines whose keys are
/// title and date keys (a date may be unpadded and carry a time, which is left out), with
/// `values` the parsed value of each key; every line kept as written.
fn read_keyed(
    body: &[Line<'_>],
    format: &Format,
    syntax: FieldSyntax,
    values: &BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let mut title = None;
    let mut date = None;
    let mut title_key = None;
    let mut date_key = None;
    let mut author = None;
    let mut description = None;
    for line in body {
        let Some((key, _)) = syntax.split(line.content) else {
            continue;
        };
        let Some(value) = values.get(key) else {
            continue;
        };
        if title.is_none() && Format::is_key(&format.title_keys, key) {
            title = Some(value.clone());
            title_key = Some(key.to_owned());
        } else if date.is_none() && Format::is_key(&format.date_keys, key) {
            match IsoDate::parse_loose(value) {
                Some(d) => date = Some(d.to_string()),
                None => diagnostics.push(Diagnostic::error(
                    "date",
                    line.number,
                    key.len() as u32 + 2,
                    format!("`{key}` is `{value}`, expected a date like `2024-05-18`"),
                )),
            }
            date_key = Some(key.to_owned());
        } else if key.eq_ignore_ascii_case("author") {
            author.get_or_insert_with(|| value.clone());
        } else if key.eq_ignore_ascii_case("description") || key.eq_ignore_ascii_case("summary") {
            description.get_or_insert_with(|| value.clone());
        }
    }
    let other_lines = body
        .iter()
        .map(|l| l.content)
        .collect::<Vec<_>>()
        .join("\n");
    FrontMatter {
        style: FrontMatterStyle::Fields {
            title_key,
            date_key,
            syntax,
        },
        title,
        pub_date: date,
        author,
        description,
        other_lines,
        source: None,
    }
}

fn top_level_key(content: &str) -> Option<&str> {
    if content.starts_with([' ', '\t', '-', '#']) {
        return None;
    }
    let (key, _) = content.split_once(':')?;
    let key = key.trim();
    (!key.is_empty() && !key.contains(' ')).then_some(key)
}

/// Best-effort field values from broken YAML, so the rest of the tools still see a title.
fn salvage(body: &[Line<'_>]) -> Fields {
    let mut fields = Fields::default();
    for line in body {
        let Some(key) = top_level_key(line.content) else {
            continue;
        };
        let value = line.content[key.len() + 1..].trim();
        let value = strip_quotes(value).to_owned();
        match key {
            "title" => fields.title = Some(value),
            "pubDate" => fields.pub_date = Some(value),
            "author" => fields.author = Some(value),
            "description" => fields.description = Some(value),
            _ => {}
        }
    }
    fields
}

fn strip_quotes(value: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::split;

    fn parse(text: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let lines = split(text);
        let close = closing_fence(&lines, 0).expect("closed");
        let mut d = Vec::new();
        (read(&lines, 0, close, &Format::default(), &mut d), d)
    }

    #[test]
    fn reads_fields_and_keeps_other_keys() {
        let (fm, d) = parse(
            "---\nlayout: '../x.astro'\ntitle: 'It''s #1：主题'\npubDate: 2023-05-13\ntags: [\"a\"]\n---\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.title.as_deref(), Some("It's #1：主题"));
        assert_eq!(fm.pub_date.as_deref(), Some("2023-05-13"));
        assert_eq!(fm.other_lines, "layout: '../x.astro'\ntags: [\"a\"]");
    }

    #[test]
    fn broken_quoting_is_positioned() {
        let (fm, d) = parse("---\npubDate: 2024-01-01\ntitle: 'Python's weekly'\n---\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "yaml");
        assert_eq!(d[0].line, 3);
        assert_eq!(fm.title.as_deref(), Some("Python's weekly"));
    }

    #[test]
    fn bad_date() {
        let (_, d) = parse("---\ntitle: x\npubDate: 2024-02-30\n---\n");
        assert_eq!(d[0].code, "date");
        assert_eq!(d[0].line, 3);
    }
}
