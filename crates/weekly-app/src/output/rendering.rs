//! One edition of an issue (full, teaser, README line, Telegram announcement, links, e-mail),
//! of a season (links, collection, wrap-up post), or the sign-up form, as `weekly render`
//! prints it.

use crate::archive::{Archive, Issue};
use crate::editions;
use crate::email_edition::{RecipientLinks, Tier, email_edition};
use crate::season::{Season, SeasonFile};
use crate::tokens::{Purpose, Secret};
use crate::workspace::Workspace;
use anyhow::{Result, anyhow, bail};
use weekly_model::Lang;
use weekly_model::email::Email;
use weekly_model::shown::escape_controls;
use weekly_render::readme::list_item_in;
use weekly_render::telegram::Announcement;

/// Which edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    Full,
    Teaser,
    Readme,
    Telegram,
    Links,
    SubscribeForm,
    Email,
    Collection,
    Wrapup,
    /// HTML for the clipboard, for an editor without an API (`paste_for`).
    Paste,
}

impl Edition {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Full => "full",
            Edition::Teaser => "teaser",
            Edition::Readme => "readme",
            Edition::Telegram => "telegram",
            Edition::Links => "links",
            Edition::SubscribeForm => "subscribe-form",
            Edition::Email => "email",
            Edition::Collection => "collection",
            Edition::Wrapup => "wrapup",
            Edition::Paste => "paste",
        }
    }
}

/// What to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The issue (not for the sign-up form or a season).
    pub issue: Option<u32>,
    /// A season instead of an issue (`Links`, `Collection`, `Wrapup`).
    pub season: Option<u32>,
    pub edition: Edition,
    /// The language (default: the primary one).
    pub lang: Option<String>,
    /// For an e-mail, the collection and the wrap-up post: `Paid` puts in the full texts.
    pub tier: Tier,
    /// For an e-mail: the recipient (default: a preview address whose links open nothing).
    pub to: Option<String>,
    /// For `Paste`: the editor it goes into (`substack`, `xiaobot`, `sspai`, `zhihu`).
    pub paste_for: Option<String>,
}

/// A rendered edition.
#[derive(Debug)]
pub enum Rendered {
    /// Text, printed as it is.
    Text(String),
    /// The Telegram announcement: caption and messages.
    Telegram(Announcement),
}

/// Renders the edition `options` name. Async for the e-mail edition to a subscriber, whose own
/// links are signed with their key from the database.
pub async fn render(workspace: &Workspace, options: &RenderOptions) -> Result<Rendered> {
    let lang = editions::resolve_lang(workspace, options.lang.as_deref())?;
    let paid = options.tier == Tier::Paid;
    if let Some(number) = options.season {
        let season = Season::load(workspace, number)?;
        let text = match options.edition {
            Edition::Links => season.links(workspace, &lang),
            Edition::Collection => season.collection(workspace, &lang, paid),
            Edition::Wrapup => {
                let path = season.path(workspace, SeasonFile::Wrapup, &lang);
                let previous = if path.is_file() {
                    Some(workspace.read_text(&path)?)
                } else {
                    None
                };
                let cloud = SeasonFile::Cloud.name(number, &lang);
                season.wrapup(workspace, &lang, previous.as_deref(), Some(cloud), paid)?
            }
            other => bail!(
                "`--season` renders `links`, `collection` or `wrapup`, not `{}`",
                other.name()
            ),
        };
        return Ok(Rendered::Text(text));
    }
    if matches!(options.edition, Edition::Collection | Edition::Wrapup) {
        bail!("`--edition collection` and `wrapup` are made for a season: add `--season K`");
    }
    if options.edition == Edition::SubscribeForm {
        let Some(action) = workspace.config.server.subscribe_url() else {
            bail!(
                "`[server] public_url` is empty in weekly.toml: set it to where `weekly server` \
                 is reached, e.g. \"https://weekly.example.org/api\""
            );
        };
        return Ok(Rendered::Text(subscribe_form(&action, &lang)));
    }
    let Some(number) = options.issue else {
        bail!("name the issue (`weekly render 42 --edition …`) or a season (`--season 2`)");
    };
    let archive = Archive::load_only(workspace, |n| n == number)?;
    let issue = archive.issue(number).ok_or_else(|| {
        anyhow!(
            "there is no issue #{number} in `{}` (issues #{}–#{})",
            workspace.root.join("issues").display(),
            workspace.issues.first().map_or(0, |i| i.number),
            archive.latest()
        )
    })?;
    let text = match options.edition {
        Edition::Full => {
            let edition = issue.full(&lang).ok_or_else(|| {
                let has_teaser = issue.teaser(&lang).is_some();
                anyhow!(
                    "issue #{number} has no full text in `{lang}`{}",
                    if has_teaser { " (only a teaser)" } else { "" }
                )
            })?;
            weekly_render::markdown::render(&edition.document)
        }
        Edition::Teaser => editions::teaser(workspace, issue, &lang)?,
        Edition::Readme => {
            let item = editions::readme_item(workspace, &archive, issue, &lang, &workspace.root)?;
            let texts = editions::texts(workspace, &lang);
            format!("{}\n", list_item_in(&lang, &item, texts))
        }
        Edition::Telegram => {
            return Ok(Rendered::Telegram(editions::telegram(
                workspace, issue, &lang,
            )?));
        }
        Edition::Links => {
            let document = editions::source(issue, &lang)?;
            let title = editions::title(workspace, &lang, issue, document);
            weekly_render::links::links_edition(
                &title,
                &[document],
                &workspace.config.catalogue,
                &lang,
            )
        }
        Edition::Paste => {
            let word = options.paste_for.as_deref().unwrap_or("");
            let Some(target) = weekly_channels::paste::Target::parse(word) else {
                bail!(
                    "`--edition paste` needs `--for` one of {}",
                    weekly_channels::paste::Target::WORDS
                );
            };
            // The full text for paying readers' platforms (`--tier paid`, or once free), else
            // what the public gets.
            let free_now = issue.number + workspace.config.free_after <= archive.latest();
            let markdown = match issue.full(&lang) {
                Some(full) if paid || free_now => weekly_render::markdown::render(&full.document),
                _ => editions::teaser(workspace, issue, &lang)?,
            };
            let body = editions::body_under_title(&markdown);
            let document = editions::source(issue, &lang)?;
            let title = editions::title(workspace, &lang, issue, document);
            let html = format!(
                "<h1>{}</h1>\n{}",
                weekly_site::markdown::escape(&title),
                weekly_site::markdown::block(body)
            );
            weekly_channels::paste::paste_html(&html, target)
        }
        Edition::Email => {
            email(
                workspace,
                &archive,
                issue,
                &lang,
                options.tier,
                options.to.as_deref(),
            )
            .await?
        }
        Edition::SubscribeForm | Edition::Collection | Edition::Wrapup => {
            unreachable!("handled before an issue is loaded")
        }
    };
    Ok(Rendered::Text(text))
}

