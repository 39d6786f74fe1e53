//! The `weekly` command: wires configuration, the pure core and the edge crates together.

/// The allocator: the site build allocates many small strings on every core, and glibc's
/// malloc spent a third of its time there (perf); mimalloc halves that. It is built without
/// transparent huge pages (`no_thp`): with them, zeroing fresh 2 MiB pages took 8% of an
/// incremental build's time on the corpus and 50 MB more memory at 20,000 issues.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod channel;
mod cmd;
mod printer;
mod progress;

// The application layer (crates/weekly-app), under the names the commands use.
use weekly_app::{archive, collector, config, ebook, editions, featured, files, season, workspace};

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Run a curated tech newsletter from draft to reader.
///
/// A workspace is a directory with `weekly.toml`, one directory per issue under `issues/`
/// (`issue.toml` with number and date, `zh.md`, `en.md`, `zh.teaser.md`…) and `templates/`.
/// Start with `weekly init DIR [--format NAME]`, or `weekly import SRC --into DIR --format NAME`
/// to bring an existing archive in, then run `weekly check`.
///
/// Each issue: `weekly split issues/NNNN/draft.md` (bilingual draft → `zh.md` + `en.md`),
/// `weekly check`, `weekly render N --edition teaser|telegram|links`, `weekly readme README.md`,
/// `weekly stats --format landing -o stats.json`, `weekly announce N`.
///
/// Finding entries: `weekly collect` reads the feeds of `sources.toml`, `weekly inbox` ranks
/// what arrived, `weekly inbox accept ID --section KEY` adds one to the draft; `weekly dedup
/// URL` tells whether a link was featured before; `weekly digest` posts the Sunday digest of the
/// other newsletters.
///
/// Publishing: `weekly build` writes the website (`--full` for subscribers), `weekly serve`
/// previews it.
#[derive(Debug, Parser)]
#[command(name = "weekly", version, about, long_about, max_term_width = 100)]
struct Cli {
    /// The workspace directory (the one holding `weekly.toml`) [default: $WEEKLY_WORKSPACE, else
    /// the current directory]
    #[arg(long, global = true)]
    workspace: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new newsletter workspace: `weekly.toml`, `issues/`, `templates/`.
    Init(cmd::init::Args),
    /// Start the next issue: `issues/NNNN/issue.toml` and a `draft.md` with every section.
    New(cmd::new::Args),
    /// Report every problem in the workspace at once: parse errors, numbering, counts,
    /// duplicate links, untranslated titles, YAML quoting, line endings.
    ///
    /// Exit status: 0 when there are no errors (warnings allowed), 1 when there are errors,
    /// 2 when the check could not run.
    Check(cmd::check::Args),
    /// What the channels of `[channels.NAME]` (Mastodon, Bluesky, dev.to, WordPress, Ghost)
    /// made for each issue, with links.
    #[command(subcommand)]
    Channels(cmd::channels::Command),
    /// Check what the workspace needs (fonts, Chromium, the database, the mail server, the
    /// Telegram bot, the model, the secret's mode) before it is needed.
    Doctor(cmd::doctor::Args),
    /// Summarise the workspace: languages, issues, which are free and which paid.
    Info(cmd::info::Args),
    /// Pictures for an issue: `add` scales, compresses and stores one, and prints its
    /// Markdown.
    #[command(subcommand)]
    Image(cmd::image::Command),
    /// Bring an existing archive of Markdown files into a new workspace (or the issues a
    /// workspace lacks into it), read as its format's `[import]` table says.
    Import(cmd::import::Args),
    /// Split a bilingual `中文---English` draft into one edition file per language.
    Split(cmd::split::Args),
    /// Entries per section and word counts per issue, totals per season, `stats.json`.
    Stats(cmd::stats::Args),
    /// Print one edition of an issue (full, teaser, readme, telegram, links, email) or of a
    /// season (links, collection, wrap-up post).
    Render(cmd::render::Args),
    /// What a season holds (issues, free or paid, missing translations); `--write` writes its
    /// collection, links-only edition, wrap-up post, word cloud and e-book into `seasons/`.
    Season(cmd::season::Args),
    /// A season as an e-book: EPUB 3, or PDF printed by headless Chromium.
    Ebook(cmd::ebook::Args),
    /// Regenerate the past-issue list and statistics table of a README, between markers.
    Readme(cmd::readme::Args),
    /// Write other-language editions with an LLM (links and numbers kept, translation memory,
    /// glossary), or `--check` existing translations against their sources.
    Translate(cmd::translate::Args),
    /// The sources `weekly collect` reads: list, import from OPML, export to OPML.
    #[command(subcommand)]
    Sources(cmd::sources::Command),
    /// Fetch every source of `sources.toml` (concurrently, conditional GET, limits) and keep
    /// new links as inbox candidates.
    Collect(cmd::collect::Args),
    /// The newsletter's readers: add, list, remove, counts, CSV import (Substack, Buttondown,
    /// listmonk, plain) and export.
    #[command(subcommand)]
    Subscribers(cmd::subscribers::Command),
    /// Mail to subscribers: the outbox and the SMTP server (test, send, status).
    #[command(subcommand)]
    Mail(cmd::mail::Command),
    /// E-mail an issue to every subscriber: a campaign per language and tier, crash-safe and
    /// resumable (`--resume`), shareable between processes (`--worker`), or `--dry-run`.
    Send(cmd::send::Args),
    /// Release an issue: check, build both sites, deploy, e-mail, Telegram, READMEs — each
    /// step recorded, so a re-run continues where it stopped; `--dry-run` shows the plan.
    Publish(cmd::publish::Args),
    /// Bounces that came back by mail: `import` a Maildir or mbox of delivery reports.
    #[command(subcommand)]
    Bounces(cmd::bounces::Command),
    /// What readers did: clicks per link, section and source, opens, growth and conversion
    /// (`[tracking]`, counted privately by `weekly server`).
    Report(cmd::report::Args),
    /// The e-mail campaigns and where their recipients stand.
    Campaigns(cmd::send::CampaignsArgs),
    /// The workspace database (SQLite or PostgreSQL): status, migrate, copy into another.
    #[command(subcommand)]
    Db(cmd::db::Command),
    /// Candidates ranked by a score you can read; accept one into the draft, reject, snooze.
    Inbox(cmd::inbox::Args),
    /// Tell where links were featured before, or that they are new.
    Dedup(cmd::dedup::Args),
    /// Post the weekly digest of the other newsletters to the Telegram channel.
    Digest(cmd::digest::Args),
    /// Post an issue's announcement to the Telegram channel (once).
    Announce(cmd::announce::Args),
    /// Build the static website: issue pages per language, archive, seasons, sections,
    /// dashboard, search, feeds; public (paid issues as teasers) or `--full`.
    Build(cmd::build::Args),
    /// Preview the website on 127.0.0.1, rebuilt in memory whenever a workspace file changes.
    Serve(cmd::serve::Args),
    /// The public subscription endpoints: sign-up with double opt-in, confirm, one-click
    /// unsubscribe.
    Server(cmd::server::Args),
}

