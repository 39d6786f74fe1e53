//! The issue as an e-mail: what a free or a paying subscriber receives in one language — the
//! subject, a preheader, HTML built for mail clients (a centred 600-pixel table, styles written
//! on each element, dark-mode hints, images that shrink) and a plain-text alternative, with the
//! recipient's own preferences and unsubscribe links. Free subscribers get what the public gets
//! (the teaser while the issue is paid); paying ones get the full text.

use crate::archive::Issue;
use crate::editions;
use crate::workspace::Workspace;
use anyhow::{Result, anyhow};
use weekly_model::Lang;
use weekly_site::markdown::{block, escape};

/// Who the mail is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// What the public gets.
    Free,
    /// The full text.
    Paid,
}

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

/// Drops a leading `---` front matter block.
fn body_of(markdown: &str) -> &str {
    if let Some(rest) = markdown.strip_prefix("---\n")
        && let Some(end) = rest.find("\n---\n")
    {
        return rest[end + 5..].trim_start_matches('\n');
    }
    markdown
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
    let body = body_of(&markdown);
    // The subject is the mail's heading: a `# …` first line of the edition is not repeated.
    let body = match body.strip_prefix("# ") {
        Some(rest) => rest
            .split_once('\n')
            .map_or("", |(_, after)| after)
            .trim_start(),
        None => body,
    };
    let preheader = preheader_of(body);
    let web = editions::issue_url(workspace, lang, issue.number);
    let cjk = lang.is_cjk();
    let (read_web, preferences, unsubscribe, why) = if cjk {
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
    let font = if cjk {
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
         style=\"background:#f6f8fa\"><tr><td align=\"center\" style=\"padding:24px 12px\">\n\
         <table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" \
         style=\"width:100%;max-width:600px;background:#ffffff;border:1px solid #d0d7de;border-radius:8px\">\
         <tr><td style=\"padding:28px;font-family:{font};font-size:16px;line-height:1.7;color:#1f2328\">\n\
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
        body = body.trim_end(),
    )
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
}
