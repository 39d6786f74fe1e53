//! `weekly inbox`: ranked candidates, and the editor's decisions on them (accept into the
//! draft, reject, snooze).

use crate::archive::Archive;
use crate::collector::{self, growth, load_sources, open_store, stamp};
use crate::featured;
use crate::workspace::Workspace;
use crate::{files, printer};
use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::drafter::stars_text;
use weekly_app::environment;
use weekly_collect::github::repo_of;
use weekly_collect::score::{Rules, Score, Signals, score};
use weekly_model::{Lang, SectionKey};
use weekly_parse::{ParseOptions, parse_document};
use weekly_render::insert::insert_entry;
use weekly_store::{Candidate, Status, Store};

/// Arguments of `weekly inbox`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  weekly inbox --explain\n  weekly inbox accept 42 --section projects\n  weekly inbox reject 7 8 9\n  weekly inbox snooze 12 --days 3\n\n\
The score adds: recency (10 when new, halved every [inbox] half_life_hours), source weight \
(5 × weight − 5), keyword rules ([inbox] keywords), 3 per extra source that gave the same link, \
2 × log10(stars + 1) for GitHub repositories and 3 × log10(1 + stars gained per day). \
Links featured in a past issue are hidden."
)]
pub struct Args {
    /// What to do; without one, list the candidates.
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Candidates shown.
    #[arg(long, default_value_t = 30)]
    pub limit: usize,
    /// Show the parts of each score.
    #[arg(long)]
    pub explain: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// A decision.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Add a candidate to the draft (`issues/NNNN/draft.md` of the newest issue that has one)
    /// as the next entry of a section: its title and link, a language note, its summary and
    /// the star count for GitHub repositories.
    Accept {
        /// The candidate's number.
        id: i64,
        /// The section key (`articles`, `projects`…; see `[[sections]]` in weekly.toml).
        #[arg(long)]
        section: String,
        /// The issue whose draft receives it.
        #[arg(long)]
        issue: Option<u32>,
        /// Accept a link that was featured before.
        #[arg(long)]
        force: bool,
    },
    /// Draft candidates as entries in the house style with the configured model
    /// (`[translate]`: base URL, model, `WEEKLY_LLM_API_KEY`): the page is read with the
    /// collector's limits (a GitHub repository through the API, with its stars), the model is
    /// shown a few entries of the section from the archive, and its answer is checked — no
    /// link, star count or number the page does not contain, a length like the section's —
    /// asked again once, then refused. Drafts are kept: asking again needs `--again`.
    Draft {
        /// The candidates' numbers.
        #[arg(required = true)]
        ids: Vec<i64>,
        /// The section (default: the one whose archived entries most often link to the same
        /// kind of page — a GitHub repository or not).
        #[arg(long)]
        section: Option<String>,
        /// Ask again even when a draft is kept.
        #[arg(long)]
        again: bool,
    },
    /// Drop candidates.
    Reject {
        /// Their numbers.
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Hide candidates for some days.
    Snooze {
        /// Their numbers.
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Days hidden.
        #[arg(long, default_value_t = 7)]
        days: u32,
    },
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let runtime = crate::runtime()?;
    runtime.block_on(async {
        let store = open_store(&workspace).await?;
        let result = match &args.action {
            None => list(args, &workspace, &store).await,
            Some(Action::Accept {
                id,
                section,
                issue,
                force,
            }) => accept(&workspace, &store, *id, section, *issue, *force).await,
            Some(Action::Reject { ids }) => decide(&store, ids, Status::Rejected, None).await,
            Some(Action::Draft {
                ids,
                section,
                again,
            }) => draft(&workspace, &store, ids, section.as_deref(), *again).await,
            Some(Action::Snooze { ids, days }) => {
                let until = stamp(Utc::now() + chrono::Duration::days(i64::from(*days)));
                decide(&store, ids, Status::Snoozed, Some(&until)).await
            }
        };
        store.close().await;
        result
    })
}

#[derive(Serialize)]
struct Row {
    id: i64,
    score: f64,
    parts: Vec<(&'static str, f64)>,
    title: String,
    url: String,
    sources: Vec<String>,
    published: Option<String>,
    stars: Option<i64>,
    /// The model's drafts of this candidate (`weekly inbox draft`), by section.
    drafts: Vec<DraftRow>,
}

/// A draft as `--json` shows it.
#[derive(Serialize)]
struct DraftRow {
    section: String,
    title: String,
    original_title: String,
    description: String,
    stars: Option<i64>,
    model: String,
}

fn hours_since(time: Option<&str>, now: DateTime<Utc>) -> Option<f64> {
    let t = DateTime::parse_from_rfc3339(time?).ok()?;
    Some((now - t.with_timezone(&Utc)).num_seconds() as f64 / 3600.0)
}

fn age(hours: f64) -> String {
    if hours < 1.0 {
        "now".into()
    } else if hours < 48.0 {
        format!("{hours:.0} h ago")
    } else {
        format!("{:.0} d ago", hours / 24.0)
    }
}

async fn list(args: &Args, workspace: &Workspace, store: &Store) -> Result<ExitCode> {
    let now = Utc::now();
    let archive = Archive::load(workspace)?;
    let index = featured::index(workspace, &archive);
    let (_, _, sources) = load_sources(workspace)?;
    let weights = collector::weights(&sources);
    let names: HashMap<String, String> = sources
        .iter()
        .map(|s| (s.url.clone(), s.name.clone()))
        .collect();
    let stars = store.stars().await?;
    let mut drafts = store.drafts().await?;
    let rules = Rules {
        half_life_hours: workspace.config.inbox.half_life_hours,
        keywords: workspace
            .config
            .inbox
            .keywords
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
    };
    let mut hidden = 0;
    let mut rows: Vec<Row> = Vec::new();
    for c in store.candidates(&stamp(now), false).await? {
        if index.contains_key(&c.url_norm) {
            hidden += 1;
            continue;
        }
        let w: Vec<f64> = c
            .sources
            .iter()
            .map(|s| weights.get(s).copied().unwrap_or(1.0))
            .collect();
        let history = repo_of(&c.url).and_then(|r| stars.get(&r));
        let text = format!("{} {}", c.title, c.summary);
        let age_hours = hours_since(c.published.as_deref(), now)
            .or_else(|| hours_since(Some(&c.first_seen), now))
            .unwrap_or(0.0);
        let s: Score = score(
            &rules,
            &Signals {
                age_hours,
                weights: &w,
                text: &text,
                stars: history.and_then(|h| h.last()).map(|(_, n)| *n),
                stars_per_day: history.and_then(|h| growth(h)),
                submitted: c
                    .sources
                    .iter()
                    .any(|s| s.starts_with("reader:") || s.starts_with("telegram:")),
            },
        );
        rows.push(Row {
            id: c.id,
            score: (s.total() * 100.0).round() / 100.0,
            parts: s
                .parts()
                .into_iter()
                .map(|(k, v)| (k, (v * 100.0).round() / 100.0))
                .collect(),
            title: c.title,
            url: c.url,
            sources: c
                .sources
                .iter()
                .map(|s| {
                    names.get(s).cloned().unwrap_or_else(|| {
                        s.strip_prefix("reader:")
                            .map_or_else(|| s.clone(), |via| format!("a reader ({via})"))
                    })
                })
                .collect(),
            published: c.published,
            stars: history.and_then(|h| h.last()).map(|(_, n)| *n),
            drafts: drafts
                .remove(&c.id)
                .unwrap_or_default()
                .into_iter()
                .map(|d| DraftRow {
                    section: d.section,
                    title: d.title,
                    original_title: d.original_title,
                    description: d.description,
                    stars: d.stars,
                    model: d.model,
                })
                .collect(),
        });
    }
    rows.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    let total = rows.len();
    rows.truncate(args.limit);
    if args.json {
        printer::raw(&format!("{}\n", serde_json::to_string_pretty(&rows)?));
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        printer::out("the inbox is empty: run `weekly collect` to read the sources");
    }
    for row in &rows {
        let hours = hours_since(row.published.as_deref(), now);
        let mut from = row.sources.first().cloned().unwrap_or_default();
        if row.sources.len() > 1 {
            let _ = write!(from, " +{} more", row.sources.len() - 1);
        }
        if let Some(h) = hours {
            let _ = write!(from, " · {}", age(h));
        }
        if let Some(n) = row.stars {
            let _ = write!(from, " · ★ {n}");
        }
        printer::out(&format!(
            "#{:<5} {:>6.2}  {}  ({from})",
            row.id, row.score, row.title
        ));
        printer::out(&format!("              {}", row.url));
        for d in &row.drafts {
            let original = if d.original_title.is_empty() {
                String::new()
            } else {
                format!("---{}", d.original_title)
            };
            printer::out(&format!(
                "              draft ({}): {}{original} — {}",
                d.section,
                printer::one_line(&d.title),
                printer::one_line(&d.description)
            ));
        }
        if args.explain {
            let parts: Vec<String> = row
                .parts
                .iter()
                .map(|(k, v)| format!("{k} {v:+.2}"))
                .collect();
            printer::out(&format!("              {}", parts.join(" · ")));
        }
    }
    printer::out(&format!(
        "{} of {total} candidates shown{}",
        rows.len(),
        if hidden > 0 {
            format!("; {hidden} hidden because they were featured before")
        } else {
            String::new()
        }
    ));
    Ok(ExitCode::SUCCESS)
}

async fn decide(
    store: &Store,
    ids: &[i64],
    status: Status,
    until: Option<&str>,
) -> Result<ExitCode> {
    let now = stamp(Utc::now());
    for id in ids {
        if store.candidate(*id).await?.is_none() {
            bail!("there is no candidate #{id} (see `weekly inbox`)");
        }
    }
    for id in ids {
        store.decide(*id, status, until, None, &now).await?;
    }
    let what = match until {
        Some(t) => format!("snoozed until {t}"),
        None => status.as_str().to_owned(),
    };
    printer::out(&format!("{} candidates {what}", ids.len()));
    Ok(ExitCode::SUCCESS)
}

fn lang_tag(primary: &Lang, lang: &str) -> Option<&'static str> {
    if lang.is_empty() || primary.as_str() == lang || primary.as_str() != "zh" {
        return None;
    }
    match lang {
        "en" => Some("（英文）"),
        "ja" => Some("（日文）"),
        _ => None,
    }
}

fn draft_path(workspace: &Workspace, issue: Option<u32>) -> Result<(u32, PathBuf)> {
    let dirs = workspace.issues.iter().rev();
    let found = match issue {
        Some(n) => dirs.clone().find(|d| d.number == n),
        None => dirs.clone().find(|d| d.dir.join("draft.md").exists()),
    };
    let dir = found.ok_or_else(|| match issue {
        Some(n) => anyhow!("there is no issue #{n} in the workspace"),
        None => anyhow!(
            "no issue has a draft.md: create issues/NNNN/issue.toml and draft.md for the next issue"
        ),
    })?;
    Ok((dir.number, dir.dir.join("draft.md")))
}

fn escape_title(title: &str) -> String {
    title
        .replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

/// A link destination that survives Markdown: in angle brackets when it has spaces or
/// parentheses.
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_owned()
    }
}

