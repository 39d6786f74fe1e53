//! Every file of the real archive parses without errors and writes back byte for byte.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use weekly_model::{Catalogue, Lang, Severity};
use weekly_parse::{ParseOptions, parse_document};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("WEEKLY_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/python-weekly"),
        PathBuf::from,
    );
    if dir.join("docs").is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var("CI").map_or(true, |v| matches!(v.trim(), "" | "0" | "false")),
            "the corpus is not at {} (set WEEKLY_CORPUS), and CI is set: the round trip cannot run",
            dir.display()
        );
        // On the real standard error: `cargo test` hides `eprintln!` of a passing test.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED corpus round trip: corpus not found at {} (set WEEKLY_CORPUS)",
            dir.display()
        );
        None
    }
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "md"));
    files.sort();
    files
}

#[test]
fn every_corpus_file_parses_cleanly_and_round_trips() {
    let Some(root) = corpus() else { return };
    let catalogue = Catalogue::python_weekly();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (sub, lang) in [
        ("docs", "zh"),
        ("docs/en", "en"),
        ("docs/ja", "ja"),
        ("history/teasers", "zh"),
        ("history/drafts", "en"),
    ] {
        let lang = Lang::new(lang).unwrap();
        for path in markdown_files(&root.join(sub)) {
            let text = std::fs::read_to_string(&path).unwrap();
            let file = path.display().to_string();
            let options = ParseOptions {
                file: &file,
                lang: &lang,
                catalogue: &catalogue,
            };
            let parsed = parse_document(&text, &options);
            for d in &parsed.diagnostics {
                if d.severity == Severity::Error {
                    failures.push(d.to_string());
                }
            }
            let written = weekly_render::markdown::render(&parsed.document);
            if written != text {
                failures.push(format!("{file}: round-trip differs"));
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} files found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{checked} corpus files parsed and round-tripped");
}
