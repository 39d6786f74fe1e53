//! Bounces reported after sending (`Store::record_reported_bounce`), on both engines: only a
//! row that was sent counts, once, and the subscriber is bounced at `bounce_after`.

use crate::{Audience, NewCampaign, NewSubscriber, Store};

fn subscriber(email: &str) -> NewSubscriber {
    NewSubscriber {
        email: email.into(),
        email_key: email.into(),
        name: String::new(),
        languages: String::new(),
        tier: crate::Tier::Free,
        paid_until: None,
        status: crate::SubscriberStatus::Confirmed,
        source: "test".into(),
        consent_at: "t".into(),
        consent_ip: String::new(),
        consent_via: "cli".into(),
    }
}

/// Campaign of `issue` to everyone, its rows claimed and those of `sent` marked sent.
async fn campaign(store: &Store, issue: u32, sent: bool) -> (i64, Vec<i64>) {
    let new = NewCampaign {
        issue,
        lang: "zh".into(),
        tier: crate::Tier::Free,
        subject: "s".into(),
        body_text: "t".into(),
        body_html: String::new(),
    };
    let audience = Audience {
        primary: true,
        today: "2026-12-05".into(),
    };
    let (campaign, _) = store.create_campaign(&new, &audience, "t").await.unwrap();
    let claimed = store
        .claim_recipients(campaign.id, "w", 0, 100, 10)
        .await
        .unwrap();
    let ids: Vec<i64> = claimed.iter().map(|c| c.id).collect();
    if sent {
        store.mark_sent(&ids, "t").await.unwrap();
    }
    (campaign.id, ids)
}

#[tokio::test]
async fn a_reported_bounce_counts_once_per_sent_message() {
    for (engine, store) in crate::testdb::stores().await {
        eprintln!("engine: {engine}");
        let store: &Store = &store;
        store
            .import_subscribers(&[subscriber("a@x.org")], "t")
            .await
            .unwrap();
        let (first, rows) = campaign(store, 1, true).await;
        let row = store
            .campaign_recipient(first, rows[0])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (row.email.as_str(), row.state.as_str()),
            ("a@x.org", "sent")
        );
        // Another campaign's id with this row: no such row.
        assert!(
            store
                .campaign_recipient(first + 1, rows[0])
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            store
                .record_reported_bounce(first, rows[0], "5.1.1", 2, "t")
                .await
                .unwrap(),
            Some(false)
        );
        // The same message again: nothing.
        assert_eq!(
            store
                .record_reported_bounce(first, rows[0], "5.1.1", 2, "t")
                .await
                .unwrap(),
            None
        );
        // A message never recorded as sent: nothing.
        let (unsent, rows2) = campaign(store, 2, false).await;
        assert_eq!(
            store
                .record_reported_bounce(unsent, rows2[0], "5.1.1", 2, "t")
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store.subscriber("a@x.org").await.unwrap().unwrap().status,
            crate::SubscriberStatus::Confirmed
        );
        // The second message's bounce is the second: bounced.
        let (third, rows3) = campaign(store, 3, true).await;
        assert_eq!(
            store
                .record_reported_bounce(third, rows3[0], "5.1.1", 2, "t")
                .await
                .unwrap(),
            Some(true)
        );
        assert_eq!(
            store.subscriber("a@x.org").await.unwrap().unwrap().status,
            crate::SubscriberStatus::Bounced
        );
        let counts = store.campaign_counts(first).await.unwrap();
        assert_eq!((counts.sent, counts.failed), (0, 1));
    }
}
