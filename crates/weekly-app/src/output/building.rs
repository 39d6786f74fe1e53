//! `weekly build` as one library call: the static site of a workspace (public, or full for
//! subscribers) written into its output folder — nothing done when nothing it reads changed
//! since the last build, only changed files written otherwise — and the internal links of a
//! built folder checked.

use crate::archive::{Archive, ParseCache};
use crate::buildstamp;
use crate::outdir::DirSink;
use crate::site;
use crate::workspace::Workspace;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use weekly_model::Diagnostic;

pub use crate::archive::Blocked;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The output folder (default: `site/`, or `site-full/` with `full`).
    pub out: Option<PathBuf>,
    /// The subscribers' site: every issue in full.
    pub full: bool,
    /// Build despite errors that change what readers see (a preview).
    pub allow_errors: bool,
    /// Empty the output folder first.
    pub clean: bool,
    /// Render every page (the next build still finds what is unchanged).
    pub force: bool,
}

/// What a build did.
#[derive(Debug)]
pub struct Built {
    /// The output folder.
    pub out: PathBuf,
    /// The errors that change what readers see (built anyway with `allow_errors`).
    pub blocking: Vec<Diagnostic>,
    /// Notes and warnings, as printed again by a later build that finds nothing changed.
    pub notes: Vec<String>,
    /// `None` when nothing changed since the last build.
    pub written: Option<Written>,
    /// How long it took.
    pub took: Duration,
}

/// The figures of a build that wrote the site.
#[derive(Debug)]
pub struct Written {
    pub issue_pages: usize,
    pub teasers: usize,
    /// Files the site makes (those replaced from `static/` left out).
    pub files: usize,
    /// Files copied from `static/`.
    pub statics: usize,
    pub bytes: u64,
    pub index_bytes: u64,
    pub changed: usize,
    pub unchanged: usize,
    /// Pages kept without rendering them again.
    pub kept_pages: usize,
    pub removed: usize,
    /// Files in the output folder that are not ours, kept.
    pub foreign: usize,
}

/// Builds the site of the workspace at `root`; `status` gets the lines worth showing while it
/// runs (files removed, links skipped). The workspace is loaded only when something changed.
pub fn build_site(root: &Path, options: &BuildOptions, status: &dyn Fn(&str)) -> Result<Built> {
    let started = Instant::now();
    let started_at = std::time::SystemTime::now();
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| root.join(if options.full { "site-full" } else { "site" }));
    // Nothing read by the build changed since it last built `out`: nothing to do.
    let stamp = buildstamp::path(root, &out, options.full);
    let salt = site::program_salt();
    let context_options = format!(
        "full={} allow_errors={}",
        options.full, options.allow_errors
    );
    if !options.clean
        && !options.force
        && let Some(printed) = buildstamp::unchanged(
            &stamp,
            root,
            buildstamp::context(salt, &context_options, &out),
        )
    {
        return Ok(Built {
            out,
            blocking: Vec::new(),
            notes: printed,
            written: None,
            took: started.elapsed(),
        });
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
    if !blocking.is_empty() && !options.allow_errors {
        let n = blocking.len();
        let them = if n == 1 { "it" } else { "them" };
        return Err(Blocked::new(
            format!(
                "{n} error{} would change what readers see; nothing was built\nhint: fix {them} \
             (`weekly check` lists {them} with everything else), or pass `--allow-errors` for a \
             preview",
                if n == 1 { "" } else { "s" },
            ),
            blocking,
        )
        .into());
    }
    let templates = site::templates(&workspace)?;
    let mut input = site::input(
        &workspace,
        &archive,
        options.full,
        site::stop_words(&workspace)?,
    );
    input.season_files = site::season_files(&workspace)?;
    if let Some(warm) = warm {
        warm.join().ok();
    }
    let (statics, skipped) = site::static_files(&workspace)?;
    for path in &skipped {
        status(&format!(
            "warning: `{path}` is a link that leads outside the workspace; skipped"
        ));
    }
    let mut sink = DirSink::new(&out, options.clean, status)?;
    // `force` keeps nothing but records the keys for the next build.
    let memo = if options.force {
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
            let cards = crate::og::write_cards(&workspace, &summary.og_cards, &mut with_static)?;
            if cards.without_fonts > 0 {
                summary.warnings.push(format!(
                    "{} Open Graph cards not drawn: this machine has no font for Han characters (Debian: `apt-get install fonts-noto-cjk`), or set `[site] og_images = false`",
                    cards.without_fonts
                ));
            }
            if cards.emoji_as_boxes > 0 {
                summary.warnings.push(format!(
                    "{} Open Graph cards have emoji, which this machine has no font for: they show empty boxes ({})",
                    cards.emoji_as_boxes,
                    crate::fonts::EMOJI_HINT
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
    let mut notes = Vec::new();
    for path in &replaced {
        notes.push(format!(
            "note: `{}/{path}` replaces the file the site makes there",
            site::STATIC_DIR
        ));
    }
    site::keep_cloud_cache(&workspace, &cache, &summary.clouds)?;
    for warning in &summary.warnings {
        notes.push(format!("warning: {warning}"));
    }
    let written = Written {
        issue_pages: summary.issue_pages,
        teasers: summary.teasers,
        files: summary.files - replaced.len(),
        statics,
        bytes: summary.bytes,
        index_bytes: summary.index_bytes,
        changed: changes.written,
        unchanged: changes.unchanged,
        kept_pages: summary.kept,
        removed: changes.removed,
        foreign: changes.kept,
    };
    // Freeing the parsed archive takes about 30 ms at 20,000 issues: nothing waits for it.
    drop(input);
    std::thread::spawn(move || drop(archive));
    // A build that went on despite errors is built again next time (its errors shown again).
    if blocking.is_empty() {
        let context = buildstamp::context(salt, &context_options, &out);
        buildstamp::record(&stamp, root, context, started_at, &notes)?;
    }
    Ok(Built {
        out,
        blocking,
        notes,
        written: Some(written),
        took: started.elapsed(),
    })
}

/// Broken internal links of the site built into `out`, for the workspace's base URL.
pub fn broken_links(
    workspace: &Workspace,
    out: &Path,
) -> Result<Vec<weekly_site::links::BrokenLink>> {
    let config = &workspace.config;
    let urls = weekly_site::urls::Urls::new(&config.base_url, &config.primary_language);
    check_dir(out, &urls.root)
}

/// Broken internal links of a built directory.
fn check_dir(out: &Path, root: &str) -> Result<Vec<weekly_site::links::BrokenLink>> {
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
