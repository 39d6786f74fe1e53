//! `weekly dedup URL…`: was this link featured before?

use crate::archive::Archive;
use crate::featured;
use crate::printer;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;
use weekly_model::url_norm::normalize;

/// Arguments of `weekly dedup`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Links are compared after normalisation (see `weekly_model::url_norm`): \
http = https, host case, `www.`, default ports, fragments, tracking parameters (utm_*, fbclid…) \
and a trailing slash do not matter. `weekly check` uses the same rules.\n\n\
Exit status: 0 when every link is new, 1 when one was featured before.\n\n\
Example:\n  weekly dedup https://github.com/astral-sh/uv 'https://www.example.org/post/?utm_source=x'"
)]
pub struct Args {
    /// The links to look up.
    #[arg(required = true)]
    pub urls: Vec<String>,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let workspace = Workspace::load(root)?;
    let archive = Archive::load(&workspace)?;
    let index = featured::index(&workspace, &archive);
    let mut any = false;
    for url in &args.urls {
        let lower = url.trim().to_ascii_lowercase();
        let rest = lower
            .strip_prefix("http://")
            .or_else(|| lower.strip_prefix("https://"));
        if rest.is_none_or(|r| r.trim_matches('/').is_empty()) {
            anyhow::bail!(
                "`{}` is not a web address; give links like `https://example.org/post`",
                crate::printer::one_line(url)
            );
        }
    }
    for url in &args.urls {
        match index.get(&normalize(url)) {
            Some(places) => {
                any = true;
                let list: Vec<String> = places.iter().map(ToString::to_string).collect();
                printer::out(&format!("{url}: featured in {}", list.join("; ")));
            }
            None => printer::out(&format!("{url}: new")),
        }
    }
    Ok(if any {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
