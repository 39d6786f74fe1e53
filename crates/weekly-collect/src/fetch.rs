//! HTTP fetching with the limits a crawler of other people's servers needs: conditional GET
//! (`ETag`, `Last-Modified`, 304), gzip and brotli, a total and a read timeout, a cap on the
//! decompressed body (so a gzip bomb or an endless body stops early), a redirect limit that
//! also names loops, and a user agent. A body larger than [`IN_MEMORY`] goes to an unnamed
//! temporary file as it arrives, so the memory of a run does not grow with what sources send.

use std::borrow::Cow;
use std::error::Error as _;
use std::fmt;
use std::io::{Read as _, Seek as _, Write as _};
use std::sync::Arc;
use std::time::Duration;

/// Bodies up to this size are kept in memory; larger ones are written to a temporary file.
pub const IN_MEMORY: usize = 128 * 1024;

/// Limits for every request.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Whole request, body included.
    pub timeout: Duration,
    /// Connecting.
    pub connect_timeout: Duration,
    /// Largest body, after decompression.
    pub max_bytes: usize,
    /// Redirects followed.
    pub max_redirects: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
        }
    }
}

/// Validators of the last successful answer, sent back for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// A body that arrived.
#[derive(Debug, Clone)]
pub struct Body {
    /// The bytes, decompressed, of a body up to [`IN_MEMORY`] (else empty: see `spilled`).
    pub bytes: Vec<u8>,
    /// A larger body, in an unnamed temporary file (gone when the last handle is dropped).
    pub spilled: Option<Arc<std::fs::File>>,
    /// The body's length.
    pub len: usize,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// The validators to send next time.
    pub validators: Validators,
    /// The URL after redirects.
    pub final_url: String,
}

impl Body {
    /// The body to parse, with at most `max_items` items: a large body in UTF-8 is cut while it
    /// is read from its temporary file, so only what is kept comes into memory. The second
    /// value is the number of items left out.
    pub fn first_items(&self, max_items: usize) -> std::io::Result<(Cow<'_, [u8]>, usize)> {
        if let Some(file) = &self.spilled {
            let mut file: &std::fs::File = file;
            file.rewind()?;
            let mut head = Vec::with_capacity(1024);
            file.take(1024).read_to_end(&mut head)?;
            let utf8 = crate::decode::to_utf8(&head, self.content_type.as_deref()).1
                == encoding_rs::UTF_8
                && encoding_rs::Encoding::for_bom(&head).is_none();
            if utf8 && head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
                file.rewind()?;
                let cut = crate::cap::scan(std::io::BufReader::new(file), max_items.max(1));
                if let Some(cut) = cut {
                    file.rewind()?;
                    let mut kept = Vec::with_capacity(cut.at);
                    file.take(cut.at as u64).read_to_end(&mut kept)?;
                    return Ok((Cow::Owned(cut.apply(&kept)), cut.left));
                }
            }
        }
        Ok((self.contents()?, 0))
    }

    /// The whole body (read from its temporary file when it was large).
    pub fn contents(&self) -> std::io::Result<Cow<'_, [u8]>> {
        let Some(file) = &self.spilled else {
            return Ok(Cow::Borrowed(&self.bytes));
        };
        let mut file: &std::fs::File = file;
        file.rewind()?;
        let mut bytes = Vec::with_capacity(self.len);
        file.read_to_end(&mut bytes)?;
        Ok(Cow::Owned(bytes))
    }
}

/// What a GET gave.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// 304: nothing changed since the validators.
    NotModified,
    /// 200 with a body.
    Body(Body),
}

/// Why a GET failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// A status other than 200 or 304.
    #[error("HTTP {0}")]
    Status(u16),
    /// The body passed the cap.
    #[error("body larger than {0} bytes (after decompression)")]
    TooLarge(usize),
    /// The timeout passed.
    #[error("timed out after {0} s")]
    Timeout(u64),
    /// A redirect led back to a URL of the chain.
    #[error("redirect loop")]
    RedirectLoop,
    /// Too many redirects.
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    /// A broken compressed body.
    #[error("cannot decode the body: {0}")]
    Decode(String),
    /// Connection and protocol errors.
    #[error("{0}")]
    Network(String),
    /// The guard of URLs from outside refused the address (see [`crate::guard`]).
    #[error("refused: {0}")]
    Refused(String),
}

#[derive(Debug)]
enum RedirectProblem {
    Loop,
    TooMany,
}

impl fmt::Display for RedirectProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RedirectProblem::Loop => "redirect loop",
            RedirectProblem::TooMany => "too many redirects",
        })
    }
}

impl std::error::Error for RedirectProblem {}

/// A pooled HTTP client with limits, for the sources the editor configured (`sources.toml`):
/// they are trusted as configured and may be on this machine. A URL that came from a reader or
/// from a feed's content is fetched with [`crate::guard::GuardedFetcher`] instead.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    pub(crate) limits: Limits,
}

