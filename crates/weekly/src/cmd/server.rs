//! `weekly server`: the public subscription endpoints (axum) on the workspace's database — sign
//! up with double opt-in, confirm, one-click unsubscribe, health — with a per-address rate
//! limit, a honeypot field, the same answer whether an address is known or not, and the
//! outbox sent in the background when `[smtp]` is set.

use crate::collector::{open_store, stamp};
use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use weekly_app::mail::{SmtpMailer, flush};
use weekly_app::tokens::{Purpose, Refused, Secret};
use weekly_model::Lang;
use weekly_model::email::Email;
use weekly_store::{NewSubscriber, OutboxMail, Store};

/// Arguments of `weekly server`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Endpoints:\n  POST /subscribe        form or JSON: `email`, `lang` \
(repeatable); a confirmation mail goes to the address (double opt-in)\n  GET  /confirm?token=…   \
confirms the subscription\n  GET  /unsubscribe?token=…  a page with one button\n  POST \
/unsubscribe?token=…  unsubscribes (also RFC 8058 one-click from mail clients)\n  GET  /healthz\n\n\
Links in mails point at `[server] public_url` (default: `base_url`). Tokens are signed with \
WEEKLY_SECRET, or a secret made once in the workspace (`.weekly-secret`, mode 0600). The \
outbox is sent every few seconds when `[smtp]` (or WEEKLY_SMTP_URL) is set. Only the endpoints \
are served so far; host the site itself elsewhere (`weekly build`)."
)]
pub struct Args {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Sign-ups accepted per client address and minute (more get 429).
    #[arg(long, default_value_t = 10)]
    pub per_minute: u32,
    /// The server sits behind a reverse proxy that appends the client's address to
    /// `X-Forwarded-For`: take the client from there (the last address) for the rate limit and
    /// the consent record. Without a proxy, leave it off: clients could name any address.
    #[arg(long)]
    pub behind_proxy: bool,
}

/// How long a confirmation link works.
const CONFIRM_SECONDS: i64 = 7 * 24 * 3600;
/// How long after a confirmation mail another one may be sent to the same address.
const RESEND_COOL_DOWN: chrono::Duration = chrono::Duration::minutes(10);

struct App {
    store: Store,
    secret: Secret,
    public_url: String,
    name: HashMap<Lang, String>,
    languages: Vec<Lang>,
    primary: Lang,
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    behind_proxy: bool,
}

impl App {
    /// The client's address: the connection's, or the proxy's last `X-Forwarded-For` entry.
    fn client(&self, socket: SocketAddr, headers: &HeaderMap) -> IpAddr {
        if self.behind_proxy
            && let Some(ip) = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|a| a.trim().parse::<IpAddr>().ok())
                .next_back()
        {
            return ip;
        }
        socket.ip()
    }
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let secret = Secret::of_workspace(
        &workspace.root,
        std::env::var("WEEKLY_SECRET").ok().as_deref(),
    )?;
    let config = &workspace.config;
    let public_url = match config.server.public_url.trim() {
        "" => config.base_url.trim_end_matches('/').to_owned(),
        url => url.trim_end_matches('/').to_owned(),
    };
    let per_minute = NonZeroU32::new(args.per_minute.max(1)).expect("at least 1");
    crate::runtime()?.block_on(async {
        let store = open_store(&workspace).await?;
        let app = Arc::new(App {
            store: store.clone(),
            secret,
            public_url,
            name: config.name.clone().into_iter().collect(),
            languages: config.languages.clone(),
            primary: config.primary_language.clone(),
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            behind_proxy: args.behind_proxy,
        });
        // The rate limiter keeps a state per client: forget the quiet ones every minute, so
        // that many addresses (spoofed behind a proxy, say) cannot grow it without bound.
        let pruned = app.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_mins(1)).await;
                pruned.limiter.retain_recent();
                pruned.limiter.shrink_to_fit();
            }
        });
        let env = |key: &str| std::env::var(key).ok();
        if let Some(mailer) = SmtpMailer::new(
            &config.smtp,
            env("WEEKLY_SMTP_URL").as_deref(),
            env("WEEKLY_SMTP_PASSWORD").as_deref(),
        )? {
            let store = store.clone();
            tokio::spawn(async move {
                loop {
                    let report = |line: &str| printer::status(&format!("mail not sent: {line}"));
                    if let Err(e) = flush(&store, &mailer, 100, false, &report).await {
                        printer::status(&format!("outbox: {e:#}"));
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
            });
        } else {
            printer::status("no mail server ([smtp] or WEEKLY_SMTP_URL): mails wait in the outbox");
        }
        let router = axum::Router::new()
            .route("/subscribe", post(subscribe))
            .route("/confirm", get(confirm))
            .route("/unsubscribe", get(unsubscribe_page).post(unsubscribe))
            .route("/healthz", get(|| async { "ok\n" }))
            .with_state(app);
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        printer::status(&format!("listening on http://{}/", listener.local_addr()?));
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
            }
            printer::status("stopping: finishing the requests in flight");
        })
        .await?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// A small HTML page (every text escaped).
