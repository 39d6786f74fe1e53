//! Tests of migration 0008 on both engines: subscriber ids never given twice (after a delete,
//! after the migration, after a copy), a link key per subscriber, and a sign-up that runs the
//! same statements whatever the address.

use crate::testdb;
use crate::{NewSubscriber, OutboxMail, Store, Subscriber};

fn form(email: &str) -> NewSubscriber {
    NewSubscriber {
        email: email.into(),
        email_key: email.to_lowercase(),
        name: String::new(),
        languages: "zh".into(),
        tier: crate::Tier::Free,
        paid_until: None,
        status: crate::SubscriberStatus::Pending,
        source: "form".into(),
        consent_at: "2026-12-01T00:00:00Z".into(),
        consent_ip: "192.0.2.1".into(),
        consent_via: "form".into(),
    }
}

fn confirm_mail(s: &Subscriber) -> Option<OutboxMail> {
    (s.status == crate::SubscriberStatus::Pending).then(|| testdb::mail(&s.email))
}

const T: &str = "2026-12-01T00:00:00Z";

async fn sign_up(store: &Store, email: &str) -> Subscriber {
    store
        .sign_up(&form(email), T, T, confirm_mail)
        .await
        .unwrap()
        .0
}

/// Bob signs up and leaves with `--forget`; Carol signs up next. Bob's id, and with it any
/// link signed for him, must never name Carol; and a new row for Bob's address is another
/// subscriber with another key.
#[tokio::test]
async fn a_forgotten_subscribers_id_and_key_are_never_given_again() {
    for (engine, store) in testdb::stores().await {
        eprintln!("engine: {engine}");
        let store: &Store = &store;
        let alice = sign_up(store, "alice@x.org").await;
        let bob = sign_up(store, "bob@x.org").await;
        assert!(bob.id > alice.id);
        assert_eq!(bob.link_key.len(), 32, "{}", bob.link_key);
        assert!(bob.link_key.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(bob.link_key, alice.link_key);
        assert!(!bob.legacy_links);
        assert!(store.forget_subscriber("bob@x.org").await.unwrap());
        let carol = sign_up(store, "carol@x.org").await;
        assert!(
            carol.id > bob.id,
            "{engine}: Carol got id {} after Bob's {}",
            carol.id,
            bob.id
        );
        assert_eq!(store.subscriber_by_id(bob.id).await.unwrap(), None);
        // Imports too, and a re-created address.
        let mut dave = form("dave@x.org");
        dave.status = crate::SubscriberStatus::Confirmed;
        store.import_subscribers(&[dave], T).await.unwrap();
        let dave = store.subscriber("dave@x.org").await.unwrap().unwrap();
        assert!(dave.id > carol.id && dave.link_key.len() == 32);
        let bob_again = sign_up(store, "bob@x.org").await;
        assert!(bob_again.id > dave.id);
        assert_ne!(bob_again.link_key, bob.link_key);
        assert!(store.forget_subscriber("bob@x.org").await.unwrap());
        assert!(store.forget_subscriber("dave@x.org").await.unwrap());
        let erin = sign_up(store, "erin@x.org").await;
        assert!(
            erin.id > bob_again.id,
            "{engine}: {} after {}",
            erin.id,
            bob_again.id
        );
    }
}

#[tokio::test]
async fn a_sign_up_queues_a_mail_only_when_it_changed_the_row() {
    for (engine, store) in testdb::stores().await {
        eprintln!("engine: {engine}");
        let store: &Store = &store;
        let (t1, t2) = ("2026-12-01T00:05:00Z", "2026-12-01T00:20:00Z");
        let (a, queued) = store
            .sign_up(&form("a@x.org"), T, T, confirm_mail)
            .await
            .unwrap();
        assert!(queued && a.status == crate::SubscriberStatus::Pending);
        // Again five minutes later, with a cool-down of ten: nothing changes.
        let (again, queued) = store
            .sign_up(&form("a@x.org"), t1, "2026-11-30T23:55:00Z", confirm_mail)
            .await
            .unwrap();
        assert!(!queued);
        assert_eq!(again, a);
        // After the cool-down: a new mail.
        let (_, queued) = store
            .sign_up(&form("a@x.org"), t2, "2026-12-01T00:10:00Z", confirm_mail)
            .await
            .unwrap();
        assert!(queued);
        // Confirmed: left as it is, no mail.
        assert!(
            store
                .set_subscriber_status("a@x.org", crate::SubscriberStatus::Confirmed, t2)
                .await
                .unwrap()
        );
        let (c, queued) = store
            .sign_up(&form("a@x.org"), t2, t2, confirm_mail)
            .await
            .unwrap();
        assert!(!queued && c.status == crate::SubscriberStatus::Confirmed);
        // Unsubscribed: pending again, with a mail.
        assert!(
            store
                .set_subscriber_status("a@x.org", crate::SubscriberStatus::Unsubscribed, t2)
                .await
                .unwrap()
        );
        let (u, queued) = store
            .sign_up(&form("a@x.org"), t2, t2, confirm_mail)
            .await
            .unwrap();
        assert!(queued && u.status == crate::SubscriberStatus::Pending && u.id == a.id);
        assert_eq!(store.unsent_mail().await.unwrap(), 3);
    }
}

/// Migration 0008 on the rows of an older schema: they keep their ids and values, the indexes
/// and the unique address are there, every row gets its own key and keeps its mailed links
/// (`legacy_links`), and a row made after it is not legacy and gets a new id.
#[tokio::test]
async fn migration_0008_keeps_every_subscriber_and_gives_each_a_key() {
    for (engine, store) in testdb::stores_at(7).await {
        eprintln!("engine: {engine}");
        let store: &Store = &store;
        for (id, email) in [(1_i64, "a@x.org"), (2, "b@x.org"), (7, "c@x.org")] {
            sqlx::query(
                "INSERT INTO subscriber (id, email, email_key, status, consent_at, \
                 consent_via, created_at, updated_at, bounces) \
                 VALUES ($1, $2, $2, 'confirmed', 't', 'import', 't', 't', 2)",
            )
            .bind(id)
            .bind(email)
            .execute(&store.pool)
            .await
            .unwrap();
        }
        assert!(store.migrate().await.unwrap().contains(&8));
        let all = store.subscribers(None).await.unwrap();
        let ids: Vec<i64> = all.iter().map(|s| s.id).collect();
        assert_eq!(ids, [1, 2, 7]);
        assert!(all.iter().all(|s| s.legacy_links && s.link_key.len() == 32));
        let keys: std::collections::HashSet<&str> =
            all.iter().map(|s| s.link_key.as_str()).collect();
        assert_eq!(keys.len(), 3, "one key each");
        let (bounces,): (i64,) = sqlx::query_as("SELECT bounces FROM subscriber WHERE id = 7")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(bounces, 2);
        if engine == "sqlite" {
            let indexes: Vec<(String,)> = sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'index' \
                 AND tbl_name = 'subscriber' ORDER BY name",
            )
            .fetch_all(&store.pool)
            .await
            .unwrap();
            let names: Vec<&str> = indexes.iter().map(|i| i.0.as_str()).collect();
            assert_eq!(
                names,
                ["sqlite_autoindex_subscriber_1", "subscriber_status"]
            );
        }
        // The address is still unique (whatever its case).
        let (_, queued) = store
            .sign_up(&form("A@x.org"), T, T, confirm_mail)
            .await
            .unwrap();
        assert!(!queued, "a@x.org is confirmed");
        assert_eq!(store.subscribers(None).await.unwrap().len(), 3);
        assert!(store.forget_subscriber("c@x.org").await.unwrap());
        let d = sign_up(store, "d@x.org").await;
        assert!(d.id > 7, "{engine}: id {}", d.id);
        assert!(!d.legacy_links && d.link_key.len() == 32);
    }
}

/// `weekly db copy` of a store whose highest subscriber was forgotten: the copy gives a new
/// subscriber an id after the forgotten one, on every pair of engines.
#[tokio::test]
async fn a_copy_never_gives_a_forgotten_id_again() {
    for (engine, source) in testdb::stores().await {
        testdb::fill(&source).await;
        let kept = sign_up(&source, "kept@x.org").await;
        let bob = sign_up(&source, "bob@x.org").await;
        assert!(source.forget_subscriber("bob@x.org").await.unwrap());
        for (target_engine, target) in testdb::stores().await {
            source
                .copy_into(&target, &mut |_, _| {})
                .await
                .unwrap_or_else(|e| panic!("{engine} -> {target_engine}: {e}"));
            let copied = target.subscriber("kept@x.org").await.unwrap().unwrap();
            assert_eq!(
                copied, kept,
                "{engine} -> {target_engine}: keys and ids kept"
            );
            let carol = sign_up(&target, "carol@x.org").await;
            assert!(
                carol.id > bob.id,
                "{engine} -> {target_engine}: Carol got {} after Bob's {}",
                carol.id,
                bob.id
            );
        }
    }
}
