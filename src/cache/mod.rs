//! The model-cache layer: memoized PostgreSQL reads over an in-process tier and a memcached pool.
//!
//! # How a sub-app reads through it
//!
//! Declare each cacheable lookup once, as a [`Memo`]: its namespace, TTLs, how its key is built
//! from the arguments, and how to load it from PostgreSQL:
//!
//! ```ignore
//! pub static PAGE_BY_ID: Memo<i64, Option<Page>> = Memo {
//!     namespace: "page",
//!     ttl: Ttl::minutes(5),
//!     key: |id| CacheKey::new("page").field("id", id),
//!     load: |db, id| Box::pin(async move { model::page_by_id(&db, id).await }),
//! };
//! let page = PAGE_BY_ID.get(&state.cache, &state.db, 10).await?;
//! // …and the write records what it changed in its own transaction:
//! let mut tx = db.begin().await?;
//! sqlx::query!("UPDATE pages …").execute(&mut *tx).await?;
//! cache.commit(tx, [PAGE_BY_ID.key(&10)]).await?;
//! ```
//!
//! Handlers never build keys by hand; the memo builds them for `get`, `key` and `refresh`. Two
//! richer forms build on the same machinery:
//! - [`Model`] (`model.rs`): a table declares its lookups once and gets `by_fields` (a row by any
//!   lookup), `all` (a whole small table) and `row_keys` (what a write of a row invalidates).
//! - [`Related`] (`related.rs`): rows belonging to a parent (a user's profile, a page's word
//!   counts), read for many parents with one multi-get and one query — no N+1.
//!
//! What is deliberately not memoized — lists that must always be current, such as the admin
//! users list — is read from PostgreSQL on every request.
//!
//! # The invariant
//!
//! No read that begins after a write's invalidation has reached a process returns the value the
//! write replaced — in either tier, whatever the interleaving of loads, refreshes, memcached
//! faults and listener reconnects. Reaching every process takes one NOTIFY (milliseconds), or
//! at worst one heartbeat (half a second) and a read of the log. The protocol, per key:
//!
//! ```text
//!  reader:   local hit ──────────────────────────────────────────────▶ value
//!            local miss ─ ticket ─▶ mg N (lease read)
//!                 ├─ value (not invalidated) ─▶ fill local (unless tombstoned since ticket)
//!                 ├─ W: lease won ─▶ load PostgreSQL ─▶ ms C<cas> ─┬─ stored ─▶ fill local
//!                 │                                               └─ refused (invalidated
//!                 │                                                  meanwhile) ─▶ no fill
//!                 ├─ Z: another holds the lease ─▶ retry with back-off; when its lease
//!                 │       expires (holder died) exactly one waiter wins the next one
//!                 └─ server unusable ─▶ load PostgreSQL ─▶ fill local only
//!  writer:   BEGIN … write … record keys under seq N (outbox row + NOTIFY) … COMMIT
//!            ─▶ md I (mark stale, bump CAS; queued while the server is unreachable)
//!            ─▶ local tombstone + remove
//!  every process, for each seq in order (NOTIFY, or read from the outbox after a hole, a
//!  reconnect or a silent heartbeat): md I, then local tombstone + remove.
//! ```
//!
//! - Local tier (`local.rs`): bytes-bounded, per process. A fill carries a ticket taken before
//!   its source was read; an invalidation since then discards it.
//! - memcached (`memcached.rs`, `lease.rs`): keys on a rendezvous ring; leases and CAS stores on
//!   the meta protocol; an invalidation that cannot be delivered is queued, and the server is not
//!   used by this process until the queue has been replayed to it. One multiplexed connection
//!   per server (`connection.rs`, wire format in `wire.rs`) carries every request's commands,
//!   batched into shared writes and answered in order.
//! - Values (`codec.rs`) start with their type's layout fingerprint (`layout.rs`): a reader
//!   whose type has changed shape loads instead of decoding another layout's bytes.
//! - Invalidation (`invalidate.rs`) is recorded in the writer's transaction, so a COMMIT can
//!   never leave the caches unaware (a request timeout, a dropped future or a crash right after
//!   COMMIT included); the listener (`listener.rs`) applies the log in order and watches a
//!   heartbeat.
//! - A value past its *soft* TTL is served while one caller (across processes: the one
//!   memcached hands the recache flag) refreshes it with CAS; past the *hard* TTL it is gone.
//!   TTLs get ±10 % jitter so entries written together do not expire together.
//! - Any memcached failure counts as a miss; the server is skipped until its back-off ends.

