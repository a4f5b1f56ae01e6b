//! Time spent in the cache and in PostgreSQL during one request, for the `Server-Timing`
//! header. The web layer opens a scope per request; work outside a scope is not counted.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

tokio::task_local! {
    static CURRENT: Arc<RequestTimings>;
}

/// Accumulated durations of one request.
#[derive(Default, Debug)]
pub struct RequestTimings {
    cache_us: AtomicU64,
    db_us: AtomicU64,
    any_cache_miss: AtomicBool,
    any_cache_hit: AtomicBool,
}

impl RequestTimings {
    /// Microseconds in cache lookups.
    pub fn cache(&self) -> Duration {
        Duration::from_micros(self.cache_us.load(Ordering::Relaxed))
    }

    /// Microseconds in loaders (PostgreSQL).
    pub fn db(&self) -> Duration {
        Duration::from_micros(self.db_us.load(Ordering::Relaxed))
    }

    /// `hit`, `miss`, `mixed` or `none`.
    pub fn cache_result(&self) -> &'static str {
        match (
            self.any_cache_hit.load(Ordering::Relaxed),
            self.any_cache_miss.load(Ordering::Relaxed),
        ) {
            (true, false) => "hit",
            (false, true) => "miss",
            (true, true) => "mixed",
            (false, false) => "none",
        }
    }
}

/// Run `fut` with its own timings.
pub fn scope<F: std::future::Future>(
    timings: Arc<RequestTimings>,
    fut: F,
) -> tokio::task::futures::TaskLocalFuture<Arc<RequestTimings>, F> {
    CURRENT.scope(timings, fut)
}

/// Add a cache lookup.
pub fn record_cache(took: Duration, hit: bool) {
    let _ = CURRENT.try_with(|t| {
        t.cache_us
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
        if hit {
            t.any_cache_hit.store(true, Ordering::Relaxed);
        } else {
            t.any_cache_miss.store(true, Ordering::Relaxed);
        }
    });
}

/// Add a database read.
pub fn record_db(took: Duration) {
    let _ = CURRENT.try_with(|t| {
        t.db_us
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed)
    });
}

/// Run a database read outside the model-cache layer (whose loaders are counted already) and
/// count its time as database time.
pub async fn db<T>(read: impl Future<Output = T>) -> T {
    let started = std::time::Instant::now();
    let out = read.await;
    record_db(started.elapsed());
    out
}
