//! Raw bytes through the tiers — whole responses, search results: a lookup that either finds a
//! current value or hands out the slot (ticket and lease) to store the rendered bytes in.

use std::{sync::Arc, time::Instant};

use super::{Cache, CacheKey, Item, Leased, Outcome, Tier, Ttl, codec, local::Ticket, now_ms};

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

impl Cache {
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
}
