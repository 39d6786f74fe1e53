//! The HTML document a PDF of the book is printed from (by a browser engine): a title page,
//! a table of contents, one chapter per issue starting on a new page, page numbers in the
//! bottom margin. Only the issues (`h1`) and their sections (`h2`) are headings, so a PDF
//! outline made from the headings has one top entry per issue.

use crate::xhtml::to_xhtml;
use crate::{Book, esc, style};
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
        "<div class=\"title-page\">\n<p class=\"title\">{}</p>\n<p>{}</p>\n",
        esc(&book.title),
        esc(&book.subtitle)
    );
    if !book.author.trim().is_empty() {
        let _ = writeln!(out, "<p>{}</p>", esc(book.author.trim()));
    }
    out.push_str("<ul class=\"figures\">\n");
    for (label, n) in &book.figures {
        let _ = writeln!(out, "<li>{}: {n}</li>", esc(label));
    }
    let _ = write!(
        out,
        "</ul>\n</div>\n<nav class=\"toc\">\n<p class=\"toc-title\">{}</p>\n<ol>\n",
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
            "<section class=\"chapter\" id=\"issue-{}\">\n<h1>{}</h1>\n<p class=\"meta\">{} {} · <a href=\"{}\">{}</a></p>\n",
            chapter.number,
            esc(&chapter.title),
            esc(&book.labels.published),
            esc(&chapter.date),
            esc(&chapter.url),
            esc(&chapter.url)
        );
        for section in &chapter.sections {
            let _ = write!(
                out,
                "<section>\n<h2>{}</h2>\n{}\n</section>\n",
                esc(&section.title),
                to_xhtml(&section.html, &book.labels.image)
            );
        }
        out.push_str("</section>\n");
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
