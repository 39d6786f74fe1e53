//! The stand-in's answer to a draft request: the JSON object asked for, made only from the
//! candidate's title and page text in the request, at the typical length the request names.

use serde_json::json;

/// The text between `start` and `end` in `text`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    text.split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map_or("", |(inside, _)| inside)
}

/// A JSON draft for the request.
pub fn answer(system: &str, user: &str) -> String {
    let candidate = user.split_once("The candidate:").map_or("", |(_, c)| c);
    let title = candidate
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap_or("")
        .trim();
    let page = between(candidate, "<page>\n", "\n</page>");
    let typical: usize = between(system, "(typically ", ")")
        .trim()
        .parse()
        .unwrap_or(80);
    let min: usize = between(system, "description: ", "–")
        .trim()
        .parse()
        .unwrap_or(20);
    // Words a check would refuse are left out: links, star talk, Markdown.
    let words: Vec<&str> = page
        .split_whitespace()
        .filter(|w| {
            let l = w.to_lowercase();
            !l.contains("http") && !l.contains("www.") && !l.contains("star")
        })
        .collect();
    let mut description: String = words
        .join(" ")
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | '`' | '<' | '>' | '*' | '#'))
        .take(typical)
        .collect();
    while description.chars().count() < min.max(10) {
        description.push_str("值得一读。");
    }
    json!({
        "title": format!("草稿：{title}"),
        "original_title": title,
        "description": description.trim(),
    })
    .to_string()
}
