//! Fixed texts with placeholders: `{{ number }}`, `{{ date }}`, `{{ url }}`, `{{ site }}`,
//! `{{ name }}`. Unknown placeholders are left as written, so a typo shows in the output
//! instead of vanishing.

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
