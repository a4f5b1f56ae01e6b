//! Hit / miss / stale / error counts and latency per tier and namespace: exported to
//! Prometheus (`/metrics`) and kept in-process for `/admin/cache` and `hud cache stats`.

use std::{
    collections::BTreeMap,
    sync::{
        Mutex, OnceLock,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use metrics::{Counter, Histogram};

use crate::telemetry;

/// Where a value was looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The in-process tier.
    Local,
    /// The memcached pool.
    Memcached,
    /// PostgreSQL (a loader ran).
    Database,
}

impl Tier {
    /// Label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Local => "local",
            Tier::Memcached => "memcached",
            Tier::Database => "database",
        }
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Found fresh.
    Hit,
    /// Found past its soft TTL (served while refreshed).
    Stale,
    /// Not there.
    Miss,
    /// The tier failed (counted as a miss).
    Error,
    /// A loader ran.
    Load,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Hit => "hit",
            Outcome::Stale => "stale",
            Outcome::Miss => "miss",
            Outcome::Error => "error",
            Outcome::Load => "load",
        }
    }
}

/// Counts of one namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NamespaceStats {
    /// The namespace.
    pub namespace: String,
    /// Local tier: hits, stale hits, misses.
    pub local: [u64; 3],
    /// memcached: hits, stale hits, misses, errors.
    pub memcached: [u64; 4],
    /// Loader calls (PostgreSQL reads).
    pub loads: u64,
    /// Invalidations.
    pub invalidations: u64,
}

impl NamespaceStats {
    /// Share of reads answered from a cache tier (0–1).
    pub fn hit_ratio(&self) -> f64 {
        let hits = self.local[0] + self.local[1] + self.memcached[0] + self.memcached[1];
        let total = hits + self.loads;
        if total == 0 {
            0.0
        } else {
            hits as f64 / total as f64
        }
    }
}

#[derive(Default)]
struct Counters {
    local: [AtomicU64; 3],
    memcached: [AtomicU64; 4],
    loads: AtomicU64,
    invalidations: AtomicU64,
    exported: Exported,
}

/// The namespace's Prometheus series, registered on first use: building a labelled key and
/// looking it up in the recorder on every count cost more than the count itself.
#[derive(Default)]
struct Exported {
    requests: [[OnceLock<Counter>; OUTCOMES]; TIERS],
    durations: [OnceLock<Histogram>; TIERS],
    invalidations: OnceLock<Counter>,
}

const TIERS: usize = 3;
const OUTCOMES: usize = 5;

/// All counters of a process.
#[derive(Default)]
pub struct Stats {
    by_namespace: Mutex<BTreeMap<&'static str, &'static Counters>>,
}

impl Stats {
    fn counters(&self, namespace: &'static str) -> &'static Counters {
        let mut map = self
            .by_namespace
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Namespaces are a small fixed set declared in code; leaking one counter block each
        // keeps the hot path lock-free after the first lookup.
        map.entry(namespace)
            .or_insert_with(|| Box::leak(Box::default()))
    }

    /// Count one lookup.
    pub fn record(&self, namespace: &'static str, tier: Tier, outcome: Outcome, took: Duration) {
        let c = self.counters(namespace);
        let slot = match (tier, outcome) {
            (Tier::Local, Outcome::Hit) => Some(&c.local[0]),
            (Tier::Local, Outcome::Stale) => Some(&c.local[1]),
            (Tier::Local, _) => Some(&c.local[2]),
            (Tier::Memcached, Outcome::Hit) => Some(&c.memcached[0]),
            (Tier::Memcached, Outcome::Stale) => Some(&c.memcached[1]),
            (Tier::Memcached, Outcome::Miss) => Some(&c.memcached[2]),
            (Tier::Memcached, _) => Some(&c.memcached[3]),
            (Tier::Database, _) => Some(&c.loads),
        };
        if let Some(slot) = slot {
            slot.fetch_add(1, Ordering::Relaxed);
        }
        let exported = &c.exported;
        exported.requests[tier as usize][outcome as usize]
            .get_or_init(|| {
                telemetry::metrics_recorder();
                metrics::counter!("cache_requests_total", "tier" => tier.as_str(), "namespace" => namespace, "result" => outcome.as_str())
            })
            .increment(1);
        exported.durations[tier as usize]
            .get_or_init(|| {
                telemetry::metrics_recorder();
                metrics::histogram!("cache_duration_seconds", "tier" => tier.as_str(), "namespace" => namespace)
            })
            .record(took.as_secs_f64());
    }

    /// Count one invalidation.
    pub fn invalidated(&self, namespace: &'static str) {
        let c = self.counters(namespace);
        c.invalidations.fetch_add(1, Ordering::Relaxed);
        c.exported
            .invalidations
            .get_or_init(|| {
                telemetry::metrics_recorder();
                metrics::counter!("cache_invalidations_total", "namespace" => namespace)
            })
            .increment(1);
    }

    /// A copy of all counts, by namespace.
    pub fn snapshot(&self) -> Vec<NamespaceStats> {
        let map = self
            .by_namespace
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.iter()
            .map(|(namespace, c)| NamespaceStats {
                namespace: (*namespace).to_owned(),
                local: [0, 1, 2].map(|i| c.local[i].load(Ordering::Relaxed)),
                memcached: [0, 1, 2, 3].map(|i| c.memcached[i].load(Ordering::Relaxed)),
                loads: c.loads.load(Ordering::Relaxed),
                invalidations: c.invalidations.load(Ordering::Relaxed),
            })
            .collect()
    }
}
