//! `weekly db` end to end: the imported corpus workspace, given data by the real commands,
//! copied from SQLite into PostgreSQL and back, with equal counts and checksums, and the
//! commands working the same on PostgreSQL.

use crate::common;

use common::{corpus, stderr, stdout};
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};
use weekly_fake_llm::{FakeLlm, Options};

fn weekly_in(root: &Path, database: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_weekly"));
    command
        .arg("--workspace")
        .arg(root)
        .args(args)
        .env_remove("WEEKLY_WORKSPACE")
        .env_remove("WEEKLY_LLM_API_KEY")
        .env_remove("WEEKLY_LLM_MODEL")
        .stdin(std::process::Stdio::null());
    match database {
        Some(url) => command.env("WEEKLY_DATABASE_URL", url),
        None => command.env_remove("WEEKLY_DATABASE_URL"),
    };
    command.output().unwrap()
}

/// The table lines of `weekly db copy` (name, rows, checksum).
fn copied(out: &Output) -> Vec<String> {
    stdout(out)
        .lines()
        .filter(|l| l.contains("checksum"))
        .map(|l| l.split_whitespace().take(5).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn the_corpus_workspace_goes_to_postgres_and_back_unchanged() {
    let Some(src) = corpus() else { return };
    let Some(pg) = common::postgres_database() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("pw");
    let out = common::weekly(&[
        "import",
        "python-weekly",
        src.to_str().unwrap(),
        "--into",
        ws.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Data from the real commands: an English edition translated (translation memory, unit
    // records), subscribers imported, a mail in the outbox.
    std::fs::remove_file(ws.join("issues/0109/en.md")).unwrap();
    let llm = FakeLlm::start(Options::default()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_weekly"))
        .arg("--workspace")
        .arg(&ws)
        .args(["translate", "109", "--to", "en"])
        .env_remove("WEEKLY_DATABASE_URL")
        .env("WEEKLY_LLM_BASE_URL", llm.base_url())
        .env("WEEKLY_LLM_MODEL", "fake-1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut csv = String::from("email,name,lang,tier\n");
    for i in 0..500 {
        writeln!(csv, "reader{i}@example.org,\"读者, {i}\",zh,free").unwrap();
    }
    csv.push_str("o'brien@example.org,\"O'Brien; DROP TABLE subscriber\",en,free\n");
    std::fs::write(tmp.path().join("list.csv"), csv).unwrap();
    let out = weekly_in(
        &ws,
        None,
        &[
            "subscribers",
            "import",
            tmp.path().join("list.csv").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = weekly_in(&ws, None, &["mail", "test", "--to", "editor@example.org"]);
    // No mail server is configured: the mail waits in the outbox.
    assert!(!out.status.success());

    let there = weekly_in(&ws, None, &["db", "copy", "--to", &pg]);
    assert!(there.status.success(), "{}", stderr(&there));
    let lines = copied(&there);
    assert_eq!(lines.len(), 19, "{}", stdout(&there));
    for table in [
        "translation_memory",
        "translated_unit",
        "subscriber",
        "outbox",
    ] {
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("{table} ")))
            .unwrap();
        assert!(!line.contains(" 0 rows"), "{table} is empty: {line}");
    }

    // Back into a new SQLite file: the same rows and checksums.
    let back = weekly_in(&ws, Some(&pg), &["db", "copy", "--to", "sqlite:back.db"]);
    assert!(back.status.success(), "{}", stderr(&back));
    assert_eq!(copied(&back), lines);

    // The commands read the same subscribers on both engines.
    let list = |db: Option<&str>| {
        let out = weekly_in(&ws, db, &["subscribers", "list", "--format", "json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let back_list = list(Some("sqlite:back.db"));
    assert!(back_list.contains("O'Brien; DROP TABLE subscriber"));
    assert_eq!(back_list.matches("\"email\"").count(), 501, "{back_list}");
    // PostgreSQL, copied from in turn, is sealed now too.
    let sealed = weekly_in(&ws, Some(&pg), &["subscribers", "list"]);
    assert!(
        stderr(&sealed).contains("was moved to sqlite:back.db"),
        "{}",
        stderr(&sealed)
    );

    // The old SQLite file was sealed by the copy: a command on it is refused, naming where
    // the data went (a process still holding it open fails its writes: see server_ops).
    let old = weekly_in(&ws, None, &["subscribers", "list"]);
    assert!(!old.status.success());
    assert!(
        stderr(&old).contains("was moved to postgres://") && !stderr(&old).contains("secret"),
        "{}",
        stderr(&old)
    );
    // `db status` still opens it and says so.
    let status = weekly_in(&ws, None, &["db", "status"]);
    assert!(
        stdout(&status).contains("moved to postgres://")
            && stdout(&status).contains("takes no more writes"),
        "{}",
        stdout(&status)
    );
    // A second copy into a database that holds data is refused and changes nothing (into
    // the sealed PostgreSQL: refused as moved; into a new copy: as holding data).
    let again = weekly_in(&ws, Some("sqlite:back.db"), &["db", "copy", "--to", &pg]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("was moved to"),
        "{}",
        stderr(&again)
    );
    let third = weekly_in(
        &ws,
        Some("sqlite:back.db"),
        &["db", "copy", "--to", "sqlite:third.db"],
    );
    assert!(third.status.success(), "{}", stderr(&third));
    let full = weekly_in(
        &ws,
        Some("sqlite:third.db"),
        &["db", "copy", "--to", "sqlite:back.db"],
    );
    assert!(!full.status.success());
    assert!(
        stderr(&full).contains("was moved to sqlite:third.db"),
        "{}",
        stderr(&full)
    );
    // Refused before anything was copied: the source still takes writes.
    assert!(
        weekly_in(&ws, Some("sqlite:third.db"), &["subscribers", "list"])
            .status
            .success()
    );
    let status = weekly_in(&ws, Some(&pg), &["db", "status"]);
    assert!(status.status.success(), "{}", stderr(&status));
    // Every migration (0008 and any later one) applied.
    let applied: usize = stdout(&status)
        .split_once(" applied, 0 pending")
        .and_then(|(before, _)| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", stdout(&status)));
    assert!(applied >= 8, "{}", stdout(&status));
    assert!(
        stdout(&status).contains("subscriber                 501 rows"),
        "{}",
        stdout(&status)
    );
}

#[test]
fn db_status_and_migrate_tell_where_the_database_stands() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("demo");
    common::copy_dir(&common::repo_root().join("examples/demo-weekly"), &ws);
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let status = weekly_in(&ws, None, &["db", "status"]);
    assert!(status.status.success(), "{}", stderr(&status));
    // Every migration this program has, 0008 (subscriber ids never reused, link keys, outbox
    // claims) among them; later ones only add to the count.
    let text = stdout(&status);
    let pending: usize = text
        .split_once(" pending")
        .and_then(|(before, _)| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        pending >= 8 && text.contains(&format!("0 applied, {pending} pending")),
        "{text}"
    );
    let migrate = weekly_in(&ws, None, &["db", "migrate"]);
    let versions: Vec<String> = (1..=pending).map(|v| v.to_string()).collect();
    assert!(
        stdout(&migrate).contains(&format!(
            "applied {pending} migrations ({})",
            versions.join(", ")
        )),
        "{}",
        stdout(&migrate)
    );
    let again = weekly_in(&ws, None, &["db", "migrate"]);
    assert!(stdout(&again).contains("up to date"), "{}", stdout(&again));

    // A URL naming no engine is an error naming the variable; a password never shows.
    let bad = weekly_in(&ws, Some("mysql://root:hunter2@db/x"), &["db", "status"]);
    assert!(!bad.status.success());
    let text = stderr(&bad);
    assert!(text.contains("WEEKLY_DATABASE_URL"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    // An unreachable server: a clear error, no password.
    let port = common::free_port();
    let down = weekly_in(
        &ws,
        Some(&format!(
            "postgres://weekly:hunter2@127.0.0.1:{port}/weekly"
        )),
        &["subscribers", "list"],
    );
    assert!(!down.status.success());
    let text = stderr(&down);
    assert!(text.contains("cannot open the database"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");

    // In weekly.toml, a bad URL is reported at its line.
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    std::fs::write(
        ws.join("weekly.toml"),
        format!("{config}\n[database]\nurl = \"mongodb://x\"\n"),
    )
    .unwrap();
    let out = weekly_in(&ws, None, &["db", "status"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("weekly.toml:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("database.url"), "{}", stderr(&out));
}
