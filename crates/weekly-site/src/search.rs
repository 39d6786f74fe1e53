//! The static search index of one language and the rules of what a query finds, shared with
//! `assets/search.js` (which cuts queries by the same rules).
//!
//! What a query finds ([`matches`] is the rule written as a plain scan): the query is cut into
//! terms — runs of letters and digits (lower-cased; "words") and runs of CJK characters — and
//! an entry is found when it has every term: a word term of two or more characters as the
//! start of one of its words (`async` finds `asyncio`), a one-character word term as a whole
//! word, and a CJK term anywhere in its title or anywhere in its text (one character finds
//! every entry holding that character). Words are kept to their first 40 characters.
//!
//! The index: every word with the entries holding it, and every CJK character with the
//! entries holding it and its positions there (so a run of characters is found exactly, not
//! guessed from pairs). Tokens are sorted (UTF-16 order, as JavaScript compares strings) and
//! cut into `t-<n>.json` files of about [`CHUNK_BYTES`]; `meta.json` lists each file's first
//! token, so a query reads only the files of its terms (a word prefix: the files its range
//! spans). Entries' titles and starts of texts for the result list are in `d-<n>.json` files
//! of [`ROWS`] entries, read only for the page of results shown.
//!
//! Postings are delta-coded: a word's list holds `gap * 2 + in_title` per entry; a
//! character's list holds, per entry, `gap, t, b` and then `t` title positions and `b` text
//! positions, each list as gaps from the one before (the first from 0). Positions count CJK
//! characters, with one extra step where a run of them ends, so only neighbours in one run are
//! consecutive.

use rustc_hash::FxHashMap;
use serde::Serialize;

/// Entries per `d-<n>.json` file.
pub const ROWS: usize = 8;
/// The most bytes of a `t-<n>.json` file, unless one token's list alone is longer.
pub const CHUNK_BYTES: usize = 8 * 1024;
/// Characters of a word that are indexed.
pub const WORD_CHARS: usize = 40;
/// Characters of text kept per entry for the result list.
const TEXT_CHARS: usize = 160;

/// One searchable entry, or a text of an issue outside its entries (the paragraphs before
/// its first section and after its last, a section's paragraphs before its entries).
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// Issue number.
    pub issue: u32,
    /// Section name (empty where the title says where the text is).
    pub section: String,
    /// Title, plain.
    pub title: String,
    /// Link to the entry (`/zh/5/#articles-3`).
    pub url: String,
    /// Body, plain (empty for paid issues).
    pub text: String,
}

/// True for the characters searched one by one: kana, Han, Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// True for the characters of words: letters and digits that are not CJK.
pub fn is_word_char(c: char) -> bool {
    (c.is_alphabetic() || c.is_numeric()) && !is_cjk(c)
}

/// A piece of text as the index and queries see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A lower-cased word (its first [`WORD_CHARS`] characters).
    Word(&'a str),
    /// A CJK character and its position.
    Cjk(char, u32),
}

/// Cuts `text` into words and CJK characters with their positions, in text order (a word is
/// given when it ends, so before the CJK character that ends it).
pub fn cut(text: &str, mut each: impl FnMut(Piece<'_>)) {
    let mut current = String::new();
    let mut chars = 0;
    let mut position = 0u32;
    let mut in_run = false;
    for c in text.chars() {
        if is_word_char(c) {
            if chars < WORD_CHARS {
                current.extend(c.to_lowercase());
            }
            chars += 1;
        } else if chars > 0 {
            each(Piece::Word(&current));
            current.clear();
            chars = 0;
        }
        if is_cjk(c) {
            each(Piece::Cjk(c, position));
            position += 1;
            in_run = true;
        } else if in_run {
            position += 1;
            in_run = false;
        }
    }
    if chars > 0 {
        each(Piece::Word(&current));
    }
}

/// A term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A lower-cased word (at most [`WORD_CHARS`] characters).
    Word(String),
    /// A run of CJK characters.
    Cjk(String),
}

