//! Stores for the tests, on every engine we can reach: a new SQLite file always, and a new
//! database on the PostgreSQL server named by `WEEKLY_TEST_POSTGRES_URL` (`.ci/run` starts a
//! throw-away cluster and sets it; `scripts/pg-test-cluster.sh` does the same by hand). Without
//! it the PostgreSQL half is skipped with a printed reason, or fails with
//! `WEEKLY_REQUIRE_POSTGRES=1`.

use crate::{OutboxMail, Store};
use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A store and what keeps it alive.
#[derive(Debug)]
pub struct TestStore {
    store: Store,
    _dir: Option<tempfile::TempDir>,
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// The admin URL of the test PostgreSQL server, if there is one.
pub fn postgres_url() -> Option<String> {
    match std::env::var("WEEKLY_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("WEEKLY_REQUIRE_POSTGRES").is_none()
                    && std::env::var("CI").map_or(true, |v| matches!(v.trim(), "" | "0" | "false")),
                "WEEKLY_TEST_POSTGRES_URL is not set, and WEEKLY_REQUIRE_POSTGRES or CI is set: the PostgreSQL half cannot run"
            );
            let test = std::thread::current().name().unwrap_or("a test").to_owned();
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test} (PostgreSQL half): WEEKLY_TEST_POSTGRES_URL is not set \
                 (scripts/pg-test-cluster.sh starts a server)"
            );
            None
        }
    }
}

