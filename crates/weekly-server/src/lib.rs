//! `weekly server`: the production server (axum) — the built site and the subscription
//! endpoints on the workspace's database: sign up with double opt-in, confirm, preferences,
//! one-click unsubscribe, health — with a per-address rate limit, a honeypot field, the same
//! answer whether an address is known or not, a log line per request, and the outbox sent in
//! the background when `[smtp]` is set; with `[tracking]`, campaigns' tracked links, the open
//! pixel and page views (`clicks`).

mod clicks;
mod listen;
mod pages;
mod preferences;
mod site;
mod submit;
mod words;

/// How the server is run.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Address and port to listen on.
    pub listen: String,
    /// The built site served (default: the workspace's `site/`).
    pub site: Option<std::path::PathBuf>,
    /// Serve only the endpoints, not the site.
    pub endpoints_only: bool,
    /// Read the client's address from `X-Forwarded-For` (last entry).
    pub behind_proxy: bool,
    /// Sign-ups per client address and minute.
    pub per_minute: u32,
    /// Connections served at once (at most the open-files limit allows).
    pub max_connections: usize,
    /// No log line per request.
    pub no_request_log: bool,
}

/// Where the server's lines go (the binary's printer, which scrubs secrets); standard error
/// until set.
static LOG: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Sends the server's log lines to `sink`.
pub fn set_log(sink: fn(&str)) {
    let _ = LOG.set(sink);
}

