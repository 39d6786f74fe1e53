//! The issue as an e-mail: what a free or a paying subscriber receives in one language — the
//! subject, a preheader, HTML built for mail clients (a centred 600-pixel table, styles written
//! on each element, dark-mode hints, images that shrink) and a plain-text alternative, with the
//! recipient's own preferences and unsubscribe links. Free subscribers get what the public gets
//! (the teaser while the issue is paid); paying ones get the full text.

use crate::archive::Issue;
use crate::editions;
use crate::workspace::Workspace;
use anyhow::{Result, anyhow};
use std::fmt::Write as _;
use weekly_model::Lang;
use weekly_site::markdown::{block, escape};

/// Who the mail is for (the tier the store keeps for subscribers and campaigns).
pub use weekly_store::Tier;

/// The links of one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientLinks {
    /// `/preferences?token=…`
    pub preferences: String,
    /// `/unsubscribe?token=…` (also the `List-Unsubscribe` URL).
    pub unsubscribe: String,
}

/// One e-mail edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailEdition {
    /// The subject (one line).
    pub subject: String,
    /// The line mail clients show after the subject.
    pub preheader: String,
    /// The HTML body.
    pub html: String,
    /// The plain-text body.
    pub text: String,
}

/// The first paragraph's text, shortened to about 110 characters.
fn preheader_of(body: &str) -> String {
    let paragraph = body
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#') && !p.starts_with('!'))
        .unwrap_or("");
    let plain = weekly_model::inline::plain_text(&paragraph.replace('\n', " "));
    let mut out: String = plain.chars().take(110).collect();
    if plain.chars().count() > 110 {
        out.push('…');
    }
    out
}

/// Styles written on the elements our Markdown renderer makes (mail clients drop `<style>`
/// blocks or parts of them; attributes on each element survive).
const ELEMENT_STYLES: [(&str, &str); 9] = [
    ("<p>", "<p style=\"margin:0 0 16px\">"),
    (
        "<h1>",
        "<h1 style=\"font-size:24px;line-height:1.3;margin:0 0 16px\">",
    ),
    (
        "<h2>",
        "<h2 style=\"font-size:20px;line-height:1.35;margin:28px 0 12px;padding-bottom:6px;border-bottom:1px solid #d0d7de\">",
    ),
    (
        "<h3>",
        "<h3 style=\"font-size:17px;line-height:1.4;margin:20px 0 8px\">",
    ),
    ("<ul>", "<ul style=\"margin:0 0 16px;padding-left:22px\">"),
    ("<ol>", "<ol style=\"margin:0 0 16px;padding-left:22px\">"),
    ("<li>", "<li style=\"margin:0 0 6px\">"),
    (
        "<blockquote>",
        "<blockquote style=\"margin:0 0 16px;padding:0 12px;border-left:3px solid #d0d7de;color:#57606a\">",
    ),
    (
        "<img ",
        "<img width=\"544\" style=\"max-width:100%;height:auto;border:0\" ",
    ),
];

fn styled(html: &str) -> String {
    let mut out = html.replace("<a href=", "<a style=\"color:#0969da\" href=");
    for (tag, with_style) in ELEMENT_STYLES {
        out = out.replace(tag, with_style);
    }
    out
}

