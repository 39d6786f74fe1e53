//! Adding an entry to a draft: the text is edited in place (the editor's other lines stay
//! byte for byte), the entry takes the next number of its section and that section's marker
//! style, and a missing section gets its heading before the first section that comes later
//! in the catalogue.

use weekly_model::{Catalogue, Document, Lang, NumberMarker, SectionKey};

/// Inserts `lines` (the title line without number, then body paragraphs) as a new entry of
/// section `key`. Returns the new text and the entry number.
pub fn insert_entry(
    text: &str,
    document: &Document,
    catalogue: &Catalogue,
    lang: &Lang,
    key: &SectionKey,
    title: &str,
    body: &[String],
) -> (String, u32) {
    let eol = document.line_ending.as_str();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let sections: Vec<_> = document.all_sections().collect();
    let position = |key: &SectionKey| {
        catalogue
            .sections
            .iter()
            .position(|d| &d.key == key && d.counted)
    };
    let found = sections.iter().position(|s| &s.key == key);
    // Line (1-based) before which the new text goes; `lines.len() + 1` is the end.
    let end = lines.len() as u32 + 1;
    let after = |index: usize| -> u32 {
        sections
            .get(index + 1)
            .map(|s| s.heading.line)
            .or_else(|| document.postamble.first().map(|b| b.line))
            .unwrap_or(end)
    };
    let (number, marker, before, heading) = if let Some(i) = found {
        let section = sections[i];
        let number = section.entries.iter().map(|e| e.number).max().unwrap_or(0) + 1;
        let marker = section
            .entries
            .last()
            .map_or(NumberMarker::Dunhao, |e| e.marker);
        (number, marker, after(i), None)
    } else {
        let mine = position(key).unwrap_or(usize::MAX);
        let next = sections
            .iter()
            .find(|s| position(&s.key).is_none_or(|p| p > mine))
            .map(|s| s.heading.line)
            .or_else(|| document.postamble.first().map(|b| b.line))
            .unwrap_or(end);
        let def = catalogue.get(key);
        let name = def.map_or_else(
            || key.to_string(),
            |d| format!("{}{}", d.emoji, d.name(lang)),
        );
        (1, NumberMarker::Dunhao, next, Some(format!("## {name}")))
    };
    let number_text = match marker {
        NumberMarker::Dot => format!("{number}. "),
        _ => format!("{number}、"),
    };
    let mut block: Vec<String> = Vec::new();
    if let Some(h) = heading {
        block.push(h);
    }
    block.push(format!("{number_text}{title}"));
    block.extend(body.iter().filter(|p| !p.trim().is_empty()).cloned());

    // Keep the lines before the insertion point, without their trailing blank lines.
    let cut = (before as usize).saturating_sub(1).min(lines.len());
    let mut head: Vec<&str> = lines[..cut].to_vec();
    while head.last().is_some_and(|l| l.trim().is_empty()) {
        head.pop();
    }
    let tail = &lines[cut..];
    let mut out: String = head.concat();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    if !out.is_empty() {
        out.push_str(eol);
    }
    out.push_str(&block.join(&format!("{eol}{eol}")));
    out.push_str(eol);
    if !tail.is_empty() {
        out.push_str(eol);
        out.push_str(&tail.concat());
    }
    (out, number)
}

