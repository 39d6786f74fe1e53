//! A parsed Markdown document: one language edition of an issue, or a season file.

use crate::catalogue::SectionKey;
use crate::entry::Entry;
use crate::inline;
use crate::lang::Lang;
use crate::verbatim::{Verbatim, fingerprint};

/// Line ending of a file. CRLF files stay CRLF when written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LineEnding {
    /// `\n`
    #[default]
    Lf,
    /// `\r\n`
    CrLf,
}

impl LineEnding {
    /// The characters of the line ending.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

/// What kind of document this is, decided by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// A full issue: entries with links and descriptions.
    Full,
    /// A teaser: section title lists with circled numbers, no links.
    Teaser,
    /// A season collection: one part per issue, each with its sections.
    Collection,
    /// A season link list: sections numbered across the whole season.
    LinkList,
}

/// A paragraph-level piece of Markdown (paragraph, list, code block, quote, image, rule…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Markdown text with `\n` line endings and no trailing newline.
    pub text: String,
    /// Original text (with blank lines after it), for lossless writing.
    pub source: Option<Verbatim>,
    /// 1-based line of the block in its file (0 when built in code).
    pub line: u32,
}

impl Block {
    /// A block built in code.
    pub fn new(text: impl Into<String>) -> Block {
        Block {
            text: text.into(),
            source: None,
            line: 0,
        }
    }

    /// Fingerprint of the text.
    pub fn fingerprint(&self) -> u64 {
        fingerprint(self.text.as_str())
    }
}

/// How a section heading is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeadingStyle {
    /// `## text` with the given level.
    Atx(u8),
    /// `**text**` on its own line (teasers).
    Bold,
    /// A bare link line `[🦄Articles & Tutorials](url)` (some English files).
    BareLink,
    /// No heading at all: the entries of a list before the first heading (early This Week
    /// in Rust). Written as nothing.
    Implicit,
}

/// A heading as written: style and inline text (link wrapper included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// How the heading is marked.
    pub style: HeadingStyle,
    /// Inline Markdown inside the markers, e.g. `[🦄文章&教程](https://…)`.
    pub text: String,
    /// Original text of the heading line and the blank lines after it.
    pub source: Option<Verbatim>,
    /// 1-based line in the file.
    pub line: u32,
}

impl Heading {
    /// Fingerprint of style and text.
    pub fn fingerprint(&self) -> u64 {
        fingerprint(&(self.style, &self.text))
    }

    /// The heading as plain text: `[🦄文章&教程](u)` → `🦄文章&教程`.
    pub fn plain(&self) -> String {
        inline::plain_text(&self.text)
    }

    /// The URL a link-wrapped heading points to.
    pub fn url(&self) -> Option<String> {
        inline::links(&self.text).into_iter().next().map(|l| l.url)
    }
}

/// A section: heading, optional intro paragraphs, numbered entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Key from the catalogue, or `other`.
    pub key: SectionKey,
    /// A category heading (`### Official`) inside a section: it has its section's key, and
    /// its heading is written at its own level.
    pub category: bool,
    /// The heading as written.
    pub heading: Heading,
    /// Paragraphs before the first entry; all content of free-form sections.
    pub intro: Vec<Block>,
    /// Numbered entries in file order.
    pub entries: Vec<Entry>,
}

/// One issue inside a season collection: a heading (`## 31 主题`) and its sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part heading.
    pub heading: Heading,
    /// Paragraphs before the first section (source link, date).
    pub intro: Vec<Block>,
    /// Sections of the part.
    pub sections: Vec<Section>,
}

impl Part {
    /// The issue number a part heading names: `## 31 主题` or `## [第1期（2023-05-13）](…)`.
    pub fn issue_number(&self) -> Option<u32> {
        let plain = self.heading.plain();
        let plain = plain.trim().trim_start_matches(['第', '#', '№']);
        let digits: String = plain.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    }
}

