//! Readers' signals: a campaign sent with `[tracking] clicks` and `opens` to a real SMTP server
//! (aiosmtpd) has every content link through `weekly server`'s `/c/`; following each with a
//! plain HTTP client counts it once in `weekly report`; a forged or altered token gets 400 and
//! leads nowhere; a HEAD and a prefetch right after delivery are counted as scanners; the
//! clicks feed the inbox's readers' interest. With tracking off (the default), no link of the
//! mail goes through the server.

use crate::campaigns::{smtp, workspace};
use crate::common::server::{self, SECRET, request, request_bytes, request_from};
use crate::common::{free_port, stderr, stdout, weekly_command};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

const BASE: &str = "https://weekly.example.org";
/// One paying reader of Chinese.
const READER: &str = "email,name,languages,tier,paid_until,status\nreader@example.org,,zh,paid,2099-12-31,confirmed\n";

/// Sends issue 7 in Chinese from `ws` (with the test server's secret); the saved messages.
fn send(ws: &Path, saved: &Path) -> Vec<mail_parser::Message<'static>> {
    let o = weekly_command(ws, &["send", "7", "--lang", "zh"])
        .env("WEEKLY_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let mut files: Vec<_> = std::fs::read_dir(saved)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap();
            mail_parser::MessageParser::default()
                .parse(&bytes)
                .unwrap()
                .into_owned()
        })
        .collect()
}

/// A copy of the example with `subscribers` (CSV) and `tracking` added to its `weekly.toml`,
/// issue 7 sent in Chinese to aiosmtpd: the workspace, the saved messages, and the mail server
/// (`None` when aiosmtpd is missing and CI does not require it).
fn sent(
    name: &str,
    subscribers: &str,
    tracking: &str,
) -> Option<(
    std::path::PathBuf,
    Vec<mail_parser::Message<'static>>,
    crate::common::Killed,
)> {
    let port = free_port();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let saved = dir.join("saved");
    let ws = workspace(name, port, None, subscribers);
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    std::fs::write(ws.join("weekly.toml"), format!("{config}\n{tracking}")).unwrap();
    let server = smtp(port, &dir.join("log"), &["--save", saved.to_str().unwrap()])?;
    let messages = send(&ws, &saved);
    Some((ws, messages, server))
}

/// Every `href` of the HTML part and every web address of the text part.
fn links_of(message: &mail_parser::Message<'_>) -> (Vec<String>, Vec<String>) {
    let html = message.body_html(0).unwrap().into_owned();
    let hrefs = html
        .split("href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&"))
        .collect();
    let text = message.body_text(0).unwrap().into_owned();
    let urls = text
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>'))
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .map(str::to_owned)
        .collect();
    (hrefs, urls)
}

/// The subscriber's own links, which never go through `/c/`.
fn own_link(url: &str) -> bool {
    url.starts_with(&format!("{BASE}/unsubscribe?"))
        || url.starts_with(&format!("{BASE}/preferences?"))
}

