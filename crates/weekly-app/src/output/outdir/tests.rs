//! Tests of the output directory: incremental writes, the manifest as untrusted input, files
//! that are not ours, the atomic exchange and what a killed build leaves.

use super::*;
use weekly_site::Sink as _;

fn build_with(out: &Path, files: &[(&str, &str)], clean: bool) -> Result<Changes> {
    let mut sink = DirSink::new(out, clean, &|_| {})?;
    for (path, text) in files {
        sink.write(path, text.as_bytes().to_vec()).unwrap();
    }
    sink.finish()
}

fn build(out: &Path, files: &[(&str, &str)]) -> Changes {
    build_with(out, files, false).unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The entries beside the output other than the output and its lock.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "site" && n != ".site.lock" && n != ".site.spare")
        .collect()
}

#[test]
fn a_rebuild_writes_only_what_changed_and_removes_what_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let first = build(
        &out,
        &[
            ("index.html", "a"),
            ("zh/1/index.html", "one"),
            ("zh/2/index.html", "two"),
        ],
    );
    assert_eq!((first.written, first.unchanged, first.removed), (3, 0, 0));
    let mtime = |p: &str| std::fs::metadata(out.join(p)).unwrap().modified().unwrap();
    let before = mtime("zh/1/index.html");
    let second = build(&out, &[("index.html", "b"), ("zh/1/index.html", "one")]);
    assert_eq!(
        (second.written, second.unchanged, second.removed),
        (1, 1, 1)
    );
    assert_eq!(read(&out.join("index.html")), "b");
    assert_eq!(
        mtime("zh/1/index.html"),
        before,
        "an unchanged file is not rewritten"
    );
    assert!(!out.join("zh/2").exists(), "the emptied directory is gone");
    // A file deleted by hand is written again even though its hash is unchanged.
    std::fs::remove_file(out.join("zh/1/index.html")).unwrap();
    let third = build(&out, &[("index.html", "b"), ("zh/1/index.html", "one")]);
    assert_eq!((third.written, third.unchanged), (1, 1));
    assert!(out.join("zh/1/index.html").is_file());
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn an_abandoned_build_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, &[("index.html", "a")]);
    let mut sink = DirSink::new(&out, false, &|_| {}).unwrap();
    sink.write("index.html", b"half".to_vec()).unwrap();
    sink.abandon();
    assert_eq!(read(&out.join("index.html")), "a");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_directory_of_someone_else_is_refused_even_with_clean() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    for clean in [false, true] {
        let error = DirSink::new(dir.path(), clean, &|_| {})
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("not written by `weekly build`"), "{error}");
    }
    assert_eq!(read(&dir.path().join("notes.txt")), "mine");
}

#[test]
fn the_manifest_never_names_a_file_outside_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let victim = dir.path().join("victim.txt");
    let absolute = dir.path().join("absolute.txt");
    std::fs::write(&victim, "keep").unwrap();
    std::fs::write(&absolute, "keep").unwrap();
    build(&out, &[("index.html", "a")]);
    let mut manifest = read(&out.join(MARKER));
    for path in ["../victim.txt".to_owned(), absolute.display().to_string()] {
        writeln!(manifest, "0000000000000000 4 {path}").unwrap();
    }
    std::fs::write(out.join(MARKER), manifest).unwrap();
    build(&out, &[("index.html", "b")]);
    assert_eq!(read(&victim), "keep");
    assert_eq!(read(&absolute), "keep");
    assert_eq!(read(&out.join("index.html")), "b");
}

