//! `weekly-fake-llm [--port N] [--latency-ms N]`: serve the fake model until killed (benchmarks).

use std::time::Duration;
use weekly_fake_llm::{FakeLlm, Options};

fn main() {
    let mut port = 0u16;
    let mut latency = 0u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--port", Some(v)) => port = u16::try_from(v).unwrap_or(0),
            ("--latency-ms", Some(v)) => latency = v,
            _ => {
                eprintln!("usage: weekly-fake-llm [--port N] [--latency-ms N]");
                std::process::exit(2);
            }
        }
    }
    let options = Options {
        latency: Duration::from_millis(latency),
        api_key: None,
    };
    let server = match FakeLlm::start_on(options, port) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("weekly-fake-llm: cannot listen: {error}");
            std::process::exit(1);
        }
    };
    println!("{}", server.base_url());
    loop {
        std::thread::park();
    }
}
