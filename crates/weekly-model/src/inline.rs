//! Reading inline Markdown as written in issues: links, images, star notes, attachments.
//!
//! These scanners are total (they never panic and accept any text) and understand what the
//! real archive contains: brackets inside link text (`[[吐槽] conda](u)`), balanced parentheses
//! inside URLs, escapes (`\[`, `\_`), and full-width parentheses nested inside `（附：…）`.

/// A Markdown link `[text](url)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// Link text as written (inline Markdown).
    pub text: String,
    /// Destination as written, without angle brackets or title.
    pub url: String,
    /// Byte offset of the opening `[` in the scanned text.
    pub offset: usize,
    /// Byte offset just after the closing `)`.
    pub end: usize,
}

impl Link {
    /// Byte range of the link text (between the brackets) in the scanned text.
    pub fn text_range(&self) -> std::ops::Range<usize> {
        self.offset + 1..self.offset + 1 + self.text.len()
    }
}

/// A Markdown image `![alt](url)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Image {
    /// Alternative text (may be empty).
    pub alt: String,
    /// Image URL.
    pub url: String,
}

/// A GitHub star note such as `（star 2.7K）`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StarNote {
    /// Approximate star count (`2.7K` → 2700).
    pub stars: u32,
    /// Byte range of the note in the scanned text.
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
}

/// An attached note `（附：…）`, possibly holding links.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attachment {
    /// The inner text after `附` (label included, e.g. `：…`, `1：…`, `一篇[…](…)`).
    pub text: String,
    /// Links inside the note.
    pub links: Vec<Link>,
}

/// Scans `text` for links and images. Images are returned separately; reference-style links
/// are not used in the archive and are not recognised.
pub fn links_and_images(text: &str) -> (Vec<Link>, Vec<Image>) {
    let bytes = text.as_bytes();
    let mut links = Vec::new();
    let mut images = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => i = skip_code_span(bytes, i),
            b'[' => {
                if let Some((text_end, url_start, url_end, next)) = link_at(bytes, i) {
                    let is_image = i > 0 && bytes[i - 1] == b'!' && !is_escaped(bytes, i - 1);
                    let inner = &text[i + 1..text_end];
                    let url = clean_destination(&text[url_start..url_end]);
                    if is_image {
                        images.push(Image {
                            alt: inner.to_owned(),
                            url,
                        });
                    } else {
                        links.push(Link {
                            text: inner.to_owned(),
                            url,
                            offset: i,
                            end: next,
                        });
                        // Links nested in link text (a linked image inside a link) are rare;
                        // continue after the whole link.
                    }
                    i = next;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    (links, images)
}

/// Links in `text` (images excluded).
pub fn links(text: &str) -> Vec<Link> {
    links_and_images(text).0
}

fn is_escaped(bytes: &[u8], at: usize) -> bool {
    let mut backslashes = 0;
    let mut j = at;
    while j > 0 && bytes[j - 1] == b'\\' {
        backslashes += 1;
        j -= 1;
    }
    backslashes % 2 == 1
}

fn skip_code_span(bytes: &[u8], start: usize) -> usize {
    let mut run = 0;
    while start + run < bytes.len() && bytes[start + run] == b'`' {
        run += 1;
    }
    let mut j = start + run;
    while j < bytes.len() {
        if bytes[j] == b'`' {
            let mut k = 0;
            while j + k < bytes.len() && bytes[j + k] == b'`' {
                k += 1;
            }
            if k == run {
                return j + k;
            }
            j += k;
        } else {
            j += 1;
        }
    }
    // Unclosed: the backticks are literal.
    start + run
}

/// If a link starts at `open` (`[`), returns (end of text, url start, url end, index after `)`).
fn link_at(bytes: &[u8], open: usize) -> Option<(usize, usize, usize, usize)> {
    let mut depth = 0usize;
    let mut j = open;
    let text_end = loop {
        match *bytes.get(j)? {
            b'\\' => j += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break j;
                }
            }
            b'\n' if bytes.get(j + 1) == Some(&b'\n') => return None,
            _ => {}
        }
        j += 1;
    };
    if bytes.get(text_end + 1) != Some(&b'(') {
        return None;
    }
    let url_start = text_end + 2;
    let mut depth = 1usize;
    let mut k = url_start;
    loop {
        match *bytes.get(k)? {
            b'\\' => k += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some((text_end, url_start, k, k + 1));
                }
            }
            b'\n' => return None,
            _ => {}
        }
        k += 1;
    }
}

