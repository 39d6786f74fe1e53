//! The clients against the stand-ins' rules (`weekly-fake-channels`), which follow each
//! service's documentation: refused secrets, Mastodon's idempotency key, Bluesky's limits and
//! facets, Ghost's update collision.

use weekly_channels::{Account, ChannelError, Done, Kind, Post, publish};
use weekly_fake_channels::{FakeChannels, Secrets};

fn secrets() -> Secrets {
    Secrets {
        mastodon_token: "masto".into(),
        bluesky_handle: "me.example.org".into(),
        bluesky_password: "app-pass".into(),
        devto_key: "devto".into(),
        wordpress_user: "editor".into(),
        wordpress_password: "abcd efgh ijkl mnop qrst uvwx".into(),
        ghost_key: "abc123:00112233445566778899aabbccddeeff".into(),
        wechat_appid: "wxapp".into(),
        wechat_secret: "wx-secret".into(),
    }
}

fn post(announcement: &str) -> Post {
    Post {
        title: "周刊 #9：异步的未来".into(),
        announcement: announcement.into(),
        url: "https://weekly.example.org/zh/9/".into(),
        markdown: "## 文章\n\n1、[a](https://a.example.org)\n".into(),
        html: "<h2>文章</h2>".into(),
        lang: "zh".into(),
        key: "weekly:test:9:masto".into(),
        card: b"\x89PNG card".to_vec(),
    }
}

fn account(fake: &FakeChannels, user: &str, secret: &str) -> Account {
    Account {
        api_url: fake.url(),
        user: user.into(),
        secret: secret.into(),
    }
}

#[tokio::test]
async fn refused_secrets_are_said_in_the_services_words_without_the_secret() {
    let fake = FakeChannels::start(secrets()).unwrap();
    let http = weekly_channels::client().unwrap();
    for (kind, user, secret, words) in [
        (Kind::Ghost, "", "abc123:ffff", "Invalid token"),
        (
            Kind::Ghost,
            "",
            "other:00112233445566778899aabbccddeeff",
            "Invalid token",
        ),
        (
            Kind::Wordpress,
            "editor",
            "wrong pass word here",
            "You are not currently logged in",
        ),
        (Kind::Devto, "", "nope", "unauthorized"),
        (Kind::Mastodon, "", "nope", "The access token is invalid"),
        (
            Kind::Bluesky,
            "me.example.org",
            "nope",
            "Invalid identifier or password",
        ),
    ] {
        let error = publish(&http, kind, &account(&fake, user, secret), &post("x"), None)
            .await
            .expect_err("refused");
        let said = error.to_string();
        assert!(
            matches!(error, ChannelError::Refused { status: 401, .. }),
            "{said}"
        );
        assert!(said.contains(words) && !said.contains(secret), "{said}");
    }
}

#[tokio::test]
async fn a_long_announcement_fits_each_limit_and_links_stay_whole() {
    let fake = FakeChannels::start(secrets()).unwrap();
    let http = weekly_channels::client().unwrap();
    // 400 graphemes of text, emoji made of several code points among them.
    let long = "异步🧑‍💻".repeat(140);
    let sky = publish(
        &http,
        Kind::Bluesky,
        &account(&fake, "me.example.org", "app-pass"),
        &post(&long),
        None,
    )
    .await
    .unwrap();
    assert!(matches!(sky, Done::Created(_)));
    let masto = publish(
        &http,
        Kind::Mastodon,
        &account(&fake, "", "masto"),
        &post(&long),
        None,
    )
    .await
    .unwrap();
    assert!(masto.remote().url.contains("/@weekly/"));
    let text = fake.skeets()[0]["text"].as_str().unwrap().to_owned();
    assert!(
        text.ends_with("…\n\nhttps://weekly.example.org/zh/9/"),
        "{text}"
    );
}

