//! The limits of short posts, counted as each service counts: Mastodon's characters (a URL
//! counts as 23 whatever its length), Bluesky's graphemes (300) and its link facets, whose
//! offsets are UTF-8 byte offsets into the text.

use unicode_segmentation::UnicodeSegmentation;

/// What a URL counts for in a Mastodon status (`characters_reserved_per_url`).
pub const MASTODON_URL_CHARS: usize = 23;
/// The most graphemes of a Bluesky post (`app.bsky.feed.post` lexicon, `maxGraphemes`).
pub const BLUESKY_GRAPHEMES: usize = 300;

/// The length of `text` as Mastodon counts it: characters, each `http(s)://` URL as 23.
pub fn mastodon_length(text: &str) -> usize {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let bare = word.trim_end();
            if bare.starts_with("https://") || bare.starts_with("http://") {
                MASTODON_URL_CHARS + (word.chars().count() - bare.chars().count())
            } else {
                word.chars().count()
            }
        })
        .sum()
}

/// The graphemes of `text` (what a reader sees as one character).
pub fn graphemes(text: &str) -> usize {
    text.graphemes(true).count()
}

/// `text` cut to at most `max` by `measure`, at a grapheme boundary, ending with `…` when cut.
pub fn fit(text: &str, max: usize, measure: impl Fn(&str) -> usize) -> String {
    if measure(text) <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    for g in text.graphemes(true) {
        let next = format!("{out}{g}…");
        if measure(&next) > max {
            break;
        }
        out.push_str(g);
    }
    format!("{}…", out.trim_end())
}

/// The byte ranges of every `http(s)://` URL in `text`: Bluesky's link facets.
pub fn link_ranges(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = text[at..]
        .find("https://")
        .or_else(|| text[at..].find("http://"))
        .map(|s| at + s)
    {
        let end = text[start..]
            .find(char::is_whitespace)
            .map_or(text.len(), |e| start + e);
        // A sentence's closing mark is not part of the URL.
        let url = text[start..end].trim_end_matches(['.', ',', ')', '。', '，', '）']);
        out.push((start, start + url.len(), url.to_owned()));
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_count_23_and_graphemes_are_what_readers_see() {
        let url = "https://weekly.example.org/zh/109/a-very-long-path-indeed";
        assert_eq!(mastodon_length(&format!("第 109 期 {url}")), 8 + 23);
        assert_eq!(graphemes("👩‍👩‍👧 家"), 3);
        let cut = fit(&"周".repeat(400), 300, graphemes);
        assert_eq!(graphemes(&cut), 300);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn link_facets_are_byte_ranges_on_char_boundaries() {
        let text = "第 109 期：异步的未来 https://w.example.org/zh/109/。";
        let ranges = link_ranges(text);
        assert_eq!(ranges.len(), 1);
        let (start, end, url) = &ranges[0];
        assert!(text.is_char_boundary(*start) && text.is_char_boundary(*end));
        assert_eq!(&text[*start..*end], "https://w.example.org/zh/109/");
        assert_eq!(url, "https://w.example.org/zh/109/");
    }
}
