//! A season as an e-book. Pure: a [`Book`] value in, the bytes of an EPUB 3 file (see
//! [`epub`]) or the HTML document a PDF is printed from (see [`print_html`]) out.
//!
//! The EPUB's OCF container, package document and navigation are written here rather than by a
//! builder crate: the output is then reproducible byte for byte (dates and the identifier
//! come from the book, not the clock), and every file is ours to keep valid for `epubcheck`.

use std::fmt::Write as _;

mod cover;
mod epub;
mod print;
pub mod xhtml;

pub use epub::{EpubError, chapter_texts, epub};
pub use print::print_html;

/// Texts of the book's own pages in its language.
#[derive(Debug, Clone)]
pub struct Labels {
    /// Heading of the table of contents.
    pub contents: String,
    /// Title of the cover page.
    pub cover: String,
    /// Title of the title page.
    pub title_page: String,
    /// What introduces an image's alt text where the image is left out.
    pub image: String,
    /// `Published` before an issue's date.
    pub published: String,
}

/// One section of a chapter, or a category inside the section before it.
#[derive(Debug, Clone)]
pub struct ChapterSection {
    /// Anchor inside the chapter (a section key: ASCII letters, digits, `-`, `_`).
    pub id: String,
    /// Heading; empty for a section written without one (a list of links before the first
    /// heading), which then has no heading and no line in the contents.
    pub title: String,
    /// 0 for a section, 1 for a category inside it, 2 for a category inside that (`h2`,
    /// `h3`, `h4`; listed under the section before it in the contents).
    pub depth: u8,
    /// Its content as sanitized HTML.
    pub html: String,
}

/// One issue.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// Issue number.
    pub number: u32,
    /// Heading (`第31期：主题`).
    pub title: String,
    /// Publication date.
    pub date: String,
    /// The web page.
    pub url: String,
    /// What comes before its first section (greeting, cover image, notes) as sanitized HTML.
    pub intro: String,
    /// Its sections.
    pub sections: Vec<ChapterSection>,
    /// What comes after its last section as sanitized HTML.
    pub outro: String,
}

/// A book.
#[derive(Debug, Clone)]
pub struct Book {
    /// Title.
    pub title: String,
    /// Second line of the title page and cover (`第 31~60 期 · 2023-12-16 — 2024-07-16`).
    pub subtitle: String,
    /// BCP 47 language tag.
    pub lang: String,
    /// Author or publisher.
    pub author: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// A stable identifier: what the book is the edition of (site, season, language, tier).
    pub identity: String,
    /// The figures on the title page and cover: (label, value).
    pub figures: Vec<(String, u32)>,
    /// Words of the season's word cloud, most frequent first, for the cover.
    pub words: Vec<(String, u32)>,
    /// Issues in order.
    pub chapters: Vec<Chapter>,
    /// Fixed texts.
    pub labels: Labels,
}

