//! E-mail campaigns: creating one over a snapshot of the confirmed subscribers, and the
//! per-recipient bookkeeping that makes sending crash-safe and shareable between processes —
//! batches claimed under a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on
//! SQLite), marked sent in groups once the server took them, retried later on a temporary
//! refusal, failed on a permanent one, and taken back from a worker that stopped.

use crate::sql::Sql;
use crate::time;
use crate::words::tier_of;
use crate::{Engine, Store, StoreError, Tier};

/// A campaign to create: its content, fixed from then on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    /// The issue.
    pub issue: u32,
    /// The language code.
    pub lang: String,
    /// Free or paid.
    pub tier: Tier,
    /// Subject.
    pub subject: String,
    /// Plain-text body, with the recipient's link placeholders.
    pub body_text: String,
    /// HTML body, with the recipient's link placeholders.
    pub body_html: String,
}

/// Who a campaign goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    /// True when the campaign's language is the newsletter's primary one (subscribers who
    /// chose no language get it).
    pub primary: bool,
    /// The day (`YYYY-MM-DD`) that decides whether a paid subscription still runs.
    pub today: String,
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    /// Row id.
    pub id: i64,
    /// The issue.
    pub issue: u32,
    /// The language code.
    pub lang: String,
    /// Free or paid.
    pub tier: Tier,
    /// Subject.
    pub subject: String,
    /// Plain-text body with placeholders.
    pub body_text: String,
    /// HTML body with placeholders.
    pub body_html: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Every recipient done (RFC 3339).
    pub finished_at: Option<String>,
}

/// Where a campaign's recipients stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CampaignCounts {
    /// Recipients in the snapshot.
    pub total: i64,
    /// Not sent yet (including those waiting to be tried again).
    pub pending: i64,
    /// Of those, waiting after a temporary refusal.
    pub retrying: i64,
    /// Claimed by a worker now.
    pub sending: i64,
    /// Taken by the server.
    pub sent: i64,
    /// Refused for good.
    pub failed: i64,
    /// No longer subscribed when their turn came.
    pub skipped: i64,
    /// Messages that were on the wire when a worker stopped, sent again (possibly twice).
    pub resent: i64,
}

/// A recipient claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// Row id (of `campaign_recipient`).
    pub id: i64,
    /// The subscriber.
    pub subscriber_id: i64,
    /// The address.
    pub email: String,
    /// Sends tried, this one included.
    pub attempts: i64,
    /// The subscriber's link key, which their signed links include.
    pub link_key: String,
}

/// A campaign's recipient row, as a bounce report is matched with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRow {
    /// The subscriber.
    pub subscriber_id: i64,
    /// The address the message went to.
    pub email: String,
    /// `pending`, `sending`, `sent`, `failed` or `skipped`.
    pub state: String,
}

type CampaignRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

fn campaign_of(r: CampaignRow) -> Result<Campaign, StoreError> {
    Ok(Campaign {
        id: r.0,
        issue: u32::try_from(r.1).unwrap_or(0),
        lang: r.2,
        tier: tier_of(&r.3)?,
        subject: r.4,
        body_text: r.5,
        body_html: r.6,
        created_at: r.7,
        finished_at: r.8,
    })
}

const CAMPAIGN_COLUMNS: &str =
    "id, issue, lang, tier, subject, body_text, body_html, created_at, finished_at";

/// How many ids go in one `IN (…)` list.
const ID_CHUNK: usize = 500;

