//! `sitemap.xml` and `robots.txt`.

use crate::markdown::escape;

/// A sitemap of absolute page URLs, each with its last change date when known.
pub fn sitemap(pages: &[(String, Option<String>)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, date) in pages {
        out.push_str("<url><loc>");
        out.push_str(&escape(url));
        out.push_str("</loc>");
        if let Some(date) = date {
            out.push_str("<lastmod>");
            out.push_str(date);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt` allowing everything and naming the sitemap.
pub fn robots(sitemap_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n")
}
