//! The structure rules a translated unit must keep: the same URLs, images, inline and fenced
//! code, star notes, paragraphs and list numbers; no Han characters left in a non-CJK result
//! beyond what the glossary allows; glossary terms used; names in a theme kept.

use crate::glossary::Glossary;
use crate::unit::{UnitKind, prose_only, segments};
use std::collections::BTreeMap;
use weekly_model::lang::is_han;
use weekly_model::{Lang, inline};

/// One broken rule, worded so it can be shown to a person and to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Short rule name: `urls`, `han`, `glossary`…
    pub rule: &'static str,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.rule, self.message)
    }
}

/// What the rules need besides the two texts.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// Language of the source unit.
    pub source: &'a Lang,
    /// Language of the result.
    pub target: &'a Lang,
    /// Terms and their translations.
    pub glossary: &'a Glossary,
}

fn bag<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeMap<T, i32> {
    let mut out = BTreeMap::new();
    for item in items {
        *out.entry(item).or_insert(0) += 1;
    }
    out
}

/// Items of `a` missing from `b` and items of `b` not in `a`.
fn bag_diff(a: &BTreeMap<String, i32>, b: &BTreeMap<String, i32>) -> (Vec<String>, Vec<String>) {
    let mut missing = Vec::new();
    let mut extra = Vec::new();
    for (k, n) in a {
        for _ in 0..(n - b.get(k).copied().unwrap_or(0)).max(0) {
            missing.push(k.clone());
        }
    }
    for (k, n) in b {
        for _ in 0..(n - a.get(k).copied().unwrap_or(0)).max(0) {
            extra.push(k.clone());
        }
    }
    (missing, extra)
}

/// URLs of links, images and bare `http(s)://` words.
pub fn urls(text: &str) -> Vec<String> {
    let (links, images) = inline::links_and_images(text);
    let mut out: Vec<String> = links.iter().map(|l| l.url.clone()).collect();
    out.extend(images.iter().map(|i| i.url.clone()));
    // Bare URLs: what is left once link and image syntax is taken out.
    let mut rest = text.to_owned();
    for link in links.iter().rev() {
        if link.end <= rest.len() && rest.is_char_boundary(link.offset) {
            rest.replace_range(link.offset..link.end, " ");
        }
    }
    for image in &images {
        rest = rest.replace(&format!("({})", image.url), " ");
    }
    for word in rest.split(|c: char| c.is_whitespace() || "<>（）".contains(c)) {
        if let Some(pos) = word.find("http://").or_else(|| word.find("https://")) {
            let url = word[pos..].trim_end_matches(['.', ',', ')', '）', '。', '，', ';']);
            out.push(url.to_owned());
        }
    }
    out.retain(|u| !u.trim().is_empty());
    out
}

/// Inline code spans (`` `x` ``) outside fenced blocks.
fn inline_code(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for segment in segments(text) {
        if is_fence(&segment) {
            continue;
        }
        let mut parts = segment.split('`');
        parts.next();
        while let (Some(code), Some(_)) = (parts.next(), parts.next()) {
            out.push(code.to_owned());
        }
    }
    out
}

fn is_fence(segment: &str) -> bool {
    let t = segment.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// The list markers starting lines (`1.`, `2)`, `-`, `*`), in order.
fn list_markers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for segment in segments(text) {
        if is_fence(&segment) {
            continue;
        }
        for line in segment.lines() {
            let t = line.trim_start();
            let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
            let after = &t[digits.len()..];
            if !digits.is_empty() && (after.starts_with(". ") || after.starts_with(") ")) {
                out.push(format!("{digits}{}", &after[..1]));
            } else if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
                out.push(t[..1].to_owned());
            }
        }
    }
    out
}

