//! `weekly send` as library calls: an issue's campaigns created (one per language and tier)
//! and sent through the workspace's SMTP server, resumable and shared between processes; or
//! every message they would send written as `.eml` files, nothing sent.

use crate::archive::Archive;
use crate::campaign::{Personaliser, audience, campaign_languages, create_campaigns};
use crate::environment;
use crate::sender::{Progress, SendOptions, SendReport, send_campaign, worker_id};
use crate::transport::{FolderTransport, Transport};
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::path::Path;
use std::sync::Arc;
use weekly_store::{Campaign, CampaignCounts, Store};

/// Which campaigns to send.
#[derive(Debug, Clone, Default)]
pub struct SendRequest {
    /// The issue whose campaigns are created (or found) and sent; `None`: every unfinished
    /// campaign.
    pub issue: Option<u32>,
    /// Only this language.
    pub lang: Option<String>,
}

/// Told what a send does, besides [`Progress`] within a campaign.
pub trait SendProgress: Progress {
    /// A campaign of the issue, created now (`new`) or found from an earlier run.
    fn prepared(&self, campaign: &Campaign, recipients: i64, new: bool);
    /// A campaign's run ended.
    fn finished(&self, campaign: &Campaign, report: &SendReport, counts: &CampaignCounts);
    /// There was nothing to send.
    fn nothing_to_send(&self);
}

/// Sends the campaigns of `request` through the workspace's SMTP server (`[smtp]` or
/// `WEEKLY_SMTP_URL`); the totals of every campaign sent.
pub async fn send(
    workspace: &Workspace,
    store: &Store,
    request: &SendRequest,
    progress: &impl SendProgress,
) -> Result<SendReport> {
    let options = SendOptions::of(&workspace.config.smtp);
    let url = workspace.env.get(environment::SMTP_URL);
    let password = workspace.env.get(environment::SMTP_PASSWORD);
    let Some((pool, from)) =
        crate::smtp_pool::campaign_pool(&workspace.config.smtp, url, password)?
    else {
        bail!(
            "no mail server: set `[smtp] host` in weekly.toml (or WEEKLY_SMTP_URL), or try \
             `weekly send {} --dry-run`",
            request
                .issue
                .map_or_else(|| "ISSUE".to_owned(), |n| n.to_string())
        );
    };
    let personaliser = Personaliser::new(workspace, from)?;
    let campaigns = if let Some(number) = request.issue {
        let archive = Archive::load(workspace)?;
        let only = language(workspace, request.lang.as_deref())?;
        let langs = campaign_languages(workspace, &archive, number, only.as_ref())?;
        let mut out = Vec::new();
        for (campaign, new) in create_campaigns(workspace, &archive, store, number, &langs).await? {
            let counts = store.campaign_counts(campaign.id).await?;
            progress.prepared(&campaign, counts.total, new);
            if campaign.finished_at.is_none() {
                out.push(campaign);
            }
        }
        out
    } else {
        let mut all = store.campaigns(true).await?;
        if let Some(lang) = &request.lang {
            all.retain(|c| &c.lang == lang);
        }
        all.reverse();
        all
    };
    let pool = Arc::new(pool);
    let sent = send_all(
        store,
        &campaigns,
        &personaliser,
        Arc::clone(&pool),
        &options,
        progress,
    )
    .await;
    pool.close().await;
    sent
}

/// Sends `campaigns` one after the other.
async fn send_all<T: Transport>(
    store: &Store,
    campaigns: &[Campaign],
    personaliser: &Personaliser,
    transport: Arc<T>,
    options: &SendOptions,
    progress: &impl SendProgress,
) -> Result<SendReport> {
    if campaigns.is_empty() {
        progress.nothing_to_send();
        return Ok(SendReport::default());
    }
    let worker = worker_id();
    let mut total = SendReport::default();
    for campaign in campaigns {
        let report = send_campaign(
            store,
            campaign,
            personaliser,
            Arc::clone(&transport),
            options,
            &worker,
            progress,
        )
        .await?;
        let counts = store.campaign_counts(campaign.id).await?;
        progress.finished(campaign, &report, &counts);
        total.sent += report.sent;
        total.deferred += report.deferred;
        total.failed += report.failed;
        total.bounced += report.bounced;
    }
    Ok(total)
}

/// The language `lang` names, checked against the workspace's.
pub fn language(workspace: &Workspace, lang: Option<&str>) -> Result<Option<weekly_model::Lang>> {
    lang.map(|l| crate::editions::resolve_lang(workspace, Some(l)))
        .transpose()
}

