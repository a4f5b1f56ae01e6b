//! Reads through the tiers: `get_or_load` with single flight, leases and stale-while-revalidate,
//! batch reads for [`super::Related`], and raw byte slots for whole responses.
//!
//! Every fill of the local tier carries a ticket taken before its source was read, and every
//! memcached store of a loaded value goes over a lease's CAS — so neither tier can end up
//! holding a value that an invalidation replaced while it was being read (see the module docs
//! of `cache`).

use std::{
    collections::HashMap,
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use serde::{Serialize, de::DeserializeOwned};

use super::{Cache, CacheKey, Item, Leased, Outcome, Tier, Ttl, codec, local::Ticket, now_ms};
use crate::telemetry::timing;

/// What [`Cache::get_bytes`] found.
pub enum BytesLookup {
    /// A current value: use it.
    Hit(Arc<Item>),
    /// A value past its soft TTL that this caller was chosen to renew: render anew and store in
    /// the slot (other callers keep being served the old value meanwhile).
    Refresh(Arc<Item>, BytesSlot),
    /// Nothing usable: render, and store in the slot.
    Miss(BytesSlot),
}

/// Where rendered bytes go: the key, the ticket of the read, the memcached lease when this
/// caller holds it, and whether the local tier may keep them.
pub struct BytesSlot {
    full: String,
    ticket: Ticket,
    cas: Option<u64>,
    local: bool,
}

/// Drops a lease placeholder if its holder goes away without storing (a failed or cancelled
/// load), so the next reader gets the lease at once instead of waiting for it to expire.
struct LeaseGuard {
    cache: Cache,
    full: String,
    cas: Option<u64>,
}

impl LeaseGuard {
    fn disarm(&mut self) {
        self.cas = None;
    }
}

impl Drop for LeaseGuard {
    fn drop(&mut self) {
        let Some(cas) = self.cas else { return };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let cache = self.cache.clone();
            let full = std::mem::take(&mut self.full);
            runtime.spawn(async move {
                if let Some(remote) = &cache.inner.remote {
                    remote.release(&full, cas).await;
                }
            });
        }
    }
}

