//! The translation run: every unit that needs the model is looked up in the translation memory,
//! then sent (bounded concurrency, one unit per request), checked against the structure rules,
//! re-asked with the problems stated when it breaks one, and remembered as soon as it passes.
//! A unit is claimed in the database before it is asked for: a second run that needs the same
//! unit at the same time waits for the first one's answer instead of paying for it again.

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};
use weekly_llm::ChatModel;
use weekly_store::{Memory, Store};
use weekly_translate::{Problem, PromptContext, Rules, Unit, check, memory_key, system_message};

/// One unit to translate.
#[derive(Debug, Clone)]
pub struct Job {
    /// Which edition of the run it belongs to.
    pub edition: usize,
    /// The unit.
    pub unit: Unit,
}

/// What became of a job.
#[derive(Debug)]
pub enum Outcome {
    /// A checked translation.
    Done {
        /// The text.
        text: String,
    },
    /// The model's answers kept breaking rules.
    Rejected(Vec<Problem>),
    /// The model could not be reached or refused, or the memory failed.
    Failed {
        /// What happened.
        message: String,
        /// No other request can succeed (wrong key, model or URL): the run stops.
        fatal: bool,
    },
    /// Not attempted: the run stopped on a fatal error.
    Skipped,
}

/// Totals of a run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    /// Answers taken from the memory.
    pub memory_hits: u64,
    /// Completions received.
    pub completions: u64,
    /// Answers re-asked because they broke a rule.
    pub repairs: u64,
    /// Tokens sent.
    pub prompt_tokens: u64,
    /// Tokens received.
    pub completion_tokens: u64,
}

impl std::ops::AddAssign for Totals {
    fn add_assign(&mut self, t: Totals) {
        self.memory_hits += t.memory_hits;
        self.completions += t.completions;
        self.repairs += t.repairs;
        self.prompt_tokens += t.prompt_tokens;
        self.completion_tokens += t.completion_tokens;
    }
}

/// Everything a run needs.
#[derive(Debug)]
pub struct Engine<'a, M> {
    /// The model.
    pub model: &'a M,
    /// The memory.
    pub store: &'a Store,
    /// Prompt inputs (template, names, glossary).
    pub prompt: PromptContext<'a>,
    /// Version of the template, stored with each translation.
    pub prompt_version: &'a str,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Extra attempts after an answer breaks a rule.
    pub repair_attempts: u32,
    /// Who claims units in the database (one value per run).
    pub owner: &'a str,
}

/// How long a claim holds without being renewed: a run that stopped without releasing its
/// claims holds back other runs at most this long. Renewed before every request.
const CLAIM_SECONDS: i64 = 180;
/// How often a run waiting for another run's unit looks again.
const CLAIM_POLL: std::time::Duration = std::time::Duration::from_millis(200);

/// Seconds since 1970, for claims.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// An owner name for this run's claims: process and start time.
pub fn run_owner() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}-{}-{nanos}", std::process::id(), unix_now())
}

fn failed(message: &str, fatal: bool) -> Outcome {
    Outcome::Failed {
        message: message.to_owned(),
        fatal,
    }
}

/// Strips a code fence the model put around the whole answer (the source had none).
fn unwrap_answer(answer: &str, source: &str) -> String {
    let trimmed = answer.trim();
    if !source.trim_start().starts_with("```")
        && let Some(inner) = trimmed.strip_prefix("```")
        && let Some(inner) = inner.strip_suffix("```")
    {
        let inner = inner.split_once('\n').map_or("", |(_, rest)| rest);
        return inner.trim().to_owned();
    }
    trimmed.to_owned()
}

