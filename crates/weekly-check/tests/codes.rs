//! `weekly_check::RULES` names every code the program reports, so that `[check]` in
//! `weekly.toml` can turn any of them off or down, and a misspelt code is refused.

use std::collections::BTreeSet;
use std::path::Path;

/// The codes of every `Diagnostic::error(` and `Diagnostic::warning(` in the sources of the
/// workspace's crates.
fn reported_codes() -> BTreeSet<String> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![crates];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !matches!(name.as_str(), "tests" | "target" | "benches" | "fuzz") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut codes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Test modules make diagnostics of their own.
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        for call in ["Diagnostic::error(", "Diagnostic::warning("] {
            for (at, _) in text.match_indices(call) {
                let rest = text[at + call.len()..].trim_start();
                if let Some(literal) = rest.strip_prefix('"') {
                    let code = &literal[..literal.find('"').unwrap()];
                    codes.insert(code.to_owned());
                }
            }
        }
    }
    codes
}

#[test]
fn every_reported_code_is_a_rule() {
    let known: BTreeSet<String> = weekly_check::RULES
        .iter()
        .map(|(code, _)| (*code).to_owned())
        .collect();
    let reported = reported_codes();
    assert!(reported.len() > 20, "the scan found {reported:?}");
    let missing: Vec<&String> = reported.difference(&known).collect();
    assert!(
        missing.is_empty(),
        "add these codes to weekly_check::RULES: {missing:?}"
    );
    let stale: Vec<&String> = known.difference(&reported).collect();
    assert!(
        stale.is_empty(),
        "no source reports these codes of weekly_check::RULES any more: {stale:?}"
    );
}
