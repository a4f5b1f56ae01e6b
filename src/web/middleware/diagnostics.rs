//! Diagnostic headers: `Server-Timing` (time in the cache and whether it hit, in PostgreSQL
//! loaders, in the rest of the application, and in total — browsers' dev tools show it, load
//! tests read it) and the response cache's `X-Hud-Cache`.
//!
//! They tell an outsider which pages are cached and how long the database takes (a timing
//! oracle, and a map of what is worth flooding), so they go only to admins — the context layer
//! marks their responses [`Entitled`] — or to everyone when `HUD_DIAGNOSTIC_HEADERS` is on.
//! The layer wraps the routing of every request, so the total covers all of it.

use std::{sync::Arc, time::Instant};

use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};

use crate::telemetry::timing::{self, RequestTimings};

/// The response cache's header, saying whether the response came from the cache.
pub const CACHE_HEADER: HeaderName = HeaderName::from_static("x-hud-cache");
const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");

/// On a response: its reader may see the diagnostic headers (an admin).
#[derive(Clone, Copy, Debug)]
pub struct Entitled;

/// The layer (`from_fn_with_state`); the state says whether everyone sees the headers.
pub async fn layer(State(everyone): State<bool>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let timings = Arc::new(RequestTimings::default());
    let mut response = timing::scope(timings.clone(), next.run(req)).await;
    if everyone || response.extensions().get::<Entitled>().is_some() {
        if let Some(value) = server_timing(started, &timings) {
            response.headers_mut().insert(SERVER_TIMING, value);
        }
    } else {
        response.headers_mut().remove(CACHE_HEADER);
    }
    response
}

/// The `Server-Timing` value for a request that started at `started`.
fn server_timing(started: Instant, timings: &RequestTimings) -> Option<HeaderValue> {
    let total = started.elapsed();
    let (cache, db) = (timings.cache(), timings.db());
    let app = total.saturating_sub(cache).saturating_sub(db);
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let value = format!(
        "cache;dur={:.3};desc=\"{}\", db;dur={:.3}, app;dur={:.3}, total;dur={:.3}",
        ms(cache),
        timings.cache_result(),
        ms(db),
        ms(app),
        ms(total)
    );
    HeaderValue::from_str(&value).ok()
}