fn page(status: StatusCode, title: &str, text: &str) -> Response {
    let e = weekly_site::markdown::escape;
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width\"><title>{}</title></head><body><main><h1>{}</h1><p>{}</p>\
         </main></body></html>",
        e(title),
        e(title),
        e(text)
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn database_down() -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Please try again",
        "The subscription service is busy or down; nothing was saved. Please try again in a \
         few minutes.",
    )
}

/// A sign-up: form fields or JSON.
#[derive(Debug, Default, serde::Deserialize)]
struct SignUp {
    #[serde(default)]
    email: String,
    #[serde(default)]
    lang: Vec<String>,
    /// The honeypot: hidden from people, filled by bots.
    #[serde(default)]
    website: String,
}

fn sign_up_of(headers: &HeaderMap, body: &[u8]) -> Option<SignUp> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        return serde_json::from_slice(body).ok();
    }
    let mut form = SignUp::default();
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "email" => form.email = value.into_owned(),
            "lang" => form.lang.push(value.into_owned()),
            "website" => form.website = value.into_owned(),
            _ => {}
        }
    }
    Some(form)
}

async fn subscribe(
    State(app): State<Arc<App>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let client = app.client(client, &headers);
    if app.limiter.check_key(&client).is_err() {
        return page(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            "Please wait a minute and try again.",
        );
    }
    let Some(form) = sign_up_of(&headers, &body) else {
        return page(
            StatusCode::BAD_REQUEST,
            "Not a sign-up",
            "The request could not be read.",
        );
    };
    let done = page(
        StatusCode::OK,
        "Check your inbox",
        "If the address can receive mail, a message with a confirmation link is on its way. \
         The subscription starts when you open it.",
    );
    // A bot filled the hidden field: it gets the same answer, and nothing happens.
    if !form.website.trim().is_empty() {
        return done;
    }
    let Ok(email) = Email::parse(&form.email) else {
        return page(
            StatusCode::BAD_REQUEST,
            "Not an e-mail address",
            "Please go back and check the address.",
        );
    };
    let mut languages: Vec<&Lang> = app
        .languages
        .iter()
        .filter(|l| form.lang.iter().any(|c| c == l.as_str()))
        .collect();
    if languages.is_empty() {
        languages.push(&app.primary);
    }
    let now = Utc::now();
    let Ok(known) = app.store.subscriber(&email.key()).await else {
        return database_down();
    };
    // Already confirmed, or a confirmation sent a moment ago: the same answer, no new mail.
    let recent = |at: &str| {
        chrono::DateTime::parse_from_rfc3339(at)
            .is_ok_and(|t| now.signed_duration_since(t) < RESEND_COOL_DOWN)
    };
    if let Some(s) = &known
        && (s.status == "confirmed" || (s.status == "pending" && recent(&s.updated_at)))
    {
        return done;
    }
    let row = NewSubscriber {
        email_key: email.key(),
        email: email.as_str().to_owned(),
        name: String::new(),
        languages: languages
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join(","),
        tier: "free".into(),
        paid_until: None,
        status: "pending".into(),
        source: "form".into(),
        consent_at: stamp(now),
        consent_ip: client.to_string(),
        consent_via: "form".into(),
    };
    let Ok(stored) = app.store.sign_up(&row, &stamp(now)).await else {
        return database_down();
    };
    let token = app.secret.token(
        stored.id,
        Purpose::Confirm,
        now.timestamp() + CONFIRM_SECONDS,
    );
    let link = format!("{}/confirm?token={token}", app.public_url);
    let lang = languages[0];
    let name = app
        .name
        .get(lang)
        .or_else(|| app.name.get(&app.primary))
        .cloned()
        .unwrap_or_default();
    let (subject, text) = if lang.as_str().starts_with("zh") {
        (
            format!("确认订阅{name}"),
            format!(
                "请打开下面的链接，确认订阅{name}：\n\n{link}\n\n如果这不是你本人的操作，忽略这封邮件即可。\n"
            ),
        )
    } else {
        (
            format!("Confirm your subscription to {name}"),
            format!(
                "Please open this link to confirm your subscription to {name}:\n\n{link}\n\nIf you did not sign up, ignore this mail.\n"
            ),
        )
    };
    let mail = OutboxMail {
        kind: "confirm".into(),
        recipient: stored.email.clone(),
        subject,
        body_text: text,
        body_html: String::new(),
        list_unsubscribe: String::new(),
    };
    if app.store.enqueue_mail(&mail, &stamp(now)).await.is_err() {
        return database_down();
    }
    done
}

