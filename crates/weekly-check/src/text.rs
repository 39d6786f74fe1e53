//! Checks on the text itself: the issue identity in the title, untranslated text in
//! translations, line endings, YAML that reads differently from what was meant.

use crate::{Edition, Settings};
use weekly_model::lang::han_count;
use weekly_model::{Diagnostic, Format, FrontMatterStyle, Header, IsoDate, LineEnding};

fn title_line(edition: &Edition<'_>, settings: &Settings<'_>) -> u32 {
    match &edition.document.header {
        Some(Header::H1(h)) => h.line,
        Some(Header::FrontMatter(fm)) => {
            // The line of the key that gave the title (`title:`, Pelican's `Title:`…).
            let keys = &settings.catalogue.format.title_keys;
            let is_title = |line: &str| match fm.style {
                FrontMatterStyle::Yaml => line.starts_with("title:"),
                FrontMatterStyle::Fields { syntax, .. } => syntax
                    .split(line)
                    .is_some_and(|(key, _)| Format::is_key(keys, key)),
            };
            edition
                .text
                .lines()
                .position(is_title)
                .map_or(1, |i| i as u32 + 1)
        }
        None => 1,
    }
}

/// The title's number and date against the issue's: the title is read the newsletter's way
/// (`[format] titles`), so `科技爱好者周刊（第 260 期）：…Day 1` is issue 260, not 1.
pub(crate) fn check_identity(
    edition: &Edition<'_>,
    settings: &Settings<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let doc = edition.document;
    let format = &settings.catalogue.format;
    let Some(parts) = doc.title().map(|t| format.title_parts(t)) else {
        out.push(Diagnostic::warning(
            "title-number",
            1,
            1,
            "the issue has no title (no front matter `title` and no `# ` heading)",
        ));
        return;
    };
    let line = title_line(edition, settings);
    match parts.number {
        Some(n) if n != edition.number => out.push(Diagnostic::error(
            "title-number",
            line,
            1,
            format!("the title says #{n} but this is issue #{}", edition.number),
        )),
        None => out.push(Diagnostic::warning(
            "title-number",
            line,
            1,
            format!(
                "the title has no issue number (expected #{})",
                edition.number
            ),
        )),
        _ => {}
    }
    let Some(stored) = edition.date else { return };
    let claimed = match &doc.header {
        Some(Header::FrontMatter(fm)) => match fm.style {
            FrontMatterStyle::Yaml => fm.pub_date.as_deref().and_then(IsoDate::parse),
            // `Date: 2020-12-2 18:46`: as the parser reads such headers.
            FrontMatterStyle::Fields { .. } => {
                fm.pub_date.as_deref().and_then(IsoDate::parse_loose)
            }
        },
        _ => None,
    }
    .or_else(|| doc.title().and_then(IsoDate::find_in));
    if let Some(claimed) = claimed
        && claimed != stored
    {
        out.push(Diagnostic::error(
            "title-date",
            line,
            1,
            format!(
                "the file says {claimed} but issue #{} is dated {stored}",
                edition.number
            ),
        ));
    }
}

pub(crate) fn check_translation(
    edition: &Edition<'_>,
    settings: &Settings<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let doc = edition.document;
    let english_configured = settings.languages.iter().any(|l| l.as_str() == "en");
    // The language the editor writes is nobody's translation: an English newsletter may list
    // a title in Chinese or Japanese as it is.
    let primary = settings.languages.first().is_some_and(|l| *l == doc.lang);
    if !doc.lang.is_cjk() && primary {
        return;
    }
    if !doc.lang.is_cjk() {
        // The newsletter's name is a name (`Rust 周刊 #1: Starting from Zero`): only the
        // theme of a title that names its issue is held to the language.
        let theme = |title: &str| {
            let parts = settings.catalogue.format.title_parts(title);
            match parts.number {
                Some(_) => parts.theme,
                None => title.to_owned(),
            }
        };
        if let Some(title) = doc.title()
            && han_count(&theme(title)) > 0
        {
            out.push(Diagnostic::error(
                "untranslated",
                title_line(edition, settings),
                1,
                format!("the {} title is still Chinese: `{title}`", doc.lang),
            ));
        }
        for (section, entry) in doc.entries() {
            let title = entry.plain_title();
            if han_count(&title) > 0 {
                out.push(Diagnostic::error(
                    "untranslated",
                    entry.line,
                    1,
                    format!(
                        "entry {} of `{}` has no {} title: `{title}`",
                        entry.number,
                        section.heading.plain(),
                        doc.lang
                    ),
                ));
            }
        }
        return;
    }
    // A bilingual draft (`中文---English` titles): every entry of it should carry both halves.
    if english_configured && doc.entries().any(|(_, e)| e.bilingual_titles().is_some()) {
        for (section, entry) in doc.entries() {
            let missing = match entry.bilingual_titles() {
                None => true,
                Some((_, english)) => english.is_empty(),
            };
            if missing && !entry.links().is_empty() {
                out.push(Diagnostic::warning(
                    "untranslated",
                    entry.line,
                    1,
                    format!(
                        "entry {} of `{}` has no English title after `---`",
                        entry.number,
                        section.heading.plain()
                    ),
                ));
            }
        }
    }
}

