//! The description line of an issue ("本期分享了 12 篇文章，12 个开源项目…", "This issue shares
//! 12 articles and 12 open-source projects."), written from the counts in any configured
//! language, with correct plurals, in the newsletter's own words when its texts give them.
//! What the built-in wording writes reads back as the same counts.
//!
//! The texts (`[texts.<lang>]`), each optional:
//!
//! | key | built-in (zh) | placeholders |
//! | --- | --- | --- |
//! | `description` | `本期分享了 {{ counts }}。` | `counts`: the counts joined |
//! | `description_none` | `本期内容见下文。` | when nothing is counted |
//! | `count_<section key>` | `{{ n }} 篇文章` | `n`, `name` (the section's name) |
//! | `count_<section key>_one` | (English: `{{ n }} article`) | used when `n` is 1 |
//! | `count` | `{{ n }} 则{{ name }}` | any section without its own text |
//! | `count_words` | `全文 {{ n }} 字` | the word count, last (none in English) |
//! | `count_separator` | `，` | between counts |
//! | `count_last_separator` | `，` (English: ` and `) | before the last count |

use crate::texts::{Texts, base, fill, none};
use weekly_model::{Catalogue, Counts, Document, Lang};

/// The description of an issue with `counts` in `lang`. `words` adds the word-count stamp
/// ("全文 N 字") in Chinese. Sections with a count of 0 are left out. Languages without their
/// own wording get the English one.
pub fn description(
    lang: &Lang,
    counts: &Counts,
    catalogue: &Catalogue,
    words: Option<u32>,
) -> String {
    description_of(lang, counts, catalogue, words, None)
}

/// [`description`] in the words of `document`'s own headings where the archive's wording
/// varies: an issue whose discussions heading reads 热门讨论 gets "N 则热门讨论", one whose
/// heading reads 热门话题 "N 则热门话题".
pub fn description_of(
    lang: &Lang,
    counts: &Counts,
    catalogue: &Catalogue,
    words: Option<u32>,
    document: Option<&Document>,
) -> String {
    description_in(lang, counts, catalogue, words, document, none())
}

/// [`description_of`] in the newsletter's words: each key `texts` sets replaces the built-in
/// one (see the module's table).
pub fn description_in(
    lang: &Lang,
    counts: &Counts,
    catalogue: &Catalogue,
    words: Option<u32>,
    document: Option<&Document>,
    texts: &Texts,
) -> String {
    let discussions = document
        .and_then(discussions_word)
        .unwrap_or_else(|| "热门话题".to_owned());
    let wording = Wording {
        lang: base(lang),
        texts,
        discussions: &discussions,
    };
    let mut parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .filter_map(|(key, n)| {
            let name = catalogue.get(key).map_or(key.as_str(), |d| d.name(lang));
            let specific = format!("count_{key}");
            let template = (n == 1)
                .then(|| wording.get(&format!("{specific}_one")))
                .flatten()
                .or_else(|| wording.get(&specific))
                .or_else(|| wording.get("count"))?;
            let n = n.to_string();
            Some(fill(&template, &[("n", &n), ("name", name)]))
        })
        .collect();
    if let Some(words) = words
        && let Some(template) = wording.get("count_words")
    {
        parts.push(fill(&template, &[("n", &words.to_string())]));
    }
    if parts.is_empty() {
        return wording.get("description_none").unwrap_or_default();
    }
    let separator = wording.get("count_separator").unwrap_or_default();
    let last_separator = wording.get("count_last_separator").unwrap_or_default();
    let joined = match parts.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{}{last_separator}{last}", init.join(&separator)),
        [] => String::new(),
    };
    let sentence = wording.get("description").unwrap_or_default();
    fill(&sentence, &[("counts", &joined)])
}

/// Where the words of a description come from: the newsletter's texts, else the built-in
/// wording of the language (English for a language without its own).
struct Wording<'a> {
    lang: &'a str,
    texts: &'a Texts,
    /// How the issue names its discussions in Chinese (热门话题, 热门讨论…).
    discussions: &'a str,
}

impl Wording<'_> {
    fn get(&self, key: &str) -> Option<String> {
        if let Some(text) = self.texts.get(key) {
            return Some(text.clone());
        }
        let builtin = match self.lang {
            "zh" => match key {
                "description" => "本期分享了 {{ counts }}。",
                "description_none" => "本期内容见下文。",
                "count_articles" => "{{ n }} 篇文章",
                "count_projects" => "{{ n }} 个开源项目",
                "count_media" => "{{ n }} 则音视频",
                "count_discussions" => return Some(format!("{{{{ n }}}} 则{}", self.discussions)),
                "count_books" => "赠书 {{ n }} 本",
                "count" => "{{ n }} 则{{ name }}",
                "count_words" => "全文 {{ n }} 字",
                "count_separator" | "count_last_separator" => "，",
                _ => return None,
            },
            "ja" => match key {
                "description" => "今号では{{ counts }}を紹介します。",
                "description_none" => "今号の内容は以下のとおりです。",
                "count_articles" => "{{ n }} 本の技術記事",
                "count_projects" => "{{ n }} 個のオープンソースプロジェクト",
                "count_media" => "{{ n }} 本のポッドキャスト・動画",
                "count_discussions" => "{{ n }} 件のディスカッション",
                "count_books" => "{{ n }} 冊の本のプレゼント",
                "count" => "{{ n }} 件の{{ name }}",
                "count_separator" | "count_last_separator" => "、",
                _ => return None,
            },
            _ => match key {
                "description" => "This issue shares {{ counts }}.",
                "description_none" => "This issue has no numbered entries.",
                "count_articles" => "{{ n }} articles",
                "count_articles_one" => "{{ n }} article",
                "count_projects" => "{{ n }} open-source projects",
                "count_projects_one" => "{{ n }} open-source project",
                "count_media" => "{{ n }} podcasts or videos",
                "count_media_one" => "{{ n }} podcast or video",
                "count_discussions" => "{{ n }} discussions",
                "count_discussions_one" => "{{ n }} discussion",
                "count_books" => "{{ n }} books given away",
                "count_books_one" => "{{ n }} book given away",
                "count" => "{{ n }} {{ name }}",
                "count_separator" => ", ",
                "count_last_separator" => " and ",
                _ => return None,
            },
        };
        Some(builtin.to_owned())
    }
}

