//! The fake translation: Han runs become English-looking words, full-width punctuation becomes
//! ASCII, glossary terms from the system message are used; URLs and code are left alone.

use weekly_model::lang::is_han;

const WORDS: [&str; 24] = [
    "python", "fast", "guide", "project", "async", "code", "tool", "data", "model", "web", "learn",
    "build", "test", "type", "library", "speed", "open", "source", "team", "news", "release",
    "design", "simple", "deep",
];

/// Glossary pairs `- term → translation` listed in a system message.
fn glossary(system: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = system
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .filter_map(|l| l.split_once(" → "))
        .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
        .collect();
    pairs.sort_by_key(|(a, _)| std::cmp::Reverse(a.chars().count()));
    pairs
}

fn punctuation(c: char) -> Option<&'static str> {
    Some(match c {
        '，' | '、' => ", ",
        '。' => ". ",
        '：' => ": ",
        '；' => "; ",
        '！' => "! ",
        '？' => "? ",
        '（' => " (",
        '）' => ") ",
        '“' | '”' | '「' | '」' | '《' | '》' => "\"",
        _ => return None,
    })
}

/// Translates the prose of `text`, keeping links' URLs, inline code, fenced code and bare URLs.
pub fn pseudo_translate(text: &str, system: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            out.push_str(line);
        } else if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&translate_line(line, &glossary(system)));
        }
    }
    out
}

fn translate_line(line: &str, glossary: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut prose = String::new();
    let mut chars = line.char_indices().peekable();
    let flush = |prose: &mut String, out: &mut String| {
        out.push_str(&words(prose, glossary));
        prose.clear();
    };
    while let Some((i, c)) = chars.next() {
        let rest = &line[i..];
        let protected = if c == '`' {
            rest[1..].find('`').map(|end| end + 2)
        } else if rest.starts_with("](") {
            rest.find(')').map(|end| end + 1)
        } else if rest.starts_with("http://") || rest.starts_with("https://") {
            Some(
                rest.find(|c: char| c.is_whitespace() || "）)>".contains(c))
                    .unwrap_or(rest.len()),
            )
        } else {
            None
        };
        match protected {
            Some(len) => {
                flush(&mut prose, &mut out);
                out.push_str(&rest[..len]);
                while chars.peek().is_some_and(|(j, _)| *j < i + len) {
                    chars.next();
                }
            }
            None => prose.push(c),
        }
    }
    flush(&mut prose, &mut out);
    out.replace(" ](", "](").trim_end().to_owned()
}

fn words(prose: &str, glossary: &[(String, String)]) -> String {
    let mut text = prose.to_owned();
    for (term, translation) in glossary {
        text = text.replace(term.as_str(), &format!(" {translation} "));
    }
    let mut out = String::new();
    let mut run: Vec<char> = Vec::new();
    let emit = |run: &mut Vec<char>, out: &mut String| {
        if run.is_empty() {
            return;
        }
        if !out.is_empty() && !out.ends_with([' ', '[', '(', '"', '\n']) {
            out.push(' ');
        }
        let mut first = true;
        for pair in run.chunks(2) {
            if !first {
                out.push(' ');
            }
            first = false;
            let n = pair.iter().map(|c| *c as usize).sum::<usize>();
            out.push_str(WORDS[n % WORDS.len()]);
        }
        out.push(' ');
        run.clear();
    };
    for c in text.chars() {
        if is_han(c) {
            run.push(c);
            continue;
        }
        emit(&mut run, &mut out);
        if let Some(p) = punctuation(c) {
            while out.ends_with(' ') && !p.starts_with(' ') {
                out.pop();
            }
            out.push_str(p);
        } else if c != ' ' || !out.ends_with(' ') {
            out.push(c);
        }
    }
    emit(&mut run, &mut out);
    // Tidy spaces: none before closing marks, single elsewhere.
    let mut tidy = String::with_capacity(out.len());
    for c in out.chars() {
        if "])".contains(c) && tidy.ends_with(' ') {
            tidy.pop();
        }
        if c == ' ' && (tidy.ends_with(' ') || tidy.ends_with('[')) {
            continue;
        }
        tidy.push(c);
    }
    let leading = prose.len() - prose.trim_start().len();
    let trailing_space = prose.ends_with(' ');
    let mut result = " ".repeat(leading.min(1) * usize::from(prose.starts_with(' ')));
    result.push_str(tidy.trim());
    if trailing_space || (tidy.ends_with(' ') && !tidy.trim().is_empty()) {
        result.push(' ');
    }
    result
}

/// Removes the URL of the first link: `[text](url)` → `[text]`.
pub fn drop_first_url(text: &str) -> String {
    if let Some(start) = text.find("](")
        && let Some(len) = text[start..].find(')')
    {
        let mut out = text.to_owned();
        out.replace_range((start + 1)..=(start + len), "");
        return out;
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_structure_and_leaves_no_han() {
        let source = "[装饰器指南](https://a.org/装饰器)（star 2.7K）\n\n用 `函数` 写，见 https://b.org/y 。\n\n```\n# 注释\n```\n\n1. 第一\n2. 第二";
        let out = pseudo_translate(source, "- 装饰器 → decorator\n");
        assert!(out.starts_with("[decorator "), "{out}");
        assert!(out.contains("](https://a.org/装饰器)"), "{out}");
        assert!(out.contains("(star 2.7K)"), "{out}");
        assert!(out.contains("`函数`"), "{out}");
        assert!(out.contains("https://b.org/y"), "{out}");
        assert!(out.contains("```\n# 注释\n```"), "{out}");
        assert!(out.contains("\n\n1. "), "{out}");
        assert!(out.contains("\n2. "), "{out}");
        let outside: String = out
            .replace("](https://a.org/装饰器)", "")
            .replace("`函数`", "")
            .replace("# 注释", "");
        assert!(!outside.chars().any(is_han), "{out}");
    }

    #[test]
    fn drops_a_url() {
        assert_eq!(drop_first_url("[a](u) [b](v)"), "[a] [b](v)");
    }
}
