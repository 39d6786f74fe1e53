//! The subscriber list as `weekly subscribers` keeps it: one address added from the command
//! line (confirmed, consent recorded as given there), one removed or forgotten, a CSV file
//! imported row by row in one transaction, and a subscriber as JSON.

use crate::database::stamp;
use crate::subscribers::{CsvRows, Format, RowError};
use crate::workspace::Workspace;
use anyhow::{Context, Result, anyhow, bail};
use chrono::Utc;
use std::path::Path;
use weekly_model::email::Email;
use weekly_model::shown::escape_controls;
use weekly_model::{IsoDate, Lang};
use weekly_store::{
    IMPORT_BATCH, Imported, NewSubscriber, Store, Subscriber, SubscriberStatus, Tier,
};

/// A subscriber given on the command line.
#[derive(Debug, Clone)]
pub struct AddSubscriber<'a> {
    pub email: &'a str,
    pub name: &'a str,
    /// Language codes (default: none given, the primary language).
    pub langs: &'a [String],
    /// `free` or `paid`.
    pub tier: &'a str,
    /// Last day of a paid subscription (`YYYY-MM-DD`), needed for `paid`.
    pub paid_until: Option<&'a str>,
}

/// What adding an address did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Added,
    /// It left before (unsubscribed, bounced, complained): not added again.
    KeptOut,
    Updated,
    /// Already subscribed as given.
    Already,
}

/// Adds (or updates) one subscriber; answers the address as stored and what was done.
pub async fn add(
    workspace: &Workspace,
    store: &Store,
    subscriber: &AddSubscriber<'_>,
) -> Result<(String, Added)> {
    let row = new_subscriber(workspace, subscriber)?;
    let email = row.email.clone();
    let done = store.import_subscribers(&[row], &stamp(Utc::now())).await?;
    let added = if done.added == 1 {
        Added::Added
    } else if done.kept_out == 1 {
        Added::KeptOut
    } else if done.updated == 1 {
        Added::Updated
    } else {
        Added::Already
    };
    Ok((email, added))
}

/// Unsubscribes `email` (kept, so that no import brings it back), or deletes it and its
/// consent record (`forget`); answers its key. An error when there is no such subscriber.
pub async fn remove(store: &Store, email: &str, forget: bool) -> Result<String> {
    let key = Email::parse(email)
        .map_err(|e| anyhow!("`{}`: {e}", escape_controls(email, false)))?
        .key();
    let done = if forget {
        store.forget_subscriber(&key).await?
    } else {
        store
            .set_subscriber_status(&key, SubscriberStatus::Unsubscribed, &stamp(Utc::now()))
            .await?
    };
    if !done {
        bail!("no subscriber `{key}`");
    }
    Ok(key)
}

/// A step of [`import`].
#[derive(Debug)]
pub enum ImportEvent<'a> {
    /// The file is read as this export format.
    Reading(Format),
    /// A row left out, and why.
    Skipped(&'a RowError),
}

/// What an import did.
#[derive(Debug)]
pub struct Import {
    /// Rows read well.
    pub good: usize,
    /// Rows left out.
    pub skipped: usize,
    /// What the store did with them; `None` in a dry run.
    pub done: Option<Imported>,
}

/// Imports the CSV file `file`: read row by row through a buffer and written in batches of
/// `IMPORT_BATCH`, in one transaction (a file with bytes that are not UTF-8 is refused whole,
/// at its line); a million rows never stand in memory at once. `dry_run` reads and writes
/// nothing.
pub async fn import(
    workspace: &Workspace,
    store: &Store,
    file: &Path,
    dry_run: bool,
    told: &mut dyn FnMut(ImportEvent<'_>),
) -> Result<Import> {
    let now = stamp(Utc::now());
    let shown = file.display().to_string();
    let opened = std::fs::File::open(file).with_context(|| format!("cannot read `{shown}`"))?;
    let source = file
        .file_name()
        .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    let mut rows = CsvRows::new(
        std::io::BufReader::with_capacity(64 << 10, opened),
        &source,
        &workspace.config.languages,
        &now,
    )?;
    told(ImportEvent::Reading(rows.format()));
    let mut import = if dry_run {
        None
    } else {
        Some(store.begin_import(&now).await?)
    };
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    let (mut good, mut skipped) = (0_usize, 0_usize);
    loop {
        let row = rows.next_row()?;
        let at_end = row.is_none();
        match row {
            Some(Ok(row)) => {
                good += 1;
                batch.push(row);
            }
            Some(Err(e)) => {
                skipped += 1;
                told(ImportEvent::Skipped(&e));
            }
            None => {}
        }
        if batch.len() >= IMPORT_BATCH || at_end && !batch.is_empty() {
            if let Some(import) = &mut import {
                import.add(&batch).await?;
            }
            batch.clear();
        }
        if at_end {
            break;
        }
    }
    let done = match import {
        None => None,
        Some(import) => Some(import.commit().await?),
    };
    Ok(Import {
        good,
        skipped,
        done,
    })
}

/// A subscriber given on the command line.
fn new_subscriber(workspace: &Workspace, given: &AddSubscriber<'_>) -> Result<NewSubscriber> {
    let email = Email::parse(given.email)
        .map_err(|e| anyhow!("`{}`: {e}", escape_controls(given.email, false)))?;
    if given.name.chars().any(char::is_control) {
        bail!("the name has a line break or a control character");
    }
    let config = &workspace.config;
    let mut languages = Vec::new();
    for code in given
        .langs
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
    {
        let lang = Lang::new(code)
            .filter(|l| config.languages.contains(l))
            .ok_or_else(|| anyhow!("`--lang {code}` is not a language of weekly.toml"))?;
        languages.push(lang.to_string());
    }
    let Some(tier) = Tier::parse(given.tier) else {
        bail!("`--tier {}`: use `free` or `paid`", given.tier);
    };
    let paid_until = match given.paid_until {
        Some(text) => Some(
            IsoDate::parse(text)
                .ok_or_else(|| anyhow!("`--paid-until {text}` is not a date like 2027-01-31"))?
                .to_string(),
        ),
        None if tier == Tier::Paid => bail!("`--tier paid` needs `--paid-until YYYY-MM-DD`"),
        None => None,
    };
    let now = stamp(Utc::now());
    Ok(NewSubscriber {
        email_key: email.key(),
        email: email.as_str().to_owned(),
        name: given.name.to_owned(),
        languages: languages.join(","),
        tier,
        paid_until,
        status: SubscriberStatus::Confirmed,
        source: "cli".into(),
        consent_at: now,
        consent_ip: String::new(),
        consent_via: "cli".into(),
    })
}

/// A subscriber as JSON (`languages` as a list, the consent as an object).
pub fn json(s: &Subscriber) -> serde_json::Value {
    let languages: Vec<&str> = s.languages.split(',').filter(|l| !l.is_empty()).collect();
    serde_json::json!({
        "id": s.id,
        "email": s.email,
        "name": s.name,
        "status": s.status.as_str(),
        "tier": s.tier.as_str(),
        "paid_until": s.paid_until,
        "languages": languages,
        "source": s.source,
        "consent": {"at": s.consent_at, "ip": s.consent_ip, "via": s.consent_via},
        "created_at": s.created_at,
    })
}
