//! Bounces that come back later as delivery-status notifications (RFC 3464), read from a
//! Maildir or an mbox file. Anyone can send us a mail that looks like a report, so a report
//! counts only when it is one at its top (`multipart/report; report-type=delivery-status`)
//! and quotes, in the returned message or headers it carries, the `Message-ID` of a message
//! we sent: `Secret::message_id` made it from the campaign and recipient row with the
//! workspace's secret, and no one else can make one. A permanent failure (`Action: failed`,
//! status 5.x.x) of that recipient counts one bounce — once per message, however often the
//! report is read — and `[smtp] bounce_after` of them mark the subscriber bounced, as
//! refusals during `weekly send` do. Messages are read with a bound: one larger than
//! [`LARGEST`] is skipped (and counted) after at most that many bytes.

use crate::tokens::Secret;
use anyhow::Result;
use mail_parser::{MessageParser, MimeHeaders, PartType};
use std::path::Path;
use weekly_model::email::Email;
use weekly_store::Store;

mod mailbox;
pub use mailbox::{Mail, read_mailbox, read_mbox};

/// One recipient of a delivery-status notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The address (`Final-Recipient`, or `Original-Recipient`).
    pub address: String,
    /// The `Original-Recipient`, when it is given.
    pub original: String,
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

/// A delivery-status notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The recipients it reports on.
    pub recipients: Vec<Recipient>,
    /// The `Message-ID`s of the returned message (`message/rfc822`) or headers
    /// (`text/rfc822-headers`) it carries, without angle brackets.
    pub message_ids: Vec<String>,
}

/// Messages larger than this are no reports: they are skipped, read no further than this.
pub const LARGEST: usize = 10 << 20;

/// True for a content type `type/subtype` (compared without case).
fn is_type(part: &mail_parser::MessagePart, ctype: &str, subtypes: &[&str]) -> bool {
    part.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case(ctype)
            && ct
                .subtype()
                .is_some_and(|s| subtypes.iter().any(|t| s.eq_ignore_ascii_case(t)))
    })
}

/// The report a message is, or `None` when it is no delivery-status notification at its top:
/// a `message/delivery-status` part inside some other kind of message (a `multipart/mixed`
/// that forwards one, say) is not a report of ours.
pub fn report_of(raw: &[u8]) -> Option<Report> {
    let message = MessageParser::default().parse(raw)?;
    let root = message.parts.first()?;
    let is_report = root.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|t| t.eq_ignore_ascii_case("delivery-status"))
    });
    let PartType::Multipart(children) = &root.body else {
        return None;
    };
    if !is_report {
        return None;
    }
    let children: Vec<&mail_parser::MessagePart> = children
        .iter()
        .filter_map(|&id| message.parts.get(id as usize))
        .collect();
    let status = children.iter().find(|part| {
        is_type(
            part,
            "message",
            &["delivery-status", "global-delivery-status"],
        )
    })?;
    let mut message_ids = Vec::new();
    for part in &children {
        let id = match &part.body {
            PartType::Message(returned) => returned.message_id().map(str::to_owned),
            _ if is_type(part, "text", &["rfc822-headers"])
                || is_type(part, "message", &["global-headers"]) =>
            {
                MessageParser::default()
                    .parse_headers(part.contents())
                    .and_then(|h| h.message_id().map(str::to_owned))
            }
            _ => None,
        };
        message_ids.extend(id);
    }
    Some(Report {
        recipients: recipients_of(part_text(status).as_str()),
        message_ids,
    })
}

/// A part's contents as text, with CRLF as LF.
fn part_text(part: &mail_parser::MessagePart) -> String {
    String::from_utf8_lossy(part.contents()).replace("\r\n", "\n")
}

/// The recipients of the fields of a `message/delivery-status` part.
fn recipients_of(text: &str) -> Vec<Recipient> {
    let mut out = Vec::new();
    // The first group is about the message; each following one about a recipient.
    for group in text.split("\n\n").skip(1) {
        let mut recipient = Recipient {
            address: String::new(),
            original: String::new(),
            action: String::new(),
            status: String::new(),
        };
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
                "original-recipient" => recipient.original = address(),
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
            recipient.address.clone_from(&recipient.original);
        }
        if !recipient.address.is_empty() && !recipient.action.is_empty() {
            out.push(recipient);
        }
    }
    out
}

