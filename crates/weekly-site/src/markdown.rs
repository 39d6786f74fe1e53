//! Markdown of entries and texts to HTML that is safe to put in a page.
//!
//! comrak renders with raw HTML left out and `javascript:`-like URLs dropped (its safe mode).
//! Text that holds a `<` goes through the second path instead: comrak keeps the raw HTML and
//! ammonia's allow-list sanitizer removes scripts, event handlers and unsafe URLs from it.

use comrak::Options;
use std::sync::LazyLock;

fn options(raw_html: bool) -> Options<'static> {
    let mut options = Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.cjk_friendly_emphasis = true;
    options.render.r#unsafe = raw_html;
    options
}

static SAFE: LazyLock<Options<'static>> = LazyLock::new(|| options(false));
static RAW: LazyLock<Options<'static>> = LazyLock::new(|| options(true));

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .add_allowed_classes("code", crate::highlight::CLASSES);
    builder
});

/// Block Markdown (paragraphs, lists, images…) to safe HTML.
/// Images load when they come near the screen and are decoded off the main thread; code
/// blocks are coloured (see [`crate::highlight`]).
pub fn block(markdown: &str) -> String {
    if let Some(html) = simple_markdown(markdown) {
        return html;
    }
    let escaped = escape_dunders(markdown);
    let markdown = escaped.as_ref();
    let html = if markdown.contains('<') {
        SANITIZER
            .clean(&comrak::markdown_to_html(markdown, &RAW))
            .to_string()
    } else {
        comrak::markdown_to_html(markdown, &SAFE)
    };
    let html = crate::highlight::code_blocks(&html).unwrap_or(html);
    // Sanitized HTML: `<img ` starts an image tag and nothing else (a `<` of text is `&lt;`),
    // and the sanitizer dropped any `loading` or `decoding` of the source.
    if html.contains("<img ") {
        html.replace("<img ", "<img loading=\"lazy\" decoding=\"async\" ")
    } else {
        html
    }
}

/// What comrak makes of simple text, made without parsing: paragraphs and `#` headings of one
/// line each, separated by one blank line, of plain text and inline links `[text](https://…)`
/// (the links-only editions are such text, as are most entry bodies and titles) — the text
/// holding no character that can start Markdown syntax, an autolink (`://`, `www.`, `@`) or
/// an entity, the destination being an `http(s)://` URL of characters comrak writes as they
/// are. `None` for anything else. The tests
/// `plain_text_renders_as_comrak_renders_it` and `links_render_as_comrak_renders_them` hold it
/// to comrak.
fn simple_markdown(markdown: &str) -> Option<String> {
    if markdown.is_empty() {
        return None;
    }
    let markdown = markdown.strip_suffix('\n').unwrap_or(markdown);
    let mut html = String::with_capacity(markdown.len() + 32);
    for block in markdown.split("\n\n") {
        if block.ends_with(char::is_whitespace) || block.contains('\n') {
            return None;
        }
        // `# heading` (one to six `#`, one space, no `#` in the text), or a paragraph.
        let hashes = block.bytes().take_while(|&b| b == b'#').count();
        let (tag, paragraph) = match hashes {
            0 => ("p", block),
            1..=6 => {
                let text = block[hashes..].strip_prefix(' ')?;
                if text.contains('#') {
                    return None;
                }
                (["h1", "h2", "h3", "h4", "h5", "h6"][hashes - 1], text)
            }
            _ => return None,
        };
        let first = paragraph.chars().next()?;
        let digits = paragraph.bytes().take_while(u8::is_ascii_digit).count();
        if (first.is_ascii_punctuation() && first != '[')
            || first.is_whitespace()
            || (digits > 0 && matches!(paragraph.as_bytes().get(digits), None | Some(b'.' | b')')))
        {
            return None;
        }
        html.push('<');
        html.push_str(tag);
        html.push('>');
        let mut rest = paragraph;
        while !rest.is_empty() {
            let cut = rest.find('[').unwrap_or(rest.len());
            plain_text(&rest[..cut], &mut html)?;
            rest = &rest[cut..];
            if rest.is_empty() {
                break;
            }
            // `[text](destination)`, or no shortcut.
            let close = rest.find(']')?;
            let text = &rest[1..close];
            let after = rest[close + 1..].strip_prefix('(')?;
            let end = after.find(')')?;
            let destination = &after[..end];
            if text.is_empty() || !plain_url(destination) {
                return None;
            }
            html.push_str("<a href=\"");
            html.push_str(destination);
            html.push_str("\">");
            plain_text(text, &mut html)?;
            html.push_str("</a>");
            rest = &after[end + 1..];
        }
        html.push_str("</");
        html.push_str(tag);
        html.push_str(">\n");
    }
    Some(html)
}

