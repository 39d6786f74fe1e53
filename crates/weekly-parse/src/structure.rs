//! Building the document tree from classified lines: header, preamble, sections or season
//! parts, entries, closing paragraphs. Every input line ends up in exactly one node.

use crate::ParseOptions;
use crate::front_matter;
use crate::lines::{self, Kind, Line};
use weekly_model::catalogue::SectionKey;
use weekly_model::{
    Block, Diagnostic, DocKind, Document, Entry, Header, Heading, HeadingStyle, LineEnding,
    NumberMarker, Part, Section, Verbatim, inline,
};

/// A line that starts a node.
#[derive(Debug)]
enum Marker {
    Part(Heading),
    /// A section heading, or a category heading with its section's heading text.
    Section(Heading, Option<String>),
    Entry(u32, NumberMarker, String),
    Postamble,
}

pub(crate) fn build(
    text: &str,
    options: &ParseOptions<'_>,
    collection: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Document {
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let lines = lines::split(text);
    let line_ending = detect_line_ending(&lines);

    let mut i = 0;
    while i < lines.len() && lines[i].is_blank() {
        i += 1;
    }
    let mut leading = String::from(bom);
    leading.extend(lines[..i].iter().map(|l| l.raw));

    let header = read_header(&lines, &mut i, options, diagnostics);
    let body = &lines[i..];
    let kinds = classify_all(body, options, diagnostics);
    // A section headed by the issue's own theme is its lead essay (科技爱好者周刊).
    let theme = header
        .as_ref()
        .and_then(|h| match h {
            Header::FrontMatter(fm) => fm.title.clone(),
            Header::H1(h) => Some(inline::plain_text(&h.text)),
        })
        .map(|t| options.catalogue.format.title_parts(&t).theme)
        .filter(|t| !t.is_empty());
    let markers = find_markers(body, &kinds, options, theme.as_deref(), collection);

    let mut document = Document {
        kind: DocKind::Full,
        lang: options.lang.clone(),
        line_ending,
        leading,
        header,
        preamble: Vec::new(),
        sections: Vec::new(),
        parts: Vec::new(),
        postamble: Vec::new(),
    };
    assemble(&mut document, body, markers, options, diagnostics);
    document.kind = decide_kind(&document);
    document
}

fn detect_line_ending(lines: &[Line<'_>]) -> LineEnding {
    let crlf = lines.iter().filter(|l| l.raw.ends_with("\r\n")).count();
    let terminated = lines.iter().filter(|l| l.raw.ends_with('\n')).count();
    if crlf * 2 > terminated {
        LineEnding::CrLf
    } else {
        LineEnding::Lf
    }
}

fn trailing_blanks(lines: &[Line<'_>], mut end: usize) -> usize {
    while end < lines.len() && lines[end].is_blank() {
        end += 1;
    }
    end
}

fn raw_of(lines: &[Line<'_>]) -> String {
    lines.iter().map(|l| l.raw).collect()
}

fn read_header(
    lines: &[Line<'_>],
    i: &mut usize,
    options: &ParseOptions<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Header> {
    let start = *i;
    let first = lines.get(start)?;
    let format = &options.catalogue.format;
    let fenced = if let Some(close) = front_matter::closing_fence(lines, start) {
        Some((
            front_matter::read(lines, start, close, format, diagnostics),
            close,
        ))
    } else {
        front_matter::closing_toml_fence(lines, start).map(|close| {
            (
                front_matter::read_toml(lines, start, close, format, diagnostics),
                close,
            )
        })
    };
    if let Some((mut fm, close)) = fenced {
        let end = trailing_blanks(lines, close + 1);
        fm.source = Some(Verbatim {
            text: raw_of(&lines[start..end]),
            fingerprint: fm.fingerprint(),
        });
        *i = end;
        return Some(Header::FrontMatter(fm));
    }
    if format.field_header
        && let Some(fields_end) = front_matter::field_lines(lines, start, format)
    {
        let mut fm = front_matter::read_fields(lines, start, fields_end, format, diagnostics);
        let end = trailing_blanks(lines, fields_end);
        fm.source = Some(Verbatim {
            text: raw_of(&lines[start..end]),
            fingerprint: fm.fingerprint(),
        });
        *i = end;
        return Some(Header::FrontMatter(fm));
    }
    if first.content.trim_end() == "---" {
        diagnostics.push(Diagnostic::error(
            "front-matter",
            first.number,
            1,
            "front matter opened here is never closed with a `---` line",
        ));
        return None;
    }
    if let Kind::Atx(1, text) = lines::classify(first.content, options.catalogue) {
        let end = trailing_blanks(lines, start + 1);
        let mut heading = Heading {
            style: HeadingStyle::Atx(1),
            text,
            source: None,
            line: first.number,
        };
        heading.source = Some(Verbatim {
            text: raw_of(&lines[start..end]),
            fingerprint: heading.fingerprint(),
        });
        *i = end;
        return Some(Header::H1(heading));
    }
    None
}

/// Classifies body lines; lines inside fenced code are text whatever they look like.
fn classify_all(
    body: &[Line<'_>],
    options: &ParseOptions<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Kind> {
    let mut kinds = Vec::with_capacity(body.len());
    let mut open_fence: Option<(char, usize, u32)> = None;
    let mut in_comment = false;
    for line in body {
        // An HTML comment is text, whatever its lines look like (commented-out entries).
        if in_comment {
            in_comment = !line.content.contains("-->");
            kinds.push(Kind::Text);
            continue;
        }
        if let Some(after) = line.content.trim_start().strip_prefix("<!--") {
            in_comment = !after.contains("-->");
            kinds.push(Kind::Text);
            continue;
        }
        if let Some((ch, run, _)) = open_fence {
            if lines::closes_fence((ch, run), line.content) {
                open_fence = None;
            }
            kinds.push(Kind::Text);
            continue;
        }
        if let Some((c, r)) = lines::fence(line.content) {
            open_fence = Some((c, r, line.number));
            kinds.push(Kind::Text);
            continue;
        }
        let kind = lines::classify(line.content, options.catalogue);
        if let Kind::Atx(1, _) = kind
            && !options.catalogue.format.levels.sections.contains(&1)
        {
            diagnostics.push(Diagnostic::warning(
                "stray-h1",
                line.number,
                1,
                "a level-1 heading inside the body is read as text; use `##` for a section",
            ));
            kinds.push(Kind::Text);
            continue;
        }
        kinds.push(kind);
    }
    if let Some((_, _, line)) = open_fence {
        diagnostics.push(Diagnostic::warning(
            "unclosed-fence",
            line,
            1,
            "code block opened here is never closed; the rest of the file is read as code",
        ));
    }
    kinds
}

fn heading_key(text: &str, options: &ParseOptions<'_>) -> SectionKey {
    options.catalogue.classify(&inline::plain_text(text))
}

fn find_markers(
    body: &[Line<'_>],
    kinds: &[Kind],
    options: &ParseOptions<'_>,
    theme: Option<&str>,
    season_file: bool,
) -> Vec<(usize, Marker)> {
    let format = &options.catalogue.format;
    let levels = &format.levels;
    // Season collections put one issue per `##`, its sections under `###` and their categories
    // under `####`/`#####`. A season file is read so when a `##` names an issue (`#12: …`,
    // `第12期：…`; a wrap-up's `## 本季数据` does not); another file is when the newsletter's
    // issues are written at `##` without categories and it has `###` sections under unknown
    // `##` headings (a newsletter that declares category levels reads its `###` as those).
    let known = |t: &str| !heading_key(t, options).is_other();
    let names_issue = |t: &str| {
        let plain = inline::plain_text(t);
        let rest = plain.trim().trim_start_matches(['第', '#', '№']);
        rest.starts_with(|c: char| c.is_ascii_digit())
    };
    let collection = (season_file
        && kinds
            .iter()
            .any(|k| matches!(k, Kind::Atx(2, t) if names_issue(t))))
        || (levels.categories.is_empty()
            && levels.sections == [2]
            && kinds
                .iter()
                .any(|k| matches!(k, Kind::Atx(3, t) if known(t)))
            && kinds
                .iter()
                .any(|k| matches!(k, Kind::Atx(2, t) if !known(t))));
    let is_section = |level: u8| {
        if collection {
            level == 3
        } else {
            levels.sections.contains(&level)
        }
    };
    let is_category = |level: u8| {
        if collection {
            matches!(level, 4 | 5)
        } else {
            levels.categories.contains(&level)
        }
    };
    let definitions = if format.bullets {
        lines::definitions(body, kinds)
    } else {
        std::collections::HashSet::new()
    };
    let is_essay = |text: &str| {
        let plain = inline::plain_text(text);
        format.is_essay(&plain) || theme.is_some_and(|t| plain.trim() == t.trim())
    };

    let mut markers = Vec::new();
    let mut in_section = false;
    let mut in_essay = false;
    let mut parent: Option<String> = None;
    let mut bullets = 0u32;
    for (index, (line, kind)) in body.iter().zip(kinds).enumerate() {
        let heading = |style, text: &str| Heading {
            style,
            text: text.to_owned(),
            source: None,
            line: line.number,
        };
        match kind {
            Kind::Atx(2, text) if collection => {
                markers.push((index, Marker::Part(heading(HeadingStyle::Atx(2), text))));
                in_section = false;
                parent = None;
            }
            Kind::Atx(level, text) if is_section(*level) => {
                markers.push((
                    index,
                    Marker::Section(heading(HeadingStyle::Atx(*level), text), None),
                ));
                in_section = true;
                in_essay = is_essay(text);
                parent = Some(text.clone());
                bullets = 0;
            }
            // A category heading; before any section heading it opens a section of its own.
            Kind::Atx(level, text) if is_category(*level) => {
                markers.push((
                    index,
                    Marker::Section(heading(HeadingStyle::Atx(*level), text), parent.clone()),
                ));
                in_section = true;
                if parent.is_none() {
                    in_essay = is_essay(text);
                }
                bullets = 0;
            }
            Kind::BoldHeading(text) => {
                markers.push((
                    index,
                    Marker::Section(heading(HeadingStyle::Bold, text), None),
                ));
                in_section = true;
                in_essay = is_essay(text);
                parent = Some(text.clone());
                bullets = 0;
            }
            Kind::BareLinkHeading(text) => {
                markers.push((
                    index,
                    Marker::Section(heading(HeadingStyle::BareLink, text), None),
                ));
                in_section = true;
                in_essay = false;
                parent = Some(text.clone());
                bullets = 0;
            }
            Kind::Entry(number, marker, title) if in_section && !in_essay => {
                markers.push((index, Marker::Entry(*number, *marker, title.clone())));
            }
            Kind::Bullet(title)
                if !in_essay && lines::item_has_link(body, kinds, index, &definitions) =>
            {
                // A list of links before the first heading gets a section without one.
                if !in_section {
                    markers.push((
                        index,
                        Marker::Section(heading(HeadingStyle::Implicit, ""), None),
                    ));
                    in_section = true;
                    bullets = 0;
                }
                bullets += 1;
                markers.push((
                    index,
                    Marker::Entry(bullets, NumberMarker::Bullet, title.clone()),
                ));
            }
            _ => {}
        }
    }
    // Paragraphs after the last title of a teaser list close the document.
    if let Some((index, Marker::Entry(_, NumberMarker::Circled, _))) = markers.last() {
        let next_text = (index + 1..body.len()).find(|&j| !body[j].is_blank());
        if let Some(j) = next_text {
            markers.push((j, Marker::Postamble));
        }
    }
    markers
}

/// Groups lines into blocks: runs of non-blank lines (fenced code kept whole) with the blank
/// lines after them. Returns (block, raw text).
fn blocks(lines: &[Line<'_>]) -> Vec<(Block, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].is_blank() {
            i += 1;
            continue;
        }
        let start = i;
        let mut fence: Option<(char, usize)> = None;
        while i < lines.len() {
            let line = &lines[i];
            if let Some(open) = fence {
                if lines::closes_fence(open, line.content) {
                    fence = None;
                }
            } else if line.is_blank() {
                break;
            } else if let Some(f) = lines::fence(line.content) {
                fence = Some(f);
            }
            i += 1;
        }
        let content_end = i;
        let end = trailing_blanks(lines, i);
        let text = lines[start..content_end]
            .iter()
            .map(|l| l.content)
            .collect::<Vec<_>>()
            .join("\n");
        let block = Block {
            text,
            source: None,
            line: lines[start].number,
        };
        out.push((block, raw_of(&lines[start..end])));
        i = end;
    }
    out
}

fn verbatim_blocks(lines: &[Line<'_>]) -> Vec<Block> {
    blocks(lines)
        .into_iter()
        .map(|(mut block, raw)| {
            block.source = Some(Verbatim {
                text: raw,
                fingerprint: block.fingerprint(),
            });
            block
        })
        .collect()
}

fn assemble(
    document: &mut Document,
    body: &[Line<'_>],
    markers: Vec<(usize, Marker)>,
    options: &ParseOptions<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let first = markers.first().map_or(body.len(), |(i, _)| *i);
    document.preamble = verbatim_blocks(&body[..first]);

    let ends: Vec<usize> = markers
        .iter()
        .skip(1)
        .map(|(i, _)| *i)
        .chain(std::iter::once(body.len()))
        .collect();
    for ((start, marker), end) in markers.into_iter().zip(ends) {
        let lines = &body[start..end];
        match marker {
            Marker::Part(mut heading) => {
                let after = trailing_blanks(lines, 1);
                heading.source = Some(Verbatim {
                    text: raw_of(&lines[..after]),
                    fingerprint: heading.fingerprint(),
                });
                document.parts.push(Part {
                    heading,
                    intro: verbatim_blocks(&lines[after..]),
                    sections: Vec::new(),
                });
            }
            Marker::Section(mut heading, parent) => {
                let after = if heading.style == HeadingStyle::Implicit {
                    0
                } else {
                    trailing_blanks(lines, 1)
                };
                heading.source = Some(Verbatim {
                    text: raw_of(&lines[..after]),
                    fingerprint: heading.fingerprint(),
                });
                // A category's entries belong to its section.
                let key = heading_key(parent.as_deref().unwrap_or(&heading.text), options);
                let section = Section {
                    key,
                    category: parent.is_some(),
                    heading,
                    intro: verbatim_blocks(&lines[after..]),
                    entries: Vec::new(),
                };
                match document.parts.last_mut() {
                    Some(part) => part.sections.push(section),
                    None => document.sections.push(section),
                }
            }
            Marker::Entry(number, marker, title) => {
                if title.is_empty() {
                    diagnostics.push(Diagnostic::warning(
                        "empty-title",
                        lines[0].number,
                        1,
                        format!("entry {number} has no title"),
                    ));
                }
                let mut entry = Entry {
                    number,
                    marker,
                    title,
                    body: blocks(&lines[1..]).into_iter().map(|(b, _)| b).collect(),
                    source: None,
                    line: lines[0].number,
                };
                entry.source = Some(Verbatim {
                    text: raw_of(lines),
                    fingerprint: entry.fingerprint(),
                });
                let section = match document.parts.last_mut() {
                    Some(part) => part.sections.last_mut(),
                    None => document.sections.last_mut(),
                };
                if let Some(section) = section {
                    section.entries.push(entry);
                }
            }
            Marker::Postamble => {
                document.postamble = verbatim_blocks(lines);
            }
        }
    }
}

fn decide_kind(document: &Document) -> DocKind {
    if !document.parts.is_empty() {
        return DocKind::Collection;
    }
    let mut entries = document.entries().map(|(_, e)| e).peekable();
    if entries.peek().is_some() && entries.all(|e| e.marker == NumberMarker::Circled) {
        return DocKind::Teaser;
    }
    // A season's links edition numbers its links through the season; a long list of bullet
    // entries is an ordinary issue (This Week in Rust merges a hundred pull requests a week).
    let numbered = |s: &Section| {
        s.entries
            .iter()
            .filter(|e| e.marker != NumberMarker::Bullet)
            .count()
    };
    if document.sections.iter().any(|s| numbered(s) > 40) {
        return DocKind::LinkList;
    }
    DocKind::Full
}
