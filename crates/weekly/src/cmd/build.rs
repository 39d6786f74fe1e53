//! `weekly build`: the static website of the workspace (public, or `--full` for subscribers).

use crate::printer;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use weekly_app::building::{self, BuildOptions};

/// Arguments of `weekly build`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "What is written (for every language of `languages`):\n  \
/                      home of the primary language (/<lang>/ for the others)\n  \
/<lang>/<N>/           each issue, with hreflang links to its other editions\n  \
/<lang>/archive/       every issue by season\n  \
/<lang>/seasons/<S>/   a season: issues, totals, charts, word cloud, every link\n  \
/<lang>/sections/<key>/  everything ever featured in a section, newest first, star badges, 500 a page (…/2/, …)\n  \
/<lang>/stats/         the dashboard (inline SVG, no JavaScript needed)\n  \
/<lang>/search/        search page; its index is sharded under /<lang>/search/index/\n  \
/<lang>/feed.xml, atom.xml, feed.json   RSS 2.0, Atom, JSON Feed 1.1\n  \
/404.html, /sitemap.xml, /robots.txt, /assets/\n\n\
Delayed disclosure: in the public site (the default) and its feeds, issues newer than \
`latest - free_after` show their titles only, with the `subscribe` text of `[texts.<lang>]`. \
`--full` builds the subscribers' site with every issue in full.\n\n\
Templates: any of base.html, home.html, issue.html, archive.html, season.html, section.html, \
stats.html, search.html, 404.html placed in the workspace's `templates/` replaces the \
built-in one (minijinja syntax; errors name the file and line). `templates/stopwords.txt` \
replaces the word-cloud stop words.\n\n\
The new site is made in a directory beside DIR (only the files that differ from the last build \
are written; the others are hard-linked, so they keep their times) and exchanged with DIR in \
one step when it is complete: a reader or a deploy sees the old site or the new one, never a \
mix, and a failed or killed build leaves the previous site as it was. Files in DIR that \
`weekly build` did not write (`.git/`, `CNAME`…) are kept; `--clean` removes them. Only an \
empty directory or one written by `weekly build` is used. Two builds into one DIR take \
turns. The site before the last build is kept beside DIR as `.<DIR>.spare` (mostly hard \
links): the next build starts from it. A rebuild replaces DIR itself, so a shell whose \
current directory is DIR sees the new site after `cd .`. The season word clouds are cached in the workspace's `.weekly-cache/` (delete it to \
make them again).\n\n\
Incremental: every page has a key, a hash of its template and of the values it is made from \
(the issue, its neighbours, the settings, the texts…), recorded in DIR's manifest; a page whose \
key did not change is not rendered again. When nothing the build reads (`weekly.toml`, \
`templates/`, `static/`, `issues/`, `seasons/`) changed since it last built DIR (sizes, times \
and inodes, kept in `.weekly-cache/`), the build does nothing (a workspace with a symbolic link among those inputs \
is always built). `--force` renders everything.\n\n\
Static files: everything in the workspace's `static/` folder (images, favicon.ico, CNAME, \
.well-known/…) is copied to the same path in the site; hidden files are left out. A static \
file replaces the file the site would make at its path (say, your own robots.txt), and the \
build says so.\n\n\
Errors that change what readers see stop the build with the messages of `weekly check`: an \
`issue.toml` that is missing or unreadable, numbers that repeat or jump, dates that go \
backwards, an empty edition, a parse error, a link out of the workspace. `--allow-errors` \
builds anyway, for a preview.\n\n\
Examples:\n  weekly build\n  weekly build --out public\n  weekly build --full --out /srv/members\n  \
weekly serve          (preview on 127.0.0.1, rebuilt on change)"
)]
pub struct Args {
    /// Output directory (default: `site/` in the workspace, `site-full/` with `--full`).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Build the subscribers' edition: every issue in full.
    #[arg(long)]
    pub full: bool,
    /// After building, check every internal link and fragment; exit 1 if one is broken.
    #[arg(long)]
    pub check_links: bool,
    /// Build even when errors that change what readers see are found (a bad `issue.toml`, a
    /// parse error, issues out of order): for a preview, never for publishing.
    #[arg(long)]
    pub allow_errors: bool,
    /// Remove everything in the output directory that this build does not make, including
    /// files `weekly build` did not write (`.git/`, `CNAME`…). Only for a directory an earlier
    /// `weekly build` wrote.
    #[arg(long)]
    pub clean: bool,
    /// Render every page again, ignoring what the last build recorded (a build normally does
    /// nothing when no input changed, and keeps the pages whose values did not change). Only
    /// files that differ are still written.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let options = BuildOptions {
        out: args.out.clone(),
        full: args.full,
        allow_errors: args.allow_errors,
        clean: args.clean,
        force: args.force,
    };
    let built = printer::shown_blocked(building::build_site(root, &options, &|line| {
        printer::status(line);
    }))?;
    printer::built(&built);
    check_links(args, root, &built.out)
}

/// `--check-links`: every internal link and fragment of the built site resolves.
fn check_links(args: &Args, root: &Path, out: &Path) -> Result<ExitCode> {
    if args.check_links {
        let workspace = Workspace::load(root)?;
        let broken = building::broken_links(&workspace, out)?;
        if !broken.is_empty() {
            for b in &broken {
                printer::out(&format!("{}: `{}`: {}", b.page, b.href, b.reason));
            }
            bail!("{} broken internal links", broken.len());
        }
        printer::status("every internal link and fragment resolves");
    }
    Ok(ExitCode::SUCCESS)
}