/// One log line.
pub(crate) fn log(line: &str) {
    if let Some(sink) = LOG.get() {
        sink(line);
    } else {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

use pages::{Look, database_error, page, page_html, refused};
use words::masked;

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
use std::sync::Arc;
use weekly_app::environment;
use weekly_app::mail::Outgoing;
use weekly_app::subscription::{DatabaseDown, Decided, List, SignUp, SignedUp};
use weekly_app::tokens::{Purpose, Refused};
use weekly_app::workspace::Workspace;
use weekly_model::Lang;
use weekly_store::Store;

/// The environment variable holding the key of the private `/report` page.
const REPORT_KEY: &str = "WEEKLY_REPORT_KEY";

struct App {
    /// The list's rules (sign-up, confirmation, unsubscription) over the store.
    list: List,
    store: Store,
    name: HashMap<Lang, String>,
    languages: Vec<Lang>,
    primary: Lang,
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    behind_proxy: bool,
    /// The built site, unless only the endpoints are served.
    site: Option<site::SiteDir>,
    /// Signs and checks tracked links.
    secret: weekly_app::tokens::Secret,
    /// `[tracking] per_subscriber`.
    per_subscriber: bool,
    /// `[tracking] prefetch_seconds`.
    prefetch_seconds: u32,
    /// `WEEKLY_REPORT_KEY`: who may read `/report` (none: no such page).
    report_key: Option<String>,
    /// The workspace's folder (the report reads its configuration).
    root: std::path::PathBuf,
    /// Clicks, opens and page views counted, not yet stored.
    tracking: clicks::Tracking,
}

impl App {
    /// The answer to a client over the per-minute limit of the forms, if it is.
    fn throttled(&self, client: IpAddr, look: &Look) -> Option<Response> {
        self.limiter
            .check_key(&client)
            .is_err()
            .then(|| page(look, StatusCode::TOO_MANY_REQUESTS, "too_many"))
    }

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

/// Serves `workspace` over `store` until SIGTERM or Ctrl-C, then finishes the requests in
/// flight.
pub async fn serve(workspace: &Workspace, store: Store, args: &ServerOptions) -> Result<()> {
    let config = &workspace.config;
    let per_minute = NonZeroU32::new(args.per_minute.max(1)).expect("at least 1");
    let site = if args.endpoints_only {
        None
    } else {
        let dir = args
            .site
            .clone()
            .unwrap_or_else(|| workspace.root.join("site"));
        let real_root = std::fs::canonicalize(&dir)
            .ok()
            .filter(|d| d.is_dir())
            .with_context(|| {
                format!(
                    "no built site at `{}`: run `weekly build` first, name it with --site, or \
                     serve the endpoints alone with --endpoints-only",
                    dir.display()
                )
            })?;
        Some(site::SiteDir { real_root })
    };
    {
        let app = Arc::new(App {
            list: List::new(workspace, store.clone())?,
            store: store.clone(),
            name: config.name.clone().into_iter().collect(),
            languages: config.languages.clone(),
            primary: config.primary_language.clone(),
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            behind_proxy: args.behind_proxy,
            site,
            secret: weekly_app::tokens::Secret::of(workspace)?,
            per_subscriber: config.tracking.per_subscriber,
            prefetch_seconds: config.tracking.prefetch_seconds,
            report_key: workspace
                .env
                .get(REPORT_KEY)
                .filter(|k| k.len() >= 16)
                .map(str::to_owned),
            root: workspace.root.clone(),
            tracking: clicks::Tracking::default(),
        });
        clicks::flush_every_second(app.clone());
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
        if let Some(outgoing) = Outgoing::smtp(
            &config.smtp,
            workspace.env.get(environment::SMTP_URL),
            workspace.env.get(environment::SMTP_PASSWORD),
        )? {
            let store = store.clone();
            tokio::spawn(async move {
                loop {
                    let report = |line: &str| log(&format!("mail not sent: {line}"));
                    if let Err(e) = outgoing.flush(&store, 100, false, &report).await {
                        log(&format!("outbox: {e:#}"));
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
            });
        } else {
            log("no mail server ([smtp] or WEEKLY_SMTP_URL): mails wait in the outbox");
        }
        // Sends scheduled with `weekly send N --at TIME`: looked for every second, each
        // carried out by one server (a claim with a lease in the database).
        {
            let store = store.clone();
            let root = workspace.root.clone();
            let worker = weekly_app::sender::worker_id();
            tokio::spawn(async move {
                loop {
                    let pause = match weekly_app::scheduling::run_due(&root, &store, &worker).await
                    {
                        Ok(Some((_, line))) => {
                            log(&line);
                            continue;
                        }
                        Ok(None) => 1,
                        Err(e) => {
                            log(&format!("scheduled sends: {e:#}"));
                            10
                        }
                    };
                    tokio::time::sleep(std::time::Duration::from_secs(pause)).await;
                }
            });
        }
        let router = axum::Router::new()
            .route("/subscribe", post(subscribe))
            .route("/submit", post(submit::submit))
            .route("/confirm", get(confirm_page).post(confirm))
            .route("/unsubscribe", get(unsubscribe_page).post(unsubscribe))
            .route(
                "/preferences",
                get(preferences::show).post(preferences::save),
            )
            .route("/healthz", get(healthz))
            // Tracked links work whatever `[tracking]` says now: mails already sent keep them.
            .route("/c/{token}", get(clicks::click))
            .route("/o/{token}", get(clicks::open))
            .route("/report", get(clicks::report))
            .fallback(site::serve);
        let router = if config.tracking.page_views {
            router.layer(axum::middleware::from_fn_with_state(
                app.clone(),
                clicks::count_views,
            ))
        } else {
            router
        };
        let router = if args.no_request_log {
            router
        } else {
            router.layer(axum::middleware::from_fn_with_state(
                app.clone(),
                log_request,
            ))
        }
        .with_state(app.clone());
        // Text (pages, CSS, scripts, feeds, the search index) goes out compressed when the
        // client takes gzip or brotli; images and small answers as they are.
        let router = router
            .layer(tower_http::compression::CompressionLayer::new())
            .layer(axum::middleware::from_fn(listen::body_deadline));
        let listener = listen::bind(&args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let limits = listen::Limits {
            max_connections: listen::connection_cap(args.max_connections),
            header_deadline: listen::HEADER_DEADLINE,
        };
        log(&format!(
            "at most {} connections; request headers within {} s, bodies within {} s",
            limits.max_connections,
            listen::HEADER_DEADLINE.as_secs(),
            listen::BODY_DEADLINE.as_secs()
        ));
        log(&format!("listening on http://{}/", listener.local_addr()?));
        listen::serve(listener, router, limits, async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
            }
            log("stopping: finishing the requests in flight");
        })
        .await?;
        // What was counted since the last second goes in before the server ends (a failed
        // write keeps the counts: tried again a few times).
        for attempt in 1..=5 {
            match app.tracking.counter.flush(&app.store).await {
                Ok(()) => break,
                Err(e) if attempt == 5 => log(&format!("counts of the last second lost: {e}")),
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
            }
        }
        Ok(())
    }
}

/// True when the request body is JSON (else it is read as form fields).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn sign_up_of(headers: &HeaderMap, body: &[u8]) -> Option<SignUp> {
    if is_json(headers) {
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
    let form = sign_up_of(&headers, &body);
    // The page speaks the language the reader signed up in (the form's `lang`).
    let look = app.look(form.iter().flat_map(|f| f.lang.iter().map(String::as_str)));
    if let Some(refusal) = app.throttled(client, &look) {
        return refusal;
    }
    let Some(form) = form else {
        return page_html(
            &look,
            StatusCode::BAD_REQUEST,
            look.word("not_signup"),
            &format!("<p>{}</p>", look.say("unreadable", "")),
        );
    };
    match app
        .list
        .sign_up(&form, &client.to_string(), Utc::now())
        .await
    {
        Ok(SignedUp::CheckYourInbox) => page(&look, StatusCode::OK, "check_inbox"),
        Ok(SignedUp::NotAnAddress) => page(&look, StatusCode::BAD_REQUEST, "not_address"),
        Err(DatabaseDown(e)) => database_error(&look, "subscribe", &e),
    }
}

/// The look of a page a link opens: the link's `lang`, else the holder's first language.
pub(crate) fn link_look(
    app: &App,
    query: &HashMap<String, String>,
    holder: Option<&weekly_store::Subscriber>,
) -> Look {
    app.look(
        query
            .get("lang")
            .map(String::as_str)
            .into_iter()
            .chain(holder.map(|h| h.languages.as_str())),
    )
}

/// The page a confirmation link opens: one button that confirms (a POST), so that a mail
/// scanner that follows every link confirms nothing. An address confirmed already sees the
/// confirmation; one that left since is told the link no longer works.
async fn confirm_page(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let token = query.get("token").map_or("", String::as_str);
    match app.list.confirmation(token).await {
        Ok(Decided::Done(s)) if s.status == weekly_store::SubscriberStatus::Confirmed => {
            subscribed(&app, &query, &s)
        }
        Ok(Decided::Done(s)) => {
            let look = link_look(&app, &query, Some(&s));
            page_html(
                &look,
                StatusCode::OK,
                look.word("confirm"),
                &format!(
                    "<p>{}</p><form method=\"post\" action=\"/confirm?token={}&amp;lang={}\">\
                     <button type=\"submit\">{}</button></form>",
                    look.say("confirm_text", &masked(&s.email)),
                    weekly_site::markdown::escape(token),
                    weekly_site::markdown::escape(&look.lang),
                    look.say("confirm_button", ""),
                ),
            )
        }
        Ok(Decided::Gone) => page(&link_look(&app, &query, None), StatusCode::GONE, "gone"),
        Ok(Decided::Refused(why)) => refused(&link_look(&app, &query, None), why),
        Err(DatabaseDown(e)) => database_error(&link_look(&app, &query, None), "confirm", &e),
    }
}

/// The confirmation page, with a link to the subscriber's preferences.
fn subscribed(
    app: &App,
    query: &HashMap<String, String>,
    subscriber: &weekly_store::Subscriber,
) -> Response {
    let look = link_look(app, query, Some(subscriber));
    let token = app.list.preferences_token(subscriber);
    page_html(
        &look,
        StatusCode::OK,
        look.word("subscribed"),
        &format!(
            "<p>{}</p><p><a href=\"/preferences?token={}&amp;lang={}\">{}</a></p>",
            look.say("subscribed_text", &masked(&subscriber.email)),
            weekly_site::markdown::escape(&token),
            weekly_site::markdown::escape(&look.lang),
            look.say("choose_languages", ""),
        ),
    )
}

/// The confirmation itself (the button of [`confirm_page`]).
async fn confirm(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let token = query.get("token").map_or("", String::as_str);
    match app.list.confirm(token, Utc::now()).await {
        Ok(Decided::Done(s)) => subscribed(&app, &query, &s),
        Ok(Decided::Gone) => page(&link_look(&app, &query, None), StatusCode::GONE, "gone"),
        Ok(Decided::Refused(why)) => refused(&link_look(&app, &query, None), why),
        Err(DatabaseDown(e)) => database_error(&link_look(&app, &query, None), "confirm", &e),
    }
}

/// `ok` while the database answers, 503 while it does not (a load balancer takes the server
/// out of rotation instead of sending it sign-ups it cannot keep).
async fn healthz(State(app): State<Arc<App>>) -> Response {
    match app.store.subscriber_by_id(0).await {
        Ok(_) => "ok\n".into_response(),
        Err(e) => {
            log(&format!("healthz: the database does not answer: {e}"));
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// One line per request on stderr: client, method, path (never the query, which may hold a
/// token), status and time.
async fn log_request(
    State(app): State<Arc<App>>,
    ConnectInfo(socket): ConnectInfo<SocketAddr>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    // A tracked link's line names neither its reader nor its token.
    let (client, path) = if path.starts_with("/c/") || path.starts_with("/o/") {
        ("-".to_owned(), path[..3].to_owned() + "…")
    } else {
        (app.client(socket, request.headers()).to_string(), path)
    };
    let response = next.run(request).await;
    log(&format!(
        "{client} {method} {} {} {:.1} ms",
        weekly_model::shown::escape_controls(&path, false),
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    ));
    response
}

/// The page an unsubscribe link opens: which newsletter, which address (masked), and one
/// button (a POST; mail clients' one-click unsubscribe posts directly).
async fn unsubscribe_page(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let token = query.get("token").map_or("", String::as_str);
    let first = link_look(&app, &query, None);
    let holder = match pages::holder(&app, &first, token, Purpose::Unsubscribe, "unsubscribe").await
    {
        Ok(h) => h,
        Err(page) => return page,
    };
    let look = link_look(&app, &query, Some(&holder));
    page_html(
        &look,
        StatusCode::OK,
        look.word("unsubscribe"),
        &format!(
            "<p>{}</p><form method=\"post\" action=\"/unsubscribe?token={}&amp;lang={}\">\
             <button type=\"submit\">{}</button></form>",
            look.say("unsubscribe_text", &masked(&holder.email)),
            weekly_site::markdown::escape(token),
            weekly_site::markdown::escape(&look.lang),
            look.say("unsubscribe_button", ""),
        ),
    )
}

async fn unsubscribe(
    State(app): State<Arc<App>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let token = query.get("token").map_or("", String::as_str);
    match app.list.unsubscribe(token, Utc::now()).await {
        Ok(Decided::Done(s)) => {
            let look = link_look(&app, &query, Some(&s));
            page_html(
                &look,
                StatusCode::OK,
                look.word("unsubscribed"),
                &format!(
                    "<p>{}</p>",
                    look.say("unsubscribed_text", &masked(&s.email))
                ),
            )
        }
        Ok(Decided::Gone) => refused(&link_look(&app, &query, None), Refused::Forged),
        Ok(Decided::Refused(why)) => refused(&link_look(&app, &query, None), why),
        Err(DatabaseDown(e)) => database_error(&link_look(&app, &query, None), "unsubscribe", &e),
    }
}
