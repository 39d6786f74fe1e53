//! `weekly sources`: list, import from OPML, export to OPML.

use crate::collector::load_sources;
use crate::workspace::Workspace;
use crate::{files, printer};
use anyhow::Result;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_collect::{opml, sources};

/// `weekly sources …`
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the sources of `sources.toml` with their last fetch.
    List,
    /// Add the feeds of an OPML file (any feed reader exports one) to `sources.toml`. Feeds
    /// already listed are left alone; folders become tags. Edit weights, languages and
    /// `kind = "newsletter"` afterwards.
    Import {
        /// The OPML file.
        file: PathBuf,
    },
    /// Write the sources as OPML 2.0, grouped by their first tag.
    Export {
        /// Write here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

pub fn run(command: &Command, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let (path, text, list) = load_sources(&workspace)?;
    match command {
        Command::List => list_sources(&workspace, &list),
        Command::Import { file } => {
            let opml_text = files::read_text(file)?;
            let found =
                opml::parse(&opml_text).map_err(|e| anyhow::anyhow!("{}:{e}", file.display()))?;
            let (new_text, added) = sources::append(&text, &list, &found);
            if added > 0 {
                files::write_atomic(&path, &new_text)?;
            }
            printer::out(&format!(
                "{added} sources added to {} ({} were listed already, {} in all)",
                workspace.display_path(&path),
                found.len() - added,
                list.len() + added
            ));
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { output } => {
            let title = workspace.config.primary_name();
            let xml = opml::write(&format!("{title} sources"), &list);
            match output {
                Some(out) => files::write_atomic(out, &xml)?,
                None => printer::raw(&xml),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn list_sources(workspace: &Workspace, list: &[sources::Source]) -> Result<ExitCode> {
    if list.is_empty() {
        printer::out(
            "no sources yet: add [[source]] tables to sources.toml, or `weekly sources import FILE.opml`",
        );
        return Ok(ExitCode::SUCCESS);
    }
    let runtime = crate::runtime()?;
    let states = runtime.block_on(async {
        let store = crate::collector::open_store(workspace).await?;
        let states = store.feed_states().await?;
        store.close().await;
        anyhow::Ok(states)
    })?;
    for s in list {
        let state = states.get(&s.url);
        let last = state.map_or_else(
            || "never fetched".to_owned(),
            |st| {
                let mut t = format!(
                    "{} at {}",
                    st.last_status,
                    st.last_fetched.as_deref().unwrap_or("?")
                );
                if st.failures > 0 {
                    let _ = write!(t, ", {} failures: {}", st.failures, st.last_error);
                }
                t
            },
        );
        printer::out(&format!(
            "{:<10} {:>4}  {}  <{}>  {}",
            s.kind.as_str(),
            s.weight,
            s.name,
            s.url,
            last
        ));
    }
    Ok(ExitCode::SUCCESS)
}
