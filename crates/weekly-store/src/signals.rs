//! Readers' signals (`[tracking]`, off by default): the links of each campaign as they were
//! made, clicks and opens counted per day, campaign and link (never per person, unless the
//! editor chose `per_subscriber`), page views per day and issue page; and what the reports
//! and the inbox read back.

use crate::{Store, StoreError};

/// A link of a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignLink {
    /// Its place among the campaign's links, from 1.
    pub position: u32,
    /// Where it leads.
    pub url: String,
    /// The section key of its entry (empty outside entries).
    pub section: String,
    /// The inbox source it came from, else `host:NAME`.
    pub source: String,
}

/// Counts to add to a day's row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountKey {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    /// The campaign.
    pub campaign_id: i64,
    /// The link (0: the open pixel).
    pub position: u32,
    /// `human`, `scanner`, `open` or `open-scanner`.
    pub kind: String,
}

/// A page view's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ViewKey {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    /// The page's language.
    pub lang: String,
    /// The issue (0: the language's home page).
    pub issue: u32,
    /// `reader` or `bot`.
    pub kind: String,
}

/// A link's figures over every day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFigures {
    /// The campaign.
    pub campaign_id: i64,
    /// The link.
    pub link: CampaignLink,
    /// Human clicks.
    pub human: i64,
    /// Clicks of mail scanners.
    pub scanner: i64,
}

