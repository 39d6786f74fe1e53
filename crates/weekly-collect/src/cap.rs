//! A feed body cut after its first N items before it is parsed, so that a feed of 60,000 items
//! costs the memory of N: the XML is read as a stream (quick-xml) up to the end of the Nth
//! `<item>` or `<entry>`, and the elements still open there are closed.

use quick_xml::Reader;
use quick_xml::events::Event;

/// The body with only its first `max` items, and how many items were left out; `None` when
/// it has no more than `max` items, is not XML, or is not well-formed enough to cut (then it
/// is parsed as it is, and the parser decides).
pub fn first_items(xml: &[u8], max: usize) -> Option<(Vec<u8>, usize)> {
    let start = xml.iter().position(|b| !b.is_ascii_whitespace())?;
    if !xml[start..].starts_with(b"<") && !xml[start..].starts_with("\u{feff}<".as_bytes()) {
        return None;
    }
    let cut = scan(xml, max)?;
    Some((cut.apply(xml.get(..cut.at)?), cut.left))
}

/// Where a feed is cut: the byte after the `max`th item, the elements open there, and how
/// many items follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// Bytes kept.
    pub at: usize,
    /// Names of the elements open at `at`, outermost first.
    pub open: Vec<String>,
    /// Items after the kept ones.
    pub left: usize,
}

impl Cut {
    /// The kept bytes with the open elements closed.
    pub fn apply(&self, kept: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(kept.len() + 64);
        out.extend_from_slice(kept);
        for name in self.open.iter().rev() {
            out.extend_from_slice(b"</");
            out.extend_from_slice(name.as_bytes());
            out.push(b'>');
        }
        out
    }
}

/// Reads `xml` as a stream (a slice, or a file through a `BufReader`, in UTF-8) and finds where
/// to cut it after `max` items; `None` when it has no more, or is not well-formed.
pub fn scan<R: std::io::BufRead>(xml: R, max: usize) -> Option<Cut> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut cut: Option<(usize, Vec<String>)> = None;
    let is_item = |name: &str| {
        let local = name.rsplit(':').next().unwrap_or(name);
        local == "item" || local == "entry"
    };
    loop {
        buf.clear();
        let ended_item = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                // Past the cut only items are counted: no need to keep names.
                if cut.is_none() {
                    open.push(e.name().into_inner().to_owned());
                } else {
                    open.push(String::new());
                }
                false
            }
            Ok(Event::End(e)) => {
                open.pop();
                // An item of a channel or a feed: two or fewer elements above it.
                is_item(e.name().into_inner()) && open.len() <= 2
            }
            Ok(Event::Empty(e)) => is_item(e.name().into_inner()) && open.len() <= 2,
            Ok(Event::Eof) => break,
            Ok(_) => false,
            Err(_) => return None,
        };
        if ended_item {
            count += 1;
            if count == max {
                let at = usize::try_from(reader.buffer_position()).ok()?;
                cut = Some((at, open.clone()));
            }
        }
    }
    let (at, open) = cut?;
    (count > max).then(|| Cut {
        at,
        open,
        left: count - max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    fn rss(n: usize) -> String {
        let mut items = String::new();
        for i in 0..n {
            let _ = writeln!(
                items,
                "<item><title>T{i}</title><link>https://a.org/{i}</link></item>"
            );
        }
        format!(
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>F</title>\n{items}</channel></rss>\n"
        )
    }

    #[test]
    fn cuts_rss_and_atom_after_the_nth_item_and_closes_what_is_open() {
        let (cut, left) = first_items(rss(10).as_bytes(), 3).unwrap();
        let cut = String::from_utf8(cut).unwrap();
        assert_eq!(left, 7);
        assert!(cut.contains("T2") && !cut.contains("T3"), "{cut}");
        assert!(cut.ends_with("</item></channel></rss>"), "{cut}");
        assert_eq!(
            first_items(rss(3).as_bytes(), 3),
            None,
            "not more than the cap"
        );
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title>\
<entry><title>1</title></entry><entry><title><![CDATA[</entry>]]></title></entry><entry/><entry><title>4</title></entry></feed>";
        let (cut, left) = first_items(atom.as_bytes(), 2).unwrap();
        let cut = String::from_utf8(cut).unwrap();
        assert_eq!(left, 2);
        assert!(cut.ends_with("]]></title></entry></feed>"), "{cut}");
    }

    #[test]
    fn rss1_items_beside_the_channel_and_nested_items_are_told_apart() {
        let rdf = "<rdf:RDF xmlns:rdf=\"r\" xmlns=\"p\"><channel><items><rdf:Seq><rdf:li/></rdf:Seq></items></channel>\
<item><title>1</title></item><item><title>2</title></item><item><title>3</title></item></rdf:RDF>";
        let (cut, left) = first_items(rdf.as_bytes(), 1).unwrap();
        assert_eq!(left, 2);
        assert!(
            String::from_utf8(cut)
                .unwrap()
                .ends_with("<title>1</title></item></rdf:RDF>")
        );
    }

    #[test]
    fn json_and_broken_xml_are_left_to_the_parser() {
        assert_eq!(first_items(br#"{"items": []}"#, 1), None);
        assert_eq!(first_items(b"<rss><channel><item></channel>", 1), None);
    }
}
