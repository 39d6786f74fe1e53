//! `weekly doctor`: what the workspace's configuration needs, checked before it is needed —
//! fonts for its languages and emoji, Chromium for PDFs, epubcheck when asked, the mail
//! server (connect and `EHLO`, no mail), the database and its migrations, the Telegram bot
//! (`getMe`), the model endpoint (`/models`), the secret file's mode. Only what the workspace
//! (or its environment) configured is contacted, and nothing with `offline`.

use crate::environment;
use crate::workspace::Workspace;
use std::path::Path;
use std::time::Duration;

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// There and working.
    Ok,
    /// Needed by the configuration and missing or failing.
    Missing,
    /// Not needed by the configuration, or not checked (offline).
    Skipped,
}

/// One check.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What was checked.
    pub what: &'static str,
    /// How it went.
    pub verdict: Verdict,
    /// What was found.
    pub detail: String,
    /// What to do (empty when nothing).
    pub hint: String,
}

/// What to check besides the configuration's needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Contact nothing (mail server, database server, Telegram, the model).
    pub offline: bool,
    /// Look for epubcheck too.
    pub epubcheck: bool,
}

fn finding(
    what: &'static str,
    verdict: Verdict,
    detail: impl Into<String>,
    hint: impl Into<String>,
) -> Finding {
    Finding {
        what,
        verdict,
        detail: detail.into(),
        hint: hint.into(),
    }
}

/// Every check, in a fixed order.
pub async fn doctor(workspace: &Workspace, options: Options) -> Vec<Finding> {
    let config = &workspace.config;
    let mut out = Vec::new();
    // Fonts: Han characters for CJK languages (cards, PDFs), emoji for the sections' emoji.
    let fonts = crate::fonts::machine();
    let cjk = config.languages.iter().any(weekly_model::Lang::is_cjk);
    out.push(match (cjk, fonts.han) {
        (false, _) => finding(
            "font for Han characters",
            Verdict::Skipped,
            "no CJK language",
            "",
        ),
        (true, true) => finding("font for Han characters", Verdict::Ok, "installed", ""),
        (true, false) => finding(
            "font for Han characters",
            Verdict::Missing,
            "none installed: cards are not drawn, PDFs print boxes",
            "Debian: apt-get install fonts-noto-cjk",
        ),
    });
    let emoji = config
        .catalogue
        .sections
        .iter()
        .any(|s| !s.emoji.is_empty());
    out.push(match (emoji, fonts.emoji) {
        (false, _) => finding(
            "emoji font",
            Verdict::Skipped,
            "no section has an emoji",
            "",
        ),
        (true, true) => finding("emoji font", Verdict::Ok, "installed", ""),
        (true, false) => finding(
            "emoji font",
            Verdict::Missing,
            "none installed: the sections' emoji print as boxes in PDFs and cards",
            crate::fonts::EMOJI_HINT,
        ),
    });
    out.push(match crate::ebook::find_chromium() {
        Ok(path) => finding(
            "Chromium (PDF e-books)",
            Verdict::Ok,
            path.display().to_string(),
            "",
        ),
        Err(_) => finding(
            "Chromium (PDF e-books)",
            Verdict::Skipped,
            "not found; only `weekly ebook --format pdf` needs it",
            "Debian: apt-get install chromium (or set WEEKLY_CHROMIUM)",
        ),
    });
    if options.epubcheck {
        let found = ["/usr/bin/epubcheck", "/usr/share/java/epubcheck.jar"]
            .into_iter()
            .find(|p| Path::new(p).exists());
        out.push(match found {
            Some(path) => finding("epubcheck", Verdict::Ok, path, ""),
            None => finding(
                "epubcheck",
                Verdict::Missing,
                "not found",
                "Debian: apt-get install epubcheck",
            ),
        });
    }
    out.push(secret_mode(workspace));
    out.push(database(workspace, options.offline).await);
    out.push(smtp(workspace, options.offline).await);
    out.push(telegram(workspace, options.offline).await);
    out.push(model(workspace, options.offline).await);
    out
}

/// The secret that signs readers' links: readable by its owner only.
fn secret_mode(workspace: &Workspace) -> Finding {
    let what = "secret file";
    if workspace.env.get(environment::SECRET).is_some() {
        return finding(what, Verdict::Ok, "WEEKLY_SECRET is set", "");
    }
    let path = workspace.root.join(crate::tokens::SECRET_FILE);
    match std::fs::metadata(&path) {
        Err(_) => finding(
            what,
            Verdict::Skipped,
            "not made yet (the first signed link makes it)",
            "",
        ),
        Ok(meta) => {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = meta.permissions().mode() & 0o777;
            if mode.trailing_zeros() >= 6 {
                finding(what, Verdict::Ok, format!("mode {mode:o}"), "")
            } else {
                finding(
                    what,
                    Verdict::Missing,
                    format!("mode {mode:o}: others may read it and forge readers' links"),
                    format!("chmod 600 {}", path.display()),
                )
            }
        }
    }
}