impl Store {
    /// Creates the campaign of `new` with a snapshot of the confirmed subscribers who get its
    /// language and tier, in one transaction. When the (issue, lang, tier) campaign exists,
    /// nothing changes. Returns the campaign and whether it is new.
    pub async fn create_campaign(
        &self,
        new: &NewCampaign,
        audience: &Audience,
        now: &str,
    ) -> Result<(Campaign, bool), StoreError> {
        let mut tx = self.write_transaction().await?;
        let created: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO campaign (issue, lang, tier, subject, body_text, body_html, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (issue, lang, tier) DO NOTHING \
             RETURNING id",
        )
        .bind(i64::from(new.issue))
        .bind(&new.lang)
        .bind(new.tier.as_str())
        .bind(&new.subject)
        .bind(&new.body_text)
        .bind(&new.body_html)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((id,)) = created {
            let filter = audience_filter(new.tier, audience);
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO campaign_recipient (campaign_id, subscriber_id, email) \
                 SELECT $1, id, email FROM subscriber WHERE {filter} ORDER BY id"
            )))
            .bind(id)
            .bind(lang_pattern(&new.lang))
            .bind(&audience.today)
            .execute(&mut *tx)
            .await?;
        }
        let (issue, lang, tier) = (i64::from(new.issue), &new.lang, new.tier.as_str());
        let row: CampaignRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaign WHERE issue = $1 AND lang = $2 AND tier = $3"
        )))
        .bind(issue)
        .bind(lang)
        .bind(tier)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((campaign_of(row)?, created.is_some()))
    }

    /// Who a campaign of `lang` and `tier` would go to now, by subscriber id after `after`,
    /// at most `limit` (a dry run's recipients: nothing is stored).
    pub async fn audience_page(
        &self,
        lang: &str,
        tier: Tier,
        audience: &Audience,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        let filter = audience_filter(tier, audience);
        let rows: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, email, link_key FROM subscriber WHERE id > $1 AND {filter} \
             ORDER BY id LIMIT $4"
        )))
        .bind(after)
        .bind(lang_pattern(lang))
        .bind(&audience.today)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, email, link_key)| Claimed {
                id,
                subscriber_id: id,
                email,
                attempts: 0,
                link_key,
            })
            .collect())
    }

    /// The campaigns, newest first; with `unfinished`, only those with recipients left.
    pub async fn campaigns(&self, unfinished: bool) -> Result<Vec<Campaign>, StoreError> {
        let filter = if unfinished {
            " WHERE finished_at IS NULL"
        } else {
            ""
        };
        let rows: Vec<CampaignRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaign{filter} ORDER BY id DESC"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(campaign_of).collect()
    }

    /// Where the recipients of campaign `id` stand.
    pub async fn campaign_counts(&self, id: i64) -> Result<CampaignCounts, StoreError> {
        let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
            "SELECT state, COUNT(*), CAST(SUM(resent) AS BIGINT), \
             CAST(SUM(CASE WHEN last_error <> '' THEN 1 ELSE 0 END) AS BIGINT) \
             FROM campaign_recipient WHERE campaign_id = $1 GROUP BY state",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut counts = CampaignCounts::default();
        for (state, n, resent, tried) in rows {
            counts.total += n;
            counts.resent += resent;
            match state.as_str() {
                "pending" => {
                    counts.pending = n;
                    counts.retrying = tried;
                }
                "sending" => counts.sending = n,
                "sent" => counts.sent = n,
                "failed" => counts.failed = n,
                _ => counts.skipped += n,
            }
        }
        Ok(counts)
    }

    /// The workers holding recipients now.
    pub async fn sending_workers(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT worker FROM campaign_recipient WHERE state = 'sending'",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Gives back to `pending` the recipients claimed by a worker whose lease ran out before
    /// `now` (unix seconds) or that is one of `stopped`: they may have been on the wire, and
    /// are counted in `resent`. Returns how many.
    pub async fn take_back(&self, now: i64, stopped: &[String]) -> Result<u64, StoreError> {
        let mut sql = Sql::new(
            self.engine,
            "UPDATE campaign_recipient SET state = 'pending', worker = '', \
             resent = resent + 1 WHERE state = 'sending' AND (lease_until < ",
        );
        sql.bind_alone(time::at(now));
        if !stopped.is_empty() {
            sql.push(" OR worker IN (");
            for (i, worker) in stopped.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind_alone(worker.clone());
            }
            sql.push(")");
        }
        sql.push(")");
        let mut tx = self.atomic_transaction().await?;
        let done = sql.query().execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Claims up to `limit` recipients of campaign `id` that are due at `now` (unix seconds)
    /// for `worker` until `lease_until`. Those no longer subscribed (or forgotten since the
    /// snapshot) are marked skipped and left out. Two workers never get the same row.
    pub async fn claim_recipients(
        &self,
        id: i64,
        worker: &str,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        let lock = match self.engine {
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
            Engine::Sqlite => "",
        };
        let mut tx = self.atomic_transaction().await?;
        let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE campaign_recipient SET state = 'sending', worker = $1, lease_until = $2, \
             attempts = attempts + 1 WHERE id IN (SELECT id FROM campaign_recipient \
             WHERE campaign_id = $3 AND state = 'pending' AND next_attempt <= $4 \
             ORDER BY id LIMIT $5{lock}) RETURNING id, subscriber_id, email, attempts"
        )))
        .bind(worker)
        .bind(time::at(lease_until))
        .bind(id)
        .bind(time::at(now))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        // The confirmed subscribers among them, with their link keys.
        let mut keys = std::collections::HashMap::new();
        for chunk in rows.chunks(ID_CHUNK) {
            let mut sql = Sql::new(
                self.engine,
                "SELECT id, link_key FROM subscriber WHERE status = 'confirmed' AND id IN (",
            );
            for (i, row) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind_alone(row.1);
            }
            sql.push(")");
            let found: Vec<(i64, String)> = sql.query_as().fetch_all(&mut *tx).await?;
            keys.extend(found);
        }
        let skipped: Vec<i64> = rows
            .iter()
            .filter(|r| !keys.contains_key(&r.1))
            .map(|r| r.0)
            .collect();
        set_state(self.engine, &mut tx, &skipped, "skipped", None).await?;
        tx.commit().await?;
        let mut claimed: Vec<Claimed> = rows
            .into_iter()
            .filter_map(|(id, subscriber_id, email, attempts)| {
                Some(Claimed {
                    id,
                    subscriber_id,
                    email,
                    attempts,
                    link_key: keys.get(&subscriber_id)?.clone(),
                })
            })
            .collect();
        claimed.sort_by_key(|c| c.id);
        Ok(claimed)
    }

    /// Extends the lease of every recipient `worker` holds.
    pub async fn renew_lease(&self, worker: &str, lease_until: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE campaign_recipient SET lease_until = $1 WHERE state = 'sending' AND worker = $2",
        )
        .bind(time::at(lease_until))
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks the recipients `ids` sent at `now` (RFC 3339), in one transaction.
    pub async fn mark_sent(&self, ids: &[i64], now: &str) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut tx = self.atomic_transaction().await?;
        set_state(self.engine, &mut tx, ids, "sent", Some(now)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts recipient `id` back to be tried again from `next_attempt` (unix seconds) after a
    /// temporary refusal.
    pub async fn mark_retry(
        &self,
        id: i64,
        next_attempt: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE campaign_recipient SET state = 'pending', worker = '', next_attempt = $1, \
             last_error = $2 WHERE id = $3 AND state = 'sending'",
        )
        .bind(time::at(next_attempt))
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a permanent refusal of recipient `id`: the row fails and its subscriber counts
    /// one more bounce, becoming `bounced` at `bounce_after` of them. True when it did now.
    pub async fn mark_failed(
        &self,
        id: i64,
        subscriber_id: i64,
        error: &str,
        bounce_after: i64,
        now: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.atomic_transaction().await?;
        sqlx::query(
            "UPDATE campaign_recipient SET state = 'failed', worker = '', last_error = $1 \
             WHERE id = $2",
        )
        .bind(error)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let bounced = count_bounce(&mut tx, subscriber_id, bounce_after, now).await?;
        tx.commit().await?;
        Ok(bounced)
    }

    /// Records a bounce of `subscriber_id` reported later (a delivery-status notification):
    /// becoming `bounced` at `bounce_after` of them. True when it did now.
    pub async fn record_bounce(
        &self,
        subscriber_id: i64,
        bounce_after: i64,
        now: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.atomic_transaction().await?;
        let bounced = count_bounce(&mut tx, subscriber_id, bounce_after, now).await?;
        tx.commit().await?;
        Ok(bounced)
    }

    /// Recipient row `id` of campaign `campaign_id` (what a bounce report is matched with).
    pub async fn campaign_recipient(
        &self,
        campaign_id: i64,
        id: i64,
    ) -> Result<Option<RecipientRow>, StoreError> {
        let row: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT subscriber_id, email, state FROM campaign_recipient \
             WHERE id = $1 AND campaign_id = $2",
        )
        .bind(id)
        .bind(campaign_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(subscriber_id, email, state)| RecipientRow {
            subscriber_id,
            email,
            state,
        }))
    }

    /// Records a permanent failure of recipient row `id` of campaign `campaign_id` reported
    /// after the server took the message (a delivery-status notification): the row, if it is
    /// `sent`, becomes `failed` with `error`, and its subscriber counts one more bounce,
    /// becoming `bounced` at `bounce_after` of them. `None` when the row was not `sent` (never
    /// sent, or its bounce already counted: one message counts once); else whether the
    /// subscriber became bounced now.
    pub async fn record_reported_bounce(
        &self,
        campaign_id: i64,
        id: i64,
        error: &str,
        bounce_after: i64,
        now: &str,
    ) -> Result<Option<bool>, StoreError> {
        let mut tx = self.atomic_transaction().await?;
        let row: Option<(i64,)> = sqlx::query_as(
            "UPDATE campaign_recipient SET state = 'failed', last_error = $1 \
             WHERE id = $2 AND campaign_id = $3 AND state = 'sent' RETURNING subscriber_id",
        )
        .bind(error)
        .bind(id)
        .bind(campaign_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((subscriber_id,)) = row else {
            return Ok(None);
        };
        let bounced = count_bounce(&mut tx, subscriber_id, bounce_after, now).await?;
        tx.commit().await?;
        Ok(Some(bounced))
    }

    /// The earliest `next_attempt` (unix seconds) of campaign `id`'s pending recipients, and
    /// whether any recipient is still being sent by some worker.
    pub async fn campaign_next(&self, id: i64) -> Result<(Option<i64>, bool), StoreError> {
        let (next,): (Option<String>,) = sqlx::query_as(
            "SELECT MIN(next_attempt) FROM campaign_recipient \
             WHERE campaign_id = $1 AND state = 'pending'",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let sending: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM campaign_recipient WHERE campaign_id = $1 AND state = 'sending' \
             LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok((next.as_deref().and_then(time::seconds), sending.is_some()))
    }

    /// Marks campaign `id` finished at `now` when no recipient is left; true when it is.
    pub async fn finish_campaign(&self, id: i64, now: &str) -> Result<bool, StoreError> {
        let (next, sending) = self.campaign_next(id).await?;
        if next.is_some() || sending {
            return Ok(false);
        }
        sqlx::query("UPDATE campaign SET finished_at = $1 WHERE id = $2 AND finished_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(true)
    }

    /// The issues that went out: a campaign was made for them or a step of publishing them
    /// was recorded, in ascending order.
    pub async fn published_issues(&self) -> Result<Vec<u32>, StoreError> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT issue FROM campaign UNION SELECT issue FROM publish_step ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(n,)| u32::try_from(n).ok())
            .collect())
    }

    /// Every recorded step whose name starts with `prefix` (of `issue`, or of every issue):
    /// (issue, step, done at, detail), by issue then step.
    pub async fn publish_steps(
        &self,
        prefix: &str,
        issue: Option<u32>,
    ) -> Result<Vec<(u32, String, String, String)>, StoreError> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT issue, step, done_at, detail FROM publish_step \
             WHERE substr(step, 1, length($1)) = $1 AND ($2 = 0 OR issue = $2) \
             ORDER BY issue, step",
        )
        .bind(prefix)
        .bind(i64::from(issue.unwrap_or(0)))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(i, s, d, t)| (u32::try_from(i).unwrap_or(0), s, d, t))
            .collect())
    }

    /// Whether step `step` of publishing `issue` is done, and its note.
    pub async fn publish_step(
        &self,
        issue: u32,
        step: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT done_at, detail FROM publish_step WHERE issue = $1 AND step = $2",
        )
        .bind(i64::from(issue))
        .bind(step)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Records step `step` of publishing `issue` as done at `now`, with a note; a step
    /// recorded before keeps its first record.
    pub async fn record_publish_step(
        &self,
        issue: u32,
        step: &str,
        now: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.write_publish_step(issue, step, now, detail, false)
            .await
    }

    /// Records step `step` of publishing `issue` as done at `now` with `detail`, replacing an
    /// earlier record of it (a channel's draft, updated).
    pub async fn set_publish_step(
        &self,
        issue: u32,
        step: &str,
        now: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.write_publish_step(issue, step, now, detail, true)
            .await
    }

    async fn write_publish_step(
        &self,
        issue: u32,
        step: &str,
        now: &str,
        detail: &str,
        replace: bool,
    ) -> Result<(), StoreError> {
        let on_conflict = if replace {
            "DO UPDATE SET done_at = excluded.done_at, detail = excluded.detail"
        } else {
            "DO NOTHING"
        };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO publish_step (issue, step, done_at, detail) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (issue, step) {on_conflict}"
        )))
        .bind(i64::from(issue))
        .bind(step)
        .bind(now)
        .bind(detail)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// The subscribers a campaign for `tier` goes to: confirmed, of the tier (a paid