/// How a header is written.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub enum FrontMatterStyle {
    /// YAML between `---` lines.
    #[default]
    Yaml,
    /// A header read by the newsletter's own keys (`[format] title_keys`, `date_keys`):
    /// `Key: value` lines at the top of the file (Pelican), YAML whose title or date is not
    /// `title`/`pubDate` (Jekyll's `date: 2020-12-02 18:46`), or TOML between `+++` lines
    /// (Hugo, Zola). `other_lines` holds every line between the fences as written, and the
    /// keys that gave the title and the date; only a changed title or date line is rewritten.
    Fields {
        title_key: Option<String>,
        date_key: Option<String>,
        syntax: FieldSyntax,
    },
}

/// How the lines of a [`FrontMatterStyle::Fields`] header are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum FieldSyntax {
    /// `Key: value` lines, no fences, ended by a blank line.
    #[default]
    Lines,
    /// YAML between `---` lines.
    Yaml,
    /// TOML between `+++` lines.
    Toml,
}

impl FieldSyntax {
    /// The fence line around the header, if any.
    pub fn fence(self) -> Option<&'static str> {
        match self {
            FieldSyntax::Lines => None,
            FieldSyntax::Yaml => Some("---"),
            FieldSyntax::Toml => Some("+++"),
        }
    }

    /// `(key, value)` of one top-level header line (`key: value`, or `key = value` in TOML),
    /// the value as written (quotes kept).
    pub fn split(self, line: &str) -> Option<(&str, &str)> {
        if line.starts_with([' ', '\t', '-', '#', '[']) {
            return None;
        }
        let (key, value) = match self {
            FieldSyntax::Toml => line.split_once('=')?,
            _ => line.split_once(':')?,
        };
        let key = key.trim().trim_matches('"');
        let ok = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        ok.then_some((key, value.trim()))
    }
}

/// The header of an issue: YAML front matter between `---` lines, or `Key: value` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// How it is written.
    pub style: FrontMatterStyle,
    /// `title`.
    pub title: Option<String>,
    /// `pubDate` as written.
    pub pub_date: Option<String>,
    /// `author`.
    pub author: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Lines of other keys (`layout`, `tags`, …), kept as written, `\n`-separated.
    pub other_lines: String,
    /// Original text including both `---` lines and the blank lines after.
    pub source: Option<Verbatim>,
}

impl FrontMatter {
    /// Fingerprint of the fields.
    pub fn fingerprint(&self) -> u64 {
        fingerprint(&(
            &self.style,
            &self.title,
            &self.pub_date,
            &self.author,
            &self.description,
            &self.other_lines,
        ))
    }
}

/// The head of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header {
    /// YAML front matter.
    FrontMatter(FrontMatter),
    /// A first-level heading `# title` instead of front matter.
    H1(Heading),
}

/// A document: header, preamble, sections (or season parts), closing paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Full text, teaser, season collection or link list.
    pub kind: DocKind,
    /// Language of this edition.
    pub lang: Lang,
    /// Line ending used when writing edited nodes.
    pub line_ending: LineEnding,
    /// Blank lines before the first node, as written.
    pub leading: String,
    /// Front matter or H1.
    pub header: Option<Header>,
    /// Paragraphs before the first section: greeting, tips, the description line.
    pub preamble: Vec<Block>,
    /// Sections in file order.
    pub sections: Vec<Section>,
    /// Season parts (empty for issues).
    pub parts: Vec<Part>,
    /// Paragraphs after the last teaser list (subscription text, links).
    pub postamble: Vec<Block>,
}

/// The parts of an issue title: `Python 潮流周刊#12：主题`, `Python Trending Weekly #1 (2023-05-13)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleParts {
    /// Text before the number (`Python 潮流周刊`).
    pub brand: String,
    /// The issue number.
    pub number: Option<u32>,
    /// The theme after the colon (empty when there is none).
    pub theme: String,
}