/// Images a reader cannot see or a screen reader cannot tell: an empty alt text, a file on the
/// author's computer (outside fenced code).
/// Every image of `text` outside code fences, with its 1-based line and the column of its `![`.
pub fn images_of(text: &str) -> Vec<(u32, u32, weekly_model::inline::Image)> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => {
                fence = Some(m);
                continue;
            }
            (Some(open), Some(m)) if m == open => {
                fence = None;
                continue;
            }
            (Some(_), _) => continue,
            _ => {}
        }
        if !line.contains("![") {
            continue;
        }
        let (_, images) = weekly_model::inline::links_and_images(line);
        for image in images {
            // The `![` of this image: the last one before its `](url`.
            let at = line
                .find(&format!("]({}", image.url))
                .and_then(|end| line[..end].rfind("!["))
                .or_else(|| line.find("!["))
                .unwrap_or(0);
            let column = line[..at].chars().count() as u32 + 1;
            out.push((i as u32 + 1, column, image));
        }
    }
    out
}

pub(crate) fn check_images(edition: &Edition<'_>, out: &mut Vec<Diagnostic>) {
    for (number, column, image) in images_of(edition.text) {
        if weekly_model::inline::is_local_file(&image.url) {
            out.push(Diagnostic::warning(
                "image-local",
                number,
                column,
                format!(
                    "image `{}` is a file on your computer: readers cannot load it (upload it, or put it in `static/`)",
                    image.url
                ),
            ));
        }
        if image.alt.trim().is_empty() {
            out.push(Diagnostic::warning(
                "image-alt",
                number,
                column,
                format!(
                    "image `{}` has no alt text: screen readers and failed loads show nothing",
                    image.url
                ),
            ));
        }
    }
}

pub(crate) fn check_source(edition: &Edition<'_>, out: &mut Vec<Diagnostic>) {
    let crlf = edition.text.matches("\r\n").count();
    let lf = edition.text.matches('\n').count() - crlf;
    if crlf > 0 && lf > 0 {
        out.push(Diagnostic::warning(
            "mixed-line-endings",
            0,
            0,
            format!("{crlf} lines end with CRLF and {lf} with LF"),
        ));
    } else if edition.document.line_ending == LineEnding::CrLf {
        out.push(Diagnostic::warning(
            "crlf",
            0,
            0,
            "the file uses CRLF line endings; tools that split on `\\n` will see a stray `\\r`",
        ));
    }
    // Only YAML reads ` #` as a comment (`Key: value` headers keep it).
    if let Some(Header::FrontMatter(fm)) = &edition.document.header
        && fm.style == FrontMatterStyle::Yaml
    {
        for (i, line) in edition.text.lines().enumerate().skip(1).take(40) {
            if line.trim_end() == "---" {
                break;
            }
            let Some((_, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim_start();
            let quoted = value.starts_with(['\'', '"', '[', '{', '|', '>']);
            if !quoted && let Some(col) = value.find(" #") {
                out.push(Diagnostic::warning(
                    "yaml-comment",
                    i as u32 + 1,
                    (line.len() - value.len() + col + 2) as u32,
                    "YAML reads everything after ` #` as a comment; quote the value",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weekly_model::{Catalogue, Lang};
    use weekly_parse::{ParseOptions, parse_document};

    #[test]
    fn images_without_alt_or_on_the_authors_computer_outside_code() {
        let text = "# W #1\n\nSee ![](https://x.org/a.png) and ![ok](https://x.org/b.png).\n\n\
                    ```\n![](https://x.org/in-code.png)\n```\n\n![shot](C:/Users/me/shot.png)\n";
        let catalogue = Catalogue::default();
        let parsed = parse_document(
            text,
            &ParseOptions {
                file: "zh.md",
                lang: &Lang::zh(),
                catalogue: &catalogue,
            },
        );
        let edition = Edition {
            number: 1,
            date: None,
            file: "zh.md",
            text,
            document: &parsed.document,
            season: false,
        };
        let mut out = Vec::new();
        check_images(&edition, &mut out);
        let found: Vec<(&str, u32, u32)> = out.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(found, [("image-alt", 3, 5), ("image-local", 9, 1)]);
    }
}
