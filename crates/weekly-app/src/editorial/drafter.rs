//! `weekly inbox draft`: a candidate's page read with the collector's limits through the guard
//! of URLs from outside (public addresses only, every redirect checked; a GitHub repository
//! through the configured API: description, README and stars), a few entries of the same
//! section from the archive as examples, the model asked for an entry in the house style, the
//! answer checked (and asked again once, then refused), the draft kept in the database.

use crate::archive::Archive;
use crate::workspace::Workspace;
use anyhow::anyhow;
use std::collections::HashMap;
use weekly_collect::draft::{
    Draft, Example, Lengths, Page, check, choose_examples, lengths, main_text, page_title, prompt,
};
use weekly_collect::fetch::{Fetched, Validators};
use weekly_collect::github::{Github, repo_of};
use weekly_collect::guard::GuardedFetcher;
use weekly_llm::ChatModel;
use weekly_model::inline::plain_text;
use weekly_model::{Lang, SectionKey};
use weekly_store::{Candidate, StoredDraft};

/// Examples shown to the model.
pub const EXAMPLES: usize = 4;
/// Characters of the page the model reads.
const PAGE_CHARS: usize = 3000;

/// The entries of the archive by section, as examples: the primary language's full texts,
/// newest issue first.
pub fn examples(workspace: &Workspace, archive: &Archive) -> HashMap<SectionKey, Vec<Example>> {
    let primary = &workspace.config.primary_language;
    let mut out: HashMap<SectionKey, Vec<Example>> = HashMap::new();
    for issue in archive.issues.iter().rev() {
        let Some(edition) = issue.full(primary) else {
            continue;
        };
        for (section, entry) in edition.document.entries() {
            if !workspace.config.catalogue.is_counted(&section.key) {
                continue;
            }
            let Some(url) = entry.url() else { continue };
            let body: Vec<String> = entry
                .body
                .iter()
                .filter(|b| !b.text.trim_start().starts_with("!["))
                .map(|b| plain_text(&b.text))
                .filter(|t| !t.trim().is_empty())
                .collect();
            out.entry(section.key.clone()).or_default().push(Example {
                issue: issue.number,
                title: entry.plain_title(),
                url,
                body: body.join(" "),
            });
        }
    }
    out
}

/// The accepted description lengths of a section, from its entries in the archive.
pub fn section_lengths(examples: &[Example]) -> Lengths {
    lengths(examples.iter().map(|e| e.body.chars().count()).collect())
}

/// What a draft run needs besides the candidate.
#[derive(Debug)]
pub struct Drafter<'a, M: ChatModel> {
    /// The workspace.
    pub workspace: &'a Workspace,
    /// The model.
    pub model: &'a M,
    /// HTTP with the collector's limits, guarded: a candidate's link came from a reader or a
    /// feed's content.
    pub fetcher: &'a GuardedFetcher,
    /// The GitHub API.
    pub github: &'a Github,
    /// Examples by section (see [`examples`]).
    pub examples: &'a HashMap<SectionKey, Vec<Example>>,
}

/// Why a candidate got no draft.
#[derive(Debug)]
pub enum Refused {
    /// The page could not be read.
    Page(String),
    /// The model's answers broke the rules twice.
    Answer(Vec<String>),
    /// The model could not be asked.
    Model(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Page(e) => write!(f, "the page could not be read: {e}"),
            Refused::Answer(problems) => {
                write!(
                    f,
                    "the model's answer was refused twice: {}",
                    problems.join("; ")
                )
            }
            Refused::Model(e) => write!(f, "the model could not be asked: {e}"),
        }
    }
}

