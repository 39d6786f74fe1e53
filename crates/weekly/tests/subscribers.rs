//! `weekly subscribers` end to end on the example workspace's database: add, list, remove,
//! import (formats, bad rows, re-imports, unsubscribed addresses), export and its round trip.

use crate::common;

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

#[test]
fn a_file_that_is_not_utf8_is_refused_whole_and_formulas_never_leave_in_an_export() {
    let ws = demo_copy("subscribers-trust");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    // GBK bytes on line 3: nothing is imported, and the error names the line.
    let csv = ws.join("gbk.csv");
    let mut bytes = b"email,name\nok@example.org,OK\n".to_vec();
    let (gbk, _, _) = encoding_rs::GBK.encode("zhang@example.org,张三\n");
    bytes.extend_from_slice(&gbk);
    std::fs::write(&csv, &bytes).unwrap();
    let o = run(&ws, &["import", csv.to_str().unwrap()]);
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!o.status.success(), "{text}");
    assert!(text.contains("gbk.csv:3: the file is not UTF-8"), "{text}");
    assert!(listed(&ws).is_empty(), "nothing was imported");

    // Cells that a spreadsheet would run, in the address and the name: neutralised in the
    // export, and the same subscriber after importing the export. (A plain list's `'` before
    // a formula's start is taken as that neutralisation and dropped.)
    let csv = ws.join("formulas.csv");
    std::fs::write(
        &csv,
        "email,name\n-cmd@example.org,\"=HYPERLINK(\"\"http://evil\"\")\"\n\
+1@example.org,@SUM(A1)\nplain@example.org,'=quoted\n",
    )
    .unwrap();
    let o = run(&ws, &["import", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let export = run(&ws, &["export"]);
    assert!(export.status.success());
    let text = stdout(&export);
    for line in text.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{line}"
            );
        }
    }
    assert!(text.contains("'-cmd@example.org"), "{text}");
    let exported = ws.join("export.csv");
    std::fs::write(&exported, &export.stdout).unwrap();
    let other = demo_copy("subscribers-trust-other");
    let _ = std::fs::remove_file(other.join("weekly.db"));
    let o = run(&other, &["import", exported.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let names = |rows: Vec<serde_json::Value>| -> Vec<(String, String)> {
        let mut v: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r["email"].as_str().unwrap().to_owned(),
                    r["name"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let back = names(listed(&other));
    assert_eq!(back, names(listed(&ws)));
    assert!(
        back.contains(&(
            "-cmd@example.org".into(),
            "=HYPERLINK(\"http://evil\")".into()
        )) && back.contains(&("plain@example.org".into(), "=quoted".into())),
        "{back:?}"
    );
}
