//! The guard of URLs from outside: a URL that came from a reader (a submission, a message to
//! the bot) or from a feed's content (a candidate's page, an image found in it) is fetched only
//! through [`GuardedFetcher`], which connects to public addresses only.
//!
//! - The URL is parsed as a browser does (the `url` crate: `127.1`, `0x7f.1`, `2130706433.`,
//!   `0177.0.0.1` and `127。0。0。1` are all 127.0.0.1), and an address written in it is checked
//!   before anything is sent ([`forbidden_ip`]); so is a local name ([`forbidden_name`]).
//! - A name is resolved by the guard's resolver, which drops every address that is not public
//!   and hands the connection only the addresses it checked: what was checked is what is
//!   connected to (no second lookup that a rebinding name could answer differently).
//! - Redirects are followed by the guard, one at a time, each target checked and resolved
//!   again; no proxy is used (a proxy would resolve names itself).
//!
//! What the editor configured (the feeds of `sources.toml`, the model, Telegram, SMTP, the
//! GitHub API) is trusted as configured and does not go through the guard.
//!
//! Tests reach the local stand-ins through [`Exceptions`], a constructor parameter: exact
//! `ip:port` pairs a URL may name literally, and names resolved to given addresses (which are
//! still checked). Production passes none; the binary reads them only from
//! `WEEKLY_TEST_ALLOW_FETCH` ([`TEST_ALLOW_ENV`]).

use crate::fetch::{FetchError, Fetched, Fetcher, Limits, Validators};
use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use url::{Host, Url};

/// The environment variable the binary's tests set to exact `ip:port` pairs (comma-separated)
/// the guard lets a URL name although they are not public.
pub const TEST_ALLOW_ENV: &str = "WEEKLY_TEST_ALLOW_FETCH";

/// Why the guard refused an address (also carried through reqwest's error chain from the
/// resolver).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal(String);

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

/// Why `ip` is not a public address to fetch from, or `None` when it is one.
pub fn forbidden_ip(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => forbidden_v4(ip),
        IpAddr::V6(ip) => forbidden_v6(ip),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    const PRIVATE: &str = "a private address";
    const DOCUMENTATION: &str = "a documentation address";
    if ip == Ipv4Addr::new(169, 254, 169, 254) {
        return Some("a cloud metadata address");
    }
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, ..) => "an unspecified (\"this network\") address",
        (127, ..) => "a loopback address",
        (10, ..) | (172, 16..=31, _) | (192, 168, _) => PRIVATE,
        (169, 254, _) => "a link-local address",
        (100, 64..=127, _) => "a shared (CGNAT) address",
        (192, 0, 0) => "an IETF protocol address",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => DOCUMENTATION,
        (198, 18..=19, _) => "a benchmarking address",
        (192, 88, 99) => "a 6to4 relay address",
        (224..=239, ..) => "a multicast address",
        (255, 255, 255) if ip == Ipv4Addr::BROADCAST => "the broadcast address",
        (240..=255, ..) => "a reserved address",
        _ => return None,
    })
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let segments = ip.segments();
    let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if segments == [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254] {
        return Some("a cloud metadata address");
    }
    if ip.is_unspecified() {
        return Some("an unspecified address");
    }
    if ip.is_loopback() {
        return Some("a loopback address");
    }
    // ::ffff:a.b.c.d reaches a.b.c.d itself.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    Some(match segments {
        // ::a.b.c.d (IPv4-compatible, deprecated), ::ffff:0:a.b.c.d and the rest of ::/80.
        [0, 0, 0, 0, 0, ..] => "an IPv4-compatible or reserved IPv6 address",
        // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits, 6to4 (2002::/16)
        // the one in bits 16–47.
        [0x0064, 0xff9b, 0, 0, 0, 0, hi, lo] | [0x2002, hi, lo, ..] => {
            return forbidden_v4(embedded(hi, lo));
        }
        [0x0064, 0xff9b, 1, ..] => "a local-use NAT64 address",
        [0x2001, 0x0db8, ..] | [0x3fff, 0..=0x0fff, ..] => "a documentation address",
        [0x2001, 0x0002, 0, ..] => "a benchmarking address",
        [0x2001, 0, ..] => "a Teredo address",
        [0x2001, 0..=0x01ff, ..] => "an IETF protocol address",
        [0x0100, 0, 0, 0, ..] => "a discard address",
        [h, ..] if h & 0xfe00 == 0xfc00 => "a unique local (private) address",
        [h, ..] if h & 0xffc0 == 0xfe80 => "a link-local address",
        [h, ..] if h & 0xffc0 == 0xfec0 => "a site-local address",
        [h, ..] if h & 0xff00 == 0xff00 => "a multicast address",
        // Global unicast is 2000::/3; everything else is reserved.
        [h, ..] if h & 0xe000 != 0x2000 => "a reserved IPv6 address",
        _ => return None,
    })
}

