//! The words of the site's interface per language (menus, headings, notes). Chinese, English and
//! Japanese are built in; other languages use English. `[texts.<lang>]` keys named `site_<label>`
//! replace any of them.

use std::collections::BTreeMap;
use weekly_model::Lang;

const EN: &[(&str, &str)] = &[
    ("skip", "Skip to content"),
    ("subscribe_button", "Subscribe"),
    ("email_placeholder", "you@example.org"),
    ("menu", "Menu"),
    ("home", "Home"),
    ("archive", "Archive"),
    ("stats", "Statistics"),
    ("search", "Search"),
    ("search_placeholder", "Search issues…"),
    ("language", "Language"),
    ("latest", "Latest issue"),
    ("recent", "Recent issues"),
    ("all_issues", "All issues"),
    ("totals", "So far"),
    ("issues", "issues"),
    ("teaser", "subscribers"),
    ("season", "Season {n}"),
    ("pager", "Issues"),
    (
        "free_note",
        "This issue becomes free to read with issue #{n}.",
    ),
    ("links_edition", "Every link of the season"),
    (
        "links_note",
        "Links of the issues that are still for subscribers are left out.",
    ),
    ("newest_first", "newest first"),
    ("pages", "Pages"),
    ("stars_at_least", "at least"),
    ("word_cloud", "Words of the season"),
    ("per_season", "Entries per season"),
    ("older_seasons", "Older seasons are on their own pages:"),
    ("needs_script", "Search needs JavaScript."),
    ("no_results", "Nothing found."),
    ("results", "results"),
    ("not_found", "This page does not exist."),
    ("page_not_found", "Page not found"),
    ("issue_short", "#{n}"),
];

const ZH: &[(&str, &str)] = &[
    ("skip", "跳到正文"),
    ("subscribe_button", "订阅"),
    ("email_placeholder", "你的邮箱"),
    ("menu", "菜单"),
    ("home", "首页"),
    ("archive", "往期"),
    ("stats", "数据"),
    ("search", "搜索"),
    ("search_placeholder", "搜索周刊…"),
    ("language", "语言"),
    ("latest", "最新一期"),
    ("recent", "最近几期"),
    ("all_issues", "全部往期"),
    ("totals", "累计"),
    ("issues", "期"),
    ("teaser", "订阅可读全文"),
    ("season", "第 {n} 季"),
    ("pager", "翻页"),
    ("free_note", "本期将在第 {n} 期发布后免费开放全文。"),
    ("links_edition", "本季全部链接"),
    ("links_note", "仍为付费内容的几期，其链接未列出。"),
    ("newest_first", "按时间倒序"),
    ("pages", "分页"),
    ("stars_at_least", "星标不少于"),
    ("word_cloud", "本季词云"),
    ("per_season", "每季条目数"),
    ("older_seasons", "更早的季度见各季页面："),
    ("needs_script", "搜索需要启用 JavaScript。"),
    ("no_results", "没有找到结果。"),
    ("results", "条结果"),
    ("not_found", "页面不存在。"),
    ("page_not_found", "页面不存在"),
    ("issue_short", "第 {n} 期"),
];

const JA: &[(&str, &str)] = &[
    ("skip", "本文へ"),
    ("subscribe_button", "購読する"),
    ("email_placeholder", "メールアドレス"),
    ("home", "ホーム"),
    ("archive", "バックナンバー"),
    ("stats", "統計"),
    ("search", "検索"),
    ("language", "言語"),
    ("latest", "最新号"),
    ("recent", "最近の号"),
    ("all_issues", "すべての号"),
    ("issues", "号"),
    ("season", "シーズン {n}"),
];

/// The labels of `lang`, with `[texts.<lang>]` overrides (`site_<label>`).
pub fn labels(lang: &Lang, texts: Option<&BTreeMap<String, String>>) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = EN
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let own = match lang.as_str().split('-').next().unwrap_or("") {
        "zh" => ZH,
        "ja" => JA,
        _ => &[],
    };
    for (k, v) in own {
        out.insert((*k).to_owned(), (*v).to_owned());
    }
    if let Some(texts) = texts {
        for (key, value) in texts {
            if let Some(label) = key.strip_prefix("site_") {
                out.insert(label.to_owned(), value.clone());
            }
        }
    }
    out
}

/// A label with `{n}` filled in.
pub fn with_number(labels: &BTreeMap<String, String>, key: &str, n: u32) -> String {
    labels
        .get(key)
        .map_or_else(String::new, |l| l.replace("{n}", &n.to_string()))
}

/// The name of a language in itself.
pub fn language_name(lang: &Lang) -> String {
    match lang.as_str() {
        "zh" | "zh-cn" => "中文".into(),
        "zh-tw" => "繁體中文".into(),
        "en" => "English".into(),
        "ja" => "日本語".into(),
        "ko" => "한국어".into(),
        "fr" => "Français".into(),
        "de" => "Deutsch".into(),
        "es" => "Español".into(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_language_then_english_then_overrides() {
        let zh = labels(&Lang::zh(), None);
        assert_eq!(zh["archive"], "往期");
        let ja = labels(&Lang::new("ja").unwrap(), None);
        assert_eq!(ja["archive"], "バックナンバー");
        assert_eq!(ja["menu"], "Menu");
        let texts = BTreeMap::from([("site_archive".to_owned(), "Back issues".to_owned())]);
        assert_eq!(labels(&Lang::en(), Some(&texts))["archive"], "Back issues");
        assert_eq!(with_number(&zh, "season", 3), "第 3 季");
    }
}
