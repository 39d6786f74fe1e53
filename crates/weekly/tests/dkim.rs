//! DKIM: the issues' mails signed with `[smtp] dkim_key`, checked by a real verifier (Python's
//! dkimpy, given the public key as its DNS answer); a changed message fails; a bad key is a
//! clear error that sends nothing.

use crate::common;

use common::{demo_copy, stderr, stdout, weekly_at};
use std::path::Path;
use std::process::Command;

const VERIFY: &str = r#"
import sys, dkim
public = open(sys.argv[1]).read().strip()
def dns(name, timeout=5):
    assert name == b"s2026._domainkey.example.org.", name
    return ("v=DKIM1; k=rsa; p=" + public).encode()
ok = dkim.verify(open(sys.argv[2], "rb").read(), dnsfunc=dns)
print("valid" if ok else "invalid")
"#;

#[test]
fn the_issue_mails_are_signed_and_a_verifier_accepts_them() {
    if !common::python_module("dkim", "dkimpy") {
        return;
    }
    let ws = demo_copy("dkim");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let key = ws.join("dkim.pem");
    let o = Command::new("openssl")
        .args(["genrsa", "-traditional", "-out"])
        .arg(&key)
        .arg("2048")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = Command::new("sh")
        .arg("-c")
        .arg("openssl rsa -in dkim.pem -pubout -outform DER 2>/dev/null | base64 -w0 > dkim.pub")
        .current_dir(&ws)
        .output()
        .unwrap();
    assert!(o.status.success());
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    let with_key = |file: &str| {
        format!(
            "{config}\n[smtp]\nfrom = \"Rust 星期刊 <weekly@example.org>\"\n\
             dkim_key = \"{file}\"\ndkim_selector = \"s2026\"\n"
        )
    };
    std::fs::write(ws.join("weekly.toml"), with_key("dkim.pem")).unwrap();
    let csv = ws.join("r.csv");
    std::fs::write(&csv, "email,languages\nreader@example.net,zh\n").unwrap();
    assert!(
        weekly_at(&ws, &["subscribers", "import", csv.to_str().unwrap()])
            .status
            .success()
    );
    let o = weekly_at(&ws, &["send", "7", "--lang", "zh", "--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let eml = ws.join("outbox/7.zh.free/000000001.eml");
    let text = std::fs::read_to_string(&eml).unwrap();
    assert!(text.contains("DKIM-Signature: "), "{text}");
    let verify = |file: &Path| {
        let o = Command::new("python3")
            .args(["-c", VERIFY])
            .arg(ws.join("dkim.pub"))
            .arg(file)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).trim().to_owned()
    };
    assert_eq!(verify(&eml), "valid");
    // One character of the body changed: the signature no longer holds.
    let changed = ws.join("changed.eml");
    let at = text.rfind("Content-Transfer-Encoding").unwrap();
    let mut tampered = text.clone();
    tampered.insert(text[at..].find("\r\n\r\n").unwrap() + at + 4, 'X');
    std::fs::write(&changed, tampered).unwrap();
    assert_eq!(verify(&changed), "invalid");

    // A key that is not one: a clear error, nothing written.
    std::fs::write(
        ws.join("bad.pem"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    std::fs::write(ws.join("weekly.toml"), with_key("bad.pem")).unwrap();
    std::fs::remove_dir_all(ws.join("outbox")).unwrap();
    let o = weekly_at(&ws, &["send", "7", "--lang", "zh", "--dry-run"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("PKCS#1"), "{}", stderr(&o));
    assert!(!ws.join("outbox").exists());
}
