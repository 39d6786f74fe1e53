//! The Telegram announcement of an issue, in the Bot API's HTML parse mode.
//!
//! Every piece of user text is escaped. A photo caption holds at most 1,024 characters and a
//! message 4,096, both counted in UTF-16 code units of the visible text (tags removed, entities
//! decoded). When the whole announcement fits a caption it is one captioned photo; otherwise
//! the photo carries the headline and link, and the title lists follow as messages, split at
//! section boundaries. [`validate`] checks a text against the Bot API's rules.

use crate::markdown::circled;
use crate::titles::{title_groups, title_plain};
use std::fmt::{self, Write as _};
use weekly_model::{Catalogue, Document, NumberMarker, inline};

/// Longest photo caption, in UTF-16 code units of visible text.
pub const CAPTION_LIMIT: usize = 1024;
/// Longest text message.
pub const MESSAGE_LIMIT: usize = 4096;

/// Texts around the title lists.
#[derive(Debug, Clone, Default)]
pub struct AnnouncementTexts {
    /// A hashtag line such as `#Python潮流周刊` (without `#`; spaces are removed).
    pub hashtag: String,
    /// The headline, e.g. the issue title.
    pub headline: String,
    /// Plain paragraphs after the lists.
    pub footer: Vec<String>,
    /// The link to the issue: label and URL.
    pub link: Option<(String, String)>,
}

/// What to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// The photo caption.
    pub caption: String,
    /// Messages sent after the photo (empty when everything fits the caption).
    pub messages: Vec<String>,
}

/// Escapes text for Telegram HTML (`&`, `<`, `>`, `"`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Builds the announcement of `document`.
pub fn announcement(
    document: &Document,
    catalogue: &Catalogue,
    texts: &AnnouncementTexts,
) -> Announcement {
    let mut head = Vec::new();
    let tag: String = texts.hashtag.split_whitespace().collect();
    if !tag.is_empty() {
        head.push(format!("#{}", escape(&tag)));
    }
    if !texts.headline.trim().is_empty() {
        head.push(format!("<b>{}</b>", escape(texts.headline.trim())));
    }
    let mut sections = Vec::new();
    for group in title_groups(document, catalogue) {
        let heading = inline::plain_text(&group.heading(document, catalogue));
        let mut block = format!("<b>{}</b>", escape(&heading));
        // Numbered entries are numbered on through the section's categories; bullet entries,
        // which have no numbers, are bullets.
        let mut number = 0;
        for (category, entries) in &group.parts {
            if let Some(category) = category
                && !entries.is_empty()
            {
                let _ = write!(block, "\n<i>{}</i>", escape(&category.heading.plain()));
            }
            for entry in *entries {
                block.push('\n');
                if entry.marker == NumberMarker::Bullet {
                    block.push('•');
                } else {
                    number += 1;
                    block.push_str(&circled(number));
                }
                block.push(' ');
                block.push_str(&escape(&title_plain(entry)));
            }
        }
        sections.push(block);
    }
    let mut tail: Vec<String> = texts
        .footer
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| escape(p.trim()))
        .collect();
    let link = texts
        .link
        .as_ref()
        .map(|(label, url)| format!("<a href=\"{}\">{}</a>", escape(url), escape(label)));
    tail.extend(link.clone());

    let whole: Vec<String> = head.iter().chain(&sections).chain(&tail).cloned().collect();
    let whole = whole.join("\n\n");
    if visible_len(&whole) <= CAPTION_LIMIT {
        return Announcement {
            caption: whole,
            messages: Vec::new(),
        };
    }
    let caption: Vec<String> = head.iter().cloned().chain(link).collect();
    let mut messages: Vec<String> = Vec::new();
    let mut current = String::new();
    for piece in sections.iter().chain(&tail) {
        for piece in fit(piece, MESSAGE_LIMIT) {
            let joined = if current.is_empty() {
                piece.clone()
            } else {
                format!("{current}\n\n{piece}")
            };
            if visible_len(&joined) <= MESSAGE_LIMIT {
                current = joined;
            } else {
                messages.push(std::mem::replace(&mut current, piece));
            }
        }
    }
    if !current.is_empty() {
        messages.push(current);
    }
    Announcement {
        caption: caption.join("\n\n"),
        messages,
    }
}

