//! Our link checker: every `href` and `src` of the built pages that points inside the site must
//! name a file that was written, and a `#fragment` an `id` on that page.

use std::collections::{HashMap, HashSet};

/// A link that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page holding it (output path).
    pub page: String,
    /// The link as written.
    pub href: String,
    /// Why it is broken.
    pub reason: String,
}

fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

fn unescape(href: &str) -> String {
    href.replace("&#x2f;", "/")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Checks the links of `pages` (output path → HTML) against `files` (every output path), for a
/// site whose URLs start with `root`.
pub fn check<S: std::hash::BuildHasher>(
    pages: &[(String, String)],
    files: &HashSet<String, S>,
    root: &str,
) -> Vec<BrokenLink> {
    let ids: HashMap<&str, HashSet<&str>> = pages
        .iter()
        .map(|(path, html)| {
            (
                path.as_str(),
                attribute_values(html, "id").into_iter().collect(),
            )
        })
        .collect();
    let mut broken = Vec::new();
    for (page, html) in pages {
        let mut links = attribute_values(html, "href");
        links.extend(attribute_values(html, "src"));
        for raw in links {
            let href = unescape(raw);
            if href.contains("://") || href.starts_with("mailto:") || href.starts_with("data:") {
                continue;
            }
            let (target, fragment) = match href.split_once('#') {
                Some((t, f)) => (t, Some(f)),
                None => (href.as_str(), None),
            };
            let target = target.split('?').next().unwrap_or("");
            let file = if target.is_empty() {
                page.clone()
            } else if let Some(path) = target.strip_prefix(root).filter(|p| p.starts_with('/')) {
                let path = path.trim_start_matches('/');
                if path.is_empty() || path.ends_with('/') {
                    format!("{path}index.html")
                } else {
                    path.to_owned()
                }
            } else {
                broken.push(BrokenLink {
                    page: page.clone(),
                    href: href.clone(),
                    reason: format!("does not start with the site's root `{root}/`"),
                });
                continue;
            };
            if !files.contains(&file) {
                broken.push(BrokenLink {
                    page: page.clone(),
                    href: href.clone(),
                    reason: format!("no file `{file}`"),
                });
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty())
                && let Some(ids) = ids.get(file.as_str())
                && !ids.contains(fragment)
            {
                broken.push(BrokenLink {
                    page: page.clone(),
                    href: href.clone(),
                    reason: format!("no id `{fragment}` on `{file}`"),
                });
            }
        }
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_files_and_fragments() {
        let pages = vec![
            (
                "index.html".to_owned(),
                "<a href=\"/zh/1/#articles-1\">a</a><a href=\"/zh/2/\">b</a><a href=\"https://x.org/\">c</a><img src=\"/assets/x.png\"><a href=\"#top\">t</a><a href=\"/zh/1/#nope\">n</a><a href=\"zh/1/\">r</a>".to_owned(),
            ),
            ("zh/1/index.html".to_owned(), "<li id=\"articles-1\"></li>".to_owned()),
        ];
        let files: HashSet<String> = pages.iter().map(|(p, _)| p.clone()).collect();
        let broken = check(&pages, &files, "");
        let hrefs: Vec<&str> = broken.iter().map(|b| b.href.as_str()).collect();
        assert_eq!(
            hrefs,
            ["/zh/2/", "#top", "/zh/1/#nope", "zh/1/", "/assets/x.png"]
        );
    }
}