/// Appends `text` as comrak writes it when it holds no syntax, in one pass (else `None`, with
/// part of it appended: the caller drops `html` then). An `&` that cannot start an entity (not
/// followed by a letter, digit or `#`) is text; `://` and `www.` would start an autolink.
fn plain_text(text: &str, html: &mut String) -> Option<()> {
    for (at, c) in text.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '<' | '~' | '|' | '@' | '\r' | '\t'
            | '\0' => {
                return None;
            }
            ':' if text[at + 1..].starts_with("//") => return None,
            '.' if text[..at].ends_with("www") => return None,
            '"' => html.push_str("&quot;"),
            '>' => html.push_str("&gt;"),
            '&' => match text[at + 1..].chars().next() {
                Some(next) if next.is_ascii_alphanumeric() || next == '#' => return None,
                _ => html.push_str("&amp;"),
            },
            _ => html.push(c),
        }
    }
    Some(())
}

/// An `http(s)://` URL of the characters comrak writes into `href` as they are (no `(`, so
/// the destination ends at the first `)`).
fn plain_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.+!*),#@?=;:/$~".contains(&b))
}

/// Python's double-underscore names that read as names even alone (`__init__`, `__main__`).
const DUNDERS: &[&str] = &[
    "init",
    "main",
    "name",
    "dict",
    "slots",
    "all",
    "call",
    "repr",
    "str",
    "new",
    "del",
    "enter",
    "exit",
    "aenter",
    "aexit",
    "getattr",
    "getattribute",
    "setattr",
    "getitem",
    "setitem",
    "iter",
    "next",
    "len",
    "eq",
    "hash",
    "post_init",
    "future",
    "file",
    "class",
    "doc",
    "version",
    "annotations",
    "builtins",
    "pycache",
    "set_name",
    "init_subclass",
];

