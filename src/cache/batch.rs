//! Batch reads for [`super::Related`]: the local tier, then one leased multi-get per memcached
//! server; the caller loads what is missing with one query and stores it through the slots.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use serde::{Serialize, de::DeserializeOwned};

use super::{Cache, CacheKey, Item, Leased, Outcome, Tier, Ttl, codec, local::Ticket, now_ms};
use crate::telemetry::timing;

impl Cache {
    /// Many fresh values at once: the local tier first, then one leased multi-get per
    /// memcached server for the rest. Missing, stale or undecodable values come back as `None`,
    /// with the slot to store them in (see [`Cache::put_many`]); the caller loads them together.
    pub async fn get_many<V: DeserializeOwned + 'static>(
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

    /// Store values loaded after a [`Cache::get_many`]: in memcached where that read won the
    /// lease, and in the local tier unless an invalidation overtook the load.
    pub async fn put_many<V: Serialize + DeserializeOwned + 'static>(
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
    pub(crate) fn fill_local<V: Serialize + DeserializeOwned + 'static>(
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
}

/// What a [`Cache::get_many`] leaves for storing the values it did not find.
pub struct ManySlots {
    ticket: Ticket,
    leases: HashMap<String, u64>,
}
