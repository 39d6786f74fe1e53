//! Writing YAML scalars that always read back as the same string.

use std::fmt::Write as _;

/// Quotes `value` as a YAML scalar: single-quoted with `'` doubled, or double-quoted with escapes
/// when it holds line breaks or other control characters. Backslashes, colons, `#` and
/// apostrophes survive.
pub fn scalar(value: &str) -> String {
    if value.chars().any(char::is_control) {
        let mut out = String::from("\"");
        for c in value.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => {
                    let _ = write!(out, "\\u{:04X}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Doc {
        title: String,
    }

    #[test]
    fn scalars_read_back_unchanged() {
        for value in [
            "It's",
            "a: b",
            "back\\slash",
            "line\nbreak",
            "#1：x",
            "'",
            "\"q\"",
            "- x",
            "",
        ] {
            let yaml = format!("title: {}\n", scalar(value));
            let doc: Doc = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(doc.title, value, "{yaml}");
        }
    }
}
