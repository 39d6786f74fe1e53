//! The double opt-in rules of a mailing list, for any front end (`weekly server`'s forms, an
//! API, a test): a sign-up stores a pending subscriber and queues the confirmation mail in one
//! transaction (the same answer whether the address is new, confirmed or just mailed); a
//! confirmation link confirms a pending address and nothing else; an unsubscribe link takes
//! the address off the list. Links are checked against the row they name (see `tokens`).

use crate::mail_texts::MailText;
use crate::tokens::{Checked, MAIL_LINK_SECONDS, Purpose, Refused, Secret};
use crate::workspace::Workspace;
use anyhow::Result;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use weekly_model::Lang;
use weekly_model::email::Email;
use weekly_store::{NewSubscriber, OutboxMail, Store, StoreError, Subscriber, SubscriberStatus};

/// How long a confirmation link works.
pub const CONFIRM_SECONDS: i64 = 7 * 24 * 3600;
/// How long after a confirmation mail another one may be sent to the same address.
pub const RESEND_COOL_DOWN: chrono::Duration = chrono::Duration::minutes(10);

/// A sign-up as a reader sent it.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct SignUp {
    /// The address.
    #[serde(default)]
    pub email: String,
    /// The languages asked for (codes); unknown ones are left out.
    #[serde(default)]
    pub lang: Vec<String>,
    /// The honeypot: hidden from people, filled by bots.
    #[serde(default)]
    pub website: String,
}

/// What became of a sign-up.
#[derive(Debug, PartialEq, Eq)]
pub enum SignedUp {
    /// Stored (or found) and, when pending, mailed: "check your inbox". A bot that filled the
    /// honeypot gets this answer too, and nothing happens.
    CheckYourInbox,
    /// The address is not an e-mail address.
    NotAnAddress,
}

/// What became of a confirmation or an unsubscription.
#[derive(Debug)]
pub enum Decided {
    /// Done (or done already): the subscriber as stored.
    Done(Box<Subscriber>),
    /// The address left the list since the link was sent: the link no longer works.
    Gone,
    /// The link is not valid for anyone we have.
    Refused(Refused),
}

/// A link could not be checked, or a sign-up kept, because the database failed.
#[derive(Debug)]
pub struct DatabaseDown(pub StoreError);

impl std::fmt::Display for DatabaseDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the database failed: {}", self.0)
    }
}

impl std::error::Error for DatabaseDown {}

/// The list of a workspace: its store, its secret, and what a confirmation mail says.
#[allow(missing_debug_implementations)] // holds the secret
pub struct List {
    store: Store,
    secret: Secret,
    public_url: String,
    name: HashMap<Lang, String>,
    languages: Vec<Lang>,
    primary: Lang,
    confirm_texts: HashMap<Lang, MailText>,
    /// The welcome mail per language, when the workspace writes one
    /// (`templates/mail/welcome.LANG.txt` or `welcome.txt`).
    welcome_texts: HashMap<Lang, MailText>,
    urls: weekly_site::urls::Urls,
}

