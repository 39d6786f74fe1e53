//! The links-only edition: every counted entry of one issue or a whole season as a numbered
//! `N、[title](url)` line under its section, numbered across the issues, then an appendix with
//! the links of the `（附…）` notes. Each section goes under the name its issues give it (a
//! 2018 issue's `新闻` stays `新闻` when the catalogue calls the section `科技动态` today);
//! a name that is the catalogue's, spelled with other spaces or without its emoji, is
//! written as the catalogue writes it.

use crate::titles::title_markdown;
use weekly_model::inline::{escape_link_text, escape_link_url};
use weekly_model::{Catalogue, Document, Lang, Section, SectionKey};

/// The links-only edition of `documents` (in issue order) in `lang`.
pub fn links_edition(
    title: &str,
    documents: &[&Document],
    catalogue: &Catalogue,
    lang: &Lang,
) -> String {
    let mut paragraphs = vec![format!("# {}", title.trim())];
    for def in catalogue.sections.iter().filter(|d| d.counted) {
        let canonical = format!("{}{}", def.emoji, def.name(lang));
        for (name, lines) in entry_lines(documents, &def.key, &canonical) {
            paragraphs.push(format!("## {name}"));
            paragraphs.extend(lines);
        }
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

/// The entry lines of the sections with `key`, grouped by the name the issues give the
/// section (in the order the names first come), each group numbered from 1; `canonical` is
/// the catalogue's name, used for every spelling of it and for sections without a name.
fn entry_lines(
    documents: &[&Document],
    key: &SectionKey,
    canonical: &str,
) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, String, Vec<String>)> = Vec::new();
    for doc in documents {
        for (section, name) in named_sections(doc) {
            if &section.key != key || section.entries.is_empty() {
                continue;
            }
            let folded = fold(&name);
            let (folded, name) = if folded.is_empty() || folded == fold(canonical) {
                (fold(canonical), canonical.to_owned())
            } else {
                (folded, name)
            };
            let at = groups
                .iter()
                .position(|g| g.0 == folded)
                .unwrap_or_else(|| {
                    groups.push((folded, name, Vec::new()));
                    groups.len() - 1
                });
            let lines = &mut groups[at].2;
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
    groups
        .into_iter()
        .map(|(_, name, lines)| (name, lines))
        .collect()
}

/// Each section of `doc` with the name the issue gives it: its heading's text, or for a
/// category the text of the section heading before it.
fn named_sections(doc: &Document) -> Vec<(&Section, String)> {
    let mut parent = String::new();
    doc.all_sections()
        .map(|section| {
            let own = section.heading.plain();
            if section.category {
                (section, parent.clone())
            } else {
                parent.clone_from(&own);
                (section, own)
            }
        })
        .collect()
}

/// A section name as compared: spaces and a leading emoji left out, `＆` read as `&`, case
/// folded.
fn fold(name: &str) -> String {
    let (_, rest) = weekly_model::catalogue::split_emoji(name);
    rest.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{FE0F}')
        .map(|c| if c == '＆' { '&' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
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
            "# 第一季链接\n\n## 🦄文章&教程\n\n1、[文一](https://a.org/1_(x))\n\n## 文章\n\n1、[文二](https://a.org/2) 与 [文三](https://a.org/3)\n\n## 🐿️项目&资源\n\n1、[项目](https://p.org)\n\n## 附录\n\n- [补充](https://extra.org)\n"
        );
        let back = parse(&out);
        assert_eq!(back.entries().count(), 3);
    }

    #[test]
    fn sections_keep_the_names_their_issues_give_them() {
        let mut catalogue = Catalogue::python_weekly();
        catalogue.sections[0].aliases.push("旧闻".into());
        let parse = |text: &str| {
            weekly_parse::parse_document(
                text,
                &weekly_parse::ParseOptions {
                    file: "t.md",
                    lang: &Lang::zh(),
                    catalogue: &catalogue,
                },
            )
            .document
        };
        // 旧闻 is the section's old name (an alias): its entries keep it.
        let old = parse(
            "# 周刊#1：甲\n\n## 旧闻\n\n1、[一](https://a.org/1)\n\n2、[二](https://a.org/2)\n",
        );
        let spaced = parse("# 周刊#2：乙\n\n## 文章 & 教程\n\n1、[三](https://a.org/3)\n");
        let new = parse("# 周刊#3：丙\n\n## 🦄文章&教程\n\n1、[四](https://a.org/4)\n");
        assert_eq!(old.sections[0].key.as_str(), "articles");
        let out = links_edition("链接", &[&old, &spaced, &new], &catalogue, &Lang::zh());
        assert_eq!(
            out,
            "# 链接\n\n## 旧闻\n\n1、[一](https://a.org/1)\n\n2、[二](https://a.org/2)\n\n## 🦄文章&教程\n\n1、[三](https://a.org/3)\n\n2、[四](https://a.org/4)\n"
        );
    }
}
