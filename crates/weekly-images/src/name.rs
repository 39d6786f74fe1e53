//! File names of images: `YYYY-MM-DD-slug.ext`, the slug from the editor's `--name` or the
//! file's own name, lowercase ASCII letters, digits and single hyphens.

/// A slug of `text`: ASCII letters and digits kept (lowercased), every other run of characters
/// one hyphen; `image` when nothing is left (a name in Chinese, say).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(60).collect();
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "image".to_owned()
    } else {
        out.to_owned()
    }
}

/// The slug of where an image came from: the last segment of a URL's path or a file's stem,
/// without its extension.
pub fn slug_of_source(source: &str) -> String {
    let path = source.split(['?', '#']).next().unwrap_or(source);
    let last = path
        .trim_end_matches('/')
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path);
    let stem = last.rsplit_once('.').map_or(last, |(stem, _)| stem);
    slug(stem)
}

/// `2026-12-07-slug.jpg`.
pub fn file_name(date: &str, slug: &str, extension: &str) -> String {
    format!("{date}-{slug}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_and_short() {
        assert_eq!(slug("Ferris at RustConf 2026!"), "ferris-at-rustconf-2026");
        assert_eq!(slug("  --a__b--  "), "a-b");
        assert_eq!(slug("封面"), "image");
        assert_eq!(slug(&"x".repeat(100)).len(), 60);
    }

    #[test]
    fn the_source_names_the_image() {
        assert_eq!(
            slug_of_source("https://cdn.example.org/p/Big_Photo.PNG?w=3000"),
            "big-photo"
        );
        assert_eq!(
            slug_of_source("/home/me/shots/screen shot.png"),
            "screen-shot"
        );
        assert_eq!(
            file_name("2026-12-07", "big-photo", "jpg"),
            "2026-12-07-big-photo.jpg"
        );
    }
}
