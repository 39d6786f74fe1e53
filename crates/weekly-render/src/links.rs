//! The links-only edition: every counted entry of one issue or a whole season as a numbered
//! `N、[title](url)` line under its section, numbered across the issues, then an appendix with
//! the links of the `（附…）` notes.

use crate::titles::title_markdown;
use weekly_model::inline::{escape_link_text, escape_link_url};
use weekly_model::{Catalogue, Document, Lang, SectionKey};

/// The links-only edition of `documents` (in issue order) in `lang`.
pub fn links_edition(
    title: &str,
    documents: &[&Document],
    catalogue: &Catalogue,
    lang: &Lang,
) -> String {
    let mut paragraphs = vec![format!("# {}", title.trim())];
    for def in catalogue.sections.iter().filter(|d| d.counted) {
        let lines = entry_lines(documents, &def.key);
        if lines.is_empty() {
            continue;
        }
        paragraphs.push(format!("## {}{}", def.emoji, def.name(lang)));
        paragraphs.extend(lines);
    }
    let appendix = appendix_lines(documents, catalogue);
    if !appendix.is_empty() {
        let key = SectionKey::new("appendix").expect("valid key");
        let name = catalogue.get(&key).map_or_else(
            || {
                if lang.is_cjk() {
                    "附录".to_owned()
                } else {
                    "Appendix".to_owned()
                }
            },
            |d| d.name(lang).to_owned(),
        );
        paragraphs.push(format!("## {name}"));
        paragraphs.push(appendix.join("\n"));
    }
    let mut out = paragraphs.join("\n\n");
    out.push('\n');
    out
}

fn entry_lines(documents: &[&Document], key: &SectionKey) -> Vec<String> {
    let mut lines = Vec::new();
    for doc in documents {
        for section in doc.all_sections().filter(|s| &s.key == key) {
            for entry in &section.entries {
                let n = lines.len() + 1;
                let links = entry.links();
                let line = match links.as_slice() {
                    [link] => format!(
                        "{n}、[{}]({})",
                        escape_title(&title_markdown(entry)),
                        escape_link_url(&link.url)
                    ),
                    [] => format!("{n}、{}", title_markdown(entry)),
                    // Two-link titles keep their links.
                    _ => format!("{n}、{}", entry.title.trim()),
                };
                lines.push(line);
            }
        }
    }
    lines
}

/// Link text from a Markdown title: brackets must stay balanced inside `[…]`.
fn escape_title(markdown: &str) -> String {
    let balanced = {
        let mut depth = 0i32;
        let mut escaped = false;
        let mut ok = true;
        for c in markdown.chars() {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '[') => depth += 1,
                (false, ']') => {
                    depth -= 1;
                    ok &= depth >= 0;
                }
                _ => {}
            }
        }
        ok && depth == 0
    };
    if balanced {
        markdown.to_owned()
    } else {
        escape_link_text(markdown)
    }
}

fn appendix_lines(documents: &[&Document], catalogue: &Catalogue) -> Vec<String> {
    let mut lines = Vec::new();
    for doc in documents {
        for (section, entry) in doc.entries() {
            if !catalogue.is_counted(&section.key) {
                continue;
            }
            for attachment in entry.attachments() {
                for link in attachment.links {
                    lines.push(format!(
                        "- [{}]({})",
                        escape_title(link.text.trim()),
                        escape_link_url(&link.url)
                    ));
                }
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::parse;

    #[test]
    fn numbers_run_across_issues_and_attachments_go_to_the_appendix() {
        let catalogue = Catalogue::python_weekly();
        let a = parse(
            "# 周刊#1：甲\n\n## 🦄文章&教程\n\n1、[文一](https://a.org/1_(x))（英文）\n\n说明（附：[补充](https://extra.org)）\n\n## 🐿️项目&资源\n\n1、[项目](https://p.org)\n",
        );
        let b = parse(
            "# 周刊#2：乙\n\n## 文章\n\n1、[文二](https://a.org/2) 与 [文三](https://a.org/3)\n",
        );
        let out = links_edition("第一季链接", &[&a, &b], &catalogue, &Lang::zh());
        assert_eq!(
            out,
            "# 第一季链接\n\n## 🦄文章&教程\n\n1、[文一](https://a.org/1_(x))\n\n2、[文二](https://a.org/2) 与 [文三](https://a.org/3)\n\n## 🐿️项目&资源\n\n1、[项目](https://p.org)\n\n## 附录\n\n- [补充](https://extra.org)\n"
        );
        let back = parse(&out);
        assert_eq!(back.entries().count(), 3);
    }
}
