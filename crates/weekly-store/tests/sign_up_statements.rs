//! A sign-up runs the same SQL statements, in the same order, whether its address is new,
//! already confirmed, or pending since a moment ago: `weekly server`'s `/subscribe` does
//! nothing but this one call, so its database work does not tell whether an address is known.
//! The statements are the ones sqlx reports (`sqlx::query` events), recorded by a tracing
//! subscriber of this test program (its only test, so nothing else runs statements meanwhile).

use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata};
use weekly_store::{NewSubscriber, OutboxMail, Store, Subscriber};

/// Every statement sqlx ran since the last [`Recorder::take`].
#[derive(Default)]
struct Recorder {
    statements: Mutex<Vec<String>>,
}

impl Recorder {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.statements.lock().unwrap())
    }
}

#[derive(Default)]
struct Fields {
    summary: String,
    statement: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => value.clone_into(&mut self.summary),
            "db.statement" => value.trim().clone_into(&mut self.statement),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if matches!(field.name(), "summary" | "db.statement") {
            self.record_str(field, &format!("{value:?}"));
        }
    }
}

struct Shared(Arc<Recorder>);

impl tracing::Subscriber for Shared {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "sqlx::query"
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let sql = if fields.statement.is_empty() {
            fields.summary
        } else {
            fields.statement
        };
        // A new pooled connection's settings are not the sign-up's work.
        if !sql.is_empty() && !sql.starts_with("PRAGMA") {
            self.0.statements.lock().unwrap().push(sql);
        }
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn form(email: &str) -> NewSubscriber {
    NewSubscriber {
        email: email.into(),
        email_key: email.to_lowercase(),
        name: String::new(),
        languages: "en".into(),
        tier: weekly_store::Tier::Free,
        paid_until: None,
        status: weekly_store::SubscriberStatus::Pending,
        source: "form".into(),
        consent_at: "2026-12-01T00:00:00Z".into(),
        consent_ip: "192.0.2.1".into(),
        consent_via: "form".into(),
    }
}

fn confirm_mail(s: &Subscriber) -> Option<OutboxMail> {
    (s.status == weekly_store::SubscriberStatus::Pending).then(|| OutboxMail {
        kind: "confirm".into(),
        recipient: s.email.clone(),
        subject: "Confirm".into(),
        body_text: format!("https://example.org/confirm?token={}", s.id),
        body_html: String::new(),
        list_unsubscribe: String::new(),
    })
}

/// A new, empty database on the test PostgreSQL server, when there is one.
async fn postgres() -> Option<String> {
    use std::io::Write as _;
    let admin = match std::env::var("WEEKLY_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var_os("WEEKLY_REQUIRE_POSTGRES").is_none()
                    && std::env::var("CI").map_or(true, |v| matches!(v.trim(), "" | "0" | "false")),
                "WEEKLY_TEST_POSTGRES_URL is not set, and WEEKLY_REQUIRE_POSTGRES or CI is set: the PostgreSQL half cannot run"
            );
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED the PostgreSQL half: WEEKLY_TEST_POSTGRES_URL is not set"
            );
            return None;
        }
    };
    sqlx::any::install_default_drivers();
    let name = format!(
        "weekly_statements_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Some(format!("{base}/{name}"))
}

#[tokio::test]
async fn a_sign_up_runs_the_same_statements_for_a_known_and_an_unknown_address() {
    let recorder = Arc::new(Recorder::default());
    tracing::subscriber::set_global_default(Shared(recorder.clone())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut stores = vec![(
        "sqlite",
        Store::open(&dir.path().join("w.db")).await.unwrap(),
    )];
    if let Some(url) = postgres().await {
        stores.push(("postgres", Store::connect(&url, dir.path()).await.unwrap()));
    }
    for (engine, store) in stores {
        let (now, cool_down_from) = ("2026-12-01T00:10:00Z", "2026-12-01T00:00:00Z");
        let sign_up = |email: &'static str| {
            let store = store.clone();
            async move {
                store
                    .sign_up(&form(email), now, cool_down_from, confirm_mail)
                    .await
                    .unwrap()
            }
        };
        // A confirmed reader, and one who signed up a moment ago.
        let mut known = form("known@example.org");
        known.status = weekly_store::SubscriberStatus::Confirmed;
        store
            .import_subscribers(&[known], cool_down_from)
            .await
            .unwrap();
        assert!(sign_up("recent@example.org").await.1);
        recorder.take();

        let (_, queued) = sign_up("new@example.org").await;
        assert!(queued, "{engine}: a new address gets its mail");
        let new = recorder.take();
        let (_, queued) = sign_up("Known@Example.org").await;
        assert!(!queued, "{engine}: a confirmed address gets none");
        let confirmed = recorder.take();
        let (_, queued) = sign_up("recent@example.org").await;
        assert!(!queued, "{engine}: nor one that had its mail a moment ago");
        let recent = recorder.take();

        assert!(new.len() >= 3, "{engine}: {new:#?}");
        assert_eq!(new, confirmed, "{engine}: new vs confirmed address");
        assert_eq!(new, recent, "{engine}: new vs recently pending address");
        store.close().await;
    }
}
