//! Migration 0009 on both engines: the rows an older schema held keep their meaning when
//! their times become RFC 3339 text — a translation claim still holds until its instant, an
//! outbox claim too, a campaign's next attempt is the same second, an ended lease is still
//! ended — and the translation memory's old `YYYY-MM-DD HH:MM:SS` gains its `T` and `Z`.

use crate::{Store, testdb, time};

/// 2026-12-07T08:00:00Z.
const NOW: i64 = 1_796_630_400;

async fn text(store: &Store, sql: &str) -> String {
    let (value,): (String,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&store.pool)
        .await
        .unwrap();
    value
}

#[tokio::test]
async fn migration_0009_keeps_every_times_meaning() {
    for (engine, store) in testdb::stores_at(8).await {
        let store: &Store = &store;
        let run = |sql: &'static str| async move {
            sqlx::query(sql).execute(&store.pool).await.unwrap();
        };
        run(
            "INSERT INTO translation_memory (key, source_lang, target_lang, model, \
             prompt_version, source, translation, created_at) \
             VALUES ('k', 'zh', 'en', 'm', 'v', '源', 'source', '2026-12-01 10:20:30')",
        )
        .await;
        run(
            "INSERT INTO translated_unit (issue, lang, unit, source_hash, output_hash, \
             updated_at) VALUES (7, 'en', 'u', 's', 'o', '2026-12-01 10:20:31')",
        )
        .await;
        // Held by `a` for an hour after NOW.
        run("INSERT INTO translation_claim (key, owner, expires_at) \
             VALUES ('k', 'a', 1796634000)")
        .await;
        // Claimed by `w` for an hour after NOW.
        run(
            "INSERT INTO outbox (kind, recipient, subject, body_text, created_at, \
             next_attempt, claimed_by, claimed_until) VALUES ('confirm', 'r@x.org', 's', 't', \
             '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', 'w', 1796634000)",
        )
        .await;
        run(
            "INSERT INTO campaign (id, issue, lang, tier, subject, body_text, body_html, \
             created_at) VALUES (1, 7, 'zh', 'free', 's', 't', 'h', '2026-12-01T00:00:00Z')",
        )
        .await;
        // A pending row due a minute after NOW, a never-tried one (0), and one being sent
        // whose lease ended a minute before NOW.
        run(
            "INSERT INTO campaign_recipient (campaign_id, subscriber_id, email, state, \
             next_attempt, lease_until) VALUES (1, 1, 'a@x.org', 'pending', 1796630460, 0), \
             (1, 2, 'b@x.org', 'pending', 0, 0), (1, 3, 'c@x.org', 'sending', 0, 1796630340)",
        )
        .await;

        assert!(store.migrate().await.unwrap().contains(&9), "{engine}");

        assert_eq!(
            text(store, "SELECT created_at FROM translation_memory").await,
            "2026-12-01T10:20:30Z",
            "{engine}"
        );
        assert_eq!(
            text(store, "SELECT updated_at FROM translated_unit").await,
            "2026-12-01T10:20:31Z"
        );
        assert_eq!(
            text(store, "SELECT expires_at FROM translation_claim").await,
            "2026-12-07T09:00:00Z"
        );
        assert!(
            !store.claim("k", "b", NOW + 3599, 60).await.unwrap(),
            "{engine}: still held"
        );
        assert!(
            store.claim("k", "b", NOW + 3601, 60).await.unwrap(),
            "{engine}: ran out"
        );

        assert!(
            store
                .claim_mail("v", "9999", NOW + 3599, NOW + 7200, 10)
                .await
                .unwrap()
                .is_empty(),
            "{engine}: the outbox claim still holds"
        );
        assert_eq!(
            store
                .claim_mail("v", "9999", NOW + 3601, NOW + 7200, 10)
                .await
                .unwrap()
                .len(),
            1
        );

        let (next, sending) = store.campaign_next(1).await.unwrap();
        assert_eq!(next, Some(0), "{engine}: the never-tried row is due first");
        assert!(sending);
        assert_eq!(
            text(
                store,
                "SELECT next_attempt FROM campaign_recipient WHERE email = 'a@x.org'"
            )
            .await,
            time::at(NOW + 60)
        );
        assert_eq!(store.take_back(NOW, &[]).await.unwrap(), 1, "{engine}");
        // New rows take the new form's defaults.
        run(
            "INSERT INTO campaign_recipient (campaign_id, subscriber_id, email) \
             VALUES (1, 4, 'd@x.org')",
        )
        .await;
        assert_eq!(
            text(
                store,
                "SELECT lease_until FROM campaign_recipient WHERE email = 'd@x.org'"
            )
            .await,
            time::EPOCH
        );
    }
}
