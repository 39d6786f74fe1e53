//! `weekly serve`: the website built in memory and served on 127.0.0.1; a watcher rebuilds it
//! whenever a file of the workspace changes (a failed rebuild keeps the last good site).

use crate::archive::{Archive, ParseCache};
use crate::printer;
use crate::site;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};
use weekly_site::build::CloudCache;

/// Arguments of `weekly serve`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The site is kept in memory (nothing is written to disk) and rebuilt when \
`weekly.toml`, an issue file, a template or a season file changes; only changed issue files are \
parsed again, and each rebuild prints its time. \
Only 127.0.0.1 is listened on.\n\nExamples:\n  weekly serve\n  weekly serve --port 8080 --full"
)]
pub struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Serve the subscribers' edition.
    #[arg(long)]
    pub full: bool,
    /// How often the workspace is looked at, in milliseconds.
    #[arg(long, default_value_t = 100)]
    pub poll_ms: u64,
}

type Files = Arc<HashMap<String, Vec<u8>>>;

/// What one build leaves for the next: parsed files and season word clouds.
struct Caches {
    parsed: ParseCache,
    clouds: Option<CloudCache>,
}

fn build(root: &Path, full: bool, caches: &mut Caches) -> Result<Files> {
    let workspace = Workspace::load(root)?;
    let clouds = caches
        .clouds
        .get_or_insert_with(|| site::read_cloud_cache(&workspace));
    let archive = Archive::load_cached(&workspace, |_| true, &mut caches.parsed)?;
    let templates = site::templates(&workspace)?;
    let input = site::input(&workspace, &archive, full, site::stop_words(&workspace)?);
    let mut memory = weekly_site::Memory::default();
    let summary = weekly_site::build(&input, &templates, clouds, &mut memory)?;
    *clouds = summary.clouds;
    Ok(Arc::new(memory.files.into_iter().collect()))
}

/// Path, length and modification time of every file a build reads.
fn snapshot(root: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = ["issues", "templates", "seasons"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let mut add = |path: PathBuf| {
        if let Ok(meta) = std::fs::metadata(&path) {
            out.push((path, meta.len(), meta.modified().ok()));
        }
    };
    add(root.join(crate::config::FILE_NAME));
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                add(path);
            }
        }
    }
    out.sort();
    out
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

fn respond(files: &HashMap<String, Vec<u8>>, uri: &Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let wanted = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    };
    if let Some(body) = files.get(&wanted) {
        return (
            [(header::CONTENT_TYPE, content_type(&wanted))],
            body.clone(),
        )
            .into_response();
    }
    if files.contains_key(&format!("{path}/index.html")) {
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("/{path}/"))],
        )
            .into_response();
    }
    let body = files.get("404.html").cloned().unwrap_or_default();
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

pub fn run(args: &Args, root: &Path) -> Result<ExitCode> {
    let mut caches = Caches {
        parsed: ParseCache::reading_only().remembering(),
        clouds: None,
    };
    let started = Instant::now();
    let files = build(root, args.full, &mut caches)?;
    printer::status(&format!(
        "built {} files in {} ms",
        files.len(),
        started.elapsed().as_millis()
    ));
    let current = Arc::new(RwLock::new(files));
    let watched = current.clone();
    let root = root.to_owned();
    let (full, poll) = (args.full, Duration::from_millis(args.poll_ms.max(10)));
    std::thread::spawn(move || {
        let mut last = snapshot(&root);
        loop {
            std::thread::sleep(poll);
            let now = snapshot(&root);
            if now == last {
                continue;
            }
            last = now;
            let started = Instant::now();
            match build(&root, full, &mut caches) {
                Ok(files) => {
                    *watched.write().expect("site lock") = files;
                    printer::status(&format!("rebuilt in {} ms", started.elapsed().as_millis()));
                }
                Err(error) => printer::status(&format!(
                    "rebuild failed (still serving the last good build): {error:#}"
                )),
            }
        }
    });
    crate::runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
            .await
            .with_context(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
        let address = listener.local_addr()?;
        printer::status(&format!("serving http://{address}/ (Ctrl-C stops)"));
        let app = axum::Router::new().fallback(move |uri: Uri| {
            let files = current.read().expect("site lock").clone();
            async move { respond(&files, &uri) }
        });
        axum::serve(listener, app).await.context("server stopped")?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