/// The terms of a query, each once, in order: its words, and its runs of CJK characters (cut
/// by [`cut`], as the entries were).
pub fn terms(query: &str) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::new();
    // The run being read: its index in `out` and the position its next character must have.
    let mut run: Option<(usize, u32)> = None;
    cut(query, |piece| match piece {
        Piece::Word(w) => out.push(Term::Word(w.to_owned())),
        Piece::Cjk(c, at) => match run {
            Some((i, next)) if next == at => {
                if let Term::Cjk(text) = &mut out[i] {
                    text.push(c);
                }
                run = Some((i, at + 1));
            }
            _ => {
                run = Some((out.len(), at + 1));
                out.push(Term::Cjk(c.to_string()));
            }
        },
    });
    let mut seen = Vec::with_capacity(out.len());
    out.retain(|term| {
        let new = !seen.contains(term);
        if new {
            seen.push(term.clone());
        }
        new
    });
    out
}

/// Whether `doc` is found by `query`, decided by scanning its title and text (the rule the
/// index answers; tests compare the two). A query without terms finds nothing.
pub fn matches(doc: &SearchDoc, query: &str) -> bool {
    let terms = terms(query);
    if terms.is_empty() {
        return false;
    }
    let mut words: Vec<String> = Vec::new();
    for text in [&doc.title, &doc.text] {
        cut(text, |piece| {
            if let Piece::Word(w) = piece {
                words.push(w.to_owned());
            }
        });
    }
    terms.iter().all(|term| match term {
        Term::Word(w) if w.chars().count() == 1 => words.iter().any(|x| x == w),
        Term::Word(w) => words.iter().any(|x| x.starts_with(w.as_str())),
        Term::Cjk(run) => doc.title.contains(run.as_str()) || doc.text.contains(run.as_str()),
    })
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    docs: u32,
    rows: usize,
    chunks: Vec<&'a str>,
}

/// The postings of a CJK character: the encoded list and the last entry in it.
#[derive(Debug, Default)]
struct CjkList {
    last: Option<u32>,
    encoded: Vec<u32>,
}

/// Positions of one character in the entry being added: in the title, in the text.
type Places = (Vec<u32>, Vec<u32>);

/// One row of a `d-<n>.json` file: issue, section, title, URL, start of the text.
type Row = (u32, String, String, String, String);

/// Builds the index one document at a time: its tokens go to the postings at once and only the
/// start of its text is kept, so the texts need not stay in memory.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    /// Each word's number, given in the order the words are first seen.
    ids: FxHashMap<Box<str>, u32>,
    /// By word number: the last entry that has the word, and the word's postings.
    words: Vec<(u32, Vec<u32>)>,
    cjk: FxHashMap<char, CjkList>,
    rows: Vec<Row>,
    docs: u32,
    row_files: Vec<(String, String)>,
    /// The words and characters of the entry being added (kept to reuse their memory).
    seen: FxHashMap<u32, bool>,
    places: FxHashMap<char, Places>,
}