/// A name as the resolver compares it: lower case, without the final dots.
fn normal_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Why `name` (a host name, not an address) is not a public name to fetch from: `localhost`
/// and its subdomains, a name without a dot (the resolver's search domains make it a local
/// one), the cloud metadata names and the suffixes of local networks (`.internal`, `.local`,
/// `.localdomain`, `.home.arpa`, `.lan`).
pub fn forbidden_name(name: &str) -> Option<&'static str> {
    let name = normal_name(name);
    let under = |suffix: &str| name == suffix || name.ends_with(&format!(".{suffix}"));
    if name.is_empty() {
        return Some("an empty name");
    }
    if under("localhost") {
        return Some("a loopback name");
    }
    if name == "metadata.google.internal" || under("metadata.goog") || name == "instance-data" {
        return Some("a cloud metadata name");
    }
    if !name.contains('.') {
        return Some("a name without a domain (a local name)");
    }
    if [
        "internal",
        "local",
        "localdomain",
        "home.arpa",
        "lan",
        "intranet",
    ]
    .iter()
    .any(|s| under(s))
    {
        return Some("a local network name");
    }
    None
}

/// Why `url` is refused, seen from the URL alone (nothing resolved): not `http(s)`, no host,
/// an address that is not public (unless `allow` names it with its port exactly), a local name.
fn refused_url(url: &Url, allow: &[SocketAddr]) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Some(format!(
            "only http and https addresses are fetched, not {}:",
            url.scheme()
        ));
    }
    let port = url.port_or_known_default().unwrap_or(0);
    let ip = match url.host() {
        None => return Some("the address has no host".into()),
        Some(Host::Domain(name)) => {
            return forbidden_name(name).map(|why| format!("{name} is {why}"));
        }
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
    };
    if allow.contains(&SocketAddr::new(ip, port)) {
        return None;
    }
    forbidden_ip(ip).map(|why| format!("{ip} is {why}"))
}