impl List {
    /// The list of `workspace` over `store`; every mail text is read (and checked) now, so a
    /// broken template stops the start, not a sign-up.
    pub fn new(workspace: &Workspace, store: Store) -> Result<List> {
        let config = &workspace.config;
        let mut confirm_texts = HashMap::new();
        let mut welcome_texts = HashMap::new();
        for lang in &config.languages {
            confirm_texts.insert(
                lang.clone(),
                crate::mail_texts::load(workspace, "confirm", lang)?,
            );
            if let Some(text) = crate::mail_texts::load_own(workspace, "welcome", lang)? {
                welcome_texts.insert(lang.clone(), text);
            }
        }
        Ok(List {
            store,
            secret: Secret::of(workspace)?,
            public_url: config.links_base(),
            name: config.name.clone().into_iter().collect(),
            languages: config.languages.clone(),
            primary: config.primary_language.clone(),
            confirm_texts,
            welcome_texts,
            urls: weekly_site::urls::Urls::new(&config.base_url, &config.primary_language),
        })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The secret that signs the list's links.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// Signs up `form` from `client` (an IP address, kept as the consent's origin) at `now`.
    pub async fn sign_up(
        &self,
        form: &SignUp,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<SignedUp, DatabaseDown> {
        if !form.website.trim().is_empty() {
            return Ok(SignedUp::CheckYourInbox);
        }
        let Ok(email) = Email::parse(&form.email) else {
            return Ok(SignedUp::NotAnAddress);
        };
        let mut languages: Vec<&Lang> = self
            .languages
            .iter()
            .filter(|l| form.lang.iter().any(|c| c == l.as_str()))
            .collect();
        if languages.is_empty() {
            languages.push(&self.primary);
        }
        let stamp = crate::database::stamp;
        let row = NewSubscriber {
            email_key: email.key(),
            email: email.as_str().to_owned(),
            name: String::new(),
            languages: languages
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(","),
            tier: weekly_store::Tier::Free,
            paid_until: None,
            status: SubscriberStatus::Pending,
            source: "form".into(),
            consent_at: stamp(now),
            consent_ip: client.to_owned(),
            consent_via: "form".into(),
        };
        let lang = languages[0];
        let name = self
            .name
            .get(lang)
            .or_else(|| self.name.get(&self.primary))
            .cloned()
            .unwrap_or_default();
        // One call, the same statements whether the address is new, confirmed, or had its
        // mail a moment ago (`RESEND_COOL_DOWN`): the store decides inside them, and the
        // answer is the same. The mail is made from the row as stored (its id and link key
        // sign the link) and queued in the same transaction: a sign-up is never kept without
        // its mail.
        let mail = |stored: &Subscriber| {
            if stored.status != SubscriberStatus::Pending {
                return None;
            }
            let token = self.secret.token(
                stored.id,
                &stored.link_key,
                Purpose::Confirm,
                now.timestamp() + CONFIRM_SECONDS,
            );
            // The page the link opens speaks the language of the mail.
            let link = format!("{}/confirm?token={token}&lang={lang}", self.public_url);
            let (subject, text) = self.confirm_texts.get(lang).map_or_else(
                || (String::new(), String::new()),
                |t| t.fill(&[("name", &name), ("link", &link)]),
            );
            Some(OutboxMail {
                kind: "confirm".into(),
                recipient: stored.email.clone(),
                subject,
                body_text: text,
                body_html: String::new(),
                list_unsubscribe: String::new(),
            })
        };
        let resend_after = stamp(now - RESEND_COOL_DOWN);
        self.store
            .sign_up(&row, &stamp(now), &resend_after, mail)
            .await
            .map_err(DatabaseDown)?;
        Ok(SignedUp::CheckYourInbox)
    }

    /// The subscriber `token` was made for, for `purpose`.
    pub async fn holder(
        &self,
        token: &str,
        purpose: Purpose,
    ) -> Result<Result<Subscriber, Refused>, DatabaseDown> {
        let now = Utc::now().timestamp();
        match crate::tokens::check(&self.store, &self.secret, token, purpose, now).await {
            Ok(subscriber) => Ok(Ok(subscriber)),
            Err(Checked::Refused(why)) => Ok(Err(why)),
            Err(Checked::Store(e)) => Err(DatabaseDown(e)),
        }
    }

    /// What a confirmation link's page shows, without confirming: the holder when its link
    /// is good and its address still on the list (pending or confirmed).
    pub async fn confirmation(&self, token: &str) -> Result<Decided, DatabaseDown> {
        Ok(match self.holder(token, Purpose::Confirm).await? {
            Err(why) => Decided::Refused(why),
            Ok(s)
                if matches!(
                    s.status,
                    SubscriberStatus::Pending | SubscriberStatus::Confirmed
                ) =>
            {
                Decided::Done(Box::new(s))
            }
            Ok(_) => Decided::Gone,
        })
    }

    /// Confirms the address of a confirmation link: a pending one becomes confirmed; one
    /// that left the list since is not brought back by an old link.
    pub async fn confirm(&self, token: &str, now: DateTime<Utc>) -> Result<Decided, DatabaseDown> {
        let subscriber = match self.holder(token, Purpose::Confirm).await? {
            Ok(s) => s,
            Err(why) => return Ok(Decided::Refused(why)),
        };
        match subscriber.status {
            SubscriberStatus::Confirmed => Ok(Decided::Done(Box::new(subscriber))),
            SubscriberStatus::Pending => {
                let welcome = self.welcome_mail(&subscriber);
                let changed = self
                    .store
                    .confirm_pending(
                        subscriber.id,
                        &crate::database::stamp(now),
                        welcome.as_ref(),
                    )
                    .await
                    .map_err(DatabaseDown)?;
                if changed {
                    return Ok(Decided::Done(Box::new(subscriber)));
                }
                // Another request confirmed (or removed) the address in between: say what
                // the row says now.
                Ok(match self.holder(token, Purpose::Confirm).await? {
                    Ok(s) if s.status == SubscriberStatus::Confirmed => Decided::Done(Box::new(s)),
                    Ok(_) => Decided::Gone,
                    Err(why) => Decided::Refused(why),
                })
            }
            _ => Ok(Decided::Gone),
        }
    }

    /// The welcome mail of `subscriber`, in their first language, when the workspace writes
    /// one for it; `{{ link }}` is the site's home page in that language.
    fn welcome_mail(&self, subscriber: &Subscriber) -> Option<OutboxMail> {
        let lang = subscriber
            .languages
            .split(',')
            .find_map(|code| self.languages.iter().find(|l| l.as_str() == code.trim()))
            .unwrap_or(&self.primary);
        let text = self.welcome_texts.get(lang)?;
        let name = self
            .name
            .get(lang)
            .or_else(|| self.name.get(&self.primary))
            .cloned()
            .unwrap_or_default();
        let home = self.urls.absolute(&self.urls.home(lang));
        let (subject, body_text) = text.fill(&[("name", &name), ("link", &home)]);
        Some(OutboxMail {
            kind: "welcome".into(),
            recipient: subscriber.email.clone(),
            subject,
            body_text,
            body_html: String::new(),
            list_unsubscribe: String::new(),
        })
    }

    /// Takes the address of an unsubscribe link off the list.
    pub async fn unsubscribe(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Decided, DatabaseDown> {
        let subscriber = match self.holder(token, Purpose::Unsubscribe).await? {
            Ok(s) => s,
            Err(why) => return Ok(Decided::Refused(why)),
        };
        let changed = self
            .store
            .set_status_by_id(
                subscriber.id,
                SubscriberStatus::Unsubscribed,
                &crate::database::stamp(now),
            )
            .await
            .map_err(DatabaseDown)?;
        Ok(if changed {
            Decided::Done(Box::new(subscriber))
        } else {
            Decided::Refused(Refused::Forged)
        })
    }

    /// A link to the preferences of `subscriber`, valid as long as a mailed link.
    pub fn preferences_token(&self, subscriber: &Subscriber) -> String {
        self.secret.token(
            subscriber.id,
            &subscriber.link_key,
            Purpose::Preferences,
            Utc::now().timestamp() + MAIL_LINK_SECONDS,
        )
    }
}