impl IndexBuilder {
    /// Adds the next document.
    pub fn add(&mut self, doc: SearchDoc) {
        let id = self.docs;
        self.docs += 1;
        let (mut seen, mut places) = (
            std::mem::take(&mut self.seen),
            std::mem::take(&mut self.places),
        );
        let (ids, words) = (&mut self.ids, &mut self.words);
        for (in_title, text) in [(true, &doc.title), (false, &doc.text)] {
            cut(text, |piece| match piece {
                Piece::Word(w) => {
                    // A word is copied once, the first time any entry has it.
                    let word = if let Some(&word) = ids.get(w) {
                        word
                    } else {
                        let word = u32::try_from(words.len()).expect("fewer than 2^32 words");
                        ids.insert(w.into(), word);
                        words.push((0, Vec::new()));
                        word
                    };
                    *seen.entry(word).or_insert(in_title) |= in_title;
                }
                Piece::Cjk(c, at) => {
                    let (title, body) = places.entry(c).or_default();
                    if in_title { title } else { body }.push(at);
                }
            });
        }
        // Each token's list gets one posting per entry, so the order tokens are visited in
        // does not change the index.
        for (word, in_title) in seen.drain() {
            let (last, list) = &mut self.words[word as usize];
            let gap = if list.is_empty() { id } else { id - *last };
            list.push(gap * 2 + u32::from(in_title));
            *last = id;
        }
        for (c, (title, body)) in places.drain() {
            let list = self.cjk.entry(c).or_default();
            let gap = list.last.map_or(id, |last| id - last);
            list.last = Some(id);
            list.encoded
                .extend([gap, title.len() as u32, body.len() as u32]);
            for positions in [title, body] {
                let mut before = 0;
                for at in positions {
                    list.encoded.push(at - before);
                    before = at;
                }
            }
        }
        (self.seen, self.places) = (seen, places);
        let mut text = doc.text;
        if let Some((cut, _)) = text.char_indices().nth(TEXT_CHARS) {
            text.truncate(cut);
        }
        self.rows
            .push((doc.issue, doc.section, doc.title, doc.url, text));
        if self.rows.len() == ROWS {
            self.flush_rows();
        }
    }

