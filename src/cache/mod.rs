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
//! // …and in the model's write function, after the commit:
//! PAGE_BY_ID.invalidate(&state.cache, &10).await;
//! ```
//!
//! Handlers never build keys by hand; the memo builds them for `get`, `invalidate` and
//! `refresh`. Two richer forms build on the same machinery:
//! - [`Model`] (`model.rs`): a table declares its lookups once and gets `by_fields` (a row by any
//!   lookup), `all` (a whole small table, filling every row's keys with a chunked multi-set)
//!   and `invalidate_row`.
//! - [`Related`] (`related.rs`): rows belonging to a parent (a user's profile, a page's word
//!   counts), read for many parents with one multi-get and one query — no N+1.
//!
//! Invalidation drops the key from this process, from memcached, and (through PostgreSQL
//! `NOTIFY`) from the local tier of every other HUD process.
//!
//! What is deliberately not memoized — lists that must always be current, such as the admin
//! users list — is read through the pipelined connections of `crate::db::pipeline`
//! (`state.reads`), never by opening a connection of one's own.
//!
//! # What a read does
//!
//! 1. Local tier (bytes-bounded, per process) → memcached (the server owning the key on the
//!    rendezvous ring) → PostgreSQL through the memo's loader. A small item in the local tier
//!    is decoded by its first reader and keeps the value; later hits clone it (its weight
//!    counts the copy).
//! 2. A value past its *soft* TTL is served at once while one background task refreshes it
//!    (stale-while-revalidate); past the *hard* TTL it is gone. TTLs get ±10 % jitter so
//!    entries written together do not expire together.
//! 3. Misses are single-flight: within a process one loader runs per key while the other
//!    callers wait for its result; across processes a lease (memcached `add`) lets one process
//!    load while the others briefly poll memcached for the value, then load themselves if it
//!    does not come (never fail, never wait long).
//! 4. Any memcached failure counts as a miss; the server is skipped until its back-off ends.

pub mod codec;
pub mod fragment;
pub mod generation;
pub mod key;
pub mod local;
pub mod memcached;
pub mod memo;
pub mod model;
pub mod related;
pub mod ring;
pub mod stats;

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex, RwLock},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use serde::{Serialize, de::DeserializeOwned};
use sqlx::PgPool;

use crate::telemetry::timing;
pub use fragment::Fragment;
pub use key::CacheKey;
pub use memo::{Memo, Ttl};
pub use model::{Lookup, Model};
pub use related::Related;
pub use stats::{NamespaceStats, Outcome, Tier};

use codec::Item;
use local::LocalTier;
use memcached::{Fetch, MemcachedTier, RemoteSettings};

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
    /// How long a process waits for another process's lease before loading itself.
    pub lease_wait: Duration,
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
            lease_wait: Duration::from_millis(500),
            remote: RemoteSettings::default(),
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
    stats: stats::Stats,
    db: Option<PgPool>,
}

/// Outcome of a lookup in the tiers.
enum Found {
    Fresh(Arc<Item>),
    Stale(Arc<Item>),
    Missing { remote_available: bool },
}

impl Cache {
    /// A cache; with `db`, invalidations are broadcast to other processes (call
    /// [`Cache::listen`] to receive theirs).
    pub fn new(settings: CacheSettings, schema: i64, db: Option<PgPool>) -> Self {
        let remote = (!settings.servers.is_empty())
            .then(|| MemcachedTier::new(&settings.servers, settings.remote.clone()));
        let prefix = format!("hud{}.{}.0:", settings.version, schema);
        Cache {
            inner: Arc::new(Inner {
                local: LocalTier::new(settings.local_bytes),
                remote,
                prefix: RwLock::new(prefix),
                schema,
                settings,
                flights: Mutex::new(HashMap::new()),
                stats: stats::Stats::default(),
                db,
            }),
        }
    }