impl Book {
    /// `urn:uuid:` made from [`Book::identity`], the same for every build of the edition.
    pub fn identifier(&self) -> String {
        use std::hash::Hasher as _;
        let mut hasher = siphasher::sip128::SipHasher13::new_with_keys(0x7765_656b, 0x6c79);
        hasher.write(self.identity.as_bytes());
        let mut bytes = siphasher::sip128::Hasher128::finish128(&hasher).as_bytes();
        // A name-based UUID: version 5 layout, RFC 4122 variant.
        bytes[6] = (bytes[6] & 0x0f) | 0x50;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex = bytes.iter().fold(String::with_capacity(32), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        });
        format!(
            "urn:uuid:{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

/// The title page's content: title, subtitle, author, figures (XHTML, no wrapper).
pub(crate) fn title_block(book: &Book) -> String {
    let mut out = format!(
        "<p class=\"title\">{}</p>\n<p>{}</p>\n",
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
    out.push_str("</ul>\n");
    out
}

/// A chapter's content: its heading, date and link, its intro, then each section (`h2`, a
/// category `h3` or `h4`, no heading when it has no title) in a `<section>` with the
/// attributes `section_attrs` gives it (an anchor in the EPUB), then its outro.
pub(crate) fn chapter_block(
    book: &Book,
    chapter: &Chapter,
    section_attrs: impl Fn(usize) -> String,
) -> String {
    let mut out = format!(
        "<h1>{}</h1>\n<p class=\"meta\">{} {} · <a href=\"{}\">{}</a></p>\n",
        esc(&chapter.title),
        esc(&book.labels.published),
        esc(&chapter.date),
        esc(&chapter.url),
        esc(&chapter.url)
    );
    let image = &book.labels.image;
    if !chapter.intro.trim().is_empty() {
        let _ = writeln!(out, "{}", xhtml::to_xhtml(&chapter.intro, image));
    }
    for (i, section) in chapter.sections.iter().enumerate() {
        let _ = writeln!(out, "<section{}>", section_attrs(i));
        if !section.title.trim().is_empty() {
            let level = 2 + section.depth.min(2);
            let _ = writeln!(out, "<h{level}>{}</h{level}>", esc(section.title.trim()));
        }
        let _ = write!(
            out,
            "{}\n</section>\n",
            xhtml::to_xhtml(&section.html, image)
        );
    }
    if !chapter.outro.trim().is_empty() {
        let _ = writeln!(out, "{}", xhtml::to_xhtml(&chapter.outro, image));
    }
    out
}

/// Text escaped for XML content and attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c < ' ' && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The emoji fonts named last in every font list, so that an emoji prints in colour where
/// one of them is installed (Debian: `fonts-noto-color-emoji`) instead of as an empty box.
pub const EMOJI_FONTS: &str = "\"Noto Color Emoji\", \"Apple Color Emoji\", \"Segoe UI Emoji\"";

/// The CJK font variant of a language (`SC`, `TC`, `JP`, `KR`), when it writes Han characters
/// or Hangul: Japanese kanji drawn with Chinese glyphs read wrong, and so do the reverse.
pub(crate) fn cjk_variant(lang: &str) -> Option<&'static str> {
    let lang = lang.to_ascii_lowercase();
    let mut parts = lang.split(['-', '_']);
    match (parts.next(), parts.next()) {
        (Some("ja"), _) => Some("JP"),
        (Some("ko"), _) => Some("KR"),
        (Some("zh"), Some("tw" | "hk" | "mo" | "hant")) => Some("TC"),
        (Some("zh"), _) => Some("SC"),
        _ => None,
    }
}

/// The style sheet of both the EPUB and the printed HTML: the language's own CJK fonts first
/// for CJK books (JP glyphs for Japanese), emoji fonts last, generous line height, no
/// paragraph indent, long URLs wrapped, and code coloured by the classes the site's
/// highlighter writes (print colours, dark enough on paper and e-ink).
pub(crate) fn style(lang: &str) -> String {
    let (body, heading, mono) = match cjk_variant(lang) {
        Some(v) => (
            format!("\"Noto Serif CJK {v}\", \"Source Han Serif {v}\", serif"),
            format!("\"Noto Sans CJK {v}\", \"Source Han Sans {v}\", sans-serif"),
            format!("\"Noto Sans Mono CJK {v}\", monospace"),
        ),
        None => (
            "Georgia, \"Noto Serif\", serif".to_owned(),
            "\"Noto Sans\", \"DejaVu Sans\", sans-serif".to_owned(),
            "\"DejaVu Sans Mono\", monospace".to_owned(),
        ),
    };
    let emoji = EMOJI_FONTS;
    format!(
        "body {{ font-family: {body}, {emoji}; line-height: 1.75; margin: 0 0.5em; }}\n\
h1, h2, h3 {{ font-family: {heading}, {emoji}; line-height: 1.4; }}\n\
h1 {{ font-size: 1.5em; margin: 0.5em 0 0.3em; }}\n\
h2 {{ font-size: 1.2em; margin: 1.4em 0 0.4em; }}\n\
p {{ margin: 0.5em 0; text-indent: 0; text-align: justify; }}\n\
a {{ color: #1a5fb4; text-decoration: none; overflow-wrap: anywhere; word-break: break-word; }}\n\
pre, code {{ font-family: {mono}, {emoji}; font-size: 0.9em; }}\n\
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f4f4; padding: 0.5em; }}\n\
.hl-comment {{ color: #5c6370; font-style: italic; }}\n\
.hl-string {{ color: #0a6e31; }}\n\
.hl-constant.hl-numeric, .hl-constant.hl-language, .hl-constant.hl-character {{ color: #a34a00; }}\n\
.hl-keyword, .hl-storage {{ color: #9c1fa0; }}\n\
.hl-entity.hl-name.hl-function, .hl-support.hl-function {{ color: #1f56c2; }}\n\
.hl-entity.hl-name.hl-class, .hl-entity.hl-name.hl-type, .hl-support.hl-type, .hl-support.hl-class {{ color: #8a5a00; }}\n\
.hl-variable.hl-parameter, .hl-meta.hl-annotation, .hl-entity.hl-name.hl-tag {{ color: #b3175b; }}\n\
blockquote {{ margin: 0.5em 0; padding-left: 0.8em; border-left: 3px solid #ccc; color: #444; }}\n\
table {{ border-collapse: collapse; }}\n\
td, th {{ border: 1px solid #ccc; padding: 0.2em 0.4em; }}\n\
.meta {{ color: #666; font-size: 0.9em; text-align: start; text-justify: none; }}\n\
.image-link {{ font-size: 0.9em; color: #666; }}\n\
.title-page {{ text-align: center; margin-top: 20%; }}\n\
.title-page .title {{ font-size: 1.8em; font-weight: bold; }}\n\
.figures {{ list-style: none; padding: 0; }}\n\
nav ol {{ list-style: none; padding-left: 1em; }}\n"
    )
}

#[cfg(test)]
pub(crate) mod sample {
    use super::*;

    /// A two-issue book with hostile text in it.
    pub fn book() -> Book {
        let section = |id: &str, title: &str, html: &str| ChapterSection {
            id: id.into(),
            title: title.into(),
            depth: 0,
            html: html.into(),
        };
        Book {
            title: "Python 潮流周刊第 2 季 <合集> & more".into(),
            subtitle: "第 31~32 期".into(),
            lang: "zh".into(),
            author: "猫 \"Cat\"".into(),
            date: "2024-07-16".into(),
            identity: "https://w.example/ season 2 zh public".into(),
            figures: vec![("文章".into(), 354), ("项目".into(), 347)],
            words: vec![("Python".into(), 40), ("数据".into(), 12)],
            chapters: vec![
                Chapter {
                    number: 31,
                    title: "第31期：a < b".into(),
                    date: "2023-12-16".into(),
                    url: "https://w.example/zh/31/".into(),
                    intro: String::new(),
                    outro: String::new(),
                    sections: vec![
                        section(
                            "articles",
                            "🦄文章&教程",
                            "<p>1、<a href=\"https://e.example/1\">一</a></p><p>x<br>y</p>",
                        ),
                        section(
                            "projects",
                            "🐿️项目&资源",
                            "<p><img src=\"https://img.example/p.png\" alt=\"图\"></p>",
                        ),
                    ],
                },
                Chapter {
                    number: 32,
                    title: "第32期".into(),
                    date: "2023-12-23".into(),
                    url: "https://w.example/zh/32/".into(),
                    intro: String::new(),
                    outro: String::new(),
                    sections: vec![section("articles", "🦄文章&教程", "<p>二</p>")],
                },
            ],
            labels: Labels {
                contents: "目录".into(),
                cover: "封面".into(),
                title_page: "扉页".into(),
                image: "图片".into(),
                published: "发布时间".into(),
            },
        }
    }

    #[test]
    fn each_language_gets_its_own_glyphs_emoji_and_coloured_code() {
        let ja = style("ja");
        assert!(
            ja.contains("\"Noto Serif CJK JP\"") && !ja.contains(" SC\""),
            "{ja}"
        );
        assert!(style("zh").contains("\"Noto Serif CJK SC\""));
        assert!(style("zh-TW").contains("\"Noto Serif CJK TC\""));
        assert!(!style("en").contains("CJK"));
        for lang in ["zh", "ja", "en"] {
            let css = style(lang);
            // Every font list ends with the emoji fonts.
            assert_eq!(
                css.matches("font-family").count(),
                css.matches(EMOJI_FONTS).count(),
                "{css}"
            );
            assert!(css.contains(".hl-keyword, .hl-storage { color:"), "{css}");
        }
    }

    #[test]
    fn the_identifier_is_a_stable_uuid() {
        let a = book().identifier();
        assert_eq!(a, book().identifier());
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        assert_eq!(&a[23..24], "5");
        let mut other = book();
        other.identity.push('x');
        assert_ne!(other.identifier(), a);
    }
}
