//! The Telegram announcement of an issue as a library call: the messages `weekly announce`
//! posts (a photo or text with the caption, then the title lists), and the ledger key that
//! makes each of them go out once; an issue whose files have errors that change what readers
//! see is not announced.

use crate::archive::Archive;
use crate::archive::Blocked;
use crate::editions;
use crate::workspace::Workspace;
use anyhow::{Result, anyhow};
use weekly_model::Lang;
use weekly_telegram::Message;

/// What to post.
#[derive(Debug)]
pub struct Announcement {
    /// Its language.
    pub lang: Lang,
    /// The ledger key of its messages (the channel's name is put before it).
    pub key: String,
    /// The messages, in order.
    pub messages: Vec<Message>,
}

/// The announcement of issue `number` in `lang` (default: the primary language).
pub fn announcement(
    workspace: &Workspace,
    number: u32,
    lang: Option<&str>,
) -> Result<Announcement> {
    let lang = editions::resolve_lang(workspace, lang)?;
    let archive = Archive::load_only(workspace, |n| n == number)?;
    let issue = archive
        .issue(number)
        .ok_or_else(|| anyhow!("there is no issue #{number} in the workspace"))?;
    // What `weekly build` would stop on in this issue's folder stops the announcement too.
    let folder = workspace
        .issues
        .iter()
        .find(|d| d.number == number)
        .map(|d| format!("{}/", workspace.display_path(&d.dir)))
        .unwrap_or_default();
    let blocking: Vec<_> = archive
        .blocking(workspace)
        .into_iter()
        .filter(|d| !folder.is_empty() && d.file.starts_with(&folder))
        .collect();
    if !blocking.is_empty() {
        return Err(Blocked::new(
            format!("issue #{number} has errors that change what readers see; nothing was posted"),
            blocking,
        )
        .into());
    }
    let announcement = editions::telegram(workspace, issue, &lang)?;
    let mut messages = Vec::new();
    match crate::telegram::photo(workspace)? {
        Some(photo) => messages.push(Message::Photo {
            photo,
            caption: announcement.caption,
        }),
        None => messages.push(Message::Text {
            html: announcement.caption,
            preview: false,
        }),
    }
    messages.extend(announcement.messages.into_iter().map(|html| Message::Text {
        html,
        preview: false,
    }));
    Ok(Announcement {
        key: format!("announce:{number}:{lang}"),
        lang,
        messages,
    })
}
