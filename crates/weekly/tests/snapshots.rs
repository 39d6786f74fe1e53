//! Reviewed snapshots of every edition of one issue of the bundled example, in both languages
//! (`cargo insta review` after an intended change).

use crate::common;

use common::{repo_root, stderr, stdout, weekly};

fn render(args: &[&str]) -> String {
    let ws = repo_root().join("examples/demo-weekly");
    let mut all = args.to_vec();
    all.extend(["--workspace", ws.to_str().unwrap()]);
    let out = weekly(&all);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn editions_of_issue_6() {
    for lang in ["zh", "en"] {
        for edition in ["teaser", "readme", "telegram", "links"] {
            let text = render(&["render", "6", "--edition", edition, "--lang", lang]);
            insta::assert_snapshot!(format!("issue6_{edition}_{lang}"), text);
        }
    }
}

#[test]
fn season_links_and_statistics() {
    insta::assert_snapshot!(
        "season1_links_zh",
        render(&["render", "--season", "1", "--edition", "links"])
    );
    insta::assert_snapshot!("stats_text", render(&["stats"]));
    insta::assert_snapshot!("stats_landing", render(&["stats", "--format", "landing"]));
}