#[tokio::test]
async fn the_bluesky_stand_in_refuses_a_facet_off_a_char_boundary() {
    let fake = FakeChannels::start(secrets()).unwrap();
    let http = reqwest::Client::new();
    let record = serde_json::json!({"repo": "did:plc:weeklytest", "collection": "app.bsky.feed.post", "record": {
        "text": "周刊 https://w.example.org/",
        "facets": [{"index": {"byteStart": 1, "byteEnd": 5}, "features": [{"uri": "https://w.example.org/"}]}],
    }});
    let answer = http
        .post(format!("{}/xrpc/com.atproto.repo.createRecord", fake.url()))
        .bearer_auth("jwt-access-1")
        .json(&record)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 400);
    assert!(answer.text().await.unwrap().contains("UTF-8 boundaries"));
}

#[tokio::test]
async fn mastodon_answers_a_repeated_idempotency_key_with_the_same_status() {
    let fake = FakeChannels::start(secrets()).unwrap();
    let http = weekly_channels::client().unwrap();
    let a = publish(
        &http,
        Kind::Mastodon,
        &account(&fake, "", "masto"),
        &post("一"),
        None,
    )
    .await
    .unwrap();
    // A retry after a lost answer (no record kept) sends the same key: no second status.
    let b = publish(
        &http,
        Kind::Mastodon,
        &account(&fake, "", "masto"),
        &post("一"),
        None,
    )
    .await
    .unwrap();
    assert_eq!(a.remote().id, b.remote().id);
    assert_eq!(fake.statuses().len(), 1);
}

#[tokio::test]
async fn a_ghost_update_with_a_stale_version_is_a_collision() {
    let fake = FakeChannels::start(secrets()).unwrap();
    let http = weekly_channels::client().unwrap();
    let ghost = account(&fake, "", "abc123:00112233445566778899aabbccddeeff");
    let made = publish(&http, Kind::Ghost, &ghost, &post("x"), None)
        .await
        .unwrap();
    let mut stale = made.remote().clone();
    let updated = publish(&http, Kind::Ghost, &ghost, &post("y"), Some(&stale))
        .await
        .unwrap();
    assert!(matches!(updated, Done::Updated(_)));
    stale.version = "2000-01-01T00:00:00.000Z".into();
    let error = publish(&http, Kind::Ghost, &ghost, &post("z"), Some(&stale))
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Someone else is editing this post"),
        "{error}"
    );
}

#[tokio::test]
async fn a_wechat_draft_uploads_its_images_and_keeps_no_link_out() {
    use weekly_channels::wechat;
    let fake = FakeChannels::start(secrets()).unwrap();
    let http = weekly_channels::client().unwrap();
    let account = account(&fake, "wxapp", "wx-secret");
    let html = "<h2>文章</h2><p><a href=\"https://a.example.org\">装饰器</a></p><p><img src=\"https://img.example.org/1.png\" alt=\"图\"></p>";
    let article = weekly_channels::wechat_html::article(html, "参考链接");
    let draft = wechat::Draft {
        title: "周刊 #9：异步的未来".into(),
        digest: "本期分享了 1 篇文章".into(),
        author: String::new(),
        article,
        image_bytes: vec![b"\x89PNG picture".to_vec()],
        cover: b"\x89PNG card".to_vec(),
        source_url: "https://weekly.example.org/zh/9/".into(),
    };
    let token = wechat::token(&http, &account, None, 1_000).await.unwrap();
    // A cached token with time left is used as it is.
    assert_eq!(
        wechat::token(&http, &account, Some(&token), 2_000)
            .await
            .unwrap(),
        token
    );
    let made = wechat::save(&http, &account, &token, &draft, None)
        .await
        .unwrap();
    let stored = &fake.drafts("wechat")[0];
    let content = stored["content"].as_str().unwrap();
    assert!(
        content.contains("<img src=\"http://mmbiz.qpic.cn/"),
        "{content}"
    );
    assert!(!content.contains("href="), "{content}");
    // A draft over WeChat's title limit is refused before anything is sent.
    let long = wechat::Draft {
        title: "长".repeat(65),
        ..draft.clone()
    };
    assert!(matches!(
        wechat::save(&http, &account, &token, &long, Some(&made)).await,
        Err(ChannelError::Invalid(_))
    ));
    // A wrong AppSecret: WeChat's own words, without the secret.
    let wrong = weekly_channels::Account {
        secret: "not-it".into(),
        ..account.clone()
    };
    let error = wechat::token(&http, &wrong, None, 0)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("invalid appsecret") && !error.contains("not-it"),
        "{error}"
    );
}
