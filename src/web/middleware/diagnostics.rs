//! Diagnostic headers: `Server-Timing` (time in the cache and whether it hit, in PostgreSQL
//! loaders, in the rest of the application, and in total — browsers' dev tools show it, load
//! tests read it) and the response cache's `X-Hud-Cache`.
//!
//! They tell an outsider which pages are cached and how long the database takes (a timing
//! oracle, and a map of what is worth flooding), so they go only to admins — the context layer
//! marks their responses [`Entitled`] — or to everyone when `HUD_DIAGNOSTIC_HEADERS` is on.
//! [`measure`] wraps the future of every request (`ServiceBuilder::map_future`, which composes
//! statically: no box per request), so the total covers all of it.

use std::{convert::Infallible, sync::Arc, time::Instant};

use axum::{
    http::{HeaderName, HeaderValue},
    response::Response,
};

use crate::telemetry::timing::{self, RequestTimings};

/// The response cache's header, saying whether the response came from the cache.
pub const CACHE_HEADER: HeaderName = HeaderName::from_static("x-hud-cache");
const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");

/// On a response: its reader may see the diagnostic headers (an admin).
#[derive(Clone, Copy, Debug)]
pub struct Entitled;

/// Run a request's future with its timings in scope, then add or remove the diagnostic headers
/// (`everyone`: `HUD_DIAGNOSTIC_HEADERS`).
pub async fn measure(
    everyone: bool,
    request: impl Future<Output = Result<Response, Infallible>>,
) -> Result<Response, Infallible> {
    let started = Instant::now();
    let timings = Arc::new(RequestTimings::default());
    let Ok(mut response) = timing::scope(timings.clone(), request).await;
    if everyone || response.extensions().get::<Entitled>().is_some() {
        if let Some(value) = server_timing(started, &timings) {
            response.headers_mut().insert(SERVER_TIMING, value);
        }
    } else {
        response.headers_mut().remove(CACHE_HEADER);
    }
    Ok(response)
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
