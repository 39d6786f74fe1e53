//! OPML 2.0 subscription lists, the format every feed reader imports and exports. Outlines with
//! an `xmlUrl` are sources; the `text` of the outlines around them become tags.

use crate::sources::{Kind, Source, host_of};
use quick_xml::XmlVersion;
use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::fmt::Write as _;
use weekly_model::diagnostic::text_position;

/// A malformed OPML file, with the position where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct OpmlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The sources listed in an OPML document.
pub fn parse(text: &str) -> Result<Vec<Source>, OpmlError> {
    let mut reader = Reader::from_str(text);
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut out = Vec::new();
    let mut saw_opml = false;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            let offset = usize::try_from(position).unwrap_or(0).min(text.len());
            let (line, column) = text_position(text, offset);
            OpmlError {
                line,
                column,
                message: e.to_string(),
            }
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "opml" => {
                saw_opml = true;
            }
            Event::Start(e) if e.local_name().as_ref() == "outline" => {
                if let Some(source) = source(&e, &folders) {
                    out.push(source);
                    folders.push(None);
                } else {
                    folders.push(attribute(&e, "text").or_else(|| attribute(&e, "title")));
                }
            }
            Event::Empty(e) if e.local_name().as_ref() == "outline" => {
                if let Some(source) = source(&e, &folders) {
                    out.push(source);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "outline" => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_opml {
        return Err(OpmlError {
            line: 1,
            column: 1,
            message: "not an OPML document (no <opml> element)".into(),
        });
    }
    Ok(out)
}

fn source(e: &BytesStart<'_>, folders: &[Option<String>]) -> Option<Source> {
    let url = attribute(e, "xmlUrl")?;
    let name = attribute(e, "title")
        .or_else(|| attribute(e, "text"))
        .unwrap_or_else(|| host_of(&url));
    let lang = attribute(e, "language").unwrap_or_default();
    Some(Source {
        url,
        name,
        weight: 1.0,
        tags: folders.iter().flatten().cloned().collect(),
        lang,
        kind: Kind::Feed,
    })
}

/// An OPML 2.0 document listing `sources`, grouped by their first tag.
pub fn write(title: &str, sources: &[Source]) -> String {
    // A feed reader has no use for the newsletter's bot.
    let feeds: Vec<Source> = sources
        .iter()
        .filter(|s| s.kind != crate::sources::Kind::Telegram)
        .cloned()
        .collect();
    let sources = feeds.as_slice();
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    let _ = write!(
        out,
        "  <head>\n    <title>{}</title>\n  </head>\n  <body>\n",
        escape(title)
    );
    let line = |s: &Source, indent: &str| {
        let mut l = format!(
            "{indent}<outline type=\"rss\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{url}\"",
            name = escape(s.name.as_str()),
            url = escape(s.url.as_str())
        );
        if !s.lang.is_empty() {
            let _ = write!(l, " language=\"{}\"", escape(s.lang.as_str()));
        }
        l.push_str("/>\n");
        l
    };
    let mut groups: Vec<&str> = Vec::new();
    for s in sources {
        if let Some(tag) = s.tags.first()
            && !groups.contains(&tag.as_str())
        {
            groups.push(tag);
        }
    }
    for s in sources.iter().filter(|s| s.tags.is_empty()) {
        out.push_str(&line(s, "    "));
    }
    for group in groups {
        let _ = writeln!(out, "    <outline text=\"{}\">", escape(group));
        for s in sources
            .iter()
            .filter(|s| s.tags.first().map(String::as_str) == Some(group))
        {
            out.push_str(&line(s, "      "));
        }
        out.push_str("    </outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Reading</title></head>
  <body>
    <outline text="Python">
      <outline type="rss" text="Blog &amp; Notes" xmlUrl="https://a.example.org/feed?x=1&amp;y=2"/>
      <outline text="Chinese">
        <outline type="rss" title="猫的周刊" text="ignored" xmlUrl="https://b.example.cn/rss" language="zh"/>
      </outline>
    </outline>
    <outline type="rss" xmlUrl="https://c.example.com/atom.xml"></outline>
    <outline text="Empty folder"/>
  </body>
</opml>"#;

    #[test]
    fn reads_nested_outlines() {
        let s = parse(OPML).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].name, "Blog & Notes");
        assert_eq!(s[0].url, "https://a.example.org/feed?x=1&y=2");
        assert_eq!(s[0].tags, ["Python"]);
        assert_eq!(s[1].name, "猫的周刊");
        assert_eq!(s[1].tags, ["Python", "Chinese"]);
        assert_eq!(s[1].lang, "zh");
        assert_eq!(s[2].name, "c.example.com");
        assert!(s[2].tags.is_empty());
    }

    #[test]
    fn export_reads_back() {
        let s = parse(OPML).unwrap();
        let text = write("Mine <&>", &s);
        let back = parse(&text).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].url, "https://c.example.com/atom.xml");
        let a = back.iter().find(|x| x.name == "Blog & Notes").unwrap();
        assert_eq!(a.url, "https://a.example.org/feed?x=1&y=2");
        assert_eq!(a.tags, ["Python"]);
    }

    #[test]
    fn broken_xml_is_positioned() {
        let e = parse("<opml>\n<body>\n</outline>\n</opml>").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(parse("<rss></rss>").unwrap_err().message.contains("OPML"));
    }
}