/// A new, empty database on the test PostgreSQL server: its URL.
pub async fn new_postgres_database(admin: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    sqlx::any::install_default_drivers();
    let name = format!(
        "weekly_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL server: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let mut url = url::Url::parse(admin).unwrap();
    url.set_path(&name);
    url.to_string()
}

/// One new store per engine we can reach, named by engine.
pub async fn stores() -> Vec<(&'static str, TestStore)> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Store::open(&dir.path().join("weekly.db")).await.unwrap();
    let mut out = vec![(
        "sqlite",
        TestStore {
            store: sqlite,
            _dir: Some(dir),
        },
    )];
    if let Some(admin) = postgres_url() {
        let url = new_postgres_database(&admin).await;
        let store = Store::connect(&url, std::path::Path::new("/"))
            .await
            .unwrap();
        out.push(("postgres", TestStore { store, _dir: None }));
    }
    out
}

/// One new store per engine we can reach, migrated only up to `version` (to test a later
/// migration on the rows an older schema held).
pub async fn stores_at(version: i64) -> Vec<(&'static str, TestStore)> {
    async fn up_to(store: &Store, version: i64) {
        let migrations = crate::migrator(store.engine())
            .iter()
            .filter(|m| m.version <= version)
            .cloned()
            .collect();
        sqlx::migrate::Migrator::with_migrations(migrations)
            .run(&store.pool)
            .await
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Store::connect_unmigrated("sqlite:weekly.db", dir.path())
        .await
        .unwrap();
    up_to(&sqlite, version).await;
    let mut out = vec![(
        "sqlite",
        TestStore {
            store: sqlite,
            _dir: Some(dir),
        },
    )];
    if let Some(admin) = postgres_url() {
        let url = new_postgres_database(&admin).await;
        let store = Store::connect_unmigrated(&url, std::path::Path::new("/"))
            .await
            .unwrap();
        up_to(&store, version).await;
        out.push(("postgres", TestStore { store, _dir: None }));
    }
    out
}

/// A mail for the outbox.
pub fn mail(to: &str) -> OutboxMail {
    OutboxMail {
        kind: "test".into(),
        recipient: to.into(),
        subject: "Sujet «tricky» 'quotes' \"too\"".into(),
        body_text: "正文\nline two; DROP TABLE outbox; --".into(),
        body_html: String::new(),
        list_unsubscribe: String::new(),
    }
}

/// Puts rows into every table, with NULLs, quotes and non-ASCII text.
pub async fn fill(store: &Store) {
    use crate::{FeedState, Memory, NewItem, NewSubscriber, UnitRecord};
    store
        .remember(&Memory {
            key: "k1".into(),
            source_lang: "zh".into(),
            target_lang: "en".into(),
            model: "m".into(),
            prompt_version: "v1".into(),
            source: "中文标题---English Title".into(),
            translation: "It's \"quoted\"".into(),
            prompt_tokens: 12,
            completion_tokens: 34,
        })
        .await
        .unwrap();
    store
        .set_unit_records(
            42,
            "en",
            &[UnitRecord {
                unit: "title".into(),
                source_hash: "s".into(),
                output_hash: "o".into(),
            }],
        )
        .await
        .unwrap();
    assert!(store.claim("k2", "run-a", 1_000, 60).await.unwrap());
    let state = FeedState {
        source: "https://example.org/feed.xml".into(),
        etag: Some("\"abc\"".into()),
        last_modified: None,
        failures: 0,
        next_attempt: None,
        last_status: "200".into(),
        last_error: String::new(),
        last_fetched: Some("2026-12-01T00:00:00Z".into()),
    };
    let items: Vec<NewItem> = (0..3)
        .map(|i| NewItem {
            url: format!("https://example.org/{i}?q='x'"),
            url_norm: format!("https://example.org/{i}"),
            title: format!("标题 {i}"),
            summary: String::new(),
            lang: "zh".into(),
            published: (i > 0).then(|| format!("2026-11-2{i}T00:00:00Z")),
        })
        .collect();
    store
        .record_batch(&[(state, Some(items))], "2026-12-01T00:00:00Z")
        .await
        .unwrap();
    store
        .record_stars("owner/repo", "2026-12-01", 1234)
        .await
        .unwrap();
    let candidate = store
        .candidates("2026-12-01T00:00:00Z", true)
        .await
        .unwrap()[0]
        .id;
    store
        .save_draft(&crate::StoredDraft {
            candidate,
            section: "projects".into(),
            title: "草稿 'quoted' \"title\"".into(),
            original_title: String::new(),
            description: "一段描述".into(),
            stars: None,
            model: "m".into(),
            created_at: "2026-12-01T00:00:00Z".into(),
        })
        .await
        .unwrap();
    store
        .delivery_sending("telegram:1", "2026-12-01T00:00:00Z")
        .await
        .unwrap();
    store
        .delivery_sent("telegram:1", None, "2026-12-01T00:00:01Z")
        .await
        .unwrap();
    store
        .set_campaign_links(
            1,
            &[crate::CampaignLink {
                position: 1,
                url: "https://example.org/'a'?b=\"c\"".into(),
                section: "articles".into(),
                source: "host:example.org".into(),
            }],
        )
        .await
        .unwrap();
    let day = || "2026-12-01".to_owned();
    store
        .add_counts(&[(
            crate::CountKey {
                day: day(),
                campaign_id: 1,
                position: 1,
                kind: "human".into(),
            },
            3,
        )])
        .await
        .unwrap();
    store
        .record_subscriber_click(1, 1, 1, "2026-12-01T00:00:02Z")
        .await
        .unwrap();
    store
        .add_page_views(&[(
            crate::ViewKey {
                day: day(),
                lang: "zh".into(),
                issue: 1,
                kind: "reader".into(),
            },
            4,
        )])
        .await
        .unwrap();
    let subscribers: Vec<NewSubscriber> = ["a@example.org", "Ünï@例え.jp", "o'brien@example.org"]
        .iter()
        .map(|email| NewSubscriber {
            email: (*email).into(),
            email_key: email.to_lowercase(),
            name: "Name, \"Quoted\"".into(),
            languages: "zh en".into(),
            tier: crate::Tier::Free,
            paid_until: None,
            status: crate::SubscriberStatus::Confirmed,
            source: "test".into(),
            consent_at: "2026-12-01T00:00:00Z".into(),
            consent_ip: String::new(),
            consent_via: "import".into(),
        })
        .collect();
    store
        .import_subscribers(&subscribers, "2026-12-01T00:00:00Z")
        .await
        .unwrap();
    store
        .enqueue_mail(&mail("a@example.org"), "2026-12-01T00:00:00Z")
        .await
        .unwrap();
    let campaign = crate::NewCampaign {
        issue: 7,
        lang: "zh".into(),
        tier: crate::Tier::Free,
        subject: "第 7 期 «周刊»".into(),
        body_text: "正文 'quoted'".into(),
        body_html: "<p>正文</p>".into(),
    };
    let audience = crate::Audience {
        primary: true,
        today: "2026-12-01".into(),
    };
    let (campaign, _) = store
        .create_campaign(&campaign, &audience, "2026-12-01T00:00:00Z")
        .await
        .unwrap();
    let claimed = store
        .claim_recipients(campaign.id, "worker", 10, 20, 1)
        .await
        .unwrap();
    store
        .mark_sent(&[claimed[0].id], "2026-12-01T00:00:02Z")
        .await
        .unwrap();
    store
        .record_publish_step(7, "site", "2026-12-01T00:00:03Z", "built")
        .await
        .unwrap();
    store
        .schedule_send(
            8,
            "en",
            "send",
            "2026-12-12T00:00:00Z",
            "2026-12-01T00:00:04Z",
        )
        .await
        .unwrap();
}
