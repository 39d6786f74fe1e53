//! Writing a document back as Markdown.
//!
//! Nodes that still carry their source text and are unchanged are written byte for byte, so a
//! parsed file comes back identical. Edited or new nodes are written in the canonical form:
//! `## heading`, `N、title`, one blank line between blocks, the document's line ending.

use crate::yaml;
use std::fmt::Write as _;
use weekly_model::{
    Block, Document, Entry, FieldSyntax, FrontMatter, Header, Heading, HeadingStyle, LineEnding,
    NumberMarker, Section,
};

/// Writes the document as Markdown.
pub fn render(document: &Document) -> String {
    let mut w = Writer {
        out: String::with_capacity(8192),
        line_ending: document.line_ending,
        last_was_canonical: false,
    };
    w.out.push_str(&document.leading);
    match &document.header {
        Some(Header::FrontMatter(fm)) => w.front_matter(fm),
        Some(Header::H1(h)) => w.heading(h),
        None => {}
    }
    w.blocks(&document.preamble);
    for section in &document.sections {
        w.section(section);
    }
    for part in &document.parts {
        w.heading(&part.heading);
        w.blocks(&part.intro);
        for section in &part.sections {
            w.section(section);
        }
    }
    w.blocks(&document.postamble);
    if w.last_was_canonical {
        let le = document.line_ending.as_str();
        while w.out.ends_with(le) {
            w.out.truncate(w.out.len() - le.len());
        }
        w.out.push_str(le);
    }
    w.out
}

/// The circled number for `n` (① … ㊿); `(n)` beyond 50.
pub fn circled(n: u32) -> String {
    let c = match n {
        1..=20 => char::from_u32(0x2460 + n - 1),
        21..=35 => char::from_u32(0x3251 + n - 21),
        36..=50 => char::from_u32(0x32B1 + n - 36),
        _ => None,
    };
    c.map_or_else(|| format!("({n})"), String::from)
}

struct Writer {
    out: String,
    line_ending: LineEnding,
    last_was_canonical: bool,
}

impl Writer {
    fn verbatim(&mut self, text: Option<&str>) -> bool {
        match text {
            Some(text) => {
                self.out.push_str(text);
                self.last_was_canonical = false;
                true
            }
            None => false,
        }
    }

    /// Appends canonical text written with `\n`, converting line endings, plus a blank line.
    fn canonical(&mut self, text: &str) {
        let le = self.line_ending.as_str();
        for line in text.split('\n') {
            self.out.push_str(line);
            self.out.push_str(le);
        }
        self.out.push_str(le);
        self.last_was_canonical = true;
    }

    fn front_matter(&mut self, fm: &FrontMatter) {
        let current = fm.fingerprint();
        if self.verbatim(fm.source.as_ref().and_then(|v| v.if_unchanged(current))) {
            return;
        }
        if let weekly_model::FrontMatterStyle::Fields {
            title_key,
            date_key,
            syntax,
        } = &fm.style
        {
            let text = field_lines(fm, title_key.as_deref(), date_key.as_deref(), *syntax);
            self.canonical(&text);
            return;
        }
        let mut text = String::from("---\n");
        if !fm.other_lines.is_empty() {
            text.push_str(&fm.other_lines);
            text.push('\n');
        }
        for (key, value) in [
            ("title", &fm.title),
            ("description", &fm.description),
            ("pubDate", &fm.pub_date),
            ("author", &fm.author),
        ] {
            if let Some(value) = value {
                if key == "pubDate" && weekly_model::IsoDate::parse(value).is_some() {
                    let _ = writeln!(text, "{key}: {value}");
                } else {
                    let _ = writeln!(text, "{key}: {}", yaml::scalar(value));
                }
            }
        }
        text.push_str("---");
        self.canonical(&text);
    }

    fn heading(&mut self, heading: &Heading) {
        let current = heading.fingerprint();
        if self.verbatim(
            heading
                .source
                .as_ref()
                .and_then(|v| v.if_unchanged(current)),
        ) {
            return;
        }
        let text = match heading.style {
            HeadingStyle::Atx(level) => {
                format!(
                    "{} {}",
                    "#".repeat(usize::from(level.clamp(1, 6))),
                    heading.text
                )
            }
            HeadingStyle::Bold => format!("**{}**", heading.text),
            HeadingStyle::BareLink => heading.text.clone(),
            HeadingStyle::Implicit => return,
        };
        self.canonical(&text);
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            let current = block.fingerprint();
            if !self.verbatim(block.source.as_ref().and_then(|v| v.if_unchanged(current))) {
                self.canonical(&block.text);
            }
        }
    }

    fn section(&mut self, section: &Section) {
        self.heading(&section.heading);
        self.blocks(&section.intro);
        for entry in &section.entries {
            self.entry(entry);
        }
    }

    fn entry(&mut self, entry: &Entry) {
        let current = entry.fingerprint();
        if self.verbatim(entry.source.as_ref().and_then(|v| v.if_unchanged(current))) {
            return;
        }
        let title = match entry.marker {
            NumberMarker::Dunhao => format!("{}、{}", entry.number, entry.title),
            NumberMarker::Dot => format!("{}. {}", entry.number, entry.title),
            NumberMarker::Circled => format!("{} {}", circled(entry.number), entry.title),
            NumberMarker::Bullet => format!("* {}", entry.title),
        };
        self.canonical(&title);
        for block in &entry.body {
            self.canonical(&block.text);
        }
    }
}

