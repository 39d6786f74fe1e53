//! An edition's HTML as WeChat's editor takes it: inline styles only (no stylesheet reaches an
//! article), every link outside WeChat turned into a numbered reference (articles cannot link
//! out) with the addresses listed at the end, the way Chinese tech newsletters do it, and
//! every image named so that its uploaded address can replace it.

use std::fmt::Write as _;

/// The styles each element gets.
const STYLES: &[(&str, &str)] = &[
    ("h1", "font-size:20px;font-weight:bold;margin:24px 0 12px;"),
    (
        "h2",
        "font-size:18px;font-weight:bold;margin:24px 0 12px;border-bottom:1px solid #eee;padding-bottom:4px;",
    ),
    ("h3", "font-size:16px;font-weight:bold;margin:20px 0 10px;"),
    (
        "p",
        "font-size:15px;line-height:1.75;margin:10px 0;color:#333;",
    ),
    ("li", "font-size:15px;line-height:1.75;margin:4px 0;"),
    (
        "blockquote",
        "margin:10px 0;padding:6px 12px;border-left:3px solid #ddd;color:#666;",
    ),
    (
        "pre",
        "background:#f6f8fa;padding:10px;overflow-x:auto;font-size:13px;line-height:1.5;",
    ),
    (
        "code",
        "font-family:Menlo,Consolas,monospace;font-size:13px;background:#f6f8fa;padding:1px 3px;",
    ),
    (
        "img",
        "max-width:100%;height:auto;display:block;margin:10px auto;",
    ),
    ("sup", "font-size:11px;color:#888;"),
];

/// The article HTML and what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The HTML with inline styles and references.
    pub html: String,
    /// The links turned into references, in their order (`[1]` is the first).
    pub references: Vec<String>,
    /// The image addresses to upload (each `src` to replace), in their order.
    pub images: Vec<String>,
}

fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

fn unescape(url: &str) -> String {
    url.replace("&amp;", "&")
}

/// `html` (sanitized: double-quoted attributes, no script) made into an article; `heading` is
/// the title of the reference list (`参考链接`, `References`).
pub fn article(html: &str, heading: &str) -> Article {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut references: Vec<String> = Vec::new();
    let mut images: Vec<String> = Vec::new();
    // For each open `<a>`: the reference it became, if it did.
    let mut open_links: Vec<Option<usize>> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>').map(|g| lt + g) else {
            out.push_str(&rest[lt..]);
            rest = "";
            break;
        };
        let tag = &rest[lt..=gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with("</");
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("a", false) => {
                let href = attribute(tag, "href").map(unescape).unwrap_or_default();
                if href.starts_with("https://mp.weixin.qq.com/") {
                    open_links.push(None);
                    out.push_str(tag);
                } else if href.is_empty() {
                    open_links.push(Some(usize::MAX));
                } else {
                    let n = if let Some(i) = references.iter().position(|r| *r == href) {
                        i + 1
                    } else {
                        references.push(href);
                        references.len()
                    };
                    open_links.push(Some(n));
                }
            }
            ("a", true) => match open_links.pop().flatten() {
                None => out.push_str(tag),
                Some(usize::MAX) => {}
                Some(n) => {
                    let _ = write!(out, "<sup style=\"{}\">[{n}]</sup>", style("sup"));
                }
            },
            ("img", false) => {
                let src = attribute(tag, "src").map(unescape).unwrap_or_default();
                let alt = attribute(tag, "alt").unwrap_or("");
                if !src.is_empty() {
                    images.push(src.clone());
                }
                let _ = write!(
                    out,
                    "<img src=\"{}\" alt=\"{alt}\" style=\"{}\">",
                    src.replace('&', "&amp;"),
                    style("img")
                );
            }
            (name, false) if STYLES.iter().any(|(n, _)| *n == name) => {
                let _ = write!(out, "<{name} style=\"{}\">", style(name));
            }
            _ => out.push_str(tag),
        }
    }
    out.push_str(rest);
    if !references.is_empty() {
        let _ = write!(
            out,
            "<section style=\"margin-top:28px;\"><p style=\"font-size:14px;font-weight:bold;color:#555;margin:8px 0;\">{heading}</p>"
        );
        for (i, url) in references.iter().enumerate() {
            let _ = write!(
                out,
                "<p style=\"font-size:12px;line-height:1.6;color:#888;margin:2px 0;word-break:break-all;\">[{}] {}</p>",
                i + 1,
                url.replace('&', "&amp;").replace('<', "&lt;")
            );
        }
        out.push_str("</section>");
    }
    Article {
        html: out,
        references,
        images,
    }
}

fn style(name: &str) -> &'static str {
    STYLES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, s)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_references_and_styles_are_inline() {
        let html = "<h2>文章</h2>\n<p>1、<a href=\"https://a.example.org/x?a=1&amp;b=2\">装饰器</a> 与 <a href=\"https://b.example.org\">迭代器</a>，再看 <a href=\"https://a.example.org/x?a=1&amp;b=2\">装饰器</a></p>\n<p><img src=\"https://img.example.org/1.png\" alt=\"图\"></p>\n<p><a href=\"https://mp.weixin.qq.com/s/abc\">往期</a></p>";
        let a = article(html, "参考链接");
        assert_eq!(
            a.references,
            ["https://a.example.org/x?a=1&b=2", "https://b.example.org"]
        );
        assert_eq!(a.images, ["https://img.example.org/1.png"]);
        assert!(
            !a.html.contains("href=\"https://a.example.org"),
            "{}",
            a.html
        );
        assert!(
            a.html
                .contains("装饰器<sup style=\"font-size:11px;color:#888;\">[1]</sup>"),
            "{}",
            a.html
        );
        assert_eq!(
            a.html.matches(">[1]</sup>").count(),
            2,
            "the same link, the same number"
        );
        assert!(
            a.html.contains("href=\"https://mp.weixin.qq.com/s/abc\""),
            "WeChat's own links stay"
        );
        assert!(a.html.contains("<h2 style=\"font-size:18px"), "{}", a.html);
        assert!(
            a.html.contains("[2] https://b.example.org</p>"),
            "{}",
            a.html
        );
        assert!(
            !a.html.contains("<p>"),
            "every paragraph styled: {}",
            a.html
        );
    }
}
