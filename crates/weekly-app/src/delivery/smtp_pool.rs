//! The connections a campaign sends through: opened on demand up to `[smtp] concurrency`,
//! kept open between messages, dropped when broken. Each socket has Nagle's algorithm off:
//! lettre writes a message's closing `.` apart from its body, and with Nagle on that small
//! write waits for the server's delayed acknowledgement (40 ms a message on Linux).
//!
//! A server may close a connection that waited in the pool (an idle timeout, a restart): a
//! connection idle for a while is asked `NOOP` before it is used, and one that fails anyway
//! before the server accepted a recipient (nothing can have been delivered) is replaced by a
//! new one and the message sent again, once. Neither counts as a failed attempt.

use crate::config::SmtpConfig;
use crate::transport::{Refusal, Transport};
use anyhow::{Context, Result, bail};
use lettre::Message;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How a connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain text (a server on this machine only).
    None,
    /// STARTTLS after the greeting.
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// Where and how to connect.
#[derive(Clone)]
pub struct Server {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// TLS.
    pub security: Security,
    /// Login, when the server wants one.
    pub credentials: Option<Credentials>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// The server of `[smtp]`, or of `url` (`WEEKLY_SMTP_URL`: `smtp://user@host:587`,
    /// `?tls=required` for STARTTLS, `smtps://` for TLS), with `password`
    /// (`WEEKLY_SMTP_PASSWORD`, or the URL's). `None` when neither names a host.
    pub fn of(
        config: &SmtpConfig,
        url: Option<&str>,
        password: Option<&str>,
    ) -> Result<Option<Server>> {
        if let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) {
            let parsed = url::Url::parse(url)
                .ok()
                .filter(|u| matches!(u.scheme(), "smtp" | "smtps") && u.host_str().is_some())
                .context("WEEKLY_SMTP_URL is not an SMTP URL like smtp://host:587")?;
            let security = if parsed.scheme() == "smtps" {
                Security::Tls
            } else if parsed
                .query_pairs()
                .any(|(k, v)| k == "tls" && (v == "required" || v == "opportunistic"))
            {
                Security::StartTls
            } else {
                Security::None
            };
            let user = url_decode(parsed.username());
            let pass = password
                .map(str::to_owned)
                .or_else(|| parsed.password().map(url_decode))
                .unwrap_or_default();
            return Ok(Some(Server {
                host: parsed.host_str().unwrap_or_default().to_owned(),
                port: parsed.port().unwrap_or(match security {
                    Security::Tls => 465,
                    Security::StartTls => 587,
                    Security::None => 25,
                }),
                security,
                credentials: (!user.is_empty()).then(|| Credentials::new(user, pass)),
            }));
        }
        let host = config.host.trim();
        if host.is_empty() {
            return Ok(None);
        }
        let security = match config.tls.as_str() {
            "starttls" => Security::StartTls,
            "tls" => Security::Tls,
            "none" => Security::None,
            other => bail!("`[smtp] tls = \"{other}\"`: use \"starttls\", \"tls\" or \"none\""),
        };
        let user = config.user.trim();
        Ok(Some(Server {
            host: host.to_owned(),
            port: config.port,
            security,
            credentials: (!user.is_empty()).then(|| {
                Credentials::new(user.to_owned(), password.unwrap_or_default().to_owned())
            }),
        }))
    }
}

/// A URL's user or password as the characters it stands for: percent escapes decoded, and a
/// `+` kept as `+` (this is a URL, not a form: `+` is not a space).
fn url_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// A pool of SMTP connections to one server.
pub struct SmtpPool {
    server: Server,
    hello: ClientId,
    /// Connections waiting for a message, with when each last did something.
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
    timeout: Duration,
    /// A connection idle this long is checked with `NOOP` before it is used.
    check_idle_after: Duration,
}

/// How long a pooled connection may wait before it is checked with `NOOP` (a campaign's
/// connections, busy all the time, are not asked; one left from a message a while ago is).
const CHECK_IDLE_AFTER: Duration = Duration::from_secs(2);

