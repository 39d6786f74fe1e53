//! `weekly serve` end to end: rebuilds after a change, live reload (a long poll, and in a real
//! Chromium), static files, and the error of a failed rebuild shown over the last good pages.

use crate::common;

use common::{browser_available, demo_copy, node, read};
use std::path::Path;
use std::process::Command;

/// A secret in the environment of every `weekly serve` of these tests.
const PLANTED: &str = "sk-serve-planted-1234";

/// A running `weekly serve --full` of `ws`: the child (killed on drop), its address and its
/// stderr lines.
struct Served {
    child: std::process::Child,
    address: String,
    /// Its stderr lines, read on a thread (so that a wait can time out).
    lines: std::sync::mpsc::Receiver<String>,
}

/// How long a test waits for a line of `weekly serve` before it fails.
const PATIENCE: std::time::Duration = std::time::Duration::from_mins(2);

impl Served {
    fn start(ws: &Path) -> Self {
        Self::start_with(ws, &[])
    }

    fn start_with(ws: &Path, more: &[&str]) -> Self {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_weekly"))
            .args([
                "serve",
                "--workspace",
                ws.to_str().unwrap(),
                "--port",
                "0",
                "--full",
                "--poll-ms",
                "50",
            ])
            .args(more)
            .env("WEEKLY_LLM_API_KEY", PLANTED)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let line = wait_line(&lines, "serving http://");
        let address = line["serving http://".len()..]
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        Self {
            child,
            address,
            lines,
        }
    }
}

