//! The one setup of every outbound HTTP client of `weekly` (feeds and pages, the GitHub API,
//! LLM providers, the Telegram Bot API): the TLS provider installed once for the process, one
//! user agent, and timeouts for connecting, reading and the whole request. A caller adds
//! only what is its own — a redirect policy, the guard's resolver.

use std::time::Duration;

/// What every request of `weekly` says it is.
pub const USER_AGENT: &str = concat!(
    "weekly/",
    env!("CARGO_PKG_VERSION"),
    " (newsletter tool; +https://example.invalid/weekly)"
);

/// How long a client waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// For a connection (TCP and TLS); never more than `total`.
    pub connect: Duration,
    /// For the whole request, answer included.
    pub total: Duration,
}

impl Timeouts {
    /// A request that may take `total`, its connection at most 10 s.
    pub fn total(total: Duration) -> Timeouts {
        Timeouts {
            connect: Duration::from_secs(10),
            total,
        }
    }
}

/// A client builder with the process's TLS provider (ring, installed once), [`USER_AGENT`],
/// `timeouts` (the read timeout too, so a server that stalls mid-answer is left), and idle
/// connections closed after 30 s.
pub fn builder(timeouts: Timeouts) -> reqwest::ClientBuilder {
    // A second call finds the provider installed: the error says so and is of no interest.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeouts.total)
        .connect_timeout(timeouts.connect.min(timeouts.total))
        .read_timeout(timeouts.total)
        .user_agent(USER_AGENT)
        .pool_idle_timeout(Duration::from_secs(30))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read as _, Write as _};

    /// A server on 127.0.0.1 that records the first request it gets and answers `answer`
    /// after `delay`.
    fn server(
        answer: &'static str,
        delay: Duration,
    ) -> (String, std::sync::mpsc::Receiver<String>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            let mut request = Vec::new();
            let mut buf = [0_u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = socket.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
            }
            tx.send(String::from_utf8_lossy(&request).into_owned())
                .unwrap();
            std::thread::sleep(delay);
            let _ = socket.write_all(answer.as_bytes());
        });
        (url, rx)
    }

    #[tokio::test]
    async fn every_request_names_weekly() {
        let (url, request) = server(
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
            Duration::ZERO,
        );
        let client = builder(Timeouts::total(Duration::from_secs(5)))
            .build()
            .unwrap();
        let body = client.get(&url).send().await.unwrap().text().await.unwrap();
        assert_eq!(body, "ok");
        let request = request.recv().unwrap().to_ascii_lowercase();
        assert!(
            request.contains(&format!("user-agent: {}", USER_AGENT.to_ascii_lowercase())),
            "{request}"
        );
    }

    #[tokio::test]
    async fn a_server_that_does_not_answer_is_left_after_the_timeout() {
        // The answer comes long after the client's limit: the request fails as timed out.
        let (url, _request) = server("HTTP/1.1 200 OK\r\n\r\n", Duration::from_secs(5));
        let client = builder(Timeouts::total(Duration::from_millis(300)))
            .build()
            .unwrap();
        let started = std::time::Instant::now();
        let error = client.get(&url).send().await.unwrap_err();
        assert!(error.is_timeout(), "{error}");
        assert!(started.elapsed() < Duration::from_secs(4));
    }
}