/// The e-mail edition of `issue` in `lang` for `tier`, with `links` in its footer.
pub fn email_edition(
    workspace: &Workspace,
    issue: &Issue,
    lang: &Lang,
    tier: Tier,
    latest: u32,
    links: &RecipientLinks,
) -> Result<EmailEdition> {
    let document = editions::source(issue, lang)?;
    let subject = editions::title(workspace, lang, issue, document)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>();
    let free_now = issue.number + workspace.config.free_after <= latest;
    let markdown = if tier == Tier::Paid || free_now {
        let edition = issue.full(lang).ok_or_else(|| {
            anyhow!(
                "issue #{} has no full text in `{lang}` to mail to {}",
                issue.number,
                if tier == Tier::Paid {
                    "paying subscribers"
                } else {
                    "subscribers (it is free now)"
                }
            )
        })?;
        weekly_render::markdown::render(&edition.document)
    } else {
        editions::teaser(workspace, issue, lang)?
    };
    // The subject is the mail's heading: a `# …` first line of the edition is not repeated.
    let body = editions::body_under_title(&markdown);
    let body = &entry_lines(body, lang.is_cjk());
    let preheader = preheader_of(body);
    let web = editions::issue_url(workspace, lang, issue.number);
    let cjk = lang.is_cjk();
    let ja = lang.as_str().split('-').next() == Some("ja");
    let (read_web, preferences, unsubscribe, why) = if ja {
        (
            "ウェブで読む",
            "配信設定",
            "配信停止",
            "このメールは、次のニュースレターを購読しているためお送りしています：",
        )
    } else if cjk {
        (
            "在网页上阅读",
            "订阅设置",
            "退订",
            "你收到这封邮件，是因为你订阅了",
        )
    } else {
        (
            "Read on the web",
            "Preferences",
            "Unsubscribe",
            "You receive this mail because you subscribed to",
        )
    };
    let name = workspace.config.name.get(lang).cloned().unwrap_or_default();
    let font = if ja {
        "-apple-system,'Hiragino Sans','Hiragino Kaku Gothic ProN','Yu Gothic','Meiryo','Noto Sans CJK JP',sans-serif"
    } else if cjk {
        "-apple-system,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif"
    } else {
        "-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"
    };
    let labels = Labels {
        read_web,
        preferences,
        unsubscribe,
        why,
    };
    if let Some(html) = own_template(
        workspace, lang, &subject, &preheader, body, &web, &name, links, &labels,
    )? {
        let text = plain_text(&subject, body, &web, links, &labels);
        return Ok(EmailEdition {
            subject,
            preheader,
            html,
            text,
        });
    }
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\">\
         <meta name=\"supported-color-schemes\" content=\"light dark\">\
         <title>{subject}</title></head>\n\
         <body style=\"margin:0;padding:0;background:#f6f8fa\">\n\
         <div style=\"display:none;max-height:0;overflow:hidden;opacity:0\">{preheader}</div>\n\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" \
         style=\"background:#f6f8fa\"><tr><td align=\"center\" style=\"padding:16px 6px\">\n\
         <table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" \
         style=\"width:100%;max-width:600px;background:#ffffff;border:1px solid #d0d7de;border-radius:8px\">\
         <tr><td style=\"padding:24px 16px;font-family:{font};font-size:16px;line-height:1.7;color:#1f2328\">\n\
         <p style=\"margin:0 0 20px;font-size:13px\"><a style=\"color:#57606a\" href=\"{web}\">{read_web}</a></p>\n\
         <h1 style=\"font-size:24px;line-height:1.3;margin:0 0 20px\">{subject}</h1>\n\
         {content}\n</td></tr></table>\n\
         <p style=\"margin:16px 0 0;font-family:{font};font-size:12px;line-height:1.6;color:#57606a\">\
         {why} {name_html}.<br><a style=\"color:#57606a\" href=\"{prefs}\">{preferences}</a> · \
         <a style=\"color:#57606a\" href=\"{unsub}\">{unsubscribe}</a></p>\n\
         </td></tr></table>\n</body></html>\n",
        lang = escape(lang.as_str()),
        subject = escape(&subject),
        preheader = escape(&preheader),
        web = escape(&web),
        read_web = escape(read_web),
        content = styled(&block(body)),
        why = escape(why),
        name_html = escape(&name),
        prefs = escape(&links.preferences),
        unsub = escape(&links.unsubscribe),
        preferences = escape(preferences),
        unsubscribe = escape(unsubscribe),
    );
    let text = plain_text(&subject, body, &web, links, &labels);
    Ok(EmailEdition {
        subject,
        preheader,
        html,
        text,
    })
}

