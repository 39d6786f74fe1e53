//! Mail of the outbox (confirmations, test mail): each made into a message with
//! the list headers and sent through [`Outgoing`] — a `transport::Transport` (SMTP, or a folder
//! of `.eml` files for dry runs) with the one retry policy; every due mail of the workspace
//! database is sent and marked sent, or kept with its error for a later attempt.

use crate::config::SmtpConfig;
use crate::smtp_pool::SmtpPool;
use crate::transport::{FolderTransport, Retry, Transport};
use anyhow::{Context, Result, bail};
use lettre::Message;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use std::path::Path;
use weekly_store::{OutboxMail, Store};

/// `List-Unsubscribe: <https://…>` (RFC 2369), with a `mailto:` address after it when the
/// newsletter has one; `List-Unsubscribe-Post` goes with it for one click (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Id: name <id>` (RFC 2919).
#[derive(Debug, Clone)]
struct ListId(String);

impl Header for ListId {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Id")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// The headers that mark a mail as the newsletter's (its issues, not a confirmation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListHeaders {
    /// `List-Id`'s identifier, such as `weekly.example.org` (empty: no `List-Id`).
    pub id: String,
    /// The list's name, shown by mail clients beside the identifier.
    pub name: String,
    /// An address that unsubscribes whoever writes to it (empty: none offered).
    pub unsubscribe_mailto: String,
}

impl ListHeaders {
    /// The list headers of `config`: `[smtp] list_id` or the domain of `[smtp] from`, and
    /// `[smtp] unsubscribe_mailto`.
    pub fn of(config: &SmtpConfig, name: &str) -> ListHeaders {
        let id = match config.list_id.trim() {
            "" => file_sender(config)
                .map(|from| format!("newsletter.{}", from.email.domain()))
                .unwrap_or_default(),
            id => id.to_owned(),
        };
        ListHeaders {
            id,
            name: name.to_owned(),
            unsubscribe_mailto: config.unsubscribe_mailto.trim().to_owned(),
        }
    }
}

/// True for text that may stand in a header as it is: printable ASCII with no angle
/// brackets, quotes or line breaks.
fn header_safe(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | '\\' | ','))
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// The sender of mails written to files (dry runs, previews): `[smtp] from`, or a placeholder
/// address when it is empty.
pub fn file_sender(config: &SmtpConfig) -> Result<Mailbox> {
    let from = config.from.trim();
    let from = if from.is_empty() {
        "weekly <weekly@localhost.invalid>"
    } else {
        from
    };
    from.parse()
        .with_context(|| format!("`[smtp] from = \"{from}\"` is not an address"))
}

/// The mail as a message from `from`. Addresses are parsed (a line break in one is an error,
/// not a header), the subject is encoded by lettre, bodies are text and, when given, HTML.
pub fn message(from: &Mailbox, mail: &OutboxMail) -> Result<Message> {
    message_to_list(from, mail, None)
}

/// [`message`], as a mail of the newsletter's list when `list` is given (`List-Id`, and a
/// `mailto:` beside the unsubscribe link).
pub fn message_to_list(
    from: &Mailbox,
    mail: &OutboxMail,
    list: Option<&ListHeaders>,
) -> Result<Message> {
    let to: Mailbox = mail
        .recipient
        .parse()
        .with_context(|| format!("`{}` is not an address", mail.recipient.escape_debug()))?;
    if mail.subject.contains(['\r', '\n']) {
        bail!("a subject must be one line");
    }
    let mut builder = Message::builder()
        .message_id(None)
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone());
    if !mail.list_unsubscribe.is_empty() {
        if !mail.list_unsubscribe.starts_with("https://")
            && !mail.list_unsubscribe.starts_with("http://")
            || !header_safe(&mail.list_unsubscribe)
        {
            bail!(
                "`{}` is not an unsubscribe URL",
                mail.list_unsubscribe.escape_debug()
            );
        }
        let mut value = format!("<{}>", mail.list_unsubscribe);
        if let Some(mailto) = list.map(|l| l.unsubscribe_mailto.as_str())
            && !mailto.is_empty()
        {
            if !header_safe(mailto) || !mailto.contains('@') {
                bail!(
                    "`[smtp] unsubscribe_mailto = \"{}\"` is not an address",
                    mailto.escape_debug()
                );
            }
            value = format!("{value}, <mailto:{mailto}?subject=unsubscribe>");
        }
        builder = builder
            .header(ListUnsubscribe(value))
            .header(ListUnsubscribePost);
    }
    if let Some(list) = list
        && !list.id.is_empty()
    {
        if !header_safe(&list.id) {
            bail!(
                "`[smtp] list_id = \"{}\"` must be a plain identifier like weekly.example.org",
                list.id.escape_debug()
            );
        }
        let name: String = list
            .name
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            .collect();
        let value = match name.trim() {
            "" => format!("<{}>", list.id),
            name => format!("{name} <{}>", list.id),
        };
        builder = builder.header(ListId(value));
    }
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body_text.clone());
    let message = if mail.body_html.is_empty() {
        builder.singlepart(text)?
    } else {
        builder.multipart(
            MultiPart::alternative().singlepart(text).singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(mail.body_html.clone()),
            ),
        )?
    };
    Ok(message)
}

