//! Campaigns of an issue: one per language and tier, its content rendered once with
//! placeholders for the recipient's own links and stored with the campaign (so a resumed or a
//! second worker sends what the first one did), then made into each recipient's message.

use crate::archive::Archive;
use crate::email_edition::{RecipientLinks, Tier, email_edition};
use crate::environment;
use crate::mail::{ListHeaders, message_to_list};
use crate::tokens::{MAIL_LINK_SECONDS, Purpose, Secret};
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use lettre::Message;
use lettre::message::Mailbox;
use weekly_model::Lang;
use weekly_site::markdown::escape;
use weekly_store::{Audience, Campaign, Claimed, NewCampaign, OutboxMail, Store};

/// Stands for the recipient's preferences link in a stored campaign.
const PREFERENCES: &str = "%%weekly-preferences-link%%";
/// Stands for the recipient's unsubscribe link in a stored campaign.
const UNSUBSCRIBE: &str = "%%weekly-unsubscribe-link%%";

/// The languages an issue goes out in: `only`, or every language of the newsletter that has
/// an edition of the issue.
pub fn campaign_languages(
    workspace: &Workspace,
    archive: &Archive,
    number: u32,
    only: Option<&Lang>,
) -> Result<Vec<Lang>> {
    let issue = archive
        .issue(number)
        .with_context(|| format!("there is no issue #{number} in the archive"))?;
    let mut out = Vec::new();
    for lang in &workspace.config.languages {
        if only.is_some_and(|o| o != lang) {
            continue;
        }
        if issue.best(lang).is_some() {
            out.push(lang.clone());
        }
    }
    if out.is_empty() {
        match only {
            Some(lang) => bail!("issue #{number} has no `{lang}` edition to send"),
            None => bail!("issue #{number} has no edition to send"),
        }
    }
    Ok(out)
}

/// The campaign of `number` in `lang` for `tier`, rendered now (not stored).
pub fn render_campaign(
    workspace: &Workspace,
    archive: &Archive,
    number: u32,
    lang: &Lang,
    tier: Tier,
) -> Result<NewCampaign> {
    let issue = archive
        .issue(number)
        .with_context(|| format!("there is no issue #{number} in the archive"))?;
    let links = RecipientLinks {
        preferences: PREFERENCES.to_owned(),
        unsubscribe: UNSUBSCRIBE.to_owned(),
    };
    let edition = email_edition(workspace, issue, lang, tier, archive.latest(), &links)?;
    Ok(NewCampaign {
        issue: number,
        lang: lang.as_str().to_owned(),
        tier,
        subject: edition.subject,
        body_text: edition.text,
        body_html: edition.html,
    })
}

/// Who gets `lang` for a campaign created `now`.
pub fn audience(workspace: &Workspace, lang: &str, now: chrono::DateTime<chrono::Utc>) -> Audience {
    Audience {
        primary: workspace.config.primary_language.as_str() == lang,
        today: now.format("%Y-%m-%d").to_string(),
    }
}

/// Creates (or finds) the campaigns of `number` in `langs`, both tiers, with their snapshots.
/// Returns them with whether each is new.
pub async fn create_campaigns(
    workspace: &Workspace,
    archive: &Archive,
    store: &Store,
    number: u32,
    langs: &[Lang],
) -> Result<Vec<(Campaign, bool)>> {
    let now = chrono::Utc::now();
    let mut out = Vec::new();
    // Every edition is rendered before any campaign is stored: one that cannot be made
    // leaves none half-created.
    let tracking = workspace.config.tracking;
    let facts = if tracking.clicks {
        crate::tracking::LinkFacts::of(archive, number, store).await?
    } else {
        crate::tracking::LinkFacts::default()
    };
    for mut new in render_campaigns(workspace, archive, number, langs)? {
        let audience = audience(workspace, &new.lang, now);
        // `[tracking] clicks`: the links become placeholders, stored with the campaign.
        let mut links = Vec::new();
        if tracking.clicks {
            let (html, text, found) = crate::tracking::placeholders(
                &new.body_html,
                &new.body_text,
                &facts,
                tracking.opens,
            );
            (new.body_html, new.body_text, links) = (html, text, found);
        } else if tracking.opens {
            new.body_html = crate::tracking::with_open_pixel(&new.body_html);
        }
        let (campaign, fresh) = store
            .create_campaign(&new, &audience, &crate::database::stamp(now))
            .await?;
        if !links.is_empty() {
            store.set_campaign_links(campaign.id, &links).await?;
        }
        out.push((campaign, fresh));
    }
    Ok(out)
}

/// The campaigns of `number` in `langs`, both tiers, rendered (not stored); an error when
/// any of them cannot be made.
pub fn render_campaigns(
    workspace: &Workspace,
    archive: &Archive,
    number: u32,
    langs: &[Lang],
) -> Result<Vec<NewCampaign>> {
    let mut out = Vec::new();
    for lang in langs {
        for tier in [Tier::Free, Tier::Paid] {
            out.push(render_campaign(workspace, archive, number, lang, tier)?);
        }
    }
    Ok(out)
}

/// What every message of a campaign shares: the sender, the list headers, the secret that
/// signs the links and where the links point.
#[derive(Debug, Clone)]
pub struct Personaliser {
    /// The sender.
    pub from: Mailbox,
    /// `List-Id` and the `mailto:` unsubscribe.
    pub list: ListHeaders,
    /// Signs the recipient's links.
    pub secret: Secret,
    /// Where the links point (`[server] public_url` or `base_url`).
    pub links_base: String,
    /// Until when the links work (unix seconds).
    pub links_until: i64,
    /// Signs each message, when `[smtp] dkim_key` is set.
    pub dkim: Option<std::sync::Arc<lettre::message::dkim::DkimConfig>>,
    /// `[tracking] per_subscriber`: click tokens name their subscriber.
    pub per_subscriber: bool,
}