/// Splits one section block at line ends so every piece fits `limit` (a section longer than a
/// message is very unusual, but must not produce a message Telegram refuses).
fn fit(block: &str, limit: usize) -> Vec<String> {
    if visible_len(block) <= limit {
        return vec![block.to_owned()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    for line in block.lines() {
        let joined = if current.is_empty() {
            line.to_owned()
        } else {
            format!("{current}\n{line}")
        };
        if visible_len(&joined) <= limit || current.is_empty() {
            current = joined;
        } else {
            out.push(std::mem::replace(&mut current, line.to_owned()));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Length of the visible text in UTF-16 code units (how Telegram counts), tags removed and
/// entities decoded. Assumes `html` is valid (see [`validate`]).
pub fn visible_len(html: &str) -> usize {
    let mut len = 0;
    let mut chars = html.chars();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                for c in chars.by_ref() {
                    if c == '>' {
                        break;
                    }
                }
            }
            '&' => {
                let entity: String = chars.by_ref().take_while(|&c| c != ';').collect();
                let code = entity
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()));
                len += code.and_then(char::from_u32).map_or(1, char::len_utf16);
            }
            c => len += c.len_utf16(),
        }
    }
    len
}

/// Why a text is not valid Telegram HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for HtmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for HtmlError {}

/// Tags the Bot API accepts in HTML mode.
const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "tg-emoji",
    "code",
    "pre",
    "blockquote",
];