impl Store {
    /// Stores the links of campaign `campaign_id` (once: links already stored stay as they
    /// were, so that a token signed for them keeps leading where it led).
    pub async fn set_campaign_links(
        &self,
        campaign_id: i64,
        links: &[CampaignLink],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for link in links {
            sqlx::query(
                "INSERT INTO campaign_link (campaign_id, position, url, section, source) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (campaign_id, position) DO NOTHING",
            )
            .bind(campaign_id)
            .bind(i64::from(link.position))
            .bind(&link.url)
            .bind(&link.section)
            .bind(&link.source)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The links of campaign `campaign_id`, in order.
    pub async fn campaign_links(&self, campaign_id: i64) -> Result<Vec<CampaignLink>, StoreError> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT position, url, section, source FROM campaign_link WHERE campaign_id = $1 \
             ORDER BY position",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(position, url, section, source)| CampaignLink {
                position: u32::try_from(position).unwrap_or(0),
                url,
                section,
                source,
            })
            .collect())
    }

    /// Where link `position` of campaign `campaign_id` leads, if there is such a link.
    pub async fn campaign_link_url(
        &self,
        campaign_id: i64,
        position: u32,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT url FROM campaign_link WHERE campaign_id = $1 AND position = $2",
        )
        .bind(campaign_id)
        .bind(i64::from(position))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(url,)| url))
    }

    /// Adds counts, in one transaction (a batch a server gathered in memory).
    pub async fn add_counts(&self, counts: &[(CountKey, i64)]) -> Result<(), StoreError> {
        if counts.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for (key, count) in counts {
            sqlx::query(
                "INSERT INTO click_count (day, campaign_id, position, kind, count) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (day, campaign_id, position, kind) \
                 DO UPDATE SET count = click_count.count + excluded.count",
            )
            .bind(&key.day)
            .bind(key.campaign_id)
            .bind(i64::from(key.position))
            .bind(&key.kind)
            .bind(*count)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds page views, in one transaction.
    pub async fn add_page_views(&self, views: &[(ViewKey, i64)]) -> Result<(), StoreError> {
        if views.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for (key, count) in views {
            sqlx::query(
                "INSERT INTO page_view (day, lang, issue, kind, count) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (day, lang, issue, kind) DO UPDATE SET count = page_view.count + excluded.count",
            )
            .bind(&key.day)
            .bind(&key.lang)
            .bind(i64::from(key.issue))
            .bind(&key.kind)
            .bind(*count)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records that subscriber `subscriber_id` followed a link (only with `per_subscriber`).
    pub async fn record_subscriber_click(
        &self,
        subscriber_id: i64,
        campaign_id: i64,
        position: u32,
        at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO subscriber_click (subscriber_id, campaign_id, position, at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(subscriber_id)
        .bind(campaign_id)
        .bind(i64::from(position))
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deletes what a subscriber clicked; how many clicks.
    pub async fn forget_clicks(&self, subscriber_id: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM subscriber_click WHERE subscriber_id = $1")
            .bind(subscriber_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// The clicks a subscriber made (`per_subscriber`): campaign, position, when.
    pub async fn subscriber_clicks(
        &self,
        subscriber_id: i64,
    ) -> Result<Vec<(i64, u32, String)>, StoreError> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT campaign_id, position, at FROM subscriber_click WHERE subscriber_id = $1 \
             ORDER BY id",
        )
        .bind(subscriber_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(c, p, at)| (c, u32::try_from(p).unwrap_or(0), at))
            .collect())
    }

    /// Every link of every campaign with its clicks over all days.
    pub async fn link_figures(&self) -> Result<Vec<LinkFigures>, StoreError> {
        let rows: Vec<(i64, i64, String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT l.campaign_id, l.position, l.url, l.section, l.source, \
             CAST(COALESCE(SUM(CASE WHEN c.kind = 'human' THEN c.count ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN c.kind = 'scanner' THEN c.count ELSE 0 END), 0) AS BIGINT) \
             FROM campaign_link l LEFT JOIN click_count c \
             ON c.campaign_id = l.campaign_id AND c.position = l.position \
             GROUP BY l.campaign_id, l.position, l.url, l.section, l.source \
             ORDER BY l.campaign_id, l.position",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(campaign_id, position, url, section, source, human, scanner)| LinkFigures {
                    campaign_id,
                    link: CampaignLink {
                        position: u32::try_from(position).unwrap_or(0),
                        url,
                        section,
                        source,
                    },
                    human,
                    scanner,
                },
            )
            .collect())
    }

    /// Opens of each campaign (at least: mail clients that load no image are not counted),
    /// and the scanners' loads: (campaign, opens, scanner loads).
    pub async fn open_figures(&self) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT campaign_id, \
             CAST(COALESCE(SUM(CASE WHEN kind = 'open' THEN count ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN kind = 'open-scanner' THEN count ELSE 0 END), 0) AS BIGINT) \
             FROM click_count WHERE position = 0 GROUP BY campaign_id ORDER BY campaign_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Recipients of campaign `campaign_id` who have left the list (unsubscribed, bounced or
    /// complained) since it was made.
    pub async fn left_after(&self, campaign_id: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM campaign_recipient r JOIN campaign c ON c.id = r.campaign_id \
             JOIN subscriber s ON s.id = r.subscriber_id \
             WHERE r.campaign_id = $1 AND s.status IN ('unsubscribed', 'bounced', 'complained') \
             AND s.updated_at >= c.created_at",
        )
        .bind(campaign_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    /// Page views: (day, lang, issue, kind, count), by day.
    pub async fn page_views(&self) -> Result<Vec<(ViewKey, i64)>, StoreError> {
        let rows: Vec<(String, String, i64, String, i64)> = sqlx::query_as(
            "SELECT day, lang, issue, kind, count FROM page_view ORDER BY day, lang, issue, kind",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(day, lang, issue, kind, count)| {
                (
                    ViewKey {
                        day,
                        lang,
                        issue: u32::try_from(issue).unwrap_or(0),
                        kind,
                    },
                    count,
                )
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn counts_add_up_and_links_stay_as_made() {
        for (engine, store) in crate::testdb::stores().await {
            let store = &*store;
            let links = [
                CampaignLink {
                    position: 1,
                    url: "https://a.example.org/x".into(),
                    section: "articles".into(),
                    source: "https://a.example.org/feed.xml".into(),
                },
                CampaignLink {
                    position: 2,
                    url: "https://b.example.org/".into(),
                    section: String::new(),
                    source: "host:b.example.org".into(),
                },
            ];
            store.set_campaign_links(7, &links).await.unwrap();
            // A second call changes nothing.
            let mut moved = links.clone();
            moved[0].url = "https://elsewhere.example/".into();
            store.set_campaign_links(7, &moved).await.unwrap();
            assert_eq!(store.campaign_links(7).await.unwrap(), links);
            assert_eq!(
                store.campaign_link_url(7, 1).await.unwrap().as_deref(),
                Some("https://a.example.org/x")
            );
            assert_eq!(store.campaign_link_url(7, 3).await.unwrap(), None);
            let key = |position, kind: &str| CountKey {
                day: "2026-12-07".into(),
                campaign_id: 7,
                position,
                kind: kind.into(),
            };
            store
                .add_counts(&[
                    (key(1, "human"), 3),
                    (key(1, "scanner"), 1),
                    (key(0, "open"), 5),
                ])
                .await
                .unwrap();
            store.add_counts(&[(key(1, "human"), 2)]).await.unwrap();
            let figures = store.link_figures().await.unwrap();
            assert_eq!(figures.len(), 2, "{engine}");
            assert_eq!((figures[0].human, figures[0].scanner), (5, 1));
            assert_eq!((figures[1].human, figures[1].scanner), (0, 0));
            assert_eq!(store.open_figures().await.unwrap(), [(7, 5, 0)]);
            store
                .record_subscriber_click(42, 7, 1, "2026-12-07T10:00:00Z")
                .await
                .unwrap();
            assert_eq!(store.subscriber_clicks(42).await.unwrap().len(), 1);
            assert_eq!(store.forget_clicks(42).await.unwrap(), 1);
            assert!(store.subscriber_clicks(42).await.unwrap().is_empty());
            let view = ViewKey {
                day: "2026-12-07".into(),
                lang: "zh".into(),
                issue: 7,
                kind: "reader".into(),
            };
            store.add_page_views(&[(view.clone(), 2)]).await.unwrap();
            store.add_page_views(&[(view.clone(), 1)]).await.unwrap();
            assert_eq!(store.page_views().await.unwrap(), [(view, 3)]);
        }
    }
}