    /// The full memcached key of a cache key under the current version prefix.
    pub fn full_key(&self, key: &CacheKey) -> String {
        let prefix = self
            .inner
            .prefix
            .read()
            .map(|p| p.clone())
            .unwrap_or_default();
        key.full(&prefix)
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

    /// Read `key`, or load it with `loader` (see the module docs for the whole protocol).
    pub async fn get_or_load<V, E, F, Fut>(
        &self,
        key: &CacheKey,
        ttl: Ttl,
        loader: F,
    ) -> Result<V, E>
    where
        V: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
        E: std::fmt::Display + Send + 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
    {
        let full = self.full_key(key);
        let namespace = key.namespace();
        match self.lookup(&full, namespace, ttl).await {
            Found::Fresh(item) => {
                if let Some(value) = item.value() {
                    return Ok(value);
                }
            }
            Found::Stale(item) => {
                if let Some(value) = item.value() {
                    self.refresh_in_background(full, namespace, ttl, loader);
                    return Ok(value);
                }
            }
            Found::Missing { .. } => {}
        }
        // Single flight within this process.
        let flight = self.flight(&full);
        let _guard = flight.lock().await;
        let found = self.lookup(&full, namespace, ttl).await;
        if let Found::Fresh(item) | Found::Stale(item) = &found
            && let Some(value) = item.value()
        {
            self.forget_flight(&full, &flight);
            return Ok(value);
        }
        let remote_available = !matches!(
            found,
            Found::Missing {
                remote_available: false
            }
        );
        // Single flight across processes: a lease in memcached.
        let lease = format!("lease:{}", blake3::hash(full.as_bytes()).to_hex());
        let mut holds_lease = false;
        if let (Some(remote), true) = (&self.inner.remote, remote_available) {
            match remote.add(&lease, b"1", Duration::from_secs(10)).await {
                Some(true) => holds_lease = true,
                Some(false) => {
                    if let Some(item) = self.await_other_process(&full, namespace, ttl).await
                        && let Some(value) = item.value()
                    {
                        self.forget_flight(&full, &flight);
                        return Ok(value);
                    }
                }
                None => {}
            }
        }
        let started = std::time::Instant::now();
        let loaded = loader().await;
        timing::record_db(started.elapsed());
        self.inner
            .stats
            .record(namespace, Tier::Database, Outcome::Load, started.elapsed());
        let result = match loaded {
            Ok(value) => {
                self.store(&full, &value, ttl).await;
                Ok(value)
            }
            Err(e) => Err(e),
        };
        if holds_lease && let Some(remote) = &self.inner.remote {
            remote.delete(&lease).await;
        }
        self.forget_flight(&full, &flight);
        result
    }

    /// Load fresh and store, whatever is cached (e.g. right after a write).
    pub async fn refresh<V, E, F, Fut>(&self, key: &CacheKey, ttl: Ttl, loader: F) -> Result<V, E>
    where
        V: Serialize + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let full = self.full_key(key);
        let value = loader().await?;
        self.store(&full, &value, ttl).await;
        self.broadcast(&format!("del {full}")).await;
        Ok(value)
    }

    /// Drop a key everywhere: this process, memcached, and (via NOTIFY) every other process.
    pub async fn invalidate(&self, key: &CacheKey) {
        let full = self.full_key(key);
        self.inner.local.remove(&full);
        if let Some(remote) = &self.inner.remote {
            remote.delete(&full).await;
        }
        self.inner.stats.invalidated(key.namespace());
        self.broadcast(&format!("del {full}")).await;
    }

    /// Store raw bytes under a key (for response and fragment caching).
    pub async fn put_bytes(&self, key: &CacheKey, bytes: Vec<u8>, ttl: Ttl) {
        let full = self.full_key(key);
        self.store_payload(&full, bytes, ttl).await;
    }