impl<M: ChatModel> Engine<'_, M> {
    fn rules(&self) -> Rules<'_> {
        Rules {
            source: self.prompt.source,
            target: self.prompt.target,
            glossary: self.prompt.glossary,
        }
    }

    /// Runs every job; outcomes come back in the order of `jobs`.
    pub async fn run(
        &self,
        jobs: &[Job],
        progress: &ProgressBar,
    ) -> anyhow::Result<(Vec<Outcome>, Totals)> {
        progress.set_length(jobs.len() as u64);
        progress.set_style(
            ProgressStyle::with_template(
                "{spinner} translating {pos}/{len} units {wide_bar} {elapsed}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let stop = AtomicBool::new(false);
        let results: Vec<(usize, Outcome, Totals)> = futures::stream::iter(jobs.iter().enumerate())
            .map(|(i, job)| {
                let stop = &stop;
                async move {
                    let (outcome, totals) = if stop.load(Ordering::Relaxed) {
                        (Outcome::Skipped, Totals::default())
                    } else {
                        self.one(&job.unit).await
                    };
                    if let Outcome::Failed { fatal: true, .. } = &outcome {
                        stop.store(true, Ordering::Relaxed);
                    }
                    progress.inc(1);
                    (i, outcome, totals)
                }
            })
            .buffer_unordered(self.concurrency.max(1))
            .collect()
            .await;
        progress.finish_and_clear();
        let mut outcomes: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
        let mut totals = Totals::default();
        for (i, outcome, t) in results {
            totals += t;
            outcomes[i] = Some(outcome);
        }
        Ok((
            outcomes
                .into_iter()
                .map(|o| o.unwrap_or(Outcome::Skipped))
                .collect(),
            totals,
        ))
    }

    /// A checked translation of `unit` in the memory under `key`.
    async fn remembered(&self, unit: &Unit, key: &str) -> Result<Option<String>, Outcome> {
        match self.store.memory(key).await {
            Ok(Some(memory))
                if check(unit.kind, &unit.text, &memory.translation, &self.rules()).is_empty() =>
            {
                Ok(Some(memory.translation))
            }
            Ok(_) => Ok(None),
            Err(e) => Err(failed(&e.to_string(), false)),
        }
    }

    /// Memory, then (once this run holds the unit's claim, or another run's answer is in the
    /// memory) the model with up to `repair_attempts` corrections.
    async fn one(&self, unit: &Unit) -> (Outcome, Totals) {
        let mut totals = Totals::default();
        let base = system_message(&self.prompt, unit.kind, &unit.text, &[]);
        let key = memory_key(&unit.text, self.prompt.target, self.model.model(), &base);
        // The memory is read again once the claim is held: the claim may have been won just
        // after another run stored its answer and let go.
        let mut held = false;
        loop {
            let found = self.remembered(unit, &key).await;
            if held && !matches!(found, Ok(None)) {
                self.store.release(&key, self.owner).await.ok();
            }
            match found {
                Ok(Some(text)) => {
                    totals.memory_hits = 1;
                    return (Outcome::Done { text }, totals);
                }
                Ok(None) if held => break,
                Ok(None) => {}
                Err(outcome) => return (outcome, totals),
            }
            match self
                .store
                .claim(&key, self.owner, unix_now(), CLAIM_SECONDS)
                .await
            {
                Ok(true) => held = true,
                // Another run is asking for this very unit: wait for its answer.
                Ok(false) => tokio::time::sleep(CLAIM_POLL).await,
                Err(e) => return (failed(&e.to_string(), false), totals),
            }
        }
        let outcome = self.ask(unit, &key, base, &mut totals).await;
        self.store.release(&key, self.owner).await.ok();
        (outcome, totals)
    }

    /// The requests for a claimed unit.
    async fn ask(&self, unit: &Unit, key: &str, base: String, totals: &mut Totals) -> Outcome {
        let rules = self.rules();
        let mut problems: Vec<Problem> = Vec::new();
        for attempt in 0..=self.repair_attempts {
            if attempt > 0 {
                self.store
                    .claim(key, self.owner, unix_now(), CLAIM_SECONDS)
                    .await
                    .ok();
            }
            let system = if attempt == 0 {
                base.clone()
            } else {
                totals.repairs += 1;
                system_message(&self.prompt, unit.kind, &unit.text, &problems)
            };
            let answer = match self.model.complete(&system, &unit.text).await {
                Ok(answer) => answer,
                Err(e) => return failed(&e.to_string(), e.fatal()),
            };
            totals.completions += 1;
            totals.prompt_tokens += answer.prompt_tokens;
            totals.completion_tokens += answer.completion_tokens;
            let text = unwrap_answer(&answer.text, &unit.text);
            problems = check(unit.kind, &unit.text, &text, &rules);
            if problems.is_empty() {
                let memory = Memory {
                    key: key.to_owned(),
                    source_lang: self.prompt.source.to_string(),
                    target_lang: self.prompt.target.to_string(),
                    model: self.model.model().to_owned(),
                    prompt_version: self.prompt_version.to_owned(),
                    source: unit.text.clone(),
                    translation: text.clone(),
                    prompt_tokens: i64::try_from(answer.prompt_tokens).unwrap_or(i64::MAX),
                    completion_tokens: i64::try_from(answer.completion_tokens).unwrap_or(i64::MAX),
                };
                if let Err(e) = self.store.remember(&memory).await {
                    return failed(&e.to_string(), false);
                }
                return Outcome::Done { text };
            }
        }
        Outcome::Rejected(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_around_the_whole_answer_is_removed() {
        assert_eq!(unwrap_answer("```markdown\nHello\n```", "你好"), "Hello");
        assert_eq!(unwrap_answer("  Hello \n", "你好"), "Hello");
        assert_eq!(
            unwrap_answer("```\ncode\n```", "```\n代码\n```"),
            "```\ncode\n```"
        );
    }
}
