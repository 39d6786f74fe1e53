//! Fixed texts with placeholders: `{{ number }}`, `{{ date }}`, `{{ url }}`, `{{ site }}`,
//! `{{ subscribe }}` (the paid offer), `{{ name }}`. Unknown placeholders are left as written, so a typo shows in the output
//! instead of vanishing.

/// The fixed texts of one language by key (`[texts.<lang>]` of `weekly.toml`, replaced by
/// `templates/texts/<lang>/<key>.md`). A key a newsletter does not set keeps the built-in
/// wording, which is Python Trending Weekly's.
pub type Texts = std::collections::BTreeMap<String, String>;

/// No texts: the built-in wording throughout.
pub fn none() -> &'static Texts {
    static EMPTY: std::sync::OnceLock<Texts> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Texts::new)
}

/// The base language of `lang` (`zh` of `zh-Hant`), which picks the built-in wording.
pub(crate) fn base(lang: &weekly_model::Lang) -> &str {
    lang.as_str().split('-').next().unwrap_or("")
}

/// Replaces `{{ key }}` (spaces inside the braces optional) by its value.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = after[..end].trim();
        match vars.iter().find(|(k, _)| *k == key) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_and_keeps_unknown() {
        let vars = [("number", "12"), ("url", "https://x.org/12/")];
        assert_eq!(
            fill("第 {{number}} 期：{{ url }} {{ nope }} {{ open", &vars),
            "第 12 期：https://x.org/12/ {{ nope }} {{ open"
        );
    }
}