fn clean_destination(raw: &str) -> String {
    let raw = raw.trim();
    let raw = raw
        .strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(raw);
    // Drop an optional title: `url "title"`.
    match raw.find(" \"") {
        Some(pos) if raw.ends_with('"') => raw[..pos].trim().to_owned(),
        _ => raw.to_owned(),
    }
}

/// Text of inline Markdown with link syntax, images, emphasis markers and escapes removed
/// (`[a](u)[b](v)` → `ab`, `**x**` → `x`, `\_` → `_`).
pub fn plain_text(text: &str) -> String {
    strip_emphasis(&plain_text_untrimmed(text))
        .trim()
        .to_owned()
}

/// Stands for an escaped `\*` until emphasis is taken out (a private-use character).
const LITERAL_STAR: char = '\u{e000}';

/// Takes out the `*` runs that open and close emphasis (`**bold**`, `*it*`), pairing an opener
/// (followed by a non-space) with the next closer of the same length (preceded by a non-space);
/// a `*` that closes nothing is text: `import *`, `*args, **kwargs`.
fn strip_emphasis(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Runs of `*`: (start, length).
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '*' {
            let start = i;
            while i < chars.len() && chars[i] == '*' {
                i += 1;
            }
            runs.push((start, i - start));
        } else {
            i += 1;
        }
    }
    let space = |c: Option<&char>| c.is_none_or(|c| c.is_whitespace());
    let mut drop = vec![false; chars.len()];
    let mut open: Vec<(usize, usize)> = Vec::new();
    for &(start, len) in &runs {
        let before = start.checked_sub(1).and_then(|b| chars.get(b));
        let after = chars.get(start + len);
        let closes = !space(before);
        let opens = !space(after);
        if closes && let Some(at) = open.iter().rposition(|&(_, l)| l == len) {
            let (o, _) = open[at];
            open.truncate(at);
            for k in (o..o + len).chain(start..start + len) {
                drop[k] = true;
            }
            continue;
        }
        if opens {
            open.push((start, len));
        }
    }
    chars
        .iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(&c, _)| if c == LITERAL_STAR { '*' } else { c })
        .collect()
}

fn plain_text_untrimmed(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut segment_start = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => i = skip_code_span(bytes, i),
            b'[' => {
                if let Some((text_end, _, _, next)) = link_at(bytes, i) {
                    let is_image = i > 0 && bytes[i - 1] == b'!' && !is_escaped(bytes, i - 1);
                    let segment_end = if is_image { i - 1 } else { i };
                    push_plain(&mut out, &text[segment_start..segment_end]);
                    if !is_image {
                        out.push_str(&plain_text_untrimmed(&text[i + 1..text_end]));
                    }
                    i = next;
                    segment_start = next;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    push_plain(&mut out, &text[segment_start.min(text.len())..]);
    out
}

fn push_plain(out: &mut String, segment: &str) {
    let mut chars = segment.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(&next) = chars.peek() {
                    if next.is_ascii_punctuation() {
                        out.push(if next == '*' { LITERAL_STAR } else { next });
                        chars.next();
                    } else {
                        out.push('\\');
                    }
                }
            }
            _ => out.push(c),
        }
    }
}