/// `text` (an issue or draft with an entry just added) with the counts of its description line
/// brought up to date: `5 个开源项目` becomes `6 个开源项目`; the rest of the line is kept.
fn with_fresh_description(
    text: &str,
    file: &str,
    lang: &weekly_model::Lang,
    catalogue: &weekly_model::Catalogue,
) -> String {
    let parsed = parse_document(
        text,
        &ParseOptions {
            file,
            lang,
            catalogue,
        },
    );
    let Some(description) = weekly_parse::description::find(&parsed.document) else {
        return text.to_owned();
    };
    let counts = weekly_model::Counts::of(&parsed.document, catalogue);
    let fresh = weekly_parse::description::rewrite_counts(&description.text, |key| {
        // Book giveaways are prose, not entries: their claim stays.
        (key != "books").then(|| counts.get(key))
    });
    if fresh == description.text {
        return text.to_owned();
    }
    text.replacen(&description.text, &fresh, 1)
}

/// A feed's summary as one paragraph of plain text: it cannot turn into a heading, a quote, a
/// list or a new entry, and nothing in it becomes a link, an image, HTML or emphasis (`[x](u)`,
/// `<https://…>`, a bare `https://…` or `www.…` stay text). The editor writes the description;
/// the summary only tells what the link is about.
fn paragraph(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.trim().chars() {
        match c {
            c if c.is_control() => escaped.push(' '),
            '\\' | '[' | ']' | '<' | '>' | '*' | '_' | '`' | '&' | '~' | '|' => {
                escaped.push('\\');
                escaped.push(c);
            }
            _ => escaped.push(c),
        }
    }
    // A bare address is made a link by the autolink extension: break its `://` and `www.`.
    let escaped = escaped.replace("://", ":\\/\\/").replace("www.", "www\\.");
    let text = escaped.as_str();
    let digits = text.trim_start_matches(|c: char| c.is_ascii_digit());
    let numbered =
        digits.len() < text.len() && (digits.starts_with('、') || digits.starts_with('.'));
    if text.starts_with(['#', '>', '-', '*', '+', '=', '|', '`']) || numbered {
        format!("\\{text}")
    } else {
        text.to_owned()
    }
}