impl Personaliser {
    /// The personaliser of `workspace`, sending as `from`.
    pub fn new(workspace: &Workspace, from: Mailbox) -> Result<Personaliser> {
        let secret = Secret::of_workspace(&workspace.root, workspace.env.get(environment::SECRET))?;
        Ok(Personaliser {
            list: ListHeaders::of(&workspace.config.smtp, workspace.config.primary_name()),
            secret,
            links_base: workspace.config.links_base(),
            links_until: chrono::Utc::now().timestamp() + MAIL_LINK_SECONDS,
            dkim: dkim_config(workspace, &from)?.map(std::sync::Arc::new),
            per_subscriber: workspace.config.tracking.per_subscriber,
            from,
        })
    }

    /// The message of `campaign` for `recipient`, with their own links.
    pub fn message(&self, campaign: &Campaign, recipient: &Claimed) -> Result<Message> {
        let id = recipient.subscriber_id;
        // The pages these links open speak the campaign's language.
        let preferences = format!(
            "{}/preferences?token={}&lang={}",
            self.links_base,
            self.secret.token(
                id,
                &recipient.link_key,
                Purpose::Preferences,
                self.links_until
            ),
            campaign.lang
        );
        let unsubscribe = format!(
            "{}/unsubscribe?token={}&lang={}",
            self.links_base,
            self.secret.token(
                id,
                &recipient.link_key,
                Purpose::Unsubscribe,
                self.links_until
            ),
            campaign.lang
        );
        // Tracked links (`[tracking]`), signed for this message.
        let sent = chrono::Utc::now().timestamp();
        let subscriber = self.per_subscriber.then_some(id);
        let fill = |text: &str, html: bool| {
            let (p, u) = if html {
                (escape(&preferences), escape(&unsubscribe))
            } else {
                (preferences.clone(), unsubscribe.clone())
            };
            let text = crate::tracking::fill(
                text,
                &self.secret,
                &self.links_base,
                campaign.id,
                sent,
                subscriber,
            );
            text.replace(PREFERENCES, &p).replace(UNSUBSCRIBE, &u)
        };
        let mail = OutboxMail {
            kind: "issue".into(),
            recipient: recipient.email.clone(),
            subject: campaign.subject.clone(),
            body_text: fill(&campaign.body_text, false),
            body_html: fill(&campaign.body_html, true),
            list_unsubscribe: unsubscribe.clone(),
        };
        let mut message = message_to_list(&self.from, &mail, Some(&self.list))?;
        // A stored campaign's message carries a Message-ID that names its recipient row and
        // that only we can make: a bounce report counts only when it quotes one (`bounces`).
        // A dry run's (campaign 0, never sent) keeps a random one.
        if campaign.id > 0 {
            let domain = self.from.email.domain();
            let domain = if domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b))
            {
                domain
            } else {
                "localhost"
            };
            let id = self.secret.message_id(campaign.id, recipient.id, domain);
            message
                .headers_mut()
                .set(lettre::message::header::MessageId::from(format!("<{id}>")));
        }
        if let Some(dkim) = &self.dkim {
            message.sign(dkim);
        }
        Ok(message)
    }
}

/// The DKIM signer of `[smtp] dkim_key` and `dkim_selector` for the domain of `from`: an
/// RSA key in PKCS#1 PEM (`openssl genrsa -traditional`) or an Ed25519 key as the base64 of its
/// 32 bytes. `None` when no key is set. The signature covers the headers a receiver checks,
/// `List-Unsubscribe` and `List-Unsubscribe-Post` among them (RFC 8058 asks for that).
pub fn dkim_config(
    workspace: &Workspace,
    from: &Mailbox,
) -> Result<Option<lettre::message::dkim::DkimConfig>> {
    use lettre::message::dkim::{
        DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
        DkimSigningKey,
    };
    use lettre::message::header::HeaderName;
    let smtp = &workspace.config.smtp;
    let file = smtp.dkim_key.trim();
    if file.is_empty() {
        return Ok(None);
    }
    let selector = smtp.dkim_selector.trim();
    if selector.is_empty()
        || !selector
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        bail!(
            "`[smtp] dkim_selector` must be set to the selector of the key's DNS record (letters, digits, `-`, `.`)"
        );
    }
    let path = workspace.root.join(file);
    let root = workspace
        .root
        .canonicalize()
        .with_context(|| format!("cannot open the workspace `{}`", workspace.root.display()))?;
    // A key file must be the workspace's own: no link out of it is followed.
    let text = crate::files::read_text_inside(&root, &path)
        .with_context(|| format!("`[smtp] dkim_key = \"{file}\"`"))?;
    let text = text.trim();
    let algorithm = if text.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
        DkimSigningAlgorithm::Rsa
    } else if text.starts_with("-----") {
        bail!(
            "`{file}`: an RSA key must be PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`, made by `openssl genrsa -traditional 2048`)"
        );
    } else {
        DkimSigningAlgorithm::Ed25519
    };
    let key = DkimSigningKey::new(text, algorithm)
        .map_err(|e| anyhow::anyhow!("`{file}` is not a usable DKIM key: {e}"))?;
    let headers = [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "List-Id",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "MIME-Version",
    ]
    .into_iter()
    .map(HeaderName::new_from_ascii_str)
    .collect();
    Ok(Some(DkimConfig::new(
        selector.to_owned(),
        from.email.domain().to_owned(),
        key,
        headers,
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    )))
}
