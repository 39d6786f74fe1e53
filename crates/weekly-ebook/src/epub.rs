//! The EPUB 3 file: OCF container (`mimetype` stored first), package document, navigation
//! (by issue, then by section), cover, title page and one XHTML file per issue.

use crate::{Book, Chapter, chapter_block, esc, style, title_block};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use zip::write::SimpleFileOptions;

/// Why a book could not be written. The message says what failed; the cause is the
/// error's source, said once by whoever prints the chain.
#[derive(Debug, thiserror::Error)]
pub enum EpubError {
    /// The ZIP writer failed (it writes to memory: only on impossible sizes).
    #[error("cannot write the EPUB container")]
    Zip(#[from] zip::result::ZipError),
    /// Writing into the container failed.
    #[error("cannot write the EPUB container")]
    Io(#[from] std::io::Error),
}

/// The EPUB 3 file of `book`. The same book gives the same bytes.
pub fn epub(book: &Book) -> Result<Vec<u8>, EpubError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(1 << 20)));
    let at = zip::DateTime::default();
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(at);
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(at);
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/epub+zip")?;
    let mut put = |name: &str, body: &str| -> Result<(), EpubError> {
        zip.start_file(name, deflated)?;
        zip.write_all(body.as_bytes())?;
        Ok(())
    };
    put("META-INF/container.xml", CONTAINER)?;
    put("OEBPS/content.opf", &package(book))?;
    put("OEBPS/nav.xhtml", &nav(book))?;
    put("OEBPS/style.css", &style(&book.lang))?;
    put("OEBPS/cover.svg", &crate::cover::svg(book))?;
    put("OEBPS/cover.xhtml", &cover_page(book))?;
    put("OEBPS/title.xhtml", &title_page(book))?;
    for chapter in &book.chapters {
        put(
            &format!("OEBPS/{}", file_of(chapter)),
            &chapter_page(book, chapter),
        )?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The text of each issue's chapter in an EPUB file made by [`epub`], by issue number in
/// the book's order: what a reader sees of it (markup left out, entities decoded).
pub fn chapter_texts(bytes: &[u8]) -> Result<Vec<(u32, String)>, EpubError> {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i)?;
        let number = file
            .name()?
            .strip_prefix("OEBPS/issue-")
            .and_then(|n| n.strip_suffix(".xhtml"))
            .and_then(|n| n.parse::<u32>().ok());
        let Some(number) = number else {
            continue;
        };
        let mut text = String::new();
        file.read_to_string(&mut text)?;
        out.push((number, crate::xhtml::text_of(&text)));
    }
    Ok(out)
}

const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n  <rootfiles>\n    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n  </rootfiles>\n</container>\n";

fn file_of(chapter: &Chapter) -> String {
    format!("issue-{}.xhtml", chapter.number)
}

/// `YYYY-MM-DD` when `date` is one.
fn valid_date(date: &str) -> Option<&str> {
    let b = date.as_bytes();
    (b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()))
    .then_some(date)
}

fn package(book: &Book) -> String {
    let lang = esc(&book.lang);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\" xml:lang=\"{lang}\">\n  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n    <dc:identifier id=\"book-id\">{}</dc:identifier>\n    <dc:title>{}</dc:title>\n    <dc:language>{lang}</dc:language>\n",
        esc(&book.identifier()),
        esc(&book.title)
    );
    if !book.author.trim().is_empty() {
        let _ = writeln!(
            out,
            "    <dc:creator>{}</dc:creator>",
            esc(book.author.trim())
        );
    }
    let date = valid_date(&book.date);
    if let Some(date) = date {
        let _ = writeln!(out, "    <dc:date>{date}</dc:date>");
    }
    let _ = writeln!(
        out,
        "    <meta property=\"dcterms:modified\">{}T00:00:00Z</meta>\n    <meta name=\"cover\" content=\"cover-image\"/>\n  </metadata>\n  <manifest>\n    <item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n    <item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n    <item id=\"cover-image\" href=\"cover.svg\" media-type=\"image/svg+xml\" properties=\"cover-image\"/>\n    <item id=\"cover\" href=\"cover.xhtml\" media-type=\"application/xhtml+xml\"/>\n    <item id=\"title\" href=\"title.xhtml\" media-type=\"application/xhtml+xml\"/>",
        date.unwrap_or("2000-01-01")
    );
    for chapter in &book.chapters {
        let _ = writeln!(
            out,
            "    <item id=\"issue-{n}\" href=\"{}\" media-type=\"application/xhtml+xml\"/>",
            file_of(chapter),
            n = chapter.number
        );
    }
    out.push_str("  </manifest>\n  <spine>\n    <itemref idref=\"cover\" linear=\"no\"/>\n    <itemref idref=\"title\"/>\n    <itemref idref=\"nav\"/>\n");
    for chapter in &book.chapters {
        let _ = writeln!(out, "    <itemref idref=\"issue-{}\"/>", chapter.number);
    }
    out.push_str("  </spine>\n</package>\n");
    out
}

