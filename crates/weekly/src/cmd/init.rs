//! `weekly init DIR [--name N] [--languages zh,en] [--free | --paid [--free-after N]]
//! [--base-url URL] [--format NAME|FILE.toml]`: a new workspace with a commented `weekly.toml`,
//! `sources.toml`, a README with the issue list's markers and a `.gitignore`; on a terminal it
//! asks for what the flags did not say.

use crate::config;
use crate::printer;
use anyhow::{Result, bail};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use weekly_app::init::{self, Choices};
use weekly_model::Lang;

/// Arguments of `weekly init`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  weekly init rust-weekly                                    # asks on a terminal
  weekly init rust-weekly --name \"Rust 周刊\" --languages zh,en --free --base-url https://rust.example.org
  weekly init twir --format this-week-in-rust

A new newsletter is free: every issue is public in full. `--paid` makes issues readable by \
paying subscribers only until `--free-after` (50) newer issues are out. Without `--format`, \
weekly.toml is Python Trending Weekly's (its sections and way of writing issues) with your name; \
`--format this-week-in-rust` or `--format ruanyf-weekly` starts from that newsletter's. The \
`.gitignore` keeps the database (readers' addresses), the secret, the subscribers' site (paid \
text), the outbox (mail) and the caches out of git.")]
pub struct Args {
    /// Directory to create (may exist if empty).
    pub dir: PathBuf,
    /// A format we ship (`python-weekly`, `this-week-in-rust`, `ruanyf-weekly`) or a
    /// `weekly.toml` of yours to start from.
    #[arg(long)]
    pub format: Option<String>,
    /// The newsletter's name.
    #[arg(long)]
    pub name: Option<String>,
    /// Its languages, the one you write first: `zh,en`.
    #[arg(long, value_delimiter = ',')]
    pub languages: Option<Vec<String>>,
    /// Every issue free to read in full (the default).
    #[arg(long, conflicts_with_all = ["paid", "free_after"])]
    pub free: bool,
    /// Issues for paying subscribers until `--free-after` newer ones are out.
    #[arg(long)]
    pub paid: bool,
    /// With `--paid`: after how many newer issues an issue becomes free (default 50).
    #[arg(long, value_name = "N")]
    pub free_after: Option<u32>,
    /// Where the site will be: `https://weekly.example.org`.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let text = match &args.format {
        Some(format) => init::format_text(format)?,
        // A new newsletter gets a name to change, not the reference newsletter's.
        None => init::new_config(),
    };
    let mut choices = Choices {
        name: args.name.clone(),
        languages: match &args.languages {
            Some(codes) => Some(languages(codes)?),
            None => None,
        },
        free_after: if args.paid || args.free_after.is_some() {
            Some(args.free_after.unwrap_or(50))
        } else if args.free || args.format.is_none() {
            Some(0)
        } else {
            // A shipped format keeps its own rule unless told.
            None
        },
        base_url: args.base_url.clone(),
    };
    let stdin = std::io::stdin();
    if stdin.is_terminal() && std::io::stderr().is_terminal() {
        ask(&mut choices, args, &mut stdin.lock())?;
    }
    let text = init::customize(&text, &choices)?;
    init::create(&args.dir, &text)?;
    let parsed = config::Config::parse(&text, config::FILE_NAME)?;
    let dir = args.dir.display();
    printer::status(&format!(
        "created workspace `{dir}`: weekly.toml, sources.toml, README.md and .gitignore ({})",
        if parsed.free_after == 0 {
            "a free newsletter".to_owned()
        } else {
            format!("issues free after {} newer ones", parsed.free_after)
        }
    ));
    printer::status(&format!(
        "next:\n  cd {dir}\n  weekly new                 # issues/0001/ with a draft of every section\n  weekly check               # after writing it; then `weekly build` and `weekly serve`"
    ));
    Ok(ExitCode::SUCCESS)
}

/// Language codes checked, the primary first.
fn languages(codes: &[String]) -> Result<Vec<Lang>> {
    let mut out: Vec<Lang> = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let Some(lang) = Lang::new(code) else {
            bail!("`--languages`: `{code}` is not a language code (zh, en, ja, zh-tw…)");
        };
        if !out.contains(&lang) {
            out.push(lang);
        }
    }
    if out.is_empty() {
        bail!("`--languages` names no language; e.g. `--languages zh,en`");
    }
    Ok(out)
}

/// Asks on the terminal for what the flags left open; an empty answer takes the default shown.
fn ask(choices: &mut Choices, args: &Args, input: &mut dyn BufRead) -> Result<()> {
    let mut prompt = |question: &str, default: &str| -> Result<String> {
        let mut err = std::io::stderr().lock();
        write!(err, "{question} [{default}]: ")?;
        err.flush()?;
        let mut line = String::new();
        input.read_line(&mut line)?;
        let answer = line.trim();
        Ok(if answer.is_empty() {
            default.to_owned()
        } else {
            answer.to_owned()
        })
    };
    if choices.name.is_none() {
        choices.name = Some(prompt("Name of the newsletter", "My Weekly")?);
    }
    if choices.languages.is_none() {
        let answer = prompt("Languages, the one you write first", "zh,en")?;
        let codes: Vec<String> = answer.split(',').map(str::to_owned).collect();
        choices.languages = Some(languages(&codes)?);
    }
    if !args.free && !args.paid && args.free_after.is_none() {
        let answer = prompt("Free, or paid with issues free later? (free/paid)", "free")?;
        choices.free_after = match answer.to_lowercase().as_str() {
            "free" | "f" => Some(0),
            "paid" | "p" => {
                let n = prompt("Free after how many newer issues", "50")?;
                Some(
                    n.parse()
                        .map_err(|_| anyhow::anyhow!("`{n}` is not a number"))?,
                )
            }
            other => bail!("`{other}`: answer `free` or `paid`"),
        };
    }
    if choices.base_url.is_none() {
        choices.base_url = Some(prompt("Address of the site", "https://weekly.example.org")?);
    }
    Ok(())
}