/// Where the outbox's mail goes: a transport, the sender it writes as, and the waits after a
/// refusal (the policy campaigns use too).
#[derive(Debug)]
pub struct Outgoing<T: Transport> {
    /// The transport.
    pub transport: T,
    /// `From:`.
    pub from: Mailbox,
    /// The waits after a refusal.
    pub retry: Retry,
}

/// The sender of `[smtp] from`, which must be set for real mail.
pub(crate) fn sender(config: &SmtpConfig) -> Result<Mailbox> {
    let from = config.from.trim();
    if from.is_empty() {
        bail!("`[smtp] from` is empty: name the sender, e.g. \"Weekly <weekly@example.org>\"");
    }
    from.parse()
        .with_context(|| format!("`[smtp] from = \"{from}\"` is not an address"))
}

impl Outgoing<SmtpPool> {
    /// The server of `[smtp]` (or `url`, from `WEEKLY_SMTP_URL`), with `password` (from
    /// `WEEKLY_SMTP_PASSWORD`). `None` when neither names a host.
    pub fn smtp(
        config: &SmtpConfig,
        url: Option<&str>,
        password: Option<&str>,
    ) -> Result<Option<Outgoing<SmtpPool>>> {
        Ok(
            crate::smtp_pool::campaign_pool(config, url, password)?.map(|(pool, from)| Outgoing {
                transport: pool,
                from,
                retry: Retry::of(config),
            }),
        )
    }
}

impl Outgoing<FolderTransport> {
    /// Mail written as `.eml` files into `dir` (a dry run, or a look at what would go out):
    /// `NUMBER.KIND.eml`, NUMBER being the mail's in the outbox.
    pub fn folder(config: &SmtpConfig, dir: &Path) -> Result<Outgoing<FolderTransport>> {
        Ok(Outgoing {
            transport: FolderTransport {
                dir: dir.to_owned(),
            },
            from: file_sender(config)?,
            retry: Retry::of(config),
        })
    }
}

/// What a flush of the outbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Flushed {
    /// Sent now.
    pub sent: usize,
    /// Tried and failed now (kept for later).
    pub failed: usize,
}

/// The name of outbox mail `id` of `kind` for a transport: `000000042.confirm` (only
/// letters, digits and `-` of the kind are kept).
fn outbox_name(id: i64, kind: &str) -> String {
    let kind: String = kind
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("{id:09}.{kind}")
}

/// How long a sender holds the outbox mails it claimed (renewed after each mail it sends):
/// a process killed while sending gives its mails back after this.
pub const OUTBOX_LEASE_SECONDS: i64 = 600;

/// How many mails a sender claims at a time.
const OUTBOX_BATCH: i64 = 10;

/// This flush as a sender of the outbox: the process (host and pid, as campaigns name their
/// workers) and a number of its own, so two flushes of one process never share a claim.
fn outbox_worker() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}:outbox-{n}", crate::sender::worker_id())
}