/// The fixed words of the mail's footer.
struct Labels {
    read_web: &'static str,
    preferences: &'static str,
    unsubscribe: &'static str,
    why: &'static str,
}

/// The plain-text part.
fn plain_text(
    subject: &str,
    body: &str,
    web: &str,
    links: &RecipientLinks,
    labels: &Labels,
) -> String {
    format!(
        "{subject}\n\n{body}\n\n--\n{}: {web}\n{}: {}\n{}: {}\n",
        labels.read_web,
        labels.preferences,
        links.preferences,
        labels.unsubscribe,
        links.unsubscribe,
        body = text_of(body).trim_end(),
    )
}

/// Entry lines (`12、[title](url) …`) of the Markdown body as the mail shows them: the
/// title in bold, numbered the language's way (`12、` in Chinese and Japanese, `12.`
/// elsewhere). Lines in code blocks are left alone.
fn entry_lines(body: &str, cjk: bool) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut fence: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            out.push_str(line);
            continue;
        }
        let digits = content.bytes().take_while(u8::is_ascii_digit).count();
        let title = (1..=3)
            .contains(&digits)
            .then(|| content[digits..].strip_prefix('、'))
            .flatten()
            .map(str::trim)
            .filter(|t| !t.is_empty() && !t.contains("**"));
        match title {
            Some(title) => {
                let number = &content[..digits];
                let mark = if cjk { "、" } else { ". " };
                let _ = write!(out, "**{number}{mark}{title}**");
                out.push_str(&line[content.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The Markdown body as plain text: emphasis, heading marks and images left out, each link's
/// text followed by a number whose address is listed at the end (`[1] https://…`), code as
/// it is.
fn text_of(body: &str) -> String {
    const OPEN: char = '\u{e001}';
    const CLOSE: char = '\u{e002}';
    let mut urls: Vec<String> = Vec::new();
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<String> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            } else {
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_owned());
            continue;
        }
        // Raw HTML (an `<img>`, a comment) says nothing in plain text.
        if trimmed.starts_with('<') && trimmed.ends_with('>') {
            continue;
        }
        // A heading's text, without its `#` marks.
        let rest = match trimmed.trim_start_matches('#') {
            r if r.len() < trimmed.len() && r.starts_with(' ') => r.trim_start(),
            _ => line,
        };
        let mut rewritten = String::with_capacity(rest.len());
        let mut at = 0;
        for link in weekly_model::inline::links(rest) {
            rewritten.push_str(&rest[at..link.offset]);
            let text = weekly_model::inline::plain_text(&link.text);
            let n = if let Some(i) = urls.iter().position(|u| *u == link.url) {
                i + 1
            } else {
                urls.push(link.url.clone());
                urls.len()
            };
            let _ = write!(rewritten, "{text}{OPEN}{n}{CLOSE}");
            at = link.end;
        }
        rewritten.push_str(&rest[at..]);
        let plain = weekly_model::inline::plain_text(&rewritten)
            .replace(OPEN, " [")
            .replace(CLOSE, "]");
        if plain.is_empty() && !line.trim().is_empty() {
            continue;
        }
        out.push_str(&plain);
        out.push('\n');
    }
    // One blank line between paragraphs, however many the Markdown had.
    let mut text = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if blank > 0 && !text.is_empty() {
            text.push('\n');
        }
        blank = 0;
        text.push_str(line);
        text.push('\n');
    }
    if !urls.is_empty() {
        text.push('\n');
        for (i, url) in urls.iter().enumerate() {
            let _ = writeln!(text, "[{}] {url}", i + 1);
        }
    }
    text
}

