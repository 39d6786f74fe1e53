//! `weekly report`: what readers did, from the counts `weekly server` keeps (`[tracking]`) and
//! the subscriber list — per campaign (sent, bounced, unsubscribed after it, opens at least,
//! clicks per link, section and source), per season (the most-clicked links and sections), and
//! the list over time (sign-ups, confirmations, leavers by month, source and language; free →
//! paid). Values only: the front end prints them as text or JSON.

use crate::workspace::Workspace;
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use weekly_store::{LinkFigures, Store, SubscriberStatus, Tier};

/// A link's clicks.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LinkReport {
    /// Its place in the campaign.
    pub position: u32,
    /// Where it leads.
    pub url: String,
    /// Its entry's section key.
    pub section: String,
    /// Where it came from.
    pub source: String,
    /// Readers' clicks.
    pub clicks: i64,
    /// Mail scanners' requests, kept apart.
    pub scanner: i64,
}

/// One campaign.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignReport {
    /// Its id.
    pub id: i64,
    /// The issue.
    pub issue: u32,
    /// Its language.
    pub lang: String,
    /// `free` or `paid`.
    pub tier: String,
    /// Messages the mail server took.
    pub sent: i64,
    /// Addresses that refused it for good.
    pub bounced: i64,
    /// Recipients who have left the list since it was made.
    pub unsubscribed_after: i64,
    /// Opens, at least (mail clients that load no image are not counted).
    pub opens_at_least: i64,
    /// Readers' clicks on its links.
    pub clicks: i64,
    /// Mail scanners' requests.
    pub scanner: i64,
    /// Each link.
    pub links: Vec<LinkReport>,
    /// Readers' clicks per section.
    pub sections: BTreeMap<String, i64>,
    /// Readers' clicks per source.
    pub sources: BTreeMap<String, i64>,
}

impl CampaignReport {
    /// The links readers or scanners followed, the most clicked first.
    pub fn followed(&self) -> Vec<&LinkReport> {
        let mut links: Vec<&LinkReport> = self
            .links
            .iter()
            .filter(|l| l.clicks > 0 || l.scanner > 0)
            .collect();
        links.sort_by(|a, b| b.clicks.cmp(&a.clicks).then(a.position.cmp(&b.position)));
        links
    }
}

/// One season's most-clicked.
#[derive(Debug, Clone, Serialize)]
pub struct SeasonReport {
    /// The season.
    pub season: u32,
    /// Readers' clicks in it.
    pub clicks: i64,
    /// Its most-clicked links (at most ten), clicks summed over languages and tiers.
    pub top_links: Vec<(String, i64)>,
    /// Clicks per section, most first.
    pub sections: Vec<(String, i64)>,
}

/// A month of the list.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// New addresses.
    pub sign_ups: i64,
    /// Of those, confirmed.
    pub confirmed: i64,
    /// Who left (unsubscribed, bounced or complained) in the month.
    pub left: i64,
    /// The month's sign-ups by where they signed up (`-`: unknown).
    pub by_source: BTreeMap<String, i64>,
    /// The month's sign-ups by language.
    pub by_language: BTreeMap<String, i64>,
    /// Of the month's sign-ups, those paying now.
    pub paying_now: i64,
}

/// The list over time.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Growth {
    /// By month, oldest first.
    pub months: Vec<Month>,
    /// Confirmed subscribers by where they signed up.
    pub by_source: BTreeMap<String, i64>,
    /// Confirmed subscribers by language.
    pub by_language: BTreeMap<String, i64>,
    /// Confirmed subscribers.
    pub confirmed: i64,
    /// Of those, paying.
    pub paid: i64,
    /// Paying ÷ confirmed, in percent (two decimals).
    pub paid_percent: f64,
}

/// Page views of the site, by issue page (`[tracking] page_views`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Views {
    /// The page's language.
    pub lang: String,
    /// The issue (0: the home page).
    pub issue: u32,
    /// Readers' views.
    pub readers: i64,
    /// Robots' requests.
    pub bots: i64,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Campaigns, the latest first.
    pub campaigns: Vec<CampaignReport>,
    /// Seasons with clicks.
    pub seasons: Vec<SeasonReport>,
    /// The list.
    pub subscribers: Growth,
    /// Page views.
    pub views: Vec<Views>,
}

