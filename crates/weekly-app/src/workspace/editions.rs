//! Builds the weekly editions of an issue from the workspace: which document, which fixed texts
//! (with `{{ number }}`, `{{ date }}`, `{{ url }}`, `{{ site }}`, `{{ subscribe }}`, `{{ name }}` filled in), which
//! counts. The rendering itself is pure and lives in `weekly-render`.

use crate::archive::{Archive, Issue};
use crate::workspace::Workspace;
use anyhow::{Result, anyhow, bail};
use std::path::Path;
use weekly_model::{Document, Lang};
use weekly_render::readme::ListItem;
use weekly_render::teaser::TeaserTexts;
use weekly_render::telegram::{Announcement, AnnouncementTexts, announcement};
use weekly_render::texts::fill;
use weekly_stats::{IssueStats, Source};

/// `markdown` without a leading `---` front matter block.
pub fn body_of(markdown: &str) -> &str {
    if let Some(rest) = markdown.strip_prefix("---\n")
        && let Some(end) = rest.find("\n---\n")
    {
        return rest[end + 5..].trim_start_matches('\n');
    }
    markdown
}

/// `markdown` without its front matter and without a leading `# …` heading: the body of an
/// edition whose title is shown apart (a mail's subject, a post's title field, the paste
/// edition's own heading), so that it is not said twice.
pub fn body_under_title(markdown: &str) -> &str {
    let body = body_of(markdown);
    match body.strip_prefix("# ") {
        Some(rest) => rest
            .split_once('\n')
            .map_or("", |(_, after)| after)
            .trim_start(),
        None => body,
    }
}

/// The public page of issue `number` in `lang` on the site.
pub fn issue_url(workspace: &Workspace, lang: &Lang, number: u32) -> String {
    format!("{}/{lang}/{number}/", workspace.config.base_url)
}

/// A fixed text of `lang` with placeholders filled, when configured.
fn text(workspace: &Workspace, lang: &Lang, key: &str, issue: &Issue) -> Option<String> {
    let template = workspace.config.texts.get(lang)?.get(key)?;
    let number = issue.number.to_string();
    let date = issue.date.to_string();
    let url = issue_url(workspace, lang, issue.number);
    let name = workspace.config.name.get(lang).cloned().unwrap_or_default();
    // `{{ subscribe }}`: the paid offer in this language, else the site.
    let subscribe = workspace
        .config
        .site
        .paid_url(lang)
        .unwrap_or_else(|| workspace.config.base_url.clone());
    Some(fill(
        template,
        &[
            ("number", &number),
            ("date", &date),
            ("url", &url),
            ("site", &workspace.config.base_url),
            ("subscribe", &subscribe),
            ("name", &name),
        ],
    ))
}

/// The document an edition in `lang` is made from: the full text, else the teaser.
pub fn source<'a>(issue: &'a Issue, lang: &Lang) -> Result<&'a Document> {
    issue
        .best(lang)
        .map(|e| &*e.document)
        .ok_or_else(|| anyhow!("issue #{} has no `{lang}` edition", issue.number))
}

/// The title of an issue's document, or a made-up one from the name and number.
pub fn title(workspace: &Workspace, lang: &Lang, issue: &Issue, document: &Document) -> String {
    document.title().map_or_else(
        || {
            let name = workspace.config.name.get(lang).map_or("", String::as_str);
            format!("{name} #{}", issue.number)
        },
        weekly_model::inline::plain_text,
    )
}

/// The theme of an issue in `lang`, as lists show it: `issue.toml`'s `titles` (a theme the
/// edition's own title lacks), else its title's as `[format] titles` read it (after `#N：`
/// by default), else the whole title.
pub fn theme(workspace: &Workspace, issue: &Issue, lang: &Lang, title: &str) -> String {
    if let Some(theme) = issue
        .titles
        .get(lang)
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        return theme.to_owned();
    }
    let parts = workspace.config.catalogue.format.title_parts(title);
    if parts.number.is_some() && !parts.theme.is_empty() {
        parts.theme
    } else {
        title.to_owned()
    }
}

/// The description line of an issue in `lang`, from its figures, in the newsletter's words
/// (`description`, `count_<section>`… of its texts, else Python Trending Weekly's). The
/// word-count stamp ("全文 N 字") counts tokens as Python Trending Weekly's tool did
/// (`words.jieba`) and is only written when the figures come from the full text.
pub fn describe(
    workspace: &Workspace,
    lang: &Lang,
    stats: &IssueStats,
    with_words: bool,
    own: Option<&weekly_model::Document>,
) -> String {
    let words = (with_words && stats.source == Source::Full).then_some(stats.words.jieba);
    weekly_render::describe::description_in(
        lang,
        &stats.counts,
        &workspace.config.catalogue,
        words,
        own,
        texts(workspace, lang),
    )
}

/// The fixed texts of `lang` as configured (placeholders not filled): the newsletter's words
/// for the description line, the README list and the other editions.
pub fn texts<'a>(workspace: &'a Workspace, lang: &Lang) -> &'a weekly_render::texts::Texts {
    workspace
        .config
        .texts
        .get(lang)
        .unwrap_or_else(|| weekly_render::texts::none())
}

