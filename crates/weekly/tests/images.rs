//! `weekly image add`: a 3 MB photograph made to fit `[images]`, stored once in `static/img`
//! or in a real S3-compatible server (moto, started here on 127.0.0.1), shown by the site and
//! the mail; `check` warns about a picture over the budget.

use crate::common::server::request_bytes;
use crate::common::{self, Killed, demo_copy, free_port, stderr, stdout, weekly_command};
use std::path::Path;

/// A photograph's worth of detail: 3000×2000, smooth gradients under fine noise (a fixed
/// seed), about 3 MB as PNG.
fn photo_png(seed: u32) -> Vec<u8> {
    let (width, height) = (3000u32, 2000u32);
    let mut state = 0x9e37_79b9_u32 ^ seed;
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise = (state % 3) as u8;
            let sky = (y * 180 / height) as u8;
            let (dx, dy) = (i64::from(x) - 2000, i64::from(y) - 600);
            let sun = (dx * dx + dy * dy).unsigned_abs().isqrt().min(1200);
            let glow = 255 - (sun / 5) as u8;
            pixels.extend([
                glow.saturating_add(noise),
                sky.saturating_add(noise),
                (x * 120 / width) as u8 + 60 + noise,
            ]);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&pixels)
        .unwrap();
    out
}

/// The pixel size of a JPEG, from its first start-of-frame marker.
fn jpeg_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..3], b"\xff\xd8\xff", "not a JPEG");
    let mut at = 2;
    while at + 9 < bytes.len() {
        let marker = bytes[at + 1];
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if (0xc0..=0xc2).contains(&marker) {
            let h = u16::from_be_bytes([bytes[at + 5], bytes[at + 6]]);
            let w = u16::from_be_bytes([bytes[at + 7], bytes[at + 8]]);
            return (u32::from(w), u32::from(h));
        }
        at += 2 + length;
    }
    panic!("no frame header in the JPEG");
}

