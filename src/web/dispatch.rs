//! The first routing decision: static files and the operational endpoints (`/healthz`,
//! `/readyz`, `/metrics`) go to their own small router; every other request goes straight to
//! the page stack (language prefix, sessions, error pages, the sub-apps' router).
//!
//! A hand-written service rather than a `Router` fallback: a fallback service is boxed, future
//! and all, and the page stack's future is the largest of the application — copying it into a
//! box on every page request showed up in perf.

use std::{
    convert::Infallible,
    task::{Context, Poll},
};

use axum::{Router, extract::Request, response::Response, routing::future::RouteFuture};
use futures_util::future::Either;
use tower::Service;

/// Paths the operational router serves (anything it does not match falls back to the pages).
fn is_operational(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics") || path.starts_with("/static/")
}

/// Sends each request to the operational router or to the page stack.
#[derive(Clone)]
pub struct Dispatch<P> {
    /// Static files and operational endpoints; its fallback is the page stack too.
    pub operational: Router,
    /// Everything else.
    pub pages: P,
}

impl<P> Service<Request> for Dispatch<P>
where
    P: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<RouteFuture<Infallible>, P::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // The router is always ready; the page stack decides.
        self.pages.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if is_operational(req.uri().path()) {
            Either::Left(self.operational.call(req))
        } else {
            Either::Right(self.pages.call(req))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_operational;

    #[test]
    fn only_static_files_and_operational_endpoints_are_operational() {
        for path in ["/healthz", "/readyz", "/metrics", "/static/css/app.css"] {
            assert!(is_operational(path), "{path}");
        }
        for path in [
            "/",
            "/static",
            "/healthz/x",
            "/nl/healthz",
            "/metrics2",
            "/admin",
        ] {
            assert!(!is_operational(path), "{path}");
        }
    }
}
