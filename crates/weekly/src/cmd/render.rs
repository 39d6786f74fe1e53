//! `weekly render`: print one edition of an issue (or the links-only edition of a season).

use crate::archive::{Archive, Issue};
use crate::editions;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Result, anyhow, bail};
use std::path::Path;
use std::process::ExitCode;
use weekly_model::Lang;
use weekly_render::readme::list_item;

/// Which edition to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EditionKind {
    /// The full text as stored, in Markdown.
    Full,
    /// Title lists with circled numbers between the configured texts (`intro`, `teaser_lead`,
    /// `subscribe`, `full_text`).
    Teaser,
    /// The issue's line in the README past-issue list, with its description.
    Readme,
    /// The Telegram announcement in HTML parse mode: a photo caption of at most 1,024
    /// characters, and messages after the photo when the lists do not fit.
    Telegram,
    /// Every entry as a numbered `[title](url)` line, then the links of the `（附…）` notes.
    Links,
    /// An HTML sign-up form for any site, posting to `weekly server` (`[server] public_url`);
    /// no issue needed.
    SubscribeForm,
    /// The issue as an e-mail (`.eml`, RFC 5322): HTML for mail clients and a plain-text
    /// alternative, `List-Unsubscribe` (one click); `--tier` picks teaser or full text.
    Email,
}

/// Who an e-mail edition is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TierArg {
    /// What the public gets: the teaser while the issue is paid.
    Free,
    /// The full text.
    Paid,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The edition as text.
    Text,
    /// JSON (`{"caption": …, "messages": […]}` for Telegram, `{"text": …}` otherwise).
    Json,
}

/// Arguments of `weekly render`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  weekly render 42 --edition teaser\n  weekly render 42 --edition telegram --lang en\n  weekly render --season 2 --edition links"
)]
pub struct Args {
    /// The issue number (not for `--edition subscribe-form`).
    #[arg(conflicts_with = "season")]
    pub issue: Option<u32>,
    /// Render a whole season instead of one issue (links edition only).
    #[arg(long)]
    pub season: Option<u32>,
    /// The edition.
    #[arg(long, value_enum)]
    pub edition: EditionKind,
    /// The language (default: the primary language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// For `--edition email`: free (the public edition) or paid (the full text).
    #[arg(long, value_enum, default_value_t = TierArg::Free)]
    pub tier: TierArg,
    /// For `--edition email`: the recipient; a subscriber's own links when they are one
    /// (default: a preview address with links that open nothing).
    #[arg(long, value_name = "EMAIL")]
    pub to: Option<String>,
}

