//! The one place that decides when two links are "the same link".
//!
//! Rules, applied in order (each is idempotent, so normalising twice changes nothing):
//! 1. surrounding whitespace and angle brackets are removed;
//! 2. the scheme is lower-cased and `http` counts as `https`;
//! 3. the host is lower-cased, a leading `www.` and a trailing dot are dropped, and the default
//!    port (`:80`, `:443`) is removed;
//! 4. the fragment (`#…`) is dropped;
//! 5. tracking parameters are dropped (`utm_*`, `fbclid`, `gclid`, `mc_cid`, `mc_eid`,
//!    `ref_src`, `spm`); the remaining parameters keep their order;
//! 6. a trailing `/` of the path is dropped (`https://a.org/x/` = `https://a.org/x`), and so is
//!    a lone `/` path; an empty `?` is dropped.
//!
//! Strings without `scheme://` are returned trimmed and otherwise unchanged: they are not web
//! links (relative paths, `mailto:`).

/// `url` (trimmed) when it is an `http(s)` URL of at most 2,000 bytes, with a host name that
/// has a dot, and no white space or control character: what a reader may submit.
pub fn web_url(url: &str) -> Option<&str> {
    let url = url.trim();
    if url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let ok = host.contains('.')
        && !host.starts_with(['.', '-'])
        && !host.contains("..")
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-') || !c.is_ascii());
    ok.then_some(url)
}

/// Normalises a URL by the rules above.
pub fn normalize(url: &str) -> String {
    let url = url.trim();
    let url = url
        .strip_prefix('<')
        .and_then(|u| u.strip_suffix('>'))
        .unwrap_or(url)
        .trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let scheme_ok = scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.');
    if scheme.is_empty() || !scheme_ok {
        return url.to_owned();
    }
    let scheme = scheme.to_ascii_lowercase();
    let scheme = if scheme == "http" {
        "https".to_owned()
    } else {
        scheme
    };

    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (before_query, query) = rest
        .split_once('?')
        .map_or((rest, None), |(a, q)| (a, Some(q)));
    let (authority, path) = before_query.find('/').map_or((before_query, ""), |i| {
        (&before_query[..i], &before_query[i..])
    });

    let (userinfo, hostport) = authority
        .rsplit_once('@')
        .map_or(("", authority), |(u, h)| (u, h));
    let hostport = hostport.to_lowercase();
    let (host, port) = split_port(&hostport);
    let mut host = host.trim_end_matches('.').to_owned();
    while let Some(stripped) = host.strip_prefix("www.") {
        host = stripped.to_owned();
    }
    let keep_port = !(port.is_empty() || port == "80" || port == "443");
    let port = port.to_owned();

    let mut path = path.to_owned();
    while path.ends_with('/') {
        path.pop();
    }

    let params: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !is_tracking(p))
        .collect();

    let mut out = String::with_capacity(url.len());
    out.push_str(&scheme);
    out.push_str("://");
    if !userinfo.is_empty() {
        out.push_str(userinfo);
        out.push('@');
    }
    out.push_str(&host);
    if keep_port {
        out.push(':');
        out.push_str(&port);
    }
    out.push_str(&path);
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

/// Splits `host:port`, understanding `[ipv6]:port`.
fn split_port(hostport: &str) -> (&str, &str) {
    if let Some(end) = hostport.rfind(']') {
        return match hostport[end + 1..].strip_prefix(':') {
            Some(port) => (&hostport[..=end], port),
            None => (hostport, ""),
        };
    }
    match hostport.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => (host, port),
        _ => (hostport, ""),
    }
}

fn is_tracking(param: &str) -> bool {
    let name = param.split('=').next().unwrap_or("").to_ascii_lowercase();
    name.starts_with("utm_")
        || matches!(
            name.as_str(),
            "fbclid" | "gclid" | "mc_cid" | "mc_eid" | "ref_src" | "spm"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn documented_rules() {
        let same = [
            ("http://www.Example.com/a/", "https://example.com/a"),
            ("https://example.com:443/a#frag", "https://example.com/a"),
            (
                "https://example.com/a?utm_source=x&id=3&utm_medium=y",
                "https://example.com/a?id=3",
            ),
            ("HTTPS://EXAMPLE.com", "https://example.com"),
            ("https://example.com/", "https://example.com"),
            ("https://example.com:8080/x", "https://example.com:8080/x"),
            ("  <https://a.org/x?>  ", "https://a.org/x"),
            (
                "https://x.org/How-to-(and-not)-design",
                "https://x.org/How-to-(and-not)-design",
            ),
        ];
        for (input, want) in same {
            assert_eq!(normalize(input), want, "{input}");
        }
        assert_eq!(normalize("./docs/a.md"), "./docs/a.md");
        // The path keeps its case: many servers treat it as significant.
        assert_ne!(normalize("https://a.org/A"), normalize("https://a.org/a"));
    }

    proptest! {
        #[test]
        fn idempotent(s in "\\PC{0,60}") {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn idempotent_on_url_shapes(
            scheme in "(http|https|HTTP|ftp)",
            www in "(www\\.|WWW\\.|)",
            host in "[a-zA-Z0-9.-]{1,12}",
            port in "(|:80|:443|:8080|:)",
            path in "(/[a-zA-Z0-9_()~.-]{0,8}){0,3}/?",
            query in "(|\\?|\\?a=1|\\?utm_x=1&b=2|\\?&&)",
            frag in "(|#x|#)",
        ) {
            let url = format!("{scheme}://{www}{host}{port}{path}{query}{frag}");
            let once = normalize(&url);
            prop_assert_eq!(normalize(&once), once.clone());
            prop_assert!(!once.contains('#'));
            prop_assert!(!once.contains("utm_"));
        }
    }

    #[test]
    fn only_web_addresses_with_a_host_are_submittable() {
        assert_eq!(
            web_url(" https://example.org/a "),
            Some("https://example.org/a")
        );
        assert!(web_url("http://blog.example.net:8080/x?y=1").is_some());
        assert!(web_url("javascript:alert(1)").is_none());
        assert!(web_url("https://localhost/").is_none());
        assert!(web_url("https://exa mple.org/").is_none());
        assert!(web_url("https://.example.org/").is_none());
        assert!(web_url(&format!("https://example.org/{}", "a".repeat(3000))).is_none());
    }
}