fn report(ws: &Path) -> serde_json::Value {
    let o = weekly_command(ws, &["report", "7", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn location(answer: &str) -> Option<String> {
    answer
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .map(|l| l.trim().to_owned())
}

#[test]
fn tracked_links_count_each_click_once_and_scanners_apart() {
    let Some((ws, messages, _smtp)) = sent(
        "signals",
        READER,
        "[tracking]\nclicks = true\nopens = true\nprefetch_seconds = 2\n",
    ) else {
        return;
    };
    assert_eq!(messages.len(), 1);
    let (hrefs, urls) = links_of(&messages[0]);

    // Every web link of the mail but the subscriber's own goes through /c/.
    let tracked: Vec<&String> = hrefs.iter().filter(|h| !own_link(h)).collect();
    assert!(tracked.len() >= 10, "{hrefs:?}");
    for link in hrefs.iter().chain(&urls).filter(|l| !own_link(l)) {
        assert!(
            link.starts_with(&format!("{BASE}/c/")),
            "an untracked link: {link}"
        );
    }
    let html = messages[0].body_html(0).unwrap().into_owned();
    assert!(html.contains(&format!("{BASE}/o/")), "no open pixel");

    // What each link should lead to: the paid edition as rendered without tracking.
    let plain = weekly_command(
        &ws,
        &["render", "7", "--edition", "email", "--tier", "paid"],
    )
    .output()
    .unwrap();
    let plain = mail_parser::MessageParser::default()
        .parse(&plain.stdout)
        .unwrap()
        .into_owned();
    let (plain_hrefs, _) = links_of(&plain);
    let expected: BTreeSet<String> = plain_hrefs
        .into_iter()
        .filter(|h| h.starts_with("http") && !own_link(h))
        .collect();

    let key = "report-key-0123456789abcdef";
    // Two form posts a minute per client: the clicks below (dozens from one client) are not
    // under that limit; the two submissions at the end are.
    let served = server::start_env(
        &ws,
        2,
        "127.0.0.1:0",
        None,
        &[],
        &[("WEEKLY_REPORT_KEY", key)],
    );
    let paths: Vec<String> = tracked
        .iter()
        .map(|l| l[BASE.len()..].to_owned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // Within seconds of delivery: a scanner's prefetch, and a HEAD.
    let (status, answer) = request(&served.address, "GET", &paths[0], "text/plain", "");
    assert_eq!(status, 302, "{answer}");
    let (status, _) = request(&served.address, "HEAD", &paths[1], "text/plain", "");
    assert_eq!(status, 302);
    // A forged or altered token leads nowhere.
    let token = paths[2].trim_start_matches("/c/");
    let (message, tag) = token.rsplit_once('.').unwrap();
    let flipped = format!("{message}.{}0", &tag[..tag.len() - 1]);
    let flipped = if flipped == token {
        format!("{message}.{}1", &tag[..tag.len() - 1])
    } else {
        flipped
    };
    let moved = {
        let mut fields: Vec<&str> = message.split('.').collect();
        let other = (fields[1].parse::<u32>().unwrap() + 1).to_string();
        fields[1] = &other;
        format!("{}.{tag}", fields.join("."))
    };
    for forged in [
        flipped,
        moved,
        "1.1.1.00000000000000000000000000000000".to_owned(),
        "not-a-token".to_owned(),
    ] {
        let (status, answer) = request(
            &served.address,
            "GET",
            &format!("/c/{forged}"),
            "text/plain",
            "",
        );
        assert_eq!(status, 400, "{forged}: {answer}");
        assert_eq!(location(&answer), None, "{answer}");
    }

    // Readers, once the prefetch window has passed (the tokens say when the message was made).
    let sent: i64 = token.split('.').nth(2).unwrap().parse().unwrap();
    while chrono::Utc::now().timestamp() <= sent + 2 {
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut led = BTreeSet::new();
    for path in &paths {
        let (status, answer) = request_from(
            &served.address,
            "GET",
            path,
            "text/plain",
            "",
            "User-Agent: curl/8.5.0\r\n",
        );
        assert_eq!(status, 302, "{answer}");
        led.insert(location(&answer).unwrap());
    }
    assert_eq!(led, expected, "every link leads where the issue says");
    // The project links twice more: readers like that host.
    let github: Vec<&String> = paths
        .iter()
        .filter(|p| {
            let (_, a) = request(&served.address, "HEAD", p, "text/plain", "");
            location(&a).is_some_and(|l| l.starts_with("https://github.com/"))
        })
        .collect();
    assert_eq!(github.len(), 5, "the issue's five projects");
    for path in &github {
        for _ in 0..2 {
            assert_eq!(
                request(&served.address, "GET", path, "text/plain", "").0,
                302
            );
        }
    }
    let pixel = html[html.find(&format!("{BASE}/o/")).unwrap() + BASE.len()..]
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let (status, gif) = request_bytes(&served.address, "GET", &pixel);
    assert_eq!(status, 200);
    assert!(gif.starts_with(b"GIF89a"), "not a GIF");

    // The counts reach the database within a few seconds.
    let humans = i64::try_from(paths.len()).unwrap() + 2 * 5;
    let until = Instant::now() + Duration::from_secs(20);
    let campaign = loop {
        let r = report(&ws);
        let c = r["campaigns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["tier"] == "paid")
            .cloned()
            .unwrap();
        if c["clicks"] == humans && c["opens_at_least"] == 1 || Instant::now() > until {
            break c;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(campaign["clicks"], humans, "{campaign:#}");
    // The prefetch, the HEAD, and the HEAD of each link that looked for the projects.
    assert_eq!(campaign["scanner"], 2 + paths.len(), "{campaign:#}");
    assert_eq!(campaign["opens_at_least"], 1);
    assert_eq!(campaign["sent"], 1);
    let per_link: BTreeMap<String, i64> = campaign["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["url"].as_str().unwrap().to_owned(),
                l["clicks"].as_i64().unwrap(),
            )
        })
        .collect();
    for (url, clicks) in &per_link {
        let want = if url.starts_with("https://github.com/") {
            3
        } else {
            1
        };
        assert_eq!(*clicks, want, "{url}");
    }
    assert_eq!(campaign["sections"]["projects"], 15, "{campaign:#}");
    // The list: one paying reader, signed up this month, by import, reading Chinese.
    let list = &report(&ws)["subscribers"];
    assert_eq!(
        (list["confirmed"].as_i64(), list["paid"].as_i64()),
        (Some(1), Some(1)),
        "{list:#}"
    );
    assert_eq!(list["paid_percent"], 100.0);
    let month = &list["months"][0];
    assert_eq!(
        month["month"],
        chrono::Utc::now().format("%Y-%m").to_string()
    );
    assert_eq!(
        (month["sign_ups"].as_i64(), month["paying_now"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(month["by_language"]["zh"], 1, "{month:#}");
    assert!(
        served.lines().iter().all(|l| !l.contains(token)),
        "a token in the log"
    );

    // Back into curation: a reader's new link on the liked host ranks with readers' interest.
    for url in [
        "https://github.com/example-org/new-crate",
        "https://unrelated.example.net/post",
    ] {
        let (status, answer) = request(
            &served.address,
            "POST",
            "/submit",
            "application/x-www-form-urlencoded",
            &format!("url={url}&note=worth+a+look"),
        );
        assert!(status < 400, "{answer}");
    }
    // A third form post in the minute is over the limit the clicks were never under.
    let (status, _) = request(
        &served.address,
        "POST",
        "/submit",
        "application/x-www-form-urlencoded",
        "url=https://third.example.net/&note=x",
    );
    assert_eq!(status, 429);
    let o = weekly_command(&ws, &["inbox", "--explain"])
        .output()
        .unwrap();
    let inbox = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    // A candidate's lines: its title (a reader's link is titled by its address), its address
    // and the parts of its score.
    let lines: Vec<&str> = inbox.lines().collect();
    let block = |needle: &str| {
        let at = lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not in {inbox}"));
        lines[at..(at + 3).min(lines.len())].join("\n")
    };
    assert!(
        block("github.com/example-org/new-crate").contains("readers' interest"),
        "{inbox}"
    );
    assert!(
        !block("unrelated.example.net").contains("readers' interest"),
        "{inbox}"
    );
}

#[test]
fn without_tracking_no_link_of_a_mail_goes_through_the_server() {
    let Some((_ws, messages, _smtp)) = sent(
        "signals-off",
        "email,name,languages,tier,paid_until,status\nfree@example.org,,zh,free,,confirmed\npaid@example.org,,zh,paid,2099-12-31,confirmed\n",
        "",
    ) else {
        return;
    };
    assert_eq!(messages.len(), 2);
    for message in &messages {
        let (hrefs, urls) = links_of(message);
        assert!(hrefs.iter().any(|h| !own_link(h)), "{hrefs:?}");
        for link in hrefs.iter().chain(&urls) {
            assert!(!link.contains("/c/") && !link.contains("/o/"), "{link}");
        }
        assert!(!message.body_html(0).unwrap().contains("/o/"));
    }
}

#[test]
fn page_views_are_counted_per_issue_page_without_a_cookie() {
    let ws = crate::common::demo_copy("signals-views");
    let _ = std::fs::remove_file(ws.join("weekly.db"));
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    std::fs::write(
        ws.join("weekly.toml"),
        format!("{config}\n[tracking]\npage_views = true\n"),
    )
    .unwrap();
    let built = weekly_command(&ws, &["build"]).output().unwrap();
    assert!(built.status.success(), "{}", stderr(&built));
    let site = ws.join("site");
    let served = server::start_args(
        &ws,
        60,
        "127.0.0.1:0",
        None,
        &["--site", site.to_str().unwrap()],
    );
    let reader = "User-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n";
    for (path, agent) in [
        ("/zh/7/", reader),
        ("/zh/7/", reader),
        ("/en/7/index.html", reader),
        ("/", reader),
        ("/en/", reader),
        ("/zh/7/", "User-Agent: Googlebot/2.1\r\n"),
        ("/zh/archive/", reader),
        ("/xx/7/", reader),
    ] {
        let (status, answer) = request_from(&served.address, "GET", path, "text/plain", "", agent);
        assert!(status == 200 || path == "/xx/7/", "{path}: {answer}");
        assert!(
            !answer.to_ascii_lowercase().contains("set-cookie"),
            "{answer}"
        );
    }
    let until = Instant::now() + Duration::from_secs(20);
    let views = loop {
        let o = weekly_command(&ws, &["report", "--format", "json"])
            .output()
            .unwrap();
        let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let views = r["views"].clone();
        if views.as_array().is_some_and(|v| v.len() == 4) || Instant::now() > until {
            break views;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let got: BTreeSet<(String, u64, i64, i64)> = views
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["lang"].as_str().unwrap().to_owned(),
                v["issue"].as_u64().unwrap(),
                v["readers"].as_i64().unwrap(),
                v["bots"].as_i64().unwrap(),
            )
        })
        .collect();
    let want: BTreeSet<(String, u64, i64, i64)> = [
        ("en".to_owned(), 7, 1, 0),
        ("en".to_owned(), 0, 1, 0),
        ("zh".to_owned(), 0, 1, 0),
        ("zh".to_owned(), 7, 2, 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
}

/// `per_subscriber = true`: who clicked is recorded, and `subscribers remove --forget` deletes
/// it with them.
#[test]
fn per_subscriber_clicks_are_recorded_and_forgotten_with_the_reader() {
    let Some((ws, messages, _smtp)) = sent(
        "signals-person",
        READER,
        "[tracking]\nclicks = true\nper_subscriber = true\nprefetch_seconds = 0\n",
    ) else {
        return;
    };
    let (hrefs, _) = links_of(&messages[0]);
    let path = hrefs.iter().find(|h| !own_link(h)).unwrap()[BASE.len()..].to_owned();
    // The token names its subscriber: four fields before the tag.
    assert_eq!(
        path.trim_start_matches("/c/").split('.').count(),
        5,
        "{path}"
    );
    let sent: i64 = path
        .trim_start_matches("/c/")
        .split('.')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    while chrono::Utc::now().timestamp() <= sent {
        std::thread::sleep(Duration::from_millis(100));
    }
    let served = server::start(&ws, 60);
    assert_eq!(
        request(&served.address, "GET", &path, "text/plain", "").0,
        302
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let clicks = || {
        runtime.block_on(async {
            let store = weekly_store::Store::connect("sqlite:weekly.db", &ws)
                .await
                .unwrap();
            let reader = store.subscriber("reader@example.org").await.unwrap();
            let clicks = match &reader {
                Some(r) => store.subscriber_clicks(r.id).await.unwrap().len(),
                None => 0,
            };
            let all: i64 = store
                .link_figures()
                .await
                .unwrap()
                .iter()
                .map(|f| f.human)
                .sum();
            store.close().await;
            (reader.is_some(), clicks, all)
        })
    };
    assert_eq!(clicks().1, 1, "recorded at once for its subscriber");
    let o = weekly_command(
        &ws,
        &["subscribers", "remove", "reader@example.org", "--forget"],
    )
    .output()
    .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // The reader and their clicks are gone; the link's count (no person in it) stays.
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let (reader, mine, all) = clicks();
        if !reader && mine == 0 && all == 1 {
            break;
        }
        assert!(
            Instant::now() < until,
            "reader {reader}, their clicks {mine}, link count {all}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