impl<M: ChatModel> Drafter<'_, M> {
    /// Reads the candidate's page: a repository's description and README through the API (and
    /// its stars), any other link's title and main text.
    pub async fn page(&self, candidate: &Candidate) -> Result<(Page, Option<i64>), Refused> {
        if let Some(repo) = repo_of(&candidate.url) {
            let info = self
                .github
                .repo(&repo)
                .await
                .map_err(|e| Refused::Page(e.to_string()))?;
            let readme = self
                .github
                .readme(&repo, 256 * 1024)
                .await
                .map_err(|e| Refused::Page(e.to_string()))?
                .unwrap_or_default();
            let text = format!("{}\n\n{}", info.description, readme);
            let text: String = text.chars().take(PAGE_CHARS).collect();
            return Ok((
                Page {
                    url: candidate.url.clone(),
                    title: if info.description.is_empty() {
                        candidate.title.clone()
                    } else {
                        format!("{}: {}", repo, info.description)
                    },
                    text,
                    lang: candidate.lang.clone(),
                },
                Some(info.stars),
            ));
        }
        let fetched = self
            .fetcher
            .get(&candidate.url, &Validators::default())
            .await
            .map_err(|e| Refused::Page(e.to_string()))?;
        let Fetched::Body(body) = fetched else {
            return Err(Refused::Page(
                "the server answered 304 to a plain GET".into(),
            ));
        };
        let bytes = body.contents().map_err(|e| Refused::Page(e.to_string()))?;
        let (utf8, _) = weekly_collect::decode::to_utf8(&bytes, body.content_type.as_deref());
        let html = String::from_utf8_lossy(&utf8);
        let title = page_title(&html);
        Ok((
            Page {
                url: candidate.url.clone(),
                title: if title.is_empty() {
                    candidate.title.clone()
                } else {
                    title
                },
                text: main_text(&html, PAGE_CHARS),
                lang: candidate.lang.clone(),
            },
            None,
        ))
    }

    /// Drafts `candidate` for `section`: the model asked with the section's closest examples,
    /// its answer checked, asked again once with what was wrong, then refused.
    pub async fn draft(
        &self,
        candidate: &Candidate,
        section: &SectionKey,
        now: &str,
    ) -> Result<StoredDraft, Refused> {
        let (page, stars) = self.page(candidate).await?;
        let config = &self.workspace.config;
        let primary: &Lang = &config.primary_language;
        let section_examples = self.examples.get(section).map_or(&[][..], Vec::as_slice);
        let chosen = choose_examples(section_examples, &page, EXAMPLES);
        let range = section_lengths(section_examples);
        let name = config
            .catalogue
            .get(section)
            .map_or_else(|| section.to_string(), |d| d.name(primary).to_owned());
        let (system, user) = prompt(&name, language_name(primary), range, &chosen, &page);
        let mut asked = user.clone();
        let mut last = Vec::new();
        for _ in 0..2 {
            let answer = self
                .model
                .complete(&system, &asked)
                .await
                .map_err(|e| Refused::Model(e.to_string()))?;
            match check(&answer.text, &page, range) {
                Ok(Draft {
                    title,
                    original_title,
                    description,
                }) => {
                    return Ok(StoredDraft {
                        candidate: candidate.id,
                        section: section.to_string(),
                        title,
                        original_title: if page.lang.is_empty() || page.lang == primary.as_str() {
                            String::new()
                        } else {
                            original_title
                        },
                        description,
                        stars,
                        model: self.model.model().to_owned(),
                        created_at: now.to_owned(),
                    });
                }
                Err(problems) => {
                    asked = format!(
                        "{user}\nYour previous answer was refused: {}. Answer again, following every rule.",
                        problems.join("; ")
                    );
                    last = problems;
                }
            }
        }
        Err(Refused::Answer(last))
    }
}

/// The language's name for the prompt.
fn language_name(lang: &Lang) -> &'static str {
    match lang.as_str() {
        "zh" => "Simplified Chinese",
        "ja" => "Japanese",
        "ko" => "Korean",
        "de" => "German",
        "fr" => "French",
        "es" => "Spanish",
        _ => "English",
    }
}

/// The Markdown of a drafted entry's title and body in the house format: `[标题---Original
/// Title](url)` (the original kept when the page is in another language), the description,
/// the star note for repositories.
pub fn entry_markdown(draft: &StoredDraft, url: &str) -> (String, String) {
    let mut title = draft.title.clone();
    if !draft.original_title.is_empty() && draft.original_title != draft.title {
        title.push_str("---");
        title.push_str(&draft.original_title);
    }
    let escaped = weekly_model::inline::escape_link_text(&title);
    let link = format!(
        "[{escaped}]({})",
        weekly_model::inline::escape_link_url(url)
    );
    let mut body = weekly_model::inline::escape_link_text(&draft.description);
    if let Some(stars) = draft.stars {
        body.push_str("（star ");
        body.push_str(&stars_text(stars));
        body.push('）');
    }
    (link, body)
}

/// `3200` → `3.2K`, as the house style writes star counts.
pub fn stars_text(stars: i64) -> String {
    if stars < 1000 {
        return stars.to_string();
    }
    #[allow(clippy::cast_precision_loss)]
    let k = stars as f64 / 1000.0;
    let text = if k < 100.0 {
        format!("{k:.1}")
    } else {
        format!("{k:.0}")
    };
    format!("{}K", text.trim_end_matches(".0"))
}

/// The error of a missing section.
pub fn unknown_section(workspace: &Workspace, section: &str) -> anyhow::Error {
    let keys: Vec<&str> = workspace
        .config
        .catalogue
        .sections
        .iter()
        .filter(|s| s.counted)
        .map(|s| s.key.as_str())
        .collect();
    anyhow!(
        "`--section {section}` is not a section of weekly.toml; use one of {}",
        keys.join(", ")
    )
}

/// The comment that marks an entry drafted by the model until the editor approves it (by
/// deleting the line): `weekly check` warns on it and `weekly publish` refuses the issue.
pub const DRAFT_MARK: &str = "<!-- weekly:ai-draft: edit this entry, then delete this line -->";

/// What identifies the mark, however the rest of its line was edited.
const MARK_KEY: &str = "weekly:ai-draft";

/// The 1-based lines of `text` that hold the mark of an unapproved drafted entry.
pub fn unapproved_lines(text: &str) -> Vec<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.contains(MARK_KEY))
        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
        .collect()
}

/// The section a candidate goes to when the editor names none: the counted section whose
/// archived entries most often link where this one does (GitHub repositories, or anything
/// else).
pub fn likely_section<S: std::hash::BuildHasher>(
    workspace: &Workspace,
    examples: &HashMap<SectionKey, Vec<Example>, S>,
    url: &str,
) -> Option<SectionKey> {
    let repo = repo_of(url).is_some();
    workspace
        .config
        .catalogue
        .sections
        .iter()
        .filter(|d| d.counted)
        .map(|d| {
            let n = examples.get(&d.key).map_or(0, |list| {
                list.iter()
                    .filter(|e| repo_of(&e.url).is_some() == repo)
                    .count()
            });
            (n, d.key.clone())
        })
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n)
        .map(|(_, key)| key)
}