async fn database(workspace: &Workspace, offline: bool) -> Finding {
    let what = "database";
    let Ok((url, _)) = crate::database::url(workspace) else {
        return finding(
            what,
            Verdict::Missing,
            "the database URL does not read",
            "see `weekly db status`",
        );
    };
    if offline && weekly_store::Engine::of_url(&url) == Some(weekly_store::Engine::Postgres) {
        return finding(
            what,
            Verdict::Skipped,
            "offline: the server is not contacted",
            "",
        );
    }
    match crate::database::status(workspace).await {
        Ok(status) if status.moved_to.is_some() => finding(
            what,
            Verdict::Missing,
            format!(
                "{} was moved to {} by `weekly db copy`",
                status.shown,
                status.moved_to.unwrap_or_default()
            ),
            "point the workspace at the new database (WEEKLY_DATABASE_URL or [database] url)",
        ),
        Ok(status) if status.pending.is_empty() => finding(
            what,
            Verdict::Ok,
            format!(
                "{} ({}), {} migrations",
                status.shown, status.engine, status.applied
            ),
            "",
        ),
        Ok(status) => finding(
            what,
            Verdict::Ok,
            format!(
                "{}: {} migrations to apply",
                status.shown,
                status.pending.len()
            ),
            "the next command that uses it applies them (`weekly db migrate` does it now)",
        ),
        Err(e) => finding(
            what,
            Verdict::Missing,
            format!("{e:#}"),
            "see `weekly db status`",
        ),
    }
}

async fn smtp(workspace: &Workspace, offline: bool) -> Finding {
    let what = "mail server";
    let url = workspace.env.get(environment::SMTP_URL);
    let password = workspace.env.get(environment::SMTP_PASSWORD);
    let pool = match crate::smtp_pool::campaign_pool(&workspace.config.smtp, url, password) {
        Ok(Some((pool, _))) => pool,
        Ok(None) => {
            return finding(
                what,
                Verdict::Skipped,
                "not configured ([smtp] host or WEEKLY_SMTP_URL)",
                "",
            );
        }
        Err(e) => {
            return finding(
                what,
                Verdict::Missing,
                format!("{e:#}"),
                "fix [smtp] in weekly.toml",
            );
        }
    };
    if offline {
        return finding(what, Verdict::Skipped, "offline: not contacted", "");
    }
    let checked = tokio::time::timeout(Duration::from_secs(20), pool.check()).await;
    match checked {
        Ok(Ok(())) => finding(
            what,
            Verdict::Ok,
            "connected and greeted (no mail sent)",
            "",
        ),
        Ok(Err(e)) => finding(
            what,
            Verdict::Missing,
            e.to_string(),
            "check [smtp] host, port and security, and the password",
        ),
        Err(_) => finding(
            what,
            Verdict::Missing,
            "no answer in 20 s",
            "check [smtp] host and port",
        ),
    }
}

async fn telegram(workspace: &Workspace, offline: bool) -> Finding {
    let what = "Telegram bot";
    let target = crate::telegram::target(workspace);
    if target.token().is_empty() {
        return finding(
            what,
            Verdict::Skipped,
            "no bot token (WEEKLY_TELEGRAM_BOT_TOKEN)",
            "",
        );
    }
    if offline {
        return finding(what, Verdict::Skipped, "offline: not contacted", "");
    }
    let Ok(client) =
        weekly_http::builder(weekly_http::Timeouts::total(Duration::from_secs(20))).build()
    else {
        return finding(what, Verdict::Missing, "cannot set up an HTTP client", "");
    };
    let url = format!(
        "{}/bot{}/getMe",
        target.api().trim_end_matches('/'),
        target.token()
    );
    let answer = match client.get(&url).send().await {
        Ok(answer) => answer,
        Err(e) => {
            return finding(
                what,
                Verdict::Missing,
                e.without_url().to_string(),
                "check WEEKLY_TELEGRAM_API_URL and the network",
            );
        }
    };
    let status = answer.status();
    let body: serde_json::Value = answer.json().await.unwrap_or_default();
    if status.is_success() && body["ok"] == true {
        let name = body["result"]["username"].as_str().unwrap_or("");
        finding(what, Verdict::Ok, format!("@{name}"), "")
    } else {
        let said = body["description"].as_str().unwrap_or("");
        finding(
            what,
            Verdict::Missing,
            format!("HTTP {status}: {said}"),
            "the token is refused: ask @BotFather for the bot's token",
        )
    }
}

async fn model(workspace: &Workspace, offline: bool) -> Finding {
    let what = "model endpoint";
    let Some(key) = workspace.env.get(environment::LLM_API_KEY) else {
        return finding(
            what,
            Verdict::Skipped,
            "no API key (WEEKLY_LLM_API_KEY)",
            "",
        );
    };
    if offline {
        return finding(what, Verdict::Skipped, "offline: not contacted", "");
    }
    let base = workspace.env.or(
        environment::LLM_BASE_URL,
        &workspace.config.translate.base_url,
    );
    let Ok(client) =
        weekly_http::builder(weekly_http::Timeouts::total(Duration::from_secs(20))).build()
    else {
        return finding(what, Verdict::Missing, "cannot set up an HTTP client", "");
    };
    let url = format!("{}/models", base.trim_end_matches('/'));
    match client.get(&url).bearer_auth(key).send().await {
        Ok(answer) if answer.status().is_success() => {
            finding(what, Verdict::Ok, format!("{base} answers"), "")
        }
        Ok(answer) => finding(
            what,
            Verdict::Missing,
            format!("{base}: HTTP {}", answer.status()),
            "check [translate] base_url and the API key",
        ),
        Err(e) => finding(
            what,
            Verdict::Missing,
            format!("{base}: {}", e.without_url()),
            "check [translate] base_url",
        ),
    }
}
