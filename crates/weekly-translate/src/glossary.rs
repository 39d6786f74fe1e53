//! The glossary: a term and its translation per language, read from `glossary.toml`.
//!
//! ```toml
//! [terms."Python 潮流周刊"]
//! en = "Python Trending Weekly"
//! ja = "Python トレンド週刊"
//!
//! [terms."猫哥"]
//! en = "猫哥 (Cat)"   # a translation may keep Han characters: they are then allowed
//! ```

use std::collections::BTreeMap;
use weekly_model::Lang;
use weekly_model::diagnostic::text_position as position;

/// Terms and their translations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    /// term → language → translation.
    terms: BTreeMap<String, BTreeMap<Lang, String>>,
}

/// A glossary file that cannot be used, with the place of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct GlossaryError {
    /// The file as given.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    #[serde(default)]
    terms: BTreeMap<String, BTreeMap<String, String>>,
}

impl Glossary {
    /// Reads the text of a glossary file; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Glossary, GlossaryError> {
        let raw: RawGlossary = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |s| position(text, s.start));
            GlossaryError {
                file: file.to_owned(),
                line,
                column,
                message: e.message().to_owned(),
            }
        })?;
        let mut terms = BTreeMap::new();
        for (term, translations) in raw.terms {
            let at = text.find(&term).unwrap_or(0);
            let (line, column) = position(text, at);
            let error = |message: String| GlossaryError {
                file: file.to_owned(),
                line,
                column,
                message,
            };
            if term.trim().is_empty() {
                return Err(error("a term is empty".into()));
            }
            let mut map = BTreeMap::new();
            for (code, translation) in translations {
                let lang = Lang::new(&code).ok_or_else(|| {
                    error(format!("`{code}` of term `{term}` is not a language code"))
                })?;
                if translation.trim().is_empty() {
                    return Err(error(format!(
                        "term `{term}` has an empty `{code}` translation"
                    )));
                }
                map.insert(lang, translation);
            }
            terms.insert(term, map);
        }
        Ok(Glossary { terms })
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms that occur in `source` (ASCII case ignored) and have a `target` translation,
    /// longest term first.
    pub fn terms_in(&self, source: &str, target: &Lang) -> Vec<(String, String)> {
        let lower = source.to_lowercase();
        let mut found: Vec<(String, String)> = self
            .terms
            .iter()
            .filter(|(term, _)| lower.contains(&term.to_lowercase()))
            .filter_map(|(term, map)| map.get(target).map(|t| (term.clone(), t.clone())))
            .collect();
        found.sort_by_key(|(term, _)| std::cmp::Reverse(term.chars().count()));
        found
    }

    /// Translations into `target` that keep Han characters: these may appear in a result.
    pub fn allowed_han(&self, target: &Lang) -> Vec<String> {
        self.terms
            .values()
            .filter_map(|map| map.get(target))
            .filter(|t| weekly_model::lang::han_count(t) > 0)
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_terms_per_language() {
        let g = Glossary::parse(
            "[terms.\"装饰器\"]\nen = \"decorator\"\nja = \"デコレータ\"\n[terms.\"Python 潮流周刊\"]\nen = \"Python Trending Weekly\"\n",
            "glossary.toml",
        )
        .unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(
            g.terms_in("欢迎阅读 python 潮流周刊：装饰器", &Lang::en()),
            [
                (
                    "Python 潮流周刊".to_owned(),
                    "Python Trending Weekly".to_owned()
                ),
                ("装饰器".to_owned(), "decorator".to_owned())
            ]
        );
        assert!(g.terms_in("装饰器", &Lang::new("fr").unwrap()).is_empty());
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let e = Glossary::parse("[terms.\"a\"]\nen = 3\n", "glossary.toml").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("glossary.toml", 2), "{e}");
        let e = Glossary::parse("[terms.\"a\"]\nen = \"\"\n", "g.toml").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = Glossary::parse("[terms.\"a\"]\n\"not a lang!\" = \"x\"\n", "g.toml").unwrap_err();
        assert!(e.to_string().starts_with("g.toml:1:"), "{e}");
        let e = Glossary::parse("[term]\n", "g.toml").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
    }
}
