//! `weekly server`: the production server of `weekly-server` (the built site and the
//! subscription endpoints) on the workspace's database.

use crate::collector::open_store;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

/// Arguments of `weekly server`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Endpoints:\n  POST /subscribe        form or JSON: `email`, `lang` \
(repeatable); a confirmation mail goes to the address (double opt-in)\n  GET  /confirm?token=…   \
a page with one button (a link scanner confirms nothing)\n  POST /confirm?token=…  confirms the \
subscription\n  GET  /preferences?token=…  languages, and the unsubscribe button\n  \
GET  /unsubscribe?token=…  a page with one button\n  POST \
/unsubscribe?token=…  unsubscribes (also RFC 8058 one-click from mail clients)\n  GET  /healthz         ok, or 503 while the database is down\n  \
GET  anything else: the built site (`weekly build`'s folder), unless --endpoints-only\n\n\
Links in mails point at `[server] public_url` (default: `base_url`). Tokens are signed with \
WEEKLY_SECRET, or a secret made once in the workspace (`.weekly-secret`, mode 0600). The \
outbox is sent every few seconds when `[smtp]` (or WEEKLY_SMTP_URL) is set. The confirmation \
mail is `templates/mail/confirm.LANG.txt` when the workspace has one (a `Subject:` line, an \
empty line, the body; `{{ name }}` and `{{ link }}` are filled in). The database is \
WEEKLY_DATABASE_URL or `[database] url`. A client has 10 s to send a request's headers \
(from connecting or from the previous answer) and 30 s for its body. SIGTERM or Ctrl-C stops it after the requests in \
flight.\n\nExamples:\n  weekly build && weekly server --listen 0.0.0.0:8080\n  weekly server \
--endpoints-only --behind-proxy"
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
    /// Serve only the endpoints (the site is hosted elsewhere).
    #[arg(long)]
    pub endpoints_only: bool,
    /// The built site to serve (default: the workspace's `site/`, made by `weekly build`).
    #[arg(long, value_name = "DIR", conflicts_with = "endpoints_only")]
    pub site: Option<std::path::PathBuf>,
    /// Print no line per request.
    #[arg(long)]
    pub no_request_log: bool,
    /// Open connections at most (also kept below the process's limit of open files); more
    /// are closed as soon as they are accepted.
    #[arg(long, default_value_t = 10_000)]
    pub max_connections: usize,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    weekly_server::set_log(printer::status);
    let options = weekly_server::ServerOptions {
        listen: args.listen.clone(),
        site: args.site.clone(),
        endpoints_only: args.endpoints_only,
        behind_proxy: args.behind_proxy,
        per_minute: args.per_minute,
        max_connections: args.max_connections,
        no_request_log: args.no_request_log,
    };
    crate::runtime()?.block_on(async {
        let store = open_store(&workspace).await?;
        let served = weekly_server::serve(&workspace, store.clone(), &options).await;
        store.close().await;
        served?;
        Ok(ExitCode::SUCCESS)
    })
}