    fn flush_rows(&mut self) {
        let n = self.row_files.len();
        self.row_files.push((
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
        let mut words = self.words;
        let mut tokens: Vec<(String, Vec<u32>)> = self
            .ids
            .into_iter()
            .map(|(w, word)| (w.into_string(), std::mem::take(&mut words[word as usize].1)))
            .chain(
                self.cjk
                    .into_iter()
                    .map(|(c, list)| (c.to_string(), list.encoded)),
            )
            .collect();
        tokens.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        let mut chunks: Vec<(String, String)> = Vec::new();
        let mut firsts: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut number = itoa::Buffer::new();
        let mut piece = String::new();
        for (token, list) in &tokens {
            piece.clear();
            piece.push_str(&serde_json::to_string(token).expect("a string"));
            piece.push_str(":[");
            for (j, value) in list.iter().enumerate() {
                if j > 0 {
                    piece.push(',');
                }
                piece.push_str(number.format(*value));
            }
            piece.push(']');
            // A file ends before the token that would take it over the size.
            if !current.is_empty() && current.len() + piece.len() + 2 > CHUNK_BYTES {
                current.push('}');
                chunks.push((
                    format!("t-{}.json", chunks.len()),
                    std::mem::take(&mut current),
                ));
            }
            if current.is_empty() {
                current.push('{');
                firsts.push(token.clone());
            } else {
                current.push(',');
            }
            current.push_str(&piece);
        }
        if !current.is_empty() {
            current.push('}');
            chunks.push((format!("t-{}.json", chunks.len()), current));
        }
        let meta = Meta {
            version: 2,
            docs: self.docs,
            rows: ROWS,
            chunks: firsts.iter().map(String::as_str).collect(),
        };
        let mut files = Vec::with_capacity(chunks.len() + self.row_files.len() + 1);
        files.push((
            "meta.json".to_owned(),
            serde_json::to_string(&meta).expect("serializable"),
        ));
        files.append(&mut chunks);
        files.append(&mut self.row_files);
        files
    }
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

    fn doc(title: &str, text: &str) -> SearchDoc {
        SearchDoc {
            issue: 1,
            section: "文章".into(),
            title: title.into(),
            url: "/zh/1/#articles-1".into(),
            text: text.into(),
        }
    }

    #[test]
    fn queries_are_cut_into_words_and_cjk_runs() {
        assert_eq!(
            terms("用 AsyncIO 写异步代码 asyncio"),
            [
                Term::Cjk("用".into()),
                Term::Word("asyncio".into()),
                Term::Cjk("写异步代码".into())
            ]
        );
        assert_eq!(
            terms("Python 3.13、PEP-8 Café"),
            ["python", "3", "13", "pep", "8", "café"].map(|w| Term::Word(w.into()))
        );
        assert!(terms("  ++ ").is_empty());
    }

    #[test]
    fn the_scan_rule() {
        let d = doc("用 Rust 写的锁", "asyncio 的事件循环 3.13");
        assert!(matches(&d, "锁"));
        assert!(matches(&d, "事件循环"));
        assert!(
            !matches(&d, "锁事"),
            "a run is not found across title and text"
        );
        assert!(matches(&d, "async 锁"));
        assert!(!matches(&d, "sync"), "words are found by their start");
        assert!(
            matches(&d, "3") && !matches(&d, "1"),
            "one character: whole words"
        );
        assert!(!matches(&d, "asyncio 猫"));
        assert!(!matches(&d, "、"));
    }

    #[test]
    fn positions_step_over_run_ends() {
        let mut seen = Vec::new();
        cut("异步 IO，锁", |piece| {
            if let Piece::Cjk(c, at) = piece {
                seen.push((c, at));
            }
        });
        assert_eq!(seen, [('异', 0), ('步', 1), ('锁', 3)]);
    }

    #[test]
    fn postings_are_delta_coded_with_positions() {
        let files = index(&[doc("异步编程", "asyncio"), doc("其他", "异步 异步")]);
        let get = |name: &str| -> serde_json::Value {
            serde_json::from_str(&files.iter().find(|(n, _)| n == name).unwrap().1).unwrap()
        };
        let meta = get("meta.json");
        assert_eq!(meta["docs"], 2);
        assert_eq!(meta["chunks"], serde_json::json!(["asyncio"]));
        let t = get("t-0.json");
        // Doc 0: one title position (0), no text; doc 1 (gap 1): none in the title, text at 0
        // and 3 (the space ends a run: one step more).
        assert_eq!(t["异"], serde_json::json!([0, 1, 0, 0, 1, 0, 2, 0, 3]));
        assert_eq!(t["asyncio"], serde_json::json!([0]));
        assert_eq!(t["其"], serde_json::json!([1, 1, 0, 0]));
        assert_eq!(get("d-0.json")[1][2], "其他");
    }

    #[test]
    fn token_files_are_cut_by_size_in_utf16_order() {
        let docs: Vec<SearchDoc> = (0..3000)
            .map(|i| doc(&format!("w{i:05} 𠀀"), &format!("x{i} ｦ")))
            .collect();
        let files = index(&docs);
        let meta: serde_json::Value = serde_json::from_str(&files[0].1).unwrap();
        let firsts: Vec<String> = meta["chunks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert!(firsts.len() > 2);
        let utf16: Vec<Vec<u16>> = firsts.iter().map(|f| f.encode_utf16().collect()).collect();
        assert!(utf16.windows(2).all(|w| w[0] < w[1]));
        // 𠀀 (a surrogate pair in UTF-16) sorts before ｦ (U+FF66) as JavaScript compares.
        let chunk_of = |token: &str| {
            let t: Vec<u16> = token.encode_utf16().collect();
            utf16.iter().rposition(|f| *f <= t).unwrap()
        };
        assert!(chunk_of("𠀀") <= chunk_of("ｦ"));
        for (name, text) in &files[1..] {
            if name.starts_with("t-") {
                let parsed: serde_json::Value = serde_json::from_str(text).unwrap();
                let tokens = parsed.as_object().unwrap().len();
                // Over the size only when one token's list alone is (𠀀 is in every entry).
                assert!(
                    text.len() <= CHUNK_BYTES || tokens == 1,
                    "{name}: {} bytes, {tokens} tokens",
                    text.len()
                );
            }
        }
    }
}
