//! Sending mail: the `Mailer` side effect with an SMTP implementation (the connections of
//! `smtp_pool`: STARTTLS, implicit TLS, or none for a server on this machine) and a file one (each mail written as an
//! `.eml`, for dry runs), and the outbox flush: every due mail of the workspace database is
//! sent and marked sent, or kept with its error for a later attempt.

use crate::config::SmtpConfig;
use anyhow::{Context, Result, bail};
use lettre::Message;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use std::path::PathBuf;
use weekly_store::{OutboxMail, Store};

/// Something that sends a mail: SMTP, a folder of `.eml` files, or a test's recorder.
pub trait Mailer: Send + Sync {
    /// Sends `mail`; an error says why it did not go (it is then tried again later).
    fn send(&self, mail: &OutboxMail) -> impl Future<Output = Result<()>> + Send;
}

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

/// Mail through an SMTP server (the same connections as campaigns, see `smtp_pool`).
#[derive(Debug)]
pub struct SmtpMailer {
    pool: crate::smtp_pool::SmtpPool,
    from: Mailbox,
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

impl SmtpMailer {
    /// The server of `[smtp]` (or `url`, from `WEEKLY_SMTP_URL`), with `password` (from
    /// `WEEKLY_SMTP_PASSWORD`). `None` when neither names a host.
    pub fn new(
        config: &SmtpConfig,
        url: Option<&str>,
        password: Option<&str>,
    ) -> Result<Option<SmtpMailer>> {
        Ok(crate::smtp_pool::campaign_pool(config, url, password)?
            .map(|(pool, from)| SmtpMailer { pool, from }))
    }
}

impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutboxMail) -> Result<()> {
        use crate::sender::{Refusal, Transport};
        let message = message(&self.from, mail)?;
        match self
            .pool
            .deliver(&mail.recipient, &mail.kind, message)
            .await
        {
            Ok(()) => Ok(()),
            Err(Refusal::Temporary(e) | Refusal::Permanent(e)) => Err(anyhow::anyhow!(e)),
        }
    }
}

/// Mail written as `.eml` files into a folder (a dry run, or a look at what would go out).
#[derive(Debug)]
pub struct FileMailer {
    /// The folder.
    pub dir: PathBuf,
    /// The sender.
    pub from: Mailbox,
}

impl Mailer for FileMailer {
    async fn send(&self, mail: &OutboxMail) -> Result<()> {
        let message = message(&self.from, mail)?;
        std::fs::create_dir_all(&self.dir)?;
        let n = std::fs::read_dir(&self.dir)?.count() + 1;
        let path = self.dir.join(format!("{n:06}.eml"));
        std::fs::write(&path, message.formatted())
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        Ok(())
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

/// When a mail that failed `attempts` times is tried again: 1, 2, 4… minutes, at most 6 hours.
pub fn retry_after(attempts: i64) -> chrono::Duration {
    let minutes = 1_i64 << attempts.clamp(0, 9);
    chrono::Duration::minutes(minutes.min(360))
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

/// Sends every due mail of the outbox through `mailer` (with `now_too`, also those waiting
/// for a later attempt), at most `limit`, oldest first; each is marked sent as soon as the
/// server took it. `report` gets a line per failure. Mails are claimed a few at a time before
/// they are sent (see `Store::claim_mail`), so any number of flushes — servers, `weekly mail
/// send` runs — running at once send each mail once.
pub async fn flush(
    store: &Store,
    mailer: &impl Mailer,
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
            match mailer.send(&queued.mail).await {
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
                    let next = chrono::Utc::now() + retry_after(queued.attempts + 1);
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

    /// A mailer that records every mail it is given, taking a moment for each.
    #[derive(Default)]
    struct Recorder {
        sent: std::sync::Mutex<Vec<String>>,
    }

    impl Mailer for Recorder {
        async fn send(&self, mail: &OutboxMail) -> Result<()> {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            self.sent.lock().unwrap().push(mail.recipient.clone());
            Ok(())
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
            let recorder = std::sync::Arc::new(Recorder::default());
            let mut flushers = Vec::new();
            for _ in 0..3 {
                let store = Store::connect(&url, dir.path()).await.unwrap();
                let recorder = recorder.clone();
                flushers.push(tokio::spawn(async move {
                    let done = flush(&store, &*recorder, 1_000, false, &|_| {})
                        .await
                        .unwrap();
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
            let mut got = recorder.sent.lock().unwrap().clone();
            got.sort();
            let mut want: Vec<String> = (0..MAILS).map(|i| format!("r{i}@x.org")).collect();
            want.sort();
            assert_eq!(got, want, "{engine}: every mail once");
            assert_eq!(sent, MAILS, "{engine}");
            assert_eq!(first.unsent_mail().await.unwrap(), 0, "{engine}");
            first.close().await;
        }
    }

    /// A flush killed after it claimed its mails holds them for the lease, then another
    /// takes them.
    #[tokio::test]
    async fn the_mails_of_a_killed_flush_come_back_after_the_lease() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("weekly.db")).await.unwrap();
        store
            .enqueue_mail(&mail("a@x.org", "s", ""), "2026-12-01T00:00:00Z")
            .await
            .unwrap();
        let clock = chrono::Utc::now().timestamp();
        let held = store
            .claim_mail("killed", "9999", clock, clock + OUTBOX_LEASE_SECONDS, 10)
            .await
            .unwrap();
        assert_eq!(held.len(), 1);
        let recorder = Recorder::default();
        let done = flush(&store, &recorder, 10, true, &|_| {}).await.unwrap();
        assert_eq!(done.sent, 0, "still held");
        let later = clock + OUTBOX_LEASE_SECONDS + 1;
        let back = store
            .claim_mail("next", "9999", later, later + 60, 10)
            .await
            .unwrap();
        assert_eq!(back.len(), 1, "taken back after the lease");
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        assert_eq!(retry_after(1), chrono::Duration::minutes(2));
        assert_eq!(retry_after(3), chrono::Duration::minutes(8));
        assert_eq!(retry_after(50), chrono::Duration::minutes(360));
    }
}
