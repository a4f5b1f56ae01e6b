//! Reads of one key through the tiers: `get_or_load` with single flight, leases and
//! stale-while-revalidate (batch reads are in `batch.rs`, raw bytes in `bytes.rs`).
//!
//! Every fill of the local tier carries a ticket taken before its source was read, and every
//! memcached store of a loaded value goes over a lease's CAS — so neither tier can end up
//! holding a value that an invalidation replaced while it was being read (see the module docs
//! of `cache`).

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use serde::{Serialize, de::DeserializeOwned};

use super::{Cache, CacheKey, Item, Leased, Outcome, Tier, Ttl, codec, local::Ticket, now_ms};
use crate::telemetry::timing;

/// Drops a lease placeholder if its holder goes away without storing (a failed or cancelled
/// load), so the next reader gets the lease at once instead of waiting for it to expire.
pub(super) struct LeaseGuard {
    pub(super) cache: Cache,
    pub(super) full: String,
    pub(super) cas: Option<u64>,
}

impl LeaseGuard {
    pub(super) fn disarm(&mut self) {
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
        let started = Instant::now();
        let leased = remote
            .lease_get_waiting(full, self.inner.settings.lease_ttl, true)
            .await;
        let elapsed = started.elapsed();
        timing::record_cache(elapsed, matches!(leased, Leased::Value { .. }));
        let (outcome, cas) = match leased {
            Leased::Value { data } => {
                if let Some(item) = codec::decode(&data).map(Arc::new)
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
                (Outcome::Miss, None)
            }
            Leased::Won { cas } => (Outcome::Miss, Some(cas)),
            Leased::Unavailable => (Outcome::Error, None),
            // The holder is slow and its lease is not expiring: load without storing.
            Leased::Lost => (Outcome::Miss, None),
        };
        self.inner
            .stats
            .record(namespace, Tier::Memcached, outcome, elapsed);
        self.load(full, namespace, ttl, &ticket, cas, loader).await
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
        V: Serialize + DeserializeOwned + 'static,
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
    pub(super) fn refresh_in_background<V, E, F, Fut>(
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
        V: Serialize + DeserializeOwned + Send + Sync + 'static,
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

    /// Record one PostgreSQL load in `namespace` by a loader that bypasses
    /// [`Cache::get_or_load`] (batch loads).
    pub(crate) fn record_load(&self, namespace: &'static str, elapsed: Duration) {
        timing::record_db(elapsed);
        self.inner
            .stats
            .record(namespace, Tier::Database, Outcome::Load, elapsed);
    }

    /// A ticket for a fill about to read its source (see `local.rs`).
    pub(crate) fn ticket(&self) -> Ticket {
        self.inner.local.ticket()
    }

    pub(super) fn item(&self, payload: Vec<u8>, ttl: Ttl) -> Item {
        Item::new(now_ms() + ttl.soft_jittered().as_millis() as i64, payload)
    }

    fn flight(&self, full: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self
            .inner
            .flights
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        flights.entry(full.to_owned()).or_default().clone()
    }

    fn forget_flight(&self, full: &str, flight: &Arc<tokio::sync::Mutex<()>>) {
        let mut flights = self
            .inner
            .flights
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Two references: the map's and the caller's — nobody else is waiting.
        if Arc::strong_count(flight) <= 2 {
            flights.remove(full);
        }
    }
}