#[test]
fn files_not_ours_are_kept_whatever_the_manifest_says() {
    for manifest in [
        None,
        Some(""),
        Some("garbage\x00\u{fffd}"),
        Some("written by `weekly build`\nmanifest v1\nabc 1 index.html\n"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        build(&out, &[("index.html", "a"), ("zh/1/index.html", "one")]);
        std::fs::create_dir_all(out.join(".git/objects")).unwrap();
        std::fs::write(out.join(".git/config"), "[core]").unwrap();
        std::fs::write(out.join(".git/objects/ab"), "blob").unwrap();
        std::fs::write(out.join("CNAME"), "weekly.example.org").unwrap();
        std::fs::write(out.join("zh/notes.txt"), "mine").unwrap();
        std::os::unix::fs::symlink("/etc", out.join("etc-link")).unwrap();
        if let Some(text) = manifest {
            std::fs::write(out.join(MARKER), text).unwrap();
        }
        let changes = build(&out, &[("index.html", "b"), ("en/1/index.html", "en")]);
        let case = format!("{manifest:?}");
        assert_eq!(read(&out.join(".git/config")), "[core]", "{case}");
        assert_eq!(read(&out.join(".git/objects/ab")), "blob", "{case}");
        assert_eq!(read(&out.join("CNAME")), "weekly.example.org", "{case}");
        assert_eq!(read(&out.join("zh/notes.txt")), "mine", "{case}");
        assert!(out.join("etc-link").is_symlink(), "{case}");
        assert_eq!(read(&out.join("index.html")), "b", "{case}");
        assert_eq!(read(&out.join("en/1/index.html")), "en", "{case}");
        if manifest.is_none() {
            // A readable manifest: our stale page goes, the four entries not ours stay.
            assert!(!out.join("zh/1").exists());
            assert_eq!((changes.removed, changes.kept), (1, 4));
        } else {
            // Unreadable: nothing but what the new build replaces is removed.
            assert!(out.join("zh/1/index.html").is_file(), "{case}");
        }
        // The next build has a manifest again and keeps it all.
        build(&out, &[("index.html", "c")]);
        assert_eq!(read(&out.join(".git/config")), "[core]", "{case}");
        assert!(leftovers(dir.path()).is_empty(), "{case}");
    }
}

#[test]
fn clean_empties_our_directory_and_a_clash_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, &[("index.html", "a")]);
    std::fs::write(out.join("robots.txt"), "mine").unwrap();
    let error = build_with(&out, &[("index.html", "b"), ("robots.txt", "ours")], false)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("robots.txt") && error.contains("static/"),
        "{error}"
    );
    assert_eq!(read(&out.join("index.html")), "a");
    assert_eq!(read(&out.join("robots.txt")), "mine");
    assert!(leftovers(dir.path()).is_empty());
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    build_with(&out, &[("index.html", "b"), ("robots.txt", "ours")], true).unwrap();
    assert_eq!(read(&out.join("robots.txt")), "ours");
    assert!(!out.join("notes.txt").exists());
    // What `--clean` removed does not come back with the next build.
    build(&out, &[("index.html", "c"), ("robots.txt", "ours")]);
    assert!(!out.join("notes.txt").exists());
    assert!(!dir.path().join(".site.spare/notes.txt").exists());
}

#[test]
fn an_empty_output_folder_keeps_its_identity() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("here");
    std::fs::create_dir(&out).unwrap();
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let before = inode(&out);
    // `--out .`-like: the path of the folder through `.`.
    build(
        &out.join("."),
        &[("index.html", "a"), ("zh/1/index.html", "one")],
    );
    assert_eq!(inode(&out), before);
    assert_eq!(read(&out.join("zh/1/index.html")), "one");
    build(&out.join("."), &[("index.html", "b")]);
    assert_eq!(read(&out.join("index.html")), "b");
}

/// A reader holding the output directory open sees one build's files, never two builds' mixed:
/// every build writes 300 pages carrying its number, the reader reads the first and the last.
/// The directory a reader holds stays as it is until the build after the next one starts (that
/// build reuses it as the spare site), so only reads during which no build started are judged;
/// a build exchanging the site in the middle of a read is exactly the case tested.
#[test]
fn a_reader_never_sees_a_mixed_site() {
    use std::os::fd::AsRawFd as _;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let pages = |n: usize| -> Vec<(String, String)> {
        (0..300)
            .map(|i| (format!("zh/{i}/index.html"), format!("build {n}")))
            .collect()
    };
    let write = |n: usize| {
        let mut sink = DirSink::new(&out, false, &|_| {}).unwrap();
        for (path, text) in pages(n) {
            sink.write(&path, text.into_bytes()).unwrap();
        }
        sink.finish().unwrap();
    };
    write(0);
    let stop = Arc::new(AtomicBool::new(false));
    let started = Arc::new(AtomicUsize::new(0));
    let reader = std::thread::spawn({
        let (out, stop, started) = (out.clone(), stop.clone(), started.clone());
        move || {
            let mut mixed = Vec::new();
            let mut reads = 0;
            while !stop.load(Ordering::Relaxed) {
                let before = started.load(Ordering::SeqCst);
                let Ok(handle) = std::fs::File::open(&out) else {
                    continue;
                };
                let at = format!("/proc/self/fd/{}", handle.as_raw_fd());
                let first = std::fs::read_to_string(format!("{at}/zh/0/index.html"));
                let last = std::fs::read_to_string(format!("{at}/zh/299/index.html"));
                if started.load(Ordering::SeqCst) != before {
                    continue;
                }
                if let (Ok(first), Ok(last)) = (first, last) {
                    reads += 1;
                    if first != last {
                        mixed.push((first, last));
                    }
                }
            }
            (reads, mixed)
        }
    });
    for n in 1..=20 {
        started.fetch_add(1, Ordering::SeqCst);
        write(n);
    }
    stop.store(true, Ordering::Relaxed);
    let (reads, mixed) = reader.join().unwrap();
    assert!(reads > 0);
    assert!(
        mixed.is_empty(),
        "{} of {reads} reads mixed: {:?}",
        mixed.len(),
        &mixed[..1]
    );
}