mod batch;
mod bytes;
pub mod codec;
mod connection;
pub mod fragment;
pub mod generation;
mod invalidate;
pub mod key;
pub mod layout;
mod lease;
mod listener;
pub mod local;
pub mod memcached;
pub mod memo;
pub mod model;
mod read;
pub mod related;
pub mod ring;
pub mod stats;
mod wire;

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicBool, AtomicU64},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use sqlx::PgPool;

pub use batch::ManySlots;
pub use bytes::{BytesLookup, BytesSlot};
pub use fragment::Fragment;
pub use key::CacheKey;
pub use lease::Leased;
pub use memo::{Memo, Ttl};
pub use model::{Lookup, Model};
pub use related::Related;
pub use stats::{NamespaceStats, Outcome, Tier};

use codec::Item;
use local::LocalTier;
use memcached::{MemcachedTier, RemoteSettings};

/// PostgreSQL channel carrying invalidations between HUD processes.
pub const CHANNEL: &str = "hud_cache";

/// Settings of the cache layer.
#[derive(Clone, Debug)]
pub struct CacheSettings {
    /// memcached servers (`host:port`); empty = local tier only.
    pub servers: Vec<String>,
    /// Operator-chosen version (`HUD_CACHE_VERSION`), part of every key.
    pub version: String,
    /// Byte budget of the local tier (0 disables it).
    pub local_bytes: u64,
    /// Values above this many bytes are LZ4-compressed.
    pub compress_above: usize,
    /// How long a lease lives when its holder dies without storing or releasing it; waiters
    /// wait at most a little longer than this before loading themselves.
    pub lease_ttl: Duration,
    /// How often the listener checks PostgreSQL's invalidation sequence (the heartbeat that
    /// finds a silent listener connection and invalidations it did not deliver).
    pub heartbeat: Duration,
    /// memcached timeouts and limits.
    pub remote: RemoteSettings,
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings {
            servers: Vec::new(),
            version: "1".into(),
            local_bytes: 64 * 1024 * 1024,
            compress_above: 1024,
            lease_ttl: Duration::from_secs(2),
            heartbeat: Duration::from_millis(500),
            remote: RemoteSettings::default(),
        }
    }
}

impl CacheSettings {
    /// The settings `config` asks for (`HUD_MEMCACHED`, `HUD_CACHE_*`).
    pub fn from_config(config: &crate::config::Config) -> Self {
        let timeout = Duration::from_millis(config.cache.memcached_timeout_ms.max(1));
        let defaults = CacheSettings::default();
        CacheSettings {
            servers: config
                .cache
                .memcached
                .iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            version: config.cache.version.clone(),
            local_bytes: config.cache.local_bytes,
            remote: RemoteSettings {
                connect_timeout: timeout,
                io_timeout: timeout,
                multi_set_batch: config.cache.multi_set_batch.max(1),
                ..defaults.remote.clone()
            },
            ..defaults
        }
    }
}

/// The cache of one process. Cheap to clone.
#[derive(Clone)]
pub struct Cache {
    inner: Arc<Inner>,
}

struct Inner {
    local: LocalTier,
    remote: Option<MemcachedTier>,
    settings: CacheSettings,
    /// `hud{version}.{schema}.{generation}:` — a flush bumps the generation.
    prefix: RwLock<String>,
    schema: i64,
    flights: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Renders of raw bytes in progress in this process (see `bytes.rs`).
    renders: Mutex<HashMap<String, Arc<tokio::sync::RwLock<()>>>>,
    stats: stats::Stats,
    db: Option<PgPool>,
    /// Number of the last invalidation-log entry this process applied (see `listener.rs`).
    applied: AtomicU64,
    /// Whether the listener is connected and caught up with the log.
    listening: AtomicBool,
}

