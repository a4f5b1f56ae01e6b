//! The HTTP/1 connection loop: hyper with a timer, so that slow or idle clients cannot hold
//! connections forever (`axum::serve` has no timer, so hyper's header-read timeout is off and an
//! idle keep-alive connection stays open until the client leaves).
//!
//! - **Header read timeout:** a request's head must arrive within it, however slowly the
//!   client drips it (slowloris), counted from when the connection waits for a head.
//! - **Keep-alive idle timeout:** a connection with no bytes in either direction for that long
//!   is closed (gracefully: a request still running is answered first).
//! - **Connection cap:** at most this many connections are served at once; beyond it the
//!   listener stops accepting, so the kernel's backlog holds newcomers until a slot frees
//!   (idle connections free theirs within the timeouts), instead of running out of descriptors.
//!
//! Shutdown: when `shutdown` resolves the listener closes, every connection is told to finish
//! its current request and close, and [`serve`] returns once all are gone (the caller bounds
//! that with the grace period).

use std::{
    convert::Infallible,
    net::SocketAddr,
    pin::pin,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};

use axum::{
    body::Body,
    extract::{ConnectInfo, Request},
    response::Response,
};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{
    net::TcpListener,
    sync::{Semaphore, watch},
};
use tower::Service;

use crate::web::router::HttpService;

/// What bounds each connection.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Time a client has to send a request's head.
    pub header_read_timeout: Duration,
    /// A connection silent for this long is closed.
    pub keep_alive_idle: Duration,
    /// Connections served at once.
    pub max_connections: usize,
}

impl Limits {
    /// The limits a configuration asks for.
    pub fn of(config: &crate::Config) -> Limits {
        Limits {
            header_read_timeout: Duration::from_secs(config.server.header_read_timeout_secs.max(1)),
            keep_alive_idle: Duration::from_secs(config.server.keep_alive_idle_secs.max(1)),
            max_connections: config.server.max_connections.max(1),
        }
    }
}

/// Serve `app` on `listener` until `shutdown` resolves and the open connections are done.
pub async fn serve<S: HttpService>(
    listener: TcpListener,
    app: S,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (closing_tx, closing_rx) = watch::channel(false);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let mut shutdown = pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or a connection reset before accept: not fatal, and
                    // retrying at once would spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Tracked {
            inner: stream,
            activity: activity.clone(),
        });
        let service = TowerToHyperService::new(WithConnectInfo {
            inner: app.clone(),
            remote,
        });
        let conn = builder.serve_connection(io, service);
        let mut closing = closing_rx.clone();
        let idle = limits.keep_alive_idle;
        tokio::spawn(async move {
            let _permit = permit;
            let mut conn = pin!(conn);
            let mut finishing = false;
            loop {
                tokio::select! {
                    result = conn.as_mut() => {
                        if let Err(error) = result {
                            tracing::debug!(%error, "connection ended with an error");
                        }
                        break;
                    }
                    () = activity.idle_for(idle), if !finishing => {
                        conn.as_mut().graceful_shutdown();
                        finishing = true;
                    }
                    _ = closing.wait_for(|closing| *closing), if !finishing => {
                        conn.as_mut().graceful_shutdown();
                        finishing = true;
                    }
                }
            }
        });
    }
    drop(listener);
    let _ = closing_tx.send(true);
    // Every connection holds a permit: all of them back means all connections are closed.
    let _ = permits.acquire_many(limits.max_connections as u32).await;
}

/// When a connection last read or wrote a byte.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = self.start.elapsed().as_millis() as u64;
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// Resolves once the connection has been silent for `idle`.
    async fn idle_for(&self, idle: Duration) {
        loop {
            let last = self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
            let deadline = last + idle;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline.into()).await;
        }
    }
}

pin_project_lite::pin_project! {
    /// A stream that records its activity.
    struct Tracked {
        #[pin]
        inner: tokio::net::TcpStream,
        activity: Arc<Activity>,
    }
}

impl tokio::io::AsyncRead for Tracked {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.project();
        let before = buf.filled().len();
        let result = this.inner.poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.touch();
        }
        result
    }
}

impl tokio::io::AsyncWrite for Tracked {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.project();
        let result = this.inner.poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        result
    }

    fn poll_write_vectored(
        self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.project();
        let result = this.inner.poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.project().inner.poll_flush(cx)
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.project().inner.poll_shutdown(cx)
    }
}

/// The application with the peer's address (`ConnectInfo`, as `axum::serve` gave it) and
/// axum's body type.
#[derive(Clone)]
struct WithConnectInfo<S> {
    inner: S,
    remote: SocketAddr,
}

impl<S: HttpService> Service<hyper::Request<Incoming>> for WithConnectInfo<S> {
    type Response = Response;
    type Error = Infallible;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: hyper::Request<Incoming>) -> Self::Future {
        let mut req: Request = req.map(Body::new);
        req.extensions_mut().insert(ConnectInfo(self.remote));
        self.inner.call(req)
    }
}
