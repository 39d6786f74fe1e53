//! What a candidate's HTML page is about, without a parser: its title (`og:title`, else
//! `<title>`) and its main text (the article or main element, else the body, without
//! navigation and other noise), cut to a length.

/// Elements whose content is never the page's text.
const NOISE: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "svg",
];

/// Finds `needle` (ASCII, lower case) in `hay` ignoring ASCII case, from byte `from`.
fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let bytes = hay.as_bytes();
    let n = needle.as_bytes();
    (from..=bytes.len().saturating_sub(n.len()))
        .find(|&i| bytes[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The page's title: `og:title`, else `<title>`.
pub fn page_title(html: &str) -> String {
    let head = &html[..find_ci(html, "</head", 0).unwrap_or(html.len())];
    let mut at = 0;
    while let Some(i) = find_ci(head, "<meta", at) {
        let end = head[i..].find('>').map_or(head.len(), |e| i + e);
        let tag = &head[i..end];
        at = end;
        if find_ci(tag, "og:title", 0).is_some()
            && let Some(c) = find_ci(tag, "content=", 0)
        {
            let value = &tag[c + 8..];
            let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'');
            let value = match quote {
                Some(q) => value[1..].split(q).next().unwrap_or(""),
                None => value.split_whitespace().next().unwrap_or(""),
            };
            let title = crate::text::plain(value, 300);
            if !title.is_empty() {
                return title;
            }
        }
    }
    find_ci(head, "<title", 0)
        .and_then(|i| head[i..].find('>').map(|e| i + e + 1))
        .map(|start| {
            let end = find_ci(head, "</title", start).unwrap_or(head.len());
            crate::text::plain(&head[start..end], 300)
        })
        .unwrap_or_default()
}

/// The main text of a page as plain text of at most `max_chars`: the `<article>` (else the
/// `<main>`, else the `<body>`) without scripts, styles, navigation, headers and footers.
pub fn main_text(html: &str, max_chars: usize) -> String {
    let region = ["article", "main", "body"]
        .iter()
        .find_map(|tag| {
            let open = find_ci(html, &format!("<{tag}"), 0)?;
            let start = open + html[open..].find('>')? + 1;
            let end = find_ci(html, &format!("</{tag}"), start).unwrap_or(html.len());
            Some(&html[start..end])
        })
        .unwrap_or(html);
    let mut kept = String::with_capacity(region.len().min(1 << 20));
    let mut rest = region;
    'outer: while !rest.is_empty() {
        let next = NOISE
            .iter()
            .filter_map(|tag| find_ci(rest, &format!("<{tag}"), 0).map(|i| (i, *tag)))
            .filter(|(i, tag)| {
                // `<header` must not match `<headers…` of another name, nor `<s` match `<style`.
                rest[i + 1 + tag.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == '>' || c.is_whitespace() || c == '/')
            })
            .min_by_key(|(i, _)| *i);
        match next {
            None => {
                kept.push_str(rest);
                break 'outer;
            }
            Some((i, tag)) => {
                kept.push_str(&rest[..i]);
                kept.push(' ');
                let close = format!("</{tag}");
                rest = match find_ci(rest, &close, i) {
                    Some(c) => rest[c..].find('>').map_or("", |e| &rest[c + e + 1..]),
                    None => "",
                };
            }
        }
    }
    crate::text::plain(&kept, max_chars)
}