/// Why a send failed, and whether the server had accepted a recipient by then.
struct Failed {
    accepted: bool,
    why: SendError,
}

enum SendError {
    Smtp(lettre::transport::smtp::Error),
    /// The message needs an extension the server does not offer.
    Unsupported(&'static str),
}

/// Sends `bytes` to the recipients of `envelope` on `connection`: what lettre's `send` does,
/// step by step, so that a failure says whether any recipient was accepted before it.
async fn send_on(
    connection: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    bytes: &[u8],
) -> Result<(), Failed> {
    let before = |why| Failed {
        accepted: false,
        why,
    };
    let mut options = Vec::new();
    let non_ascii = envelope
        .from()
        .into_iter()
        .chain(envelope.to())
        .any(|a| !AsRef::<str>::as_ref(a).is_ascii());
    if non_ascii {
        if !connection
            .server_info()
            .supports_feature(Extension::SmtpUtfEight)
        {
            return Err(before(SendError::Unsupported(
                "the address is not ASCII and the server does not offer SMTPUTF8",
            )));
        }
        options.push(MailParameter::SmtpUtfEight);
    }
    if !bytes.is_ascii() {
        if !connection
            .server_info()
            .supports_feature(Extension::EightBitMime)
        {
            return Err(before(SendError::Unsupported(
                "the message is not ASCII and the server does not offer 8BITMIME",
            )));
        }
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    connection
        .command(Mail::new(envelope.from().cloned(), options))
        .await
        .map_err(|e| before(SendError::Smtp(e)))?;
    let mut accepted = false;
    for to in envelope.to() {
        connection
            .command(Rcpt::new(to.clone(), Vec::new()))
            .await
            .map_err(|e| Failed {
                accepted,
                why: SendError::Smtp(e),
            })?;
        accepted = true;
    }
    let after = |e| Failed {
        accepted: true,
        why: SendError::Smtp(e),
    };
    connection.command(Data).await.map_err(after)?;
    connection.message(bytes).await.map_err(after)?;
    Ok(())
}

/// A failure a new connection may not have: the connection is gone (no answer, or the
/// server's 421 "closing"), not an answer about this message.
fn lost_connection(why: &SendError) -> bool {
    match why {
        SendError::Smtp(e) => {
            !e.is_permanent() && e.status().is_none_or(|code| code.to_string() == "421")
        }
        SendError::Unsupported(_) => false,
    }
}

impl std::fmt::Debug for SmtpPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpPool")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

/// An error of lettre as a refusal: permanent for a 5xx answer, temporary otherwise.
fn refusal(e: &lettre::transport::smtp::Error) -> Refusal {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    let text = text.replace(['\r', '\n'], " ");
    if e.is_permanent() {
        Refusal::Permanent(text)
    } else {
        Refusal::Temporary(text)
    }
}

impl SmtpPool {
    /// A pool for `server`.
    pub fn new(server: Server) -> SmtpPool {
        SmtpPool {
            server,
            hello: ClientId::default(),
            idle: Mutex::new(Vec::new()),
            timeout: Duration::from_mins(1),
            check_idle_after: CHECK_IDLE_AFTER,
        }
    }

    /// A connection for the next message, and whether it comes from the pool: a pooled one
    /// idle for a while must answer `NOOP` (else it is dropped and the next one tried), and
    /// a new one is opened when none is left.
    async fn take(&self) -> Result<(AsyncSmtpConnection, bool), Refusal> {
        loop {
            let pooled = self.idle.lock().await.pop();
            let Some((mut connection, since)) = pooled else {
                return Ok((self.connect().await?, false));
            };
            if since.elapsed() < self.check_idle_after {
                return Ok((connection, true));
            }
            match tokio::time::timeout(self.timeout, connection.test_connected()).await {
                Ok(true) => return Ok((connection, true)),
                _ => connection.abort().await,
            }
        }
    }

    /// Connects as a send would (TLS, `EHLO`, login when credentials are set) and says
    /// `QUIT`: no mail is sent.
    pub async fn check(&self) -> Result<(), Refusal> {
        let mut connection = self.connect().await?;
        let _ = connection.quit().await;
        Ok(())
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, Refusal> {
        let server = &self.server;
        let tls = || {
            TlsParameters::new(server.host.clone())
                .map_err(|e| Refusal::Permanent(format!("TLS settings for {}: {e}", server.host)))
        };
        let mut connection = if server.security == Security::Tls {
            AsyncSmtpConnection::connect_tokio1(
                (server.host.as_str(), server.port),
                Some(self.timeout),
                &self.hello,
                Some(tls()?),
                None,
            )
            .await
            .map_err(|e| refusal(&e))?
        } else {
            let connect = tokio::net::TcpStream::connect((server.host.as_str(), server.port));
            let stream = tokio::time::timeout(self.timeout, connect)
                .await
                .map_err(|_| Refusal::Temporary(format!("{}: connection timed out", server.host)))?
                .map_err(|e| {
                    Refusal::Temporary(format!(
                        "cannot connect to {}:{}: {e}",
                        server.host, server.port
                    ))
                })?;
            stream.set_nodelay(true).ok();
            let mut connection =
                AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello)
                    .await
                    .map_err(|e| refusal(&e))?;
            if server.security == Security::StartTls {
                connection
                    .starttls(tls()?, &self.hello)
                    .await
                    .map_err(|e| refusal(&e))?;
            }
            connection
        };
        if let Some(credentials) = &server.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(|e| refusal(&e))?;
        }
        Ok(connection)
    }

    /// Closes the idle connections politely.
    pub async fn close(&self) {
        let idle = std::mem::take(&mut *self.idle.lock().await);
        for (mut connection, _) in idle {
            let _ = connection.quit().await;
        }
    }
}

impl Transport for SmtpPool {
    async fn deliver(&self, _to: &str, _name: &str, message: Message) -> Result<(), Refusal> {
        let envelope = message.envelope().clone();
        let bytes = message.formatted();
        let (mut connection, mut pooled) = self.take().await?;
        loop {
            let sent =
                tokio::time::timeout(self.timeout, send_on(&mut connection, &envelope, &bytes))
                    .await;
            let failed = match sent {
                Err(_) => {
                    connection.abort().await;
                    return Err(Refusal::Temporary(
                        "the server did not answer in time".into(),
                    ));
                }
                Ok(Ok(())) => {
                    if connection.has_broken() {
                        connection.abort().await;
                    } else {
                        self.idle.lock().await.push((connection, Instant::now()));
                    }
                    return Ok(());
                }
                Ok(Err(failed)) => failed,
            };
            // After a failed command the connection's state is unknown: never reused.
            connection.abort().await;
            if pooled && !failed.accepted && lost_connection(&failed.why) {
                // A pooled connection the server had closed: nothing was delivered, so the
                // message goes again, once, on a new connection.
                connection = self.connect().await?;
                pooled = false;
                continue;
            }
            return Err(match failed.why {
                SendError::Smtp(e) => refusal(&e),
                SendError::Unsupported(why) => Refusal::Temporary(why.to_owned()),
            });
        }
    }
}

/// The pool of `[smtp]` (or `WEEKLY_SMTP_URL`), checked to have a sender; `None` when no
/// server is configured. Campaigns and the outbox (`mail::Outgoing::smtp`) both send through it.
pub fn campaign_pool(
    config: &SmtpConfig,
    url: Option<&str>,
    password: Option<&str>,
) -> Result<Option<(SmtpPool, lettre::message::Mailbox)>> {
    let Some(server) = Server::of(config, url, password)? else {
        return Ok(None);
    };
    Ok(Some((SmtpPool::new(server), crate::mail::sender(config)?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command};

    /// `crates/weekly/tests/support/smtp_server.py` (aiosmtpd) on 127.0.0.1:`port`, logging
    /// what it accepts to `log`; `None` with a printed reason when aiosmtpd is missing (a
    /// failure with `WEEKLY_REQUIRE_SMTP`).
    fn smtp_server(port: u16, log: &Path, extra: &[&str]) -> Option<Stopped> {
        use std::io::Write as _;
        let available = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success());
        if !available {
            assert!(
                std::env::var_os("WEEKLY_REQUIRE_SMTP").is_none()
                    && std::env::var("CI").map_or(true, |v| matches!(v.trim(), "" | "0" | "false")),
                "Python's aiosmtpd is missing, and WEEKLY_REQUIRE_SMTP or CI is set: the SMTP test cannot run"
            );
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: needs Python's aiosmtpd (`pip install aiosmtpd`)"
            );
            return None;
        }
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../weekly/tests/support/smtp_server.py");
        let child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(log)
            .args(extra)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let server = Stopped(child);
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(server);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the SMTP server did not start on port {port}");
    }

    /// A child process killed when dropped.
    struct Stopped(Child);

    impl Drop for Stopped {
        fn drop(&mut self) {
            self.0.kill().ok();
            self.0.wait().ok();
        }
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    fn pool(port: u16) -> SmtpPool {
        SmtpPool::new(Server {
            host: "127.0.0.1".into(),
            port,
            security: Security::None,
            credentials: None,
        })
    }

    fn message(to: &str) -> Message {
        let from: lettre::message::Mailbox = "weekly <weekly@example.org>".parse().unwrap();
        let mail = weekly_store::OutboxMail {
            kind: "test".into(),
            recipient: to.into(),
            subject: "s".into(),
            body_text: "b".into(),
            body_html: String::new(),
            list_unsubscribe: String::new(),
        };
        crate::mail::message(&from, &mail).unwrap()
    }

    fn accepted(log: &Path) -> usize {
        std::fs::read_to_string(log)
            .unwrap_or_default()
            .lines()
            .count()
    }

    /// The server closes connections idle for a second; the next message, three seconds
    /// later, goes on a new connection without a failed attempt.
    #[tokio::test]
    async fn a_connection_the_server_closed_while_idle_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let port = free_port();
        let Some(_server) = smtp_server(port, &log, &["--idle", "1"]) else {
            return;
        };
        let pool = pool(port);
        pool.deliver("a@x.org", "a", message("a@x.org"))
            .await
            .unwrap();
        assert_eq!(pool.idle.lock().await.len(), 1);
        tokio::time::sleep(Duration::from_secs(3)).await;
        pool.deliver("b@x.org", "b", message("b@x.org"))
            .await
            .unwrap_or_else(|e| panic!("the stale connection was used: {e:?}"));
        assert_eq!(accepted(&log), 2);
    }

    /// The server restarts between two messages, and the pooled connection is not checked
    /// first (it looks fresh): the send fails before any recipient was accepted, and goes
    /// again on a new connection, once.
    #[tokio::test]
    async fn a_server_restarted_between_two_messages_costs_no_failed_attempt() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let port = free_port();
        let Some(server) = smtp_server(port, &log, &[]) else {
            return;
        };
        let mut pool = pool(port);
        pool.check_idle_after = Duration::from_hours(1);
        pool.deliver("a@x.org", "a", message("a@x.org"))
            .await
            .unwrap();
        drop(server);
        let again = smtp_server(port, &log, &[]).unwrap();
        pool.deliver("b@x.org", "b", message("b@x.org"))
            .await
            .unwrap_or_else(|e| panic!("the dead connection was used: {e:?}"));
        assert_eq!(accepted(&log), 2);
        // A refusal of the message itself is not sent again.
        let rejecting = dir.path().join("log2");
        drop(again);
        let _rejecting = smtp_server(port, &rejecting, &["--reject", "c@"]).unwrap();
        let refused = pool.deliver("c@x.org", "c", message("c@x.org")).await;
        assert!(matches!(refused, Err(Refusal::Permanent(_))), "{refused:?}");
    }

