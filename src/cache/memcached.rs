//! The memcached tier: one multiplexed connection per server (`connection.rs`), keys placed by
//! rendezvous hashing, values above the item limit split into chunks.
//!
//! memcached is an accelerator, never a dependency: every call has short connect and I/O
//! timeouts, a failing or hanging server is marked down and skipped (its keys read as misses,
//! so requests fall through to PostgreSQL) and retried after an exponential back-off. Nothing
//! here returns an error to the caller; failures are counted in metrics.
//!
//! An invalidation is never skipped: one that cannot be sent (the server is down, or it fails)
//! is queued for its server, and the server is neither read nor written by this process until
//! the queue has been replayed to it ([`MemcachedTier::replay_pending`]) — a server that was
//! frozen or partitioned away comes back without the values the writes replaced. A queue that
//! overflows is replaced by one `flush_all` of that server. Leases and CAS stores (the meta
//! protocol) are in `lease.rs`.

use std::{
    collections::{HashMap, VecDeque},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use super::{
    connection::Connection,
    ring,
    wire::{Command, Reply, Status},
};

/// Timeouts and limits of the memcached tier.
#[derive(Clone, Debug)]
pub struct RemoteSettings {
    /// Connecting to a server.
    pub connect_timeout: Duration,
    /// One request/response.
    pub io_timeout: Duration,
    /// Largest single item written; larger values are chunked (memcached's default limit is
    /// 1 MiB including overhead).
    pub chunk_bytes: usize,
    /// Items per multi-set request.
    pub multi_set_batch: usize,
    /// Invalidations queued per server while it cannot be reached; beyond this the server is
    /// flushed when it comes back.
    pub max_pending: usize,
}

impl Default for RemoteSettings {
    fn default() -> Self {
        RemoteSettings {
            connect_timeout: Duration::from_millis(200),
            io_timeout: Duration::from_millis(250),
            chunk_bytes: 1000 * 1000,
            multi_set_batch: 64,
            max_pending: 10_000,
        }
    }
}

pub(super) struct Server {
    addr: String,
    /// `host:port` to connect to.
    socket_addr: String,
    /// The shared connection, opened on first use and replaced when it breaks.
    connection: Mutex<Option<Arc<Connection>>>,
    failures: AtomicU32,
    /// Milliseconds since `epoch` until which the server is skipped (0 = up).
    down_until_ms: AtomicU64,
    /// Invalidations it has missed, in order; while any are queued it is not used.
    pending: Mutex<Pending>,
    /// Mirrors "pending is not empty" for the read path, without taking the lock.
    dirty: std::sync::atomic::AtomicBool,
}

#[derive(Default)]
struct Pending {
    keys: VecDeque<String>,
    /// More were missed than kept: the server must be flushed before it is used again.
    overflowed: bool,
}

/// State of one server, for the admin page and `hud cache stats`.
#[derive(Clone, Debug)]
pub struct ServerState {
    /// `host:port`.
    pub addr: String,
    /// Whether requests are sent to it now.
    pub up: bool,
    /// Consecutive failures.
    pub failures: u32,
    /// Invalidations waiting to be replayed to it.
    pub pending: usize,
}

/// The pool of memcached servers.
pub struct MemcachedTier {
    servers: Vec<Server>,
    names: Vec<String>,
    settings: RemoteSettings,
    epoch: Instant,
}

impl MemcachedTier {
    /// A tier over `host:port` addresses.
    pub fn new(addrs: &[String], settings: RemoteSettings) -> Self {
        let servers = addrs
            .iter()
            .map(|addr| Server {
                addr: addr.clone(),
                socket_addr: addr.strip_prefix("tcp://").unwrap_or(addr).to_owned(),
                connection: Mutex::new(None),
                failures: AtomicU32::new(0),
                down_until_ms: AtomicU64::new(0),
                pending: Mutex::default(),
                dirty: Default::default(),
            })
            .collect::<Vec<Server>>();
        for server in &servers {
            metrics::gauge!("cache_memcached_up", "server" => server.addr.clone()).set(1.0);
        }
        MemcachedTier {
            servers,
            names: addrs.to_vec(),
            settings,
            epoch: Instant::now(),
        }
    }

    /// Current state of every server.
    pub fn states(&self) -> Vec<ServerState> {
        self.servers
            .iter()
            .map(|s| ServerState {
                addr: s.addr.clone(),
                up: self.is_up(s) && !s.dirty.load(Ordering::Acquire),
                failures: s.failures.load(Ordering::Relaxed),
                pending: s.pending.lock().map_or(0, |p| p.keys.len()),
            })
            .collect()
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn is_up(&self, server: &Server) -> bool {
        server.down_until_ms.load(Ordering::Relaxed) <= self.now_ms()
    }

    /// Up, and no invalidation is waiting for it: its values may be read and written.
    pub(super) fn is_usable(&self, server: &Server) -> bool {
        !server.dirty.load(Ordering::Acquire) && self.is_up(server)
    }

    pub(super) fn settings(&self) -> &RemoteSettings {
        &self.settings
    }

    pub(super) fn servers(&self) -> &[Server] {
        &self.servers
    }

    pub(super) fn owner_index(&self, key: &str) -> Option<usize> {
        ring::owner(&self.names, key)
    }

    pub(super) fn owner(&self, key: &str) -> Option<&Server> {
        ring::owner(&self.names, key).map(|i| &self.servers[i])
    }

    /// The server owning `key`, if it may be used now.
    pub(super) fn usable_owner(&self, key: &str) -> Option<&Server> {
        self.owner(key).filter(|s| self.is_usable(s))
    }

    fn mark_failed(&self, server: &Server, error: &str) {
        let failures = server.failures.fetch_add(1, Ordering::Relaxed) + 1;
        // 0.5 s, 1 s, 2 s … capped at 30 s.
        let backoff = (500u64 << failures.min(6).saturating_sub(1)).min(30_000);
        server
            .down_until_ms
            .store(self.now_ms() + backoff, Ordering::Relaxed);
        // Answers still owed on the old connection are abandoned with it.
        server.connection.lock().map(|mut c| c.take()).ok();
        metrics::counter!("cache_memcached_errors_total", "server" => server.addr.clone())
            .increment(1);
        metrics::gauge!("cache_memcached_up", "server" => server.addr.clone()).set(0.0);
        tracing::warn!(server = %server.addr, failures, backoff_ms = backoff, error, "memcached server marked down");
    }

    fn mark_ok(&self, server: &Server) {
        // Only a change of state touches the metrics registry: this runs on every request.
        if server.failures.load(Ordering::Relaxed) > 0
            && server.failures.swap(0, Ordering::Relaxed) > 0
        {
            tracing::info!(server = %server.addr, "memcached server is back");
            metrics::gauge!("cache_memcached_up", "server" => server.addr.clone()).set(1.0);
        }
    }

    /// Send `commands` to `server` in one go and wait for their answers, with timeouts and
    /// failure accounting. `None` when the server is down, failed, or did not understand.
    pub(super) async fn call(
        &self,
        server: &Server,
        commands: &[Command<'_>],
    ) -> Option<Vec<Reply>> {
        if !self.is_up(server) {
            return None;
        }
        let mut bytes = Vec::new();
        for command in commands {
            if !command.encode(&mut bytes) {
                debug_assert!(false, "unencodable memcached command {command:?}");
                return None;
            }
        }
        let connection = self.connection(server).await?;
        match tokio::time::timeout(
            self.settings.io_timeout,
            connection.call(bytes, commands.len()),
        )
        .await
        {
            Ok(Some(replies)) => {
                if let Some(error) = replies.iter().find_map(|r| match &r.status {
                    Status::ClientError(e) => Some(e.clone()),
                    _ => None,
                }) {
                    self.mark_failed(server, &error);
                    return None;
                }
                self.mark_ok(server);
                Some(replies)
            }
            Ok(None) => {
                self.mark_failed(server, "connection lost");
                None
            }
            Err(_) => {
                self.mark_failed(server, "I/O timeout");
                None
            }
        }
    }

    /// The server's connection, opening one when there is none (or it broke).
    async fn connection(&self, server: &Server) -> Option<Arc<Connection>> {
        let current = server.connection.lock().ok()?.clone();
        if let Some(connection) = current.filter(|c| !c.is_broken()) {
            return Some(connection);
        }
        let opened = tokio::time::timeout(
            self.settings.connect_timeout,
            Connection::open(&server.socket_addr),
        )
        .await;
        let connection = match opened {
            Ok(Ok(connection)) => Arc::new(connection),
            Ok(Err(e)) => {
                self.mark_failed(server, &e.to_string());
                return None;
            }
            Err(_) => {
                self.mark_failed(server, "connect timeout");
                return None;
            }
        };
        let mut slot = server.connection.lock().ok()?;
        // Another request may have connected meanwhile: keep one connection.
        match slot.as_ref().filter(|c| !c.is_broken()) {
            Some(existing) => Some(existing.clone()),
            None => {
                *slot = Some(connection.clone());
                Some(connection)
            }
        }
    }

    /// Read many plain (unchunked) keys, one request per server.
    pub async fn get_many(&self, keys: &[String]) -> HashMap<String, Vec<u8>> {
        let mut by_server: HashMap<usize, Vec<&str>> = HashMap::new();
        for key in keys {
            if let Some(i) = ring::owner(&self.names, key) {
                by_server.entry(i).or_default().push(key);
            }
        }
        let requests = by_server.into_iter().map(|(i, keys)| async move {
            let server = &self.servers[i];
            if !self.is_usable(server) {
                return Vec::new();
            }
            let commands: Vec<Command> = keys
                .iter()
                .map(|&key| Command::Get { key, flags: &["v"] })
                .collect();
            let replies = self.call(server, &commands).await.unwrap_or_default();
            keys.into_iter().zip(replies).collect::<Vec<_>>()
        });
        let mut out = HashMap::new();
        for found in futures_util::future::join_all(requests).await {
            for (key, reply) in found {
                if let Some(data) = reply.data.filter(|_| !reply.stale) {
                    out.insert(key.to_owned(), data);
                }
            }
        }
        out
    }

    /// Write many small items in batches per server; true when every item was stored.
    pub async fn set_many<V: AsRef<[u8]>>(&self, items: &[(String, V)], ttl: Duration) -> bool {
        let ttl = format!("T{}", ttl_secs(ttl));
        let ttl = ttl.as_str();
        let mut by_server: HashMap<usize, Vec<(&str, &[u8])>> = HashMap::new();
        for (key, value) in items {
            match ring::owner(&self.names, key) {
                Some(i) => by_server
                    .entry(i)
                    .or_default()
                    .push((key.as_str(), value.as_ref())),
                None => return false,
            }
        }
        let batch = self.settings.multi_set_batch.max(1);
        let requests = by_server.into_iter().map(|(i, items)| async move {
            let server = &self.servers[i];
            if !self.is_usable(server) {
                return false;
            }
            for slice in items.chunks(batch) {
                let commands: Vec<Command> = slice
                    .iter()
                    .map(|&(key, value)| Command::Set {
                        key,
                        value,
                        flags: std::slice::from_ref(&ttl),
                    })
                    .collect();
                let stored = self
                    .call(server, &commands)
                    .await
                    .is_some_and(|replies| replies.iter().all(|r| r.status == Status::Done));
                if !stored {
                    return false;
                }
            }
            true
        });
        futures_util::future::join_all(requests)
            .await
            .into_iter()
            .all(|ok| ok)
    }

    /// Invalidate a cached value: mark it stale and bump its CAS (`md <key> I T<secs>`), so a
    /// load that began before cannot store what it read, and readers must reload. When the
    /// server cannot be told now, the invalidation is queued for it (see the module docs).
    pub async fn invalidate(&self, key: &str, stale_ttl: Duration) {
        let Some(server) = self.owner(key) else {
            return;
        };
        if !self.is_usable(server) {
            self.queue(server, key);
            return;
        }
        if !self.send_invalidation(server, key, stale_ttl).await {
            self.queue(server, key);
        }
    }

    async fn send_invalidation(&self, server: &Server, key: &str, stale_ttl: Duration) -> bool {
        let ttl = format!("T{}", ttl_secs(stale_ttl).max(1));
        // Any answer counts as delivered: "not found" means there was nothing to invalidate.
        let flags = ["I", ttl.as_str()];
        self.call(server, &[Command::Delete { key, flags: &flags }])
            .await
            .is_some_and(|replies| !matches!(replies[0].status, Status::ServerError(_)))
    }

    fn queue(&self, server: &Server, key: &str) {
        let mut pending = server
            .pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if pending.keys.len() >= self.settings.max_pending {
            pending.keys.clear();
            pending.overflowed = true;
        } else if !pending.overflowed {
            pending.keys.push_back(key.to_owned());
        }
        server.dirty.store(true, Ordering::Release);
        metrics::counter!("cache_memcached_queued_invalidations_total", "server" => server.addr.clone())
            .increment(1);
    }

    /// Whether any server has invalidations waiting.
    pub fn has_pending(&self) -> bool {
        self.servers.iter().any(|s| s.dirty.load(Ordering::Acquire))
    }

    /// Send queued invalidations to every server that is reachable again (or flush it when its
    /// queue overflowed); a server is used again once its queue is empty. Returns how many
    /// servers are still waiting.
    pub async fn replay_pending(&self, stale_ttl: Duration) -> usize {
        let mut waiting = 0;
        for server in &self.servers {
            if !server.dirty.load(Ordering::Acquire) {
                continue;
            }
            if !self.is_up(server) || !self.replay_to(server, stale_ttl).await {
                waiting += 1;
            }
        }
        waiting
    }

    async fn replay_to(&self, server: &Server, stale_ttl: Duration) -> bool {
        let overflowed = server.pending.lock().map_or(true, |p| p.overflowed);
        if overflowed {
            let flushed = self
                .call(server, &[Command::FlushAll])
                .await
                .is_some_and(|replies| replies[0].status == Status::Ok);
            if !flushed {
                return false;
            }
            tracing::warn!(server = %server.addr, "memcached server missed too many invalidations; flushed");
            let mut pending = server
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            pending.overflowed = false;
            pending.keys.clear();
        }
        loop {
            let next = server
                .pending
                .lock()
                .ok()
                .and_then(|p| p.keys.front().cloned());
            let Some(key) = next else { break };
            if !self.send_invalidation(server, &key, stale_ttl).await {
                return false;
            }
            let mut pending = server
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            // Queued again meanwhile? Then a newer copy sits further back: drop only this one.
            if pending.keys.front() == Some(&key) {
                pending.keys.pop_front();
            }
            if pending.overflowed {
                return false;
            }
        }
        let pending = server
            .pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if pending.keys.is_empty() && !pending.overflowed {
            server.dirty.store(false, Ordering::Release);
            tracing::info!(server = %server.addr, "memcached server caught up with its invalidations");
        }
        true
    }

    /// Per-server statistics (`stats` command), for the admin page.
    pub async fn stats(&self) -> Vec<(String, HashMap<String, String>)> {
        let mut out = Vec::new();
        for server in &self.servers {
            let stats = match self.call(server, &[Command::Stats]).await.as_deref() {
                Some(
                    [
                        Reply {
                            status: Status::Stats(stats),
                            ..
                        },
                    ],
                ) => stats.iter().cloned().collect(),
                _ => HashMap::new(),
            };
            out.push((server.addr.clone(), stats));
        }
        out
    }
}

/// Keys of a chunked value's parts: fixed length, whatever the main key's length.
pub(super) fn chunk_key(key: &str, generation: u64, index: u32) -> String {
    let hash = blake3::hash(key.as_bytes()).to_hex();
    format!("chunk:{}:{generation:016x}:{index}", &hash[..32])
}

/// memcached TTLs: seconds; 0 means "never expires", values over 30 days are timestamps.
pub(super) fn ttl_secs(ttl: Duration) -> i64 {
    (ttl.as_secs() as i64).clamp(0, 30 * 24 * 3600)
}
