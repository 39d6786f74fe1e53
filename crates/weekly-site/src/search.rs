//! The static search index: entries of one language cut into tokens (lower-case ASCII words;
//! pairs of neighbouring CJK characters, a lone one alone), written as shards that
//! `assets/search.js` fetches only when a query needs them. The script tokenizes the same way.
//!
//! Files (under `<lang>/search/`): `meta.json` (counts and the list of shards), `t-<key>.json`
//! (token → postings, a posting being `doc * 2 + 1` when the token is in the title, else
//! `doc * 2`), `d-<n>.json` (docs `n*chunk ..`: issue, section, title, URL, text).
//! ASCII words are sharded by their first character, so a prefix query (`async` → `asyncio`)
//! reads one shard; CJK pairs by the code point of their first character (32 buckets).

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Documents per `d-<n>.json` file.
pub const CHUNK: usize = 500;
/// Buckets of CJK tokens.
const CJK_BUCKETS: u32 = 32;
/// Characters of text kept per document for result snippets.
const TEXT_CHARS: usize = 400;

/// One searchable entry.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// Issue number.
    pub issue: u32,
    /// Section name.
    pub section: String,
    /// Title, plain.
    pub title: String,
    /// Link to the entry (`/zh/5/#articles-3`).
    pub url: String,
    /// Body, plain (empty for paid issues).
    pub text: String,
}

/// True for the characters searched in pairs: kana, Han, Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// The tokens of `text`, in order, repeated as often as they occur.
pub fn tokens(text: &str, mut each: impl FnMut(&str)) {
    let mut latin = String::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut pair = String::new();
    let flush_cjk = |cjk: &mut Vec<char>, pair: &mut String, each: &mut dyn FnMut(&str)| {
        if cjk.len() == 1 {
            pair.clear();
            pair.push(cjk[0]);
            each(pair);
        }
        for w in cjk.windows(2) {
            pair.clear();
            pair.push(w[0]);
            pair.push(w[1]);
            each(pair);
        }
        cjk.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if !cjk.is_empty() {
                flush_cjk(&mut cjk, &mut pair, &mut each);
            }
            latin.push(c.to_ascii_lowercase());
        } else {
            if !latin.is_empty() {
                if latin.len() <= 40 {
                    each(&latin);
                }
                latin.clear();
            }
            if is_cjk(c) {
                cjk.push(c);
            } else if !cjk.is_empty() {
                flush_cjk(&mut cjk, &mut pair, &mut each);
            }
        }
    }
    if !latin.is_empty() && latin.len() <= 40 {
        each(&latin);
    }
    if !cjk.is_empty() {
        flush_cjk(&mut cjk, &mut pair, &mut each);
    }
}

/// The shard a token is stored in.
pub fn shard_key(token: &str) -> String {
    let first = token.chars().next().unwrap_or('_');
    if first.is_ascii_alphanumeric() {
        first.to_string()
    } else {
        format!("c{}", u32::from(first) % CJK_BUCKETS)
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    docs: usize,
    chunk: usize,
    shards: Vec<&'a str>,
}

/// The index files of `docs`: `(file name, JSON text)`.
pub fn index(docs: &[SearchDoc]) -> Vec<(String, String)> {
    let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
    for (id, doc) in docs.iter().enumerate() {
        let id = id as u32;
        let mut add = |token: &str, in_title: bool| {
            let posting = id * 2 + u32::from(in_title);
            match postings.get_mut(token) {
                Some(list) => match list.last_mut() {
                    Some(last) if *last / 2 == id => *last |= posting & 1,
                    _ => list.push(posting),
                },
                None => {
                    postings.insert(token.to_owned(), vec![posting]);
                }
            }
        };
        tokens(&doc.title, |t| add(t, true));
        tokens(&doc.text, |t| add(t, false));
    }
    let mut shards: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for (token, list) in postings {
        shards
            .entry(shard_key(&token))
            .or_default()
            .insert(token, list);
    }
    let mut files = Vec::with_capacity(shards.len() + docs.len() / CHUNK + 2);
    let meta = Meta {
        version: 1,
        docs: docs.len(),
        chunk: CHUNK,
        shards: shards.keys().map(String::as_str).collect(),
    };
    files.push((
        "meta.json".to_owned(),
        serde_json::to_string(&meta).expect("serializable"),
    ));
    for (key, tokens) in &shards {
        files.push((
            format!("t-{key}.json"),
            serde_json::to_string(tokens).expect("serializable"),
        ));
    }
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let rows: Vec<(u32, &str, &str, &str, String)> = chunk
            .iter()
            .map(|d| {
                (
                    d.issue,
                    d.section.as_str(),
                    d.title.as_str(),
                    d.url.as_str(),
                    d.text.chars().take(TEXT_CHARS).collect(),
                )
            })
            .collect();
        files.push((
            format!("d-{n}.json"),
            serde_json::to_string(&rows).expect("serializable"),
        ));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokens(text, |t| out.push(t.to_owned()));
        out
    }

    #[test]
    fn ascii_words_and_cjk_pairs() {
        assert_eq!(
            all("用 asyncio 写异步代码"),
            ["用", "asyncio", "写异", "异步", "步代", "代码"]
        );
        assert_eq!(all("Rust装饰器!"), ["rust", "装饰", "饰器"]);
        assert_eq!(all("Python 3.13、PEP-8"), ["python", "3", "13", "pep", "8"]);
        assert_eq!(shard_key("asyncio"), "a");
        assert_eq!(shard_key("异步"), format!("c{}", u32::from('异') % 32));
    }

    #[test]
    fn postings_mark_title_hits_and_files_are_listed() {
        let doc = |title: &str, text: &str| SearchDoc {
            issue: 1,
            section: "文章".into(),
            title: title.into(),
            url: "/zh/1/#articles-1".into(),
            text: text.into(),
        };
        let files = index(&[doc("异步编程", "asyncio"), doc("其他", "异步 异步")]);
        let get = |name: &str| -> serde_json::Value {
            serde_json::from_str(&files.iter().find(|(n, _)| n == name).unwrap().1).unwrap()
        };
        let key = shard_key("异步");
        assert_eq!(
            get(&format!("t-{key}.json"))["异步"],
            serde_json::json!([1, 2])
        );
        assert_eq!(get("t-a.json")["asyncio"], serde_json::json!([0]));
        let meta = get("meta.json");
        assert_eq!(meta["docs"], 2);
        assert!(meta["shards"].as_array().unwrap().contains(&"a".into()));
        assert_eq!(get("d-0.json")[1][2], "其他");
    }
}
