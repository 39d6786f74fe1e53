//! The words of the subscription pages in the languages the site speaks (Chinese, English,
//! Japanese; any other language gets English), `{name}`, `{email}` and `{why}` filled in by
//! the caller.

/// Keys and their English, Chinese and Japanese words.
const WORDS: &[(&str, [&str; 3])] = &[
    ("back", ["Back to {name}", "返回《{name}》", "{name}に戻る"]),
    (
        "not_signup",
        [
            "Not a sign-up",
            "无法识别的订阅请求",
            "登録のリクエストではありません",
        ],
    ),
    (
        "unreadable",
        [
            "The request could not be read.",
            "无法读取这次请求。",
            "リクエストを読み取れませんでした。",
        ],
    ),
    (
        "check_inbox",
        ["Check your inbox", "请查收邮件", "受信箱をご確認ください"],
    ),
    (
        "check_inbox_text",
        [
            "If the address can receive mail, a message with a confirmation link is on its way. The subscription starts when you open it.",
            "如果这个地址能收到邮件，一封带确认链接的邮件正在路上。打开链接后，订阅即开始。",
            "このアドレスにメールが届く場合、確認リンク付きのメールをお送りしました。リンクを開くと購読が始まります。",
        ],
    ),
    (
        "not_address",
        [
            "Not an e-mail address",
            "这不是一个邮箱地址",
            "メールアドレスではありません",
        ],
    ),
    (
        "not_address_text",
        [
            "Please go back and check the address.",
            "请返回检查地址。",
            "戻ってアドレスをご確認ください。",
        ],
    ),
    (
        "confirm",
        ["Confirm your subscription", "确认订阅", "購読の確認"],
    ),
    (
        "confirm_text",
        [
            "One step left: press the button to start receiving {name} at {email}.",
            "还差一步：点击按钮，{email} 即可开始收到《{name}》。",
            "あと一歩です。ボタンを押すと、{email} への{name}の配信が始まります。",
        ],
    ),
    (
        "confirm_button",
        ["Confirm my subscription", "确认订阅", "購読を確認する"],
    ),
    (
        "subscribed",
        ["Subscribed", "订阅成功", "購読が完了しました"],
    ),
    (
        "subscribed_text",
        [
            "Thank you: {email} is subscribed to {name}. The next issue comes to your inbox.",
            "谢谢！{email} 已订阅《{name}》，下一期将发送到你的邮箱。",
            "ありがとうございます。{email} で{name}を購読しました。次号から受信箱に届きます。",
        ],
    ),
    (
        "choose_languages",
        [
            "Choose your languages",
            "选择接收的语言",
            "受け取る言語を選ぶ",
        ],
    ),
    (
        "gone",
        [
            "This link is no longer valid",
            "这个链接已经失效",
            "このリンクは無効になりました",
        ],
    ),
    (
        "gone_text",
        [
            "The address left the list after this link was sent. Sign up again to come back.",
            "发出这个链接之后，这个地址已经退订。如需继续接收，请重新订阅。",
            "このリンクの送信後に購読が解除されました。もう一度登録してください。",
        ],
    ),
    (
        "expired",
        [
            "This link has expired",
            "这个链接已过期",
            "このリンクは期限切れです",
        ],
    ),
    (
        "expired_text",
        [
            "Please sign up again to get a new confirmation link.",
            "请重新订阅以获取新的确认链接。",
            "新しい確認リンクを受け取るには、もう一度登録してください。",
        ],
    ),
    (
        "invalid",
        [
            "This link is not valid",
            "这个链接无效",
            "このリンクは無効です",
        ],
    ),
    (
        "invalid_text",
        [
            "It may have been cut when it was copied. Please use the link in the mail as it is.",
            "可能是复制时被截断了，请直接使用邮件中的链接。",
            "コピーの際に途切れた可能性があります。メール内のリンクをそのままお使いください。",
        ],
    ),
    (
        "busy",
        [
            "Please try again",
            "请稍后再试",
            "しばらくしてからお試しください",
        ],
    ),
    (
        "busy_text",
        [
            "The subscription service is busy or down; nothing was saved. Please try again in a few minutes.",
            "订阅服务繁忙或暂时不可用，这次没有保存任何内容。请过几分钟再试。",
            "購読サービスが混み合っているか停止しています。何も保存されていません。数分後にもう一度お試しください。",
        ],
    ),
    (
        "too_many",
        [
            "Too many requests",
            "请求过于频繁",
            "リクエストが多すぎます",
        ],
    ),
    (
        "too_many_text",
        [
            "Please wait a minute and try again.",
            "请等一分钟后再试。",
            "1 分ほど待ってからもう一度お試しください。",
        ],
    ),
    ("unsubscribe", ["Unsubscribe", "退订", "購読解除"]),
    (
        "unsubscribe_text",
        [
            "Stop sending {name} to {email}?",
            "不再向 {email} 发送《{name}》？",
            "{email} への{name}の配信を停止しますか？",
        ],
    ),
    (
        "unsubscribe_button",
        ["Unsubscribe", "退订", "購読を解除する"],
    ),
    (
        "unsubscribed",
        ["Unsubscribed", "已退订", "購読を解除しました"],
    ),
    (
        "unsubscribed_text",
        [
            "{email} will not receive {name} any more.",
            "{email} 将不再收到《{name}》。",
            "{email} には今後{name}をお届けしません。",
        ],
    ),
    (
        "preferences",
        ["Your subscription", "你的订阅", "購読の設定"],
    ),
    (
        "preferences_text",
        [
            "Choose the editions you receive.",
            "选择你接收的版本。",
            "受け取る版を選んでください。",
        ],
    ),
    ("saved", ["Saved.", "已保存。", "保存しました。"]),
    ("languages", ["Languages", "语言", "言語"]),
    ("save", ["Save", "保存", "保存"]),
    (
        "status_pending",
        ["waiting for confirmation", "待确认", "確認待ち"],
    ),
    ("status_confirmed", ["subscribed", "已订阅", "購読中"]),
    (
        "choose_language",
        [
            "Choose a language",
            "请选择一种语言",
            "言語を選んでください",
        ],
    ),
    (
        "choose_language_text",
        [
            "Keep at least one language, or use the Unsubscribe button to leave.",
            "至少保留一种语言；如要离开，请使用退订按钮。",
            "少なくとも 1 つの言語を残すか、購読解除ボタンをお使いください。",
        ],
    ),
    (
        "not_submission",
        [
            "Not a submission",
            "无法识别的推荐",
            "推薦のリクエストではありません",
        ],
    ),
    ("thanks", ["Thank you", "谢谢", "ありがとうございます"]),
    (
        "thanks_text",
        [
            "Your recommendation reached the editor, who reads every one.",
            "你的推荐已送达编辑，每一条都会被阅读。",
            "推薦は編集者に届きました。すべてに目を通します。",
        ],
    ),
    (
        "not_public",
        [
            "Not a public address",
            "这不是公开的网址",
            "公開アドレスではありません",
        ],
    ),
    (
        "not_public_text",
        [
            "Only pages on the public web can be recommended ({why}). Please go back and give the page's public address.",
            "只能推荐公开网络上的页面（{why}）。请返回填写页面的公开地址。",
            "推薦できるのは公開されたウェブのページだけです（{why}）。戻って公開アドレスを入力してください。",
        ],
    ),
    (
        "not_web",
        [
            "Not a web address",
            "这不是网址",
            "ウェブアドレスではありません",
        ],
    ),
    (
        "not_web_text",
        [
            "Please go back and give the full address of the page, starting with https://.",
            "请返回填写以 https:// 开头的完整网址。",
            "戻って https:// から始まる完全なアドレスを入力してください。",
        ],
    ),
];

/// The words of `key` in `lang` (a language code).
pub(crate) fn word(lang: &str, key: &str) -> &'static str {
    let column = match lang.split('-').next().unwrap_or("") {
        "zh" => 1,
        "ja" => 2,
        _ => 0,
    };
    WORDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, words)| words[column])
}

/// An address as a page shows it to whoever holds a link: `r***@example.org`.
pub(crate) fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_its_words_in_every_language() {
        for (key, words) in WORDS {
            for (i, w) in words.iter().enumerate() {
                assert!(!w.trim().is_empty(), "{key} in column {i}");
            }
            // The placeholders are the same in every language.
            for ph in ["{name}", "{email}", "{why}"] {
                let n = words[0].matches(ph).count();
                assert!(
                    words.iter().all(|w| w.matches(ph).count() == n),
                    "{key}: {ph}"
                );
            }
        }
        assert_eq!(word("zh-CN", "unsubscribe"), "退订");
        assert_eq!(word("fr", "unsubscribe"), "Unsubscribe");
        assert_eq!(masked("reader@example.org"), "r***@example.org");
    }
}