/// Runs of Han characters in the prose of `text`.
pub fn han_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut current = String::new();
    for c in prose_only(text).chars() {
        if is_han(c) {
            current.push(c);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Latin names (two or more characters) written in a CJK text: `FastAPI`, `t-string`, `3.14`.
pub fn latin_names(text: &str) -> Vec<String> {
    let prose = prose_only(text);
    let mut names = Vec::new();
    let mut current = String::new();
    for c in prose.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() || (!current.is_empty() && "-_.+#".contains(c)) {
            current.push(c);
        } else {
            let name = current.trim_end_matches(['-', '_', '.', '+']);
            if name.chars().count() >= 2 && name.chars().any(|c| c.is_ascii_alphabetic()) {
                names.push(name.to_owned());
            }
            current.clear();
        }
    }
    names
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Han characters left in `result` when the target is not a CJK language, beyond those of
/// glossary translations.
pub fn han_left(result: &str, rules: &Rules<'_>) -> Option<Problem> {
    if rules.target.is_cjk() {
        return None;
    }
    let allowed = rules.glossary.allowed_han(rules.target);
    let mut left: Vec<String> = han_runs(result)
        .into_iter()
        .filter(|run| !allowed.iter().any(|a| a.contains(run.as_str())))
        .collect();
    left.dedup();
    left.truncate(5);
    (!left.is_empty()).then(|| Problem {
        rule: "han",
        message: format!("Chinese text is left untranslated: {}", list(&left)),
    })
}

/// Checks `result` as the translation of `source`, a unit of kind `kind`.
pub fn check(kind: UnitKind, source: &str, result: &str, rules: &Rules<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut add = |rule, message: String| problems.push(Problem { rule, message });
    if result.trim().is_empty() {
        add("empty", "the translation is empty".into());
        return problems;
    }
    let (missing, extra) = bag_diff(&bag(urls(source)), &bag(urls(result)));
    if !missing.is_empty() {
        add(
            "urls",
            format!("these URLs of the source are missing: {}", list(&missing)),
        );
    }
    if !extra.is_empty() {
        add(
            "urls",
            format!("these URLs are not in the source: {}", list(&extra)),
        );
    }
    let (_, source_images) = inline::links_and_images(source);
    let (_, result_images) = inline::links_and_images(result);
    if source_images.len() != result_images.len() {
        add(
            "images",
            format!(
                "the source has {} image(s), the translation {}",
                source_images.len(),
                result_images.len()
            ),
        );
    }
    let (missing, extra) = bag_diff(&bag(inline_code(source)), &bag(inline_code(result)));
    if !missing.is_empty() {
        add(
            "code",
            format!("inline code of the source is missing: {}", list(&missing)),
        );
    }
    if !extra.is_empty() {
        add(
            "code",
            format!("inline code not in the source: {}", list(&extra)),
        );
    }
    let fences =
        |t: &str| -> Vec<String> { segments(t).into_iter().filter(|s| is_fence(s)).collect() };
    if fences(source) != fences(result) {
        add("code", "fenced code blocks must be copied unchanged".into());
    }
    let stars = |t: &str| -> Vec<u32> {
        let mut v: Vec<u32> = inline::star_notes(t).iter().map(|n| n.stars).collect();
        v.sort_unstable();
        v
    };
    if stars(source) != stars(result) {
        add(
            "stars",
            "the star notes such as `（star 2.7K）` must be kept with the same numbers".into(),
        );
    }
    let (s, r) = (segments(source).len(), segments(result).len());
    if s != r {
        add(
            "paragraphs",
            format!(
                "the source has {s} paragraph(s) separated by blank lines, the translation {r}"
            ),
        );
    }
    if list_markers(source) != list_markers(result) {
        add(
            "numbering",
            format!(
                "list numbering differs: source {}, translation {}",
                list(&list_markers(source)),
                list(&list_markers(result))
            ),
        );
    }
    if kind == UnitKind::Entry && segments(result).first().is_some_and(|t| t.contains('\n')) {
        add("title", "the title must stay on one line".into());
    }
    if let Some(problem) = han_left(result, rules) {
        add(problem.rule, problem.message);
    }
    for (term, translation) in rules.glossary.terms_in(source, rules.target) {
        if !contains_term(result, &translation) {
            add(
                "glossary",
                format!("`{term}` must be translated as `{translation}`"),
            );
        }
    }
    if kind == UnitKind::Theme && rules.source.is_cjk() && !rules.target.is_cjk() {
        let lower = result.to_lowercase();
        let lost: Vec<String> = latin_names(source)
            .into_iter()
            .filter(|n| !lower.contains(&n.to_lowercase()))
            .collect();
        if !lost.is_empty() {
            add(
                "names",
                format!("names of the source theme are missing: {}", list(&lost)),
            );
        }
    }
    problems
}

/// Whether `text` contains `term`, ignoring ASCII case.
pub fn contains_term(text: &str, term: &str) -> bool {
    text.to_lowercase().contains(&term.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: UnitKind, source: &str, result: &str) -> Vec<&'static str> {
        let glossary =
            Glossary::parse("[terms.\"潮流周刊\"]\nen = \"Trending Weekly\"\n[terms.\"猫哥\"]\nen = \"猫哥 (Cat)\"\n", "g.toml")
                .unwrap();
        let rules = Rules {
            source: &Lang::zh(),
            target: &Lang::en(),
            glossary: &glossary,
        };
        check(kind, source, result, &rules)
            .iter()
            .map(|p| p.rule)
            .collect()
    }

    const SOURCE: &str = "[装饰器指南](https://a.org/x)（star 2.7K）\n\n用 `functools.wraps` 写装饰器，见 https://b.org/y 。\n\n1. 第一\n2. 第二";

    #[test]
    fn a_faithful_translation_passes() {
        let ok = "[A guide to decorators](https://a.org/x) (star 2.7K)\n\nWrite decorators with `functools.wraps`, see https://b.org/y.\n\n1. First\n2. Second";
        assert_eq!(run(UnitKind::Entry, SOURCE, ok), Vec::<&str>::new());
    }

    #[test]
    fn each_broken_rule_is_named() {
        let dropped = "[A guide to decorators]() (star 2.7K)\n\nWrite decorators with `functools.wraps`, see https://b.org/y.\n\n1. First\n2. Second";
        assert_eq!(run(UnitKind::Entry, SOURCE, dropped), ["urls"]);
        let chinese = "[A guide to 装饰器](https://a.org/x) (star 2.7K)\n\nWrite decorators with `functools.wraps`, see https://b.org/y.\n\n1. First\n2. Second";
        assert_eq!(run(UnitKind::Entry, SOURCE, chinese), ["han"]);
        let merged = "[A guide to decorators](https://a.org/x) (star 2.7K) Write decorators with `functools.wraps`, see https://b.org/y.\n\n1. First\n2. Second";
        assert_eq!(run(UnitKind::Entry, SOURCE, merged), ["paragraphs"]);
        let code = "[A guide to decorators](https://a.org/x) (star 2.7K)\n\nWrite decorators with `wraps`, see https://b.org/y.\n\n1. First\n2. Second";
        assert_eq!(run(UnitKind::Entry, SOURCE, code), ["code", "code"]);
        let stars = "[A guide to decorators](https://a.org/x) (star 27K)\n\nWrite decorators with `functools.wraps`, see https://b.org/y.\n\n1. First\n2. Second";
        assert_eq!(run(UnitKind::Entry, SOURCE, stars), ["stars"]);
        let numbers = "[A guide to decorators](https://a.org/x) (star 2.7K)\n\nWrite decorators with `functools.wraps`, see https://b.org/y.\n\n1. First\n3. Second";
        assert_eq!(run(UnitKind::Entry, SOURCE, numbers), ["numbering"]);
        assert_eq!(run(UnitKind::Entry, SOURCE, "  "), ["empty"]);
    }

    #[test]
    fn glossary_terms_and_allowed_han() {
        assert_eq!(
            run(
                UnitKind::Preamble,
                "欢迎阅读潮流周刊",
                "Welcome to the weekly"
            ),
            ["glossary"]
        );
        assert!(
            run(
                UnitKind::Preamble,
                "欢迎阅读潮流周刊",
                "Welcome to the trending weekly"
            )
            .is_empty()
        );
        assert!(run(UnitKind::Preamble, "我是猫哥", "I am 猫哥 (Cat)").is_empty());
    }

    #[test]
    fn a_theme_keeps_its_names() {
        assert!(
            run(
                UnitKind::Theme,
                "如何解决 FastAPI 的大文件传输问题？",
                "How to solve large file transfers in FastAPI?"
            )
            .is_empty()
        );
        assert_eq!(
            run(
                UnitKind::Theme,
                "有了 f-string，为什么还要 t-string？",
                "How to Run Python in Production?"
            ),
            ["names"]
        );
    }

    #[test]
    fn urls_are_found_in_links_images_and_text() {
        assert_eq!(
            urls(
                "![图](https://i.org/a.png) [x](https://a.org/(b)) see <https://c.org/d>, and https://e.org/f。"
            ),
            [
                "https://a.org/(b)",
                "https://i.org/a.png",
                "https://c.org/d",
                "https://e.org/f"
            ]
        );
    }
}
