//! Cache warm-up: at start (unless `HUD_CACHE_WARM=false`) and by `hud cache warm`, the public
//! pages each enabled sub-app lists in `warm_paths` are requested once per language through the
//! real router, so the response cache (local tier and memcached) holds them before the first
//! visitor asks. Rendering a page reads its models through the cache, so their entries are warm
//! too.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Request, StatusCode},
};
use tower::ServiceExt;

use super::AppState;
use crate::i18n::Lang;

/// What a warm-up did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WarmReport {
    /// Pages rendered into the response cache.
    pub pages: usize,
    /// Pages that failed (logged; the cache then fills on demand).
    pub failures: usize,
    /// Time taken.
    pub elapsed: Duration,
}

/// Warm the cache of `state`'s process (and memcached, shared by all processes).
pub async fn warm(state: &AppState) -> WarmReport {
    let started = Instant::now();
    let mut report = WarmReport::default();
    let router = super::router::build(state.clone());
    let paths = state.apps.iter().flat_map(|app| app.warm_paths.iter());
    for path in paths {
        for lang in Lang::ALL {
            let uri = match lang {
                Lang::En => (*path).to_owned(),
                _ => format!("/{}{}", lang.code(), path),
            };
            let Ok(mut request) = Request::get(&uri).body(Body::empty()) else {
                report.failures += 1;
                continue;
            };
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 0))));
            match router.clone().oneshot(request).await {
                Ok(response) if response.status() == StatusCode::OK => report.pages += 1,
                Ok(response) => {
                    tracing::warn!(%uri, status = %response.status(), "warm-up page failed");
                    report.failures += 1;
                }
                Err(never) => match never {},
            }
        }
    }
    report.elapsed = started.elapsed();
    tracing::info!(
        pages = report.pages,
        failures = report.failures,
        elapsed_ms = report.elapsed.as_millis() as u64,
        "cache warmed"
    );
    report
}