impl TitleParts {
    /// Splits a title. Accepts `#N` with or without a space before, full-width or ASCII colon,
    /// and titles without `#` such as `Python Trending Weekly 40`.
    pub fn parse(title: &str) -> TitleParts {
        let title = title.trim();
        let (brand, after) = match title.find('#') {
            Some(pos) => (&title[..pos], &title[pos + 1..]),
            None => {
                // `Brand 40: theme` — a run of digits after a space, followed by a colon, an
                // opening parenthesis or the end (so `第 1 季` is not an issue number).
                match title.char_indices().find(|&(i, c)| {
                    c.is_ascii_digit() && title[..i].ends_with(' ') && {
                        let rest = title[i..].trim_start_matches(|d: char| d.is_ascii_digit());
                        let rest = rest.trim_start();
                        rest.is_empty() || rest.starts_with([':', '：', '('])
                    }
                }) {
                    Some((pos, _)) => (&title[..pos], &title[pos..]),
                    None => {
                        return TitleParts {
                            brand: title.to_owned(),
                            number: None,
                            theme: String::new(),
                        };
                    }
                }
            }
        };
        let after = after.trim_start();
        let digits_len = after.chars().take_while(char::is_ascii_digit).count();
        let number = after[..digits_len].parse().ok();
        let rest = after[digits_len..].trim_start();
        let theme = rest
            .strip_prefix('：')
            .or_else(|| rest.strip_prefix(':'))
            .unwrap_or(rest)
            .trim();
        TitleParts {
            brand: brand.trim().to_owned(),
            number,
            theme: theme.to_owned(),
        }
    }
}

impl Document {
    /// Forgets the source text kept for lossless writing and the spare capacity of the texts (a
    /// reader that never writes the document back, such as the website, needs a third of the
    /// memory without them).
    pub fn drop_sources(&mut self) {
        fn blocks(blocks: &mut Vec<Block>) {
            for block in blocks.iter_mut() {
                block.source = None;
                block.text.shrink_to_fit();
            }
            blocks.shrink_to_fit();
        }
        fn sections(sections: &mut [Section]) {
            for section in sections {
                section.heading.source = None;
                blocks(&mut section.intro);
                for entry in &mut section.entries {
                    entry.source = None;
                    entry.title.shrink_to_fit();
                    blocks(&mut entry.body);
                }
                section.entries.shrink_to_fit();
            }
        }
        match &mut self.header {
            Some(Header::FrontMatter(fm)) => fm.source = None,
            Some(Header::H1(heading)) => heading.source = None,
            None => {}
        }
        blocks(&mut self.preamble);
        sections(&mut self.sections);
        for part in &mut self.parts {
            part.heading.source = None;
            blocks(&mut part.intro);
            sections(&mut part.sections);
        }
        blocks(&mut self.postamble);
    }

    /// The title from the front matter or the H1.
    pub fn title(&self) -> Option<&str> {
        match &self.header {
            Some(Header::FrontMatter(fm)) => fm.title.as_deref(),
            Some(Header::H1(h)) => Some(h.text.as_str()),
            None => None,
        }
    }

    /// Brand, number and theme of the title.
    pub fn title_parts(&self) -> Option<TitleParts> {
        self.title().map(TitleParts::parse)
    }

    /// All sections, those inside season parts included.
    pub fn all_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .chain(self.parts.iter().flat_map(|p| p.sections.iter()))
    }

    /// All entries of all sections.
    pub fn entries(&self) -> impl Iterator<Item = (&Section, &Entry)> {
        self.all_sections()
            .flat_map(|s| s.entries.iter().map(move |e| (s, e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_variants() {
        let t = TitleParts::parse("Python潮流周刊#1：如何系统地自学Python？");
        assert_eq!((t.brand.as_str(), t.number), ("Python潮流周刊", Some(1)));
        assert_eq!(t.theme, "如何系统地自学Python？");
        let t = TitleParts::parse("Python Trending Weekly #1 (2023-05-13)");
        assert_eq!(t.number, Some(1));
        assert_eq!(t.theme, "(2023-05-13)");
        let t = TitleParts::parse("Python Trending Weekly 40: Theme: with colon");
        assert_eq!(t.number, Some(40));
        assert_eq!(t.theme, "Theme: with colon");
        let t = TitleParts::parse("Python トレンド週刊 #52：Excel");
        assert_eq!((t.number, t.theme.as_str()), (Some(52), "Excel"));
        assert_eq!(TitleParts::parse("序言").number, None);
        assert_eq!(
            TitleParts::parse("万字浓缩版，周刊第 1 季的 800 个链接！").number,
            None
        );
        assert_eq!(
            TitleParts::parse("Python Trending Weekly 40").number,
            Some(40)
        );
    }
}
