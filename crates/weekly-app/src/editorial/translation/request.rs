//! Requesting the units of one target language: one job per unit to translate, the engine's
//! outcomes sorted back into their editions, and the stop when the model refuses every request.

use super::Trouble;
use super::plan::EditionRun;
use crate::translator::{Engine, Job, Outcome, Totals};
use anyhow::{Result, bail};
use indicatif::ProgressBar;
use std::collections::BTreeMap;
use weekly_llm::ChatModel;

/// What came back for one edition.
#[derive(Debug, Default)]
pub(super) struct Answers {
    /// Checked translations, by unit id.
    pub texts: BTreeMap<String, String>,
    /// The units in trouble, in the order of the jobs.
    pub troubles: Vec<Trouble>,
}

/// A job per unit to translate, edition by edition.
pub(super) fn jobs(runs: &[EditionRun]) -> Vec<Job> {
    runs.iter()
        .enumerate()
        .flat_map(|(e, run)| {
            run.to_translate().map(move |u| Job {
                edition: e,
                unit: u.clone(),
            })
        })
        .collect()
}

/// Runs `jobs` and sorts the outcomes into `editions` answers; the engine's totals are added
/// to `totals`. Refuses (nothing written) when the model refused a request for good.
pub(super) async fn run<M: ChatModel>(
    engine: &Engine<'_, M>,
    jobs: &[Job],
    editions: usize,
    totals: &mut Totals,
) -> Result<Vec<Answers>> {
    let progress = ProgressBar::new(0);
    let (outcomes, t) = engine.run(jobs, &progress).await?;
    *totals += t;
    let mut answers: Vec<Answers> = (0..editions).map(|_| Answers::default()).collect();
    let mut fatal = None;
    for (job, outcome) in jobs.iter().zip(outcomes) {
        let why = match outcome {
            Outcome::Done { text } => {
                answers[job.edition].texts.insert(job.unit.id.clone(), text);
                continue;
            }
            Outcome::Rejected(problems) => problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
            Outcome::Failed { message, fatal: f } => {
                if f {
                    fatal.get_or_insert_with(|| message.clone());
                }
                message
            }
            Outcome::Skipped => "not attempted".into(),
        };
        answers[job.edition].troubles.push(Trouble {
            line: job.unit.line,
            label: job.unit.label.clone(),
            why,
        });
    }
    if let Some(message) = fatal {
        bail!(
            "the model refused the requests: {message}\nhint: check translate.base_url and \
             translate.model in weekly.toml (or WEEKLY_LLM_BASE_URL, WEEKLY_LLM_MODEL) and \
             WEEKLY_LLM_API_KEY; nothing was written"
        );
    }
    Ok(answers)
}