    /// Raw bytes of a key, if fresh or stale-but-alive.
    pub async fn get_bytes(&self, key: &CacheKey, ttl: Ttl) -> Option<Arc<Item>> {
        let full = self.full_key(key);
        match self.lookup(&full, key.namespace(), ttl).await {
            Found::Fresh(item) | Found::Stale(item) => Some(item),
            Found::Missing { .. } => None,
        }
    }

    /// Many fresh values at once: the local tier first, then one multi-get per memcached server
    /// for the rest. Missing, stale or undecodable values come back as `None` (the caller loads
    /// them together, see [`Related`]).
    pub async fn get_many<V: DeserializeOwned>(
        &self,
        keys: &[CacheKey],
        ttl: Ttl,
    ) -> Vec<Option<V>> {
        let started = std::time::Instant::now();
        let now = now_ms();
        let fresh = |item: &Item| item.soft_expires_at_ms > now;
        let full: Vec<String> = keys.iter().map(|k| self.full_key(k)).collect();
        let mut out: Vec<Option<V>> = Vec::with_capacity(keys.len());
        let mut wanted = Vec::new();
        for (i, (key, full)) in keys.iter().zip(&full).enumerate() {
            let value = self
                .inner
                .local
                .get(full)
                .filter(|item| fresh(item))
                .and_then(|item| codec::from_payload(&item.payload));
            self.record_batch(key.namespace(), Tier::Local, value.is_some());
            if value.is_none() {
                wanted.push(i);
            }
            out.push(value);
        }
        if let (Some(remote), false) = (&self.inner.remote, wanted.is_empty()) {
            let names: Vec<String> = wanted.iter().map(|&i| full[i].clone()).collect();
            let mut found = remote.get_many(&names).await;
            for i in wanted {
                let item = found
                    .remove(&full[i])
                    .and_then(|bytes| codec::decode(&bytes))
                    .filter(|item| fresh(item));
                let value = item
                    .as_ref()
                    .and_then(|item| codec::from_payload(&item.payload));
                self.record_batch(keys[i].namespace(), Tier::Memcached, value.is_some());
                if let (Some(item), true) = (item, value.is_some()) {
                    self.inner
                        .local
                        .insert(full[i].clone(), Arc::new(item), ttl.hard);
                }
                out[i] = value;
            }
        }
        timing::record_cache(started.elapsed(), out.iter().all(Option::is_some));
        out
    }

    fn record_batch(&self, namespace: &'static str, tier: Tier, hit: bool) {
        let outcome = if hit { Outcome::Hit } else { Outcome::Miss };
        self.inner
            .stats
            .record(namespace, tier, outcome, Duration::ZERO);
    }

    /// Record one PostgreSQL load in `namespace` by a loader that bypasses
    /// [`Cache::get_or_load`] (batch loads).
    pub(crate) fn record_load(&self, namespace: &'static str, elapsed: Duration) {
        timing::record_db(elapsed);
        self.inner
            .stats
            .record(namespace, Tier::Database, Outcome::Load, elapsed);
    }

    /// Write many values at once (filling `all` lookups), in batches per memcached server.
    pub async fn put_many<V: Serialize>(&self, entries: &[(CacheKey, V)], ttl: Ttl) {
        let mut remote_items = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let Ok(payload) = codec::to_payload(value) else {
                continue;
            };
            let full = self.full_key(key);
            let item = self.item(payload, ttl);
            if let Some(remote) = &self.inner.remote {
                let encoded = codec::encode(&item, self.inner.settings.compress_above);
                if encoded.len() <= self.inner.settings.remote.chunk_bytes {
                    remote_items.push((full.clone(), encoded));
                } else {
                    remote.set(&full, &encoded, ttl.hard_jittered()).await;
                }
            }
            self.inner.local.insert(full, Arc::new(item), ttl.hard);
        }
        if let Some(remote) = &self.inner.remote {
            remote.set_many(&remote_items, ttl.hard_jittered()).await;
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
        let item = Arc::new(Item::new(i64::MAX, render()?.into_bytes()));
        self.inner.local.insert(full, item.clone(), ttl);
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
            .map(|r| r.states())
            .unwrap_or_default()
    }