/// The next line of `lines` that starts with `start` (the test fails after [`PATIENCE`]).
fn wait_line(lines: &std::sync::mpsc::Receiver<String>, start: &str) -> String {
    let until = std::time::Instant::now() + PATIENCE;
    loop {
        let left = until.saturating_duration_since(std::time::Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.starts_with(start) => return line,
            Ok(_) => {}
            Err(e) => panic!("`weekly serve` printed no line starting with `{start}`: {e}"),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Served {
    /// Waits until serve prints a line starting with `start`, and gives it.
    fn wait_for(&self, start: &str) -> String {
        wait_line(&self.lines, start)
    }
}

/// `weekly serve` keeps the pages of its last build whose keys did not change: after edits
/// that change one page, its neighbours' and the lists, every file it serves is the file a
/// fresh `weekly build` makes of the same workspace.
#[test]
fn serve_after_edits_serves_what_a_fresh_build_makes() {
    let ws = demo_copy("serve-equal");
    // Cards are drawn by `weekly build` only.
    let config = ws.join("weekly.toml");
    std::fs::write(
        &config,
        read(&config).replace("[site]\n", "[site]\nog_images = false\n"),
    )
    .unwrap();
    let served = Served::start_with(&ws, &["--no-live-reload", "--no-copy-buttons"]);
    let edits: [(&str, &str, &str); 3] = [
        (
            "issues/0005/zh.md",
            "浏览器内外的 WebAssembly",
            "改过的标题",
        ),
        ("issues/0004/zh.md", "\n1、", "\n1、新的开头 "),
        ("issues/0005/zh.md", "改过的标题", "又改了一次"),
    ];
    for (file, from, to) in edits {
        let path = ws.join(file);
        let text = read(&path);
        assert!(text.contains(from), "{file} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        served.wait_for("rebuilt in ");
    }
    let out = ws.join("fresh-site");
    let built = Command::new(env!("CARGO_BIN_EXE_weekly"))
        .args(["build", "--full", "--workspace", ws.to_str().unwrap()])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
    let mut stack = vec![out.clone()];
    let mut compared = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path
                .strip_prefix(&out)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if relative.starts_with('.') {
                continue;
            }
            let answer = get_with_host(&served.address, &format!("/{relative}"), "127.0.0.1");
            let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
            assert!(
                body == read(&path),
                "`{relative}` served differs from a fresh build"
            );
            compared += 1;
        }
    }
    assert!(compared > 40, "only {compared} files compared");
    assert!(read(&out.join("zh/5/index.html")).contains("又改了一次"));
}

#[test]
fn serve_rebuilds_after_a_change() {
    let ws = demo_copy("serve");
    std::fs::create_dir_all(ws.join("static/images")).unwrap();
    std::fs::write(ws.join("static/images/logo.png"), "PNG!").unwrap();
    let served = Served::start(&ws);
    let address = served.address.clone();
    let get = move |path: &str| -> String { get_with_host(&address, path, "127.0.0.1") };
    let page = get("/zh/5/");
    assert!(page.contains("浏览器内外的 WebAssembly"));
    // Served pages carry the live-reload script with their build's number, before `</body>`.
    assert!(
        page.contains("<script src=\"/__weekly/live.js\" data-build=\"1\"></script></body>"),
        "{page}"
    );
    assert!(get("/__weekly/live.js").contains("location.reload()"));
    assert!(get("/nope/").starts_with("HTTP/1.1 404"));
    let english = get("/en/nope/");
    assert!(
        english.starts_with("HTTP/1.1 404") && english.contains("<html lang=\"en\">"),
        "{english}"
    );
    let logo = get("/images/logo.png");
    assert!(
        logo.contains("content-type: image/png") && logo.ends_with("PNG!"),
        "{logo}"
    );
    // A browser waits for a build newer than its page's; the edit below makes build 2.
    let waiting = std::thread::spawn({
        let get = get.clone();
        move || get("/__weekly/reload?after=1")
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        !waiting.is_finished(),
        "the long poll answered before a rebuild"
    );
    let path = ws.join("issues/0005/zh.md");
    std::fs::write(
        &path,
        read(&path).replace("浏览器内外的 WebAssembly", "改过的标题"),
    )
    .unwrap();
    let rebuilt = served.wait_for("rebuilt in ");
    let answer = waiting.join().unwrap();
    assert!(answer.ends_with("\r\n\r\n2"), "{answer}");
    let page = get("/zh/5/");
    assert!(page.contains("改过的标题"), "{rebuilt}");
    assert!(page.contains("data-build=\"2\""));
    // A failed rebuild keeps the last good pages and shows its error over them; the next good
    // one takes the error away.
    let template = ws.join("templates/issue.html");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    std::fs::write(
        &template,
        "{% extends \"base.html\" %}\n{% block content %}{% if %}{% endblock %}\n",
    )
    .unwrap();
    let failed = served.wait_for("rebuild failed");
    let page = get("/zh/5/");
    assert!(page.contains("role=\"alert\""), "{failed}");
    assert!(page.contains("issue.html:2"), "{page}");
    assert!(page.contains("改过的标题") && page.contains("data-build=\"3\""));
    std::fs::remove_file(&template).unwrap();
    served.wait_for("rebuilt in ");
    let page = get("/zh/5/");
    assert!(!page.contains("role=\"alert\"") && page.contains("data-build=\"4\""));
}

#[test]
fn browser_page_reloads_by_itself_when_serve_rebuilds() {
    if !browser_available() {
        return;
    }
    let ws = demo_copy("live");
    let served = Served::start(&ws);
    let text = node(
        "live.mjs",
        &[
            format!("http://{}", served.address).as_ref(),
            "/zh/5/".as_ref(),
            ws.join("issues/0005/zh.md").as_os_str(),
            "浏览器内外的 WebAssembly".as_ref(),
            "实时重载之后的标题".as_ref(),
        ],
    );
    assert!(text.contains("reloaded by itself"), "{text}");
}

/// `GET path` from the server at `address` with `host` in the `Host` header.
fn get_with_host(address: &str, path: &str, host: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    text
}

#[test]
fn serve_answers_only_local_names_and_serves_no_link_out_of_the_workspace() {
    let ws = demo_copy("serve-safety");
    std::fs::create_dir_all(ws.join("static")).unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", ws.join("static/env.txt")).unwrap();
    let served = Served::start(&ws);
    let at = served.address.as_str();
    let port = at.rsplit(':').next().unwrap();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "LOCALHOST".to_owned(),
        format!("[::1]:{port}"),
    ] {
        let page = get_with_host(at, "/zh/5/", &host);
        assert!(page.starts_with("HTTP/1.1 200"), "{host}: {page}");
    }
    for host in [
        "attacker.example",
        "attacker.example:80",
        "127.0.0.1.attacker.example",
        "",
    ] {
        let page = get_with_host(at, "/zh/5/", host);
        assert!(page.starts_with("HTTP/1.1 421"), "{host}: {page}");
        assert!(!page.contains("WebAssembly"));
    }
    let env = get_with_host(at, "/env.txt", "127.0.0.1");
    assert!(env.starts_with("HTTP/1.1 404"), "{env}");
    assert!(!env.contains(PLANTED));
}

#[test]
fn serve_shows_the_errors_a_build_would_stop_on() {
    let ws = demo_copy("serve-blocking");
    std::fs::write(
        ws.join("issues/0007/issue.toml"),
        "number = 4000000000\ndate = \"2026-10-17\"\n",
    )
    .unwrap();
    let served = Served::start(&ws);
    let page = get_with_host(&served.address, "/zh/5/", "127.0.0.1");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        page.contains("role=\"alert\"")
            && page.contains("would stop on 1 error")
            && page.contains("issues/0007/issue.toml"),
        "{page}"
    );
}

/// A panic inside a rebuild is reported like a failed rebuild (the last good pages stay, with
/// the error over them), and the next edit is rebuilt: the watcher does not die with it.
#[test]
fn a_panic_in_a_rebuild_is_reported_and_rebuilding_goes_on() {
    let ws = demo_copy("serve-panic");
    let served = Served::start(&ws);
    let address = served.address.clone();
    let get = move |path: &str| -> String { get_with_host(&address, path, "127.0.0.1") };
    // The debug build's hook: a rebuild panics while this file is in the workspace.
    let hook = ws.join("weekly-test-panic-on-rebuild");
    std::fs::write(&hook, "").unwrap();
    let path = ws.join("issues/0005/zh.md");
    std::fs::write(
        &path,
        read(&path).replace("浏览器内外的 WebAssembly", "第一次改"),
    )
    .unwrap();
    let failed = served.wait_for("rebuild failed");
    assert!(failed.contains("internal error"), "{failed}");
    let page = get("/zh/5/");
    assert!(page.contains("role=\"alert\""), "{page}");
    std::fs::remove_file(&hook).unwrap();
    std::fs::write(&path, read(&path).replace("第一次改", "第二次改")).unwrap();
    served.wait_for("rebuilt in ");
    let page = get("/zh/5/");
    assert!(
        page.contains("第二次改") && !page.contains("role=\"alert\""),
        "{page}"
    );
}

/// A port another program holds is said at once, before anything is built.
#[test]
fn serve_on_a_busy_port_says_so_before_building() {
    let ws = demo_copy("serve-busy");
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    let out = common::weekly_at(&ws, &["serve", "--port", &port]);
    assert!(!out.status.success());
    let said = common::stderr(&out);
    assert!(
        said.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{said}"
    );
    assert!(
        !said.contains("built ") && said.contains("nothing was built"),
        "{said}"
    );
}

/// Each issue page served has buttons that copy its paste-ready edition (the one `weekly render
/// N --edition paste --for T` prints) to the clipboard as HTML; other pages have none.
#[test]
fn an_issue_page_copies_its_paste_ready_edition() {
    if !browser_available() {
        return;
    }
    let ws = demo_copy("copy-button");
    let served = Served::start(&ws);
    let text = node(
        "copy_button.mjs",
        &[
            format!("http://{}", served.address).as_ref(),
            "/en/7/".as_ref(),
            "/en/archive/".as_ref(),
            "substack".as_ref(),
        ],
    );
    let line = text
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_default();
    let copied: serde_json::Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {text}"));
    // `serve --full`: the subscribers' text.
    let expected = crate::common::weekly_at(
        &ws,
        &[
            "render",
            "7",
            "--edition",
            "paste",
            "--for",
            "substack",
            "--lang",
            "en",
            "--tier",
            "paid",
        ],
    );
    let expected = String::from_utf8(expected.stdout).unwrap();
    let html = copied["html"]
        .as_str()
        .expect("no text/html on the clipboard");
    // Chromium puts a charset declaration before what was written.
    let html = html.trim_start_matches("<meta charset='utf-8'>");
    assert_eq!(html.trim(), expected.trim());
    assert!(
        expected.starts_with("<h1>Rust Star Weekly #7"),
        "{expected}"
    );
    assert!(
        copied["text"]
            .as_str()
            .unwrap()
            .contains("Rust Star Weekly #7")
    );
    assert_eq!(copied["other_has_buttons"], false);
}
