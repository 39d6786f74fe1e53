//! The connections a campaign sends through: opened on demand up to `[smtp] concurrency`,
//! kept open between messages, dropped when broken. Each socket has Nagle's algorithm off:
//! lettre writes a message's closing `.` apart from its body, and with Nagle on that small
//! write waits for the server's delayed acknowledgement (40 ms a message on Linux).

use crate::config::SmtpConfig;
use crate::sender::{Refusal, Transport};
use anyhow::{Context, Result, bail};
use lettre::Message;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use std::time::Duration;
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

fn url_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A pool of SMTP connections to one server.
pub struct SmtpPool {
    server: Server,
    hello: ClientId,
    idle: Mutex<Vec<AsyncSmtpConnection>>,
    timeout: Duration,
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
        }
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
        for mut connection in idle {
            let _ = connection.quit().await;
        }
    }
}

impl Transport for SmtpPool {
    async fn deliver(&self, _to: &str, _name: &str, message: Message) -> Result<(), Refusal> {
        let envelope = message.envelope().clone();
        let bytes = message.formatted();
        let pooled = self.idle.lock().await.pop();
        let mut connection = match pooled {
            Some(connection) => connection,
            None => self.connect().await?,
        };
        let sent = tokio::time::timeout(self.timeout, connection.send(&envelope, &bytes)).await;
        let result = match sent {
            Err(_) => {
                connection.abort().await;
                return Err(Refusal::Temporary(
                    "the server did not answer in time".into(),
                ));
            }
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(refusal(&e)),
        };
        if connection.has_broken() {
            connection.abort().await;
        } else {
            self.idle.lock().await.push(connection);
        }
        result
    }
}

/// The pool of `[smtp]` (or `WEEKLY_SMTP_URL`), checked to have a sender; `None` when no
/// server is configured. Campaigns and the outbox (`mail::SmtpMailer`) both send through it.
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