/// A real S3-compatible server (moto's server mode, from PyPI) on 127.0.0.1:`port`; `None`
/// with a printed reason when moto is not installed, a failure when `WEEKLY_REQUIRE_S3` is set
/// (`.ci/run` sets it and installs `moto[server]`).
fn s3_server(port: u16) -> Option<Killed> {
    let installed = std::process::Command::new("python3")
        .args(["-c", "import moto.server"])
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        assert!(
            std::env::var_os("WEEKLY_REQUIRE_S3").is_none(),
            "WEEKLY_REQUIRE_S3 is set but Python's moto[server] is missing"
        );
        common::skip(
            "needs Python's moto[server] (`pip install 'moto[server]'`; .ci/run installs it)",
        );
        return None;
    }
    let child = std::process::Command::new("python3")
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let child = Killed(child);
    let address = format!("127.0.0.1:{port}");
    for _ in 0..200 {
        if std::net::TcpStream::connect(&address).is_ok()
            && request_bytes(&address, "GET", "/").0 == 200
        {
            return Some(child);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("moto did not start on port {port}");
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_3_mb_photo_fits_in_100_kb_and_the_site_and_the_mail_show_it() {
    let photo = photo_png(0);
    assert!(
        (2_500_000..6_000_000).contains(&photo.len()),
        "the test photo takes {} bytes",
        photo.len()
    );
    let ws = demo_copy("images");
    let web = weekly_fake_web::FakeWeb::start("unused").unwrap();
    web.page(
        "/shots/Big_Sunset.png",
        weekly_fake_web::Page {
            body: photo.clone(),
            content_type: "image/png".into(),
            ..weekly_fake_web::Page::default()
        },
    );
    let allow = web.url().trim_start_matches("http://").to_owned();
    let add = |args: &[&str]| {
        let mut all = vec!["image", "add"];
        all.extend_from_slice(args);
        weekly_command(&ws, &all)
            .env("WEEKLY_TEST_ALLOW_FETCH", &allow)
            .output()
            .unwrap()
    };
    let source = format!("{}/shots/Big_Sunset.png", web.url());

    // A dry run makes the picture and stores nothing.
    let dry = add(&[&source, "--issue", "7", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        !ws.join("static/img").exists(),
        "a dry run wrote {:?}",
        files_in(&ws.join("static/img"))
    );

    let out = add(&[&source, "--issue", "7", "--alt", "日落时的海面"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Issue 7 is dated 2026-10-17; the slug comes from the file name.
    let name = "2026-10-17-big-sunset.jpg";
    let markdown = format!("![日落时的海面](https://weekly.example.org/img/{name})");
    assert_eq!(stdout(&out).trim(), markdown);
    assert!(stderr(&out).contains("3000×2000 px"), "{}", stderr(&out));
    let stored = std::fs::read(ws.join("static/img").join(name)).unwrap();
    assert!(stored.len() <= 100_000, "{} bytes", stored.len());
    let (width, height) = jpeg_size(&stored);
    assert_eq!((width, height), (1200, 800), "scaled to [images] max_width");

    // Again: the same picture is kept, not stored twice.
    let again = add(&[&source, "--issue", "7", "--alt", "日落时的海面"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already stored"),
        "{}",
        stderr(&again)
    );
    assert_eq!(files_in(&ws.join("static/img")), [name]);

    // Into the issue: `check` has nothing to say about it; a picture over the budget is named.
    let zh = ws.join("issues/0007/zh.md");
    let text = std::fs::read_to_string(&zh).unwrap();
    let huge = "https://weekly.example.org/img/huge.png";
    std::fs::write(ws.join("static/img/huge.png"), &photo).unwrap();
    let text = format!("{}\n\n{markdown}\n\n![原图]({huge})\n", text.trim_end());
    std::fs::write(&zh, &text).unwrap();
    let lines = text.lines().count();
    let check = common::weekly_at(&ws, &["check"]);
    let said = stdout(&check) + &stderr(&check);
    let size_warnings: Vec<&str> = said.lines().filter(|l| l.contains("image-size")).collect();
    assert_eq!(size_warnings.len(), 1, "{said}");
    assert!(
        size_warnings[0].contains(&format!("issues/0007/zh.md:{lines}:1"))
            && size_warnings[0].contains("huge.png"),
        "{said}"
    );
    std::fs::remove_file(ws.join("static/img/huge.png")).unwrap();

    // The subscribers' site carries the file and shows it; so does the paid mail.
    let build = common::weekly_at(&ws, &["build", "--full"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert_eq!(
        std::fs::read(ws.join("site-full/img").join(name)).unwrap(),
        stored
    );
    let page = std::fs::read_to_string(ws.join("site-full/zh/7/index.html")).unwrap();
    assert!(
        page.contains(&format!("src=\"https://weekly.example.org/img/{name}\"")),
        "the page has no picture"
    );
    let mail = common::weekly_at(
        &ws,
        &["render", "7", "--edition", "email", "--tier", "paid"],
    );
    assert!(mail.status.success(), "{}", stderr(&mail));
    let message = mail_parser::MessageParser::default()
        .parse(&mail.stdout)
        .unwrap();
    let html = message.body_html(0).unwrap();
    assert!(
        html.contains(&format!("src=\"https://weekly.example.org/img/{name}\"")),
        "the mail has no picture: {html}"
    );
}

#[test]
fn a_picture_is_stored_once_in_an_s3_compatible_bucket() {
    let port = free_port();
    let Some(_s3) = s3_server(port) else { return };
    let address = format!("127.0.0.1:{port}");
    assert_eq!(
        request_bytes(&address, "PUT", "/weekly-pics").0,
        200,
        "create the bucket"
    );
    let ws = demo_copy("images-s3");
    let config = std::fs::read_to_string(ws.join("weekly.toml")).unwrap();
    std::fs::write(
        ws.join("weekly.toml"),
        format!(
            "{config}\n[images]\nstore = \"s3://weekly-pics/issues\"\nendpoint = \"http://{address}\"\nacl = \"public-read\"\n"
        ),
    )
    .unwrap();
    let file = ws.join("Ferris Photo.png");
    std::fs::write(&file, photo_png(0)).unwrap();
    let secret = "s3-secret-planted-5";
    let add = |args: &[&str]| {
        let mut all = vec!["image", "add"];
        all.extend_from_slice(args);
        weekly_command(&ws, &all)
            .env("WEEKLY_S3_ACCESS_KEY_ID", "AKIDWEEKLYTEST")
            .env("WEEKLY_S3_SECRET_ACCESS_KEY", secret)
            .output()
            .unwrap()
    };
    let list = || {
        let (status, body) = request_bytes(&address, "GET", "/weekly-pics?list-type=2");
        assert_eq!(status, 200);
        String::from_utf8(body).unwrap().matches("<Key>").count()
    };

    // Without credentials: a clear error, nothing stored.
    let bare = weekly_command(
        &ws,
        &["image", "add", file.to_str().unwrap(), "--issue", "3"],
    )
    .output()
    .unwrap();
    assert!(!bare.status.success());
    assert!(
        stderr(&bare).contains("WEEKLY_S3_SECRET_ACCESS_KEY"),
        "{}",
        stderr(&bare)
    );
    assert_eq!(list(), 0);

    let out = add(&[file.to_str().unwrap(), "--issue", "3", "--alt", "Ferris"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = format!("http://{address}/weekly-pics/issues/2026-09-19-ferris-photo.jpg");
    assert_eq!(stdout(&out).trim(), format!("![Ferris]({url})"));
    let (status, body) = request_bytes(
        &address,
        "GET",
        "/weekly-pics/issues/2026-09-19-ferris-photo.jpg",
    );
    assert_eq!(status, 200);
    assert!(body.len() <= 100_000, "{} bytes in the bucket", body.len());
    assert_eq!(jpeg_size(&body).0, 1200);
    assert_eq!(list(), 1);
    // The subscribers' site and the paid mail show it from the bucket.
    let zh = ws.join("issues/0003/zh.md");
    let text = std::fs::read_to_string(&zh).unwrap();
    std::fs::write(&zh, format!("{}\n\n![Ferris]({url})\n", text.trim_end())).unwrap();
    let build = common::weekly_at(&ws, &["build", "--full"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let page = std::fs::read_to_string(ws.join("site-full/zh/3/index.html")).unwrap();
    assert!(
        page.contains(&format!("src=\"{url}\"")),
        "the page has no picture"
    );
    let mail = common::weekly_at(
        &ws,
        &["render", "3", "--edition", "email", "--tier", "paid"],
    );
    let message = mail_parser::MessageParser::default()
        .parse(&mail.stdout)
        .unwrap();
    assert!(
        message
            .body_html(0)
            .unwrap()
            .contains(&format!("src=\"{url}\"")),
        "the mail has no picture"
    );

    // Again: stored once.
    let again = add(&[file.to_str().unwrap(), "--issue", "3", "--alt", "Ferris"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already stored"),
        "{}",
        stderr(&again)
    );
    assert_eq!(list(), 1);

    // Another photograph under the taken name is refused, and the first one stays.
    std::fs::write(&file, photo_png(7)).unwrap();
    let taken = add(&[file.to_str().unwrap(), "--issue", "3", "--alt", "Ferris"]);
    assert!(!taken.status.success());
    assert!(
        stderr(&taken).contains("already holds a different image"),
        "{}",
        stderr(&taken)
    );
    let (_, still) = request_bytes(
        &address,
        "GET",
        "/weekly-pics/issues/2026-09-19-ferris-photo.jpg",
    );
    assert_eq!(still, body);

    // A picture of few colours stays a PNG, beside the photograph.
    let diagram = ws.join("ferris-photo.png");
    let mut flat = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut flat, 400, 300);
        encoder.set_color(png::ColorType::Rgb);
        encoder
            .write_header()
            .unwrap()
            .write_image_data(&vec![200u8; 400 * 300 * 3])
            .unwrap();
    }
    std::fs::write(&diagram, &flat).unwrap();
    let beside = add(&[
        diagram.to_str().unwrap(),
        "--issue",
        "3",
        "--alt",
        "a plain card",
    ]);
    assert!(beside.status.success(), "{}", stderr(&beside));
    assert!(
        stdout(&beside).contains("2026-09-19-ferris-photo.png"),
        "{}",
        stdout(&beside)
    );
    assert_eq!(list(), 2);

    for output in [&out, &again, &taken, &beside, &bare] {
        let all = stdout(output) + &stderr(output);
        assert!(!all.contains(secret), "the secret in: {all}");
    }
}
