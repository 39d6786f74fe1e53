//! Character sets: a feed body is turned into UTF-8 before parsing. The encoding is taken from
//! a byte-order mark, then the HTTP `Content-Type` charset, then the XML declaration, and is
//! UTF-8 otherwise (GBK and GB2312 feeds exist in the Chinese web).

use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;

/// The `charset` parameter of a `Content-Type` value.
fn charset_of(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}

/// The byte range of the `encoding` value in an XML declaration at the start of `bytes`.
fn declared(bytes: &[u8]) -> Option<(usize, usize)> {
    let head = &bytes[..bytes.len().min(256)];
    let start = head.windows(5).position(|w| w == b"<?xml")?;
    let end = start + head[start..].windows(2).position(|w| w == b"?>")?;
    let decl = &head[start..end];
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let mut i = at + 8;
    while i < decl.len() && (decl[i] == b' ' || decl[i] == b'=') {
        i += 1;
    }
    let quote = *decl.get(i)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value_start = i + 1;
    let len = decl[value_start..].iter().position(|&b| b == quote)?;
    Some((start + value_start, start + value_start + len))
}

/// The body as UTF-8. When it was in another encoding, the XML declaration is rewritten to
/// say `UTF-8` so the parser does not decode it twice.
pub fn to_utf8<'a>(
    body: &'a [u8],
    content_type: Option<&str>,
) -> (Cow<'a, [u8]>, &'static Encoding) {
    if let Some((encoding, bom)) = Encoding::for_bom(body) {
        let (text, _) = encoding.decode_without_bom_handling(&body[bom..]);
        return (Cow::Owned(rewrite(text.into_owned())), encoding);
    }
    let from_header = content_type
        .and_then(charset_of)
        .and_then(|c| Encoding::for_label(c.as_bytes()));
    let from_declaration = || declared(body).and_then(|(s, e)| Encoding::for_label(&body[s..e]));
    let encoding = from_header.or_else(from_declaration).unwrap_or(UTF_8);
    if encoding == UTF_8 {
        return (Cow::Borrowed(body), UTF_8);
    }
    let (text, _, _) = encoding.decode(body);
    (Cow::Owned(rewrite(text.into_owned())), encoding)
}

fn rewrite(mut text: String) -> Vec<u8> {
    if let Some((s, e)) = declared(text.as_bytes()) {
        text.replace_range(s..e, "UTF-8");
    }
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_by_declaration_and_by_header() {
        let (gbk, _, _) = encoding_rs::GBK
            .encode("<?xml version=\"1.0\" encoding=\"gb2312\"?><rss><title>周刊</title></rss>");
        let (utf8, enc) = to_utf8(&gbk, None);
        assert_eq!(enc.name(), "GBK");
        let text = String::from_utf8(utf8.into_owned()).unwrap();
        assert!(text.contains("encoding=\"UTF-8\""), "{text}");
        assert!(text.contains("周刊"));

        let (gbk, _, _) = encoding_rs::GBK.encode("<rss><title>周刊</title></rss>");
        let (utf8, _) = to_utf8(&gbk, Some("application/rss+xml; charset=\"GBK\""));
        assert_eq!(
            std::str::from_utf8(&utf8).unwrap(),
            "<rss><title>周刊</title></rss>"
        );
    }

    #[test]
    fn utf8_is_borrowed_and_bom_is_removed() {
        let body = "<?xml version='1.0' encoding='utf-8'?><rss/>".as_bytes();
        assert!(matches!(
            to_utf8(body, Some("text/xml")).0,
            Cow::Borrowed(_)
        ));
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], b"<rss/>"].concat();
        assert_eq!(&*to_utf8(&with_bom, None).0, b"<rss/>");
    }
}
