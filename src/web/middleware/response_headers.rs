//! Headers on every response: the security headers (a strict Content-Security-Policy, no
//! sniffing or framing) and `Server-Timing`, which measures the whole request.
//!
//! `Server-Timing` and the response cache's `X-Hud-Cache` tell an outsider which pages are
//! cached and how long the database takes (a timing oracle, and a map of what is worth
//! flooding), so they go only to admins, or to everyone when `HUD_DIAGNOSTIC_HEADERS` is on.
//!
//! A hand-written service rather than a `from_fn` layer: it is the outermost layer of every
//! request, and `from_fn` would box its future and the inner stack's future each time.

use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll, ready},
    time::Instant,
};

use axum::{
    extract::Request,
    http::{HeaderName, HeaderValue, header},
    response::Response,
};
use pin_project_lite::pin_project;
use tokio::task::futures::TaskLocalFuture;
use tower::{Layer, Service};

use super::{context::Ctx, server_timing};
use crate::telemetry::timing::{self, RequestTimings};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'none'";
/// Swagger UI sets inline styles; it is the only page that gets them.
const CSP_API_DOCS: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// Adds [`ResponseHeaders`] around a service.
#[derive(Clone, Copy, Debug, Default)]
pub struct ResponseHeadersLayer {
    /// Diagnostic headers for everyone (`HUD_DIAGNOSTIC_HEADERS`), not only admins.
    pub diagnostics: bool,
}

impl<S> Layer<S> for ResponseHeadersLayer {
    type Service = ResponseHeaders<S>;

    fn layer(&self, inner: S) -> ResponseHeaders<S> {
        ResponseHeaders {
            inner,
            diagnostics: self.diagnostics,
        }
    }
}

/// Sets the security headers and `Server-Timing` on the inner service's responses.
#[derive(Clone, Debug)]
pub struct ResponseHeaders<S> {
    inner: S,
    diagnostics: bool,
}

/// The response cache's header, saying whether the response came from the cache.
const CACHE_HEADER: HeaderName = HeaderName::from_static("x-hud-cache");

impl<S> Service<Request> for ResponseHeaders<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = ResponseHeadersFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let started = Instant::now();
        let api_docs = req.uri().path().starts_with("/api/docs");
        let timings = Arc::new(RequestTimings::default());
        ResponseHeadersFuture {
            inner: timing::scope(timings.clone(), self.inner.call(req)),
            timings,
            started,
            api_docs,
            diagnostics: self.diagnostics,
        }
    }
}

pin_project! {
    /// The inner future, run with the request's timings in scope.
    pub struct ResponseHeadersFuture<F> {
        #[pin]
        inner: TaskLocalFuture<Arc<RequestTimings>, F>,
        timings: Arc<RequestTimings>,
        started: Instant,
        api_docs: bool,
        diagnostics: bool,
    }
}

impl<F> Future for ResponseHeadersFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Ok(mut response) = ready!(this.inner.poll(cx));
        // The request pass leaves its context (with the user) on the response.
        let admin = response
            .extensions()
            .get::<Ctx>()
            .and_then(|ctx| ctx.user.as_ref())
            .is_some_and(|user| user.is_admin);
        let h = response.headers_mut();
        if *this.diagnostics || admin {
            if let Some(value) = server_timing::header_value(*this.started, this.timings) {
                h.insert(HeaderName::from_static("server-timing"), value);
            }
        } else {
            h.remove(CACHE_HEADER);
        }
        let csp = if *this.api_docs { CSP_API_DOCS } else { CSP };
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        );
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        );
        Poll::Ready(Ok(response))
    }
}
