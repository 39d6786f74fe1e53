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
        EditionKind::SubscribeForm => unreachable!("handled before an issue is loaded"),
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
