//! `weekly build`: the static website of the workspace (public, or `--full` for subscribers).

use crate::archive::{Archive, ParseCache};
use crate::buildstamp;
use crate::outdir::DirSink;
use crate::printer;
use crate::site;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

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
    let started = Instant::now();
    let started_at = std::time::SystemTime::now();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join(if args.full { "site-full" } else { "site" }));
    // Nothing read by the build changed since it last built `out`: nothing to do.
    let stamp = buildstamp::path(root, &out, args.full);
    let salt = site::program_salt();
    let options = format!("full={} allow_errors={}", args.full, args.allow_errors);
    if !args.clean
        && !args.force
        && let Some(printed) =
            buildstamp::unchanged(&stamp, root, buildstamp::context(salt, &options, &out))
    {
        for line in &printed {
            printer::status(line);
        }
        printer::status(&format!(
            "nothing that `weekly build` reads changed since it last built `{}`: nothing to do, in {:.3} s",
            out.display(),
            started.elapsed().as_secs_f64()
        ));
        return check_links(args, root, &out);
    }
    buildstamp::forget(&stamp);
    let workspace = Workspace::load(root)?;
    // Word clouds of the seasons are kept in the workspace between builds; without them the
    // segmenter's dictionary (~0.1 s to build) is loaded while the files are parsed.
    let cache = site::read_cloud_cache(&workspace);
    let warm = cache.is_empty().then(|| {
        std::thread::spawn(|| {
            weekly_stats::words::jieba();
        })
    });
    let archive = Archive::load_cached(&workspace, |_| true, &mut ParseCache::reading_only())?;
    let blocking = archive.blocking(&workspace);
    if !blocking.is_empty() {
        for d in &blocking {
            printer::out(&printer::diagnostic(d));
        }
        if !args.allow_errors {
            bail!(
                "{} error{} would change what readers see; nothing was built\nhint: fix {} \
                 (`weekly check` lists {} with everything else), or pass `--allow-errors` for a \
                 preview",
                blocking.len(),
                if blocking.len() == 1 { "" } else { "s" },
                if blocking.len() == 1 { "it" } else { "them" },
                if blocking.len() == 1 { "it" } else { "them" },
            );
        }
        printer::status(&format!(
            "warning: built despite {} error{} (`--allow-errors`): not for publishing",
            blocking.len(),
            if blocking.len() == 1 { "" } else { "s" }
        ));
    }
    let templates = site::templates(&workspace)?;
    let mut input = site::input(
        &workspace,
        &archive,
        args.full,
        site::stop_words(&workspace)?,
    );
    input.season_files = site::season_files(&workspace)?;
    if let Some(warm) = warm {
        warm.join().ok();
    }
    let (statics, skipped) = site::static_files(&workspace)?;
    printer::skipped_links(&skipped);
    let mut sink = DirSink::new(&out, args.clean, &|line| printer::status(line))?;
    // `--force` keeps nothing but records the keys for the next build.
    let memo = if args.force {
        weekly_site::Memo {
            salt,
            ..weekly_site::Memo::none()
        }
    } else {
        sink.memo(salt)
    };
    let mut with_static = site::WithStatic::new(&mut sink, statics);
    let built = weekly_site::build(&input, &templates, &cache, &memo, &mut with_static)
        .map_err(anyhow::Error::from)
        .and_then(|mut summary| {
            let cards = weekly_app::og::write_cards(&workspace, &summary.og_cards, &mut with_static)?;
            if cards.without_fonts > 0 {
                summary.warnings.push(format!(
                    "{} Open Graph cards not drawn: this machine has no font for Han characters (Debian: `apt-get install fonts-noto-cjk`), or set `[site] og_images = false`",
                    cards.without_fonts
                ));
            }
            summary.files += cards.drawn + cards.cached + cards.kept;
            Ok((summary, with_static.finish(&workspace)?))
        });
    let (summary, (statics, replaced)) = match built {
        Ok(built) => built,
        Err(error) => {
            sink.abandon();
            return Err(error);
        }
    };
    let changes = sink.finish()?;
    // What is printed again when a later build finds nothing changed.
    let mut printed = Vec::new();
    for path in &replaced {
        printed.push(format!(
            "note: `{}/{path}` replaces the file the site makes there",
            site::STATIC_DIR
        ));
    }
    site::keep_cloud_cache(&workspace, &cache, &summary.clouds)?;
    for warning in &summary.warnings {
        printed.push(format!("warning: {warning}"));
    }
    for line in &printed {
        printer::status(line);
    }
    printer::status(&format!(
        "built {} ({} as {}), {}{}, {:.1} MB (search index {:.1} MB) into `{}`: {} written, {} unchanged ({} pages kept without rendering), {} removed{}, in {:.2} s",
        printer::count(summary.issue_pages, "issue page", "issue pages"),
        summary.teasers,
        if summary.teasers == 1 {
            "a teaser"
        } else {
            "teasers"
        },
        printer::count(summary.files - replaced.len(), "file", "files"),
        if statics > 0 {
            format!(" and {statics} from `{}/`", site::STATIC_DIR)
        } else {
            String::new()
        },
        summary.bytes as f64 / 1e6,
        summary.index_bytes as f64 / 1e6,
        out.display(),
        changes.written,
        changes.unchanged,
        summary.kept,
        changes.removed,
        if changes.kept > 0 {
            format!(", {} not ours kept", changes.kept)
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64()
    ));
    // Freeing the parsed archive takes about 30 ms at 20,000 issues: nothing waits for it.
    drop(input);
    std::thread::spawn(move || drop(archive));
    // A build that went on despite errors is built again next time (its errors shown again).
    if blocking.is_empty() {
        let context = buildstamp::context(salt, &options, &out);
        buildstamp::record(&stamp, root, context, started_at, &printed)?;
    }
    check_links(args, root, &out)
}

/// `--check-links`: every internal link and fragment of the built site resolves.
fn check_links(args: &Args, root: &Path, out: &Path) -> Result<ExitCode> {
    if args.check_links {
        let workspace = Workspace::load(root)?;
        let config = &workspace.config;
        let urls = weekly_site::urls::Urls::new(&config.base_url, &config.primary_language);
        let broken = check_dir(out, &urls.root)?;
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

/// Broken internal links of a built directory.
pub fn check_dir(out: &Path, root: &str) -> Result<Vec<weekly_site::links::BrokenLink>> {
    let mut memory = weekly_site::Memory::default();
    let mut stack = vec![out.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(out)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("html"))
                {
                    std::fs::read(&path)?
                } else {
                    Vec::new()
                };
                memory.files.push((relative, bytes));
            }
        }
    }
    Ok(memory.broken_links(root))
}
