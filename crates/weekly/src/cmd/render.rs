//! `weekly render`: print one edition of an issue, or a season's links-only edition,
//! collection or wrap-up post.

use crate::archive::{Archive, Issue};
use crate::editions;
use crate::printer;
use crate::season::{Season, SeasonFile};
use crate::workspace::Workspace;
use anyhow::{Result, anyhow, bail};
use std::path::Path;
use std::process::ExitCode;
use weekly_model::Lang;
use weekly_render::readme::list_item_in;

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
    /// With `--season`: every issue's content sections, one `##` chapter per issue
    /// (`--tier paid` puts in the full texts of issues that are not free yet).
    Collection,
    /// With `--season`: the wrap-up post (totals beside the previous season's, busiest
    /// issues, sites, GitHub owners, most-starred projects, new sections, the word cloud), the
    /// editor's words of `seasons/season-K-wrapup.<lang>.md` kept.
    Wrapup,
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
    after_help = "Examples:\n  weekly render 42 --edition teaser\n  weekly render 42 --edition telegram --lang en\n  weekly render --season 2 --edition links\n  weekly render --season 2 --edition wrapup --lang en\n\n`weekly season K --write` writes a season's collection, links-only edition, wrap-up post \
and word cloud into `seasons/`."
)]
pub struct Args {
    /// The issue number (not for `--edition subscribe-form`).
    #[arg(conflicts_with = "season")]
    pub issue: Option<u32>,
    /// Render a whole season instead of one issue (`links`, `collection` or `wrapup`).
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
    if let Some(number) = args.season {
        let season = Season::load(&workspace, number)?;
        let text = match args.edition {
            EditionKind::Links => season.links(&workspace, &lang),
            EditionKind::Collection => {
                season.collection(&workspace, &lang, args.tier == TierArg::Paid)
            }
            EditionKind::Wrapup => {
                let path = season.path(&workspace, SeasonFile::Wrapup, &lang);
                let previous = if path.is_file() {
                    Some(workspace.read_text(&path)?)
                } else {
                    None
                };
                let cloud = SeasonFile::Cloud.name(number, &lang);
                season.wrapup(
                    &workspace,
                    &lang,
                    previous.as_deref(),
                    Some(cloud),
                    args.tier == TierArg::Paid,
                )?
            }
            other => bail!(
                "`--season` renders `links`, `collection` or `wrapup`, not `{}`",
                clap::ValueEnum::to_possible_value(&other)
                    .map_or_else(String::new, |v| v.get_name().to_owned())
            ),
        };
        emit(args.format, &text);
        return Ok(ExitCode::SUCCESS);
    }
    if matches!(args.edition, EditionKind::Collection | EditionKind::Wrapup) {
        bail!("`--edition collection` and `wrapup` are made for a season: add `--season K`");
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
            let texts = editions::texts(&workspace, &lang);
            emit(
                args.format,
                &format!("{}\n", list_item_in(&lang, &item, texts)),
            );
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
        EditionKind::SubscribeForm | EditionKind::Collection | EditionKind::Wrapup => {
            unreachable!("handled before an issue is loaded")
        }
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
    // A subscriber's own id and link key sign their links; a preview's (id 0) open nothing.
    let (id, key) = if args.to.is_some() {
        crate::runtime()?.block_on(async {
            let store = weekly_app::database::open(workspace).await?;
            let found = store.subscriber(&to.key()).await;
            store.close().await;
            anyhow::Ok(found?.map_or((0, String::new()), |s| (s.id, s.link_key)))
        })?
    } else {
        (0, String::new())
    };
    let secret = Secret::of(workspace)?;
    let server = workspace.config.links_base();
    let until = chrono::Utc::now().timestamp() + weekly_app::tokens::MAIL_LINK_SECONDS;
    let links = RecipientLinks {
        preferences: format!(
            "{server}/preferences?token={}",
            secret.token(id, &key, Purpose::Preferences, until)
        ),
        unsubscribe: format!(
            "{server}/unsubscribe?token={}",
            secret.token(id, &key, Purpose::Unsubscribe, until)
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