impl Cache {
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
        if let Some((value, stale)) = self.local_value::<V>(&full, namespace) {
            if stale {
                self.refresh_in_background(full, namespace, ttl, loader);
            }
            return Ok(value);
        }
        // Single flight within this process.
        let flight = self.flight(&full);
        let guard = flight.lock().await;
        let ticket = self.inner.local.ticket();
        if let Some((value, _)) = self.local_value::<V>(&full, namespace) {
            drop(guard);
            self.forget_flight(&full, &flight);
            return Ok(value);
        }
        let result = self.fetch(&full, namespace, ttl, ticket, loader).await;
        drop(guard);
        self.forget_flight(&full, &flight);
        result
    }

    /// A value from the local tier, and whether it is past its soft TTL.
    fn local_value<V>(&self, full: &str, namespace: &'static str) -> Option<(V, bool)>
    where
        V: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let started = Instant::now();
        let found = self
            .inner
            .local
            .get(full)
            .and_then(|item| Some((item.value::<V>()?, item.soft_expires_at_ms <= now_ms())));
        let outcome = match &found {
            Some((_, false)) => Outcome::Hit,
            Some((_, true)) => Outcome::Stale,
            None => Outcome::Miss,
        };
        let elapsed = started.elapsed();
        self.inner
            .stats
            .record(namespace, Tier::Local, outcome, elapsed);
        if found.is_some() {
            timing::record_cache(elapsed, true);
        }
        found
    }

    /// memcached (with a lease) or the loader, for a key the local tier does not have.
    async fn fetch<V, E, F, Fut>(
        &self,
        full: &str,
        namespace: &'static str,
        ttl: Ttl,
        ticket: Ticket,
        loader: F,
    ) -> Result<V, E>
    where
        V: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
        E: std::fmt::Display + Send + 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
    {
        let Some(remote) = &self.inner.remote else {
            return self.load(full, namespace, ttl, &ticket, None, loader).await;
        };
        let settings = &self.inner.settings;
        let deadline = Instant::now() + settings.lease_ttl + Duration::from_millis(500);
        let mut pause = Duration::from_millis(2);
        loop {
            let started = Instant::now();
            let leased = remote.lease_get(full, settings.lease_ttl).await;
            let elapsed = started.elapsed();
            let hit = matches!(leased, Leased::Value { .. });
            timing::record_cache(elapsed, hit);
            match leased {
                Leased::Value { data } => {
                    let item = codec::decode(&data).map(Arc::new);
                    if let Some(item) = item
                        && let Some(value) = item.value::<V>()
                    {
                        let stale = item.soft_expires_at_ms <= now_ms();
                        let outcome = if stale { Outcome::Stale } else { Outcome::Hit };
                        self.inner
                            .stats
                            .record(namespace, Tier::Memcached, outcome, elapsed);
                        self.inner
                            .local
                            .fill(&ticket, full.to_owned(), item, ttl.hard);
                        if stale {
                            self.refresh_claimed(full.to_owned(), namespace, ttl, loader);
                        }
                        return Ok(value);
                    }
                    // Not this build's layout: load, but leave the other writer's item alone.
                    self.inner
                        .stats
                        .record(namespace, Tier::Memcached, Outcome::Miss, elapsed);
                    return self.load(full, namespace, ttl, &ticket, None, loader).await;
                }
                Leased::Won { cas } => {
                    self.inner
                        .stats
                        .record(namespace, Tier::Memcached, Outcome::Miss, elapsed);
                    return self
                        .load(full, namespace, ttl, &ticket, Some(cas), loader)
                        .await;
                }
                Leased::Unavailable => {
                    self.inner
                        .stats
                        .record(namespace, Tier::Memcached, Outcome::Error, elapsed);
                    return self.load(full, namespace, ttl, &ticket, None, loader).await;
                }
                Leased::Lost if Instant::now() >= deadline => {
                    // The holder is slow and its lease is not expiring: load without storing.
                    return self.load(full, namespace, ttl, &ticket, None, loader).await;
                }
                Leased::Lost => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
            }
        }
    }

    /// Run the loader and store its value: in memcached over the lease `cas` (if held), and in
    /// the local tier unless an invalidation overtook the load.
    async fn load<V, E, F, Fut>(
        &self,
        full: &str,
        namespace: &'static str,
        ttl: Ttl,
        ticket: &Ticket,
        cas: Option<u64>,
        loader: F,
    ) -> Result<V, E>
    where
        V: Serialize,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let mut lease = LeaseGuard {
            cache: self.clone(),
            full: full.to_owned(),
            cas,
        };
        let started = Instant::now();
        let value = loader().await?;
        self.record_load(namespace, started.elapsed());
        let payload = match codec::to_payload(&value) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::error!(%error, key = %full, "value cannot be encoded; not cached");
                return Ok(value);
            }
        };
        let item = self.item(payload, ttl);
        if let (Some(cas), Some(remote)) = (cas, &self.inner.remote) {
            let encoded = codec::encode(&item, self.inner.settings.compress_above);
            lease.disarm();
            if !remote
                .store_leased(full, &encoded, ttl.hard_jittered(), cas)
                .await
            {
                // Refused: an invalidation overtook this load (or the server went away).
                // The value is still right for this caller, whose read began before the write.
                metrics::counter!("cache_lease_refused_total", "namespace" => namespace)
                    .increment(1);
                return Ok(value);
            }
        }
        self.inner
            .local
            .fill(ticket, full.to_owned(), Arc::new(item), ttl.hard);
        Ok(value)
    }

    /// A local value past its soft TTL: re-read it through memcached (another process may have
    /// refreshed it already), loading only when this process wins the refresh.
    fn refresh_in_background<V, E, F, Fut>(
        &self,
        full: String,
        namespace: &'static str,
        ttl: Ttl,
        loader: F,
    ) where
        V: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
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
            let ticket = cache.inner.local.ticket();
            let result = match &cache.inner.remote {
                None => cache
                    .load(&full, namespace, ttl, &ticket, None, loader)
                    .await
                    .map(drop),
                Some(remote) => match remote
                    .lease_get(&full, cache.inner.settings.lease_ttl)
                    .await
                {
                    Leased::Value { data } => match codec::decode(&data).map(Arc::new) {
                        // Refreshed by another process already.
                        Some(item) if item.soft_expires_at_ms > now_ms() => {
                            cache
                                .inner
                                .local
                                .fill(&ticket, full.clone(), item, ttl.hard);
                            Ok(())
                        }
                        _ => match remote.claim_refresh(&full).await {
                            Some(cas) => cache
                                .load(&full, namespace, ttl, &ticket, Some(cas), loader)
                                .await
                                .map(drop),
                            // Another process is refreshing it; keep serving the stale copy.
                            None => Ok(()),
                        },
                    },
                    Leased::Won { cas } => cache
                        .load(&full, namespace, ttl, &ticket, Some(cas), loader)
                        .await
                        .map(drop),
                    Leased::Unavailable => cache
                        .load(&full, namespace, ttl, &ticket, None, loader)
                        .await
                        .map(drop),
                    Leased::Lost => Ok(()),
                },
            };
            if let Err(error) = result {
                tracing::warn!(%error, key = %full, "background refresh failed; stale value kept");
            }
            drop(guard);
            cache.forget_flight(&full, &flight);
        });
    }

    /// A memcached value past its soft TTL: if this caller is the first to claim its refresh,
    /// load and store it over the claimed CAS in the background.
    fn refresh_claimed<V, E, F, Fut>(
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
        let cache = self.clone();
        tokio::spawn(async move {
            let ticket = cache.inner.local.ticket();
            let Some(remote) = &cache.inner.remote else {
                return;
            };
            let Some(cas) = remote.claim_refresh(&full).await else {
                return;
            };
            if let Err(error) = cache
                .load(&full, namespace, ttl, &ticket, Some(cas), loader)
                .await
            {
                tracing::warn!(%error, key = %full, "background refresh failed; value kept");
            }
        });
    }

    /// Raw bytes of a key (a whole response, a search result), or the slot to store them in
    /// once rendered (see [`BytesLookup`]).
    pub async fn get_bytes(&self, key: &CacheKey, ttl: Ttl) -> BytesLookup {
        let full = self.full_key(key);
        let namespace = key.namespace();
        let started = Instant::now();
        let local = self.inner.local.get(&full);
        if let Some(item) = &local
            && item.soft_expires_at_ms > now_ms()
        {
            self.inner
                .stats
                .record(namespace, Tier::Local, Outcome::Hit, started.elapsed());
            return BytesLookup::Hit(item.clone());
        }
        // Taken only now: a hit needs none. Nothing read below predates it.
        let ticket = self.inner.local.ticket();
        self.inner
            .stats
            .record(namespace, Tier::Local, Outcome::Miss, started.elapsed());
        let slot = |cas, local| BytesSlot {
            full: full.clone(),
            ticket: self.inner.local.ticket(),
            cas,
            local,
        };
        let Some(remote) = &self.inner.remote else {
            // Local only: past its soft TTL the item is re-rendered by whoever asks (one
            // process's callers only; the first store ends it).
            return match local {
                Some(item) => BytesLookup::Refresh(item, slot(None, true)),
                None => BytesLookup::Miss(slot(None, true)),
            };
        };
        let leased = remote.lease_get(&full, self.inner.settings.lease_ttl).await;
        let elapsed = started.elapsed();
        let lookup = match leased {
            Leased::Value { data } => match codec::decode(&data).map(Arc::new) {
                Some(item) => {
                    self.inner
                        .local
                        .fill(&ticket, full.clone(), item.clone(), ttl.hard);
                    let claimed = if item.soft_expires_at_ms <= now_ms() {
                        remote.claim_refresh(&full).await
                    } else {
                        None
                    };
                    match claimed {
                        Some(cas) => BytesLookup::Refresh(item, slot(Some(cas), true)),
                        None => BytesLookup::Hit(item),
                    }
                }
                None => BytesLookup::Miss(slot(None, false)),
            },
            Leased::Won { cas } => BytesLookup::Miss(slot(Some(cas), true)),
            Leased::Unavailable => BytesLookup::Miss(slot(None, true)),
            // Rendered by another caller right now: serve what we have, or render unstored.
            Leased::Lost => match local {
                Some(item) => BytesLookup::Hit(item),
                None => BytesLookup::Miss(slot(None, false)),
            },
        };
        let outcome = match &lookup {
            BytesLookup::Hit(_) => Outcome::Hit,
            BytesLookup::Refresh(..) => Outcome::Stale,
            BytesLookup::Miss(_) => Outcome::Miss,
        };
        self.inner
            .stats
            .record(namespace, Tier::Memcached, outcome, elapsed);
        lookup
    }

    /// Store rendered bytes in the slot a [`Cache::get_bytes`] gave.
    pub async fn put_bytes(&self, slot: BytesSlot, bytes: Vec<u8>, ttl: Ttl) {
        let BytesSlot {
            full,
            ticket,
            cas,
            local,
        } = slot;
        let item = self.item(bytes, ttl);
        if let (Some(cas), Some(remote)) = (cas, &self.inner.remote) {
            let encoded = codec::encode(&item, self.inner.settings.compress_above);
            if !remote
                .store_leased(&full, &encoded, ttl.hard_jittered(), cas)
                .await
            {
                return;
            }
        }
        if local {
            self.inner
                .local
                .fill(&ticket, full, Arc::new(item), ttl.hard);
        }
    }

    /// Make a key's current value unreachable here and in memcached without telling other
    /// processes — for a value found to be dead by its reader (e.g. a response whose tags
    /// moved on), which every other reader finds dead the same way.
    pub async fn discard(&self, key: &CacheKey) {
        self.apply_text(key.as_str()).await;
    }

    /// Many fresh values at once: the local tier first, then one leased multi-get per
    /// memcached server for the rest. Missing, stale or undecodable values come back as `None`,
    /// with the slot to store them in (see [`Cache::put_many`]); the caller loads them together.
    pub async fn get_many<V: DeserializeOwned>(
        &self,
        keys: &[CacheKey],
        ttl: Ttl,
    ) -> (Vec<Option<V>>, ManySlots) {
        let started = Instant::now();
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
        // After the local reads (they fill nothing), before any source is read.
        let ticket = self.inner.local.ticket();
        let mut leases = HashMap::new();
        if let (Some(remote), false) = (&self.inner.remote, wanted.is_empty()) {
            let names: Vec<String> = wanted.iter().map(|&i| full[i].clone()).collect();
            let mut found = remote
                .lease_get_many(&names, self.inner.settings.lease_ttl)
                .await;
            for i in wanted {
                let (item, cas) = match found.remove(&full[i]) {
                    Some(Leased::Value { data, .. }) => (codec::decode(&data), None),
                    Some(Leased::Won { cas }) => (None, Some(cas)),
                    _ => (None, None),
                };
                let item = item.filter(|item| fresh(item));
                let value = item
                    .as_ref()
                    .and_then(|item| codec::from_payload(&item.payload));
                self.record_batch(keys[i].namespace(), Tier::Memcached, value.is_some());
                if let (Some(item), true) = (item, value.is_some()) {
                    self.inner
                        .local
                        .fill(&ticket, full[i].clone(), Arc::new(item), ttl.hard);
                }
                if let Some(cas) = cas {
                    leases.insert(full[i].clone(), cas);
                }
                out[i] = value;
            }
        }
        timing::record_cache(started.elapsed(), out.iter().all(Option::is_some));
        (out, ManySlots { ticket, leases })
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

    /// Store values loaded after a [`Cache::get_many`]: in memcached where that read won the
    /// lease, and in the local tier unless an invalidation overtook the load.
    pub async fn put_many<V: Serialize>(
        &self,
        slots: ManySlots,
        entries: &[(CacheKey, V)],
        ttl: Ttl,
    ) {
        let ManySlots { ticket, leases } = slots;
        for (key, value) in entries {
            let Ok(payload) = codec::to_payload(value) else {
                continue;
            };
            let full = self.full_key(key);
            let item = self.item(payload, ttl);
            match (leases.get(&full), &self.inner.remote) {
                (Some(&cas), Some(remote)) => {
                    let encoded = codec::encode(&item, self.inner.settings.compress_above);
                    if !remote
                        .store_leased(&full, &encoded, ttl.hard_jittered(), cas)
                        .await
                    {
                        continue;
                    }
                }
                // Another reader holds this key's lease: leave memcached to it.
                (None, Some(_)) => continue,
                _ => {}
            }
            self.inner
                .local
                .fill(&ticket, full, Arc::new(item), ttl.hard);
        }
    }

    /// Fill only the local tier with rows read under `ticket` (the rows of `Model::all`, whose
    /// own keys are loaded through leases when they are read one by one).
    pub(crate) fn fill_local<V: Serialize>(
        &self,
        ticket: &Ticket,
        entries: &[(CacheKey, V)],
        ttl: Ttl,
    ) {
        for (key, value) in entries {
            if let Ok(payload) = codec::to_payload(value) {
                let item = self.item(payload, ttl);
                self.inner
                    .local
                    .fill(ticket, self.full_key(key), Arc::new(item), ttl.hard);
            }
        }
    }

    /// A ticket for a fill about to read its source (see `local.rs`).
    pub(crate) fn ticket(&self) -> Ticket {
        self.inner.local.ticket()
    }

    pub(super) fn item(&self, payload: Vec<u8>, ttl: Ttl) -> Item {
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

/// What a [`Cache::get_many`] leaves for storing the values it did not find.
pub struct ManySlots {
    ticket: Ticket,
    leases: HashMap<String, u64>,
}