    /// `WEEKLY_SMTP_URL` with `+` and `%40` in its user and password logs in with exactly
    /// those characters (`+` is not a space, `%40` is `@`).
    #[tokio::test]
    async fn the_smtp_urls_credentials_are_percent_decoded_not_form_decoded() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let port = free_port();
        let Some(_server) = smtp_server(
            port,
            &log,
            &["--user", "ed+itor@weekly", "--password", "p+ss@word 1"],
        ) else {
            return;
        };
        let url = format!("smtp://ed+itor%40weekly:p+ss%40word%201@127.0.0.1:{port}");
        let server = Server::of(&SmtpConfig::default(), Some(&url), None)
            .unwrap()
            .unwrap();
        tokio::time::timeout(
            Duration::from_secs(20),
            SmtpPool::new(server).deliver("a@x.org", "a", message("a@x.org")),
        )
        .await
        .expect("the first delivery hangs")
        .unwrap_or_else(|e| panic!("login refused: {e:?}"));
        let said = std::fs::read_to_string(&log).unwrap();
        assert!(said.starts_with("auth\tok\na@x.org\t"), "{said}");
        // The same server refuses the characters a form decoding gives (aiosmtpd then holds
        // the connection, so the refusal is read from its log, not awaited).
        let wrong = format!("smtp://ed+itor%40weekly:p%20ss%40word%201@127.0.0.1:{port}");
        let pool = SmtpPool::new(
            Server::of(&SmtpConfig::default(), Some(&wrong), None)
                .unwrap()
                .unwrap(),
        );
        let attempt = tokio::spawn(async move {
            let _ = pool.deliver("b@x.org", "b", message("b@x.org")).await;
        });
        let until = std::time::Instant::now() + Duration::from_secs(10);
        while !std::fs::read_to_string(&log)
            .unwrap()
            .contains("auth\trefused")
        {
            assert!(std::time::Instant::now() < until, "no refused login");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        attempt.abort();
        let said = std::fs::read_to_string(&log).unwrap();
        assert!(
            !said.contains("b@x.org"),
            "a message went out without a login: {said}"
        );
    }