/// The sign-up form as an HTML snippet (the fields `weekly server` reads; `website` is the
/// honeypot, hidden from people).
fn subscribe_form(action: &str, lang: &weekly_model::Lang) -> String {
    let labels = weekly_site::labels::labels(lang, None);
    let e = weekly_site::markdown::escape;
    format!(
        "<form class=\"weekly-subscribe\" method=\"post\" action=\"{}\">\n  \
         <input type=\"email\" name=\"email\" required autocomplete=\"email\" placeholder=\"{}\">\n  \
         <input type=\"hidden\" name=\"lang\" value=\"{}\">\n  \
         <input type=\"text\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\" \
         aria-hidden=\"true\" style=\"position:absolute;left:-9999px\">\n  \
         <button type=\"submit\">{}</button>\n</form>\n",
        e(action),
        e(&labels["email_placeholder"]),
        e(lang.as_str()),
        e(&labels["subscribe_button"])
    )
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let lang = editions::resolve_lang(&workspace, args.lang.as_deref())?;
    if let Some(season) = args.season {
        if args.edition != EditionKind::Links {
            bail!("`--season` renders the links edition only; use `--edition links`");
        }
        let text = season_links(&workspace, season, &lang)?;
        emit(args.format, &text);
        return Ok(ExitCode::SUCCESS);
    }
    if args.edition == EditionKind::SubscribeForm {
        let Some(action) = workspace.config.server.subscribe_url() else {
            bail!(
                "`[server] public_url` is empty in weekly.toml: set it to where `weekly server` \
                 is reached, e.g. \"https://weekly.example.org/api\""
            );
        };
        emit(args.format, &subscribe_form(&action, &lang));
        return Ok(ExitCode::SUCCESS);
    }
    let Some(number) = args.issue else {
        bail!("name the issue (`weekly render 42 --edition …`) or a season (`--season 2`)");
    };
    let archive = Archive::load_only(&workspace, |n| n == number)?;
    let issue = archive.issue(number).ok_or_else(|| {
        anyhow!(
            "there is no issue #{number} in `{}` (issues #{}–#{})",
            workspace.root.join("issues").display(),
            workspace.issues.first().map_or(0, |i| i.number),
            archive.latest()
        )
    })?;
    match args.edition {
        EditionKind::Full => {
            let edition = issue.full(&lang).ok_or_else(|| {
                let has_teaser = issue.teaser(&lang).is_some();
                anyhow!(
                    "issue #{number} has no full text in `{lang}`{}",
                    if has_teaser { " (only a teaser)" } else { "" }
                )
            })?;
            emit(
                args.format,
                &weekly_render::markdown::render(&edition.document),
            );
        }
        EditionKind::Teaser => emit(args.format, &editions::teaser(&workspace, issue, &lang)?),
        EditionKind::Readme => {
            let item = editions::readme_item(&workspace, &archive, issue, &lang, &workspace.root)?;
            emit(args.format, &format!("{}\n", list_item(&lang, &item)));
        }
        EditionKind::Telegram => {
            let a = editions::telegram(&workspace, issue, &lang)?;
            match args.format {
                Format::Json => printer::out(&serde_json::to_string_pretty(&serde_json::json!({
                    "caption": a.caption,
                    "messages": a.messages,
                }))?),
                Format::Text => {
                    printer::out(&a.caption);
                    for (i, m) in a.messages.iter().enumerate() {
                        printer::out(&format!(
                            "\n----- message {} of {} -----\n",
                            i + 1,
                            a.messages.len()
                        ));
                        printer::out(m);
                    }
                }
            }
        }
        EditionKind::Links => {
            let document = editions::source(issue, &lang)?;
            let title = editions::title(&workspace, &lang, issue, document);
            let text = weekly_render::links::links_edition(
                &title,
                &[document],
                &workspace.config.catalogue,
                &lang,
            );
            emit(args.format, &text);
        }
        EditionKind::Email => {
            let eml = email(&workspace, &archive, issue, &lang, args)?;
            emit(args.format, &eml);
        }
        EditionKind::SubscribeForm => unreachable!("handled before an issue is loaded"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The e-mail edition as an `.eml` for `args.to` (or a preview address).
fn email(
    workspace: &Workspace,
    archive: &Archive,
    issue: &Issue,
    lang: &Lang,
    args: &Args,
) -> Result<String> {
    use weekly_app::email_edition::{RecipientLinks, Tier, email_edition};
    use weekly_app::tokens::{Purpose, Secret};
    let to = match &args.to {
        Some(to) => weekly_model::email::Email::parse(to)
            .map_err(|e| anyhow!("--to `{}`: {e}", printer::one_line(to)))?,
        None => weekly_model::email::Email::parse("preview@example.invalid")
            .map_err(|e| anyhow!("{e}"))?,
    };
    // A subscriber's own id signs their links; a preview's (id 0) open nothing.
    let id = if args.to.is_some() {
        crate::runtime()?.block_on(async {
            let store = weekly_app::database::open(workspace).await?;
            let found = store.subscriber(&to.key()).await;
            store.close().await;
            anyhow::Ok(found?.map_or(0, |s| s.id))
        })?
    } else {
        0
    };
    let secret = Secret::of_workspace(
        &workspace.root,
        std::env::var("WEEKLY_SECRET").ok().as_deref(),
    )?;
    let server = workspace.config.links_base();
    let until = chrono::Utc::now().timestamp() + weekly_app::tokens::MAIL_LINK_SECONDS;
    let links = RecipientLinks {
        preferences: format!(
            "{server}/preferences?token={}",
            secret.token(id, Purpose::Preferences, until)
        ),
        unsubscribe: format!(
            "{server}/unsubscribe?token={}",
            secret.token(id, Purpose::Unsubscribe, until)
        ),
    };
    let tier = match args.tier {
        TierArg::Free => Tier::Free,
        TierArg::Paid => Tier::Paid,
    };
    let edition = email_edition(workspace, issue, lang, tier, archive.latest(), &links)?;
    let mail = weekly_store::OutboxMail {
        kind: "issue".into(),
        recipient: to.as_str().to_owned(),
        subject: edition.subject,
        body_text: edition.text,
        body_html: edition.html,
        list_unsubscribe: links.unsubscribe,
    };
    let from = weekly_app::mail::file_sender(&workspace.config.smtp)?;
    let message = weekly_app::mail::message(&from, &mail)?;
    Ok(String::from_utf8_lossy(&message.formatted()).into_owned())
}

fn emit(format: Format, text: &str) {
    match format {
        Format::Text => printer::raw(text),
        Format::Json => printer::out(
            &serde_json::to_string_pretty(&serde_json::json!({ "text": text })).unwrap_or_default(),
        ),
    }
}

fn season_links(workspace: &Workspace, season: u32, lang: &Lang) -> Result<String> {
    let length = workspace.config.season_length.max(1);
    if season == 0 {
        bail!("seasons are numbered from 1");
    }
    let range = (season - 1) * length + 1..=season * length;
    let archive = Archive::load_only(workspace, |n| range.contains(&n))?;
    let members: Vec<&Issue> = archive
        .issues
        .iter()
        .filter(|i| range.contains(&i.number))
        .collect();
    if members.is_empty() {
        bail!(
            "season {season} (issues #{}–#{}) has no issues yet",
            range.start(),
            range.end()
        );
    }
    let documents: Vec<&weekly_model::Document> = members
        .iter()
        .filter_map(|i| i.best(lang).map(|e| &*e.document))
        .collect();
    let name = workspace.config.name.get(lang).map_or("", String::as_str);
    let title = if lang.is_cjk() {
        format!(
            "{name} 第 {season} 季链接合集（{}~{}）",
            range.start(),
            range.end()
        )
    } else {
        format!(
            "{name} Season {season}: all links (#{}–#{})",
            range.start(),
            range.end()
        )
    };
    Ok(weekly_render::links::links_edition(
        &title,
        &documents,
        &workspace.config.catalogue,
        lang,
    ))
}
