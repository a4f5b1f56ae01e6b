//! Prometheus metrics: requests by route, method and status; a latency histogram by route.
//! Applied to every route (it needs the matched route pattern). A form the CSRF check refuses
//! never reaches a route; it is counted as `http_requests_refused_total{reason="csrf"}`.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request},
    http::Method,
    middleware::Next,
    response::Response,
};

use crate::telemetry;

/// The layer (`from_fn`, on every route).
pub async fn layer(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = label(req.method());
    let started = Instant::now();
    let response = next.run(req).await;
    // The recorder must exist before the first metric is registered, or it counts nowhere.
    telemetry::metrics_recorder();
    metrics::counter!(
        "http_requests_total",
        "route" => route.clone(),
        "method" => method,
        "status" => response.status().as_str().to_owned()
    )
    .increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Standard methods as they are; any other one (a client may invent methods) as `OTHER`, so
/// requests cannot grow the number of series.
fn label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "OTHER",
    }
}
