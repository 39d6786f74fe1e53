//! The section catalogue: which sections a newsletter has, their emoji, names per language and
//! the spellings seen in the wild, and how a heading as written maps to a section key.

use crate::format::{Format, glob};
use crate::lang::Lang;
use std::fmt;

/// Key of a section (`articles`, `projects`, …), or `other` for headings the catalogue does not
/// know.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SectionKey(String);

impl SectionKey {
    /// A key from configuration. Keys are lower-case ASCII words with `-` or `_`.
    pub fn new(key: &str) -> Option<SectionKey> {
        let ok = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        ok.then(|| SectionKey(key.to_owned()))
    }

    /// The key for unknown headings.
    pub fn other() -> SectionKey {
        SectionKey("other".into())
    }

    /// True for the `other` key.
    pub fn is_other(&self) -> bool {
        self.0 == "other"
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SectionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One section of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionDef {
    /// Stable key.
    pub key: SectionKey,
    /// Emoji written before the name (may be empty).
    pub emoji: String,
    /// Canonical name per language.
    pub names: Vec<(Lang, String)>,
    /// Other spellings accepted when reading (any language).
    pub aliases: Vec<String>,
    /// True when numbered entries of this section are content that is counted in statistics
    /// (articles, projects, …); false for footers such as "past issues" or "subscribe".
    pub counted: bool,
    /// Heading patterns with `*` (`图片：*`, `本周话题：*`) that also mean this section.
    pub patterns: Vec<String>,
}

impl SectionDef {
    /// The name in `lang`, falling back to the first configured name.
    pub fn name(&self, lang: &Lang) -> &str {
        self.names
            .iter()
            .find(|(l, _)| l == lang)
            .or_else(|| self.names.first())
            .map_or("", |(_, n)| n.as_str())
    }
}

/// All sections a newsletter knows, in display order, and how its issues are written (the
/// parser reads both wherever it reads an issue).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalogue {
    /// Sections in display order.
    pub sections: Vec<SectionDef>,
    /// How issues are written: header, title, heading levels, entry lines.
    pub format: Format,
}

impl Catalogue {
    /// Looks a section up by key.
    pub fn get(&self, key: &SectionKey) -> Option<&SectionDef> {
        self.sections.iter().find(|s| &s.key == key)
    }

    /// True when entries of this section count in statistics.
    pub fn is_counted(&self, key: &SectionKey) -> bool {
        self.get(key).is_some_and(|s| s.counted)
    }

    /// Maps the plain text of a heading (link and emphasis syntax already removed, e.g.
    /// `🐧 往年回顾`, `Discussions & Questions`, `記事&チュートリアル`) to a section key.
    ///
    /// Names and aliases are compared after folding: spaces removed, full-width `＆` read as `&`,
    /// ASCII lower-cased, emoji ignored. When the name is unknown, a leading emoji that belongs to
    /// exactly one section decides; otherwise the key is `other`.
    pub fn classify(&self, heading_text: &str) -> SectionKey {
        let (emoji, name) = split_emoji(heading_text);
        let folded = fold(name);
        if !folded.is_empty() {
            for def in &self.sections {
                let hit = def.names.iter().any(|(_, n)| fold(n) == folded)
                    || def.aliases.iter().any(|a| fold(a) == folded);
                if hit {
                    return def.key.clone();
                }
            }
            for def in &self.sections {
                if def.patterns.iter().any(|p| glob(p, name.trim())) {
                    return def.key.clone();
                }
            }
        }
        if !emoji.is_empty() && folded.is_empty() {
            let mut owners = self.sections.iter().filter(|d| d.emoji == emoji);
            if let (Some(def), None) = (owners.next(), owners.next()) {
                return def.key.clone();
            }
        }
        SectionKey::other()
    }

