//! `weekly render --edition email`: the `.eml` parsed back by Python's `email` package (a real
//! MIME parser): headers, both parts, the recipient's links, and the tier's content.

use crate::common;

use common::{demo_copy, stderr, stdout};
use std::process::{Command, Stdio};

/// The message parsed by Python: headers and both bodies as JSON.
fn parse(eml: &str) -> Option<serde_json::Value> {
    let script = "import sys,json,email\nfrom email import policy\nm=email.message_from_bytes(sys.stdin.buffer.read(),policy=policy.default)\nprint(json.dumps({'subject':m['Subject'],'to':m['To'],'from':m['From'],'lu':m['List-Unsubscribe'],'lup':m['List-Unsubscribe-Post'],'mid':m['Message-ID'],'date':m['Date'],'type':m.get_content_type(),'parts':[p.get_content_type() for p in m.iter_parts()],'html':m.get_body(('html',)).get_content(),'text':m.get_body(('plain',)).get_content()}))";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), eml.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn the_email_edition_is_a_mime_message_with_the_tiers_content_and_one_click_unsubscribe() {
    let ws = demo_copy("email-edition");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let w = ws.to_str().unwrap();
    let out = common::weekly(&["--workspace", w, "subscribers", "add", "Reader@Example.org"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let render = |tier: &str, lang: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_weekly"))
            .args([
                "--workspace",
                w,
                "render",
                "7",
                "--edition",
                "email",
                "--tier",
                tier,
            ])
            .args(["--lang", lang, "--to", "reader@example.org"])
            .env("WEEKLY_SECRET", "an-email-test-secret-long-enough-0000")
            .env_remove("WEEKLY_DATABASE_URL")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let Some(paid) = parse(&render("paid", "zh")) else {
        common::skip("python3 is needed to parse the message");
        return;
    };
    let free = parse(&render("free", "en")).unwrap();
    for m in [&paid, &free] {
        assert_eq!(m["type"], "multipart/alternative");
        assert_eq!(m["parts"], serde_json::json!(["text/plain", "text/html"]));
        assert_eq!(m["to"], "reader@example.org");
        assert!(m["mid"].as_str().unwrap().contains('@'), "{m}");
        assert!(!m["date"].as_str().unwrap().is_empty());
        assert_eq!(m["lup"], "List-Unsubscribe=One-Click");
        let lu = m["lu"].as_str().unwrap();
        assert!(
            lu.starts_with("<https://weekly.example.org/unsubscribe?token=1.u."),
            "{lu}"
        );
        let html = m["html"].as_str().unwrap();
        let text = m["text"].as_str().unwrap();
        // The subscriber's own links (id 1), in both parts.
        assert!(html.contains("/preferences?token=1.p."), "{html}");
        assert!(text.contains("/unsubscribe?token=1.u."), "{text}");
        assert!(html.contains("role=\"presentation\""), "{html}");
        assert!(html.contains("color-scheme"), "{html}");
    }
    assert_eq!(paid["subject"], "Rust 星期刊#7：错误处理再思考");
    // Paying subscribers get the entries' text; free ones (the issue is paid) the titles.
    let paid_html = paid["html"].as_str().unwrap();
    assert!(
        paid_html.contains("库和应用对错误类型的需求并不相同"),
        "{paid_html}"
    );
    let free_html = free["html"].as_str().unwrap();
    assert!(
        free_html.contains("How Should You Design Err"),
        "{free_html}"
    );
    assert!(
        !free_html.contains("Libraries and applications"),
        "{free_html}"
    );
    assert_eq!(
        free_html.matches("Error Handling Revisited</h1>").count(),
        1
    );
    // The English mail numbers its entries the English way, titles in bold; the text part is
    // text: no Markdown syntax, links as numbered references listed at the end.
    let en = parse(&render("paid", "en")).unwrap();
    let en_html = en["html"].as_str().unwrap();
    assert!(!en_html.contains('、'), "{en_html}");
    assert!(en_html.contains("<strong>1. <a "), "{en_html}");
    for m in [&paid, &free, &en] {
        let text = m["text"].as_str().unwrap();
        for syntax in ["**", "](", "![", "\n#"] {
            assert!(
                !text.contains(syntax),
                "`{syntax}` in the text part: {text}"
            );
        }
        let html = m["html"].as_str().unwrap();
        // Most of a 375 px screen is left for the text (padding 6 + 16 on each side).
        assert!(html.contains("padding:16px 6px") && html.contains("padding:24px 16px"));
    }
    for m in [&paid, &en] {
        let text = m["text"].as_str().unwrap();
        assert!(text.contains("\n[1] http"), "{text}");
    }
}

/// The HTML part in Chromium at 375 and 600 px, light and dark (`tests/browser/mail.mjs`): no
/// sideways scrolling, at least 320 px for text on a 375 px phone, 16 px text, bold entry
/// titles, the card centred at 600 px, and no "、" list mark in English.
#[test]
fn the_mail_reads_well_on_a_phone_and_a_desktop() {
    if !common::browser_available() {
        return;
    }
    let ws = demo_copy("email-browser");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let w = ws.to_str().unwrap();
    for lang in ["zh", "en"] {
        let out = Command::new(env!("CARGO_BIN_EXE_weekly"))
            .args(["--workspace", w, "render", "7", "--edition", "email"])
            .args([
                "--tier",
                "paid",
                "--lang",
                lang,
                "--to",
                "reader@example.org",
            ])
            .env("WEEKLY_SECRET", "an-email-test-secret-long-enough-0000")
            .env_remove("WEEKLY_DATABASE_URL")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let Some(message) = parse(&stdout(&out)) else {
            common::skip("python3 is needed to parse the message");
            return;
        };
        let file = ws.join(format!("mail.{lang}.html"));
        std::fs::write(&file, message["html"].as_str().unwrap()).unwrap();
        let report = common::node("mail.mjs", &[file.as_os_str()]);
        assert_eq!(report.matches("ok: ").count(), 4, "{report}");
    }
}