impl Fetcher {
    /// A client with `limits`.
    pub fn new(limits: Limits) -> Result<Fetcher, FetchError> {
        Fetcher::build(limits, None)
    }

    /// A client with `limits`. With `resolver` (the guard's), names are resolved by it, no
    /// proxy is used and redirects are not followed (the guard follows them itself, checking
    /// each hop); without it, redirects are followed up to the limit.
    pub(crate) fn build(
        limits: Limits,
        resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
    ) -> Result<Fetcher, FetchError> {
        let max = limits.max_redirects;
        let builder = weekly_http::builder(weekly_http::Timeouts {
            connect: limits.connect_timeout,
            total: limits.timeout,
        });
        let builder = match resolver {
            Some(resolver) => builder
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .dns_resolver(resolver),
            None => builder.redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().iter().any(|u| u == attempt.url()) {
                    attempt.error(RedirectProblem::Loop)
                } else if attempt.previous().len() > max {
                    attempt.error(RedirectProblem::TooMany)
                } else {
                    attempt.follow()
                }
            })),
        };
        let client = builder
            .build()
            .map_err(|e| FetchError::Network(chain(&e)))?;
        Ok(Fetcher { client, limits })
    }

    /// GETs `url`, conditionally when `validators` has values.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let response = with_headers(self.client.get(url), validators)
            .send()
            .await
            .map_err(|e| self.error(&e))?;
        self.read(response).await
    }

    /// A GET of `url` with the headers of every request (no redirect followed by a guarded
    /// client).
    pub(crate) async fn send(
        &self,
        url: url::Url,
        validators: &Validators,
    ) -> Result<reqwest::Response, FetchError> {
        with_headers(self.client.get(url), validators)
            .send()
            .await
            .map_err(|e| self.error(&e))
    }

    /// The answer of a request: 304, a status error, or the body within the limits.
    pub(crate) async fn read(
        &self,
        mut response: reqwest::Response,
    ) -> Result<Fetched, FetchError> {
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let validators = Validators {
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
        };
        let final_url = response.url().to_string();
        let max = self.limits.max_bytes;
        if response.content_length().is_some_and(|n| n as usize > max)
            && response
                .headers()
                .get(reqwest::header::CONTENT_ENCODING)
                .is_none()
        {
            return Err(FetchError::TooLarge(max));
        }
        let mut bytes = Vec::with_capacity(
            response
                .content_length()
                .map_or(64 * 1024, |n| (n as usize).min(max).min(IN_MEMORY)),
        );
        let mut spilled: Option<std::fs::File> = None;
        let mut len = 0;
        let spill_error = |e: std::io::Error| FetchError::Network(format!("temporary file: {e}"));
        while let Some(chunk) = response.chunk().await.map_err(|e| self.error(&e))? {
            if len + chunk.len() > max {
                return Err(FetchError::TooLarge(max));
            }
            len += chunk.len();
            if spilled.is_none() && len > IN_MEMORY {
                let mut file = tempfile::tempfile().map_err(spill_error)?;
                file.write_all(&bytes).map_err(spill_error)?;
                bytes = Vec::new();
                spilled = Some(file);
            }
            match &mut spilled {
                Some(file) => file.write_all(&chunk).map_err(spill_error)?,
                None => bytes.extend_from_slice(&chunk),
            }
        }
        Ok(Fetched::Body(Body {
            bytes,
            spilled: spilled.map(Arc::new),
            len,
            content_type,
            validators,
            final_url,
        }))
    }

    fn error(&self, e: &reqwest::Error) -> FetchError {
        let mut source = e.source();
        while let Some(s) = source {
            if let Some(refusal) = s.downcast_ref::<crate::guard::Refusal>() {
                return FetchError::Refused(refusal.to_string());
            }
            if let Some(problem) = s.downcast_ref::<RedirectProblem>() {
                return match problem {
                    RedirectProblem::Loop => FetchError::RedirectLoop,
                    RedirectProblem::TooMany => {
                        FetchError::TooManyRedirects(self.limits.max_redirects)
                    }
                };
            }
            source = s.source();
        }
        if e.is_timeout() {
            return FetchError::Timeout(self.limits.timeout.as_secs());
        }
        if e.is_decode() {
            return FetchError::Decode(chain(e));
        }
        FetchError::Network(chain(e))
    }
}

/// `request` with the headers of every request: what is accepted, the validators.
fn with_headers(
    request: reqwest::RequestBuilder,
    validators: &Validators,
) -> reqwest::RequestBuilder {
    let mut request = request.header(
        reqwest::header::ACCEPT,
        "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8",
    );
    if let Some(etag) = &validators.etag {
        request = request.header(reqwest::header::IF_NONE_MATCH, etag);
    }
    if let Some(date) = &validators.last_modified {
        request = request.header(reqwest::header::IF_MODIFIED_SINCE, date);
    }
    request
}

/// An error and its causes on one line.
fn chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}
