//! The words of the site's interface per language (menus, headings, notes). Chinese, English and
//! Japanese are built in, each complete (a test holds them to the English keys); for another
//! language `[texts.<lang>]` keys named `site_<label>` give them, and [`missing`] names those it
//! lacks (`weekly check` reports them). `site_<label>` also replaces a built-in one.

use std::collections::BTreeMap;
use weekly_model::Lang;

const EN: &[(&str, &str)] = &[
    ("skip", "Skip to content"),
    ("subscribe_button", "Subscribe"),
    ("subscribe_call", "Subscribe to read every issue in full"),
    ("entries_axis", "entries"),
    ("season_short", "S{n}"),
    (
        "season_running",
        "Season {n} is still running: {done} of its {total} issues so far.",
    ),
    ("subscribe_free_call", "Get every issue by e-mail, free"),
    ("subscribe_label", "Free e-mail subscription"),
    (
        "subscribe_free_note",
        "Free subscribers get each issue's titles by e-mail.",
    ),
    ("paid_offer", "Subscribe to read every issue in full"),
    ("email_placeholder", "you@example.org"),
    ("menu", "Menu"),
    ("home", "Home"),
    ("archive", "Archive"),
    ("stats", "Statistics"),
    ("search", "Search"),
    ("search_placeholder", "Search issues…"),
    ("language", "Language"),
    ("latest", "Latest issue"),
    ("latest_free", "Latest free issues"),
    ("recent", "Recent issues"),
    ("all_issues", "All issues"),
    ("totals", "So far"),
    ("issues", "issues"),
    ("season_issues", "The issues of the season"),
    ("teaser", "subscribers"),
    ("season", "Season {n}"),
    ("pager", "Issues"),
    (
        "free_note",
        "This issue becomes free to read with issue #{n}.",
    ),
    ("links_edition", "Every link of the season"),
    ("ebook", "The season as an e-book"),
    ("wrapup", "Looking back on the season"),
    (
        "links_note",
        "Links of the issues that are still for subscribers are left out.",
    ),
    ("newest_first", "newest first"),
    ("pages", "Pages"),
    ("prev_page", "Previous"),
    ("next_page", "Next"),
    ("stars_at_least", "at least"),
    ("word_cloud", "Words of the season"),
    ("per_season", "Entries per season"),
    ("per_issue", "Entries per issue"),
    ("sections_share", "Entries by section"),
    ("older_seasons", "Older seasons are on their own pages:"),
    ("needs_script", "Search needs JavaScript."),
    ("no_results", "Nothing found."),
    ("results", "results"),
    ("not_found", "This page does not exist."),
    ("page_not_found", "Page not found"),
    ("issue_short", "#{n}"),
    ("contents", "Contents"),
    ("reading_time", "{n} min read"),
    ("back_to_top", "Back to top"),
    ("previous_issue", "Previous issue"),
    ("next_issue", "Next issue"),
    (
        "untranslated",
        "Not translated yet: this issue is shown in its original language.",
    ),
    ("untranslated_tag", "original language"),
    ("no_edition", "Issue #{n} has no edition in this language."),
    (
        "paid_missing",
        "{n} paid issues have no full text in this workspace.",
    ),
];

