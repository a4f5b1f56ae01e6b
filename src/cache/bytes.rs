//! Raw bytes through the tiers — whole responses, search results: a lookup that either finds a
//! current value or hands out the slot (ticket and lease) to store the rendered bytes in.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use tokio::sync::{OwnedRwLockWriteGuard, RwLock};

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
/// caller holds it, and whether the local tier may keep them. While a caller holds the slot of
/// a missing key, this process's other readers of it wait for its bytes (see
/// [`Cache::get_bytes`]).
pub struct BytesSlot {
    full: String,
    ticket: Ticket,
    cas: Option<u64>,
    local: bool,
    _render: Option<RenderGuard>,
}

/// This process's render of one key: held (written) by the caller rendering it; readers of a
/// missing key wait for it to be dropped, all at once.
struct RenderGuard {
    cache: Cache,
    full: String,
    render: Arc<RwLock<()>>,
    guard: Option<OwnedRwLockWriteGuard<()>>,
}

impl Drop for RenderGuard {
    fn drop(&mut self) {
        self.guard.take();
        let mut renders = self
            .cache
            .inner
            .renders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // The map's reference and ours: nobody else is waiting on this render.
        if Arc::strong_count(&self.render) <= 2 {
            renders.remove(&self.full);
        }
    }
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
        // One render per missing key in this process: the first caller renders, the others
        // wait for it (all released together), then look again — in the local tier, then in
        // memcached (where a process without a local tier keeps it); if it stored nothing (an
        // uncacheable answer, an error), they render their own.
        let mut render = None;
        if local.is_none() {
            let result = self.render_or_wait(&full).await;
            // Looked at again either way: a render may have finished between the first look
            // and now (this caller then renders only if it stored nothing locally).
            if let Some(item) = self.inner.local.get(&full) {
                return BytesLookup::Hit(item);
            }
            render = result.ok();
        }
        // Taken only now: a hit needs none. Nothing read below predates it.
        let ticket = self.inner.local.ticket();
        self.inner
            .stats
            .record(namespace, Tier::Local, Outcome::Miss, started.elapsed());
        let mut slot = |cas, local| BytesSlot {
            full: full.clone(),
            ticket: self.inner.local.ticket(),
            cas,
            local,
            _render: render.take(),
        };
        let Some(remote) = &self.inner.remote else {
            // Local only: past its soft TTL the item is re-rendered by whoever asks (one
            // process's callers only; the first store ends it).
            return match local {
                Some(item) => BytesLookup::Refresh(item, slot(None, true)),
                None => BytesLookup::Miss(slot(None, true)),
            };
        };
        // With nothing local to serve meanwhile, wait for another caller's render rather than
        // render the same bytes again (and spend one unit of one client's render budget, not
        // of every client's).
        let leased = remote
            .lease_get_waiting(&full, self.inner.settings.lease_ttl, local.is_none())
            .await;
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
            // Rendered by another caller right now: serve what we have, or (when the holder
            // took longer than its lease) render unstored.
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

    /// Become this process's renderer of `full` (`Ok`), or wait for the current one to finish
    /// (`Err`: look again).
    async fn render_or_wait(&self, full: &str) -> Result<RenderGuard, ()> {
        let render = {
            let mut renders = self
                .inner
                .renders
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            renders.entry(full.to_owned()).or_default().clone()
        };
        let mut me = RenderGuard {
            cache: self.clone(),
            full: full.to_owned(),
            render: render.clone(),
            guard: None,
        };
        match render.clone().try_write_owned() {
            Ok(guard) => {
                me.guard = Some(guard);
                Ok(me)
            }
            Err(_) => {
                // Bounded like a memcached lease: a renderer stuck for longer does not hold
                // everyone else up.
                let patience = self.inner.settings.lease_ttl + Duration::from_millis(500);
                let _ = tokio::time::timeout(patience, render.read_owned()).await;
                Err(())
            }
        }
    }

    /// Store rendered bytes in the slot a [`Cache::get_bytes`] gave.
    pub async fn put_bytes(&self, slot: BytesSlot, bytes: Vec<u8>, ttl: Ttl) {
        let BytesSlot {
            full,
            ticket,
            cas,
            local,
            _render,
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
