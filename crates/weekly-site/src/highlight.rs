//! Code blocks coloured when the site is built, with no script in the reader's browser: each
//! `<pre><code class="language-X">` block of sanitized HTML is tokenized by syntect (the
//! Sublime Text grammars it ships) and every token wrapped in `<span class="hl-…">` named after
//! its scopes (`hl-keyword hl-control`, `hl-string`…), which the stylesheet colours in light
//! and dark. The code is taken back from the HTML's escaped text and escaped again by syntect;
//! a block in a language syntect does not know, or holding an entity we do not decode, is left
//! as it was.

use std::sync::LazyLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The grammars, loaded on the first block (a build without code never loads them).
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

const OPEN: &str = "<pre><code class=\"language-";
const CLOSE: &str = "</code></pre>";

/// The languages whose `language-…` class the sanitizer keeps on `<code>` (raw HTML in an
/// entry goes through it; comrak's own output does not).
pub const CLASSES: &[&str] = &[
    "language-python",
    "language-py",
    "language-Python",
    "language-rust",
    "language-rs",
    "language-javascript",
    "language-js",
    "language-typescript",
    "language-ts",
    "language-bash",
    "language-sh",
    "language-shell",
    "language-json",
    "language-toml",
    "language-yaml",
    "language-yml",
    "language-sql",
    "language-go",
    "language-c",
    "language-cpp",
    "language-java",
    "language-html",
    "language-css",
    "language-diff",
];

/// `html` with its code blocks coloured, or `None` when there was nothing to colour.
pub fn code_blocks(html: &str) -> Option<String> {
    if !html.contains(OPEN) {
        return None;
    }
    let mut out = String::with_capacity(html.len() * 2);
    let mut rest = html;
    let mut coloured = false;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let Some(quote) = after.find("\">") else {
            break;
        };
        let lang = &after[..quote];
        let body = &after[quote + 2..];
        let Some(end) = body.find(CLOSE) else {
            break;
        };
        let code = &body[..end];
        out.push_str(&rest[..at]);
        out.push_str(OPEN);
        out.push_str(lang);
        out.push_str("\">");
        match unescape(code).and_then(|code| colour(lang, &code)) {
            Some(spans) => {
                out.push_str(&spans);
                coloured = true;
            }
            None => out.push_str(code),
        }
        out.push_str(CLOSE);
        rest = &body[end + CLOSE.len()..];
    }
    out.push_str(rest);
    coloured.then_some(out)
}

/// The spans of `code` in language `lang` (`None` for an unknown language).
fn colour(lang: &str, code: &str) -> Option<String> {
    if lang.is_empty()
        || !lang
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+#._-".contains(c))
    {
        return None;
    }
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes
        .find_syntax_by_token(lang)
        .or_else(|| syntaxes.find_syntax_by_token(&lang.to_ascii_lowercase()))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The text of escaped HTML, when it holds only the entities comrak and the sanitizer write.
fn unescape(html: &str) -> Option<String> {
    if !html.contains('&') {
        return Some(html.to_owned());
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let entity = &rest[at..];
        let (text, len) = [
            ("&amp;", "&"),
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&quot;", "\""),
            ("&#39;", "'"),
            ("&#x27;", "'"),
            ("&nbsp;", "\u{a0}"),
        ]
        .iter()
        .find(|(name, _)| entity.starts_with(name))
        .map(|(name, text)| (*text, name.len()))?;
        out.push_str(text);
        rest = &entity[len..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_is_coloured_and_stays_escaped() {
        let html = "<p>x</p>\n<pre><code class=\"language-python\">def f(a):\n    return a &lt; 2 and &quot;&lt;/code&gt;&quot;  # note\n</code></pre>\n<p>y</p>";
        let out = code_blocks(html).expect("coloured");
        assert!(out.starts_with("<p>x</p>\n<pre><code class=\"language-python\">"));
        assert!(out.ends_with("</code></pre>\n<p>y</p>"), "{out}");
        assert!(
            out.contains("<span class=\"hl-storage hl-type hl-function hl-python\">def</span>"),
            "{out}"
        );
        assert!(out.contains("hl-comment"), "{out}");
        assert!(out.contains("hl-string"), "{out}");
        // The text is the same once the tags are gone, and nothing unescaped came back.
        let text: String = {
            let mut inside = false;
            out.chars()
                .filter(|c| {
                    if *c == '<' {
                        inside = true;
                    }
                    let keep = !inside;
                    if *c == '>' {
                        inside = false;
                    }
                    keep
                })
                .collect()
        };
        assert!(
            text.contains("return a &lt; 2 and &quot;&lt;/code&gt;&quot;"),
            "{text}"
        );
        assert!(!out.contains("\"</code>\""));
    }

    #[test]
    fn unknown_languages_and_odd_entities_are_left_alone() {
        assert_eq!(code_blocks("<p>no code</p>"), None);
        let unknown = "<pre><code class=\"language-nosuchlang\">a &lt; b\n</code></pre>";
        assert_eq!(code_blocks(unknown), None);
        let entity = "<pre><code class=\"language-python\">a &#123; b\n</code></pre>";
        assert_eq!(code_blocks(entity), None);
        let odd = "<pre><code class=\"language-py&quot;x\">a\n</code></pre>";
        assert_eq!(code_blocks(odd), None);
    }

    #[test]
    fn the_language_name_is_found_in_any_case() {
        let html = "<pre><code class=\"language-Python\">import os\n</code></pre>";
        assert!(code_blocks(html).unwrap().contains("hl-keyword"));
    }
}