    /// The catalogue of Python Trending Weekly, with the spellings found in its archive. `weekly
    /// init` writes it into `weekly.toml`, where an editor changes it; nothing else hard-codes it.
    pub fn python_weekly() -> Catalogue {
        fn def(
            key: &str,
            emoji: &str,
            zh: &str,
            en: &str,
            ja: &str,
            aliases: &[&str],
            counted: bool,
        ) -> SectionDef {
            let mut names = vec![(Lang::zh(), zh.to_owned()), (Lang::en(), en.to_owned())];
            if !ja.is_empty() {
                names.push((Lang::new("ja").expect("valid"), ja.to_owned()));
            }
            SectionDef {
                key: SectionKey::new(key).expect("valid key"),
                emoji: emoji.to_owned(),
                names,
                aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
                counted,
                patterns: Vec::new(),
            }
        }
        Catalogue {
            sections: vec![
                def(
                    "articles",
                    "🦄",
                    "文章&教程",
                    "Articles & Tutorials",
                    "記事&チュートリアル",
                    &["文章", "Articles"],
                    true,
                ),
                def(
                    "projects",
                    "🐿️",
                    "项目&资源",
                    "Projects & Resources",
                    "プロジェクト&リソース",
                    &["项目", "Projects"],
                    true,
                ),
                def(
                    "media",
                    "🐢",
                    "播客&视频",
                    "Podcasts & Videos",
                    "ポッドキャスト&動画",
                    &["音视频", "Podcasts", "Videos"],
                    true,
                ),
                def(
                    "discussions",
                    "🥂",
                    "讨论&问题",
                    "Discussions & Questions",
                    "ディスカッション&トピック",
                    &[
                        "Discussion & Questions",
                        "Discussions & Issues",
                        "Discussion & Question",
                        "热门话题",
                        "Discussions",
                    ],
                    true,
                ),
                def(
                    "books",
                    "🎁",
                    "赠书福利",
                    "Book Giveaway",
                    "書籍プレゼント",
                    &["赠书"],
                    true,
                ),
                def(
                    "past",
                    "🐧",
                    "往年回顾",
                    "Looking Back",
                    "バックナンバー",
                    &["Past Reviews", "Previous Years", "Past Issues"],
                    false,
                ),
                def(
                    "subscribe",
                    "🐱",
                    "欢迎订阅",
                    "Subscribe",
                    "購読のご案内",
                    &["Subscribe Welcome", "Subscribe Now"],
                    false,
                ),
                def(
                    "sponsor",
                    "",
                    "赞助&支持",
                    "Sponsor & Support",
                    "スポンサー&サポート",
                    &[
                        "品牌赞助",
                        "品牌合作",
                        "产品推荐",
                        "好书推荐",
                        "播客推荐",
                        "Brand Partnership",
                    ],
                    false,
                ),
                def(
                    "about",
                    "",
                    "关于周刊",
                    "About",
                    "本週刊について",
                    &[],
                    false,
                ),
                def(
                    "related",
                    "",
                    "关联阅读",
                    "Related Reading",
                    "関連記事",
                    &[],
                    false,
                ),
                def("appendix", "", "附录", "Appendix", "付録", &[], false),
            ],
            format: Format::python_weekly(),
        }
    }
}

/// Splits a leading emoji (pictographs, variation selectors, ZWJ) from the rest of a heading.
pub fn split_emoji(text: &str) -> (&str, &str) {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(_, c)| !is_emoji_part(c))
        .map_or(text.len(), |(i, _)| i);
    (&text[..end], text[end..].trim())
}

fn is_emoji_part(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F | 0x200D)
}

fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !is_emoji_part(*c))
        .map(|c| match c {
            '＆' => '&',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_spellings_from_the_wild() {
        let c = Catalogue::python_weekly();
        let key = |t: &str| c.classify(t).to_string();
        assert_eq!(key("🦄文章&教程"), "articles");
        assert_eq!(key("🐧 往年回顾"), "past");
        assert_eq!(key("🥂Discussion & Questions"), "discussions");
        assert_eq!(key("プロジェクト＆リソース"), "projects");
        assert_eq!(key("🐢赠书福利"), "books");
        assert_eq!(key("🐢播客&视频"), "media");
        assert_eq!(key("🐱品牌赞助"), "sponsor");
        assert_eq!(key("1、Python 之禅"), "other");
        assert_eq!(key("🦄"), "articles");
        assert_eq!(key("🐢"), "media");
    }

    #[test]
    fn split_emoji_keeps_names() {
        assert_eq!(split_emoji("🐿️项目&资源"), ("🐿️", "项目&资源"));
        assert_eq!(split_emoji("Articles"), ("", "Articles"));
    }
}
