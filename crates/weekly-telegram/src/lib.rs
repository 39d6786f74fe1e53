//! Posting to a Telegram channel. [`Channel`] is the side effect, with a real implementation
//! ([`BotApi`]) and a test one ([`Recorder`]); the dry run is the binary's (`channel::post`),
//! because it also shows what the ledger says of each message. [`deliver`] posts a list of messages under keys kept in the workspace
//! database, so a re-run posts only what was never posted, and a message that may have gone
//! out before a crash is never resent without the editor's word.

mod bot_api;

pub use bot_api::{BotApi, DEFAULT_API_URL, Update};

use std::path::PathBuf;
use std::sync::Mutex;
use weekly_store::{DeliveryState, Store};

/// A photo to post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Photo {
    /// A public URL that Telegram fetches.
    Url(String),
    /// A local file uploaded with the request.
    File(PathBuf),
}

/// One message, in HTML parse mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A text message (at most 4,096 characters).
    Text {
        /// The HTML text.
        html: String,
        /// Whether Telegram may show a link preview.
        preview: bool,
    },
    /// A photo with a caption (at most 1,024 characters).
    Photo {
        /// The photo.
        photo: Photo,
        /// The HTML caption.
        caption: String,
    },
}

/// Why a message was not posted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Telegram answered that it did not post it (bad request, wrong chat, bad token…).
    #[error("Telegram refused the message: {0}")]
    Refused(String),
    /// The answer never came: it may have been posted.
    #[error("no answer from Telegram, the message may have been posted: {0}")]
    Unsure(String),
    /// The request could not be made (nothing was sent).
    #[error("{0}")]
    NotSent(String),
}

/// Where messages go.
pub trait Channel {
    /// A short name for reports (`chat @name`, `dry run`).
    fn describe(&self) -> String;
    /// Posts `message`; the channel's message id on success.
    fn send(
        &self,
        message: &Message,
    ) -> impl std::future::Future<Output = Result<Option<i64>, SendError>> + Send;
}

/// Keeps messages in memory; fails on the message numbers it is told to.
#[derive(Debug, Default)]
pub struct Recorder {
    /// Messages posted.
    pub sent: Mutex<Vec<Message>>,
    /// Fail the n-th call (0-based) with this error.
    pub fail_at: Mutex<Vec<(usize, SendError)>>,
    calls: Mutex<usize>,
}

impl Channel for Recorder {
    fn describe(&self) -> String {
        "recorder".into()
    }

    async fn send(&self, message: &Message) -> Result<Option<i64>, SendError> {
        let call = {
            let mut calls = self.calls.lock().unwrap();
            *calls += 1;
            *calls - 1
        };
        if let Some((_, e)) = self
            .fail_at
            .lock()
            .unwrap()
            .iter()
            .find(|(n, _)| *n == call)
        {
            return Err(e.clone());
        }
        let mut sent = self.sent.lock().unwrap();
        sent.push(message.clone());
        Ok(i64::try_from(sent.len()).ok())
    }
}

/// What [`deliver`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivered {
    /// Messages posted now.
    pub posted: usize,
    /// Messages posted by an earlier run.
    pub already: usize,
}

/// Why [`deliver`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum DeliverError {
    /// Posting failed; the messages before it are recorded.
    #[error("message {part} of {key} was not posted")]
    Send {
        /// The delivery key.
        key: String,
        /// 1-based message number.
        part: usize,
        /// The cause.
        source: SendError,
    },
    /// An earlier run stopped while posting this message.
    #[error(
        "message {part} of {key} may have been posted already (a run stopped while posting it); look at the channel, then run again with --resend-unsure to post it anyway"
    )]
    Unsure {
        /// The delivery key.
        key: String,
        /// 1-based message number.
        part: usize,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] weekly_store::StoreError),
}

/// Posts `messages` under `key` (one ledger entry per message, `key#1`, `key#2`…), skipping the
/// ones posted before. `now` is the time written in the ledger.
pub async fn deliver<C: Channel>(
    channel: &C,
    store: &Store,
    key: &str,
    messages: &[Message],
    resend_unsure: bool,
    now: &str,
) -> Result<Delivered, DeliverError> {
    let mut done = Delivered::default();
    for (i, message) in messages.iter().enumerate() {
        let part_key = format!("{key}#{}", i + 1);
        match store.delivery(&part_key).await? {
            Some(DeliveryState::Sent(_)) => {
                done.already += 1;
                continue;
            }
            Some(DeliveryState::Unsure) if !resend_unsure => {
                return Err(DeliverError::Unsure {
                    key: key.to_owned(),
                    part: i + 1,
                });
            }
            _ => {}
        }
        store.delivery_sending(&part_key, now).await?;
        match channel.send(message).await {
            Ok(id) => {
                store.delivery_sent(&part_key, id, now).await?;
                done.posted += 1;
            }
            Err(e) => {
                if !matches!(e, SendError::Unsure(_)) {
                    store.delivery_failed(&part_key).await?;
                }
                return Err(DeliverError::Send {
                    key: key.to_owned(),
                    part: i + 1,
                    source: e,
                });
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_posts_cause_is_its_source_said_once() {
        let error = DeliverError::Send {
            key: "issue-7".into(),
            part: 2,
            source: SendError::Refused("chat not found".into()),
        };
        let chain: Vec<String> =
            std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source())
                .map(ToString::to_string)
                .collect();
        assert_eq!(
            chain,
            [
                "message 2 of issue-7 was not posted",
                "Telegram refused the message: chat not found"
            ]
        );
    }

    fn text(s: &str) -> Message {
        Message::Text {
            html: s.into(),
            preview: false,
        }
    }

    #[tokio::test]
    async fn a_rerun_posts_only_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("w.db")).await.unwrap();
        let messages = [text("a"), text("b"), text("c")];
        let channel = Recorder::default();
        channel
            .fail_at
            .lock()
            .unwrap()
            .push((1, SendError::Refused("Bad Request".into())));
        let e = deliver(&channel, &store, "k", &messages, false, "t")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("message 2 of k"), "{e}");
        assert_eq!(channel.sent.lock().unwrap().len(), 1);

        let done = deliver(&channel, &store, "k", &messages, false, "t")
            .await
            .unwrap();
        assert_eq!(
            done,
            Delivered {
                posted: 2,
                already: 1
            }
        );
        let again = deliver(&channel, &store, "k", &messages, false, "t")
            .await
            .unwrap();
        assert_eq!(
            again,
            Delivered {
                posted: 0,
                already: 3
            }
        );
        let sent: Vec<Message> = channel.sent.lock().unwrap().clone();
        assert_eq!(sent, messages);
    }

    #[tokio::test]
    async fn an_unsure_message_is_not_resent_without_consent() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("w.db")).await.unwrap();
        let channel = Recorder::default();
        channel
            .fail_at
            .lock()
            .unwrap()
            .push((0, SendError::Unsure("timed out".into())));
        let messages = [text("a")];
        assert!(
            deliver(&channel, &store, "k", &messages, false, "t")
                .await
                .is_err()
        );
        let e = deliver(&channel, &store, "k", &messages, false, "t")
            .await
            .unwrap_err();
        assert!(matches!(e, DeliverError::Unsure { part: 1, .. }), "{e}");
        assert!(channel.sent.lock().unwrap().is_empty());
        let done = deliver(&channel, &store, "k", &messages, true, "t")
            .await
            .unwrap();
        assert_eq!(done.posted, 1);
    }
}
