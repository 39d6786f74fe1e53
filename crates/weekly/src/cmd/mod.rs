//! One module per subcommand: its arguments and its `run` function.

pub mod announce;
pub mod bounces;
pub mod build;
pub mod channels;
pub mod check;
pub mod collect;
pub mod db;
pub mod dedup;
pub mod digest;
pub mod doctor;
pub mod ebook;
pub mod image;
pub mod import;
pub mod inbox;
pub mod info;
pub mod init;
pub mod mail;
pub mod new;
pub mod publish;
pub mod readme;
pub mod render;
pub mod report;
pub mod season;
pub mod send;
pub mod serve;
pub mod server;
pub mod sources;
pub mod split;
pub mod stats;
pub mod subscribers;
pub mod translate;

/// Loads the workspace at `root`, opens its database, runs `f` on both and closes the
/// database whatever `f` answered.
pub fn with_store(
    root: &std::path::Path,
    f: impl AsyncFnOnce(
        &crate::workspace::Workspace,
        &weekly_store::Store,
    ) -> anyhow::Result<std::process::ExitCode>,
) -> anyhow::Result<std::process::ExitCode> {
    let workspace = crate::workspace::Workspace::load(root)?;
    crate::runtime()?.block_on(async {
        let store = crate::collector::open_store(&workspace).await?;
        let code = f(&workspace, &store).await;
        store.close().await;
        code
    })
}