    /// Through the outbox: a mail after an idle period is sent, not counted as failed.
    #[tokio::test]
    async fn the_outbox_sends_the_first_mail_after_an_idle_period() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let port = free_port();
        let Some(_server) = smtp_server(port, &log, &["--idle", "1"]) else {
            return;
        };
        let config = crate::config::SmtpConfig {
            from: "weekly <weekly@example.org>".into(),
            ..Default::default()
        };
        let url = format!("smtp://127.0.0.1:{port}");
        let outgoing = crate::mail::Outgoing::smtp(&config, Some(&url), None)
            .unwrap()
            .unwrap();
        let store = weekly_store::Store::open(&dir.path().join("weekly.db"))
            .await
            .unwrap();
        let mut failures = Vec::new();
        for to in ["a@x.org", "b@x.org"] {
            store
                .enqueue_mail(
                    &weekly_store::OutboxMail {
                        kind: "test".into(),
                        recipient: to.into(),
                        subject: "s".into(),
                        body_text: "b".into(),
                        body_html: String::new(),
                        list_unsubscribe: String::new(),
                    },
                    "2026-12-01T00:00:00Z",
                )
                .await
                .unwrap();
            let lines = std::sync::Mutex::new(Vec::new());
            let done = outgoing
                .flush(&store, 10, false, &|l| {
                    lines.lock().unwrap().push(l.to_owned());
                })
                .await
                .unwrap();
            failures.extend(lines.into_inner().unwrap());
            assert_eq!((done.sent, done.failed), (1, 0), "{to}: {failures:?}");
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
        assert_eq!(accepted(&log), 2);
    }
}
