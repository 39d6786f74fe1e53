//! `[format]` of `weekly.toml` as written, and its checks into `weekly_model::Format`.

use serde::Deserialize;
use toml::Spanned;

/// `[format]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFormat {
    /// `Key: value` lines at the top of a file are its header (Pelican, Jekyll-like).
    #[serde(default)]
    field_header: bool,
    #[serde(default = "default_title_keys")]
    title_keys: Vec<String>,
    #[serde(default = "default_number_keys")]
    number_keys: Vec<String>,
    #[serde(default = "default_date_keys")]
    date_keys: Vec<String>,
    /// Title patterns with `{number}`, `{theme}` and `*`.
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default = "default_section_levels")]
    section_levels: Vec<u8>,
    #[serde(default)]
    category_levels: Vec<u8>,
    /// `dunhao` (`1、`), `dot` (`1.`), `circled` (`①`).
    #[serde(default = "default_numbering")]
    numbering: Vec<String>,
    #[serde(default)]
    bullets: bool,
    #[serde(default)]
    essays: Vec<String>,
}

fn default_title_keys() -> Vec<String> {
    vec!["title".into()]
}
fn default_number_keys() -> Vec<String> {
    vec!["number".into()]
}
fn default_date_keys() -> Vec<String> {
    vec!["pubDate".into(), "date".into()]
}
fn default_section_levels() -> Vec<u8> {
    vec![2]
}
fn default_numbering() -> Vec<String> {
    vec!["dunhao".into(), "dot".into(), "circled".into()]
}
pub(super) fn default_format() -> Spanned<RawFormat> {
    Spanned::new(
        0..0,
        RawFormat {
            field_header: false,
            title_keys: default_title_keys(),
            number_keys: default_number_keys(),
            date_keys: default_date_keys(),
            titles: Vec::new(),
            section_levels: default_section_levels(),
            category_levels: Vec::new(),
            numbering: default_numbering(),
            bullets: false,
            essays: Vec::new(),
        },
    )
}

impl RawFormat {
    /// The format, or what is wrong with the table.
    pub(super) fn resolve(self) -> Result<weekly_model::Format, String> {
        use weekly_model::{Numbering, TitlePattern};
        let titles = self
            .titles
            .iter()
            .map(|t| TitlePattern::new(t).map_err(|e| format!("`format.titles`: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let levels = |name: &str, levels: &[u8]| {
            if levels.iter().any(|l| !(1..=6).contains(l)) {
                return Err(format!("`format.{name}`: heading levels are 1 to 6"));
            }
            Ok(levels.to_vec())
        };
        let sections = levels("section_levels", &self.section_levels)?;
        let categories = levels("category_levels", &self.category_levels)?;
        if sections.is_empty() {
            return Err("`format.section_levels` needs at least one level".into());
        }
        if let Some(l) = categories.iter().find(|l| sections.contains(l)) {
            return Err(format!(
                "`format`: level {l} is in both `section_levels` and `category_levels`"
            ));
        }
        let numbering = self
            .numbering
            .iter()
            .map(|n| match n.as_str() {
                "dunhao" => Ok(Numbering::Dunhao),
                "dot" => Ok(Numbering::Dot),
                "circled" => Ok(Numbering::Circled),
                other => Err(format!(
                    "`format.numbering`: `{other}` is not one of `dunhao` (1、), `dot` (1.), \
                     `circled` (①)"
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(weekly_model::Format {
            title_keys: self.title_keys,
            number_keys: self.number_keys,
            date_keys: self.date_keys,
            field_header: self.field_header,
            titles,
            levels: weekly_model::format::Levels {
                sections,
                categories,
            },
            numbering,
            bullets: self.bullets,
            essays: self.essays,
        })
    }
}
