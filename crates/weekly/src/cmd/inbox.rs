//! `weekly inbox`: ranked candidates, and the editor's decisions on them (accept into the
//! draft, reject, snooze, draft with the model). The rules are `weekly_app::inbox`; this module
//! holds the arguments and the printing.

use crate::collector::open_store;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use chrono::Utc;
use std::path::Path;
use std::process::ExitCode;
use weekly_app::inbox::{self, Acceptance};
use weekly_store::Store;

mod print;

use print::{print_draft, print_list};

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
    /// Add a candidate to the draft (`issues/NNNN/draft.md` of the first issue that has not
    /// gone out — no campaign or publish step recorded for it — and has one) as the next entry
    /// of a section: its title and link, a language note, its summary and the star count for
    /// GitHub repositories. `inbox unaccept ID` takes it back.
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
    /// Take an accepted candidate back: its entry out of the draft (the later entries of its
    /// section renumbered, the description's counts updated) and the candidate into the inbox.
    Unaccept {
        /// The candidate's number.
        id: i64,
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
        let result = act(args, &workspace, &store).await;
        store.close().await;
        result
    })
}

async fn act(args: &Args, workspace: &Workspace, store: &Store) -> Result<ExitCode> {
    match &args.action {
        None => {
            let now = Utc::now();
            let listing = inbox::list(workspace, store, now, args.limit).await?;
            print_list(args, &listing, now)?;
        }
        Some(Action::Accept {
            id,
            section,
            issue,
            force,
        }) => {
            let request = Acceptance {
                id: *id,
                section,
                issue: *issue,
                force: *force,
            };
            let accepted = inbox::accept(workspace, store, &request).await?;
            printer::out(&format!(
                "added to {} as {} {}: {}",
                accepted.file, accepted.section, accepted.entry, accepted.title
            ));
            if accepted.drafted {
                printer::out(
                    "the entry is the model's draft: read and edit it, then delete its `weekly:ai-draft` line (`weekly check` reminds you; `weekly publish` refuses the issue until then)",
                );
            }
        }
        Some(Action::Unaccept { id }) => {
            let back = inbox::unaccept(workspace, store, *id).await?;
            match back.file {
                Some(file) => printer::out(&format!(
                    "took #{id} out of {file} and back into the inbox: {}",
                    back.title
                )),
                None => printer::out(&format!(
                    "#{id} is back in the inbox; no draft had its entry any more: {}",
                    back.title
                )),
            }
        }
        Some(Action::Reject { ids }) => {
            inbox::reject(store, ids).await?;
            printer::out(&format!("{} candidates rejected", ids.len()));
        }
        Some(Action::Snooze { ids, days }) => {
            let until = inbox::snooze(store, ids, *days).await?;
            printer::out(&format!("{} candidates snoozed until {until}", ids.len()));
        }
        Some(Action::Draft {
            ids,
            section,
            again,
        }) => {
            let refused = inbox::draft(
                workspace,
                store,
                ids,
                section.as_deref(),
                *again,
                &mut print_draft,
            )
            .await?;
            return Ok(ExitCode::from(u8::from(refused > 0)));
        }
    }
    Ok(ExitCode::SUCCESS)
}
