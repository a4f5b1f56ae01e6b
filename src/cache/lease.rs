//! Leases and CAS stores on memcached's meta protocol — how a load never stores what a write
//! replaced, and how one process (of many) loads a missing key.
//!
//! - `mg <key> v c N<lease>`: a hit returns the value. A miss creates an empty placeholder and
//!   hands this caller the lease (`W`); everyone else sees `Z` until the placeholder is replaced
//!   or expires. An invalidated value (`X`) is never used: its first reader gets `W` and reloads.
//! - `mg <key> c R<…>`: for a value past its soft TTL, the first caller to ask wins the right to
//!   refresh it (`W`, with the CAS to store over); later ones see `Z` and keep serving it
//!   (stale-while-revalidate across processes, one refresh).
//! - `ms <key> C<cas>`: the lease holder stores with the CAS it was given. An invalidation
//!   (`md <key> I`) bumps the CAS, and a deleted or expired placeholder is gone, so a load that
//!   began before the write is refused.
//! - `md <key> C<cas>`: a holder that gives up (its load failed or was cancelled) drops its
//!   placeholder, so the next reader gets the lease at once instead of waiting for it to expire.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use super::{
    codec::Manifest,
    memcached::{MemcachedTier, chunk_key, ttl_secs},
    wire::{Command, Reply, Status},
};

/// What a leased read found.
#[derive(Debug, PartialEq, Eq)]
pub enum Leased {
    /// A current value (not invalidated).
    Value {
        /// The stored bytes.
        data: Vec<u8>,
    },
    /// No usable value, and this caller holds the lease: load, then [`MemcachedTier::store_leased`].
    Won {
        /// CAS of the placeholder (or invalidated value) to store over.
        cas: u64,
    },
    /// No usable value, and another caller holds the lease.
    Lost,
    /// The owning server cannot be asked now: load, and do not store.
    Unavailable,
}

impl MemcachedTier {
    /// Read `key`, taking the lease when there is nothing usable (see the module docs).
    pub async fn lease_get(&self, key: &str, lease_ttl: Duration) -> Leased {
        let Some(server) = self.usable_owner(key) else {
            return Leased::Unavailable;
        };
        let lease = format!("N{}", ttl_secs(lease_ttl).max(1));
        let flags = ["v", "c", lease.as_str()];
        match self
            .call(server, &[Command::Get { key, flags: &flags }])
            .await
        {
            Some(mut replies) => self.resolve(key, replies.remove(0)).await,
            None => Leased::Unavailable,
        }
    }

