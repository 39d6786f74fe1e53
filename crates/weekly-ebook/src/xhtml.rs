//! Sanitized HTML (from the site's Markdown renderer) made into well-formed XHTML for an EPUB:
//! void elements closed, HTML-only entities written as numbers, characters XML forbids
//! dropped, and what a book cannot hold replaced: a remote image becomes its alt text linked to
//! the image, a link to anything but the web or mail loses its target.

/// Elements that have no end tag in HTML.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// `html`, sanitized HTML, as XHTML. `image_label` introduces an image's alt text
/// (`图片` / `Image`).
pub fn to_xhtml(html: &str, image_label: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    let mut in_link = 0usize;
    while let Some(lt) = rest.find('<') {
        text(&mut out, &rest[..lt]);
        let tag_src = &rest[lt..];
        let Some(end) = tag_end(tag_src) else {
            // A `<` that starts no tag: text.
            text(&mut out, tag_src);
            return out;
        };
        let tag = &tag_src[..=end];
        rest = &tag_src[end + 1..];
        if tag.starts_with("<!--") || tag.starts_with("<!") || tag.starts_with("<?") {
            continue;
        }
        let parsed = Tag::parse(tag);
        if parsed.name.is_empty() || !parsed.name.chars().all(|c| c.is_ascii_alphanumeric()) {
            text(&mut out, tag);
            continue;
        }
        match parsed.name.as_str() {
            "a" if parsed.closing => {
                in_link = in_link.saturating_sub(1);
                out.push_str("</a>");
            }
            "a" => {
                in_link += 1;
                let linked = parsed.attrs.iter().any(|(k, v)| k == "href" && is_web(v));
                // Without a target, the attributes that only a link may carry (`rel`,
                // `target`, `download`…) go too: EPUB's schema refuses them on a bare `<a>`.
                let attrs: Vec<(String, String)> = parsed
                    .attrs
                    .into_iter()
                    .filter(|(k, _)| {
                        linked || matches!(k.as_str(), "id" | "class" | "title" | "lang" | "dir")
                    })
                    .filter(|(k, v)| k != "href" || is_web(v))
                    .map(|(k, v)| {
                        let v = if k == "href" { one_fragment(&v) } else { v };
                        (k, v)
                    })
                    .collect();
                write_tag(&mut out, "a", &attrs, false);
            }
            "img" => {
                let get = |k: &str| {
                    parsed
                        .attrs
                        .iter()
                        .find(|(n, _)| n == k)
                        .map_or("", |(_, v)| v.as_str())
                };
                let (src, alt) = (get("src"), get("alt").trim());
                let shown = if alt.is_empty() {
                    format!("[{image_label}]")
                } else {
                    format!("[{image_label}: {alt}]")
                };
                if in_link == 0 && is_web(src) {
                    write_tag(
                        &mut out,
                        "a",
                        &[
                            ("class".into(), "image-link".into()),
                            ("href".into(), one_fragment(src)),
                        ],
                        false,
                    );
                    text_escaped(&mut out, &shown);
                    out.push_str("</a>");
                } else {
                    out.push_str("<span class=\"image-link\">");
                    text_escaped(&mut out, &shown);
                    out.push_str("</span>");
                }
            }
            name if parsed.closing => {
                if !VOID.contains(&name) {
                    out.push_str("</");
                    out.push_str(&demoted(name));
                    out.push('>');
                }
            }
            name => {
                let name = &demoted(name);
                let attrs: Vec<(String, String)> = parsed
                    .attrs
                    .into_iter()
                    // Lazy loading means nothing in a book, and `loading` is not in EPUB's schema.
                    .filter(|(k, _)| k != "loading" && k != "decoding")
                    .collect();
                write_tag(
                    &mut out,
                    name,
                    &without_align(attrs),
                    VOID.contains(&name.as_str()),
                );
            }
        }
    }
    text(&mut out, rest);
    out
}

/// The text a reader sees of an XHTML (or HTML) document: its body without tags and
/// comments, entities decoded, a space where a tag was.
pub fn text_of(document: &str) -> String {
    let body = match document.find("<body") {
        Some(at) => &document[at..],
        None => document,
    };
    let mut out = String::with_capacity(body.len() / 2);
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode(&rest[..lt]));
        let tag = &rest[lt..];
        let Some(end) = tag_end(tag) else {
            out.push_str(&decode(tag));
            return out;
        };
        out.push(' ');
        rest = &tag[end + 1..];
    }
    out.push_str(&decode(rest));
    out
}

