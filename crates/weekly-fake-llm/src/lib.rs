//! A local OpenAI-compatible chat-completions server for tests and benchmarks. It "translates"
//! Chinese Markdown into English-looking words while keeping links, code and numbers, waits a
//! set latency like a real model, applies the glossary listed in the system message, and can be
//! told to misbehave: 429 with `Retry-After`, 500, an answer that drops a link or keeps Chinese.
//! Asked to draft an entry (`weekly inbox draft`), it answers the JSON asked for, made from
//! the page in the request.

mod draft;
mod translate;

/// The first line of a draft request's system message (`weekly inbox draft`).
pub const DRAFT_MARKER: &str = "weekly:draft-entry";

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use weekly_fake_web::Server;

pub use translate::pseudo_translate;

/// A way to misbehave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer 429 with this `Retry-After` (seconds).
    RateLimit(u64),
    /// Answer 500.
    ServerError,
    /// Translate, then drop the URL of the first link.
    DropLink,
    /// Answer with the source unchanged (Chinese kept).
    KeepChinese,
    /// Wait this long before answering (to trip client timeouts).
    Stall(Duration),
    /// Answer with this text.
    Reply(String),
}

/// A fault applied to requests whose user message contains `when` (every request if empty),
/// `times` times.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Text the user message must contain.
    pub when: String,
    /// What to do.
    pub fault: Fault,
    /// How many matching requests get the fault.
    pub times: u32,
}

/// A request as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The `model` field.
    pub model: String,
    /// The system message.
    pub system: String,
    /// The user message.
    pub user: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
}

#[derive(Debug, Default)]
struct Shared {
    rules: Vec<Rule>,
    received: Vec<Received>,
}

#[derive(Debug, Clone)]
struct AppState {
    latency: Duration,
    api_key: Option<String>,
    shared: Arc<Mutex<Shared>>,
}

/// How the server behaves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Time taken by every answer.
    pub latency: Duration,
    /// When set, requests must carry `Authorization: Bearer <key>`.
    pub api_key: Option<String>,
}

/// A running server. Dropping it stops the server.
#[derive(Debug)]
pub struct FakeLlm {
    server: Server,
    shared: Arc<Mutex<Shared>>,
}

impl FakeLlm {
    /// Starts a server on 127.0.0.1 with an ephemeral port, on its own thread and runtime.
    pub fn start(options: Options) -> std::io::Result<FakeLlm> {
        Self::start_on(options, 0)
    }

    /// Starts a server on 127.0.0.1:`port` (0 for any).
    pub fn start_on(options: Options, port: u16) -> std::io::Result<FakeLlm> {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let state = AppState {
            latency: options.latency,
            api_key: options.api_key,
            shared: Arc::clone(&shared),
        };
        let app = Router::new()
            .route("/v1/chat/completions", post(complete))
            .route("/chat/completions", post(complete))
            .with_state(state);
        Ok(FakeLlm {
            server: Server::start("fake-llm", port, app)?,
            shared,
        })
    }

    /// The base URL to configure: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.server.addr())
    }

    /// Adds a fault rule.
    pub fn add(&self, when: &str, fault: Fault, times: u32) {
        self.lock().rules.push(Rule {
            when: when.to_owned(),
            fault,
            times,
        });
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// Number of requests received so far.
    pub fn request_count(&self) -> usize {
        self.lock().received.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    let body = json!({"error": {"message": message, "type": "fake_llm_error"}});
    (status, axum::Json(body)).into_response()
}

async fn complete(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(key) = &state.api_key
        && authorization.as_deref() != Some(format!("Bearer {key}").as_str())
    {
        // Like some servers and proxies, it echoes what it was sent.
        return error(
            StatusCode::UNAUTHORIZED,
            &format!(
                "Incorrect API key provided: {}",
                authorization.as_deref().unwrap_or("none")
            ),
        );
    }
    let Ok(request) = serde_json::from_str::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "the body is not JSON");
    };
    let model = request["model"].as_str().unwrap_or_default().to_owned();
    let mut system = String::new();
    let mut user = String::new();
    for message in request["messages"].as_array().into_iter().flatten() {
        let content = message["content"].as_str().unwrap_or_default();
        match message["role"].as_str() {
            Some("system") => system.push_str(content),
            Some("user") => user.push_str(content),
            _ => {}
        }
    }
    let fault = {
        let mut shared = state
            .shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        shared.received.push(Received {
            model: model.clone(),
            system: system.clone(),
            user: user.clone(),
            authorization,
        });
        shared
            .rules
            .iter_mut()
            .find(|r| r.times > 0 && user.contains(&r.when))
            .map(|r| {
                r.times -= 1;
                r.fault.clone()
            })
    };
    tokio::time::sleep(state.latency).await;
    let content = match fault {
        Some(Fault::RateLimit(seconds)) => {
            let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Rate limit reached");
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(seconds));
            return response;
        }
        Some(Fault::ServerError) => {
            return error(StatusCode::INTERNAL_SERVER_ERROR, "The server had an error");
        }
        Some(Fault::Stall(duration)) => {
            tokio::time::sleep(duration).await;
            pseudo_translate(&user, &system)
        }
        Some(Fault::KeepChinese) => user.clone(),
        Some(Fault::Reply(text)) => text,
        None if system.starts_with(DRAFT_MARKER) => draft::answer(&system, &user),
        Some(Fault::DropLink) => translate::drop_first_url(&pseudo_translate(&user, &system)),
        None => pseudo_translate(&user, &system),
    };
    let prompt_tokens = (system.chars().count() + user.chars().count()) / 3 + 1;
    let completion_tokens = content.chars().count() / 4 + 1;
    axum::Json(json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_764_000_000,
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "finish_reason": "stop"
        }],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens
        }
    }))
    .into_response()
}
