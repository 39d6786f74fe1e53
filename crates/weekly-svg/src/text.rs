//! Text on an SVG canvas drawn without measuring fonts: about how wide each character is,
//! and lines wrapped to a width (cards, covers).

/// About how wide a character is drawn, in em of a bold sans-serif face — on the wide side
/// of the faces a card may be drawn with, so that a line never runs into the padding.
pub fn em(c: char) -> f32 {
    match c {
        'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '`' => 0.34,
        'f' | 't' | 'r' | 'I' | 'J' | '(' | ')' | '[' | ']' | '{' | '}' | '-' | '"' | ' ' => 0.44,
        'm' | 'w' | 'M' | 'W' | '@' | '%' | '&' => 0.98,
        'A'..='Z' | '#' | '?' => 0.78,
        'a'..='z' | '0'..='9' => 0.66,
        c if c.is_ascii() => 0.66,
        c if is_wide(c) => 1.02,
        _ => 0.8,
    }
}

/// True for a character drawn from an emoji font (pictographs, emoticons, transport and map
/// symbols, the supplemental symbols, the dingbats and miscellaneous symbols that have an
/// emoji form): without such a font it prints as an empty box.
pub fn is_emoji(c: char) -> bool {
    matches!(u32::from(c),
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF)
}

/// True when `text` holds a character that needs an emoji font ([`is_emoji`]).
pub fn has_emoji(text: &str) -> bool {
    text.chars().any(is_emoji)
}

/// Han, kana, hangul and full-width forms: a whole em each.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// Marks that do not end a line (opening brackets and quotes).
const OPENERS: &str = "（([{【《「『“‘〈〔";
/// Marks that do not start a line (closing brackets, quotes and punctuation).
const CLOSERS: &str = "）)]}】》」』”’〉〕，。、！？：；,.!?:;…";

/// What the next line starts with when a line breaks before `next`, taken off the end of
/// `line`: an opening bracket at its end goes down with what it opens, and when `next` starts
/// with a closing mark, the wide character before it goes down too (a line never starts with
/// `）` or `，`). Nothing is taken when the line would be left empty.
fn carry(line: &mut String, next: &str) -> String {
    line.truncate(line.trim_end().len());
    let mut taken = String::new();
    while let Some(c) = line.chars().last().filter(|c| OPENERS.contains(*c)) {
        line.pop();
        taken.insert(0, c);
    }
    if taken.is_empty()
        && next.chars().next().is_some_and(|c| CLOSERS.contains(c))
        && let Some(c) = line.chars().last().filter(|c| is_wide(*c))
    {
        line.pop();
        taken.insert(0, c);
    }
    if line.trim().is_empty() {
        line.push_str(&taken);
        return String::new();
    }
    taken
}

/// `text` in at most `max_lines` lines of at most `max_em` em each (see [`em`]), the last
/// one ending with `…` when text is left over. Latin words are broken only when one alone
/// is wider than a line; a line may break after any wide character.
pub fn wrap_em(text: &str, max_em: f32, max_lines: usize) -> Vec<String> {
    let width = |s: &str| s.chars().map(em).sum::<f32>();
    let mut pieces: Vec<String> = Vec::new();
    for word in text.split_inclusive(|c: char| c.is_whitespace() || is_wide(c)) {
        if width(word) <= max_em {
            pieces.push(word.to_owned());
            continue;
        }
        // A word wider than a line (a long name or URL): cut by characters.
        let mut part = String::new();
        for c in word.chars() {
            if width(&part) + em(c) > max_em && !part.is_empty() {
                pieces.push(std::mem::take(&mut part));
            }
            part.push(c);
        }
        pieces.push(part);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut left_over = false;
    for (i, piece) in pieces.iter().enumerate() {
        if width(line.trim_end()) + width(piece.trim_end()) > max_em && !line.trim().is_empty() {
            let carried = carry(&mut line, piece);
            lines.push(line.trim().to_owned());
            line = carried;
            if lines.len() == max_lines {
                left_over = i < pieces.len();
                break;
            }
        }
        line.push_str(piece);
    }
    if !left_over && !line.trim().is_empty() {
        lines.push(line.trim().to_owned());
    }
    if left_over && let Some(last) = lines.last_mut() {
        let mut kept: String = last.clone();
        while !kept.is_empty() && width(&kept) + em('…') > max_em {
            kept.pop();
        }
        *last = kept.trim_end().to_owned() + "…";
    }
    lines
}

/// `text` in at most `max_lines` lines of about `width` wide characters (a Latin letter
/// counts half), the last one ending with `…` when text is left over. Latin words are not
/// broken.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width * 2;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let mut cut = false;
    for word in text.split_inclusive(|c: char| c.is_whitespace() || !c.is_ascii()) {
        let w: usize = word.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        if used + w > width && !line.trim().is_empty() {
            let carried = carry(&mut line, word);
            lines.push(line.trim().to_owned());
            line = carried;
            used = line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            if lines.len() == max_lines {
                cut = true;
                break;
            }
        }
        line.push_str(word);
        used += w;
    }
    if !cut && !line.trim().is_empty() {
        lines.push(line.trim().to_owned());
    }
    if cut && let Some(last) = lines.last_mut() {
        let mut chars: Vec<char> = last.chars().collect();
        chars.truncate(chars.len().saturating_sub(1));
        *last = chars.into_iter().collect::<String>() + "…";
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_are_told_from_text() {
        assert!(has_emoji("🐍 Python") && has_emoji("⭐⭐") && has_emoji("✅ done"));
        assert!(!has_emoji("第 55 期：分享 9 个信息源！") && !has_emoji("Rust — “quoted” ©"));
    }

    fn kept_together(lines: &[String]) -> bool {
        lines.windows(2).all(|pair| {
            !pair[0].chars().last().is_some_and(|c| OPENERS.contains(c))
                && !pair[1].chars().next().is_some_and(|c| CLOSERS.contains(c))
        })
    }

    #[test]
    fn a_bracket_goes_with_what_it_opens_and_a_comma_with_what_it_ends() {
        let title = "Python 潮流周刊第 2 季合集（31~60）";
        for width in 6..20 {
            let lines = wrap(title, width, usize::MAX);
            assert!(kept_together(&lines), "{width}: {lines:?}");
            assert_eq!(lines.concat().replace(' ', ""), title.replace(' ', ""));
        }
        let theme = "错误处理再思考，库与应用的不同选择（以及经验）";
        for max in [4.0, 5.0, 6.0, 7.0, 9.0] {
            let lines = wrap_em(theme, max, usize::MAX);
            assert!(kept_together(&lines), "{max}: {lines:?}");
            assert_eq!(lines.concat(), theme);
            assert!(
                lines
                    .iter()
                    .all(|l| l.chars().map(em).sum::<f32>() <= max + 1e-3),
                "{lines:?}"
            );
        }
    }
}