impl Cache {
    /// A cache; with `db`, invalidations are recorded in PostgreSQL and reach other processes
    /// (call [`Cache::listen`] to receive theirs). Starts the task that replays invalidations
    /// queued for unreachable memcached servers (when called inside a Tokio runtime).
    pub fn new(settings: CacheSettings, schema: i64, db: Option<PgPool>) -> Self {
        let remote = (!settings.servers.is_empty())
            .then(|| MemcachedTier::new(&settings.servers, settings.remote.clone()));
        let prefix = format!("hud{}.{}.0:", settings.version, schema);
        let cache = Cache {
            inner: Arc::new(Inner {
                local: LocalTier::new(settings.local_bytes),
                remote,
                prefix: RwLock::new(prefix),
                schema,
                settings,
                flights: Mutex::new(HashMap::new()),
                renders: Mutex::new(HashMap::new()),
                stats: stats::Stats::default(),
                db,
                applied: AtomicU64::new(0),
                listening: AtomicBool::new(false),
            }),
        };
        if cache.inner.remote.is_some() && tokio::runtime::Handle::try_current().is_ok() {
            invalidate::spawn_replayer(&cache);
        }
        cache
    }

    /// The full memcached key of a cache key under the current version prefix.
    pub fn full_key(&self, key: &CacheKey) -> String {
        key.full(&self.prefix())
    }

    fn prefix(&self) -> String {
        self.inner
            .prefix
            .read()
            .map(|p| p.clone())
            .unwrap_or_default()
    }

    /// Switch to another generation (after `hud cache flush`): every old key is unreachable.
    pub fn set_generation(&self, generation: i64) {
        let prefix = format!(
            "hud{}.{}.{generation}:",
            self.inner.settings.version, self.inner.schema
        );
        if let Ok(mut current) = self.inner.prefix.write()
            && *current != prefix
        {
            *current = prefix;
            self.inner.local.clear();
        }
    }

    /// A rendered template fragment from the local tier, or `render`ed and kept there.
    /// Fragments are cheap to rebuild and vary per process-local inputs, so they never go to
    /// memcached; their key must name everything they vary on. A hit is the cached item
    /// itself: nothing is copied until the page writes it out.
    pub fn fragment(
        &self,
        key: &CacheKey,
        ttl: Duration,
        render: impl FnOnce() -> Option<String>,
    ) -> Option<Fragment> {
        let full = self.full_key(key);
        let started = std::time::Instant::now();
        if let Some(item) = self.inner.local.get(&full) {
            self.inner.stats.record(
                key.namespace(),
                Tier::Local,
                Outcome::Hit,
                started.elapsed(),
            );
            return Some(Fragment::new(item));
        }
        self.inner.stats.record(
            key.namespace(),
            Tier::Local,
            Outcome::Miss,
            started.elapsed(),
        );
        let ticket = self.inner.local.ticket();
        let item = Arc::new(Item::new(i64::MAX, render()?.into_bytes()));
        self.inner.local.fill(&ticket, full, item.clone(), ttl);
        Some(Fragment::new(item))
    }

    /// Statistics per namespace (for `/admin/cache` and `hud cache stats`).
    pub fn stats(&self) -> Vec<NamespaceStats> {
        self.inner.stats.snapshot()
    }

    /// Local tier size: (entries, bytes).
    pub fn local_usage(&self) -> (usize, u64) {
        (self.inner.local.len(), self.inner.local.bytes())
    }

    /// memcached server states (empty without memcached).
    pub fn servers(&self) -> Vec<memcached::ServerState> {
        self.inner
            .remote
            .as_ref()
            .map(memcached::MemcachedTier::states)
            .unwrap_or_default()
    }

    /// memcached's own statistics per server.
    pub async fn server_stats(&self) -> Vec<(String, HashMap<String, String>)> {
        match &self.inner.remote {
            Some(remote) => remote.stats().await,
            None => Vec::new(),
        }
    }

    /// Drop every entry of the local tier (and discard fills in flight).
    pub fn clear_local(&self) {
        self.inner.local.clear();
    }

    /// Whether the local tier holds `key` now (for tests and diagnostics).
    pub fn holds_locally(&self, key: &CacheKey) -> bool {
        self.inner.local.get(&self.full_key(key)).is_some()
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
