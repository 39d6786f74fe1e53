//! House rules that are cheap to enforce: every module says what it owns, and the pure core
//! names no I/O crate.

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