/// A header read by the newsletter's keys, with the current title and date in the lines of
/// their keys (or added first, when the header had none), between its fences.
fn field_lines(
    fm: &FrontMatter,
    title_key: Option<&str>,
    date_key: Option<&str>,
    syntax: FieldSyntax,
) -> String {
    let line_of = |key: &str, value: &str, is_date: bool| {
        let value = value.replace(['\n', '\r'], " ");
        match syntax {
            FieldSyntax::Lines => format!("{key}: {value}"),
            FieldSyntax::Yaml if is_date => format!("{key}: {value}"),
            FieldSyntax::Yaml => format!("{key}: {}", yaml::scalar(&value)),
            FieldSyntax::Toml if is_date => format!("{key} = {value}"),
            FieldSyntax::Toml => format!("{key} = {}", toml_string(&value)),
        }
    };
    let put =
        |key: Option<&str>, fallback: &str, value: &Option<String>, lines: &mut Vec<String>| {
            if let Some(value) = value {
                lines.push(line_of(key.unwrap_or(fallback), value, false));
            }
        };
    let unquoted = |value: &str| {
        let value = value.trim();
        ['\'', '"']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
            .unwrap_or(value)
            .to_owned()
    };
    let (title_fallback, date_fallback) = match syntax {
        FieldSyntax::Lines => ("Title", "Date"),
        _ => ("title", "date"),
    };
    let mut lines: Vec<String> = Vec::new();
    let mut title_done = false;
    let mut date_done = false;
    for line in fm.other_lines.lines() {
        let field = syntax.split(line);
        let key = field.map(|(k, _)| k);
        if key.is_some() && key == title_key && !title_done {
            if field.map(|(_, v)| unquoted(v)) == fm.title {
                lines.push(line.to_owned());
            } else {
                put(title_key, title_fallback, &fm.title, &mut lines);
            }
            title_done = true;
        } else if key.is_some() && key == date_key && !date_done {
            // The line as written while it still says the same date (`2020-12-2 18:46`).
            let same = field
                .and_then(|(_, v)| weekly_model::IsoDate::parse_loose(v))
                .map(|d| d.to_string())
                == fm.pub_date;
            if same {
                lines.push(line.to_owned());
            } else if let Some(date) = &fm.pub_date {
                lines.push(line_of(date_key.unwrap_or(date_fallback), date, true));
            }
            date_done = true;
        } else {
            lines.push(line.to_owned());
        }
    }
    let mut head = Vec::new();
    head.extend(syntax.fence().map(str::to_owned));
    if !title_done {
        put(title_key, title_fallback, &fm.title, &mut head);
    }
    if !date_done && let Some(date) = &fm.pub_date {
        head.push(line_of(date_key.unwrap_or(date_fallback), date, true));
    }
    head.extend(lines);
    head.extend(syntax.fence().map(str::to_owned));
    head.join("\n")
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::parse;

    const ISSUE: &str = "---\r\ntitle: 'Python 潮流周刊#3：主题'\r\npubDate: 2023-05-27\r\n---\r\n\r\n你好。\r\n\r\n## 🦄文章&教程\r\n\r\n1、[a](https://a.org)\r\n\r\n描述（star 1K）\r\n\r\n\r\n2、 [b](https://b.org)\r\n\r\n## 🐿️项目&资源\r\n\r\n1、[c](https://c.org)\r\n";

    #[test]
    fn unchanged_document_is_byte_identical() {
        assert_eq!(render(&parse(ISSUE)), ISSUE);
    }

    #[test]
    fn edited_entry_is_canonical_and_keeps_crlf() {
        let mut doc = parse(ISSUE);
        doc.sections[0].entries[1].title = "[B](https://b.org)".into();
        let out = render(&doc);
        assert!(
            out.contains("\r\n2、[B](https://b.org)\r\n\r\n## 🐿️"),
            "{out}"
        );
        // Untouched neighbours keep their odd spacing.
        assert!(out.contains("描述（star 1K）\r\n\r\n\r\n2、"));
        assert_eq!(render(&parse(&out)), out);
    }

    #[test]
    fn edited_title_is_quoted_safely() {
        let mut doc = parse(ISSUE);
        if let Some(Header::FrontMatter(fm)) = &mut doc.header {
            fm.title = Some("Python 潮流周刊#3：It's a \\ test: yes".into());
        }
        let out = render(&doc);
        let again = parse(&out);
        assert_eq!(
            again.title(),
            Some("Python 潮流周刊#3：It's a \\ test: yes")
        );
    }

    #[test]
    fn circled_numbers_beyond_twenty() {
        assert_eq!(circled(1), "①");
        assert_eq!(circled(20), "⑳");
        assert_eq!(circled(21), "㉑");
        assert_eq!(circled(36), "㊱");
        assert_eq!(circled(50), "㊿");
        assert_eq!(circled(51), "(51)");
    }
}
