//! `Server-Timing` on every response: time in the cache (and whether it hit), in PostgreSQL
//! loaders, in the rest of the application (routing, rendering), and in total. Browsers' dev
//! tools show it; load tests can read it. Set by the response-headers layer.

use std::time::Instant;

use axum::http::HeaderValue;

use crate::telemetry::timing::RequestTimings;

/// The header's value for a request that started at `started`.
pub fn header_value(started: Instant, timings: &RequestTimings) -> Option<HeaderValue> {
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
