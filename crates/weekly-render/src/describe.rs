//! The description line of an issue ("本期分享了 12 篇文章，12 个开源项目…", "This issue shares
//! 12 articles and 12 open-source projects."), written from the counts in any configured
//! language, with correct plurals. What it writes reads back as the same counts.

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
    let discussions = document.and_then(discussions_word);
    let items: Vec<(&str, u32, String)> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(key, n)| {
            let name = catalogue
                .get(key)
                .map_or(key.as_str(), |d| d.name(lang))
                .to_owned();
            (key.as_str(), n, name)
        })
        .collect();
    match lang.as_str().split('-').next().unwrap_or("") {
        "zh" => chinese(&items, words, discussions.as_deref().unwrap_or("热门话题")),
        "ja" => japanese(&items),
        _ => english(&items),
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

fn chinese(items: &[(&str, u32, String)], words: Option<u32>, discussions: &str) -> String {
    let mut parts: Vec<String> = items
        .iter()
        .map(|(key, n, name)| match *key {
            "articles" => format!("{n} 篇文章"),
            "projects" => format!("{n} 个开源项目"),
            "media" => format!("{n} 则音视频"),
            "discussions" => format!("{n} 则{discussions}"),
            "books" => format!("赠书 {n} 本"),
            _ => format!("{n} 则{name}"),
        })
        .collect();
    if let Some(words) = words {
        parts.push(format!("全文 {words} 字"));
    }
    if parts.is_empty() {
        return "本期内容见下文。".into();
    }
    format!("本期分享了 {}。", parts.join("，"))
}

fn english(items: &[(&str, u32, String)]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|(key, n, name)| {
            let one = *n == 1;
            let noun = match *key {
                "articles" => plural(one, "article", "articles"),
                "projects" => plural(one, "open-source project", "open-source projects"),
                "media" => plural(one, "podcast or video", "podcasts or videos"),
                "discussions" => plural(one, "discussion", "discussions"),
                "books" => plural(one, "book given away", "books given away"),
                _ => name.as_str(),
            };
            format!("{n} {noun}")
        })
        .collect();
    match parts.as_slice() {
        [] => "This issue has no numbered entries.".into(),
        [one] => format!("This issue shares {one}."),
        [init @ .., last] => format!("This issue shares {} and {last}.", init.join(", ")),
    }
}

fn plural<'a>(one: bool, singular: &'a str, plural: &'a str) -> &'a str {
    if one { singular } else { plural }
}

fn japanese(items: &[(&str, u32, String)]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|(key, n, name)| match *key {
            "articles" => format!("{n} 本の技術記事"),
            "projects" => format!("{n} 個のオープンソースプロジェクト"),
            "media" => format!("{n} 本のポッドキャスト・動画"),
            "discussions" => format!("{n} 件のディスカッション"),
            "books" => format!("{n} 冊の本のプレゼント"),
            _ => format!("{n} 件の{name}"),
        })
        .collect();
    if parts.is_empty() {
        return "今号の内容は以下のとおりです。".into();
    }
    format!("今号では{}を紹介します。", parts.join("、"))
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
}
