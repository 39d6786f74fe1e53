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
        .url_schemes(["http", "https", "mailto"].into_iter().collect());
    builder
});

/// Block Markdown (paragraphs, lists, images…) to safe HTML.
pub fn block(markdown: &str) -> String {
    if markdown.contains('<') {
        SANITIZER
            .clean(&comrak::markdown_to_html(markdown, &RAW))
            .to_string()
    } else {
        comrak::markdown_to_html(markdown, &SAFE)
    }
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