async fn accept(
    workspace: &Workspace,
    store: &Store,
    id: i64,
    section: &str,
    issue: Option<u32>,
    force: bool,
) -> Result<ExitCode> {
    let candidate: Candidate = store
        .candidate(id)
        .await?
        .ok_or_else(|| anyhow!("there is no candidate #{id} (see `weekly inbox`)"))?;
    if candidate.status == Status::Accepted {
        bail!("candidate #{id} was accepted already");
    }
    let catalogue = &workspace.config.catalogue;
    let key = SectionKey::new(section)
        .filter(|k| catalogue.is_counted(k))
        .ok_or_else(|| weekly_app::drafter::unknown_section(workspace, section))?;
    let archive = Archive::load(workspace)?;
    if let Some(places) = featured::index(workspace, &archive).get(&candidate.url_norm)
        && !force
    {
        let list: Vec<String> = places.iter().map(ToString::to_string).collect();
        bail!(
            "{} was featured in {} (--force to add it anyway)",
            candidate.url,
            list.join("; ")
        );
    }
    let (number, path) = draft_path(workspace, issue)?;
    let text = if path.exists() {
        workspace.read_text(&path)?
    } else {
        String::new()
    };
    let lang = &workspace.config.primary_language;
    let shown = workspace.display_path(&path);
    let parsed = parse_document(
        &text,
        &ParseOptions {
            file: &shown,
            lang,
            catalogue,
        },
    );
    let drafted = store
        .drafts()
        .await?
        .remove(&id)
        .and_then(|list| list.into_iter().find(|d| d.section == key.as_str()));
    let mut title = format!(
        "[{}]({})",
        escape_title(&candidate.title),
        destination(&candidate.url)
    );
    if let Some(tag) = lang_tag(lang, &candidate.lang) {
        title.push_str(tag);
    }
    let stars = match repo_of(&candidate.url) {
        Some(repo) => store
            .stars()
            .await?
            .get(&repo)
            .and_then(|h| h.last())
            .map(|(_, n)| *n),
        None => None,
    };
    let mut body = paragraph(&candidate.summary);
    if let Some(n) = stars {
        let _ = write!(body, "（star {}）", stars_text(n));
    }
    let mut blocks = vec![body];
    if let Some(d) = &drafted {
        // The model's draft, marked until the editor has read it and deletes the mark.
        let (drafted_title, drafted_body) = weekly_app::drafter::entry_markdown(d, &candidate.url);
        title = drafted_title;
        blocks = vec![
            weekly_app::drafter::DRAFT_MARK.to_owned(),
            paragraph_escaped(&drafted_body),
        ];
    }
    let (new_text, entry) = insert_entry(
        &text,
        &parsed.document,
        catalogue,
        lang,
        &key,
        &title,
        &blocks,
    );
    let new_text = with_fresh_description(&new_text, &shown, lang, catalogue);
    files::write_atomic(&path, &new_text)?;
    store
        .decide(
            id,
            Status::Accepted,
            None,
            Some((number, key.as_str())),
            &stamp(Utc::now()),
        )
        .await?;
    let name = catalogue.get(&key).map_or(key.as_str(), |d| d.name(lang));
    printer::out(&format!(
        "added to {shown} as {name} {entry}: {}",
        candidate.title
    ));
    if drafted.is_some() {
        printer::out(
            "the entry is the model's draft: read and edit it, then delete its `weekly:ai-draft` line (`weekly check` reminds you; `weekly publish` refuses the issue until then)",
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A drafted description (already escaped for Markdown by `entry_markdown`) as one paragraph
/// that cannot start a heading, quote, list or entry.
fn paragraph_escaped(text: &str) -> String {
    let text = text.trim();
    let digits = text.trim_start_matches(|c: char| c.is_ascii_digit());
    let numbered =
        digits.len() < text.len() && (digits.starts_with('、') || digits.starts_with('.'));
    if text.starts_with(['#', '>', '-', '+', '=', '|']) || numbered {
        format!("\\{text}")
    } else {
        text.to_owned()
    }
}

async fn draft(
    workspace: &Workspace,
    store: &Store,
    ids: &[i64],
    section: Option<&str>,
    again: bool,
) -> Result<ExitCode> {
    use weekly_app::drafter::{Drafter, examples, likely_section, unknown_section};
    let catalogue = &workspace.config.catalogue;
    let section = match section {
        Some(s) => Some(
            SectionKey::new(s)
                .filter(|k| catalogue.is_counted(k))
                .ok_or_else(|| unknown_section(workspace, s))?,
        ),
        None => None,
    };
    let mut candidates = Vec::new();
    for id in ids {
        let c = store
            .candidate(*id)
            .await?
            .ok_or_else(|| anyhow!("there is no candidate #{id} (see `weekly inbox`)"))?;
        candidates.push(c);
    }
    let archive = Archive::load(workspace)?;
    let by_section = examples(workspace, &archive);
    let kept = store.drafts().await?;
    let model = weekly_llm::OpenAiClient::new(weekly_app::translation::client_config(workspace))?;
    let config = &workspace.config.collect;
    // Candidates' links come from readers and feeds' content: only public addresses are
    // fetched. The exceptions exist for the tests' local stand-ins (ARCHITECTURE.md, trust
    // boundary); this is the one place they are read.
    let exceptions = match workspace.env.get(weekly_collect::guard::TEST_ALLOW_ENV) {
        Some(list) => {
            let exceptions = weekly_collect::guard::Exceptions::from_allow_list(list)
                .map_err(|e| anyhow!("{}: {e}", weekly_collect::guard::TEST_ALLOW_ENV))?;
            printer::status(&format!(
                "warning: {} is set: fetching from {list} is allowed (for tests only)",
                weekly_collect::guard::TEST_ALLOW_ENV
            ));
            exceptions
        }
        None => weekly_collect::guard::Exceptions::default(),
    };
    let fetcher = weekly_collect::guard::GuardedFetcher::with_exceptions(
        collector::limits(&workspace.config.collect),
        exceptions,
    )?;
    let api = workspace
        .env
        .or(environment::GITHUB_API_URL, &config.github_api_url);
    let token = workspace
        .env
        .get(environment::GITHUB_TOKEN)
        .map(str::to_owned);
    let github = weekly_collect::github::Github::new(&api, token)?;
    let drafter = Drafter {
        workspace,
        model: &model,
        fetcher: &fetcher,
        github: &github,
        examples: &by_section,
    };
    let mut refused = 0;
    for c in &candidates {
        let key = match &section {
            Some(k) => k.clone(),
            None => likely_section(workspace, &by_section, &c.url).ok_or_else(|| {
                anyhow!("no section has entries to learn from: name one with `--section`")
            })?,
        };
        let existing = kept
            .get(&c.id)
            .and_then(|list| list.iter().find(|d| d.section == key.as_str()));
        if let (Some(d), false) = (existing, again) {
            printer::out(&format!(
                "#{} kept draft ({}): {} (`--again` asks anew)",
                c.id,
                key,
                printer::one_line(&d.title)
            ));
            continue;
        }
        match drafter.draft(c, &key, &stamp(Utc::now())).await {
            Ok(d) => {
                store.save_draft(&d).await?;
                printer::out(&format!(
                    "#{} drafted ({}): {} — {}",
                    c.id,
                    key,
                    printer::one_line(&d.title),
                    printer::one_line(&d.description)
                ));
            }
            Err(e) => {
                refused += 1;
                printer::out(&format!("#{} not drafted: {e}", c.id));
            }
        }
    }
    Ok(if refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_text_cannot_change_the_draft_structure() {
        assert_eq!(paragraph("## not a heading"), "\\## not a heading");
        assert_eq!(paragraph("3、not an entry"), "\\3、not an entry");
        assert_eq!(paragraph("2026 was a year"), "2026 was a year");
        assert_eq!(escape_title("a [b] c"), "a \\[b\\] c");
        assert_eq!(destination("https://a.org/x_(y)"), "<https://a.org/x_(y)>");
        assert_eq!(destination("https://a.org/x"), "https://a.org/x");
    }

    #[test]
    fn star_counts_in_house_style() {
        assert_eq!(stars_text(950), "950");
        assert_eq!(stars_text(3200), "3.2K");
        assert_eq!(stars_text(12_000), "12K");
        assert_eq!(stars_text(54_321), "54.3K");
        assert_eq!(stars_text(123_456), "123K");
    }
}