/// The async runtime of a command that uses the network or the database.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context as _;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    printer::keep_environment_secrets();
    let env = weekly_app::environment::Environment::process();
    let workspace = cli
        .workspace
        .clone()
        .unwrap_or_else(|| PathBuf::from(env.or(weekly_app::environment::WORKSPACE, ".")));
    let result = match cli.command {
        Command::Init(args) => cmd::init::run(&args),
        Command::New(args) => cmd::new::run(&args, &workspace),
        Command::Check(args) => cmd::check::run(&args, &workspace),
        Command::Info(args) => cmd::info::run(&args, &workspace),
        Command::Doctor(args) => cmd::doctor::run(&args, &workspace),
        Command::Channels(command) => cmd::channels::run(&command, &workspace),
        Command::Image(command) => cmd::image::run(&command, &workspace),
        Command::Import(args) => cmd::import::run(&args),
        Command::Split(args) => cmd::split::run(&args, &workspace),
        Command::Stats(args) => cmd::stats::run(&args, &workspace),
        Command::Render(args) => cmd::render::run(&args, &workspace),
        Command::Season(args) => cmd::season::run(&args, &workspace),
        Command::Ebook(args) => cmd::ebook::run(&args, &workspace),
        Command::Readme(args) => cmd::readme::run(&args, &workspace),
        Command::Translate(args) => cmd::translate::run(&args, &workspace),
        Command::Sources(command) => cmd::sources::run(&command, &workspace),
        Command::Collect(args) => cmd::collect::run(&args, &workspace),
        Command::Subscribers(command) => cmd::subscribers::run(&command, &workspace),
        Command::Mail(command) => cmd::mail::run(&command, &workspace),
        Command::Db(command) => cmd::db::run(&command, &workspace),
        Command::Send(args) => cmd::send::run(&args, &workspace),
        Command::Publish(args) => cmd::publish::run(&args, &workspace),
        Command::Bounces(command) => cmd::bounces::run(&command, &workspace),
        Command::Report(args) => cmd::report::run(&args, &workspace),
        Command::Campaigns(args) => cmd::send::campaigns(&args, &workspace),
        Command::Inbox(args) => cmd::inbox::run(&args, &workspace),
        Command::Dedup(args) => cmd::dedup::run(&args, &workspace),
        Command::Digest(args) => cmd::digest::run(&args, &workspace),
        Command::Announce(args) => cmd::announce::run(&args, &workspace),
        Command::Build(args) => cmd::build::run(&args, &workspace),
        Command::Serve(args) => cmd::serve::run(&args, &workspace),
        Command::Server(args) => cmd::server::run(&args, &workspace),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            printer::error(&error);
            ExitCode::from(2)
        }
    }
}
