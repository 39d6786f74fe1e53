//! `weekly image add URL|FILE`: a picture made for readers and stored, its Markdown printed.

use crate::printer;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

/// `weekly image`
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Fetch or read a picture, scale it to `[images] max_width`, compress it under
    /// `[images] max_bytes`, store it as `YYYY-MM-DD-slug.ext` and print the Markdown to paste.
    #[command(after_help = "\
The picture is fetched with the collector's limits and guard (no address on this machine or \
the private network), turned upright, stripped of its metadata (EXIF, GPS) and encoded as PNG \
when it has few colours and fits (screenshots, diagrams), else as the best JPEG that fits — \
narrower when no quality does. Both formats show in every mail client.

Where it goes is `[images] store` in weekly.toml: a folder under `static/` (published with the \
site: `static/img` → BASE_URL/img/), or `s3://BUCKET/PREFIX` with `endpoint`, `region` and \
`public_url`, the credentials in WEEKLY_S3_ACCESS_KEY_ID and WEEKLY_S3_SECRET_ACCESS_KEY. The \
same picture added twice is stored once; a different one under a taken name is refused.

Examples:
  weekly image add ~/Desktop/screenshot.png --issue 110 --alt 'uv lock in 0.2 s'
  weekly image add https://example.org/ferris.jpg --name ferris --dry-run")]
    Add {
        /// A URL (http or https) or a file.
        source: String,
        /// Name the picture with this issue's date (default: today's).
        #[arg(long)]
        issue: Option<u32>,
        /// The slug of its name (default: from the source's file name).
        #[arg(long)]
        name: Option<String>,
        /// What the picture shows, for readers who cannot see it (default: the slug's words).
        #[arg(long)]
        alt: Option<String>,
        /// Make the picture and say where it would go; store nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(command: &Command, root: &Path) -> Result<ExitCode> {
    let Command::Add {
        source,
        issue,
        name,
        alt,
        dry_run,
    } = command;
    let workspace = crate::workspace::Workspace::load(root)?;
    let options = weekly_app::images::AddOptions {
        source: source.clone(),
        issue: *issue,
        name: name.clone(),
        alt: alt.clone(),
        today: chrono::Local::now().date_naive().to_string(),
        dry_run: *dry_run,
    };
    let added = crate::runtime()?.block_on(weekly_app::images::add(&workspace, &options))?;
    let fitted = &added.fitted;
    let what = if *dry_run {
        "would store"
    } else if added.placed.new {
        "stored"
    } else {
        "already stored (the same picture)"
    };
    printer::status(&format!(
        "{}×{} px, {} bytes → {}×{} px {}, {} bytes; {what} in {}",
        fitted.original.0,
        fitted.original.1,
        added.original_bytes,
        fitted.width,
        fitted.height,
        fitted.format.extension().to_uppercase(),
        fitted.bytes.len(),
        added.store,
    ));
    if !added.described {
        printer::status("say what it shows with --alt 'TEXT' (the Markdown's [alt text])");
    }
    printer::out(&added.markdown);
    Ok(ExitCode::SUCCESS)
}
