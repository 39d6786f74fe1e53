//! Plain text from the HTML of feed titles and summaries: tags dropped, the common entities
//! decoded, whitespace collapsed, length bounded.

/// Decodes one entity name (without `&` and `;`).
fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        _ => {
            let code =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
            char::from_u32(code)?
        }
    })
}

/// `html` as plain text of at most `max_chars` characters (an ellipsis marks a cut).
pub fn plain(html: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(html.len().min(max_chars * 4));
    let mut chars = 0;
    let mut space = false;
    let mut rest = html;
    let push = |out: &mut String, chars: &mut usize, space: &mut bool, c: char| {
        if c.is_whitespace() {
            *space = true;
            return;
        }
        if *space && !out.is_empty() {
            out.push(' ');
            *chars += 1;
        }
        *space = false;
        out.push(c);
        *chars += 1;
    };
    while let Some(c) = rest.chars().next() {
        if chars >= max_chars {
            while out.ends_with(' ') {
                out.pop();
            }
            out.push('…');
            return out;
        }
        match c {
            '<' => {
                let end = rest.find('>').map_or(rest.len(), |i| i + 1);
                let tag = &rest[..end];
                // Block-level tags separate words.
                if tag.starts_with("<p")
                    || tag.starts_with("</p")
                    || tag.starts_with("<br")
                    || tag.starts_with("<li")
                    || tag.starts_with("<h")
                    || tag.starts_with("<div")
                {
                    space = true;
                }
                rest = &rest[end..];
            }
            '&' => {
                let decoded = rest[1..]
                    .find(';')
                    .filter(|&i| i <= 10)
                    .and_then(|i| entity(&rest[1..=i]).map(|c| (c, i + 2)));
                if let Some((d, len)) = decoded {
                    push(&mut out, &mut chars, &mut space, d);
                    rest = &rest[len..];
                } else {
                    push(&mut out, &mut chars, &mut space, '&');
                    rest = &rest[1..];
                }
            }
            c => {
                push(&mut out, &mut chars, &mut space, c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_decodes() {
        assert_eq!(
            plain(
                "<p>Hello&nbsp;<b>world</b> &amp; &#20320;&#x597D;</p><p>next</p>",
                100
            ),
            "Hello world & 你好 next"
        );
        assert_eq!(plain("a & b &unknown; <", 100), "a & b &unknown;");
        assert_eq!(plain("一二三四五六", 3), "一二三…");
        assert_eq!(plain("  spaced\n\n out  ", 100), "spaced out");
    }
}
