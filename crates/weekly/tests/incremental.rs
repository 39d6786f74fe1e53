//! Incremental builds: after random sequences of edits (entry titles and texts, new and removed
//! issues, templates, settings, static files, translations), the site `weekly build` updates in
//! place equals, byte for byte, a clean build of the same workspace into an empty directory;
//! and a build with nothing changed does nothing.

use crate::common;

use common::{demo_copy, read, repo_root, stderr, weekly_at};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A small xorshift generator: the sequence is fixed by the printed seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Every file under `dir` (hidden ones too) with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn issue_dirs(ws: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(ws.join("issues"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    dirs
}

/// Replaces the first `from` in `path` (which must hold it).
fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "`{from}` not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// One random edit of the workspace, described.
fn random_edit(ws: &Path, rng: &mut Rng, step: usize) -> String {
    let dirs = issue_dirs(ws);
    let dir = &dirs[rng.below(dirs.len())];
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    match rng.below(8) {
        0 => {
            edit(&dir.join("zh.md"), "1、[", &format!("1、[改{step} "));
            format!("retitled the first entry of {name}/zh.md")
        }
        1 => {
            let file = dir.join("zh.md");
            let text = read(&file);
            let at = text.rfind("\n\n").unwrap();
            let mut text = text;
            text.insert_str(at, &format!("\n\n补充说明 {step}，多一句话。"));
            std::fs::write(&file, text).unwrap();
            format!("added a paragraph to {name}/zh.md")
        }
        2 => {
            let last = dirs.last().unwrap();
            let toml = read(&last.join("issue.toml"));
            let number: u32 = toml
                .lines()
                .find_map(|l| l.strip_prefix("number = "))
                .unwrap()
                .parse()
                .unwrap();
            let new = ws.join(format!("issues/{:04}", number + 1));
            std::fs::create_dir(&new).unwrap();
            std::fs::write(
                new.join("issue.toml"),
                format!(
                    "number = {}\ndate = \"2027-01-{:02}\"\n",
                    number + 1,
                    1 + step % 28
                ),
            )
            .unwrap();
            let zh = read(&last.join("zh.md"))
                .replace(&format!("#{number}："), &format!("#{}：", number + 1));
            std::fs::write(new.join("zh.md"), zh).unwrap();
            format!("added issue {}", number + 1)
        }
        3 if dirs.len() > 3 => {
            let last = dirs.last().unwrap();
            std::fs::remove_dir_all(last).unwrap();
            format!("removed {}", last.file_name().unwrap().to_string_lossy())
        }
        4 => {
            let custom = ws.join("templates/issue.html");
            if custom.exists() {
                std::fs::remove_file(&custom).unwrap();
                "removed templates/issue.html".to_owned()
            } else {
                let built_in =
                    read(&repo_root().join("crates/weekly-site/assets/templates/issue.html"));
                std::fs::create_dir_all(custom.parent().unwrap()).unwrap();
                std::fs::write(&custom, format!("{built_in}\n<!-- edit {step} -->\n")).unwrap();
                "added templates/issue.html".to_owned()
            }
        }
        5 => {
            let config = ws.join("weekly.toml");
            let text = read(&config);
            let free = if text.contains("free_after = 50") {
                "free_after = 3"
            } else {
                "free_after = 50"
            };
            let text = text.replace("free_after = 50", free).replacen(
                "free_after = 3\n",
                &format!("{free}\n"),
                1,
            );
            std::fs::write(&config, text).unwrap();
            format!("set {free}")
        }
        6 => {
            let robots = ws.join("static/robots.txt");
            if robots.exists() {
                std::fs::remove_file(&robots).unwrap();
                "removed static/robots.txt".to_owned()
            } else {
                std::fs::create_dir_all(robots.parent().unwrap()).unwrap();
                std::fs::write(&robots, "User-agent: *\n").unwrap();
                "added static/robots.txt".to_owned()
            }
        }
        _ => {
            let en = dir.join("en.md");
            if en.exists() {
                edit(&en, "1、[", &format!("1、[Edit {step} "));
                format!("retitled the first entry of {name}/en.md")
            } else {
                edit(&dir.join("zh.md"), "你好", &format!("你好（{step}）"));
                format!("edited the intro of {name}/zh.md")
            }
        }
    }
}

/// Builds `ws` into its `site/` (incrementally) and a clean copy into `fresh`; both must be
/// the same. Returns the summary line of the incremental build.
fn build_and_compare(ws: &Path, fresh: &Path, what: &str) -> String {
    let o = weekly_at(ws, &["build"]);
    assert!(o.status.success(), "after {what}: {}", stderr(&o));
    let said = stderr(&o);
    let _ = std::fs::remove_dir_all(fresh);
    let clean = weekly_at(ws, &["build", "--out", fresh.to_str().unwrap()]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    let (ours, theirs) = (tree(&ws.join("site")), tree(fresh));
    let differ: Vec<&String> = ours
        .keys()
        .chain(theirs.keys())
        .filter(|p| ours.get(*p) != theirs.get(*p))
        .collect();
    assert!(
        differ.is_empty(),
        "after {what}, the incremental site differs from a clean build in {} files: {:?}",
        differ.len(),
        &differ[..differ.len().min(10)]
    );
    said
}

#[test]
fn incremental_builds_equal_clean_builds_after_random_edits() {
    let seed = std::env::var("WEEKLY_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("seed {seed} (WEEKLY_TEST_SEED={seed} repeats this sequence)");
    let mut rng = Rng(seed);
    let ws = demo_copy("incremental");
    let fresh = Path::new(env!("CARGO_TARGET_TMPDIR")).join("incremental-fresh");
    build_and_compare(&ws, &fresh, "the first build");
    let (mut kept_some, mut idle) = (false, 0);
    for step in 0..12 {
        let mut done = Vec::new();
        // One to three edits between builds.
        for _ in 0..=rng.below(3) {
            done.push(random_edit(&ws, &mut rng, step));
        }
        let what = done.join(", ");
        let said = build_and_compare(&ws, &fresh, &what);
        assert!(
            !said.contains("nothing to do"),
            "after {what} the build found nothing changed: {said}"
        );
        kept_some |= !said.contains("(0 pages kept");
        if step % 4 == 3 {
            // Once the edits are over a second old, the build records them, and the next one
            // has nothing to do (and the site is still the clean build's).
            std::thread::sleep(std::time::Duration::from_millis(1100));
            build_and_compare(&ws, &fresh, "a build after a pause");
            let said = build_and_compare(&ws, &fresh, "nothing");
            assert!(said.contains("nothing to do"), "{said}");
            idle += 1;
        }
    }
    assert!(kept_some, "no build kept a page: the keys never matched");
    assert_eq!(idle, 3);
}