/// `text` without the entry whose title links to a URL `matches` accepts (the entry's lines
/// up to the next entry, heading or closing paragraph), the later entries of its section
/// numbered one lower; `None` when no entry links there. The other lines stay byte for byte.
pub fn remove_entry(
    text: &str,
    document: &Document,
    matches: impl Fn(&str) -> bool,
) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let end = lines.len() as u32 + 1;
    let sections: Vec<_> = document.all_sections().collect();
    for (si, section) in sections.iter().enumerate() {
        let Some(ei) = section
            .entries
            .iter()
            .position(|e| e.links().iter().any(|l| matches(&l.url)))
        else {
            continue;
        };
        let start = section.entries[ei].line;
        let stop = section
            .entries
            .get(ei + 1)
            .map(|e| e.line)
            .or_else(|| sections.get(si + 1).map(|s| s.heading.line))
            .or_else(|| document.postamble.first().map(|b| b.line))
            .unwrap_or(end);
        let renumber: Vec<(u32, u32)> = section.entries[ei + 1..]
            .iter()
            .map(|e| (e.line, e.number))
            .collect();
        let mut out = String::with_capacity(text.len());
        for (n, line) in lines.iter().enumerate() {
            let number = n as u32 + 1;
            if (start..stop).contains(&number) {
                continue;
            }
            match renumber.iter().find(|(l, _)| *l == number) {
                Some((_, old)) if line.starts_with(&old.to_string()) => {
                    out.push_str(&(old - 1).to_string());
                    out.push_str(&line[old.to_string().len()..]);
                }
                _ => out.push_str(line),
            }
        }
        return Some(out);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use weekly_parse::{ParseOptions, parse_document};

    const DRAFT: &str = "---\ntitle: 'Demo#8：主题---Theme'\n---\n\n你好。\n\n## 🦄文章&教程\n\n1、[一---One](https://a.org/1)\n\n说明。\n\n\n## 🐱欢迎订阅\n\n订阅吧。\n";

    fn insert(text: &str, key: &str) -> (String, u32) {
        let lang = Lang::new("zh").unwrap();
        let catalogue = Catalogue::python_weekly();
        let parsed = parse_document(
            text,
            &ParseOptions {
                file: "draft.md",
                lang: &lang,
                catalogue: &catalogue,
            },
        );
        insert_entry(
            text,
            &parsed.document,
            &catalogue,
            &lang,
            &SectionKey::new(key).unwrap(),
            "[Two](https://b.org/2)（英文）",
            &["第二条。（star 1.2K）".to_owned()],
        )
    }

    #[test]
    fn appends_to_an_existing_section() {
        let (out, n) = insert(DRAFT, "articles");
        assert_eq!(n, 2);
        assert!(
            out.contains("说明。\n\n2、[Two](https://b.org/2)（英文）\n\n第二条。（star 1.2K）\n\n## 🐱欢迎订阅"),
            "{out}"
        );
        assert!(
            out.starts_with(
                "---\ntitle: 'Demo#8：主题---Theme'\n---\n\n你好。\n\n## 🦄文章&教程\n"
            )
        );
    }

    #[test]
    fn an_entry_is_taken_out_and_the_later_ones_renumbered() {
        let (added, _) = insert(DRAFT, "projects");
        let document = weekly_parse::parse_document(
            &added,
            &weekly_parse::ParseOptions {
                file: "d.md",
                lang: &Lang::zh(),
                catalogue: &Catalogue::python_weekly(),
            },
        )
        .document;
        let out = remove_entry(&added, &document, |u| u == "https://b.org/2").expect("found");
        assert!(
            !out.contains("https://b.org/2") && !out.contains("第二条。"),
            "{out}"
        );
        assert!(out.contains("## 🐱欢迎订阅"), "{out}");
        assert_eq!(
            remove_entry(&added, &document, |u| u == "https://none.org"),
            None
        );
        // Removing the first of two entries makes the second number 1.
        let two =
            "## 🦄文章&教程\n\n1、[A](https://a.org)\n\n一。\n\n2、[B](https://b.org)\n\n二。\n";
        let document = weekly_parse::parse_document(
            two,
            &weekly_parse::ParseOptions {
                file: "d.md",
                lang: &Lang::zh(),
                catalogue: &Catalogue::python_weekly(),
            },
        )
        .document;
        let out = remove_entry(two, &document, |u| u == "https://a.org").unwrap();
        assert_eq!(out, "## 🦄文章&教程\n\n1、[B](https://b.org)\n\n二。\n");
    }

    #[test]
    fn creates_a_missing_section_in_catalogue_order() {
        let (out, n) = insert(DRAFT, "projects");
        assert_eq!(n, 1);
        let projects = out.find("## 🐿️项目&资源").expect(&out);
        assert!(projects > out.find("说明。").unwrap());
        assert!(projects < out.find("## 🐱欢迎订阅").unwrap());
        assert!(out.contains("## 🐿️项目&资源\n\n1、[Two](https://b.org/2)（英文）\n\n第二条。"));
        // The result parses back with the entry in place.
        let (again, n) = insert(&out, "projects");
        assert_eq!(n, 2);
        assert!(
            again.contains("第二条。（star 1.2K）\n\n2、[Two]"),
            "{again}"
        );
    }

    #[test]
    fn appends_at_the_end_and_keeps_crlf() {
        let text = "# Demo#8\r\n\r\n## 🦄文章&教程\r\n\r\n1. [One](https://a.org/1)\r\n";
        let (out, n) = insert(text, "articles");
        assert_eq!(n, 2);
        assert_eq!(
            out,
            "# Demo#8\r\n\r\n## 🦄文章&教程\r\n\r\n1. [One](https://a.org/1)\r\n\r\n2. [Two](https://b.org/2)（英文）\r\n\r\n第二条。（star 1.2K）\r\n"
        );
    }
}