#[test]
fn what_a_killed_build_left_is_put_right_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, &[("index.html", "a")]);
    // Killed after carrying `CNAME` and `.git/` into its staging directory, before the exchange.
    let killed = dir.path().join(".site.building-99999999");
    std::fs::create_dir_all(killed.join(".git")).unwrap();
    std::fs::write(killed.join(".git/HEAD"), "ref").unwrap();
    std::fs::write(killed.join("CNAME"), "x.org").unwrap();
    std::fs::write(killed.join("index.html"), "half").unwrap();
    std::fs::write(killed.join(CARRIED), "CNAME\n.git").unwrap();
    // Killed after the exchange, before removing the old site.
    let exchanged = dir.path().join(".site.building-99999998");
    std::fs::create_dir_all(exchanged.join("zh")).unwrap();
    std::fs::write(exchanged.join("zh/old.html"), "old").unwrap();
    let other = dir.path().join(".notes.building-1");
    std::fs::create_dir_all(&other).unwrap();
    build(&out, &[("index.html", "b")]);
    assert_eq!(read(&out.join("CNAME")), "x.org");
    assert_eq!(read(&out.join(".git/HEAD")), "ref");
    assert_eq!(read(&out.join("index.html")), "b");
    assert!(!killed.exists() && !exchanged.exists(), "cleaned at once");
    assert!(other.exists(), "another site's directory is left alone");
}

#[test]
fn builds_of_one_directory_take_turns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let first = DirSink::new(&out, false, &|_| {}).unwrap();
    let second = std::thread::spawn({
        let out = out.clone();
        move || build(&out, &[("index.html", "second")])
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        !second.is_finished(),
        "the second build waits for the first"
    );
    let mut first = first;
    first.write("index.html", b"first".to_vec()).unwrap();
    first.finish().unwrap();
    second.join().unwrap();
    assert_eq!(read(&out.join("index.html")), "second");
}

/// Every file under `dir` (links not followed) with its text, `.weekly-site` left out.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
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
                if relative != MARKER {
                    files.insert(relative, read(&path));
                }
            }
        }
    }
    files
}

/// Builds from the spare site of the one before: after each of many builds (paths that come,
/// go, change, and turn from a file into a folder and back) the output holds exactly that
/// build's files, and the output of the build before was never written through a shared link.
#[test]
fn rebuilds_from_the_spare_site_give_exactly_each_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let pool = [
        "index.html",
        "a",
        "a/b",
        "a/c/d.html",
        "e/f.html",
        "e",
        "g/h/i/j.txt",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut before = std::collections::BTreeMap::new();
    for n in 0..40 {
        // A random set of paths, none both a file and the folder of another.
        let mut files: Vec<(String, String)> = Vec::new();
        for path in pool {
            let clash = files.iter().any(|(p, _)| {
                p.starts_with(&format!("{path}/")) || path.starts_with(&format!("{p}/"))
            });
            if !clash && next() % 3 != 0 {
                files.push((path.to_owned(), format!("{path} v{}", next() % 3)));
            }
        }
        let as_refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let snapshot = before.clone();
        let spare = dir.path().join(".site.spare");
        build(&out, &as_refs);
        let expected: std::collections::BTreeMap<String, String> = files.into_iter().collect();
        assert_eq!(tree(&out), expected, "build {n}");
        // The spare site is the output before this build: nothing was written through it.
        if n > 0 {
            assert_eq!(tree(&spare), snapshot, "build {n}: the previous output");
        }
        before = expected;
    }
}
