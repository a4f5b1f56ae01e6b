//! `Server-Timing` on every response: time in the cache (and whether it hit), in PostgreSQL
//! loaders, in the rest of the application (routing, rendering), and in total. Browsers' dev
//! tools show it; load tests can read it.

use std::{sync::Arc, time::Instant};

use axum::{extract::Request, http::HeaderValue, middleware::Next, response::Response};

use crate::telemetry::timing::{self, RequestTimings};

/// Measure the request and add the header.
pub async fn measure(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let timings = Arc::new(RequestTimings::default());
    let mut response = timing::scope(timings.clone(), next.run(req)).await;
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
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert("server-timing", value);
    }
    response
}
