//! Bounces that come back later as delivery-status notifications (RFC 3464): read from a
//! Maildir or an mbox file, each report's recipients and statuses taken out, and a permanent
//! failure (`Action: failed`, status 5.x.x) marks the subscriber bounced.

use anyhow::{Context, Result};
use mail_parser::{MessageParser, MimeHeaders};
use std::path::Path;
use weekly_store::Store;

/// One recipient of a delivery-status notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The address (`Final-Recipient`, or `Original-Recipient`).
    pub address: String,
    /// `failed`, `delayed`, `delivered`, `relayed` or `expanded`.
    pub action: String,
    /// The status code, such as `5.1.1`.
    pub status: String,
}

impl Recipient {
    /// A permanent failure: the address will not take mail.
    pub fn is_hard(&self) -> bool {
        self.action.eq_ignore_ascii_case("failed") && self.status.starts_with('5')
    }
}

/// Messages larger than this are not reports (they are skipped unread).
const LARGEST: usize = 10 << 20;

/// The recipients a message reports on, or `None` when it is no delivery-status notification.
pub fn report_of(raw: &[u8]) -> Option<Vec<Recipient>> {
    let message = MessageParser::default().parse(raw)?;
    let part = message.parts.iter().find(|part| {
        part.content_type().is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("message")
                && ct.subtype().is_some_and(|s| {
                    s.eq_ignore_ascii_case("delivery-status")
                        || s.eq_ignore_ascii_case("global-delivery-status")
                })
        })
    })?;
    let text = String::from_utf8_lossy(part.contents()).replace("\r\n", "\n");
    let mut out = Vec::new();
    // The first group is about the message; each following one about a recipient.
    for group in text.split("\n\n").skip(1) {
        let mut recipient = Recipient {
            address: String::new(),
            action: String::new(),
            status: String::new(),
        };
        let mut original = String::new();
        for line in group.lines() {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            // `rfc822; someone@example.org`
            let address = || {
                value
                    .split_once(';')
                    .map_or(value, |(_, a)| a)
                    .trim()
                    .trim_matches(['<', '>'])
                    .to_owned()
            };
            match name.trim().to_ascii_lowercase().as_str() {
                "final-recipient" => recipient.address = address(),
                "original-recipient" => original = address(),
                "action" => recipient.action = value.to_ascii_lowercase(),
                "status" => {
                    value
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .clone_into(&mut recipient.status);
                }
                _ => {}
            }
        }
        if recipient.address.is_empty() {
            recipient.address = original;
        }
        if !recipient.address.is_empty() && !recipient.action.is_empty() {
            out.push(recipient);
        }
    }
    Some(out)
}

/// What an import found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BounceSummary {
    /// Messages read.
    pub messages: usize,
    /// Of those, delivery-status notifications.
    pub reports: usize,
    /// Permanent failures reported.
    pub hard: usize,
    /// Subscribers marked bounced now.
    pub marked: usize,
    /// Temporary failures and delays (nothing done).
    pub soft: usize,
    /// Permanent failures for addresses that are no subscriber.
    pub unknown: usize,
}

/// The raw messages of a Maildir (`cur/` and `new/`) or an mbox file at `path`.
pub fn read_mailbox(path: &Path, each: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if meta.is_dir() {
        let mut found = false;
        for sub in ["new", "cur"] {
            let dir = path.join(sub);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            found = true;
            let mut files: Vec<_> = entries.filter_map(Result::ok).collect();
            files.sort_by_key(std::fs::DirEntry::file_name);
            for entry in files {
                // Regular files only: a link in a mailbox is not followed.
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if !kind.is_file()
                    || entry
                        .metadata()
                        .map_or(true, |m| m.len() as usize > LARGEST)
                {
                    continue;
                }
                let raw = std::fs::read(entry.path())
                    .with_context(|| format!("cannot read `{}`", entry.path().display()))?;
                each(&raw)?;
            }
        }
        anyhow::ensure!(
            found,
            "`{}` is a folder but no Maildir (it has no `new/` or `cur/`)",
            path.display()
        );
        return Ok(());
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let reader = std::io::BufReader::new(file);
    for message in mail_parser::mailbox::mbox::MessageIterator::new(reader) {
        let message =
            message.with_context(|| format!("cannot read the mbox `{}`", path.display()))?;
        if message.contents().len() <= LARGEST {
            each(message.contents())?;
        }
    }
    Ok(())
}

/// Reads the mailbox at `path` and marks the subscribers whose address failed for good.
pub async fn import(store: &Store, path: &Path, now: &str) -> Result<BounceSummary> {
    let mut reports = Vec::new();
    let mut summary = BounceSummary::default();
    read_mailbox(path, &mut |raw| {
        summary.messages += 1;
        if let Some(recipients) = report_of(raw) {
            summary.reports += 1;
            reports.extend(recipients);
        }
        Ok(())
    })?;
    for recipient in reports {
        if !recipient.is_hard() {
            summary.soft += 1;
            continue;
        }
        summary.hard += 1;
        let key = recipient.address.to_lowercase();
        match store.subscriber(&key).await? {
            Some(subscriber) => {
                if store.record_bounce(subscriber.id, 1, now).await? {
                    summary.marked += 1;
                }
            }
            None => summary.unknown += 1,
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "From: MAILER-DAEMON@mx.example.net\r\nTo: weekly@example.org\r\n\
Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n\
--B\r\nContent-Type: message/delivery-status\r\n\r\n\
Reporting-MTA: dns; mx.example.net\r\nArrival-Date: Sat, 5 Dec 2026 10:00:00 +0800\r\n\r\n\
Final-Recipient: rfc822; Gone@Example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n\
Original-Recipient: rfc822;full@example.org\r\nAction: delayed\r\nStatus: 4.2.2 (mailbox full)\r\n\r\n\
--B--\r\n";

    #[test]
    fn a_report_gives_each_recipient_and_whether_it_failed_for_good() {
        let found = report_of(REPORT.as_bytes()).unwrap();
        assert_eq!(
            found,
            [
                Recipient {
                    address: "Gone@Example.org".into(),
                    action: "failed".into(),
                    status: "5.1.1".into()
                },
                Recipient {
                    address: "full@example.org".into(),
                    action: "delayed".into(),
                    status: "4.2.2".into()
                },
            ]
        );
        assert!(found[0].is_hard() && !found[1].is_hard());
        assert_eq!(report_of(b"Subject: hello\r\n\r\nnot a report\r\n"), None);
    }
}