/// The sign-up form as an HTML snippet (the fields `weekly server` reads; `website` is the
/// honeypot, hidden from people).
fn subscribe_form(action: &str, lang: &Lang) -> String {
    let labels = weekly_site::labels::labels(lang, None);
    let e = weekly_site::markdown::escape;
    format!(
        "<form class=\"weekly-subscribe\" method=\"post\" action=\"{}\">\n  \
         <label for=\"weekly-subscribe-email\">{}</label>\n  \
         <input id=\"weekly-subscribe-email\" type=\"email\" name=\"email\" required \
         autocomplete=\"email\" placeholder=\"{}\">\n  \
         <input type=\"hidden\" name=\"lang\" value=\"{}\">\n  \
         <input type=\"text\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\" \
         aria-hidden=\"true\" style=\"position:absolute;left:-9999px\">\n  \
         <button type=\"submit\">{}</button>\n</form>\n",
        e(action),
        e(&labels["subscribe_label"]),
        e(&labels["email_placeholder"]),
        e(lang.as_str()),
        e(&labels["subscribe_button"])
    )
}

/// The e-mail edition as an `.eml` for `to` (or a preview address).
async fn email(
    workspace: &Workspace,
    archive: &Archive,
    issue: &Issue,
    lang: &Lang,
    tier: Tier,
    to: Option<&str>,
) -> Result<String> {
    let address = match to {
        Some(to) => {
            Email::parse(to).map_err(|e| anyhow!("--to `{}`: {e}", escape_controls(to, false)))?
        }
        None => Email::parse("preview@example.invalid").map_err(|e| anyhow!("{e}"))?,
    };
    // A subscriber's own id and link key sign their links; a preview's (id 0) open nothing.
    let (id, key) = if to.is_some() {
        let store = crate::database::open(workspace).await?;
        let found = store.subscriber(&address.key()).await;
        store.close().await;
        found?.map_or((0, String::new()), |s| (s.id, s.link_key))
    } else {
        (0, String::new())
    };
    let secret = Secret::of(workspace)?;
    let server = workspace.config.links_base();
    let until = chrono::Utc::now().timestamp() + crate::tokens::MAIL_LINK_SECONDS;
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
    let edition = email_edition(workspace, issue, lang, tier, archive.latest(), &links)?;
    let mail = weekly_store::OutboxMail {
        kind: "issue".into(),
        recipient: address.as_str().to_owned(),
        subject: edition.subject,
        body_text: edition.text,
        body_html: edition.html,
        list_unsubscribe: links.unsubscribe,
    };
    let from = crate::mail::file_sender(&workspace.config.smtp)?;
    let message = crate::mail::message(&from, &mail)?;
    Ok(String::from_utf8_lossy(&message.formatted()).into_owned())
}
