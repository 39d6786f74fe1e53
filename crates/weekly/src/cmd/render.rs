//! `weekly render`: print one edition of an issue, or a season's links-only edition,
//! collection or wrap-up post.

use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;
use weekly_app::email_edition::Tier;
use weekly_app::rendering::{Edition, RenderOptions, Rendered, render};

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
    /// HTML to paste into an editor without an API (`--for substack|xiaobot|sspai|zhihu`):
    /// only what it keeps — headings, paragraphs, lists, bold, links, images, code, quotes;
    /// the full text with `--tier paid`, else what the public gets.
    Paste,
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
    /// For `--edition paste`: the editor it goes into.
    #[arg(long = "for", value_name = "SUBSTACK|XIAOBOT|SSPAI|ZHIHU")]
    pub paste_for: Option<String>,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let options = RenderOptions {
        issue: args.issue,
        season: args.season,
        edition: match args.edition {
            EditionKind::Full => Edition::Full,
            EditionKind::Teaser => Edition::Teaser,
            EditionKind::Readme => Edition::Readme,
            EditionKind::Telegram => Edition::Telegram,
            EditionKind::Links => Edition::Links,
            EditionKind::SubscribeForm => Edition::SubscribeForm,
            EditionKind::Email => Edition::Email,
            EditionKind::Collection => Edition::Collection,
            EditionKind::Wrapup => Edition::Wrapup,
            EditionKind::Paste => Edition::Paste,
        },
        lang: args.lang.clone(),
        tier: match args.tier {
            TierArg::Free => Tier::Free,
            TierArg::Paid => Tier::Paid,
        },
        to: args.to.clone(),
        paste_for: args.paste_for.clone(),
    };
    match crate::runtime()?.block_on(render(&workspace, &options))? {
        Rendered::Text(text) => emit(args.format, &text),
        Rendered::Telegram(a) => match args.format {
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
        },
    }
    Ok(ExitCode::SUCCESS)
}

fn emit(format: Format, text: &str) {
    match format {
        Format::Text => printer::raw(text),
        Format::Json => printer::out(
            &serde_json::to_string_pretty(&serde_json::json!({ "text": text })).unwrap_or_default(),
        ),
    }
}