/// The workspace's own frame for the HTML part, `templates/mail/issue.LANG.html` or
/// `templates/mail/issue.html` (minijinja, every value escaped but `content`), rendered; `None`
/// when there is none. A template error names the file and line.
#[allow(clippy::too_many_arguments)]
fn own_template(
    workspace: &Workspace,
    lang: &Lang,
    subject: &str,
    preheader: &str,
    body: &str,
    web: &str,
    name: &str,
    links: &RecipientLinks,
    labels: &Labels,
) -> Result<Option<String>> {
    let dir = workspace.root.join(crate::mail_texts::DIR);
    let Some(path) = [format!("issue.{lang}.html"), "issue.html".to_owned()]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
    else {
        return Ok(None);
    };
    let shown = workspace.display_path(&path);
    let source = workspace.read_text(&path)?;
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    let located = |e: minijinja::Error| {
        anyhow!(
            "{shown}:{}: {}",
            e.line().unwrap_or(1),
            e.detail().unwrap_or(&e.kind().to_string())
        )
    };
    env.add_template("issue", &source).map_err(located)?;
    let context = minijinja::context! {
        lang => lang.as_str(),
        subject => subject,
        preheader => preheader,
        content => minijinja::Value::from_safe_string(styled(&block(body))),
        web_url => web,
        name => name,
        preferences_url => &links.preferences,
        unsubscribe_url => &links.unsubscribe,
        read_web => labels.read_web,
        preferences => labels.preferences,
        unsubscribe => labels.unsubscribe,
        why => labels.why,
    };
    let html = env
        .get_template("issue")
        .and_then(|t| t.render(context))
        .map_err(located)?;
    Ok(Some(html))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editions::body_of;

    #[test]
    fn front_matter_is_left_out_and_the_preheader_is_the_first_paragraph() {
        let md = "---\ntitle: 'T'\n---\n\n# Heading\n\nFirst *line* of the issue,\nwith a [link](https://x.org).\n\nSecond.";
        let body = body_of(md);
        assert!(body.starts_with("# Heading"), "{body}");
        assert_eq!(preheader_of(body), "First line of the issue, with a link.");
        assert_eq!(body_of("no front matter"), "no front matter");
    }

    #[test]
    fn styles_go_on_the_elements_and_leave_text_alone() {
        let html = styled(
            "<h2>A &lt;p&gt;</h2><p>x <a href=\"https://x.org\">y</a></p><img src=\"a.png\" alt=\"a\">",
        );
        assert!(html.contains("<h2 style="), "{html}");
        assert!(html.contains("A &lt;p&gt;"), "{html}");
        assert!(
            html.contains("<a style=\"color:#0969da\" href=\"https://x.org\">"),
            "{html}"
        );
        assert!(
            html.contains("<img width=\"544\" style=\"max-width:100%"),
            "{html}"
        );
    }

    #[test]
    fn entry_titles_are_bold_and_numbered_the_languages_way() {
        let body =
            "## Articles\n\n1、[A title](https://a.example/)\n\nText.\n\n```\n2、code\n```\n";
        let en = entry_lines(body, false);
        assert!(en.contains("**1. [A title](https://a.example/)**"), "{en}");
        assert!(!en.contains("1、"), "{en}");
        assert!(en.contains("2、code"), "code is left alone: {en}");
        assert!(entry_lines(body, true).contains("**1、[A title](https://a.example/)**"));
    }

    #[test]
    fn the_text_part_is_text_with_numbered_links() {
        let body = "## Articles\n\n**1. [A *good* title](https://a.example/x)** (star 5)\n\n\
                    See [the docs](https://b.example/) and ![a chart](https://c.example/c.png) \
                    and [again](https://a.example/x).\n\n<img src=\"x.png\">\n\n```\nlet **x** = 1;\n```\n";
        let text = text_of(body);
        assert_eq!(
            text,
            "Articles\n\n1. A good title [1] (star 5)\n\nSee the docs [2] and  and again [1].\n\n\
             let **x** = 1;\n\n[1] https://a.example/x\n[2] https://b.example/\n"
        );
    }
}
