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

/// Han, kana, hangul and full-width forms: a whole em each.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
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
            lines.push(line.trim().to_owned());
            line.clear();
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
            lines.push(line.trim().to_owned());
            line.clear();
            used = 0;
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
