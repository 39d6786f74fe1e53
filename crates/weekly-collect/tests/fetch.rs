//! The fetcher and a whole run against the local feed server: every misbehaving source ends
//! with a failure in bounded time, and the good ones still arrive.

use std::sync::Arc;
use std::time::{Duration, Instant};
use weekly_collect::feed;
use weekly_collect::fetch::{FetchError, Fetched, Fetcher, Limits, Validators};
use weekly_collect::run::{Concurrency, Job, Outcome, collect};
use weekly_collect::sources::{Kind, Source};
use weekly_fake_web::{FakeWeb, Page};

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Good</title>
<item><title>One</title><link>https://one.example.org/a?utm_source=rss</link><pubDate>Sat, 21 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Two</title><link>https://two.example.org/b</link></item>
</channel></rss>"#;

fn limits() -> Limits {
    Limits {
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(2),
        max_bytes: 1 << 20,
        max_redirects: 3,
    }
}

fn server() -> FakeWeb {
    let web = FakeWeb::start("t").unwrap();
    web.feed("/good.xml", RSS);
    let (gbk, _, _) = encoding_rs::GBK.encode(
        "<?xml version=\"1.0\" encoding=\"GBK\"?><rss version=\"2.0\"><channel><title>中文周刊</title><item><title>异步编程指南</title><link>https://cn.example.cn/1</link></item></channel></rss>",
    );
    web.page(
        "/gbk.xml",
        Page {
            body: gbk.into_owned(),
            content_type: "text/xml".into(),
            ..Page::default()
        },
    );
    web.feed(
        "/malformed.xml",
        "<rss><channel><item><title>broken</item></channel>",
    );
    web
}

async fn get(fetcher: &Fetcher, url: &str) -> Result<Fetched, FetchError> {
    fetcher.get(url, &Validators::default()).await
}

#[tokio::test]
async fn conditional_get_gives_304() {
    let web = server();
    let fetcher = Fetcher::new(limits()).unwrap();
    let url = format!("{}/good.xml", web.url());
    let Fetched::Body(body) = get(&fetcher, &url).await.unwrap() else {
        panic!("expected a body");
    };
    assert!(body.validators.etag.is_some());
    let again = fetcher.get(&url, &body.validators).await.unwrap();
    assert!(matches!(again, Fetched::NotModified));
    let last = web.requests().pop().unwrap();
    assert_eq!(last.status, 304);
    assert_eq!(last.if_none_match, body.validators.etag);
    assert!(last.accept_encoding.unwrap_or_default().contains("gzip"));
}

#[tokio::test]
async fn redirects_are_followed_up_to_the_limit_and_loops_named() {
    let web = server();
    let fetcher = Fetcher::new(limits()).unwrap();
    let ok = get(&fetcher, &format!("{}/hop/2/good.xml", web.url()))
        .await
        .unwrap();
    let Fetched::Body(body) = ok else { panic!() };
    assert!(body.final_url.ends_with("/good.xml"));
    assert_eq!(
        get(&fetcher, &format!("{}/hop/9/good.xml", web.url()))
            .await
            .unwrap_err(),
        FetchError::TooManyRedirects(3)
    );
    assert_eq!(
        get(&fetcher, &format!("{}/loop/a", web.url()))
            .await
            .unwrap_err(),
        FetchError::RedirectLoop
    );
}

#[tokio::test]
async fn endless_body_slow_server_and_gzip_bomb_are_bounded() {
    let web = server();
    let fetcher = Fetcher::new(limits()).unwrap();
    let started = Instant::now();
    assert_eq!(
        get(&fetcher, &format!("{}/endless", web.url()))
            .await
            .unwrap_err(),
        FetchError::TooLarge(1 << 20)
    );
    assert_eq!(
        get(&fetcher, &format!("{}/bomb", web.url()))
            .await
            .unwrap_err(),
        FetchError::TooLarge(1 << 20)
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let started = Instant::now();
    assert_eq!(
        get(&fetcher, &format!("{}/slow", web.url()))
            .await
            .unwrap_err(),
        FetchError::Timeout(2)
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        get(&fetcher, &format!("{}/status/503", web.url()))
            .await
            .unwrap_err(),
        FetchError::Status(503)
    );
}

#[tokio::test]
async fn gbk_feed_is_decoded() {
    let web = server();
    let fetcher = Fetcher::new(limits()).unwrap();
    let url = format!("{}/gbk.xml", web.url());
    let Fetched::Body(body) = get(&fetcher, &url).await.unwrap() else {
        panic!()
    };
    let f = feed::parse(
        &body.contents().unwrap(),
        body.content_type.as_deref(),
        &url,
        feed::MAX_ITEMS,
    )
    .unwrap();
    assert_eq!(f.encoding, "GBK");
    assert_eq!(f.title, "中文周刊");
    assert_eq!(f.items[0].title, "异步编程指南");
}

fn source(url: String) -> Source {
    Source {
        url,
        name: String::new(),
        weight: 1.0,
        tags: vec![],
        lang: String::new(),
        kind: Kind::Feed,
    }
}

#[tokio::test]
async fn one_bad_source_never_stops_a_run() {
    let web = server();
    let paths = [
        "/good.xml",
        "/gbk.xml",
        "/malformed.xml",
        "/endless",
        "/slow",
        "/bomb",
        "/loop/a",
        "/hop/9/good.xml",
        "/status/500",
        "/missing.xml",
    ];
    let jobs: Vec<Job> = paths
        .iter()
        .enumerate()
        .map(|(index, p)| Job {
            index,
            source: source(format!("{}{p}", web.url())),
            validators: Validators::default(),
        })
        .collect();
    let started = Instant::now();
    let fetcher = Arc::new(Fetcher::new(limits()).unwrap());
    let mut outcomes: Vec<(usize, Outcome)> = futures::StreamExt::collect(collect(
        fetcher,
        jobs,
        Concurrency {
            total: 16,
            per_host: 16,
            max_items: feed::MAX_ITEMS,
        },
    ))
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    outcomes.sort_by_key(|(i, _)| *i);
    let parsed: Vec<usize> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Parsed { .. }))
        .map(|(i, _)| *i)
        .collect();
    assert_eq!(parsed, [0, 1]);
    for (i, o) in &outcomes[2..] {
        let Outcome::Failed(reason) = o else {
            panic!("{} should fail: {o:?}", paths[*i]);
        };
        assert!(!reason.is_empty());
    }
    let Outcome::Failed(malformed) = &outcomes[2].1 else {
        panic!()
    };
    assert!(malformed.contains("not a feed"), "{malformed}");
}

#[tokio::test]
async fn requests_to_one_host_are_bounded() {
    let web = server();
    let jobs: Vec<Job> = (0..8)
        .map(|index| Job {
            index,
            source: source(format!("{}/delay/200/good.xml?n={index}", web.url())),
            validators: Validators::default(),
        })
        .collect();
    let fetcher = Arc::new(Fetcher::new(limits()).unwrap());
    let outcomes: Vec<(usize, Outcome)> = futures::StreamExt::collect(collect(
        fetcher,
        jobs,
        Concurrency {
            total: 16,
            per_host: 2,
            max_items: feed::MAX_ITEMS,
        },
    ))
    .await;
    assert_eq!(outcomes.len(), 8);
    assert!(
        outcomes
            .iter()
            .all(|(_, o)| matches!(o, Outcome::Parsed { .. }))
    );
    assert_eq!(web.max_in_flight(), 2);
}
