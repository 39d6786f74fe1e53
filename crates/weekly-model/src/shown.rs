//! Text from outside made safe to show: secrets taken out of messages, and control characters
//! (terminal escapes, bidirectional overrides, stray newlines) written as visible escapes.

use std::borrow::Cow;
use std::fmt::Write as _;

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not looked for (they would match ordinary words).
const MIN_SECRET: usize = 6;

/// `text` with every secret of `secrets` (as it is, and percent-encoded as in a URL path)
/// replaced by [`REDACTED`].
pub fn redact<'t>(text: &'t str, secrets: &[&str]) -> Cow<'t, str> {
    let mut out = Cow::Borrowed(text);
    for secret in secrets.iter().filter(|s| s.len() >= MIN_SECRET) {
        for form in [Cow::Borrowed(*secret), percent_encoded(secret)] {
            if out.contains(form.as_ref()) {
                out = Cow::Owned(out.replace(form.as_ref(), REDACTED));
            }
        }
    }
    out
}

/// `text` with the bytes that are not unreserved in a URL written as `%XX`.
fn percent_encoded(text: &str) -> Cow<'_, str> {
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"-._~".contains(&b);
    if text.bytes().all(plain) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if plain(b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Cow::Owned(out)
}

/// True for characters that must not reach a terminal as they are: C0 and C1 controls, DEL,
/// and the bidirectional overrides and isolates that reorder what is shown.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with unsafe characters written as escapes (`\e`, `\n`, `\u{202e}`…). With
/// `keep_lines`, newlines and tabs stay (a message of several lines); without, a value from
/// outside (a file name, a feed title) stays on its one line.
pub fn escape_controls(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let kept = |c: char| keep_lines && matches!(c, '\n' | '\t');
    if !text.chars().any(|c| is_unsafe(c) && !kept(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unsafe(c) || kept(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{1b}' => out.push_str("\\e"),
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_raw_and_in_a_url_path() {
        let token = "123456:AAE-secret_token";
        let text = format!("HTTP 404: /bot{token}/x and /bot123456%3AAAE-secret_token/y");
        assert_eq!(
            redact(&text, &[token]),
            "HTTP 404: /bot[redacted]/x and /bot[redacted]/y"
        );
        assert_eq!(
            redact("Bearer sk-abcdef", &["sk-abcdef", ""]),
            "Bearer [redacted]"
        );
        assert_eq!(
            redact("a b", &["b"]),
            "a b",
            "a short secret is not looked for"
        );
    }

    #[test]
    fn controls_and_bidi_overrides_are_escaped() {
        assert_eq!(
            escape_controls("\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}title", true),
            "\\e[2J\\e]52;c;ZXZpbA==\\u{7}title"
        );
        assert_eq!(escape_controls("a\nb\tc", true), "a\nb\tc");
        assert_eq!(escape_controls("dir\nname", false), "dir\\nname");
        assert_eq!(
            escape_controls("abc\u{202e}txt.exe", true),
            "abc\\u{202e}txt.exe"
        );
        assert!(matches!(
            escape_controls("中文 text", false),
            Cow::Borrowed(_)
        ));
        assert_eq!(escape_controls("\u{9b}31m", true), "\\u{9b}31m");
    }
}
