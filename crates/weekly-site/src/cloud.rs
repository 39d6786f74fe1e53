//! The season word cloud, drawn by us as SVG: word frequencies from jieba (Chinese words of two
//! or more characters, Latin words of two or more letters, stop words left out), font sizes on
//! a square-root scale, each word placed on an Archimedean spiral from the centre at the first
//! spot where its box overlaps no other box. Words stay `<text>`, so the reader's browser draws
//! CJK with its own fonts.

use std::collections::{HashMap, HashSet};
pub use weekly_svg::cloud::*;

/// The built-in stop words (see `assets/stopwords.txt`).
pub const STOP_WORDS: &str = include_str!("../assets/stopwords.txt");

/// The stop words of a list: one per line, `#` comments, lower-cased.
pub fn stop_words(list: &str) -> HashSet<String> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
}

fn keep(word: &str) -> bool {
    let han = word
        .chars()
        .filter(|c| weekly_model::lang::is_han(*c))
        .count();
    if han > 0 {
        return han == word.chars().count() && han >= 2;
    }
    word.len() >= 2
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && word.chars().filter(char::is_ascii_alphabetic).count() >= 2
}

/// The most frequent words of `texts`, most frequent first (ties by word), at most
/// [`MAX_WORDS`].
pub fn frequencies<S: std::hash::BuildHasher>(
    texts: &[&str],
    stop: &HashSet<String, S>,
) -> Vec<(String, u32)> {
    let jieba = weekly_stats::words::jieba();
    let mut counts: HashMap<String, (String, u32)> = HashMap::new();
    for text in texts {
        for token in jieba.cut(text, false) {
            let word = token.word.trim();
            if !keep(word) {
                continue;
            }
            let key = word.to_lowercase();
            if stop.contains(&key) {
                continue;
            }
            counts.entry(key).or_insert_with(|| (word.to_owned(), 0)).1 += 1;
        }
    }
    let mut words: Vec<(String, u32)> = counts.into_values().filter(|(_, n)| *n >= 2).collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    words.truncate(MAX_WORDS);
    words
}

/// A season's cloud: its word counts and the words as placed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cloud {
    /// The most frequent words (see [`frequencies`]).
    pub words: Vec<(String, u32)>,
    /// Their placement (see [`layout`]).
    pub placed: Vec<Placed>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_and_leaves_out_stop_words() {
        let stop = stop_words("# c\n我们\nthe\n");
        let words = frequencies(
            &[
                "我们用异步编程和异步框架。The asyncio asyncio 库，Python python",
                "异步编程 我们 的 a",
            ],
            &stop,
        );
        let get = |w: &str| {
            words
                .iter()
                .find(|(x, _)| x.eq_ignore_ascii_case(w))
                .map(|x| x.1)
        };
        assert_eq!(get("异步"), Some(3));
        assert_eq!(get("asyncio"), Some(2));
        assert_eq!(get("python"), Some(2));
        assert_eq!(get("我们"), None);
        assert_eq!(get("the"), None);
        assert_eq!(get("a"), None);
    }
}
