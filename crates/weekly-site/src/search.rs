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
    Shard::of(token).to_string()
}

/// A shard: the first character of ASCII tokens, or the bucket of CJK ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Shard {
    Ascii(char),
    Cjk(u32),
}

impl Shard {
    fn of(token: &str) -> Self {
        let first = token.chars().next().unwrap_or('_');
        if first.is_ascii_alphanumeric() {
            Shard::Ascii(first)
        } else {
            Shard::Cjk(u32::from(first) % CJK_BUCKETS)
        }
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shard::Ascii(c) => write!(f, "{c}"),
            Shard::Cjk(bucket) => write!(f, "c{bucket}"),
        }
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    docs: usize,
    chunk: usize,
    shards: Vec<&'a str>,
}

/// The hasher of the postings table: the multiply-rotate hash of the Rust compiler (tokens are
/// short and not chosen by an attacker at build time, so SipHash's protection is not needed).
#[derive(Debug, Default, Clone, Copy)]
struct TokenHasher(u64);

impl std::hash::Hasher for TokenHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Postings = HashMap<Box<str>, Vec<u32>, std::hash::BuildHasherDefault<TokenHasher>>;

/// A token with its postings.
type Posted = (Box<str>, Vec<u32>);

/// One row of a `d-<n>.json` file: issue, section, title, URL, start of the text.
type Row = (u32, String, String, String, String);

/// Builds the index one document at a time: tokens go to the postings at once and only the
/// snippet of each document is kept, so the texts need not stay in memory.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    postings: Postings,
    rows: Vec<Row>,
    docs: u32,
    chunks: Vec<(String, String)>,
}

impl IndexBuilder {
    /// Adds the next document.
    pub fn add(&mut self, doc: SearchDoc) {
        let id = self.docs;
        self.docs += 1;
        let postings = &mut self.postings;
        let mut add = |token: &str, in_title: bool| {
            let posting = id * 2 + u32::from(in_title);
            match postings.get_mut(token) {
                Some(list) => match list.last_mut() {
                    Some(last) if *last / 2 == id => *last |= posting & 1,
                    _ => list.push(posting),
                },
                None => {
                    postings.insert(token.into(), vec![posting]);
                }
            }
        };
        tokens(&doc.title, |t| add(t, true));
        tokens(&doc.text, |t| add(t, false));
        let mut text = doc.text;
        if let Some((cut, _)) = text.char_indices().nth(TEXT_CHARS) {
            text.truncate(cut);
        }
        self.rows
            .push((doc.issue, doc.section, doc.title, doc.url, text));
        if self.rows.len() == CHUNK {
            self.flush_rows();
        }
    }

    fn flush_rows(&mut self) {
        let n = self.chunks.len();
        self.chunks.push((
            format!("d-{n}.json"),
            serde_json::to_string(&self.rows).expect("serializable"),
        ));
        self.rows.clear();
    }

    /// The index files: `(file name, JSON text)`.
    pub fn finish(mut self) -> Vec<(String, String)> {
        if !self.rows.is_empty() {
            self.flush_rows();
        }
        let mut by_shard: HashMap<Shard, Vec<Posted>> = HashMap::new();
        for (token, list) in self.postings {
            by_shard
                .entry(Shard::of(&token))
                .or_default()
                .push((token, list));
        }
        // Shards in the order of their names.
        let shards: BTreeMap<String, Vec<Posted>> = by_shard
            .into_iter()
            .map(|(shard, tokens)| (shard.to_string(), tokens))
            .collect();
        let mut files = Vec::with_capacity(shards.len() + self.chunks.len() + 1);
        let meta = Meta {
            version: 1,
            docs: self.docs as usize,
            chunk: CHUNK,
            shards: shards.keys().map(String::as_str).collect(),
        };
        files.push((
            "meta.json".to_owned(),
            serde_json::to_string(&meta).expect("serializable"),
        ));
        drop(meta);
        // Each shard is a JSON object of its tokens in sorted order; it is freed once written
        // out, so the postings and their JSON are not both held whole.
        for (key, mut tokens) in shards {
            tokens.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            files.push((format!("t-{key}.json"), shard_json(&tokens)));
        }
        files.append(&mut self.chunks);
        files
    }
}

/// `{"token":[postings],…}` of tokens in order. Tokens are ASCII letters and digits or CJK
/// characters (see [`tokens`]), which JSON takes between quotes as they are.
fn shard_json(tokens: &[Posted]) -> String {
    let mut out = String::with_capacity(tokens.len() * 16);
    let mut number = itoa::Buffer::new();
    out.push('{');
    for (i, (token, list)) in tokens.iter().enumerate() {
        debug_assert!(!token.contains(['"', '\\']) && !token.contains(char::is_control));
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(token);
        out.push_str("\":[");
        for (j, posting) in list.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(number.format(*posting));
        }
        out.push(']');
    }
    out.push('}');
    out
}

/// The index files of `docs`: `(file name, JSON text)`.
pub fn index(docs: &[SearchDoc]) -> Vec<(String, String)> {
    let mut builder = IndexBuilder::default();
    for doc in docs {
        builder.add(doc.clone());
    }
    builder.finish()
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