/// `markdown` with the underscores of Python's `__names__` escaped, so that `__init__.py`
/// reads as written instead of a bold "init.py": a `__name__` followed by `.` or `(`, after
/// a `.`, or one of [`DUNDERS`]; not inside code (backticks, fences, indented lines) and not
/// inside a URL (after a `/`).
pub fn escape_dunders(markdown: &str) -> std::borrow::Cow<'_, str> {
    if !markdown.contains("__") {
        return std::borrow::Cow::Borrowed(markdown);
    }
    let mut out = String::with_capacity(markdown.len() + 16);
    let mut fenced = false;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        }
        if fenced || line.starts_with("    ") || line.starts_with('\t') || !line.contains("__") {
            out.push_str(line);
            continue;
        }
        let mut in_code = false;
        let mut rest = line;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('`') {
                in_code = !in_code;
                out.push('`');
                rest = after;
                continue;
            }
            if !in_code && let Some(after) = rest.strip_prefix("__") {
                let name_len = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                let word = &after[..name_len];
                let before = out.chars().last();
                let opens = before.is_none_or(|c| {
                    c.is_whitespace() || matches!(c, '.' | '(' | '[' | '"' | '\'') || !c.is_ascii()
                });
                if let Some(name) = word
                    .strip_suffix("__")
                    .filter(|n| !n.is_empty() && !n.starts_with('_') && !n.ends_with('_'))
                    && opens
                {
                    let next = after[name_len..].chars().next();
                    let named = DUNDERS.contains(&name)
                        || matches!(next, Some('.' | '('))
                        || before == Some('.');
                    if named {
                        out.push_str("\\_\\_");
                        out.push_str(name);
                        out.push_str("\\_\\_");
                        rest = &after[name_len..];
                        continue;
                    }
                }
            }
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One line of inline Markdown (a title) to safe HTML without the paragraph around it.
pub fn inline(markdown: &str) -> String {
    let html = block(markdown.trim());
    let html = html.trim_end();
    match html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => html.to_owned(),
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_dunder_names_read_as_written() {
        assert_eq!(
            inline("[别再写空的 __init__.py 了](https://e.example/__init__.py)"),
            "<a href=\"https://e.example/__init__.py\">别再写空的 __init__.py 了</a>"
        );
        assert_eq!(
            inline("if __name__ == \"__main__\": and obj.__dict__, __post_init__()"),
            "if __name__ == &quot;__main__&quot;: and obj.__dict__, __post_init__()"
        );
        // Code and URLs are left alone, and so is bold written with underscores.
        assert_eq!(inline("`__init__.py`"), "<code>__init__.py</code>");
        assert_eq!(inline("__very__ good"), "<strong>very</strong> good");
        assert!(
            block("https://e.example/a/__init__.py\n")
                .contains("href=\"https://e.example/a/__init__.py\"")
        );
        assert!(block("```\n__init__.py\n```\n").contains("__init__.py"));
    }

    /// The shortcut's HTML of `text`, held to comrak's, or `None` when it does not take it.
    fn checked(text: &str) -> Option<String> {
        let fast = simple_markdown(text)?;
        assert_eq!(fast, comrak::markdown_to_html(text, &SAFE), "{text:?}");
        Some(fast)
    }

    #[test]
    fn images_load_lazily_and_the_source_cannot_say_otherwise() {
        let html = block("![cat](https://x.org/c.png)");
        assert!(
            html.contains(r#"<img loading="lazy" decoding="async" src="https://x.org/c.png""#),
            "{html}"
        );
        let html = block(r#"<img src="https://x.org/c.png" loading="eager" alt="">"#);
        assert_eq!(html.matches("loading=").count(), 1, "{html}");
        assert!(html.contains(r#"loading="lazy""#), "{html}");
        assert!(!block("a &lt;img b").contains("loading"));
    }

    #[test]
    fn no_script_from_content_reaches_html() {
        for evil in [
            "<script>alert(1)</script>",
            "hi <img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "![x](javascript:alert(1))",
            "<svg onload=alert(1)>",
        ] {
            let html = block(evil);
            let lower = html.to_lowercase();
            assert!(!lower.contains("<script"), "{evil} → {html}");
            assert!(!lower.contains("javascript:"), "{evil} → {html}");
            assert!(!lower.contains("onerror"), "{evil} → {html}");
            assert!(!lower.contains("onload"), "{evil} → {html}");
            assert!(!lower.contains("<iframe"), "{evil} → {html}");
        }
    }

    #[test]
    fn plain_text_renders_as_comrak_renders_it() {
        // Random texts over an alphabet of Markdown syntax, CJK, spaces and line breaks: every
        // one the shortcut takes must come out as comrak makes it.
        let alphabet: Vec<char> =
            "ab Z9.#->+=\"'\\`*_[]()!<&~|@:w/\n\n\n异步，。（）\u{3000}\t%$^{}"
                .chars()
                .collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut taken = 0;
        for _ in 0..30_000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for i in 0..(seed % 24) {
                let pick = seed.rotate_left(i as u32 * 5) as usize;
                // Mostly letters, so that a good share of the texts is plain.
                let c = if pick.is_multiple_of(3) {
                    alphabet[(pick / 3) % alphabet.len()]
                } else {
                    ['a', '异', ' ', 'b', '，', 'Z', '"', '>', '.'][(pick / 3) % 9]
                };
                text.push(c);
            }
            if checked(&text).is_some() {
                taken += 1;
            }
        }
        assert!(taken > 1000, "only {taken} texts took the shortcut");
        assert_eq!(
            simple_markdown("a\n\nb \"c\" > d").unwrap(),
            "<p>a</p>\n<p>b &quot;c&quot; &gt; d</p>\n"
        );
        assert_eq!(simple_markdown("see https://a.example"), None);
    }

    #[test]
    fn colons_without_a_scheme_render_as_comrak_renders_them() {
        // Texts made of pieces around autolink schemes: whatever the shortcut takes must come
        // out as comrak makes it, and it must take the colons of ordinary prose.
        let pieces = [
            "http",
            "https",
            "ftp",
            "mailto",
            "xmpp",
            "www",
            "://",
            ":",
            "::",
            ":/",
            "//",
            ".",
            "a",
            "Python 3.14",
            "异步",
            "：",
            " ",
            "\n",
            "\n\n",
            "example",
            "com",
            "/",
            "-",
            "x:",
            "\"",
            ">",
            "#",
            "1",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut taken = 0;
        for _ in 0..30_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let text: String = (0..seed % 12)
                .map(|i| pieces[(seed.rotate_left(i as u32 * 6) as usize) % pieces.len()])
                .collect();
            if checked(&text).is_some() {
                taken += 1;
            }
        }
        assert!(taken > 1000, "only {taken} texts took the shortcut");
        assert!(simple_markdown("Python 3.14: t-string 来了").is_some());
        assert_eq!(simple_markdown("see http://a.example"), None);
    }

    #[test]
    fn links_render_as_comrak_renders_them() {
        // Texts made of pieces of links, URLs and their look-alikes: whatever the shortcut
        // takes must come out as comrak makes it, and it must take ordinary links.
        let pieces = [
            "[",
            "]",
            "(",
            ")",
            "](",
            "[a](",
            "https://a.example/x",
            "http://b.test/",
            "https://",
            "javascript:alert(1)",
            "www.",
            "mailto:",
            "%20",
            "&",
            "'",
            "\"",
            "<",
            ">",
            "异步",
            "：",
            ":",
            " ",
            "\n",
            "\n\n",
            "!",
            "*",
            "_",
            "`",
            "#",
            "?q=1",
            "a",
            "Rust",
            "-",
            "1. ",
            "@",
            "\\",
            ")(",
            "[]",
            "//",
            "é",
            "# ",
            "## ",
            "###### ",
            "####### ",
            "#a",
            "、",
            "1)",
            "12、",
            "1.",
            "&amp;",
            "&#",
            "& ",
            "&",
        ];
        let urls = [
            "https://a.example/x",
            "http://b.test/",
            "https://",
            "https://a.example/(x",
            "https://a.example/a_b*c!d,e;f=g@h$i~j+k#l?m:n",
            "javascript:alert(1)",
            "https://a.example/%E5",
            "https://a.example/x&y=1",
            "www.a.example",
            "https://a.example/x y",
            "https://a.example/x'",
            "HTTPS://A.EXAMPLE",
            "https://a.example/é",
            "https://a.example/x\\y",
            "",
        ];
        let mut seed: u64 = 0x2f6b_1d3a_9c85_e047;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut taken = 0;
        let mut linked = 0;
        for _ in 0..200_000 {
            let mut text = String::new();
            for _ in 0..next() % 6 {
                let roll = next();
                let piece = |r: u64| pieces[(r as usize) % pieces.len()];
                match roll % 3 {
                    // A link: text pieces in brackets, a URL (mostly a good one) in parentheses.
                    0 => {
                        text.push('[');
                        for _ in 0..roll % 3 {
                            text.push_str(
                                ["a", "异步", " ", "Rust 1.0", "\"", ">"][(next() % 6) as usize],
                            );
                        }
                        if next() % 9 == 0 {
                            text.push_str(piece(next()));
                        }
                        text.push_str("](");
                        let r = next();
                        text.push_str(
                            urls[if r % 2 == 0 {
                                0
                            } else {
                                (r as usize / 2) % urls.len()
                            }],
                        );
                        text.push(')');
                    }
                    _ => text.push_str(piece(roll / 3)),
                }
            }
            if let Some(fast) = checked(&text) {
                taken += 1;
                linked += usize::from(fast.contains("<a "));
            }
        }
        assert!(
            taken > 4000 && linked > 500,
            "{taken} texts, {linked} with links"
        );
        assert_eq!(
            simple_markdown("见[异步编程](https://a.example/x?q=1#y)（英文）").unwrap(),
            "<p>见<a href=\"https://a.example/x?q=1#y\">异步编程</a>（英文）</p>\n"
        );
        assert_eq!(
            simple_markdown("## 文章&教程\n\n1、[a](https://a.example/)\n").unwrap(),
            "<h2>文章&amp;教程</h2>\n<p>1、<a href=\"https://a.example/\">a</a></p>\n"
        );
        assert_eq!(simple_markdown("1. [a](https://a.example/)"), None);
        assert_eq!(simple_markdown("[x](javascript:alert(1))"), None);
        assert_eq!(simple_markdown("[x](https://a.example/%E5)"), None);
    }

    #[test]
    fn renders_links_emphasis_and_cjk_emphasis() {
        assert_eq!(
            inline("[异步编程](https://a.example/x)（英文）"),
            "<a href=\"https://a.example/x\">异步编程</a>（英文）"
        );
        assert!(block("**重要。**但是").contains("<strong>重要。</strong>但是"));
        assert!(block("a <b>bold</b> word").contains("<b>bold</b>"));
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
