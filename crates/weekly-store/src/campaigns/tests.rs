//! Campaigns: the snapshot follows language and tier and is made once; claims never overlap,
//! and the rows of a lost claim come back, counted.

use super::*;
use crate::NewSubscriber;

fn person(email: &str, languages: &str, tier: &str, paid_until: Option<&str>) -> NewSubscriber {
    NewSubscriber {
        email: email.into(),
        email_key: email.to_lowercase(),
        name: String::new(),
        languages: languages.into(),
        tier: crate::Tier::parse(tier).unwrap(),
        paid_until: paid_until.map(str::to_owned),
        status: crate::SubscriberStatus::Confirmed,
        source: "test".into(),
        consent_at: "2026-12-01T00:00:00Z".into(),
        consent_ip: String::new(),
        consent_via: "import".into(),
    }
}

fn campaign(lang: &str, tier: &str) -> NewCampaign {
    NewCampaign {
        issue: 7,
        lang: lang.into(),
        tier: crate::Tier::parse(tier).unwrap(),
        subject: format!("#7 {lang} {tier}"),
        body_text: "text".into(),
        body_html: "<p>html</p>".into(),
    }
}

fn emails(claimed: &[Claimed]) -> Vec<&str> {
    claimed.iter().map(|c| c.email.as_str()).collect()
}

#[tokio::test]
async fn snapshots_follow_language_and_tier_and_creating_twice_changes_nothing() {
    for (engine, store) in crate::testdb::stores().await {
        eprintln!("engine: {engine}");
        let store: &Store = &store;
        let rows = [
            person("zh@x.org", "zh", "free", None),
            person("none@x.org", "", "free", None),
            person("both@x.org", "en,zh", "free", None),
            person("en@x.org", "en", "free", None),
            person("paid@x.org", "zh", "paid", Some("2027-01-01")),
            person("lapsed@x.org", "zh", "paid", Some("2026-11-30")),
            person("zhong@x.org", "zh-tw", "free", None),
        ];
        store.import_subscribers(&rows, "t").await.unwrap();
        store
            .set_subscriber_status("en@x.org", crate::SubscriberStatus::Unsubscribed, "t")
            .await
            .unwrap();
        let zh = Audience {
            primary: true,
            today: "2026-12-01".into(),
        };
        let en = Audience {
            primary: false,
            ..zh.clone()
        };
        let (free_zh, new) = store
            .create_campaign(&campaign("zh", "free"), &zh, "t")
            .await
            .unwrap();
        assert!(new);
        let (paid_zh, _) = store
            .create_campaign(&campaign("zh", "paid"), &zh, "t")
            .await
            .unwrap();
        let (free_en, _) = store
            .create_campaign(&campaign("en", "free"), &en, "t")
            .await
            .unwrap();
        let all = |id| async move {
            let mut claimed = store.claim_recipients(id, "w", 10, 100, 100).await.unwrap();
            claimed.sort_by(|a, b| a.email.cmp(&b.email));
            claimed
        };
        assert_eq!(
            emails(&all(free_zh.id).await),
            ["both@x.org", "lapsed@x.org", "none@x.org", "zh@x.org"]
        );
        assert_eq!(emails(&all(paid_zh.id).await), ["paid@x.org"]);
        assert_eq!(emails(&all(free_en.id).await), ["both@x.org"]);
        // The same campaign again: no new snapshot, the stored content is kept.
        store
            .import_subscribers(&[person("late@x.org", "zh", "free", None)], "t")
            .await
            .unwrap();
        let mut changed = campaign("zh", "free");
        changed.subject = "other".into();
        let (again, new) = store.create_campaign(&changed, &zh, "t").await.unwrap();
        assert!(!new);
        assert_eq!(
            (again.id, again.subject.as_str()),
            (free_zh.id, "#7 zh free")
        );
        assert_eq!(store.campaign_counts(free_zh.id).await.unwrap().total, 4);
    }
}

#[tokio::test]
async fn claims_never_overlap_and_lost_claims_come_back_counted() {
    for (engine, store) in crate::testdb::stores().await {
        eprintln!("engine: {engine}");
        let store: &Store = &store;
        let rows: Vec<NewSubscriber> = (0..10)
            .map(|i| person(&format!("r{i}@x.org"), "zh", "free", None))
            .collect();
        store.import_subscribers(&rows, "t").await.unwrap();
        let audience = Audience {
            primary: true,
            today: "2026-12-01".into(),
        };
        let (c, _) = store
            .create_campaign(&campaign("zh", "free"), &audience, "t")
            .await
            .unwrap();
        let a = store
            .claim_recipients(c.id, "a", 100, 160, 4)
            .await
            .unwrap();
        let b = store
            .claim_recipients(c.id, "b", 100, 130, 4)
            .await
            .unwrap();
        assert_eq!(a.len() + b.len(), 8);
        assert!(a.iter().all(|x| b.iter().all(|y| x.id != y.id)));
        store.mark_sent(&[a[0].id, a[1].id], "t").await.unwrap();
        store.mark_retry(a[2].id, 200, "451 later").await.unwrap();
        let bounced = store
            .mark_failed(a[3].id, a[3].subscriber_id, "550 no such user", 1, "t")
            .await
            .unwrap();
        assert!(bounced);
        let gone = store
            .subscriber_by_id(a[3].subscriber_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(gone.status, crate::SubscriberStatus::Bounced);
        // b's lease runs out at 130; b also "unsubscribes" one of the last two.
        store
            .set_subscriber_status("r9@x.org", crate::SubscriberStatus::Unsubscribed, "t")
            .await
            .unwrap();
        assert_eq!(store.take_back(120, &[]).await.unwrap(), 0);
        assert_eq!(store.take_back(140, &[]).await.unwrap(), 4);
        let counts = store.campaign_counts(c.id).await.unwrap();
        assert_eq!(
            (
                counts.sent,
                counts.failed,
                counts.pending,
                counts.retrying,
                counts.resent
            ),
            (2, 1, 7, 1, 4)
        );
        // Due now: b's four and the last two, less the one who left; the retry waits.
        let c2 = store
            .claim_recipients(c.id, "c", 150, 200, 100)
            .await
            .unwrap();
        assert_eq!(c2.len(), 5, "{c2:?}");
        assert_eq!(store.campaign_counts(c.id).await.unwrap().skipped, 1);
        assert_eq!(store.sending_workers().await.unwrap(), ["c"]);
        assert_eq!(store.take_back(150, &["c".to_owned()]).await.unwrap(), 5);
        let c3 = store
            .claim_recipients(c.id, "d", 150, 300, 100)
            .await
            .unwrap();
        store
            .mark_sent(&c3.iter().map(|x| x.id).collect::<Vec<_>>(), "t")
            .await
            .unwrap();
        assert!(!store.finish_campaign(c.id, "t").await.unwrap());
        assert_eq!(store.campaign_next(c.id).await.unwrap(), (Some(200), false));
        let last = store
            .claim_recipients(c.id, "d", 200, 300, 100)
            .await
            .unwrap();
        assert_eq!(emails(&last), [a[2].email.as_str()]);
        store.mark_sent(&[last[0].id], "t").await.unwrap();
        assert!(store.finish_campaign(c.id, "t2").await.unwrap());
        let done = store.campaigns(false).await.unwrap();
        assert_eq!(done[0].finished_at.as_deref(), Some("t2"));
        assert!(store.campaigns(true).await.unwrap().is_empty());
        let counts = store.campaign_counts(c.id).await.unwrap();
        assert_eq!((counts.sent, counts.total), (8, 10));
    }
}
