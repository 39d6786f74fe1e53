//! Page keys for incremental builds: a page is the pure result of its template and the values
//! handed to it, so the key of a page is a hash of exactly those (the templates' sources, the
//! values serialized, and a salt naming the program). A page whose key equals the one the last
//! build recorded for its path is kept as it is instead of being rendered again.

use serde::Serialize;
use std::collections::HashMap;
use xxhash_rust::xxh3::Xxh3;

/// The key of a page (128 bits: a false "unchanged" would be a wrong site).
pub type Key = u128;

/// What the last build recorded, and what decides a page besides its values.
#[derive(Debug, Default, Clone)]
pub struct Memo {
    /// The key of each file of the last build that had one, by path.
    pub previous: HashMap<String, Key>,
    /// Mixed into every key: the program that renders (a new `weekly` renders everything once).
    pub salt: Key,
}

impl Memo {
    /// A memo that keeps nothing (every page is rendered).
    pub fn none() -> Memo {
        Memo::default()
    }

    /// The key of a page made by `template` (whose sources give `templates`) from the values
    /// `parts` adds.
    pub fn key(&self, templates: Key, template: &str, parts: impl FnOnce(&mut KeyHasher)) -> Key {
        let mut hasher = KeyHasher::new(self.salt);
        hasher.add_bytes(&templates.to_le_bytes());
        hasher.add_bytes(template.as_bytes());
        parts(&mut hasher);
        hasher.finish()
    }

    /// True when the last build made `path` from the same key.
    pub fn unchanged(&self, path: &str, key: Key) -> bool {
        self.previous.get(path) == Some(&key)
    }
}

/// Hashes values as they serialize, without building the text (XXH3, 128 bits: fast on the
/// many small writes a serializer makes, and wide enough that two different pages do not
/// share a key by chance).
pub struct KeyHasher(Box<Xxh3>);

impl std::fmt::Debug for KeyHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyHasher")
    }
}

impl KeyHasher {
    /// A hasher seeded with `salt`.
    pub fn new(salt: Key) -> KeyHasher {
        let mut hasher = Box::new(Xxh3::new());
        hasher.update(&salt.to_le_bytes());
        KeyHasher(hasher)
    }

    /// Adds `value` (as JSON), then a separator, so that `("ab", "c")` and `("a", "bc")` differ.
    pub fn add<T: Serialize + ?Sized>(&mut self, value: &T) {
        // Writing into the hasher cannot fail; a value that cannot serialize would also fail
        // to render, and then no key is recorded.
        serde_json::to_writer(&mut *self, value).ok();
        self.0.update(&[0xff]);
    }

    /// Adds raw bytes with their length.
    pub fn add_bytes(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    /// The key.
    pub fn finish(self) -> Key {
        self.0.digest128()
    }
}

impl std::io::Write for KeyHasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(salt: Key, template: &str, a: &str, b: &str) -> Key {
        let memo = Memo {
            salt,
            ..Memo::default()
        };
        memo.key(7, template, |h| {
            h.add(a);
            h.add(b);
        })
    }

    #[test]
    fn keys_follow_every_input() {
        let base = key(1, "issue.html", "ab", "c");
        assert_eq!(base, key(1, "issue.html", "ab", "c"));
        assert_ne!(base, key(1, "issue.html", "a", "bc"));
        assert_ne!(base, key(2, "issue.html", "ab", "c"));
        assert_ne!(base, key(1, "home.html", "ab", "c"));
        let memo = Memo {
            previous: HashMap::from([("a/index.html".to_owned(), base)]),
            salt: 1,
        };
        assert!(memo.unchanged("a/index.html", base));
        assert!(!memo.unchanged("a/index.html", base + 1));
        assert!(!memo.unchanged("b/index.html", base));
    }
}