/// How `document` names its discussions in Chinese: as its own description line does
/// ("2 则热门讨论"), else as its heading does (热门讨论 / 热门话题), else `None`.
fn discussions_word(document: &Document) -> Option<String> {
    const WORDS: [&str; 3] = ["热门讨论", "热门话题", "讨论"];
    let described = document.preamble.iter().find_map(|block| {
        WORDS
            .iter()
            .find(|w| block.text.contains(&format!("则{w}")))
            .map(|w| (*w).to_owned())
    });
    described.or_else(|| {
        let heading = document
            .all_sections()
            .find(|s| s.key.as_str() == "discussions")?
            .heading
            .plain();
        WORDS[..2]
            .iter()
            .find(|w| heading.contains(*w))
            .map(|w| (*w).to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use weekly_parse::description::claimed_counts;

    fn counts(values: [u32; 5]) -> Counts {
        let catalogue = Catalogue::python_weekly();
        let mut c = Counts::zero(&catalogue);
        for (key, n) in ["articles", "projects", "media", "discussions", "books"]
            .into_iter()
            .zip(values)
        {
            c.set(key, n);
        }
        c
    }

    #[test]
    fn every_language_reads_back_as_the_same_counts() {
        let catalogue = Catalogue::python_weekly();
        for values in [
            [12, 12, 2, 2, 5],
            [1, 1, 1, 1, 1],
            [13, 0, 0, 1, 0],
            [0, 9, 0, 0, 0],
        ] {
            let c = counts(values);
            for code in ["zh", "en", "ja", "fr"] {
                let lang = Lang::new(code).unwrap();
                let text = description(&lang, &c, &catalogue, Some(1877));
                let back = claimed_counts(&text);
                let got = [
                    back.articles,
                    back.projects,
                    back.media,
                    back.discussions,
                    back.books,
                ]
                .map(|v| v.unwrap_or(0));
                assert_eq!(got, values, "{code}: {text}");
            }
        }
    }

    #[test]
    fn wording_and_plurals() {
        let catalogue = Catalogue::python_weekly();
        let zh = description(
            &Lang::zh(),
            &counts([12, 12, 2, 0, 5]),
            &catalogue,
            Some(1877),
        );
        assert_eq!(
            zh,
            "本期分享了 12 篇文章，12 个开源项目，2 则音视频，赠书 5 本，全文 1877 字。"
        );
        let en = description(
            &Lang::en(),
            &counts([12, 1, 0, 1, 0]),
            &catalogue,
            Some(1877),
        );
        assert_eq!(
            en,
            "This issue shares 12 articles, 1 open-source project and 1 discussion."
        );
        let en = description(&Lang::en(), &counts([1, 0, 3, 0, 0]), &catalogue, None);
        assert_eq!(en, "This issue shares 1 article and 3 podcasts or videos.");
    }

    #[test]
    fn a_newsletters_texts_replace_the_words_they_name() {
        let mut catalogue = Catalogue::python_weekly();
        catalogue.sections[0].names = vec![(Lang::zh(), "文章".into())];
        let texts: Texts = [
            ("description", "这一期有 {{ counts }}。"),
            ("count_articles", "{{ n }} 篇好文"),
            ("count_words", "约 {{ n }} 字"),
            ("count_last_separator", "，还有 "),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let zh = description_in(
            &Lang::zh(),
            &counts([3, 2, 0, 0, 0]),
            &catalogue,
            Some(900),
            None,
            &texts,
        );
        assert_eq!(zh, "这一期有 3 篇好文，2 个开源项目，还有 约 900 字。");
        // English: the singular form when one is set, `count` for any other section.
        let texts: Texts = [
            ("count_articles_one", "a single post"),
            ("count", "{{ n }} × {{ name }}"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let mut catalogue = Catalogue::python_weekly();
        for section in &mut catalogue.sections {
            section.counted |= section.key.as_str() == "sponsor";
        }
        let mut c = Counts::zero(&catalogue);
        c.set("articles", 1);
        c.set("sponsor", 2);
        let en = description_in(&Lang::en(), &c, &catalogue, None, None, &texts);
        assert_eq!(
            en,
            "This issue shares a single post and 2 × Sponsor & Support."
        );
        let none = description_in(
            &Lang::en(),
            &counts([0, 0, 0, 0, 0]),
            &catalogue,
            None,
            None,
            &[("description_none".to_owned(), "Read on.".to_owned())]
                .into_iter()
                .collect(),
        );
        assert_eq!(none, "Read on.");
    }
}