/// The start of an XHTML content document titled `title`.
fn head(book: &Book, title: &str) -> String {
    let lang = esc(&book.lang);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\">\n<head>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n",
        esc(title)
    )
}

/// Anchors of a chapter's sections: `s-<id>`, numbered when an id repeats.
fn section_anchors(chapter: &Chapter) -> Vec<String> {
    let mut seen = HashSet::new();
    chapter
        .sections
        .iter()
        .map(|s| {
            let id: String =
                s.id.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                    .collect();
            let base = format!("s-{id}");
            let mut anchor = base.clone();
            let mut n = 2;
            while !seen.insert(anchor.clone()) {
                anchor = format!("{base}-{n}");
                n += 1;
            }
            anchor
        })
        .collect()
}

fn nav(book: &Book) -> String {
    let contents = esc(&book.labels.contents);
    let mut out = head(book, &book.labels.contents);
    let _ = write!(
        out,
        "<body>\n<nav epub:type=\"toc\" id=\"toc\">\n<h1>{contents}</h1>\n<ol>\n"
    );
    for chapter in &book.chapters {
        let file = file_of(chapter);
        let _ = write!(out, "<li><a href=\"{file}\">{}</a>", esc(&chapter.title));
        // Sections with a title, each category under the section (or category) before it.
        let mut tree: Vec<NavNode> = Vec::new();
        for (section, anchor) in chapter.sections.iter().zip(section_anchors(chapter)) {
            if section.title.trim().is_empty() {
                continue;
            }
            let node = NavNode {
                href: format!("{file}#{anchor}"),
                title: section.title.trim().to_owned(),
                children: Vec::new(),
            };
            nav_insert(&mut tree, section.depth, node);
        }
        nav_list(&mut out, &tree);
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</nav>\n");
    let _ = write!(
        out,
        "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<ol>\n<li><a epub:type=\"cover\" href=\"cover.xhtml\">{}</a></li>\n<li><a epub:type=\"titlepage\" href=\"title.xhtml\">{}</a></li>\n<li><a epub:type=\"toc\" href=\"nav.xhtml\">{contents}</a></li>\n",
        esc(&book.labels.cover),
        esc(&book.labels.title_page)
    );
    if let Some(first) = book.chapters.first() {
        let _ = writeln!(
            out,
            "<li><a epub:type=\"bodymatter\" href=\"{}\">{}</a></li>",
            file_of(first),
            esc(&first.title)
        );
    }
    out.push_str("</ol>\n</nav>\n</body>\n</html>\n");
    out
}

/// A line of the contents and the lines under it.
struct NavNode {
    href: String,
    title: String,
    children: Vec<NavNode>,
}

/// Puts `node` `depth` levels down the last branch of `nodes` (as deep as the branch goes).
fn nav_insert(nodes: &mut Vec<NavNode>, depth: u8, node: NavNode) {
    if depth > 0
        && let Some(last) = nodes.last_mut()
    {
        return nav_insert(&mut last.children, depth - 1, node);
    }
    nodes.push(node);
}

/// `nodes` as a nested `<ol>` (nothing when there are none: an empty `ol` is not allowed).
fn nav_list(out: &mut String, nodes: &[NavNode]) {
    if nodes.is_empty() {
        return;
    }
    out.push_str("\n<ol>\n");
    for node in nodes {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a>",
            esc(&node.href),
            esc(&node.title)
        );
        nav_list(out, &node.children);
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

fn cover_page(book: &Book) -> String {
    let mut out = head(book, &book.labels.cover);
    let _ = write!(
        out,
        "<body epub:type=\"cover\">\n<div style=\"text-align: center;\"><img src=\"cover.svg\" alt=\"{}\" style=\"max-width: 100%; max-height: 100%;\"/></div>\n</body>\n</html>\n",
        esc(&book.title)
    );
    out
}

fn title_page(book: &Book) -> String {
    let mut out = head(book, &book.labels.title_page);
    let _ = write!(
        out,
        "<body>\n<section epub:type=\"titlepage\" class=\"title-page\">\n{}</section>\n</body>\n</html>\n",
        title_block(book)
    );
    out
}

fn chapter_page(book: &Book, chapter: &Chapter) -> String {
    let anchors = section_anchors(chapter);
    let mut out = head(book, &chapter.title);
    let _ = write!(
        out,
        "<body>\n<section epub:type=\"chapter\" id=\"issue-{}\">\n{}</section>\n</body>\n</html>\n",
        chapter.number,
        chapter_block(book, chapter, |i| format!(" id=\"{}\"", anchors[i]))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_errors_cause_is_its_source_not_part_of_its_message() {
        let error = EpubError::from(std::io::Error::other("disk full"));
        assert_eq!(error.to_string(), "cannot write the EPUB container");
        let source = std::error::Error::source(&error).expect("a source");
        assert_eq!(source.to_string(), "disk full");
    }

    #[test]
    fn the_container_starts_with_the_stored_mimetype() {
        let bytes = epub(&crate::sample::book()).unwrap();
        // Local file header, then the name `mimetype` at offset 30 and its content right after:
        // readers find the type at a fixed place.
        assert_eq!(&bytes[0..4], b"PK\x03\x04");
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..58], b"application/epub+zip");
        // Stored (method 0), no extra field.
        assert_eq!(&bytes[8..10], &[0, 0]);
        assert_eq!(&bytes[28..30], &[0, 0]);
        assert_eq!(bytes, epub(&crate::sample::book()).unwrap(), "reproducible");
    }

    #[test]
    fn navigation_lists_issues_then_their_sections() {
        let book = crate::sample::book();
        let nav = nav(&book);
        assert!(nav.contains("<li><a href=\"issue-31.xhtml\">第31期：a &lt; b</a>\n<ol>\n<li><a href=\"issue-31.xhtml#s-articles\">🦄文章&amp;教程</a></li>"), "{nav}");
        let page = chapter_page(&book, &book.chapters[0]);
        assert!(page.contains("<section id=\"s-projects\">"), "{page}");
        assert!(page.contains("<p>x<br/>y</p>"), "{page}");
        assert!(page.contains("[图片: 图]"), "{page}");
        let opf = package(&book);
        assert!(
            opf.contains("<dc:title>Python 潮流周刊第 2 季 &lt;合集&gt; &amp; more</dc:title>"),
            "{opf}"
        );
        assert!(opf.contains("<meta property=\"dcterms:modified\">2024-07-16T00:00:00Z</meta>"));
    }

    #[test]
    fn categories_are_listed_under_their_section_and_untitled_sections_not_at_all() {
        let mut book = crate::sample::book();
        let chapter = &mut book.chapters[0];
        chapter.intro = "<p>开场白</p>".into();
        chapter.outro = "<p>结语</p>".into();
        let mut official = chapter.sections[0].clone();
        official.title = "Official".into();
        official.depth = 1;
        let mut untitled = chapter.sections[1].clone();
        untitled.title = String::new();
        untitled.id = "links".into();
        chapter.sections.insert(1, official);
        chapter.sections.insert(0, untitled);
        let nav = nav(&book);
        assert!(
            nav.contains("<li><a href=\"issue-31.xhtml#s-articles\">🦄文章&amp;教程</a>\n<ol>\n<li><a href=\"issue-31.xhtml#s-articles-2\">Official</a></li>\n</ol>\n</li>"),
            "{nav}"
        );
        assert!(!nav.contains("s-links"), "{nav}");
        let page = chapter_page(&book, &book.chapters[0]);
        assert!(
            page.contains("<section id=\"s-links\">\n<p><a class=\"image-link\""),
            "{page}"
        );
        assert!(page.contains("<h3>Official</h3>"), "{page}");
        let (intro, outro) = (page.find("开场白").unwrap(), page.find("结语").unwrap());
        assert!(
            intro < page.find("<section id=\"s-links\"").unwrap(),
            "{page}"
        );
        assert!(
            outro > page.find("<section id=\"s-projects\"").unwrap(),
            "{page}"
        );
        let texts = chapter_texts(&epub(&book).unwrap()).unwrap();
        assert_eq!(texts.iter().map(|t| t.0).collect::<Vec<_>>(), [31, 32]);
        assert!(texts[0].1.contains("开场白"), "{}", texts[0].1);
        assert!(texts[0].1.contains("第31期：a < b"), "{}", texts[0].1);
        assert!(!texts[0].1.contains("<p>"), "{}", texts[0].1);
    }

    #[test]
    fn repeated_section_ids_get_distinct_anchors() {
        let mut book = crate::sample::book();
        let mut extra = book.chapters[0].sections[0].clone();
        extra.id = "articles".into();
        book.chapters[0].sections.push(extra);
        assert_eq!(
            section_anchors(&book.chapters[0]),
            vec!["s-articles", "s-projects", "s-articles-2"]
        );
    }
}