/// `align` (HTML 4, refused by EPUB 3's schema; Markdown tables write it on their cells) as
/// the style it stands for: `align="center"` → `style="text-align: center"`.
fn without_align(attrs: Vec<(String, String)>) -> Vec<(String, String)> {
    let Some(at) = attrs.iter().position(|(k, _)| k == "align") else {
        return attrs;
    };
    let mut attrs = attrs;
    let (_, value) = attrs.remove(at);
    let value = value.trim().to_ascii_lowercase();
    if !matches!(value.as_str(), "left" | "center" | "right" | "justify") {
        return attrs;
    }
    let rule = format!("text-align: {value}");
    match attrs.iter_mut().find(|(k, _)| k == "style") {
        Some((_, style)) => {
            let kept = style.trim().trim_end_matches(';');
            *style = if kept.is_empty() {
                rule
            } else {
                format!("{kept}; {rule}")
            };
        }
        None => attrs.push(("style".into(), rule)),
    }
    attrs
}

/// A URL with at most one `#`: a URL has one fragment, and a `#` inside it is `%23` (a link
/// such as `https://e.example/a#b#c` makes EPUB checkers refuse the book).
fn one_fragment(url: &str) -> String {
    match url.split_once('#') {
        Some((before, fragment)) if fragment.contains('#') => {
            format!("{before}#{}", fragment.replace('#', "%23"))
        }
        _ => url.to_owned(),
    }
}

/// Headings of the content go two levels down: a book's issue is `h1`, its sections `h2`.
fn demoted(name: &str) -> String {
    match name.strip_prefix('h').and_then(|n| n.parse::<u8>().ok()) {
        Some(level @ 1..=6) => format!("h{}", (level + 2).min(6)),
        _ => name.to_owned(),
    }
}

/// True for a link target a reader can open from a book: `mailto:`, or `http(s)://` with a
/// host name that is one (a mistyped `example.org**` is left unlinked).
fn is_web(url: &str) -> bool {
    let url = url.trim_start();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("mailto:") {
        return true;
    }
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || !h.starts_with('[') => (h, Some(p)),
        _ => (host_port, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') || !c.is_ascii())
        && !host.starts_with(['.', '-'])
        && !host.contains("..");
    host_ok && port.is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Index of the `>` that ends the tag at the start of `s`, quotes respected.
fn tag_end(s: &str) -> Option<usize> {
    if s.starts_with("<!--") {
        return s.find("-->").map(|i| i + 2);
    }
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn parse(tag: &str) -> Tag {
        let inner = tag[1..tag.len() - 1].trim_end_matches('/');
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, inner),
        };
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut s = inner[name_end..].trim_start();
        while !s.is_empty() {
            let key_end = s
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(s.len());
            let key = s[..key_end].to_ascii_lowercase();
            s = s[key_end..].trim_start();
            let value = if let Some(after) = s.strip_prefix('=') {
                let after = after.trim_start();
                let (value, rest) = if let Some(q @ ('"' | '\'')) = after.chars().next() {
                    let body = &after[1..];
                    let close = body.find(q).unwrap_or(body.len());
                    (&body[..close], body.get(close + 1..).unwrap_or(""))
                } else {
                    let e = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..e], &after[e..])
                };
                s = rest.trim_start();
                decode(value)
            } else {
                String::new()
            };
            let valid_name = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'));
            if valid_name && !attrs.iter().any(|(k, _)| *k == key) {
                attrs.push((key, value));
            }
        }
        Tag {
            name,
            closing,
            attrs,
        }
    }
}

