//! `translate --check`: an existing translation read against its source by the rules a new
//! translation must pass. Sections are matched by catalogue key and entries by position, so a
//! lost, added or shifted entry shows as a URL that moved.

use crate::rules::{Problem, Rules, check, han_left};
use crate::unit::{UnitKind, entry_text};
use weekly_model::{Document, TitleParts};

/// A problem found at a place of the translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line in the translation (0 when unknown).
    pub line: u32,
    /// What part: `the title`, `entry 3 of 🦄Articles & Tutorials`.
    pub label: String,
    /// The broken rule.
    pub problem: Problem,
}

fn finding(line: u32, label: impl Into<String>, rule: &'static str, message: String) -> Finding {
    Finding {
        line,
        label: label.into(),
        problem: Problem { rule, message },
    }
}

/// Everything wrong with `translation` as a translation of `source`.
pub fn compare(source: &Document, translation: &Document, rules: &Rules<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    compare_titles(source, translation, rules, &mut out);
    // Paragraphs outside sections differ by design between editions (welcome texts, links to
    // the original); only untranslated text is looked for.
    let outside = translation.preamble.iter().chain(&translation.postamble);
    for block in outside {
        if let Some(problem) = han_left(&block.text, rules) {
            out.push(Finding {
                line: block.line,
                label: "a paragraph".into(),
                problem,
            });
        }
    }
    let mut used = vec![false; translation.sections.len()];
    for section in &source.sections {
        if section.key.is_other() {
            continue;
        }
        let Some(t) = translation
            .sections
            .iter()
            .enumerate()
            .position(|(i, t)| !used[i] && t.key == section.key)
        else {
            if !section.entries.is_empty() {
                out.push(finding(
                    0,
                    format!("section `{}`", section.heading.plain()),
                    "sections",
                    format!(
                        "the source's section `{}` ({} entries) is missing",
                        section.heading.plain(),
                        section.entries.len()
                    ),
                ));
            }
            continue;
        };
        used[t] = true;
        let other = &translation.sections[t];
        let name = other.heading.plain();
        if section.entries.len() != other.entries.len() {
            out.push(finding(
                other.heading.line,
                format!("section `{name}`"),
                "entries",
                format!(
                    "the source has {} entries here, the translation {}",
                    section.entries.len(),
                    other.entries.len()
                ),
            ));
        }
        for (a, b) in section.entries.iter().zip(&other.entries) {
            let source_text = entry_text(&a.title, a.body.iter().map(|x| x.text.as_str()));
            let text = entry_text(&b.title, b.body.iter().map(|x| x.text.as_str()));
            for problem in check(UnitKind::Entry, &source_text, &text, rules) {
                out.push(Finding {
                    line: b.line,
                    label: format!("entry {} of `{name}`", b.number),
                    problem,
                });
            }
        }
    }
    out
}

fn compare_titles(
    source: &Document,
    translation: &Document,
    rules: &Rules<'_>,
    out: &mut Vec<Finding>,
) {
    let (Some(a), Some(b)) = (source.title(), translation.title()) else {
        return;
    };
    let (pa, pb) = (TitleParts::parse(a), TitleParts::parse(b));
    if let Some(n) = pa.number
        && pb.number != Some(n)
    {
        out.push(finding(
            1,
            "the title",
            "number",
            format!("the title `{b}` does not carry the issue number {n} of the source `{a}`"),
        ));
    }
    for problem in check(UnitKind::Theme, &pa.theme, &pb.theme, rules) {
        if matches!(problem.rule, "han" | "names" | "glossary" | "empty") {
            out.push(Finding {
                line: 1,
                label: "the title".into(),
                problem,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::Glossary;
    use crate::test_support::parse;
    use weekly_model::Lang;

    fn rules_of(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.problem.rule).collect()
    }

    #[test]
    fn finds_shifted_titles_lost_links_and_chinese_left() {
        let zh = parse(
            "# Python 潮流周刊#101：Rust 开发的 Python 类型检查工具\n\n## 🦄文章&教程\n\n1、[甲](https://a.org)\n\n2、[乙](https://b.org)\n",
            &Lang::zh(),
        );
        let en = parse(
            "# Python Trending Weekly #100: Why t-string?\n\n本期分享。\n\n## 🦄Articles & Tutorials\n\n1、[B](https://b.org)\n\n2、[A 甲](https://a.org)\n",
            &Lang::en(),
        );
        let glossary = Glossary::default();
        let rules = Rules {
            source: &Lang::zh(),
            target: &Lang::en(),
            glossary: &glossary,
        };
        let findings = compare(&zh, &en, &rules);
        assert_eq!(
            rules_of(&findings),
            [
                "number", "names", "han", "urls", "urls", "urls", "urls", "han"
            ],
            "{findings:#?}"
        );
        let good = parse(
            "# Python Trending Weekly #101: A Python Type Checker Written in Rust\n\n## 🦄Articles & Tutorials\n\n1、[A](https://a.org)\n\n2、[B](https://b.org)\n",
            &Lang::en(),
        );
        assert!(compare(&zh, &good, &rules).is_empty());
    }
}
