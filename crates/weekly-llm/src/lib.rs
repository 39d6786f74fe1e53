//! A client for OpenAI-compatible chat-completions endpoints (OpenAI, DeepSeek, Gemini's
//! compatible endpoint, Ollama, vLLM, llama.cpp server): one system and one user message in,
//! the answer and its token counts out. Timeouts, retries with exponential back-off and jitter
//! on 429, 5xx and network errors (honouring `Retry-After`), and a requests-per-minute limit.
//! The API key is sent in the `Authorization` header and never appears in errors or logs.

use backon::{ExponentialBuilder, Retryable};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde_json::{Value, json};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Where and how to call the model.
#[derive(Clone)]
pub struct ClientConfig {
    /// Base URL up to `/v1` (the client appends `/chat/completions`).
    pub base_url: String,
    /// Model name.
    pub model: String,
    /// Bearer token; `None` for local servers without authentication.
    pub api_key: Option<String>,
    /// Sampling temperature.
    pub temperature: f32,
    /// Time allowed for one request, answer included.
    pub timeout: Duration,
    /// Retries after the first attempt.
    pub max_retries: usize,
    /// First back-off delay; it doubles up to `max_backoff`, with jitter.
    pub min_backoff: Duration,
    /// Longest back-off delay.
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this gives up instead of waiting.
    pub max_retry_after: Duration,
    /// Requests per minute, if limited; requests are spaced evenly (60 s / n apart).
    pub requests_per_minute: Option<u32>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<hidden>"))
            .field("temperature", &self.temperature)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("requests_per_minute", &self.requests_per_minute)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// Defaults for everything but the endpoint and model.
    pub fn new(base_url: &str, model: &str) -> ClientConfig {
        ClientConfig {
            base_url: base_url.trim_end_matches('/').to_owned(),
            model: model.to_owned(),
            api_key: None,
            temperature: 0.2,
            timeout: Duration::from_mins(2),
            max_retries: 5,
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_mins(2),
            requests_per_minute: None,
        }
    }
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The assistant message.
    pub text: String,
    /// Tokens of the request, as the server counted them.
    pub prompt_tokens: u64,
    /// Tokens of the answer.
    pub completion_tokens: u64,
}

/// Why a request failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LlmError {
    /// The server answered with an error status.
    #[error("HTTP {status}: {message}")]
    Status {
        /// The status code.
        status: u16,
        /// The server's error message.
        message: String,
        /// The `Retry-After` the server asked for.
        retry_after: Option<Duration>,
    },
    /// The request did not get an answer in time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// No connection could be made (no network, a wrong host or port, nothing listening).
    #[error("cannot connect to the model's server: {0}")]
    Connect(String),
    /// Connection or protocol failure.
    #[error("cannot reach the model: {0}")]
    Transport(String),
    /// The answer is not a chat completion.
    #[error("the answer is not a chat completion: {0}")]
    Malformed(String),
}

impl LlmError {
    /// Worth another attempt: 408, 409, 429, 5xx, timeouts and network errors.
    pub fn retryable(&self) -> bool {
        match self {
            LlmError::Status { status, .. } => {
                matches!(status, 408 | 409 | 429) || (500..600).contains(status)
            }
            LlmError::Timeout(_) | LlmError::Transport(_) | LlmError::Connect(_) => true,
            LlmError::Malformed(_) => false,
        }
    }

    /// No request can succeed: a wrong key, a wrong model or URL, or no connection after the
    /// retries (the other units would only wait for the same).
    pub fn fatal(&self) -> bool {
        matches!(self, LlmError::Status { status, .. } if matches!(status, 401 | 403 | 404))
            || matches!(self, LlmError::Connect(_))
    }
}

/// Something that completes a chat: the real client, or a stand-in in tests.
pub trait ChatModel: Send + Sync {
    /// The model name (part of the translation-memory key).
    fn model(&self) -> &str;
    /// One completion: `system` instructions, `user` content.
    fn complete(
        &self,
        system: &str,
        user: &str,
    ) -> impl Future<Output = Result<Completion, LlmError>> + Send;
}

/// The HTTP client.
#[derive(Debug)]
pub struct OpenAiClient {
    http: reqwest::Client,
    config: ClientConfig,
    limiter: Option<DefaultDirectRateLimiter>,
    requests: AtomicU64,
    retries: AtomicU64,
}

/// Counters of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Of which retries.
    pub retries: u64,
}

