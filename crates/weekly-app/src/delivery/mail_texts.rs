//! The texts of the mails the program writes: the sign-up confirmation (built in for Chinese,
//! Japanese and English, replaced by the workspace's `templates/mail/confirm.LANG.txt` or
//! `confirm.txt`) and the welcome after a confirmation (sent only when the workspace writes
//! `welcome.LANG.txt` or `welcome.txt`). A text is a `Subject:` line, an empty line and the
//! body; `{{ name }}` (the newsletter's name in that language) and `{{ link }}` (the
//! confirmation link, or the site's home page in a welcome) are filled in.

use crate::workspace::Workspace;
use anyhow::{Result, bail};
use weekly_model::Lang;

/// The folder of the workspace that holds mail texts.
pub const DIR: &str = "templates/mail";

/// The variables a text may use.
const VARIABLES: [&str; 2] = ["name", "link"];

/// A mail text: subject and body, with `{{ … }}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailText {
    /// Where it comes from (a workspace file or "built-in").
    pub origin: String,
    subject: String,
    body: String,
}

fn built_in(kind: &str, lang: &Lang) -> Option<&'static str> {
    match (kind, lang.as_str().split('-').next().unwrap_or("")) {
        ("confirm", "zh") => Some(include_str!("../../assets/mail/confirm.zh.txt")),
        ("confirm", "ja") => Some(include_str!("../../assets/mail/confirm.ja.txt")),
        ("confirm", _) => Some(include_str!("../../assets/mail/confirm.en.txt")),
        _ => None,
    }
}

/// Parses a text; errors name `origin` and the line.
pub fn parse(text: &str, origin: &str) -> Result<MailText> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let Some(subject) = first.trim_end_matches('\r').strip_prefix("Subject:") else {
        bail!("{origin}:1:1: a mail text starts with a `Subject: …` line");
    };
    let subject = subject.trim();
    if subject.is_empty() {
        bail!("{origin}:1:9: the subject is empty");
    }
    let body = rest.trim_start_matches(['\r', '\n']);
    if body.trim().is_empty() {
        bail!("{origin}:2:1: the body is empty (after `Subject:`, an empty line, then the text)");
    }
    for (n, line) in text.lines().enumerate() {
        // Columns count characters, as editors show them.
        let column = |byte: usize| line[..byte].chars().count() + 1;
        let mut at = 0;
        while let Some(start) = line[at..].find("{{").map(|s| at + s) {
            let Some(end) = line[start..].find("}}").map(|e| start + e) else {
                bail!("{origin}:{}:{}: `{{{{` is not closed", n + 1, column(start));
            };
            let name = line[start + 2..end].trim();
            if !VARIABLES.contains(&name) {
                bail!(
                    "{origin}:{}:{}: unknown variable `{name}` (a mail text may use {})",
                    n + 1,
                    column(start),
                    VARIABLES.map(|v| format!("{{{{ {v} }}}}")).join(" and ")
                );
            }
            at = end + 2;
        }
    }
    Ok(MailText {
        origin: origin.to_owned(),
        subject: subject.to_owned(),
        body: body.to_owned(),
    })
}

impl MailText {
    /// The subject and body with `values` (`name`, `link`) filled in. The subject stays on one
    /// line whatever a value holds.
    pub fn fill(&self, values: &[(&str, &str)]) -> (String, String) {
        let fill = |text: &str| {
            let mut out = String::with_capacity(text.len() + 64);
            let mut rest = text;
            while let Some(start) = rest.find("{{") {
                let end = rest[start..].find("}}").map_or(rest.len(), |e| start + e);
                out.push_str(&rest[..start]);
                let name = rest[start + 2..end].trim();
                if let Some((_, value)) = values.iter().find(|(k, _)| *k == name) {
                    out.push_str(value);
                }
                rest = rest.get(end + 2..).unwrap_or("");
            }
            out.push_str(rest);
            out
        };
        let subject = fill(&self.subject)
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        (subject, fill(&self.body))
    }
}

/// The workspace's own text of `kind` for `lang` (`KIND.LANG.txt`, else `KIND.txt`), when
/// it writes one: how an optional mail (the welcome) is turned on.
pub fn load_own(workspace: &Workspace, kind: &str, lang: &Lang) -> Result<Option<MailText>> {
    for name in [
        format!("{kind}.{}.txt", lang.as_str()),
        format!("{kind}.txt"),
    ] {
        let path = workspace.root.join(DIR).join(&name);
        if path.exists() {
            let text = workspace.read_text(&path)?;
            return parse(&text, &workspace.display_path(&path)).map(Some);
        }
    }
    Ok(None)
}

/// The text of `kind` for `lang`: the workspace's own file if there is one, else the built-in.
pub fn load(workspace: &Workspace, kind: &str, lang: &Lang) -> Result<MailText> {
    if let Some(own) = load_own(workspace, kind, lang)? {
        return Ok(own);
    }
    match built_in(kind, lang) {
        Some(text) => parse(text, &format!("built-in {kind} text")),
        None => bail!("no built-in mail text `{kind}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_texts_parse_and_fill() {
        for lang in ["zh", "en", "ja"] {
            let text = parse(
                built_in("confirm", &Lang::new(lang).unwrap()).unwrap(),
                "built-in",
            )
            .unwrap();
            let (subject, body) = text.fill(&[("name", "W"), ("link", "https://x/c?t=1")]);
            assert!(subject.contains('W'), "{subject}");
            assert!(body.contains("https://x/c?t=1"), "{body}");
            assert!(!body.contains("{{"), "{body}");
        }
    }

    #[test]
    fn bad_texts_are_errors_with_their_line() {
        let e = parse("Hello\n\nbody", "t.txt").unwrap_err().to_string();
        assert!(e.starts_with("t.txt:1:1:"), "{e}");
        let e = parse("Subject: s\n\nhi {{ who }}", "t.txt")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.txt:3:4: unknown variable `who`"), "{e}");
        let e = parse("Subject: s\n\nhi {{ link", "t.txt")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not closed"), "{e}");
        assert!(parse("Subject: s\n", "t.txt").is_err());
    }

    #[test]
    fn a_value_cannot_break_the_subject_line() {
        let text = parse("Subject: {{ name }}\n\n{{ name }}", "t").unwrap();
        let (subject, body) = text.fill(&[("name", "A\r\nBcc: x@evil")]);
        assert_eq!(subject, "A  Bcc: x@evil");
        assert_eq!(body, "A\r\nBcc: x@evil");
    }
}