/// The teaser of an issue in `lang`.
pub fn teaser(workspace: &Workspace, issue: &Issue, lang: &Lang) -> Result<String> {
    let document = source(issue, lang)?;
    // Only entry counts are shown: no word count (and no segmenter dictionary) is needed.
    let stats = issue_counts(workspace, issue)?;
    let mut before = Vec::new();
    before.extend(text(workspace, lang, "intro", issue));
    before.push(describe(workspace, lang, &stats, false, Some(document)));
    before.extend(text(workspace, lang, "teaser_lead", issue));
    let after = ["subscribe", "full_text"]
        .iter()
        .filter_map(|key| text(workspace, lang, key, issue))
        .collect();
    Ok(weekly_render::teaser::teaser(
        document,
        &title(workspace, lang, issue, document),
        &workspace.config.catalogue,
        &TeaserTexts { before, after },
    ))
}

/// The Telegram announcement of an issue in `lang`.
pub fn telegram(workspace: &Workspace, issue: &Issue, lang: &Lang) -> Result<Announcement> {
    let document = source(issue, lang)?;
    let footer = text(workspace, lang, "telegram", issue)
        .or_else(|| text(workspace, lang, "intro", issue))
        .into_iter()
        .collect();
    let label = text(workspace, lang, "read_more", issue).unwrap_or_else(|| {
        if lang.is_cjk() {
            "阅读本期".to_owned()
        } else {
            "Read this issue".to_owned()
        }
    });
    let texts = AnnouncementTexts {
        hashtag: workspace.config.name.get(lang).cloned().unwrap_or_default(),
        headline: title(workspace, lang, issue, document),
        footer,
        link: Some((label, issue_url(workspace, lang, issue.number))),
    };
    Ok(announcement(document, &workspace.config.catalogue, &texts))
}

/// Figures of an issue from its primary-language edition.
pub fn issue_stats(workspace: &Workspace, issue: &Issue) -> Result<IssueStats> {
    let edition = issue
        .counted(&workspace.config.primary_language)
        .ok_or_else(|| anyhow!("issue #{} has no edition to count", issue.number))?;
    Ok(issue.stats_from(edition, workspace))
}

/// [`issue_stats`] without the word counts (for texts that show only entry counts).
pub fn issue_counts(workspace: &Workspace, issue: &Issue) -> Result<IssueStats> {
    let edition = issue
        .counted(&workspace.config.primary_language)
        .ok_or_else(|| anyhow!("issue #{} has no edition to count", issue.number))?;
    let others: Vec<&weekly_model::Document> = issue
        .editions
        .iter()
        .filter(|e| !std::ptr::eq(*e, edition))
        .map(|e| &*e.document)
        .collect();
    Ok(weekly_stats::issue_counts(
        issue.number,
        issue.date,
        &edition.document,
        &others,
        &workspace.config.catalogue,
    ))
}

/// The language from `--lang`, checked against the configuration.
pub fn resolve_lang(workspace: &Workspace, lang: Option<&str>) -> Result<Lang> {
    let Some(code) = lang else {
        return Ok(workspace.config.primary_language.clone());
    };
    let lang = Lang::new(code).ok_or_else(|| anyhow!("`--lang {code}` is not a language code"))?;
    if !workspace.config.languages.contains(&lang) {
        let known: Vec<&str> = workspace
            .config
            .languages
            .iter()
            .map(Lang::as_str)
            .collect();
        bail!(
            "`{lang}` is not a language of this newsletter (weekly.toml `languages`: {})",
            known.join(", ")
        );
    }
    Ok(lang)
}

/// The README list entry of an issue: its public edition in `lang` (the full text once free,
/// the teaser while paid), linked relative to `base_dir`.
pub fn readme_item(
    workspace: &Workspace,
    archive: &Archive,
    issue: &Issue,
    lang: &Lang,
    base_dir: &Path,
) -> Result<ListItem> {
    let free = issue.number + workspace.config.free_after <= archive.latest();
    let edition = if free {
        issue.full(lang).or_else(|| issue.teaser(lang))
    } else {
        issue.teaser(lang).or_else(|| issue.full(lang))
    }
    .ok_or_else(|| anyhow!("issue #{} has no `{lang}` edition", issue.number))?;
    let stats = issue_counts(workspace, issue)?;
    let title = title(workspace, lang, issue, &edition.document);
    Ok(ListItem {
        number: issue.number,
        date: issue.date,
        theme: theme(workspace, issue, lang, &title),
        target: relative_link(base_dir, &edition.path),
        description: describe(workspace, lang, &stats, false, Some(&edition.document)),
    })
}

/// `./a/b.md` for a path under `base`, else the path as given.
fn relative_link(base: &Path, path: &Path) -> String {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
    let (base, full) = (canonical(base), canonical(path));
    match full.strip_prefix(&base) {
        Ok(rel) => {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("./{}", parts.join("/"))
        }
        Err(_) => full.display().to_string(),
    }
}