    /// memcached's own statistics per server.
    pub async fn server_stats(&self) -> Vec<(String, HashMap<String, String>)> {
        match &self.inner.remote {
            Some(remote) => remote.stats().await,
            None => Vec::new(),
        }
    }

    /// Drop every entry of the local tier.
    pub fn clear_local(&self) {
        self.inner.local.clear();
    }

    /// Apply a message from another process (see [`CHANNEL`]).
    pub fn apply_broadcast(&self, message: &str) {
        if let Some(full) = message.strip_prefix("del ") {
            self.inner.local.remove(full);
        } else if let Some(generation) = message.strip_prefix("generation ") {
            if let Ok(generation) = generation.parse() {
                self.set_generation(generation);
            }
        } else {
            self.inner.local.clear();
        }
    }

    async fn broadcast(&self, message: &str) {
        let Some(db) = &self.inner.db else { return };
        if let Err(error) = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(message)
            .execute(db)
            .await
        {
            tracing::warn!(%error, "cache invalidation broadcast failed");
        }
    }

    /// Receive other processes' invalidations until the process ends. A lost connection clears
    /// the local tier (invalidations may have been missed) before listening again.
    pub fn listen(&self, db: PgPool) -> tokio::task::JoinHandle<()> {
        let cache = self.clone();
        tokio::spawn(async move {
            loop {
                let mut listener = match sqlx::postgres::PgListener::connect_with(&db).await {
                    Ok(listener) => listener,
                    Err(error) => {
                        tracing::warn!(%error, "cache listener cannot connect; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                };
                if let Err(error) = listener.listen(CHANNEL).await {
                    tracing::warn!(%error, "cache listener cannot LISTEN; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
                // Anything written while we were not listening may be stale.
                cache.clear_local();
                loop {
                    match listener.try_recv().await {
                        Ok(Some(notification)) => cache.apply_broadcast(notification.payload()),
                        Ok(None) => {
                            tracing::warn!("cache listener lost its connection");
                            cache.clear_local();
                        }
                        Err(error) => {
                            tracing::warn!(%error, "cache listener failed; reconnecting");
                            break;
                        }
                    }
                }
            }
        })
    }

    async fn lookup(&self, full: &str, namespace: &'static str, ttl: Ttl) -> Found {
        let started = std::time::Instant::now();
        if let Some(item) = self.inner.local.get(full) {
            let fresh = item.soft_expires_at_ms > now_ms();
            let outcome = if fresh { Outcome::Hit } else { Outcome::Stale };
            self.inner
                .stats
                .record(namespace, Tier::Local, outcome, started.elapsed());
            timing::record_cache(started.elapsed(), true);
            return if fresh {
                Found::Fresh(item)
            } else {
                Found::Stale(item)
            };
        }
        self.inner
            .stats
            .record(namespace, Tier::Local, Outcome::Miss, started.elapsed());
        let Some(remote) = &self.inner.remote else {
            timing::record_cache(started.elapsed(), false);
            return Found::Missing {
                remote_available: false,
            };
        };
        let remote_started = std::time::Instant::now();
        let fetched = remote.get(full).await;
        let elapsed = remote_started.elapsed();
        let found = match fetched {
            Fetch::Hit(bytes) => match codec::decode(&bytes) {
                Some(item) => {
                    let item = Arc::new(item);
                    self.inner
                        .local
                        .insert(full.to_owned(), item.clone(), ttl.hard);
                    if item.soft_expires_at_ms > now_ms() {
                        self.inner
                            .stats
                            .record(namespace, Tier::Memcached, Outcome::Hit, elapsed);
                        Found::Fresh(item)
                    } else {
                        self.inner.stats.record(
                            namespace,
                            Tier::Memcached,
                            Outcome::Stale,
                            elapsed,
                        );
                        Found::Stale(item)
                    }
                }
                None => {
                    self.inner
                        .stats
                        .record(namespace, Tier::Memcached, Outcome::Miss, elapsed);
                    Found::Missing {
                        remote_available: true,
                    }
                }
            },
            Fetch::Miss => {
                self.inner
                    .stats
                    .record(namespace, Tier::Memcached, Outcome::Miss, elapsed);
                Found::Missing {
                    remote_available: true,
                }
            }
            Fetch::Unavailable => {
                self.inner
                    .stats
                    .record(namespace, Tier::Memcached, Outcome::Error, elapsed);
                Found::Missing {
                    remote_available: false,
                }
            }
        };
        timing::record_cache(
            started.elapsed(),
            matches!(found, Found::Fresh(_) | Found::Stale(_)),
        );
        found
    }

    /// Poll memcached while another process holds the lease.
    async fn await_other_process(
        &self,
        full: &str,
        namespace: &'static str,
        ttl: Ttl,
    ) -> Option<Arc<Item>> {
        let deadline = std::time::Instant::now() + self.inner.settings.lease_wait;
        let mut pause = Duration::from_millis(5);
        while std::time::Instant::now() < deadline {
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(50));
            if let Found::Fresh(item) | Found::Stale(item) = self.lookup(full, namespace, ttl).await
            {
                return Some(item);
            }
        }
        None
    }

    fn refresh_in_background<V, E, F, Fut>(
        &self,
        full: String,
        namespace: &'static str,
        ttl: Ttl,
        loader: F,
    ) where
        V: Serialize + Send + Sync + 'static,
        E: std::fmt::Display + Send + 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
    {
        let flight = self.flight(&full);
        // One refresh at a time: if a load of this key is running, it will bring the value.
        let Ok(guard) = flight.clone().try_lock_owned() else {
            return;
        };
        let cache = self.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            match loader().await {
                Ok(value) => {
                    cache.inner.stats.record(
                        namespace,
                        Tier::Database,
                        Outcome::Load,
                        started.elapsed(),
                    );
                    cache.store(&full, &value, ttl).await;
                }
                Err(error) => {
                    tracing::warn!(%error, key = %full, "background refresh failed; stale value kept")
                }
            }
            drop(guard);
            cache.forget_flight(&full, &flight);
        });
    }

    async fn store<V: Serialize>(&self, full: &str, value: &V, ttl: Ttl) {
        match codec::to_payload(value) {
            Ok(payload) => self.store_payload(full, payload, ttl).await,
            Err(error) => {
                tracing::error!(%error, key = %full, "value cannot be encoded; not cached")
            }
        }
    }

    async fn store_payload(&self, full: &str, payload: Vec<u8>, ttl: Ttl) {
        let item = self.item(payload, ttl);
        if let Some(remote) = &self.inner.remote {
            let encoded = codec::encode(&item, self.inner.settings.compress_above);
            remote.set(full, &encoded, ttl.hard_jittered()).await;
        }
        self.inner
            .local
            .insert(full.to_owned(), Arc::new(item), ttl.hard);
    }

    fn item(&self, payload: Vec<u8>, ttl: Ttl) -> Item {
        Item::new(now_ms() + ttl.soft_jittered().as_millis() as i64, payload)
    }

    fn flight(&self, full: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self.inner.flights.lock().unwrap_or_else(|e| e.into_inner());
        flights.entry(full.to_owned()).or_default().clone()
    }

    fn forget_flight(&self, full: &str, flight: &Arc<tokio::sync::Mutex<()>>) {
        let mut flights = self.inner.flights.lock().unwrap_or_else(|e| e.into_inner());
        // Two references: the map's and the caller's — nobody else is waiting.
        if Arc::strong_count(flight) <= 2 {
            flights.remove(full);
        }
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