impl<T: Transport> Outgoing<T> {
    /// Sends every due mail of the outbox (with `now_too`, also those waiting
    /// for a later attempt), at most `limit`, oldest first; each is marked sent as soon as the
    /// server took it. `report` gets a line per failure. Mails are claimed a few at a time before
    /// they are sent (see `Store::claim_mail`), so any number of flushes — servers, `weekly mail
    /// send` runs — running at once send each mail once.
    pub async fn flush(
        &self,
        store: &Store,
        limit: i64,
        now_too: bool,
        report: &(dyn Fn(&str) + Sync),
    ) -> Result<Flushed> {
        let now = chrono::Utc::now();
        let stamp = |t: chrono::DateTime<chrono::Utc>| crate::database::stamp(t);
        let due_by = if now_too {
            "9999-12-31T23:59:59Z".to_owned()
        } else {
            stamp(now)
        };
        let worker = outbox_worker();
        let mut done = Flushed::default();
        let mut left = limit;
        while left > 0 {
            let clock = chrono::Utc::now().timestamp();
            let claimed = store
                .claim_mail(
                    &worker,
                    &due_by,
                    clock,
                    clock + OUTBOX_LEASE_SECONDS,
                    left.min(OUTBOX_BATCH),
                )
                .await?;
            if claimed.is_empty() {
                break;
            }
            left -= i64::try_from(claimed.len()).unwrap_or(left);
            for queued in claimed {
                let sent = match message(&self.from, &queued.mail) {
                    Ok(message) => self
                        .transport
                        .deliver(
                            &queued.mail.recipient,
                            &outbox_name(queued.id, &queued.mail.kind),
                            message,
                        )
                        .await
                        .map_err(anyhow::Error::new),
                    Err(e) => Err(e),
                };
                match sent {
                    Ok(()) => {
                        store
                            .mail_sent(queued.id, &stamp(chrono::Utc::now()))
                            .await?;
                        done.sent += 1;
                    }
                    Err(e) => {
                        let error = format!("{e:#}");
                        report(&format!(
                            "mail {} to {}: {error}",
                            queued.id, queued.mail.recipient
                        ));
                        let next = chrono::Utc::now()
                            + chrono::Duration::seconds(self.retry.wait(queued.attempts + 1));
                        store.mail_failed(queued.id, &error, &stamp(next)).await?;
                        done.failed += 1;
                    }
                }
                // The rest of the batch stays ours while this one took its time.
                store
                    .renew_mail_claims(
                        &worker,
                        chrono::Utc::now().timestamp() + OUTBOX_LEASE_SECONDS,
                    )
                    .await?;
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(recipient: &str, subject: &str, unsubscribe: &str) -> OutboxMail {
        OutboxMail {
            kind: "test".into(),
            recipient: recipient.into(),
            subject: subject.into(),
            body_text: "正文 text".into(),
            body_html: "<p>正文</p>".into(),
            list_unsubscribe: unsubscribe.into(),
        }
    }

    #[test]
    fn headers_cannot_be_injected_and_one_click_unsubscribe_is_offered() {
        let from: Mailbox = "周刊 <weekly@example.org>".parse().unwrap();
        let ok = message(
            &from,
            &mail(
                "a@x.org",
                "第 1 期",
                "https://w.example/unsubscribe?token=t",
            ),
        )
        .unwrap();
        let text = String::from_utf8(ok.formatted()).unwrap();
        assert!(
            text.contains("List-Unsubscribe: <https://w.example/unsubscribe?token=t>"),
            "{text}"
        );
        assert!(
            text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
            "{text}"
        );
        assert!(text.contains("multipart/alternative"), "{text}");
        for bad in [
            mail("a@x.org\r\nBcc: all@x.org", "s", ""),
            mail("a@x.org", "s\r\nBcc: all@x.org", ""),
            mail("a@x.org", "s", "https://w.example/u>\r\nBcc: all@x.org"),
            mail("a@x.org", "s", "javascript:alert(1)"),
        ] {
            assert!(message(&from, &bad).is_err(), "{bad:?}");
        }
    }

    use crate::transport::RecordingTransport;

    /// The outbox's mail into `recorder`, from a fixed sender, waiting a minute at first.
    fn to(recorder: RecordingTransport) -> Outgoing<RecordingTransport> {
        Outgoing {
            transport: recorder,
            from: "周刊 <weekly@example.org>".parse().unwrap(),
            retry: Retry {
                first_seconds: 60,
                cap_seconds: Retry::CAP_SECONDS,
            },
        }
    }

    /// A new database on the test PostgreSQL server (`WEEKLY_TEST_POSTGRES_URL`), made with
    /// `psql`; `None` with a printed reason when there is none (a failure with
    /// `WEEKLY_REQUIRE_POSTGRES`).
    pub(crate) fn postgres_database() -> Option<String> {
        use std::io::Write as _;
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let admin = match std::env::var("WEEKLY_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => url,
            _ => {
                assert!(
                    std::env::var_os("WEEKLY_REQUIRE_POSTGRES").is_none()
                        && std::env::var("CI")
                            .map_or(true, |v| matches!(v.trim(), "" | "0" | "false")),
                    "WEEKLY_TEST_POSTGRES_URL is not set, and WEEKLY_REQUIRE_POSTGRES or CI is set: the PostgreSQL half cannot run"
                );
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED the PostgreSQL half: WEEKLY_TEST_POSTGRES_URL is not set"
                );
                return None;
            }
        };
        let name = format!(
            "weekly_app_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let out = std::process::Command::new("psql")
            .args([
                admin.as_str(),
                "-q",
                "-c",
                &format!("CREATE DATABASE {name}"),
            ])
            .stdin(std::process::Stdio::null())
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        Some(format!("{base}/{name}"))
    }

    /// Three servers on one workspace flush the outbox at the same time, each through its own
    /// connection: every mail goes out once (before outbox claims, 210 sign-ups made 328
    /// mails).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_flushes_send_each_mail_once() {
        const MAILS: usize = 60;
        let dir = tempfile::tempdir().unwrap();
        let mut urls = vec![("sqlite", "sqlite:weekly.db".to_owned())];
        if let Some(url) = postgres_database() {
            urls.push(("postgres", url));
        }
        for (engine, url) in urls {
            let first = Store::connect(&url, dir.path()).await.unwrap();
            for i in 0..MAILS {
                first
                    .enqueue_mail(
                        &mail(&format!("r{i}@x.org"), "s", ""),
                        "2026-12-01T00:00:00Z",
                    )
                    .await
                    .unwrap();
            }
            let outgoing = std::sync::Arc::new(to(RecordingTransport::default()));
            let mut flushers = Vec::new();
            for _ in 0..3 {
                let store = Store::connect(&url, dir.path()).await.unwrap();
                let outgoing = outgoing.clone();
                flushers.push(tokio::spawn(async move {
                    let done = outgoing.flush(&store, 1_000, false, &|_| {}).await.unwrap();
                    store.close().await;
                    done
                }));
            }
            let mut sent = 0;
            for flusher in flushers {
                let done = flusher.await.unwrap();
                assert_eq!(done.failed, 0);
                sent += done.sent;
            }
            let mut got: Vec<String> = outgoing
                .transport
                .taken()
                .into_iter()
                .map(|m| m.to)
                .collect();
            got.sort();
            let mut want: Vec<String> = (0..MAILS).map(|i| format!("r{i}@x.org")).collect();
            want.sort();
            assert_eq!(got, want, "{engine}: every mail once");
            assert_eq!(sent, MAILS, "{engine}");
            assert_eq!(first.unsent_mail().await.unwrap(), 0, "{engine}");
            first.close().await;
        }
    }

    /// A new SQLite store in `dir` with one mail in its outbox, to `a@x.org`.
    async fn one_mail_waiting(dir: &std::path::Path) -> Store {
        let store = Store::open(&dir.join("weekly.db")).await.unwrap();
        store
            .enqueue_mail(&mail("a@x.org", "s", ""), "2026-12-01T00:00:00Z")
            .await
            .unwrap();
        store
    }

    /// A flush killed after it claimed its mails holds them for the lease, then another
    /// takes them.
    #[tokio::test]
    async fn the_mails_of_a_killed_flush_come_back_after_the_lease() {
        let dir = tempfile::tempdir().unwrap();
        let store = one_mail_waiting(dir.path()).await;
        let clock = chrono::Utc::now().timestamp();
        let held = store
            .claim_mail("killed", "9999", clock, clock + OUTBOX_LEASE_SECONDS, 10)
            .await
            .unwrap();
        assert_eq!(held.len(), 1);
        let done = to(RecordingTransport::default())
            .flush(&store, 10, true, &|_| {})
            .await
            .unwrap();
        assert_eq!(done.sent, 0, "still held");
        let later = clock + OUTBOX_LEASE_SECONDS + 1;
        let back = store
            .claim_mail("next", "9999", later, later + 60, 10)
            .await
            .unwrap();
        assert_eq!(back.len(), 1, "taken back after the lease");
    }

    /// A refused mail stays in the outbox with its error, due again after the policy's
    /// first wait; the next flush sends it.
    #[tokio::test]
    async fn a_refused_mail_waits_as_the_retry_policy_says_then_goes() {
        let dir = tempfile::tempdir().unwrap();
        let store = one_mail_waiting(dir.path()).await;
        let outgoing = to(RecordingTransport::default());
        outgoing
            .transport
            .refuse_next(crate::transport::Refusal::Temporary("451 try later".into()));
        let before = chrono::Utc::now();
        let mut lines = std::sync::Mutex::new(Vec::new());
        let done = outgoing
            .flush(&store, 10, false, &|l| {
                lines.lock().unwrap().push(l.to_owned());
            })
            .await
            .unwrap();
        assert_eq!(done, Flushed { sent: 0, failed: 1 });
        let lines = lines.get_mut().unwrap();
        assert!(lines[0].contains("451 try later"), "{lines:?}");
        // Not due now, nor before the first wait has passed…
        let again = outgoing.flush(&store, 10, false, &|_| {}).await.unwrap();
        assert_eq!(again, Flushed::default());
        let clock = chrono::Utc::now().timestamp();
        let early = crate::database::stamp(before + chrono::Duration::seconds(59));
        assert!(
            store
                .claim_mail("w", &early, clock, clock + 60, 10)
                .await
                .unwrap()
                .is_empty()
        );
        // …and sent by a flush that does not wait.
        let now = outgoing.flush(&store, 10, true, &|_| {}).await.unwrap();
        assert_eq!(now, Flushed { sent: 1, failed: 0 });
        let taken = outgoing.transport.taken();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].name, format!("{:09}.test", 1));
        assert_eq!(store.unsent_mail().await.unwrap(), 0);
    }
}
