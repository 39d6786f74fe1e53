//! The one way mail leaves: the `Transport` side effect — SMTP (`smtp_pool::SmtpPool`), a
//! folder of `.eml` files for dry runs ([`FolderTransport`]) and a recorder for tests
//! ([`RecordingTransport`]) — and the one [`Retry`] policy after a temporary refusal.
//! Confirmations and other mail of the outbox (`mail::Outgoing`) and campaigns (`sender`)
//! both go through it.

use crate::config::SmtpConfig;
use lettre::Message;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Mutex;

/// Why a message did not go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Try again later: a 4xx answer, a dropped connection, a server that is not there.
    Temporary(String),
    /// Never: a 5xx answer (no such mailbox, refused), or a file that cannot be written.
    Permanent(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Temporary(why) | Refusal::Permanent(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Refusal {}

/// Where messages go.
pub trait Transport: Send + Sync + 'static {
    /// Delivers `message` to `to`; `name` names it (a campaign's `ISSUE.LANG.TIER/SUBSCRIBER`,
    /// an outbox mail's `NUMBER.KIND`): the file of a dry run.
    fn deliver(
        &self,
        to: &str,
        name: &str,
        message: Message,
    ) -> impl Future<Output = Result<(), Refusal>> + Send;
}

/// Messages written as `.eml` files under a folder (a dry run): `NAME.eml`, each written
/// whole (a temporary file renamed), so a file is there only complete.
#[derive(Debug, Clone)]
pub struct FolderTransport {
    /// The folder.
    pub dir: PathBuf,
}

impl Transport for FolderTransport {
    async fn deliver(&self, _to: &str, name: &str, message: Message) -> Result<(), Refusal> {
        // A name is ours (numbers, a language, a tier, a kind), never a reader's; still, no
        // part of it may climb out of the folder.
        if name
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(Refusal::Permanent(format!("`{name}` is not a file name")));
        }
        let path = self.dir.join(format!("{name}.eml"));
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let partial = path.with_extension("eml.partial");
            std::fs::write(&partial, message.formatted())?;
            std::fs::rename(&partial, &path)
        };
        write().map_err(|e| Refusal::Permanent(format!("cannot write `{}`: {e}", path.display())))
    }
}

/// One message a [`RecordingTransport`] took.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The envelope's recipient.
    pub to: String,
    /// The message's name.
    pub name: String,
    /// The message as it would go on the wire.
    pub raw: Vec<u8>,
}

/// A transport for tests: it keeps every message it takes, and answers with the refusals it
/// was given first, one per message, before it takes any.
#[derive(Debug, Default)]
pub struct RecordingTransport {
    taken: Mutex<Vec<Recorded>>,
    refusals: Mutex<VecDeque<Refusal>>,
}

impl RecordingTransport {
    /// The next message is refused with `refusal` (in the order given).
    pub fn refuse_next(&self, refusal: Refusal) {
        if let Ok(mut refusals) = self.refusals.lock() {
            refusals.push_back(refusal);
        }
    }

    /// The messages taken so far, in order.
    pub fn taken(&self) -> Vec<Recorded> {
        self.taken.lock().map(|t| t.clone()).unwrap_or_default()
    }
}

impl Transport for RecordingTransport {
    async fn deliver(&self, to: &str, name: &str, message: Message) -> Result<(), Refusal> {
        if let Some(refusal) = self.refusals.lock().ok().and_then(|mut r| r.pop_front()) {
            return Err(refusal);
        }
        if let Ok(mut taken) = self.taken.lock() {
            taken.push(Recorded {
                to: to.to_owned(),
                name: name.to_owned(),
                raw: message.formatted(),
            });
        }
        Ok(())
    }
}

/// When a message refused for now is tried again: `[smtp] retry_seconds` after the first
/// refusal, doubled after each further one, never more than an hour. The outbox and
/// campaigns wait the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// The first wait, in seconds.
    pub first_seconds: i64,
    /// The longest wait, in seconds.
    pub cap_seconds: i64,
}

impl Retry {
    /// The longest wait between two attempts.
    pub const CAP_SECONDS: i64 = 3600;

    /// The policy of `[smtp]`.
    pub fn of(config: &SmtpConfig) -> Retry {
        Retry {
            first_seconds: config.retry_seconds.max(1),
            cap_seconds: Self::CAP_SECONDS,
        }
    }

    /// Seconds to wait after `refusals` refusals of one message (1 for the first).
    pub fn wait(&self, refusals: i64) -> i64 {
        self.first_seconds
            .saturating_mul(1_i64 << (refusals - 1).clamp(0, 20))
            .min(self.cap_seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message::builder()
            .from("Weekly <weekly@example.org>".parse().unwrap())
            .to("reader@example.org".parse().unwrap())
            .subject("Issue 1")
            .body("Hello".to_owned())
            .unwrap()
    }

    #[test]
    fn waits_double_from_the_first_up_to_an_hour() {
        let retry = Retry {
            first_seconds: 60,
            cap_seconds: Retry::CAP_SECONDS,
        };
        let waits: Vec<i64> = (1..=8).map(|n| retry.wait(n)).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry.wait(10_000), 3600);
        assert_eq!(retry.wait(0), 60);
    }

    #[tokio::test]
    async fn a_folder_gets_whole_files_under_their_names_and_nothing_outside() {
        let dir = tempfile::tempdir().unwrap();
        let folder = FolderTransport {
            dir: dir.path().join("out"),
        };
        folder
            .deliver("reader@example.org", "7.zh.free/000000001", message())
            .await
            .unwrap();
        let written = std::fs::read_to_string(dir.path().join("out/7.zh.free/000000001.eml"))
            .expect("the file");
        assert!(written.contains("Subject: Issue 1"), "{written}");
        let partials = walkdir::WalkDir::new(dir.path().join("out"))
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.path().to_string_lossy().ends_with(".partial"))
            .count();
        assert_eq!(partials, 0);
        for bad in ["../escape", "a/../../escape", "/abs", "a//b"] {
            let refused = folder.deliver("r@example.org", bad, message()).await;
            assert!(matches!(refused, Err(Refusal::Permanent(_))), "{bad}");
        }
        assert!(!dir.path().join("escape.eml").exists());
    }

    #[tokio::test]
    async fn the_recorder_refuses_as_told_then_keeps_what_it_takes() {
        let recorder = RecordingTransport::default();
        recorder.refuse_next(Refusal::Temporary("421 busy".into()));
        let first = recorder.deliver("a@example.org", "one", message()).await;
        assert_eq!(first, Err(Refusal::Temporary("421 busy".into())));
        recorder
            .deliver("a@example.org", "one", message())
            .await
            .unwrap();
        let taken = recorder.taken();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].to, "a@example.org");
        assert!(String::from_utf8_lossy(&taken[0].raw).contains("Subject: Issue 1"));
    }
}