    /// A leased read that, while another caller holds the lease, waits for the holder's value
    /// (backing off from 2 to 50 ms, until the lease could have lapsed) instead of loading the
    /// same value again: a herd of misses on a new key costs one load. With `wait` false (the
    /// caller has something to serve meanwhile) it answers `Lost` at once; `Lost` after the
    /// wait means the holder outlived its lease.
    pub async fn lease_get_waiting(&self, key: &str, lease_ttl: Duration, wait: bool) -> Leased {
        let deadline = Instant::now() + lease_ttl + Duration::from_millis(500);
        let mut pause = Duration::from_millis(2);
        loop {
            let leased = self.lease_get(key, lease_ttl).await;
            if !matches!(leased, Leased::Lost) || !wait || Instant::now() >= deadline {
                return leased;
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    /// Leased reads of many keys, one request per server (see [`MemcachedTier::lease_get`]).
    pub async fn lease_get_many(
        &self,
        keys: &[String],
        lease_ttl: Duration,
    ) -> HashMap<String, Leased> {
        let mut by_server: HashMap<usize, Vec<&str>> = HashMap::new();
        let mut out = HashMap::with_capacity(keys.len());
        for key in keys {
            match self.owner_index(key) {
                Some(i) if self.is_usable(&self.servers()[i]) => {
                    by_server.entry(i).or_default().push(key);
                }
                _ => {
                    out.insert(key.clone(), Leased::Unavailable);
                }
            }
        }
        let lease = format!("N{}", ttl_secs(lease_ttl).max(1));
        let flags = ["v", "c", lease.as_str()];
        let requests = by_server.into_iter().map(|(i, keys)| async move {
            let server = &self.servers()[i];
            let commands: Vec<Command> = keys
                .iter()
                .map(|&key| Command::Get { key, flags: &flags })
                .collect();
            (keys, self.call(server, &commands).await)
        });
        for (keys, got) in futures_util::future::join_all(requests).await {
            match got {
                Some(replies) => {
                    for (key, reply) in keys.into_iter().zip(replies) {
                        let leased = self.resolve(key, reply).await;
                        out.insert(key.to_owned(), leased);
                    }
                }
                None => out.extend(
                    keys.into_iter()
                        .map(|k| (k.to_owned(), Leased::Unavailable)),
                ),
            }
        }
        out
    }

    /// What a meta-get answer means for its caller; reassembles chunked values.
    async fn resolve(&self, key: &str, reply: Reply) -> Leased {
        if reply.status != Status::Value {
            // With `N` a miss always answers with a value (the placeholder); anything else
            // (out of memory…) leaves the key unusable for now.
            return Leased::Unavailable;
        }
        let cas = reply.cas.unwrap_or(0);
        let won = reply.win;
        let data = reply.data.unwrap_or_default();
        if reply.stale || data.is_empty() {
            return if won {
                Leased::Won { cas }
            } else {
                Leased::Lost
            };
        }
        let Some(manifest) = Manifest::decode(&data) else {
            return Leased::Value { data };
        };
        let keys: Vec<String> = (0..manifest.chunks)
            .map(|i| chunk_key(key, manifest.generation, i))
            .collect();
        let found = self.get_many(&keys).await;
        let chunks: Vec<Option<Vec<u8>>> = keys.iter().map(|k| found.get(k).cloned()).collect();
        match manifest.reassemble(&chunks) {
            Some(data) => Leased::Value { data },
            None => {
                metrics::counter!("cache_memcached_incomplete_total").increment(1);
                // A manifest without its chunks is as good as a miss: reload and store over it.
                Leased::Won { cas }
            }
        }
    }

    /// Claim the refresh of a value past its soft TTL: the CAS to store the refreshed value
    /// over, for the first caller only (until the value is replaced or expires).
    pub async fn claim_refresh(&self, key: &str) -> Option<u64> {
        let server = self.usable_owner(key)?;
        // "Win when the remaining TTL is below 30 days": always, for the first to ask.
        let flags = ["c", "R2592000"];
        let replies = self
            .call(server, &[Command::Get { key, flags: &flags }])
            .await?;
        let reply = &replies[0];
        (reply.status == Status::Done && reply.win && !reply.stale).then_some(reply.cas?)
    }

    /// Store a loaded value over the lease `cas`; false when an invalidation overtook the load
    /// (or the server cannot be reached).
    pub async fn store_leased(&self, key: &str, value: &[u8], ttl: Duration, cas: u64) -> bool {
        let Some(server) = self.usable_owner(key) else {
            return false;
        };
        let encoded;
        let body = if value.len() <= self.settings().chunk_bytes {
            value
        } else {
            let manifest = Manifest::for_item(value, self.settings().chunk_bytes, rand::random());
            let chunks: Vec<(String, &[u8])> = value
                .chunks(self.settings().chunk_bytes)
                .enumerate()
                .map(|(i, chunk)| (chunk_key(key, manifest.generation, i as u32), chunk))
                .collect();
            if !self.set_many(&chunks, ttl).await {
                return false;
            }
            encoded = manifest.encode();
            &encoded[..]
        };
        let ttl = format!("T{}", ttl_secs(ttl));
        let cas = format!("C{cas}");
        let flags = [cas.as_str(), ttl.as_str()];
        let set = Command::Set {
            key,
            value: body,
            flags: &flags,
        };
        // `EX` (CAS changed: invalidated meanwhile), `NF` (placeholder gone) and `NS` refuse it.
        self.call(server, &[set])
            .await
            .is_some_and(|replies| replies[0].status == Status::Done)
    }

    /// Give up a lease: drop the placeholder (or invalidated value) if it is still ours.
    pub async fn release(&self, key: &str, cas: u64) {
        let Some(server) = self.usable_owner(key) else {
            return;
        };
        let cas = format!("C{cas}");
        // Any answer will do: `EX`/`NF` mean it is no longer ours to drop.
        self.call(
            server,
            &[Command::Delete {
                key,
                flags: &[&cas],
            }],
        )
        .await;
    }
}
