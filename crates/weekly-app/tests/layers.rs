//! The groups of `weekly-app` depend on each other in one direction only: `workspace` uses no
//! other group, `editorial` and `delivery` use `workspace` only, and `output` uses `workspace`
//! and `delivery`. Every `crate::NAME` of a group's files (test modules left out) is read and
//! its group looked up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const GROUPS: [&str; 4] = ["workspace", "editorial", "delivery", "output"];

/// The groups each group may use.
fn allowed(group: &str) -> &'static [&'static str] {
    match group {
        "workspace" => &[],
        "editorial" | "delivery" => &["workspace"],
        "output" => &["workspace", "delivery"],
        _ => unreachable!(),
    }
}

/// Module name → its group, for every module directly in a group's folder.
fn members(src: &Path) -> BTreeMap<String, &'static str> {
    let mut out = BTreeMap::new();
    for group in GROUPS {
        out.insert(group.to_owned(), group);
        for entry in std::fs::read_dir(src.join(group)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let module = name.strip_suffix(".rs").unwrap_or(&name).to_owned();
            if module != "mod" {
                out.insert(module, group);
            }
        }
    }
    out
}

/// The names a source text uses through `crate::`: `crate::a::…` and `use crate::{a, b}`.
fn used(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(list) = rest.strip_prefix('{') {
            let list = &list[..list.find('}').unwrap_or(list.len())];
            for part in list.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

#[test]
fn no_group_uses_a_group_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let members = members(&src);
    assert!(members.len() > 40, "found {members:?}");
    let mut wrong = Vec::new();
    for group in GROUPS {
        let paths = walkdir::WalkDir::new(src.join(group))
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
            .map(walkdir::DirEntry::into_path);
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text.split("#[cfg(test)]").next().unwrap_or("");
            for name in used(text) {
                let Some(&target) = members.get(&name) else {
                    continue;
                };
                if target != group && !allowed(group).contains(&target) {
                    wrong.push(format!(
                        "{} uses `{name}` of `{target}`",
                        path.strip_prefix(&src).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "a group uses one above it: {wrong:#?}");
}

#[test]
fn the_scan_sees_a_crossing() {
    // What the test reads: a delivery file naming an output module would be caught.
    let names = used("use crate::{archive, building::Blocked};\nlet x = crate::season::of(1);");
    assert!(names.contains("building") && names.contains("season") && names.contains("archive"));
}