/// subscription running on `$3`), and choosing the language (`$2`, a `LIKE` pattern; no
/// choice means the primary language).
fn audience_filter(tier: Tier, audience: &Audience) -> String {
    let paid = "(tier = 'paid' AND (paid_until IS NULL OR paid_until = '' OR paid_until >= $3))";
    let tier = if tier == Tier::Paid {
        paid.to_owned()
    } else {
        format!("NOT {paid}")
    };
    let lang = if audience.primary {
        "(languages = '' OR (',' || REPLACE(languages, ' ', ',') || ',') LIKE $2)"
    } else {
        "(',' || REPLACE(languages, ' ', ',') || ',') LIKE $2"
    };
    format!("status = 'confirmed' AND {lang} AND {tier}")
}

/// The `LIKE` pattern that finds `lang` in a list of languages.
fn lang_pattern(lang: &str) -> String {
    format!("%,{},%", lang.replace(['%', '_'], ""))
}

/// Counts a bounce of `subscriber_id`; true when it made the subscriber `bounced`.
async fn count_bounce(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    subscriber_id: i64,
    bounce_after: i64,
    now: &str,
) -> Result<bool, StoreError> {
    sqlx::query("UPDATE subscriber SET bounces = bounces + 1 WHERE id = $1")
        .bind(subscriber_id)
        .execute(&mut **tx)
        .await?;
    let done = sqlx::query(
        "UPDATE subscriber SET status = 'bounced', updated_at = $1 \
         WHERE id = $2 AND bounces >= $3 AND status IN ('confirmed', 'pending')",
    )
    .bind(now)
    .bind(subscriber_id)
    .bind(bounce_after.max(1))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets the state of the recipients `ids` (and `sent_at`, when given).
async fn set_state(
    engine: Engine,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ids: &[i64],
    state: &str,
    sent_at: Option<&str>,
) -> Result<(), StoreError> {
    for chunk in ids.chunks(ID_CHUNK) {
        let mut sql = Sql::new(engine, "UPDATE campaign_recipient SET state = ");
        sql.bind_alone(state.to_owned());
        sql.push(", worker = ''");
        if let Some(at) = sent_at {
            sql.push(", sent_at = ");
            sql.bind_alone(at.to_owned());
        }
        sql.push(" WHERE id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_alone(*id);
        }
        sql.push(")");
        sql.query().execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