/// The report of every campaign, or of issue `only`'s.
pub async fn report(workspace: &Workspace, store: &Store, only: Option<u32>) -> Result<Report> {
    let figures = store.link_figures().await?;
    let opens: BTreeMap<i64, i64> = store
        .open_figures()
        .await?
        .into_iter()
        .map(|(id, opens, _)| (id, opens))
        .collect();
    let mut campaigns = Vec::new();
    let mut season_links: BTreeMap<u32, Vec<(&LinkFigures, u32)>> = BTreeMap::new();
    for campaign in store.campaigns(false).await? {
        let mine: Vec<&LinkFigures> = figures
            .iter()
            .filter(|f| f.campaign_id == campaign.id)
            .collect();
        season_links
            .entry(workspace.config.seasons.of(campaign.issue))
            .or_default()
            .extend(mine.iter().map(|f| (*f, campaign.issue)));
        if only.is_some_and(|n| n != campaign.issue) {
            continue;
        }
        let counts = store.campaign_counts(campaign.id).await?;
        let mut sections = BTreeMap::new();
        let mut sources = BTreeMap::new();
        for f in &mine {
            if !f.link.section.is_empty() {
                *sections.entry(f.link.section.clone()).or_insert(0) += f.human;
            }
            if !f.link.source.is_empty() {
                *sources.entry(f.link.source.clone()).or_insert(0) += f.human;
            }
        }
        campaigns.push(CampaignReport {
            id: campaign.id,
            issue: campaign.issue,
            lang: campaign.lang.clone(),
            tier: match campaign.tier {
                Tier::Free => "free",
                Tier::Paid => "paid",
            }
            .to_owned(),
            sent: counts.sent,
            bounced: counts.failed,
            unsubscribed_after: store.left_after(campaign.id).await?,
            opens_at_least: opens.get(&campaign.id).copied().unwrap_or(0),
            clicks: mine.iter().map(|f| f.human).sum(),
            scanner: mine.iter().map(|f| f.scanner).sum(),
            links: mine
                .iter()
                .map(|f| LinkReport {
                    position: f.link.position,
                    url: f.link.url.clone(),
                    section: f.link.section.clone(),
                    source: f.link.source.clone(),
                    clicks: f.human,
                    scanner: f.scanner,
                })
                .collect(),
            sections,
            sources,
        });
    }
    let seasons = season_links
        .into_iter()
        .filter(|(season, _)| only.is_none_or(|n| workspace.config.seasons.of(n) == *season))
        .map(|(season, links)| {
            let mut by_url: BTreeMap<String, i64> = BTreeMap::new();
            let mut by_section: BTreeMap<String, i64> = BTreeMap::new();
            for (f, _) in &links {
                *by_url.entry(f.link.url.clone()).or_insert(0) += f.human;
                if !f.link.section.is_empty() {
                    *by_section.entry(f.link.section.clone()).or_insert(0) += f.human;
                }
            }
            let most = |map: BTreeMap<String, i64>, n: usize| {
                let mut v: Vec<(String, i64)> = map.into_iter().filter(|(_, c)| *c > 0).collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                v.truncate(n);
                v
            };
            SeasonReport {
                season,
                clicks: links.iter().map(|(f, _)| f.human).sum(),
                top_links: most(by_url, 10),
                sections: most(by_section, usize::MAX),
            }
        })
        .collect();
    let mut views: BTreeMap<(String, u32), (i64, i64)> = BTreeMap::new();
    for (key, count) in store.page_views().await? {
        let entry = views.entry((key.lang, key.issue)).or_default();
        if key.kind == "bot" {
            entry.1 += count;
        } else {
            entry.0 += count;
        }
    }
    Ok(Report {
        campaigns,
        seasons,
        subscribers: growth(store).await?,
        views: views
            .into_iter()
            .filter(|((_, issue), _)| only.is_none_or(|n| n == *issue))
            .map(|((lang, issue), (readers, bots))| Views {
                lang,
                issue,
                readers,
                bots,
            })
            .collect(),
    })
}

/// The list over time, from every subscriber row.
async fn growth(store: &Store) -> Result<Growth> {
    let mut months: BTreeMap<String, Month> = BTreeMap::new();
    let mut out = Growth::default();
    let month_of = |stamp: &str| stamp.get(..7).unwrap_or("").to_owned();
    for s in store.subscribers(None).await? {
        let source = if s.source.is_empty() {
            "-".to_owned()
        } else {
            s.source.clone()
        };
        let m = months.entry(month_of(&s.created_at)).or_default();
        m.sign_ups += 1;
        *m.by_source.entry(source.clone()).or_insert(0) += 1;
        for lang in s.languages.split_whitespace() {
            *m.by_language.entry(lang.to_owned()).or_insert(0) += 1;
        }
        if s.tier == Tier::Paid && s.status == SubscriberStatus::Confirmed {
            m.paying_now += 1;
        }
        match s.status {
            SubscriberStatus::Confirmed => {
                m.confirmed += 1;
                out.confirmed += 1;
                if s.tier == Tier::Paid {
                    out.paid += 1;
                }
                *out.by_source.entry(source).or_insert(0) += 1;
                for lang in s.languages.split_whitespace() {
                    *out.by_language.entry(lang.to_owned()).or_insert(0) += 1;
                }
            }
            SubscriberStatus::Pending => {}
            _ => {
                m.confirmed += 1;
                months.entry(month_of(&s.updated_at)).or_default().left += 1;
            }
        }
    }
    out.months = months
        .into_iter()
        .map(|(month, m)| Month { month, ..m })
        .collect();
    out.paid_percent = if out.confirmed > 0 {
        (out.paid as f64 * 10_000.0 / out.confirmed as f64).round() / 100.0
    } else {
        0.0
    };
    Ok(out)
}
