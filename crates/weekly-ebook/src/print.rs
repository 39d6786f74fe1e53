//! The HTML document a PDF of the book is printed from (by a browser engine): a title page,
//! a table of contents, one chapter per issue starting on a new page, page numbers in the
//! bottom margin. Only the issues (`h1`) and their sections (`h2`) are headings, so a PDF
//! outline made from the headings has one top entry per issue.

use crate::{Book, chapter_block, esc, style, title_block};
use std::fmt::Write as _;

/// The printable HTML of `book`.
pub fn print_html(book: &Book) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n{css}\
@page {{ size: A5; margin: 16mm 14mm 18mm; @bottom-center {{ content: counter(page); font-size: 9pt; color: #666; }} }}\n\
html {{ font-size: 10.5pt; }}\n\
.chapter {{ break-before: page; }}\n\
.title-page, nav.toc {{ break-after: page; }}\n\
nav.toc .toc-title {{ font-size: 1.4em; font-weight: bold; }}\n\
nav.toc li {{ margin: 0.2em 0; }}\n\
h2 {{ break-after: avoid; }}\n\
</style>\n</head>\n<body>\n",
        lang = esc(&book.lang),
        title = esc(&book.title),
        css = style(&book.lang)
    );
    let _ = write!(
        out,
        "<div class=\"title-page\">\n{}</div>\n",
        title_block(book)
    );
    let _ = write!(
        out,
        "<nav class=\"toc\">\n<p class=\"toc-title\">{}</p>\n<ol>\n",
        esc(&book.labels.contents)
    );
    for chapter in &book.chapters {
        let _ = writeln!(
            out,
            "<li><a href=\"#issue-{}\">{}</a></li>",
            chapter.number,
            esc(&chapter.title)
        );
    }
    out.push_str("</ol>\n</nav>\n");
    for chapter in &book.chapters {
        let _ = write!(
            out,
            "<section class=\"chapter\" id=\"issue-{}\">\n{}</section>\n",
            chapter.number,
            chapter_block(book, chapter, |_| String::new())
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_issues_and_sections_are_headings() {
        let html = print_html(&crate::sample::book());
        assert_eq!(html.matches("<h1>").count(), 2, "{html}");
        assert_eq!(html.matches("<h2>").count(), 3, "{html}");
        assert!(
            html.contains("<li><a href=\"#issue-31\">第31期：a &lt; b</a></li>"),
            "{html}"
        );
        assert!(html.contains("counter(page)"));
    }
}