/// Rewrites the text of every link with `f` (`None` keeps it); everything else is kept byte for
/// byte.
pub fn map_link_texts(text: &str, mut f: impl FnMut(&Link) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for link in links(text) {
        if let Some(new_text) = f(&link) {
            let range = link.text_range();
            out.push_str(&text[last..range.start]);
            out.push_str(&new_text);
            last = range.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Inline Markdown with every link replaced by its text and every image removed; emphasis and
/// escapes are kept (`[shelve\.py](u)（英文）` → `shelve\.py（英文）`).
pub fn unlink(text: &str) -> String {
    let (links, _) = links_and_images(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for link in &links {
        out.push_str(&text[last..link.offset]);
        out.push_str(&link.text);
        last = link.end;
    }
    out.push_str(&text[last..]);
    remove_images(&out)
}

fn remove_images(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut start = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'!' if bytes.get(i + 1) == Some(&b'[') => {
                if let Some((_, _, _, next)) = link_at(bytes, i + 1) {
                    out.push_str(&text[start..i]);
                    i = next;
                    start = next;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[start.min(text.len())..]);
    out.trim().to_owned()
}

/// Finds star notes: `（star 2.7K）`, `（star 1.9k）`, `(star 2K)`, `（star 748）`,
/// `（Github 15K star）`, and the Japanese editions' `（スター数 21.7K）`.
pub fn star_notes(text: &str) -> Vec<StarNote> {
    let mut notes = Vec::new();
    for (start, open) in text.char_indices().filter(|(_, c)| *c == '（' || *c == '(') {
        let inner_start = start + open.len_utf8();
        let Some(close_rel) = text[inner_start..].find(['）', ')']) else {
            continue;
        };
        let inner = &text[inner_start..inner_start + close_rel];
        if inner.len() > 40 {
            continue;
        }
        let close_len = text[inner_start + close_rel..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        if let Some(stars) = parse_star_inner(inner) {
            notes.push(StarNote {
                stars,
                start,
                end: inner_start + close_rel + close_len,
            });
        }
    }
    notes
}

fn parse_star_inner(inner: &str) -> Option<u32> {
    let lower = inner.trim().to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let amount = match words.as_slice() {
        ["star" | "stars" | "スター数" | "スター", amount]
        | ["github", amount, "star" | "stars"]
        | [amount, "star" | "stars"] => *amount,
        _ => return None,
    };
    parse_amount(amount)
}

fn parse_amount(amount: &str) -> Option<u32> {
    let (digits, factor) = match amount.strip_suffix('k') {
        Some(d) => (d, 1000.0),
        None => (amount, 1.0),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    let stars = (value * factor).round();
    // Checked range: the cast cannot lose a sign or truncate.
    #[allow(clippy::cast_sign_loss)]
    (stars >= 0.0 && stars < f64::from(u32::MAX)).then_some(stars as u32)
}

/// Finds attached notes `（附…）`, balancing nested full-width parentheses.
pub fn attachments(text: &str) -> Vec<Attachment> {
    let mut out = Vec::new();
    let mut search_from = 0;
    while let Some(rel) = text[search_from..].find("（附") {
        let start = search_from + rel;
        let inner_start = start + "（附".len();
        let mut depth = 1usize;
        let mut end = None;
        for (i, c) in text[inner_start..].char_indices() {
            match c {
                '（' => depth += 1,
                '）' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(inner_start + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else { break };
        let inner = &text[inner_start..end];
        out.push(Attachment {
            text: inner.to_owned(),
            links: links(inner),
        });
        search_from = end + '）'.len_utf8();
    }
    out
}

/// Escapes text so it reads literally inside a Markdown link text.
pub fn escape_link_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Makes a URL safe inside `(…)` of a Markdown link: unbalanced parentheses and spaces are
/// percent-encoded.
pub fn escape_link_url(url: &str) -> String {
    let balanced = url.chars().fold(0i32, |d, c| match c {
        '(' => d + 1,
        ')' if d >= 0 => d - 1,
        _ => d,
    }) == 0;
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' if !balanced => out.push_str("%28"),
            ')' if !balanced => out.push_str("%29"),
            _ => out.push(c),
        }
    }
    out
}

/// True for a URL naming a file on the author's computer (`/Users/…`, `C:\\…`, `file:`), which
/// no reader can load.
pub fn is_local_file(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("file:")
        || lower.starts_with("/users/")
        || lower.starts_with("/home/")
        || lower.starts_with("~/")
        || lower.as_bytes().get(1..3) == Some(b":\\")
        || lower.as_bytes().get(1..3) == Some(b":/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_brackets_in_text() {
        let l = links("2、[[吐槽] conda 真难用](https://v2ex.com/t/1#reply88)");
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].text, "[吐槽] conda 真难用");
        assert_eq!(l[0].url, "https://v2ex.com/t/1#reply88");
    }

    #[test]
    fn parentheses_in_url_and_two_links() {
        let text = "[a：](https://x.org/How-to-(and-not)-design)[ b](http://y.org/)";
        let l = links(text);
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].url, "https://x.org/How-to-(and-not)-design");
        assert_eq!(plain_text(text), "a： b");
    }

    #[test]
    fn images_are_not_links() {
        let (l, i) = links_and_images("![图](https://img/x.png) and [t](u) \\[not](v)");
        assert_eq!(i.len(), 1);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].url, "u");
    }

    #[test]
    fn code_spans_hide_brackets() {
        assert!(links("`a[0](1)`").is_empty());
        assert_eq!(links("`unclosed [a](b)").len(), 1);
    }

    #[test]
    fn star_note_variants() {
        let values: Vec<u32> = [
            "描述（star 2.7K）",
            "x（star 1.9k）",
            "x (star 2K)",
            "x（star 748）",
            "x（Github 15K star）",
            "説明（スター数 21.7K）",
        ]
        .iter()
        .map(|t| star_notes(t)[0].stars)
        .collect();
        assert_eq!(values, [2700, 1900, 2000, 748, 15000, 21700]);
        assert!(star_notes("（starship 2K）").is_empty());
        assert!(star_notes("（附：star）").is_empty());
    }

    #[test]
    fn attachments_with_nested_parentheses() {
        let a =
            attachments("正文（附：[文章（上）](https://a.org/1)，另见（注））尾（附2：[b](c)）");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].text, "：[文章（上）](https://a.org/1)，另见（注）");
        assert_eq!(a[0].links[0].url, "https://a.org/1");
        assert_eq!(a[1].links[0].url, "c");
    }

    #[test]
    fn escapes_round_trip_through_scanner() {
        let text = format!(
            "[{}]({})",
            escape_link_text("a [b] c_d"),
            escape_link_url("https://x/(y")
        );
        let l = links(&text);
        assert_eq!(l.len(), 1);
        assert_eq!(plain_text(&l[0].text), "a [b] c_d");
        assert_eq!(l[0].url, "https://x/%28y");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "[",
            "](",
            "[a](",
            "![",
            "\\",
            "（附",
            "（star",
            "`",
            "[a]((b)",
            "（附（）",
        ] {
            let _ = links_and_images(t);
            let _ = plain_text(t);
            let _ = star_notes(t);
            let _ = attachments(t);
        }
    }

    #[test]
    fn unlink_keeps_text_and_escapes() {
        assert_eq!(
            unlink(r"[shelve\.py](https://a.org/x_(y))（英文）"),
            r"shelve\.py（英文）"
        );
        assert_eq!(unlink("![img](https://i.png) [a](u) 和 [b](v)"), "a 和 b");
        assert_eq!(unlink(r"no \![link](u)"), r"no \!link");
    }

    #[test]
    fn map_link_texts_touches_only_link_texts() {
        let text = "前[甲---A](https://x.org/a---b)中[乙](u)后";
        let out = map_link_texts(text, |l| {
            l.text.split_once("---").map(|(zh, _)| zh.to_owned())
        });
        assert_eq!(out, "前[甲](https://x.org/a---b)中[乙](u)后");
        let links = links(text);
        assert_eq!(
            &text[links[0].offset..links[0].end],
            "[甲---A](https://x.org/a---b)"
        );
    }

    #[test]
    fn a_star_that_closes_no_emphasis_is_text() {
        assert_eq!(plain_text("为何不用 “import *”"), "为何不用 “import *”");
        assert_eq!(
            plain_text("*args, **kwargs 的用法"),
            "*args, **kwargs 的用法"
        );
        assert_eq!(plain_text("**粗体** and *it*"), "粗体 and it");
        assert_eq!(plain_text("**[a](u)** b"), "a b");
        assert_eq!(plain_text(r"\*x\* 2 * 3"), "*x* 2 * 3");
    }
}
