//! House rules that are cheap to enforce: every module says what it owns, the pure core
//! names no I/O crate, and no error message repeats its cause.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn every_module_starts_with_a_doc_line() {
    let mut files = Vec::new();
    for krate in std::fs::read_dir(crates_dir()).unwrap() {
        let src = krate.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    assert!(files.len() > 20);
    let missing: Vec<_> = files
        .iter()
        .filter(|f| !std::fs::read_to_string(f).unwrap().starts_with("//!"))
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` line: {missing:?}"
    );
}

#[test]
fn the_core_names_no_io_crate() {
    let io = [
        "tokio", "sqlx", "reqwest", "lettre", "axum", "hyper", "fs-err",
    ];
    for krate in [
        "weekly-model",
        "weekly-parse",
        "weekly-render",
        "weekly-check",
        "weekly-stats",
        "weekly-translate",
        "weekly-site",
    ] {
        let manifest =
            std::fs::read_to_string(crates_dir().join(krate).join("Cargo.toml")).unwrap();
        let deps = manifest.split("[dependencies]").nth(1).unwrap_or("");
        let deps = deps.split("\n[").next().unwrap_or("");
        for name in io {
            assert!(
                !deps.lines().any(|l| l.trim_start().starts_with(name)),
                "{krate} depends on {name}"
            );
        }
        // No file system access in the core's library code.
        let mut files = Vec::new();
        rust_files(&crates_dir().join(krate).join("src"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(!text.contains("std::fs"), "{} uses std::fs", file.display());
            assert!(
                !text.contains("std::env::var"),
                "{} reads the environment",
                file.display()
            );
        }
    }
}

/// The `(message, variant text)` of each `#[error("…")]` of `source`: the variant text runs
/// to the next `#[error` or the end of the enum.
fn variants(source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("#[error(") {
        let after = &rest[at + "#[error(".len()..];
        let message = after
            .trim_start()
            .strip_prefix('"')
            .and_then(|m| {
                let mut escaped = false;
                m.char_indices()
                    .find(|&(_, c)| {
                        let end = c == '"' && !escaped;
                        escaped = c == '\\' && !escaped;
                        end
                    })
                    .map(|(i, _)| m[..i].to_owned())
            })
            .unwrap_or_default();
        let next = after.find("#[error(").unwrap_or(after.len());
        let body = &after[..next];
        let body = body.find("\n}").map_or(body, |end| &body[..end]);
        out.push((message, body.to_owned()));
        rest = &after[next..];
    }
    out
}

fn has_source(variant: &str) -> bool {
    variant.contains("#[from]")
        || variant.contains("#[source]")
        || variant
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .any(|word| word == "source:")
}

fn shows_source(message: &str) -> bool {
    ["{0}", "{0:", "{source}", "{source:"]
        .iter()
        .any(|p| message.contains(p))
}

/// Every error of the workspace says its cause once: a `thiserror` variant whose cause is its
/// source (`#[from]`, `#[source]` or a field named `source`) does not also put that cause in
/// its message, or a printed chain would say it twice ("… pool timed out: pool timed out").
#[test]
fn no_error_message_repeats_its_source() {
    let mut sources = Vec::new();
    for krate in std::fs::read_dir(crates_dir()).unwrap() {
        let src = krate.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut sources);
        }
    }
    assert!(sources.len() > 100, "the crates' sources are read");
    let mut read = 0;
    let mut twice = Vec::new();
    for path in &sources {
        let text = std::fs::read_to_string(path).unwrap();
        for (message, variant) in variants(&text) {
            read += 1;
            if has_source(&variant) && shows_source(&message) {
                twice.push(format!("{}: \"{message}\"", path.display()));
            }
        }
    }
    assert!(read > 30, "the error messages are found ({read})");
    assert!(twice.is_empty(), "causes said twice:\n{}", twice.join("\n"));
}

#[test]
fn the_reader_finds_a_message_that_repeats_its_source() {
    let enum_text = r#"
pub enum E {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("cannot parse: {0}")]
    Parse(#[from] std::num::ParseIntError),
    #[error("refused: {0}")]
    Refused(String),
    #[error("stopped")]
    Stopped(#[source] std::io::Error),
}
"#;
    let found: Vec<bool> = variants(enum_text)
        .iter()
        .map(|(m, v)| has_source(v) && shows_source(m))
        .collect();
    assert_eq!(found, [true, true, false, false]);
}
