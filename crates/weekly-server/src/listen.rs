//! The server's connections: an accept loop with a cap on open connections, a total deadline
//! for a request's headers, a deadline for its body, and a stop that lets requests in flight
//! finish. A slow client (slowloris) holds a connection for at most the header deadline.

use crate::log;
use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a connection may take to send a request's headers, counted from when it opened or
/// from the end of the previous response (an idle keep-alive connection is closed then too).
pub const HEADER_DEADLINE: Duration = Duration::from_secs(10);
/// How long a request's body may take to arrive, once its headers are in.
pub const BODY_DEADLINE: Duration = Duration::from_secs(30);
/// The largest body any endpoint reads.
pub const BODY_LIMIT: usize = 64 * 1024;
/// How long the stop waits for requests in flight.
const STOP_GRACE: Duration = Duration::from_secs(30);
/// File descriptors kept for everything but client connections (database, files, mail).
const RESERVED_DESCRIPTORS: u64 = 256;

/// The limits of a server's connections.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections at most; one more is closed as soon as it is accepted.
    pub max_connections: usize,
    pub header_deadline: Duration,
}

/// Connections the kernel queues for us to accept: a burst of clients (or of attackers)
/// waits there instead of being dropped and retried a second later.
const ACCEPT_BACKLOG: u32 = 4096;

/// A listener on `address` (`host:port`) with a long accept queue.
pub async fn bind(address: &str) -> std::io::Result<TcpListener> {
    let mut last = None;
    for addr in tokio::net::lookup_host(address).await? {
        let socket = if addr.is_ipv4() {
            tokio::net::TcpSocket::new_v4()?
        } else {
            tokio::net::TcpSocket::new_v6()?
        };
        socket.set_reuseaddr(true)?;
        match socket
            .bind(addr)
            .and_then(|()| socket.listen(ACCEPT_BACKLOG))
        {
            Ok(listener) => return Ok(listener),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::NotFound, "the name has no address")
    }))
}

/// The connection cap for `wanted` on this process: the soft limit of open files is raised to
/// the hard one, and the cap stays [`RESERVED_DESCRIPTORS`] below it, so that accepting never
/// runs out of descriptors.
pub fn connection_cap(wanted: usize) -> usize {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    if limit.current < limit.maximum {
        limit.current = limit.maximum;
        // Not allowed (a container's policy, say): the soft limit stays, and so does the cap.
        let _ = setrlimit(Resource::Nofile, limit);
        limit = getrlimit(Resource::Nofile);
    }
    let open_files = limit.current.unwrap_or(u64::MAX);
    let room = open_files.saturating_sub(RESERVED_DESCRIPTORS).max(16);
    wanted.min(usize::try_from(room).unwrap_or(usize::MAX))
}

/// Serves `router` on `listener` until `stop` completes, then lets the requests in flight
/// finish (at most [`STOP_GRACE`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let refused = Arc::new(AtomicU64::new(0));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_deadline)
        .keep_alive(true);
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors or memory for a moment: wait instead of spinning.
                    log(&format!("cannot accept a connection: {e}"));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            // Over the cap: closed at once, so that the descriptors never run out.
            if refused.fetch_add(1, Ordering::Relaxed).is_multiple_of(1000) {
                log(&format!(
                    "{} connections open: refusing new ones",
                    limits.max_connections
                ));
            }
            drop(stream);
            continue;
        };
        stream.set_nodelay(true).ok();
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: Request<_>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let router = router.clone();
            async move {
                let request = request.map(axum::body::Body::new);
                Ok::<_, std::convert::Infallible>(
                    tower::ServiceExt::oneshot(router, request)
                        .await
                        .unwrap_or_else(|never| match never {}),
                )
            }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A closed or timed-out connection is the client's business: nothing to report.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(STOP_GRACE) => {
            log("stopping: requests still in flight were cut");
        }
    }
    Ok(())
}

/// Middleware: a request's body is read within [`BODY_DEADLINE`] and at most [`BODY_LIMIT`]
/// bytes, before any handler sees it (a client that trickles its body gets 408).
pub async fn body_deadline(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match tokio::time::timeout(BODY_DEADLINE, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Ok(Err(_)) => (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response(),
        Err(_) => (StatusCode::REQUEST_TIMEOUT, "request body too slow\n").into_response(),
    }
}