fn refused(why: Refused) -> Response {
    match why {
        Refused::Expired => page(
            StatusCode::GONE,
            "This link has expired",
            "Please sign up again to get a new confirmation link.",
        ),
        Refused::Forged | Refused::OtherPurpose => page(
            StatusCode::BAD_REQUEST,
            "This link is not valid",
            "It may have been cut when it was copied. Please use the link in the mail as it is.",
        ),
    }
}

async fn confirm(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let token = query.get("token").map_or("", String::as_str);
    let now = Utc::now();
    let id = match app.secret.verify(token, Purpose::Confirm, now.timestamp()) {
        Ok(id) => id,
        Err(why) => return refused(why),
    };
    let Ok(Some(subscriber)) = app.store.subscriber_by_id(id).await else {
        return refused(Refused::Forged);
    };
    match subscriber.status.as_str() {
        "confirmed" => {}
        "pending" => {
            if app
                .store
                .set_status_by_id(id, "confirmed", &stamp(now))
                .await
                .is_err()
            {
                return database_down();
            }
        }
        // Unsubscribed (or bounced) since: an old confirmation link does not bring them back.
        _ => {
            return page(
                StatusCode::GONE,
                "This link is no longer valid",
                "The address left the list after this link was sent. Sign up again to come back.",
            );
        }
    }
    page(
        StatusCode::OK,
        "Subscribed",
        "Thank you: your subscription is confirmed. The next issue comes to your inbox.",
    )
}

async fn unsubscribe_page(Query(query): Query<HashMap<String, String>>) -> Response {
    let token = query.get("token").map_or("", String::as_str);
    let e = weekly_site::markdown::escape;
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribe</title></head>\
         <body><main><h1>Unsubscribe</h1><form method=\"post\" action=\"/unsubscribe?token={}\">\
         <button type=\"submit\">Unsubscribe</button></form></main></body></html>",
        e(token)
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn unsubscribe(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let token = query.get("token").map_or("", String::as_str);
    let now = Utc::now();
    let id = match app
        .secret
        .verify(token, Purpose::Unsubscribe, now.timestamp())
    {
        Ok(id) => id,
        Err(why) => return refused(why),
    };
    match app
        .store
        .set_status_by_id(id, "unsubscribed", &stamp(now))
        .await
    {
        Ok(true) => page(
            StatusCode::OK,
            "Unsubscribed",
            "You will not receive the newsletter any more.",
        ),
        Ok(false) => refused(Refused::Forged),
        Err(_) => database_down(),
    }
}