const ZH: &[(&str, &str)] = &[
    ("skip", "跳到正文"),
    ("subscribe_button", "订阅"),
    ("subscribe_call", "订阅后可阅读每期全文"),
    ("entries_axis", "条目"),
    ("season_short", "第{n}季"),
    (
        "season_running",
        "第 {n} 季尚未结束：已出 {done} 期，共 {total} 期。",
    ),
    ("subscribe_free_call", "免费订阅，每期发布时寄到你的邮箱"),
    ("subscribe_label", "免费邮件订阅"),
    ("subscribe_free_note", "免费订阅者每期收到标题摘要。"),
    ("paid_offer", "付费订阅可阅读每期全文"),
    ("email_placeholder", "你的邮箱"),
    ("menu", "菜单"),
    ("home", "首页"),
    ("archive", "往期"),
    ("stats", "数据"),
    ("search", "搜索"),
    ("search_placeholder", "搜索周刊…"),
    ("language", "语言"),
    ("latest", "最新一期"),
    ("latest_free", "最近免费开放的几期"),
    ("recent", "最近几期"),
    ("all_issues", "全部往期"),
    ("totals", "累计"),
    ("issues", "期"),
    ("season_issues", "本季各期"),
    ("teaser", "订阅可读全文"),
    ("season", "第 {n} 季"),
    ("pager", "翻页"),
    ("free_note", "本期将在第 {n} 期发布后免费开放全文。"),
    ("links_edition", "本季全部链接"),
    ("ebook", "本季电子书"),
    ("wrapup", "本季回顾"),
    ("links_note", "仍为付费内容的几期，其链接未列出。"),
    ("newest_first", "按时间倒序"),
    ("pages", "分页"),
    ("prev_page", "上一页"),
    ("next_page", "下一页"),
    ("stars_at_least", "星标不少于"),
    ("word_cloud", "本季词云"),
    ("per_season", "每季条目数"),
    ("per_issue", "每期条目数"),
    ("sections_share", "各栏目条目数"),
    ("older_seasons", "更早的季度见各季页面："),
    ("needs_script", "搜索需要启用 JavaScript。"),
    ("no_results", "没有找到结果。"),
    ("results", "条结果"),
    ("not_found", "页面不存在。"),
    ("page_not_found", "页面不存在"),
    ("issue_short", "第 {n} 期"),
    ("contents", "本期目录"),
    ("reading_time", "阅读约 {n} 分钟"),
    ("back_to_top", "回到顶部"),
    ("previous_issue", "上一期"),
    ("next_issue", "下一期"),
    ("untranslated", "本期尚未翻译，以下为原文。"),
    ("untranslated_tag", "原文"),
    ("no_edition", "第 {n} 期没有这个语言的版本。"),
    ("paid_missing", "有 {n} 期付费内容在工作区中没有全文。"),
];

const JA: &[(&str, &str)] = &[
    ("skip", "本文へ"),
    ("subscribe_button", "購読する"),
    ("subscribe_call", "購読すると毎号の全文を読めます"),
    ("entries_axis", "項目"),
    ("season_short", "第{n}期"),
    (
        "season_running",
        "シーズン {n} は継続中です（全 {total} 号のうち {done} 号）。",
    ),
    (
        "subscribe_free_call",
        "無料でメール購読（毎号お届けします）",
    ),
    ("subscribe_label", "無料メール購読"),
    (
        "subscribe_free_note",
        "無料購読では毎号の見出しがメールで届きます。",
    ),
    ("paid_offer", "有料購読で毎号の全文を読む"),
    ("email_placeholder", "メールアドレス"),
    ("menu", "メニュー"),
    ("home", "ホーム"),
    ("archive", "バックナンバー"),
    ("stats", "統計"),
    ("search", "検索"),
    ("search_placeholder", "記事を検索…"),
    ("language", "言語"),
    ("latest", "最新号"),
    ("latest_free", "無料で読める最近の号"),
    ("recent", "最近の号"),
    ("all_issues", "すべての号"),
    ("totals", "これまでの合計"),
    ("issues", "号"),
    ("season_issues", "今シーズンの各号"),
    ("teaser", "購読者向け"),
    ("season", "シーズン {n}"),
    ("pager", "号の移動"),
    (
        "free_note",
        "この号は第 {n} 号の発行後に無料で公開されます。",
    ),
    ("links_edition", "今シーズンの全リンク"),
    ("ebook", "今シーズンの電子書籍"),
    ("wrapup", "今シーズンの振り返り"),
    ("links_note", "まだ購読者向けの号のリンクは載せていません。"),
    ("newest_first", "新しい順"),
    ("pages", "ページ"),
    ("prev_page", "前へ"),
    ("next_page", "次へ"),
    ("stars_at_least", "スター数"),
    ("word_cloud", "今シーズンの言葉"),
    ("per_season", "シーズンごとの項目数"),
    ("per_issue", "号ごとの項目数"),
    ("sections_share", "セクション別の項目数"),
    (
        "older_seasons",
        "以前のシーズンはそれぞれのページにあります：",
    ),
    ("needs_script", "検索には JavaScript が必要です。"),
    ("no_results", "見つかりませんでした。"),
    ("results", "件"),
    ("not_found", "このページは存在しません。"),
    ("page_not_found", "ページが見つかりません"),
    ("issue_short", "第 {n} 号"),
    ("contents", "目次"),
    ("reading_time", "約 {n} 分で読めます"),
    ("back_to_top", "ページの先頭へ"),
    ("previous_issue", "前の号"),
    ("next_issue", "次の号"),
    (
        "untranslated",
        "この号はまだ翻訳されていません。原文を表示しています。",
    ),
    ("untranslated_tag", "原文"),
    ("no_edition", "第 {n} 号には日本語版がありません。"),
    (
        "paid_missing",
        "購読者向けの {n} 号は、このワークスペースに全文がありません。",
    ),
];

