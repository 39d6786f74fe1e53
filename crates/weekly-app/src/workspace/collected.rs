//! Issues as the season collections in `seasons/` hold them. An archive may have lost an
//! issue's file (or have it only in another language) while a collection of its season still
//! holds the issue's primary-language text as one part: the figures of such an issue are taken
//! from that part.

use crate::workspace::Workspace;
use anyhow::Result;
use std::collections::BTreeMap;
use weekly_model::{DocKind, Document, IsoDate};
use weekly_parse::{ParseOptions, parse_collection};

/// One issue's part of a collection, as a document of its own.
#[derive(Debug, Clone)]
pub struct CollectedPart {
    /// The date the part's heading or first lines give.
    pub date: Option<IsoDate>,
    /// The theme its heading gives (`## 77 主题` → `主题`; empty for `## [第16期（日期）](…)`).
    pub theme: String,
    /// The part's sections as a full text in the primary language.
    pub document: Document,
    /// The collection it comes from (for messages).
    pub file: String,
}

/// The parts of the primary-language collections in `seasons/` by issue number; the first
/// collection (by file name) holding an issue wins. Files named for another language
/// (`….en.md`) are not read.
pub fn collected_parts(workspace: &Workspace) -> Result<BTreeMap<u32, CollectedPart>> {
    let config = &workspace.config;
    let mut out = BTreeMap::new();
    for path in &workspace.seasons {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let stem = name.strip_suffix(".md").unwrap_or(&name);
        let tagged = stem.rsplit_once('.').map(|(_, tag)| tag);
        if tagged.is_some_and(|tag| {
            config
                .languages
                .iter()
                .any(|l| l.as_str() == tag && *l != config.primary_language)
        }) {
            continue;
        }
        let text = workspace.read_text(path)?;
        let shown = workspace.display_path(path);
        let document = parse_collection(
            &text,
            &ParseOptions {
                file: &shown,
                lang: &config.primary_language,
                catalogue: &config.catalogue,
            },
        )
        .document;
        if document.kind != DocKind::Collection {
            continue;
        }
        for part in document.parts {
            let Some(number) = part.issue_number() else {
                continue;
            };
            if out.contains_key(&number) {
                continue;
            }
            let date = IsoDate::find_in(&part.heading.text).or_else(|| {
                part.intro
                    .iter()
                    .find_map(|block| IsoDate::find_in(&block.text))
            });
            out.insert(
                number,
                CollectedPart {
                    date,
                    theme: heading_theme(&part.heading.plain()),
                    document: Document {
                        kind: DocKind::Full,
                        lang: config.primary_language.clone(),
                        line_ending: document.line_ending,
                        leading: String::new(),
                        header: None,
                        // What the issue says before its first section, without the date
                        // line the collection adds.
                        preamble: part
                            .intro
                            .into_iter()
                            .filter(|block| !is_date_line(&block.text))
                            .collect(),
                        sections: part.sections,
                        parts: Vec::new(),
                        postamble: Vec::new(),
                    },
                    file: shown.clone(),
                },
            );
        }
    }
    Ok(out)
}

/// The line a collection puts under each part heading: `发布时间：2024-05-18`, `Published
/// 2024-05-18`, or with a link to the original post before it (`[博客原文](…) | 发布时间：…`).
fn is_date_line(text: &str) -> bool {
    let text = text.trim();
    (text.contains("发布时间") || text.contains("Published"))
        && IsoDate::find_in(text).is_some()
        && !text.contains('\n')
}

/// The theme in a part heading: the text after the issue number (`77`, `第77期`), without a
/// parenthesised date.
fn heading_theme(plain: &str) -> String {
    let rest = plain.trim().trim_start_matches(['第', '#', '№']);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix('期').unwrap_or(rest);
    let rest = rest.trim_start_matches([' ', '：', ':']).trim();
    let undated = match rest.strip_prefix('（').or_else(|| rest.strip_prefix('(')) {
        Some(inner) if IsoDate::find_in(inner).is_some() && inner.len() <= 14 => "",
        _ => rest,
    };
    undated.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::heading_theme;

    #[test]
    fn themes_of_part_headings() {
        assert_eq!(
            heading_theme("77 Python 依赖管理就像垃圾场火灾？ "),
            "Python 依赖管理就像垃圾场火灾？"
        );
        assert_eq!(heading_theme("第16期（2023-08-19）"), "");
        assert_eq!(heading_theme("第31期：新的一季"), "新的一季");
        assert_eq!(heading_theme("12"), "");
    }
}
