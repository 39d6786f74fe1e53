//! Language tags of editions (`zh`, `en`, `ja`, …) and script helpers.

use std::fmt;

/// A language code as used in file names and configuration (`zh`, `en`, `ja`).
///
/// Stored lower-case; only ASCII letters, digits and `-` are accepted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang(String);

impl Lang {
    /// Parses a language code, returning `None` when it is empty or has characters other than
    /// ASCII letters, digits and `-`.
    pub fn new(code: &str) -> Option<Lang> {
        let code = code.trim();
        if code.is_empty()
            || code.len() > 16
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return None;
        }
        Some(Lang(code.to_ascii_lowercase()))
    }

    /// Chinese.
    pub fn zh() -> Lang {
        Lang("zh".into())
    }

    /// English.
    pub fn en() -> Lang {
        Lang("en".into())
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for languages written with Han characters as their main script.
    pub fn is_cjk(&self) -> bool {
        matches!(self.primary(), "zh" | "ja" | "ko")
    }

    fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// True for a Han (CJK ideograph) character.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x3134F)
}

/// Number of Han characters in `text`.
pub fn han_count(text: &str) -> usize {
    text.chars().filter(|&c| is_han(c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_codes() {
        assert_eq!(Lang::new(" ZH ").unwrap().as_str(), "zh");
        assert!(Lang::new("").is_none());
        assert!(Lang::new("z h").is_none());
        assert!(Lang::new("zh-TW").unwrap().is_cjk());
        assert!(!Lang::en().is_cjk());
    }

    #[test]
    fn counts_han() {
        assert_eq!(han_count("Python 潮流周刊#1"), 4);
        assert_eq!(han_count("Ｐython！"), 0);
    }
}
