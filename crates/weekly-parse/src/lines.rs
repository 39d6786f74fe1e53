//! Splitting text into lines that keep their endings, and classifying each line.

use std::collections::HashSet;
use weekly_model::catalogue::SectionKey;
use weekly_model::inline;
use weekly_model::{Catalogue, NumberMarker, Numbering};

/// One line of the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// The whole line, ending included.
    pub raw: &'a str,
    /// The line without `\n` / `\r\n`.
    pub content: &'a str,
    /// 1-based line number.
    pub number: u32,
}

impl Line<'_> {
    pub fn is_blank(&self) -> bool {
        self.content.trim().is_empty()
    }
}

/// Splits `text` into lines; the last line may lack an ending.
pub(crate) fn split(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(text.len() / 40 + 1);
    let mut start = 0;
    let mut number = 1u32;
    let bytes = text.as_bytes();
    while start < bytes.len() {
        let end = memchr_newline(&bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
        let raw = &text[start..end];
        let content = raw
            .strip_suffix("\r\n")
            .or_else(|| raw.strip_suffix('\n'))
            .unwrap_or(raw);
        lines.push(Line {
            raw,
            content,
            number,
        });
        number = number.saturating_add(1);
        start = end;
    }
    lines
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// A fence marker (```` ``` ```` or `~~~`) opening or closing a code block.
pub(crate) fn fence(content: &str) -> Option<(char, usize)> {
    let indent = content.len() - content.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &content[indent..];
    let ch = rest.chars().next()?;
    if ch != '`' && ch != '~' {
        return None;
    }
    let run = rest.chars().take_while(|&c| c == ch).count();
    (run >= 3).then_some((ch, run))
}

/// True when `content` closes a code block opened by `open` (same character, at least as long,
/// nothing after it).
pub(crate) fn closes_fence(open: (char, usize), content: &str) -> bool {
    matches!(fence(content), Some((c, r)) if c == open.0 && r >= open.1)
        && content.trim().trim_start_matches(open.0).trim().is_empty()
}

/// What a line is, outside code blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Blank,
    /// `#`-heading with level and text.
    Atx(u8, String),
    /// `**…**` alone on a line whose text is a known section.
    BoldHeading(String),
    /// A link alone on a line whose text is a known section.
    BareLinkHeading(String),
    /// `N、title`, `N. title` or `① title`.
    Entry(u32, weekly_model::NumberMarker, String),
    /// `* text`, `- text`, `+ text` at any indent: an entry when its item holds a link and
    /// the format has bulleted entries.
    Bullet(String),
    Text,
}

pub(crate) fn classify(content: &str, catalogue: &Catalogue) -> Kind {
    if content.trim().is_empty() {
        return Kind::Blank;
    }
    if let Some(kind) = atx(content) {
        return kind;
    }
    let format = &catalogue.format;
    if let Some(kind) = entry_title(content)
        && allowed(&kind, &format.numbering)
    {
        return kind;
    }
    if format.bullets
        && let Some(text) = bullet(content)
    {
        return Kind::Bullet(text.to_owned());
    }
    let trimmed = content.trim();
    if let Some(inner) = trimmed
        .strip_prefix("**")
        .and_then(|t| t.strip_suffix("**"))
        && !inner.contains("**")
        && is_known_section(inner, catalogue)
    {
        return Kind::BoldHeading(inner.trim().to_owned());
    }
    if trimmed.starts_with('[') && trimmed.ends_with(')') {
        let links = inline::links(trimmed);
        if links.len() == 1
            && links[0].offset == 0
            && is_known_section(&links[0].text, catalogue)
            && inline::plain_text(trimmed) == inline::plain_text(&links[0].text)
        {
            return Kind::BareLinkHeading(trimmed.to_owned());
        }
    }
    Kind::Text
}

fn is_known_section(inline_text: &str, catalogue: &Catalogue) -> bool {
    catalogue.classify(&inline::plain_text(inline_text)) != SectionKey::other()
}

fn atx(content: &str) -> Option<Kind> {
    let hashes = content.chars().take_while(|&c| c == '#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &content[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some(Kind::Atx(hashes as u8, rest.trim().to_owned()))
}

const CIRCLED_1_20: u32 = 0x2460;
const CIRCLED_21_35: u32 = 0x3251;
const CIRCLED_36_50: u32 = 0x32B1;

/// The number a circled digit stands for (① = 1 … ㊿ = 50).
pub(crate) fn circled_value(c: char) -> Option<u32> {
    let code = c as u32;
    match code {
        0x2460..=0x2473 => Some(code - CIRCLED_1_20 + 1),
        0x3251..=0x325F => Some(code - CIRCLED_21_35 + 21),
        0x32B1..=0x32BF => Some(code - CIRCLED_36_50 + 36),
        _ => None,
    }
}

fn entry_title(content: &str) -> Option<Kind> {
    use weekly_model::NumberMarker;
    let first = content.chars().next()?;
    if let Some(value) = circled_value(first) {
        let title = content[first.len_utf8()..].trim();
        return Some(Kind::Entry(value, NumberMarker::Circled, title.to_owned()));
    }
    let digits = content.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let number: u32 = content[..digits].parse().ok()?;
    let rest = &content[digits..];
    if let Some(title) = rest.strip_prefix('、') {
        return Some(Kind::Entry(
            number,
            NumberMarker::Dunhao,
            title.trim().to_owned(),
        ));
    }
    let title = rest.strip_prefix('.')?;
    if title.starts_with([' ', '\t']) && !title.trim().is_empty() {
        return Some(Kind::Entry(
            number,
            NumberMarker::Dot,
            title.trim().to_owned(),
        ));
    }
    None
}

/// True when the format writes entries the way `kind` is numbered.
fn allowed(kind: &Kind, numbering: &[Numbering]) -> bool {
    let Kind::Entry(_, marker, _) = kind else {
        return true;
    };
    let wanted = match marker {
        NumberMarker::Dunhao => Numbering::Dunhao,
        NumberMarker::Dot => Numbering::Dot,
        NumberMarker::Circled => Numbering::Circled,
        NumberMarker::Bullet => return true,
    };
    numbering.contains(&wanted)
}

/// The text of a bullet item line (`  * text`), or `None` (a thematic break such as `* * *`
/// or `---` is not an item).
pub(crate) fn bullet(content: &str) -> Option<&str> {
    let trimmed = content.trim_start_matches([' ', '\t']);
    let marker = trimmed.chars().next()?;
    if !matches!(marker, '*' | '-' | '+') {
        return None;
    }
    let rest = &trimmed[1..];
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    if trimmed
        .chars()
        .all(|c| c == marker || c == ' ' || c == '\t')
    {
        return None;
    }
    let text = rest.trim();
    (!text.is_empty()).then_some(text)
}

/// The labels of the link reference definitions (`[id]: url`) of the body, lower-cased.
pub(crate) fn definitions(body: &[Line<'_>], kinds: &[Kind]) -> HashSet<String> {
    body.iter()
        .zip(kinds)
        .filter(|(_, k)| matches!(k, Kind::Text))
        .filter_map(|(l, _)| definition_label(l.content))
        .collect()
}

fn definition_label(content: &str) -> Option<String> {
    let t = content.trim_start();
    if content.len() - t.len() > 3 {
        return None;
    }
    let rest = t.strip_prefix('[')?;
    let (label, after) = rest.split_once("]:")?;
    (!label.trim().is_empty() && !after.trim().is_empty() && !label.contains(']'))
        .then(|| fold_label(label))
}

fn fold_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// True when the bullet item starting at `body[index]` holds a link in its text, its
/// continuation lines included: inline `[t](u)`, `<https://…>`, or a reference `[t][id]`,
/// `[t][]` or `[t]` whose label is defined.
pub(crate) fn item_has_link(
    body: &[Line<'_>],
    kinds: &[Kind],
    index: usize,
    definitions: &HashSet<String>,
) -> bool {
    let mut end = index + 1;
    while end < body.len() && matches!(kinds[end], Kind::Text) && !body[end].is_blank() {
        end += 1;
    }
    let text: Vec<&str> = body[index..end].iter().map(|l| l.content).collect();
    let text = text.join("\n");
    has_link(&text, definitions)
}

pub(crate) fn has_link(text: &str, definitions: &HashSet<String>) -> bool {
    if !inline::links(text).is_empty() || text.contains("<http://") || text.contains("<https://") {
        return true;
    }
    // Reference links: `[text][label]`, `[text][]`, `[text]`.
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else {
            break;
        };
        let label = &after[..close];
        let tail = &after[close + 1..];
        if let Some(inner) = tail.strip_prefix('[')
            && let Some(end) = inner.find(']')
        {
            let id = &inner[..end];
            let id = if id.trim().is_empty() { label } else { id };
            if definitions.contains(&fold_label(id)) {
                return true;
            }
        } else if !tail.starts_with('(')
            && !label.trim().is_empty()
            && definitions.contains(&fold_label(label))
        {
            return true;
        }
        rest = &after[close + 1..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use weekly_model::NumberMarker;

    #[test]
    fn splits_keeping_endings() {
        let lines = split("a\r\nb\n\nc");
        let raws: Vec<&str> = lines.iter().map(|l| l.raw).collect();
        assert_eq!(raws, ["a\r\n", "b\n", "\n", "c"]);
        assert_eq!(lines[0].content, "a");
        assert_eq!(lines[3].number, 4);
    }

    #[test]
    fn classifies_entry_lines() {
        let c = Catalogue::python_weekly();
        assert_eq!(
            classify("12、[标题](u)", &c),
            Kind::Entry(12, NumberMarker::Dunhao, "[标题](u)".into())
        );
        assert_eq!(
            classify("1、 [t](u) (英)", &c),
            Kind::Entry(1, NumberMarker::Dunhao, "[t](u) (英)".into())
        );
        assert_eq!(
            classify("7.  [t](u)", &c),
            Kind::Entry(7, NumberMarker::Dot, "[t](u)".into())
        );
        assert_eq!(classify("3.12 的最终版本", &c), Kind::Text);
        assert_eq!(classify("2023 年 PyCascades", &c), Kind::Text);
        assert_eq!(
            classify("⑫ 标题", &c),
            Kind::Entry(12, NumberMarker::Circled, "标题".into())
        );
        assert_eq!(
            classify("㉑ 标题", &c),
            Kind::Entry(21, NumberMarker::Circled, "标题".into())
        );
    }

    #[test]
    fn classifies_headings() {
        let c = Catalogue::python_weekly();
        assert_eq!(
            classify("## 🦄文章&教程", &c),
            Kind::Atx(2, "🦄文章&教程".into())
        );
        assert_eq!(classify("#hashtag", &c), Kind::Text);
        assert!(matches!(
            classify("**[🦄文章&教程](https://x)**", &c),
            Kind::BoldHeading(_)
        ));
        assert_eq!(classify("**微信关注 Python猫**：[a](b)", &c), Kind::Text);
        assert!(matches!(
            classify("[🦄Articles & Tutorials](https://x)", &c),
            Kind::BareLinkHeading(_)
        ));
        assert_eq!(classify("[#59：Polars 1.0](https://x)", &c), Kind::Text);
    }

    #[test]
    fn fences() {
        assert_eq!(fence("```python"), Some(('`', 3)));
        assert_eq!(fence("   ~~~~"), Some(('~', 4)));
        assert_eq!(fence("    ```"), None);
        assert_eq!(fence("``"), None);
        assert!(closes_fence(('`', 3), "````"));
        assert!(!closes_fence(('`', 3), "```rust"));
        assert!(!closes_fence(('`', 4), "```"));
    }
}
