//! An edition as HTML for the clipboard, for the editors of services without an API (Substack,
//! 小报童, 少数派, 知乎): the elements their rich-text editors keep (headings, paragraphs, lists,
//! bold and italic, links, images, code, quotes), nothing else — no class, no style, no span of
//! our code colouring, no lazy-loading attribute — so that a paste comes out as it reads.

use std::fmt::Write as _;

/// Where the paste goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Substack's editor (ProseMirror): headings 1–4.
    Substack,
    /// 小报童: headings 2–3.
    Xiaobot,
    /// 少数派's editor: headings 2–3.
    Sspai,
    /// 知乎's editor: headings 2–3, no horizontal rule.
    Zhihu,
}

impl Target {
    /// The target a `--for` word names.
    pub fn parse(word: &str) -> Option<Target> {
        Some(match word.trim().to_ascii_lowercase().as_str() {
            "substack" => Target::Substack,
            "xiaobot" | "小报童" => Target::Xiaobot,
            "sspai" | "少数派" => Target::Sspai,
            "zhihu" | "知乎" => Target::Zhihu,
            _ => return None,
        })
    }

    /// The words `--for` takes.
    pub const WORDS: &'static str = "substack, xiaobot, sspai, zhihu";

    fn heading(self, level: u8) -> u8 {
        match self {
            Target::Substack => level.clamp(1, 4),
            _ => level.clamp(2, 3),
        }
    }
}

/// Elements kept, with the attributes they keep.
const KEPT: &[(&str, &[&str])] = &[
    ("p", &[]),
    ("ul", &[]),
    ("ol", &["start"]),
    ("li", &[]),
    ("strong", &[]),
    ("b", &[]),
    ("em", &[]),
    ("i", &[]),
    ("a", &["href"]),
    ("img", &["src", "alt"]),
    ("pre", &[]),
    ("code", &[]),
    ("blockquote", &[]),
    ("br", &[]),
    ("hr", &[]),
    ("table", &[]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tr", &[]),
    ("th", &[]),
    ("td", &[]),
];

fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// `html` (sanitized: double-quoted attributes) reduced to what `target`'s editor keeps.
pub fn paste_html(html: &str, target: Target) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>').map(|g| lt + g) else {
            out.push_str(&rest[lt..]);
            return out;
        };
        let tag = &rest[lt..=gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with("</");
        let name = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(level) = name.strip_prefix('h').and_then(|l| l.parse::<u8>().ok()) {
            let level = target.heading(level);
            let _ = write!(out, "<{}h{level}>", if closing { "/" } else { "" });
            continue;
        }
        if name == "hr" && target == Target::Zhihu {
            continue;
        }
        let Some((_, keeps)) = KEPT.iter().find(|(n, _)| *n == name) else {
            // Anything else (span, div, figure, sup…) leaves only its content.
            continue;
        };
        if closing {
            let _ = write!(out, "</{name}>");
            continue;
        }
        out.push('<');
        out.push_str(&name);
        for attr in *keeps {
            if let Some(value) = attribute(tag, attr) {
                let _ = write!(out, " {attr}=\"{value}\"");
            }
        }
        out.push('>');
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_editors_keep_is_kept() {
        let html = "<h1>周刊</h1><h4>小节</h4><p class=\"x\" style=\"color:red\">1、<strong><a href=\"https://a.example.org/?a=1&amp;b=2\" title=\"t\">装饰器</a></strong></p>\n<pre><code class=\"language-python\"><span class=\"hl-keyword\">def</span> f(): pass</code></pre><p><img loading=\"lazy\" decoding=\"async\" src=\"https://img.example.org/1.png\" alt=\"图\"></p><hr><div>正文</div>";
        let zhihu = paste_html(html, Target::Zhihu);
        assert_eq!(
            zhihu,
            "<h2>周刊</h2><h3>小节</h3><p>1、<strong><a href=\"https://a.example.org/?a=1&amp;b=2\">装饰器</a></strong></p>\n<pre><code>def f(): pass</code></pre><p><img src=\"https://img.example.org/1.png\" alt=\"图\"></p>正文"
        );
        let substack = paste_html(html, Target::Substack);
        assert!(
            substack.starts_with("<h1>周刊</h1><h4>小节</h4>") && substack.contains("<hr>"),
            "{substack}"
        );
        assert!(
            !substack.contains("class=")
                && !substack.contains("style=")
                && !substack.contains("loading=")
        );
        assert_eq!(Target::parse("知乎"), Some(Target::Zhihu));
        assert_eq!(Target::parse("medium"), None);
    }
}
