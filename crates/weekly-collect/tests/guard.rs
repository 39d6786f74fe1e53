//! The guard of URLs from outside against two local servers: A (allowed by exact `ip:port`, as
//! a test's stand-in for a public site) and B (an "internal" service with a secret page, which
//! must never be asked). Nothing leaves 127.0.0.1: names resolve through the guard's override.

use std::net::SocketAddr;
use std::time::Duration;
use weekly_collect::fetch::{FetchError, Fetched, Fetcher, Limits, Validators};
use weekly_collect::guard::{Exceptions, GuardedFetcher};
use weekly_fake_web::{FakeWeb, Page};

const SECRET: &str = "internal admin page: secret-4711";

fn limits() -> Limits {
    Limits {
        timeout: Duration::from_secs(3),
        connect_timeout: Duration::from_secs(2),
        max_bytes: 1 << 20,
        max_redirects: 3,
    }
}

fn html(text: &str) -> Page {
    Page {
        body: format!("<html><body><p>{text}</p></body></html>").into_bytes(),
        content_type: "text/html; charset=utf-8".into(),
        ..Page::default()
    }
}

/// A (allowed) and B (internal, with its secret page).
fn servers() -> (FakeWeb, FakeWeb, u16) {
    let a = FakeWeb::start("t").unwrap();
    let b = FakeWeb::start("t").unwrap();
    a.page("/page", html("a public page"));
    b.page("/admin", html(SECRET));
    let port_b = b.url().rsplit(':').next().unwrap().parse().unwrap();
    (a, b, port_b)
}

fn addr(web: &FakeWeb) -> SocketAddr {
    web.url().trim_start_matches("http://").parse().unwrap()
}

fn guarded(allowed: &FakeWeb, resolve: Vec<(String, Vec<std::net::IpAddr>)>) -> GuardedFetcher {
    GuardedFetcher::with_exceptions(
        limits(),
        Exceptions {
            allow: vec![addr(allowed)],
            resolve,
        },
    )
    .unwrap()
}

fn text(fetched: &Fetched) -> String {
    let Fetched::Body(body) = fetched else {
        panic!("expected a body")
    };
    String::from_utf8_lossy(&body.contents().unwrap()).into_owned()
}

fn refused(result: &Result<Fetched, FetchError>, url: &str) -> String {
    match result {
        Err(FetchError::Refused(why)) => why.clone(),
        Err(other) => panic!("{url}: expected a refusal, got {other}"),
        Ok(fetched) => panic!("{url}: fetched {}", text(fetched)),
    }
}

#[tokio::test]
async fn every_spelling_of_a_loopback_address_is_refused() {
    let (a, b, port_b) = servers();
    let guard = guarded(&a, Vec::new());
    let spellings = [
        format!("http://127.0.0.1:{port_b}/admin"),
        format!("http://127.1:{port_b}/admin"),
        format!("http://0x7f.1:{port_b}/admin"),
        format!("http://2130706433:{port_b}/admin"),
        format!("http://2130706433.:{port_b}/admin"),
        format!("http://0177.0.0.1:{port_b}/admin"),
        format!("http://127.0.0.1.:{port_b}/admin"),
        format!("http://[::1]:{port_b}/admin"),
        format!("http://[::ffff:127.0.0.1]:{port_b}/admin"),
        format!("http://localhost:{port_b}/admin"),
        format!("http://localhost.:{port_b}/admin"),
    ];
    for url in &spellings {
        let why = refused(&guard.get(url, &Validators::default()).await, url);
        assert!(why.contains("loopback"), "{url}: {why}");
    }
    assert!(b.requests().is_empty(), "{:?}", b.requests());
    // The same spellings are what a client without the guard connects to: these reach B.
    let plain = Fetcher::new(limits()).unwrap();
    for url in &spellings[..7] {
        let fetched = plain.get(url, &Validators::default()).await.unwrap();
        assert!(text(&fetched).contains(SECRET), "{url}");
    }
    assert_eq!(b.requests().len(), 7);
}

#[tokio::test]
async fn a_redirect_to_a_forbidden_address_is_refused_at_its_hop() {
    let (a, b, port_b) = servers();
    let guard = guarded(&a, Vec::new());
    a.redirect("/go", &format!("http://127.0.0.1:{port_b}/admin"));
    a.redirect("/go-odd", &format!("http://0x7f.1:{port_b}/admin"));
    a.redirect("/go-name", &format!("http://localhost:{port_b}/admin"));
    // The allowed server itself is read, redirects within it followed.
    let page = guard
        .get(&format!("{}/page", a.url()), &Validators::default())
        .await
        .unwrap();
    assert!(text(&page).contains("a public page"));
    let hops = guard
        .get(&format!("{}/hop/2/page", a.url()), &Validators::default())
        .await
        .unwrap();
    let Fetched::Body(body) = &hops else {
        panic!("a body")
    };
    assert_eq!(body.final_url, format!("{}/page", a.url()));
    for path in ["/go", "/go-odd", "/go-name"] {
        let url = format!("{}{path}", a.url());
        let why = refused(&guard.get(&url, &Validators::default()).await, &url);
        assert!(why.contains("loopback"), "{url}: {why}");
    }
    assert!(b.requests().is_empty(), "{:?}", b.requests());
    // The redirect limits still hold.
    let url = format!("{}/loop/a", a.url());
    assert_eq!(
        guard.get(&url, &Validators::default()).await.unwrap_err(),
        FetchError::RedirectLoop
    );
    let url = format!("{}/hop/5/page", a.url());
    assert_eq!(
        guard.get(&url, &Validators::default()).await.unwrap_err(),
        FetchError::TooManyRedirects(3)
    );
    // Without the guard the redirect leads to B's secret.
    let plain = Fetcher::new(limits()).unwrap();
    let fetched = plain
        .get(&format!("{}/go", a.url()), &Validators::default())
        .await
        .unwrap();
    assert!(text(&fetched).contains(SECRET));
}

#[tokio::test]
async fn a_name_that_resolves_to_this_machine_is_refused() {
    let (a, b, port_b) = servers();
    let loopback = vec!["127.0.0.1".parse().unwrap()];
    let guard = guarded(
        &a,
        vec![
            ("internal.test".into(), loopback.clone()),
            ("metadata.google.internal".into(), loopback.clone()),
            (
                "mixed.test".into(),
                vec!["10.0.0.1".parse().unwrap(), "127.0.0.1".parse().unwrap()],
            ),
        ],
    );
    let port_a = addr(&a).port();
    // Not even the allowed port: an exception names an address, never a name.
    for url in [
        format!("http://internal.test:{port_b}/admin"),
        format!("http://internal.test:{port_a}/page"),
        format!("http://INTERNAL.test.:{port_a}/page"),
        format!("http://mixed.test:{port_a}/page"),
    ] {
        let why = refused(&guard.get(&url, &Validators::default()).await, &url);
        assert!(why.contains(".test resolves to"), "{url}: {why}");
    }
    let url = format!("http://metadata.google.internal:{port_b}/computeMetadata/v1/");
    let why = refused(&guard.get(&url, &Validators::default()).await, &url);
    assert!(why.contains("metadata"), "{why}");
    // A redirect to the name is refused at its hop.
    a.redirect("/go", &format!("http://internal.test:{port_b}/admin"));
    let url = format!("{}/go", a.url());
    let why = refused(&guard.get(&url, &Validators::default()).await, &url);
    assert!(why.contains("internal.test resolves to 127.0.0.1"), "{why}");
    assert!(b.requests().is_empty(), "{:?}", b.requests());
    assert_eq!(a.requests().len(), 1, "{:?}", a.requests());
}