/// The label keys of every language (the English table's).
pub fn keys() -> impl Iterator<Item = &'static str> {
    EN.iter().map(|(k, _)| *k)
}

/// The built-in table of `lang`, if there is one.
fn built_in(lang: &Lang) -> Option<&'static [(&'static str, &'static str)]> {
    match lang.as_str().split('-').next().unwrap_or("") {
        "en" => Some(EN),
        "zh" => Some(ZH),
        "ja" => Some(JA),
        _ => None,
    }
}

/// The labels `lang` lacks: keys neither built in for it nor set in `[texts.<lang>]`
/// (`site_<key>`). The site would show them in English.
pub fn missing(lang: &Lang, texts: Option<&BTreeMap<String, String>>) -> Vec<&'static str> {
    let own = built_in(lang).unwrap_or(&[]);
    keys()
        .filter(|key| {
            !own.iter().any(|(k, _)| k == key)
                && !texts.is_some_and(|t| t.contains_key(&format!("site_{key}")))
        })
        .collect()
}

/// The labels of `lang`, with `[texts.<lang>]` overrides (`site_<label>`).
pub fn labels(lang: &Lang, texts: Option<&BTreeMap<String, String>>) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = EN
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    for (k, v) in built_in(lang).unwrap_or(&[]) {
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
    with_numbers(labels, key, &[("n", n)])
}

/// The label `key` with each `{name}` replaced by its number.
pub fn with_numbers(
    labels: &BTreeMap<String, String>,
    key: &str,
    values: &[(&str, u32)],
) -> String {
    let mut text = labels.get(key).cloned().unwrap_or_default();
    for (name, n) in values {
        text = text.replace(&format!("{{{name}}}"), &n.to_string());
    }
    text
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

/// The Open Graph locale of `lang` (`zh` → `zh_CN`; a tag with a region keeps it).
pub fn og_locale(lang: &Lang) -> String {
    let tag = lang.as_str();
    if let Some((base, region)) = tag.split_once('-') {
        return format!("{base}_{}", region.to_ascii_uppercase());
    }
    let region = match tag {
        "zh" => "CN",
        "en" => "US",
        "ja" => "JP",
        "ko" => "KR",
        "de" => "DE",
        "fr" => "FR",
        "es" => "ES",
        other => return other.to_owned(),
    };
    format!("{tag}_{region}")
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
        let texts = BTreeMap::from([("site_archive".to_owned(), "Back issues".to_owned())]);
        assert_eq!(labels(&Lang::en(), Some(&texts))["archive"], "Back issues");
        assert_eq!(with_number(&zh, "season", 3), "第 3 季");
    }

    #[test]
    fn open_graph_locales() {
        assert_eq!(og_locale(&Lang::zh()), "zh_CN");
        assert_eq!(og_locale(&Lang::new("ja").unwrap()), "ja_JP");
        assert_eq!(og_locale(&Lang::new("zh-tw").unwrap()), "zh_TW");
    }

    #[test]
    fn every_built_in_language_has_every_label() {
        for table in [ZH, JA] {
            for key in keys() {
                assert!(table.iter().any(|(k, _)| *k == key), "no `{key}`");
            }
            assert_eq!(table.len(), EN.len(), "a key that English lacks");
        }
        assert!(missing(&Lang::new("ja").unwrap(), None).is_empty());
        let fr = Lang::new("fr").unwrap();
        assert_eq!(missing(&fr, None).len(), EN.len());
        let texts = BTreeMap::from([("site_home".to_owned(), "Accueil".to_owned())]);
        assert!(!missing(&fr, Some(&texts)).contains(&"home"));
    }
}
