//! What this machine's fonts can draw, asked once per process: Han characters (the cards and
//! PDFs of a Chinese or Japanese newsletter) and emoji (which print as empty boxes without an
//! emoji font). The e-books name the fonts in their CSS; the cards and PDFs are drawn here.

use std::sync::OnceLock;

/// What the installed fonts cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// A font for Han characters (Noto/Source Han CJK, WenQuanYi…).
    pub han: bool,
    /// A colour emoji font (Noto Color Emoji, Apple Color Emoji, Twemoji…).
    pub emoji: bool,
}

/// The hint that goes with a missing emoji font.
pub const EMOJI_HINT: &str = "Debian: `apt-get install fonts-noto-color-emoji`";

/// The coverage of `families` (font family names).
pub fn coverage_of<'a>(families: impl IntoIterator<Item = &'a str>) -> Coverage {
    let mut found = Coverage {
        han: false,
        emoji: false,
    };
    for name in families {
        found.han |=
            name.contains("CJK") || name.contains("Han Sans") || name.contains("WenQuanYi");
        found.emoji |= name.contains("Emoji") || name.contains("Twemoji");
    }
    found
}

/// The coverage of this machine's fonts (read on the first call).
pub fn machine() -> Coverage {
    static FOUND: OnceLock<Coverage> = OnceLock::new();
    *FOUND.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_system_fonts();
        let names: Vec<String> = db
            .faces()
            .flat_map(|face| face.families.iter().map(|(name, _)| name.clone()))
            .collect();
        coverage_of(names.iter().map(String::as_str))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_are_read_for_han_and_emoji() {
        let none = coverage_of(["DejaVu Sans", "Liberation Serif"]);
        assert!(!none.han && !none.emoji);
        let both = coverage_of(["Noto Sans CJK JP", "Noto Color Emoji"]);
        assert!(both.han && both.emoji);
    }
}