impl OpenAiClient {
    /// A client for `config`.
    pub fn new(config: ClientConfig) -> Result<OpenAiClient, LlmError> {
        let http = weekly_http::builder(weekly_http::Timeouts::total(config.timeout))
            .build()
            .map_err(|e| LlmError::Transport(e.to_string()))?;
        let limiter = config
            .requests_per_minute
            .and_then(NonZeroU32::new)
            // Evenly spaced: no burst at the start of a run.
            .map(|n| RateLimiter::direct(Quota::per_minute(n).allow_burst(NonZeroU32::MIN)));
        Ok(OpenAiClient {
            http,
            config,
            limiter,
            requests: AtomicU64::new(0),
            retries: AtomicU64::new(0),
        })
    }

    /// Requests and retries so far.
    pub fn usage(&self) -> Usage {
        Usage {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
        }
    }

    async fn once(&self, system: &str, user: &str) -> Result<Completion, LlmError> {
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        let body = json!({
            "model": self.config.model,
            "temperature": self.config.temperature,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
        });
        let mut request = self
            .http
            .post(format!("{}/chat/completions", self.config.base_url))
            .json(&body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.map_err(|e| self.transport(&e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        let text = response.text().await.map_err(|e| self.transport(&e))?;
        if !status.is_success() {
            let message = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
                .unwrap_or_else(|| text.chars().take(200).collect());
            // A server (or a proxy) may echo the request's `Authorization` header.
            return Err(LlmError::Status {
                status: status.as_u16(),
                message: self.redact(&message),
                retry_after,
            });
        }
        parse_completion(&text).map_err(|e| match e {
            LlmError::Malformed(message) => LlmError::Malformed(self.redact(&message)),
            other => other,
        })
    }

    fn transport(&self, error: &reqwest::Error) -> LlmError {
        if error.is_timeout() {
            LlmError::Timeout(self.config.timeout)
        } else if error.is_connect() {
            LlmError::Connect(self.redact(&error.to_string()))
        } else {
            // reqwest's message names the URL, never the headers.
            LlmError::Transport(self.redact(&error.to_string()))
        }
    }

    /// `text` without the API key.
    fn redact(&self, text: &str) -> String {
        let key = self.config.api_key.as_deref().unwrap_or_default();
        weekly_model::shown::redact(text, &[key]).into_owned()
    }
}

/// Reads a chat-completion answer.
pub fn parse_completion(text: &str) -> Result<Completion, LlmError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        // What came back, shortened, so that a proxy's error page or an empty body is seen.
        let shown: String = text
            .chars()
            .take(160)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let shown = if shown.trim().is_empty() {
            "an empty body".to_owned()
        } else {
            format!("`{}`", shown.trim())
        };
        LlmError::Malformed(format!("{e} (the server answered {shown})"))
    })?;
    let content = value["choices"][0]["message"]["content"]
        .as_str()
        .ok_or_else(|| LlmError::Malformed("no choices[0].message.content".into()))?;
    Ok(Completion {
        text: content.to_owned(),
        prompt_tokens: value["usage"]["prompt_tokens"].as_u64().unwrap_or(0),
        completion_tokens: value["usage"]["completion_tokens"].as_u64().unwrap_or(0),
    })
}

impl ChatModel for OpenAiClient {
    fn model(&self) -> &str {
        &self.config.model
    }