fn write_tag(out: &mut String, name: &str, attrs: &[(String, String)], void: bool) {
    out.push('<');
    out.push_str(name);
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        for c in v.chars().filter(|&c| allowed(c)) {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push_str(if void { "/>" } else { ">" });
}

/// Text as written by an HTML serializer (entities in it) into XML text.
fn text(out: &mut String, s: &str) {
    text_escaped(out, &decode(s));
}

fn text_escaped(out: &mut String, s: &str) {
    for c in s.chars().filter(|&c| allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// Characters XML 1.0 allows.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

/// Decodes the entities an HTML serializer writes (named ones it uses, and numeric ones); any
/// other `&` stays as it is (and is escaped when written).
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let semi = after.find(';').filter(|&j| j <= 10);
        let decoded = semi.and_then(|j| {
            let name = &after[..j];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, j))
        });
        if let Some((c, j)) = decoded {
            out.push(c);
            rest = &after[j + 1..];
        } else {
            out.push('&');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn void_elements_are_closed_and_entities_are_xml() {
        assert_eq!(
            to_xhtml("<p>a<br>b&nbsp;c &amp; d</p><hr>", "图片"),
            "<p>a<br/>b\u{a0}c &amp; d</p><hr/>"
        );
        assert_eq!(to_xhtml("<p>x<br />y</p>", "图片"), "<p>x<br/>y</p>");
        assert_eq!(
            to_xhtml("<h1>a</h1><h5>b</h5><hr>", "图片"),
            "<h3>a</h3><h6>b</h6><hr/>"
        );
    }

    #[test]
    fn remote_images_become_links_and_local_links_lose_their_target() {
        let out = to_xhtml(
            "<p><img loading=\"lazy\" src=\"https://img.example/a.png\" alt=\"a &lt;chart&gt;\"> <a href=\"/zh/3/\" rel=\"noopener\">old</a> <a href=\"https://e.example/?a=1&amp;b=2\"><img src=\"https://img.example/b.png\"></a></p>",
            "Image",
        );
        assert_eq!(
            out,
            "<p><a class=\"image-link\" href=\"https://img.example/a.png\">[Image: a &lt;chart&gt;]</a> <a>old</a> <a href=\"https://e.example/?a=1&amp;b=2\"><span class=\"image-link\">[Image]</span></a></p>"
        );
    }

    #[test]
    fn a_link_that_loses_its_target_loses_the_attributes_of_links() {
        assert_eq!(
            to_xhtml(
                "<a href=\"javascript:alert(1)\" rel=\"nofollow\" target=\"_blank\" \
                 download=\"x\" title=\"t\">x</a><a rel=\"me\" href=\"https://e.example/\">y</a>",
                "Image"
            ),
            "<a title=\"t\">x</a><a rel=\"me\" href=\"https://e.example/\">y</a>"
        );
    }

    #[test]
    fn table_alignment_becomes_a_style_and_urls_have_one_fragment() {
        assert_eq!(
            to_xhtml(
                "<table><tr><th align=\"center\">a</th><td align=\"right\" style=\"color: red;\">b</td><td align=\"bogus\">c</td></tr></table>",
                "Image"
            ),
            "<table><tr><th style=\"text-align: center\">a</th><td style=\"color: red; text-align: right\">b</td><td>c</td></tr></table>"
        );
        assert_eq!(
            to_xhtml(
                "<a href=\"https://e.example/p#a#b\">x</a><img src=\"https://e.example/i.png#x#y\" alt=\"\">",
                "Image"
            ),
            "<a href=\"https://e.example/p#a%23b\">x</a><a class=\"image-link\" href=\"https://e.example/i.png#x%23y\">[Image]</a>"
        );
        assert_eq!(
            one_fragment("https://e.example/#top"),
            "https://e.example/#top"
        );
    }

    #[test]
    fn only_links_with_a_real_host_keep_their_target() {
        assert!(is_web("https://example.org/a"));
        assert!(is_web("http://localhost:8080/"));
        assert!(is_web("mailto:a@b.example"));
        assert!(is_web("https://例子.测试/"));
        assert!(!is_web("https://read.example%2A%2A/p/x"));
        assert!(!is_web("https://example.org:80x/"));
        assert!(!is_web("https:///path"));
        assert!(!is_web("javascript:alert(1)"));
        assert!(!is_web("/zh/3/"));
    }

    #[test]
    fn attribute_values_and_forbidden_characters_are_escaped() {
        let out = to_xhtml("<p title='a<b \"c\"'>x\u{0C}y</p><!-- note -->", "图片");
        assert_eq!(out, "<p title=\"a&lt;b &quot;c&quot;\">xy</p>");
        // A stray `<` is text.
        assert_eq!(to_xhtml("a < b", "图片"), "a &lt; b");
        assert_eq!(to_xhtml("a < b > c", "图片"), "a &lt; b &gt; c");
    }
}