/// Checks `html` against the Bot API's HTML rules: only supported tags, properly nested and
/// closed; `<a>` with an `href`; `<`, `>` and `&` only as part of a tag or entity; only the named
/// entities `&lt;`, `&gt;`, `&amp;`, `&quot;` or numeric ones. Returns the visible length.
pub fn validate(html: &str) -> Result<usize, HtmlError> {
    let err = |offset: usize, message: String| HtmlError { offset, message };
    let bytes = html.as_bytes();
    let mut stack: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                let end = html[i..]
                    .find('>')
                    .map(|e| i + e)
                    .ok_or_else(|| err(i, "`<` that does not start a tag; write `&lt;`".into()))?;
                let inner = &html[i + 1..end];
                if let Some(name) = inner.strip_prefix('/') {
                    let name = name.trim();
                    match stack.pop() {
                        Some(open) if open == name => {}
                        Some(open) => {
                            return Err(err(i, format!("`</{name}>` closes `<{open}>`")));
                        }
                        None => return Err(err(i, format!("`</{name}>` closes nothing"))),
                    }
                } else {
                    let name_end = inner
                        .find(|c: char| c.is_whitespace())
                        .unwrap_or(inner.len());
                    let name = &inner[..name_end];
                    if !TAGS.contains(&name) {
                        return Err(err(
                            i,
                            format!("tag `<{name}>` is not supported by Telegram"),
                        ));
                    }
                    check_attributes(name, &inner[name_end..]).map_err(|m| err(i, m))?;
                    stack.push(name);
                }
                i = end + 1;
            }
            b'>' => return Err(err(i, "bare `>`; write `&gt;`".into())),
            b'&' => {
                let end = html[i..]
                    .find(';')
                    .map(|e| i + e)
                    .filter(|&e| e - i <= 10)
                    .ok_or_else(|| err(i, "bare `&`; write `&amp;`".into()))?;
                let entity = &html[i + 1..end];
                let ok = matches!(entity, "lt" | "gt" | "amp" | "quot")
                    || entity
                        .strip_prefix("#x")
                        .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
                    || entity
                        .strip_prefix('#')
                        .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
                if !ok {
                    return Err(err(i, format!("entity `&{entity};` is not supported")));
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    if let Some(open) = stack.pop() {
        return Err(err(html.len(), format!("`<{open}>` is never closed")));
    }
    Ok(visible_len(html))
}

fn check_attributes(tag: &str, attributes: &str) -> Result<(), String> {
    let attributes = attributes.trim();
    match tag {
        "a" => {
            let href = attributes
                .strip_prefix("href=\"")
                .and_then(|r| r.strip_suffix('"'))
                .ok_or_else(|| "`<a>` needs exactly one attribute `href=\"…\"`".to_owned())?;
            if href.contains('"') || href.is_empty() {
                return Err("`href` is empty or holds a quote".into());
            }
            Ok(())
        }
        "span" if attributes == "class=\"tg-spoiler\"" => Ok(()),
        "span" => Err("`<span>` needs `class=\"tg-spoiler\"`".into()),
        "code" if attributes.is_empty() || attributes.starts_with("class=\"language-") => Ok(()),
        "blockquote" if attributes.is_empty() || attributes == "expandable" => Ok(()),
        "tg-emoji" if attributes.starts_with("emoji-id=\"") => Ok(()),
        _ if attributes.is_empty() => Ok(()),
        _ => Err(format!("`<{tag}>` takes no attributes here")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(entries: u32, title: &str) -> Document {
        let mut text = String::from("# 周刊#9：主题\n\n## [🦄文章&教程](https://w.org)\n\n");
        for n in 1..=entries {
            let _ = write!(
                text,
                "{n}、[{title} {n}](https://a.org/{n}?a=1&b=2)\n\n说明。\n\n"
            );
        }
        crate::test_support::parse(&text)
    }

    fn texts() -> AnnouncementTexts {
        AnnouncementTexts {
            hashtag: "Python 潮流周刊".into(),
            headline: "周刊#9：<主题> & \"引号\"".into(),
            footer: vec!["每周进步一点点 <3".into()],
            link: Some(("阅读".into(), "https://w.org/9/?a=1&b=\"2\"".into())),
        }
    }

    #[test]
    fn short_announcement_is_one_escaped_caption() {
        let catalogue = Catalogue::python_weekly();
        let a = announcement(&doc(3, "a_b *c* `d` <e>"), &catalogue, &texts());
        assert!(a.messages.is_empty());
        assert!(a.caption.starts_with("#Python潮流周刊\n\n<b>周刊#9：&lt;主题&gt; &amp; &quot;引号&quot;</b>\n\n<b>🦄文章&amp;教程</b>\n① a_b c `d` &lt;e&gt; 1\n"), "{}", a.caption);
        assert!(
            a.caption
                .ends_with("<a href=\"https://w.org/9/?a=1&amp;b=&quot;2&quot;\">阅读</a>")
        );
        assert!(validate(&a.caption).unwrap() <= CAPTION_LIMIT);
    }

    #[test]
    fn long_announcement_moves_the_lists_to_messages() {
        let catalogue = Catalogue::python_weekly();
        let a = announcement(&doc(40, &"很长的标题".repeat(6)), &catalogue, &texts());
        assert!(!a.messages.is_empty());
        assert!(validate(&a.caption).unwrap() <= CAPTION_LIMIT);
        for m in &a.messages {
            assert!(validate(m).unwrap() <= MESSAGE_LIMIT);
        }
        let huge = announcement(&doc(50, &"很长的标题".repeat(40)), &catalogue, &texts());
        assert!(huge.messages.len() > 1, "{}", huge.messages.len());
        for m in &huge.messages {
            assert!(validate(m).unwrap() <= MESSAGE_LIMIT);
        }
    }

    #[test]
    fn validator_rejects_what_telegram_rejects() {
        assert_eq!(validate("<b>a</b> &amp; &#128512; &#x1F600;"), Ok(9));
        for bad in [
            "a < b",
            "a > b",
            "a & b",
            "&nbsp;",
            "<div>x</div>",
            "<b>x",
            "<b><i>x</b></i>",
            "<a>x</a>",
            "<a href=\"\">x</a>",
            "</b>",
            "<span>x</span>",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
        assert_eq!(visible_len("😀"), 2, "UTF-16 units");
    }

    #[test]
    fn bullet_entries_are_bullets_under_their_category() {
        use crate::test_support::{GEARS, bullets_catalogue, parse_with};
        let catalogue = bullets_catalogue(Vec::new());
        let doc = parse_with(GEARS, &catalogue);
        let texts = AnnouncementTexts {
            headline: "Gears Weekly 7".into(),
            ..AnnouncementTexts::default()
        };
        let a = announcement(&doc, &catalogue, &texts);
        assert_eq!(
            a.caption,
            "<b>Gears Weekly 7</b>\n\n<b>Community News</b>\n<i>Official</i>\n\
             • Release notes for the new gear\n<i>Walkthroughs</i>\n\
             • Oiling &lt;gears&gt; &amp; you by Ann\n• [video] Turning gears, a talk\n\n\
             <b>Merged This Week</b>\n• faster teeth"
        );
        validate(&a.caption).unwrap();
    }
}
