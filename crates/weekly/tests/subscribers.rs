//! `weekly subscribers` end to end on the example workspace's database: add, list, remove,
//! import (formats, bad rows, re-imports, unsubscribed addresses), export and its round trip.

mod common;

use common::{demo_copy, stderr, stdout};
use std::path::Path;

fn run(ws: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--workspace", ws.to_str().unwrap(), "subscribers"];
    all.extend_from_slice(args);
    common::weekly(&all)
}

fn listed(ws: &Path) -> Vec<serde_json::Value> {
    let o = run(ws, &["list", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn add_list_remove_and_the_import_rules() {
    let ws = demo_copy("subscribers");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let o = run(
        &ws,
        &[
            "add",
            "Li.Lei@Example.ORG",
            "--name",
            "李雷",
            "--lang",
            "zh,en",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&ws, &["add", "li.lei@example.org"]);
    assert!(stderr(&o).contains("already subscribed"), "{}", stderr(&o));
    let o = run(&ws, &["add", "x@y.org\r\nBcc: all@y.org"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&ws, &["add", "paid@y.org", "--tier", "paid"]);
    assert!(stderr(&o).contains("--paid-until"), "{}", stderr(&o));

    // A plain list with a BOM, quotes, a line break inside a field and bad rows.
    let csv = ws.join("list.csv");
    std::fs::write(
        &csv,
        "\u{feff}email,name,lang,tier,paid_until\n\
han@example.org,\"Han, \"\"Solo\"\"\",en,paid,2027-06-30\n\
broken,,,,\n\
lei@example.org,\"two\nlines\",zh,,\n\
li.lei@EXAMPLE.org,Li Lei,,,\n\
mei@example.org,韩梅梅,jp,,\n",
    )
    .unwrap();
    let o = run(&ws, &["import", csv.to_str().unwrap()]);
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("read as a plain list"), "{text}");
    assert!(
        text.contains("list.csv:3: skipped: `broken`: the address has no `@`"),
        "{text}"
    );
    assert!(
        text.contains("list.csv:4: skipped: the name has a line break"),
        "{text}"
    );
    assert!(
        text.contains("list.csv:7: skipped: language `jp`"),
        "{text}"
    );
    assert!(text.contains("1 added, 1 updated, 0 unchanged"), "{text}");
    let rows = listed(&ws);
    assert_eq!(rows.len(), 2);
    let han = rows
        .iter()
        .find(|r| r["email"] == "han@example.org")
        .unwrap();
    assert_eq!(
        (
            han["tier"].as_str(),
            han["paid_until"].as_str(),
            han["name"].as_str()
        ),
        (Some("paid"), Some("2027-06-30"), Some("Han, \"Solo\""))
    );
    let li = rows
        .iter()
        .find(|r| r["email"] == "Li.Lei@example.org")
        .unwrap();
    assert_eq!(li["name"], "Li Lei");
    assert_eq!(li["languages"], serde_json::json!(["zh", "en"]));

    // The same file again changes nothing; an unsubscribed address stays unsubscribed.
    let o = run(&ws, &["import", csv.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("0 added, 0 updated, 2 unchanged"),
        "{}",
        stderr(&o)
    );
    assert!(run(&ws, &["remove", "HAN@example.org"]).status.success());
    let o = run(&ws, &["import", csv.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("1 that left kept out"),
        "{}",
        stderr(&o)
    );
    let stats = stdout(&run(&ws, &["stats"]));
    assert!(
        stats.contains("unsubscribed") && stats.contains("confirmed"),
        "{stats}"
    );

    // Export, then import into a new workspace: the same list.
    let export = run(&ws, &["export"]);
    assert!(export.status.success());
    let exported = ws.join("export.csv");
    std::fs::write(&exported, &export.stdout).unwrap();
    let other = demo_copy("subscribers-other");
    let _ = std::fs::remove_file(other.join("weekly.db"));
    let o = run(&other, &["import", exported.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let strip = |rows: Vec<serde_json::Value>| -> Vec<(String, String, String)> {
        let mut v: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r["email"].as_str().unwrap().to_owned(),
                    r["status"].as_str().unwrap().to_owned(),
                    r["tier"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(strip(listed(&other)), strip(listed(&ws)));

    // Forgetting deletes the record.
    assert!(
        run(&ws, &["remove", "han@example.org", "--forget"])
            .status
            .success()
    );
    assert_eq!(listed(&ws).len(), 1);
}