/// What an import found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BounceSummary {
    /// Messages read (those too large included).
    pub messages: usize,
    /// Of those, larger than [`LARGEST`]: skipped.
    pub too_large: usize,
    /// Delivery-status notifications (at the top of their message).
    pub reports: usize,
    /// Reports that quote no `Message-ID` of a message we sent: forged, or about other mail.
    pub not_ours: usize,
    /// Reports of a permanent failure of a message we sent.
    pub hard: usize,
    /// Of those, bounces counted now.
    pub counted: usize,
    /// Of those, counted before (the same report read again, or a second report of one
    /// message), or of a message not recorded as sent.
    pub repeated: usize,
    /// Reports of a permanent failure of an address that is not the one the message went to.
    pub other_address: usize,
    /// Subscribers marked bounced now (their `bounce_after`-th bounce).
    pub marked: usize,
    /// Reports of our messages with temporary failures or delays only (nothing done).
    pub soft: usize,
}

/// The comparison key of an address, or the address in lower case when it is none we accept.
fn address_key(address: &str) -> String {
    Email::parse(address).map_or_else(|_| address.trim().to_lowercase(), |e| e.key())
}

/// Reads the mailbox at `path` and counts the permanent failures of messages we sent (see
/// the module's comment); `secret` is the workspace's, `bounce_after` is `[smtp]`'s.
pub async fn import(
    store: &Store,
    path: &Path,
    secret: &Secret,
    bounce_after: i64,
    now: &str,
) -> Result<BounceSummary> {
    let mut summary = BounceSummary::default();
    // The reports about messages we sent: (campaign, recipient row, report).
    let mut ours: Vec<(i64, i64, Report)> = Vec::new();
    read_mailbox(path, LARGEST, &mut |mail| {
        summary.messages += 1;
        let Mail::Message(raw) = mail else {
            summary.too_large += 1;
            return Ok(());
        };
        let Some(report) = report_of(raw) else {
            return Ok(());
        };
        summary.reports += 1;
        match report
            .message_ids
            .iter()
            .find_map(|id| secret.message_id_of(id))
        {
            Some((campaign, row)) => ours.push((campaign, row, report)),
            None => summary.not_ours += 1,
        }
        Ok(())
    })?;
    for (campaign, row, report) in ours {
        let Some(sent) = store.campaign_recipient(campaign, row).await? else {
            summary.not_ours += 1;
            continue;
        };
        let hard: Vec<&Recipient> = report.recipients.iter().filter(|r| r.is_hard()).collect();
        if hard.is_empty() {
            summary.soft += 1;
            continue;
        }
        summary.hard += 1;
        // The failure must be the address the message went to.
        let to = address_key(&sent.email);
        let Some(failed) = hard.iter().find(|r| {
            address_key(&r.address) == to
                || (!r.original.is_empty() && address_key(&r.original) == to)
        }) else {
            summary.other_address += 1;
            continue;
        };
        let error = format!("bounce report: {} {}", failed.action, failed.status);
        match store
            .record_reported_bounce(campaign, row, &error, bounce_after, now)
            .await?
        {
            Some(bounced) => {
                summary.counted += 1;
                if bounced {
                    summary.marked += 1;
                }
            }
            None => summary.repeated += 1,
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

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
            found.recipients,
            [
                Recipient {
                    address: "Gone@Example.org".into(),
                    original: String::new(),
                    action: "failed".into(),
                    status: "5.1.1".into()
                },
                Recipient {
                    address: "full@example.org".into(),
                    original: "full@example.org".into(),
                    action: "delayed".into(),
                    status: "4.2.2".into()
                },
            ]
        );
        assert!(found.message_ids.is_empty());
        assert!(found.recipients[0].is_hard() && !found.recipients[1].is_hard());
        assert_eq!(report_of(b"Subject: hello\r\n\r\nnot a report\r\n"), None);
    }

    /// A bounce report from `to`'s server: a permanent failure (`status`) of `to`, returning
    /// `returned` as `message/rfc822` (or only its headers as `text/rfc822-headers`).
    fn dsn(to: &str, status: &str, returned: Option<&[u8]>, headers_only: bool) -> Vec<u8> {
        let mut out = format!(
            "From: MAILER-DAEMON@mx.example.net\r\nTo: weekly@example.org\r\n\
Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"=_B_=\"\r\n\r\n\
--=_B_=\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\
--=_B_=\r\nContent-Type: message/delivery-status\r\n\r\n\
Reporting-MTA: dns; mx.example.net\r\n\r\n\
Final-Recipient: rfc822; {to}\r\nAction: failed\r\nStatus: {status}\r\n\
Diagnostic-Code: smtp; 550 {status} no such user\r\n\r\n"
        )
        .into_bytes();
        if let Some(returned) = returned {
            let (ctype, body) = if headers_only {
                let end = returned
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .map_or(returned.len(), |at| at + 2);
                ("text/rfc822-headers", &returned[..end])
            } else {
                ("message/rfc822", returned)
            };
            out.extend_from_slice(format!("--=_B_=\r\nContent-Type: {ctype}\r\n\r\n").as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--=_B_=--\r\n");
        out
    }

    /// `messages` as an mbox file under `dir`.
    fn mbox(dir: &Path, name: &str, messages: &[Vec<u8>]) -> std::path::PathBuf {
        let mut out = Vec::new();
        for message in messages {
            out.extend_from_slice(b"From MAILER-DAEMON Sat Dec  5 10:00:00 2026\n");
            for line in message.split_inclusive(|&b| b == b'\n') {
                if line.starts_with(b"From ") {
                    out.push(b'>');
                }
                out.extend_from_slice(line);
            }
            out.push(b'\n');
        }
        let path = dir.join(name);
        std::fs::write(&path, out).unwrap();
        path
    }

    fn subscriber(email: &str) -> weekly_store::NewSubscriber {
        weekly_store::NewSubscriber {
            email: email.into(),
            email_key: email.to_lowercase(),
            name: String::new(),
            languages: String::new(),
            tier: weekly_store::Tier::Free,
            paid_until: None,
            status: weekly_store::SubscriberStatus::Confirmed,
            source: "test".into(),
            consent_at: "2026-12-01T00:00:00Z".into(),
            consent_ip: String::new(),
            consent_via: "cli".into(),
        }
    }

    /// A store with Alice and Bob subscribed.
    async fn store(dir: &Path) -> Store {
        let store = Store::open(&dir.join("weekly.db")).await.unwrap();
        store
            .import_subscribers(
                &[
                    subscriber("alice@example.org"),
                    subscriber("bob@example.org"),
                ],
                "2026-12-01T00:00:00Z",
            )
            .await
            .unwrap();
        store
    }

    fn secret() -> Secret {
        Secret::from_text(&"s".repeat(40)).unwrap()
    }

    /// Sends issue `issue` as a campaign to everyone (through nothing: the messages are
    /// made as `weekly send` makes them and recorded as sent); the raw message of each
    /// address.
    async fn send(store: &Store, issue: u32) -> Vec<(String, Vec<u8>)> {
        let new = weekly_store::NewCampaign {
            issue,
            lang: "zh".into(),
            tier: weekly_store::Tier::Free,
            subject: format!("第 {issue} 期"),
            body_text: "text %%weekly-unsubscribe-link%%".into(),
            body_html: String::new(),
        };
        let audience = weekly_store::Audience {
            primary: true,
            today: "2026-12-05".into(),
        };
        let (campaign, _) = store
            .create_campaign(&new, &audience, "2026-12-05T00:00:00Z")
            .await
            .unwrap();
        let personaliser = crate::campaign::Personaliser {
            from: "Weekly <weekly@example.org>".parse().unwrap(),
            list: crate::mail::ListHeaders::default(),
            secret: secret(),
            links_base: "https://weekly.example.org".into(),
            links_until: 4_000_000_000,
            dkim: None,
            per_subscriber: false,
        };
        let now = chrono::Utc::now().timestamp();
        let claimed = store
            .claim_recipients(campaign.id, "test", now, now + 60, 100)
            .await
            .unwrap();
        let mut out = Vec::new();
        for recipient in &claimed {
            let message = personaliser.message(&campaign, recipient).unwrap();
            out.push((recipient.email.clone(), message.formatted()));
        }
        let ids: Vec<i64> = claimed.iter().map(|c| c.id).collect();
        store.mark_sent(&ids, "2026-12-05T00:00:01Z").await.unwrap();
        out
    }

    async fn status(store: &Store, email: &str) -> weekly_store::SubscriberStatus {
        store.subscriber(email).await.unwrap().unwrap().status
    }

    #[tokio::test]
    async fn a_forged_report_counts_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path()).await;
        let sent = send(&store, 1).await;
        let alice = &sent
            .iter()
            .find(|(to, _)| to == "alice@example.org")
            .unwrap()
            .1;
        // No returned message; a Message-ID of someone else's; ours with another secret;
        // ours with its recipient row changed.
        let stranger = b"Message-ID: <CAF123@mail.example.net>\r\nSubject: hi\r\n\r\nhi\r\n";
        let real_id = String::from_utf8_lossy(alice)
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .unwrap()
            .to_owned();
        let other_secret = Secret::from_text(&"x".repeat(40)).unwrap();
        let (campaign, row) = secret().message_id_of(&real_id).unwrap();
        let wrong_key = format!(
            "Message-ID: <{}>\r\n\r\nx\r\n",
            other_secret.message_id(campaign, row, "example.org")
        );
        let wrong_row = format!(
            "Message-ID: {}\r\n\r\nx\r\n",
            real_id.replacen(&format!(".{row}."), &format!(".{}.", row + 1), 1)
        );
        let path = mbox(
            dir.path(),
            "forged",
            &[
                dsn("alice@example.org", "5.1.1", None, false),
                dsn("alice@example.org", "5.1.1", Some(stranger), false),
                dsn(
                    "alice@example.org",
                    "5.1.1",
                    Some(wrong_key.as_bytes()),
                    false,
                ),
                dsn(
                    "alice@example.org",
                    "5.1.1",
                    Some(wrong_row.as_bytes()),
                    true,
                ),
            ],
        );
        let s = import(&store, &path, &secret(), 1, "now").await.unwrap();
        assert_eq!((s.messages, s.reports, s.not_ours), (4, 4, 4), "{s:?}");
        assert_eq!((s.counted, s.marked), (0, 0), "{s:?}");
        assert_eq!(
            status(&store, "alice@example.org").await,
            weekly_store::SubscriberStatus::Confirmed
        );
        // Bob's own message, with a report naming Alice: not Alice's bounce, nor Bob's.
        let bob = &sent
            .iter()
            .find(|(to, _)| to == "bob@example.org")
            .unwrap()
            .1;
        let path = mbox(
            dir.path(),
            "swapped",
            &[dsn("alice@example.org", "5.1.1", Some(bob), false)],
        );
        let s = import(&store, &path, &secret(), 1, "now").await.unwrap();
        assert_eq!((s.hard, s.other_address, s.counted), (1, 1, 0), "{s:?}");
        assert_eq!(
            status(&store, "alice@example.org").await,
            weekly_store::SubscriberStatus::Confirmed
        );
        assert_eq!(
            status(&store, "bob@example.org").await,
            weekly_store::SubscriberStatus::Confirmed
        );
    }

    #[tokio::test]
    async fn a_report_nested_in_another_message_is_no_report() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path()).await;
        let sent = send(&store, 1).await;
        let alice = &sent
            .iter()
            .find(|(to, _)| to == "alice@example.org")
            .unwrap()
            .1;
        let genuine = dsn("alice@example.org", "5.1.1", Some(alice), false);
        // The same report forwarded inside a `multipart/mixed`, its parts at the top level
        // of a mixed message, and a `multipart/report` of another type.
        let body_at = genuine.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let mut mixed = b"From: someone@example.net\r\nTo: weekly@example.org\r\n\
Subject: Fwd: bounce\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"OUT\"\r\n\r\n--OUT\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"=_B_=\"\r\n\r\n"
            .to_vec();
        mixed.extend_from_slice(&genuine[body_at..]);
        mixed.extend_from_slice(b"\r\n--OUT--\r\n");
        let flat = String::from_utf8_lossy(&genuine)
            .replace(
                "multipart/report; report-type=delivery-status",
                "multipart/mixed",
            )
            .into_bytes();
        let other_type = String::from_utf8_lossy(&genuine)
            .replace(
                "report-type=delivery-status",
                "report-type=disposition-notification",
            )
            .into_bytes();
        for raw in [&mixed, &flat, &other_type] {
            assert_eq!(report_of(raw), None, "{}", String::from_utf8_lossy(raw));
        }
        let path = mbox(dir.path(), "nested", &[mixed, flat, other_type]);
        let s = import(&store, &path, &secret(), 1, "now").await.unwrap();
        assert_eq!((s.messages, s.reports, s.counted), (3, 0, 0), "{s:?}");
        assert_eq!(
            status(&store, "alice@example.org").await,
            weekly_store::SubscriberStatus::Confirmed
        );
    }

    #[tokio::test]
    async fn a_genuine_report_counts_once_and_bounce_after_of_them_mark_the_subscriber() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path()).await;
        let first = send(&store, 1).await;
        let alice = &first
            .iter()
            .find(|(to, _)| to == "alice@example.org")
            .unwrap()
            .1;
        // The report of issue 1, twice in one mailbox, and the mailbox read twice: one
        // bounce, and with `bounce_after = 2` Alice is still subscribed.
        let report = dsn("Alice@Example.org", "5.1.1", Some(alice), false);
        let path = mbox(dir.path(), "one", &[report.clone(), report]);
        let s = import(&store, &path, &secret(), 2, "now").await.unwrap();
        assert_eq!(
            (s.reports, s.hard, s.counted, s.repeated, s.marked),
            (2, 2, 1, 1, 0),
            "{s:?}"
        );
        let again = import(&store, &path, &secret(), 2, "now").await.unwrap();
        assert_eq!((again.counted, again.repeated), (0, 2), "{again:?}");
        assert_eq!(
            status(&store, "alice@example.org").await,
            weekly_store::SubscriberStatus::Confirmed
        );
        // A temporary failure counts nothing.
        let second = send(&store, 2).await;
        let alice2 = &second
            .iter()
            .find(|(to, _)| to == "alice@example.org")
            .unwrap()
            .1;
        let soft = dsn("alice@example.org", "4.2.2", Some(alice2), false)
            .split(|&b| b == b'\n')
            .map(|l| {
                if l.starts_with(b"Action: failed") {
                    b"Action: delayed\r".to_vec()
                } else {
                    l.to_vec()
                }
            })
            .collect::<Vec<_>>()
            .join(&b'\n');
        let path = mbox(dir.path(), "soft", &[soft]);
        let s = import(&store, &path, &secret(), 2, "now").await.unwrap();
        assert_eq!((s.soft, s.counted), (1, 0), "{s:?}");
        // The second issue's permanent failure (only its headers returned) is the second
        // bounce: now Alice is marked; Bob never was.
        let path = mbox(
            dir.path(),
            "two",
            &[dsn("alice@example.org", "5.2.1", Some(alice2), true)],
        );
        let s = import(&store, &path, &secret(), 2, "now").await.unwrap();
        assert_eq!((s.counted, s.marked), (1, 1), "{s:?}");
        assert_eq!(
            status(&store, "alice@example.org").await,
            weekly_store::SubscriberStatus::Bounced
        );
        assert_eq!(
            status(&store, "bob@example.org").await,
            weekly_store::SubscriberStatus::Confirmed
        );
        let counts = store.campaign_counts(1).await.unwrap();
        assert_eq!((counts.sent, counts.failed), (1, 1), "{counts:?}");
    }

    /// Bytes of an mbox made as they are read: a message of `big` bytes (in lines of 1 KiB,
    /// or one line without a break), then a small one.
    struct Generated {
        big: usize,
        one_line: bool,
        at: usize,
        given: usize,
    }

    impl Read for Generated {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            const HEAD: &[u8] = b"From a@b Sat Dec  5 10:00:00 2026\nSubject: big\n\n";
            const TAIL: &[u8] = b"\nFrom a@b Sat Dec  5 10:00:01 2026\nSubject: small\n\nhi\n";
            let total = HEAD.len() + self.big + TAIL.len();
            let mut n = 0;
            while n < buf.len() && self.at < total {
                let i = self.at;
                buf[n] = if i < HEAD.len() {
                    HEAD[i]
                } else if i < HEAD.len() + self.big {
                    let j = i - HEAD.len();
                    if !self.one_line && j % 1024 == 1023 {
                        b'\n'
                    } else {
                        b'x'
                    }
                } else {
                    TAIL[i - HEAD.len() - self.big]
                };
                n += 1;
                self.at += 1;
            }
            self.given += n;
            Ok(n)
        }
    }

    #[test]
    fn a_message_over_the_limit_is_skipped_without_being_held() {
        for one_line in [false, true] {
            let mut reader = std::io::BufReader::new(Generated {
                big: 50 << 20,
                one_line,
                at: 0,
                given: 0,
            });
            let mut seen = Vec::new();
            read_mbox(&mut reader, 64 << 10, &mut |mail| {
                seen.push(match mail {
                    Mail::Message(raw) => String::from_utf8_lossy(raw).into_owned(),
                    Mail::TooLarge => "too large".into(),
                });
                Ok(())
            })
            .unwrap();
            assert_eq!(seen, ["too large", "Subject: small\n\nhi\n"], "{one_line}");
            assert!(reader.get_ref().given > 50 << 20);
        }
        // A Maildir file over the limit: read no further than the limit.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("new")).unwrap();
        std::fs::create_dir_all(dir.path().join("cur")).unwrap();
        std::fs::write(dir.path().join("new/1"), vec![b'x'; 100_001]).unwrap();
        std::fs::write(dir.path().join("new/2"), b"Subject: ok\r\n\r\nok\r\n").unwrap();
        let mut seen = Vec::new();
        read_mailbox(dir.path(), 100_000, &mut |mail| {
            seen.push(matches!(mail, Mail::TooLarge));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [true, false]);
    }
}