/// Writes the messages of issue `number` in `langs` to everyone who would get them now, as
/// `.eml` files under `dir`; returns how many.
pub async fn write_outbox(
    workspace: &Workspace,
    archive: &Archive,
    store: &Store,
    number: u32,
    langs: &[weekly_model::Lang],
    dir: &Path,
) -> Result<usize> {
    let from = crate::mail::file_sender(&workspace.config.smtp)?;
    let personaliser = Personaliser::new(workspace, from)?;
    let transport = FolderTransport {
        dir: dir.to_owned(),
    };
    let now = chrono::Utc::now();
    let mut written = 0;
    // Every edition is rendered before a file is written.
    for new in crate::campaign::render_campaigns(workspace, archive, number, langs)? {
        let campaign = Campaign {
            id: 0,
            issue: new.issue,
            lang: new.lang.clone(),
            tier: new.tier,
            subject: new.subject.clone(),
            body_text: new.body_text.clone(),
            body_html: new.body_html.clone(),
            created_at: String::new(),
            finished_at: None,
        };
        let audience = audience(workspace, &new.lang, now);
        let mut after = 0;
        loop {
            let page = store
                .audience_page(&new.lang, new.tier, &audience, after, 500)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for recipient in &page {
                let message = personaliser.message(&campaign, recipient)?;
                let name = crate::sender::message_name(&campaign, recipient);
                transport.deliver(&recipient.email, &name, message).await?;
                written += 1;
            }
        }
    }
    Ok(written)
}

/// One test mail sent by [`send_test`].
#[derive(Debug, Clone)]
pub struct TestMail {
    /// The campaign's language.
    pub lang: String,
    /// Its tier.
    pub tier: weekly_store::Tier,
    /// The subject as sent (with its `[test]` mark).
    pub subject: String,
}

/// Sends every campaign mail of issue `number` (each language of `langs`, both tiers) to
/// `to` through the workspace's SMTP server, as its subscribers would get it, its subject
/// marked `[test]`; records nothing (no campaign, no delivery), so the real send is untouched.
pub async fn send_test(
    workspace: &Workspace,
    number: u32,
    lang: Option<&str>,
    to: &str,
) -> Result<Vec<TestMail>> {
    let address =
        weekly_model::email::Email::parse(to).map_err(|e| anyhow::anyhow!("`{to}`: {e}"))?;
    let url = workspace.env.get(environment::SMTP_URL);
    let password = workspace.env.get(environment::SMTP_PASSWORD);
    let Some((pool, from)) =
        crate::smtp_pool::campaign_pool(&workspace.config.smtp, url, password)?
    else {
        bail!(
            "no mail server: set `[smtp] host` in weekly.toml (or WEEKLY_SMTP_URL);              `weekly render {number} --edition email --to {to}` shows the mail without one"
        );
    };
    let archive = Archive::load(workspace)?;
    let only = language(workspace, lang)?;
    let langs = campaign_languages(workspace, &archive, number, only.as_ref())?;
    let personaliser = Personaliser::new(workspace, from)?;
    // Every mail is made before the first is sent.
    let mut messages = Vec::new();
    for new in crate::campaign::render_campaigns(workspace, &archive, number, &langs)? {
        let campaign = Campaign {
            id: 0,
            issue: new.issue,
            lang: new.lang.clone(),
            tier: new.tier,
            subject: format!("[test] {}", new.subject),
            body_text: new.body_text.clone(),
            body_html: new.body_html.clone(),
            created_at: String::new(),
            finished_at: None,
        };
        // No subscriber: the links are signed for nobody and open nothing.
        let recipient = weekly_store::Claimed {
            id: 0,
            subscriber_id: 0,
            email: address.as_str().to_owned(),
            attempts: 1,
            link_key: String::new(),
        };
        let message = personaliser.message(&campaign, &recipient)?;
        messages.push((campaign, message));
    }
    let mut sent = Vec::new();
    for (campaign, message) in messages {
        let name = format!("{number}.{}.{}.test", campaign.lang, campaign.tier.as_str());
        pool.deliver(address.as_str(), &name, message)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "the mail server refused the {} {} test mail: {e}",
                    campaign.lang,
                    campaign.tier.as_str()
                )
            })?;
        sent.push(TestMail {
            lang: campaign.lang,
            tier: campaign.tier,
            subject: campaign.subject,
        });
    }
    Ok(sent)
}
