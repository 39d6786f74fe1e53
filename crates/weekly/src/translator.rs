//! The translation run: every unit that needs the model is looked up in the translation memory,
//! then sent (bounded concurrency, one unit per request), checked against the structure rules,
//! re-asked with the problems stated when it breaks one, and remembered as soon as it passes.

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
            totals.memory_hits += t.memory_hits;
            totals.completions += t.completions;
            totals.repairs += t.repairs;
            totals.prompt_tokens += t.prompt_tokens;
            totals.completion_tokens += t.completion_tokens;
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

    /// Memory, then the model with up to `repair_attempts` corrections.
    async fn one(&self, unit: &Unit) -> (Outcome, Totals) {
        let mut totals = Totals::default();
        let rules = self.rules();
        let base = system_message(&self.prompt, unit.kind, &unit.text, &[]);
        let key = memory_key(&unit.text, self.prompt.target, self.model.model(), &base);
        match self.store.memory(&key).await {
            Ok(Some(memory))
                if check(unit.kind, &unit.text, &memory.translation, &rules).is_empty() =>
            {
                totals.memory_hits = 1;
                return (
                    Outcome::Done {
                        text: memory.translation,
                    },
                    totals,
                );
            }
            Ok(_) => {}
            Err(e) => return (failed(&e.to_string(), false), totals),
        }
        let mut problems: Vec<Problem> = Vec::new();
        for attempt in 0..=self.repair_attempts {
            let system = if attempt == 0 {
                base.clone()
            } else {
                totals.repairs += 1;
                system_message(&self.prompt, unit.kind, &unit.text, &problems)
            };
            let answer = match self.model.complete(&system, &unit.text).await {
                Ok(answer) => answer,
                Err(e) => return (failed(&e.to_string(), e.fatal()), totals),
            };
            totals.completions += 1;
            totals.prompt_tokens += answer.prompt_tokens;
            totals.completion_tokens += answer.completion_tokens;
            let text = unwrap_answer(&answer.text, &unit.text);
            problems = check(unit.kind, &unit.text, &text, &rules);
            if problems.is_empty() {
                let memory = Memory {
                    key: key.clone(),
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
                    return (failed(&e.to_string(), false), totals);
                }
                return (Outcome::Done { text }, totals);
            }
        }
        (Outcome::Rejected(problems), totals)
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