    async fn complete(&self, system: &str, user: &str) -> Result<Completion, LlmError> {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.config.min_backoff)
            .with_max_delay(self.config.max_backoff)
            .with_max_times(self.config.max_retries)
            .with_jitter();
        let max_wait = self.config.max_retry_after;
        (|| self.once(system, user))
            .retry(backoff)
            .when(LlmError::retryable)
            .adjust(|error, delay| {
                // `delay` is None once the retries are used up: stop then, whatever the server
                // asked. Otherwise wait what the server asked, unless that is unreasonable.
                let delay = delay?;
                match error {
                    LlmError::Status {
                        retry_after: Some(wait),
                        ..
                    } => (*wait <= max_wait).then_some(*wait),
                    _ => Some(delay),
                }
            })
            .notify(|_, _| {
                self.retries.fetch_add(1, Ordering::Relaxed);
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weekly_fake_llm::{FakeLlm, Fault, Options};

    fn client(server: &FakeLlm, key: Option<&str>) -> OpenAiClient {
        let mut config = ClientConfig::new(&server.base_url(), "fake-1");
        config.api_key = key.map(str::to_owned);
        config.min_backoff = Duration::from_millis(10);
        config.max_backoff = Duration::from_millis(40);
        config.timeout = Duration::from_secs(2);
        config.max_retries = 3;
        OpenAiClient::new(config).unwrap()
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn retries_429_after_the_wait_the_server_asks_and_500s_with_backoff() {
        let server = FakeLlm::start(Options::default()).unwrap();
        server.add("限流", Fault::RateLimit(1), 1);
        server.add("出错", Fault::ServerError, 2);
        let client = client(&server, None);
        let rt = runtime();
        let started = std::time::Instant::now();
        let answer = rt.block_on(client.complete("sys", "限流")).unwrap();
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "Retry-After honoured"
        );
        assert!(!answer.text.is_empty());
        assert!(answer.completion_tokens > 0);
        rt.block_on(client.complete("sys", "出错")).unwrap();
        assert_eq!(
            client.usage(),
            Usage {
                requests: 5,
                retries: 3
            }
        );
        let received = server.received();
        assert_eq!(received[0].system, "sys");
        assert_eq!(received[0].user, "限流");
        assert_eq!(received[0].model, "fake-1");
    }

    #[test]
    fn gives_up_after_the_retries_and_on_fatal_errors() {
        let server = FakeLlm::start(Options {
            api_key: Some("sk-secret-123".into()),
            ..Options::default()
        })
        .unwrap();
        server.add("总是出错", Fault::ServerError, 100);
        let rt = runtime();
        let wrong = client(&server, Some("sk-wrong-456"));
        let error = rt.block_on(wrong.complete("s", "x")).unwrap_err();
        assert!(error.fatal(), "{error}");
        assert_eq!(wrong.usage().requests, 1, "401 is not retried");
        assert!(!format!("{error} {wrong:?}").contains("sk-wrong-456"));

        let right = client(&server, Some("sk-secret-123"));
        let error = rt.block_on(right.complete("s", "总是出错")).unwrap_err();
        assert!(
            matches!(error, LlmError::Status { status: 500, .. }),
            "{error}"
        );
        assert_eq!(right.usage().requests, 4, "first attempt and 3 retries");
        assert_eq!(
            server.received().last().unwrap().authorization.as_deref(),
            Some("Bearer sk-secret-123")
        );
    }

    #[test]
    fn a_stalled_answer_times_out_and_is_retried() {
        let server = FakeLlm::start(Options::default()).unwrap();
        server.add("慢", Fault::Stall(Duration::from_secs(5)), 1);
        let rt = runtime();
        let mut config = ClientConfig::new(&server.base_url(), "fake-1");
        config.timeout = Duration::from_millis(300);
        config.min_backoff = Duration::from_millis(10);
        let client = OpenAiClient::new(config).unwrap();
        let answer = rt.block_on(client.complete("s", "慢")).unwrap();
        assert!(!answer.text.is_empty());
        assert_eq!(client.usage().retries, 1);
    }

    #[test]
    fn an_unreasonable_retry_after_gives_up() {
        let server = FakeLlm::start(Options::default()).unwrap();
        server.add("", Fault::RateLimit(3600), 1);
        let rt = runtime();
        let client = client(&server, None);
        let error = rt.block_on(client.complete("s", "x")).unwrap_err();
        assert!(
            matches!(error, LlmError::Status { status: 429, .. }),
            "{error}"
        );
        assert_eq!(client.usage().requests, 1);
    }

    #[test]
    fn requests_per_minute_space_the_requests() {
        let server = FakeLlm::start(Options::default()).unwrap();
        let mut config = ClientConfig::new(&server.base_url(), "fake-1");
        config.requests_per_minute = Some(1200); // one every 50 ms
        let client = OpenAiClient::new(config).unwrap();
        let rt = runtime();
        let started = std::time::Instant::now();
        for _ in 0..5 {
            rt.block_on(client.complete("s", "x")).unwrap();
        }
        assert!(
            started.elapsed() >= Duration::from_millis(200),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.request_count(), 5);
    }

    #[test]
    fn malformed_answers_are_errors() {
        assert!(parse_completion("{}").is_err());
        assert!(parse_completion("<html>").is_err());
        let ok = parse_completion(r#"{"choices":[{"message":{"content":"hi"}}]}"#).unwrap();
        assert_eq!(ok.text, "hi");
    }
}