/// Why the host of a reader's `url` is refused before anything is fetched or stored, when `url`
/// is an `http(s)` URL whose host — read as a browser reads it — is an address that is not
/// public or a local name such as `localhost`. `None` for any other `url`: a public-looking name
/// (not resolved here: the guard checks its addresses when the page is fetched), or no `http(s)`
/// URL at all (the caller's own checks refuse that).
pub fn forbidden_host_of(url: &str) -> Option<String> {
    let url = Url::parse(url.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    refused_url(&url, &[])
}

/// Exceptions to the guard, for tests only: production passes [`Exceptions::default`] (none).
#[derive(Debug, Clone, Default)]
pub struct Exceptions {
    /// Exact addresses with their ports that a URL may name literally although they are not
    /// public (a local stand-in on 127.0.0.1:PORT). A name is never exempted, and neither is
    /// the same address on another port.
    pub allow: Vec<SocketAddr>,
    /// Names resolved to these addresses instead of asking the system (so a test asks no DNS
    /// server); the addresses are checked like any others.
    pub resolve: Vec<(String, Vec<IpAddr>)>,
}

impl Exceptions {
    /// The exceptions of `WEEKLY_TEST_ALLOW_FETCH`'s value: `ip:port` pairs separated by commas
    /// (an IPv6 address in brackets). Names are refused.
    pub fn from_allow_list(text: &str) -> Result<Exceptions, String> {
        let allow = text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<SocketAddr>()
                    .map_err(|_| format!("`{s}` is not an exact ip:port pair"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Exceptions {
            allow,
            resolve: Vec::new(),
        })
    }
}

/// The guard's resolver: a name's addresses (the system's, or a test's override), only the
/// public ones; a name with none is refused.
#[derive(Debug, Default)]
struct Resolver {
    overrides: HashMap<String, Vec<IpAddr>>,
}

impl Resolver {
    /// The checked addresses of `name` (port 0: the connection sets the URL's).
    async fn vetted(
        name: String,
        overridden: Option<Vec<IpAddr>>,
    ) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
        if let Some(why) = forbidden_name(&name) {
            return Err(Box::new(Refusal(format!("{name} is {why}"))));
        }
        let ips: Vec<IpAddr> = match overridden {
            Some(ips) => ips,
            None => tokio::net::lookup_host((name.as_str(), 0))
                .await?
                .map(|a| a.ip())
                .collect(),
        };
        let mut kept = Vec::new();
        let mut refused = None;
        for ip in ips {
            match forbidden_ip(ip) {
                None => kept.push(SocketAddr::new(ip, 0)),
                Some(why) => {
                    refused.get_or_insert((ip, why));
                }
            }
        }
        match (kept.is_empty(), refused) {
            (false, _) => Ok(kept),
            (true, Some((ip, why))) => {
                Err(Box::new(Refusal(format!("{name} resolves to {ip}, {why}"))))
            }
            (true, None) => Err(format!("{name} has no address").into()),
        }
    }
}

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let name = normal_name(name.as_str());
        let overridden = self.overrides.get(&name).cloned();
        Box::pin(async move {
            let addrs = Resolver::vetted(name, overridden).await?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The one client for URLs from readers and from feeds' content: the collector's limits, public
/// addresses only (see the module's documentation).
#[derive(Debug, Clone)]
pub struct GuardedFetcher {
    fetcher: Fetcher,
    allow: Arc<[SocketAddr]>,
}

impl GuardedFetcher {
    /// A guarded client with `limits` and no exception: what production uses.
    pub fn new(limits: Limits) -> Result<GuardedFetcher, FetchError> {
        GuardedFetcher::with_exceptions(limits, Exceptions::default())
    }

    /// A guarded client with `limits` and a test's `exceptions`.
    pub fn with_exceptions(
        limits: Limits,
        exceptions: Exceptions,
    ) -> Result<GuardedFetcher, FetchError> {
        let resolver = Resolver {
            overrides: exceptions
                .resolve
                .into_iter()
                .map(|(name, ips)| (normal_name(&name), ips))
                .collect(),
        };
        Ok(GuardedFetcher {
            fetcher: Fetcher::build(limits, Some(Arc::new(resolver)))?,
            allow: exceptions.allow.into(),
        })
    }

    /// GETs `url` (conditionally when `validators` has values), following redirects one at a
    /// time, each checked; the limits' timeout covers the whole chain.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let timeout = self.fetcher.limits.timeout;
        tokio::time::timeout(timeout, self.follow(url, validators))
            .await
            .unwrap_or(Err(FetchError::Timeout(timeout.as_secs())))
    }

    async fn follow(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let max = self.fetcher.limits.max_redirects;
        let mut url =
            Url::parse(url.trim()).map_err(|e| FetchError::Refused(format!("not a URL: {e}")))?;
        let mut chain: Vec<Url> = Vec::new();
        loop {
            if let Some(why) = refused_url(&url, &self.allow) {
                return Err(FetchError::Refused(why));
            }
            let response = self.fetcher.send(url.clone(), validators).await?;
            let redirect = matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308);
            let location = response.headers().get(reqwest::header::LOCATION);
            let (true, Some(location)) = (redirect, location) else {
                return self.fetcher.read(response).await;
            };
            let next = location
                .to_str()
                .ok()
                .and_then(|l| url.join(l).ok())
                .ok_or_else(|| FetchError::Network("a redirect to an unreadable address".into()))?;
            chain.push(url);
            if chain.contains(&next) {
                return Err(FetchError::RedirectLoop);
            }
            if chain.len() > max {
                return Err(FetchError::TooManyRedirects(max));
            }
            url = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_pass() {
        for text in [
            "127.0.0.1",
            "127.255.255.254",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "198.51.100.1",
            "203.0.113.1",
            "198.18.0.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "::ffff:0:127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::1",
            "2002:a9fe:a9fe::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "fc00::1",
            "fd12:3456::1",
            "fd00:ec2::254",
            "ff02::1",
            "2001:db8::1",
            "2001::1",
            "100::1",
        ] {
            assert!(forbidden_ip(ip(text)).is_some(), "{text} passed");
        }
        for text in [
            "1.1.1.1",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "169.255.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert_eq!(forbidden_ip(ip(text)), None, "{text} refused");
        }
        assert_eq!(
            forbidden_ip(ip("169.254.169.254")),
            Some("a cloud metadata address")
        );
        assert_eq!(
            forbidden_ip(ip("fd00:ec2::254")),
            Some("a cloud metadata address")
        );
    }

    #[test]
    fn local_names_are_refused() {
        for name in [
            "localhost",
            "LOCALHOST.",
            "a.localhost",
            "metadata.google.internal",
            "metadata.google.internal.",
            "printer.local",
            "db.internal",
            "nas.home.arpa",
            "intranet",
            "",
        ] {
            assert!(forbidden_name(name).is_some(), "{name} passed");
        }
        for name in ["example.org", "localhost.example.org", "blog.example.com."] {
            assert_eq!(forbidden_name(name), None, "{name} refused");
        }
    }

    #[test]
    fn every_spelling_of_a_loopback_address_is_refused_before_fetching() {
        for url in [
            "http://127.0.0.1:9001/admin",
            "http://127.1/admin",
            "http://0x7f.1/admin",
            "http://2130706433/admin",
            "http://2130706433./admin",
            "http://0177.0.0.1/admin",
            "http://0x7f000001/admin",
            "http://127.0.0.1./admin",
            "http://127。0。0。1/admin",
            "http://１２７.０.０.１/admin",
            "http://[::1]/admin",
            "http://[::ffff:127.0.0.1]/admin",
            "http://[::ffff:7f00:1]/admin",
            "http://localhost:9001/admin",
            "http://LocalHost./admin",
            "http://ｌｏｃａｌｈｏｓｔ/admin",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/latest/meta-data/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "http://0/",
            "http://10.0.0.1/",
            "http://user@127.0.0.1/",
        ] {
            assert!(forbidden_host_of(url).is_some(), "{url} passed");
        }
        let why = forbidden_host_of("http://0x7f.1/admin").unwrap();
        assert_eq!(why, "127.0.0.1 is a loopback address");
        for url in [
            "https://example.org/post",
            "https://blog.example.com./a?b=1",
            "http://93.184.215.14/",
            "file:///etc/passwd",
            "javascript:alert(1)",
        ] {
            assert_eq!(forbidden_host_of(url), None, "{url} refused");
        }
        // What is no http(s) URL is refused when fetched.
        for url in [
            "file:///etc/passwd",
            "ftp://example.org/",
            "gopher://a.example/",
        ] {
            assert!(
                refused_url(&Url::parse(url).unwrap(), &[]).is_some(),
                "{url}"
            );
        }
    }

    #[test]
    fn the_allow_list_is_exact() {
        let allow = ["127.0.0.1:4000".parse().unwrap()];
        let url = |u: &str| Url::parse(u).unwrap();
        assert_eq!(refused_url(&url("http://127.0.0.1:4000/a"), &allow), None);
        assert!(refused_url(&url("http://127.0.0.1:4001/a"), &allow).is_some());
        assert!(refused_url(&url("http://127.0.0.2:4000/a"), &allow).is_some());
        assert!(refused_url(&url("http://localhost:4000/a"), &allow).is_some());
        assert_eq!(
            Exceptions::from_allow_list(" 127.0.0.1:4000, [::1]:5 ")
                .unwrap()
                .allow
                .len(),
            2
        );
        assert!(Exceptions::from_allow_list("localhost:4000").is_err());
        assert!(Exceptions::from_allow_list("127.0.0.1").is_err());
    }

    #[tokio::test]
    async fn the_resolver_hands_out_only_the_addresses_it_checked() {
        let mixed = vec![ip("127.0.0.1"), ip("8.8.8.8"), ip("10.0.0.1")];
        let kept = Resolver::vetted("mixed.test".into(), Some(mixed))
            .await
            .unwrap();
        assert_eq!(kept, vec!["8.8.8.8:0".parse::<SocketAddr>().unwrap()]);
        let refused = Resolver::vetted("internal.test".into(), Some(vec![ip("127.0.0.1")]))
            .await
            .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "internal.test resolves to 127.0.0.1, a loopback address"
        );
        let named = Resolver::vetted("localhost".into(), None)
            .await
            .unwrap_err();
        assert!(named.is::<Refusal>(), "{named}");
    }
}
