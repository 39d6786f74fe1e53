//! The Markdown of an accepted candidate's entry: its title link, the language note, and the
//! feed's summary as one paragraph of plain text. Link text and destinations are escaped by
//! `weekly_model::inline`, as the model's drafted entries are.

use weekly_model::Lang;
use weekly_model::inline::{escape_link_text, escape_link_url};

/// `（英文）` after the title of a link in another language than a Chinese newsletter's.
pub(super) fn lang_tag(primary: &Lang, lang: &str) -> Option<&'static str> {
    if lang.is_empty() || primary.as_str() == lang || primary.as_str() != "zh" {
        return None;
    }
    match lang {
        "en" => Some("（英文）"),
        "ja" => Some("（日文）"),
        _ => None,
    }
}

/// `[title](url)`, the title and the URL escaped.
pub(super) fn title_link(title: &str, url: &str) -> String {
    format!("[{}]({})", escape_link_text(title), destination(url))
}

/// A link destination that survives Markdown: spaces and unbalanced parentheses
/// percent-encoded, and in angle brackets when parentheses remain.
fn destination(url: &str) -> String {
    let url = escape_link_url(url);
    if url.contains(['(', ')']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url
    }
}

/// A feed's summary as one paragraph of plain text: it cannot turn into a heading, a quote, a
/// list or a new entry, and nothing in it becomes a link, an image, HTML or emphasis (`[x](u)`,
/// `<https://…>`, a bare `https://…` or `www.…` stay text). The editor writes the description;
/// the summary only tells what the link is about.
pub(super) fn paragraph(text: &str) -> String {
    let text: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    // What link text escapes (`[ ] \ * _` and backticks), then HTML, entities, strikethrough
    // and tables.
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in escape_link_text(&text).chars() {
        if matches!(c, '<' | '>' | '&' | '~' | '|') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    // A bare address is made a link by the autolink extension: break its `://` and `www.`.
    let escaped = escaped.replace("://", ":\\/\\/").replace("www.", "www\\.");
    block_safe(&escaped)
}

/// Markdown text (already escaped inline) as one paragraph that cannot start a heading, quote,
/// list, table or entry.
pub(super) fn block_safe(text: &str) -> String {
    let digits = text.trim_start_matches(|c: char| c.is_ascii_digit());
    let numbered =
        digits.len() < text.len() && (digits.starts_with('、') || digits.starts_with('.'));
    if text.starts_with(['#', '>', '-', '*', '+', '=', '|', '`']) || numbered {
        format!("\\{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafter::stars_text;

    #[test]
    fn feed_text_cannot_change_the_draft_structure() {
        assert_eq!(paragraph("## not a heading"), "\\## not a heading");
        assert_eq!(paragraph("3、not an entry"), "\\3、not an entry");
        assert_eq!(paragraph("2026 was a year"), "2026 was a year");
        assert_eq!(
            paragraph("See [x](https://a.org) <b> a_b & **c** ~d~ | e \\"),
            "See \\[x\\](https:\\/\\/a.org) \\<b\\> a\\_b \\& \\*\\*c\\*\\* \\~d\\~ \\| e \\\\"
        );
        assert_eq!(paragraph("> quote\u{7}"), "\\> quote ");
        assert_eq!(block_safe("- a list"), "\\- a list");
        assert_eq!(block_safe("a list - no"), "a list - no");
    }

    #[test]
    fn titles_and_links_are_escaped_as_drafted_entries_are() {
        assert_eq!(
            title_link("a [b] c", "https://a.org/x"),
            "[a \\[b\\] c](https://a.org/x)"
        );
        assert_eq!(
            title_link("snake_case *fast*", "https://a.org/x"),
            "[snake\\_case \\*fast\\*](https://a.org/x)"
        );
        assert_eq!(destination("https://a.org/x_(y)"), "<https://a.org/x_(y)>");
        assert_eq!(destination("https://a.org/x"), "https://a.org/x");
        assert_eq!(destination("https://a.org/a b"), "https://a.org/a%20b");
        assert_eq!(destination("https://a.org/x)"), "https://a.org/x%29");
    }

    #[test]
    fn a_language_note_in_a_chinese_newsletter_only() {
        let zh = Lang::new("zh").unwrap();
        let en = Lang::new("en").unwrap();
        assert_eq!(lang_tag(&zh, "en"), Some("（英文）"));
        assert_eq!(lang_tag(&zh, "zh"), None);
        assert_eq!(lang_tag(&en, "ja"), None);
    }

    #[test]
    fn star_counts_in_house_style() {
        assert_eq!(stars_text(950), "950");
        assert_eq!(stars_text(3200), "3.2K");
        assert_eq!(stars_text(12_000), "12K");
        assert_eq!(stars_text(54_321), "54.3K");
        assert_eq!(stars_text(123_456), "123K");
    }
}
