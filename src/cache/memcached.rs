//! The memcached tier: a pool of connections per server, keys placed by rendezvous hashing,
//! values above the item limit split into chunks.
//!
//! memcached is an accelerator, never a dependency: every call has short connect and I/O
//! timeouts, a failing or hanging server is marked down and skipped (its keys read as misses,
//! so requests fall through to PostgreSQL) and retried after an exponential back-off. Nothing
//! here returns an error to the caller; failures are counted in metrics.

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU32, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use async_memcached::{AsciiProtocol, Client, Error as McError, Status};

use super::{codec::Manifest, ring};

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
    /// Idle connections kept per server.
    pub pool_size: usize,
}

impl Default for RemoteSettings {
    fn default() -> Self {
        RemoteSettings {
            connect_timeout: Duration::from_millis(200),
            io_timeout: Duration::from_millis(250),
            chunk_bytes: 1000 * 1000,
            multi_set_batch: 64,
            pool_size: 16,
        }
    }
}

struct Server {
    addr: String,
    /// `tcp://host:port` (the client needs the scheme).
    dsn: String,
    idle: Mutex<Vec<Client>>,
    failures: AtomicU32,
    /// Milliseconds since `epoch` until which the server is skipped (0 = up).
    down_until_ms: AtomicU64,
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
}

/// The pool of memcached servers.
pub struct MemcachedTier {
    servers: Vec<Server>,
    names: Vec<String>,
    settings: RemoteSettings,
    epoch: Instant,
}

/// Outcome of a read.
#[derive(Debug, PartialEq, Eq)]
pub enum Fetch {
    /// The value.
    Hit(Vec<u8>),
    /// Not stored (or incomplete).
    Miss,
    /// The owning server is down or failed; treat as a miss, but do not write.
    Unavailable,
}

impl MemcachedTier {
    /// A tier over `host:port` addresses.
    pub fn new(addrs: &[String], settings: RemoteSettings) -> Self {
        let servers = addrs
            .iter()
            .map(|addr| Server {
                addr: addr.clone(),
                dsn: if addr.contains("://") {
                    addr.clone()
                } else {
                    format!("tcp://{addr}")
                },
                idle: Mutex::new(Vec::new()),
                failures: AtomicU32::new(0),
                down_until_ms: AtomicU64::new(0),
            })
            .collect();
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
                up: self.is_up(s),
                failures: s.failures.load(Ordering::Relaxed),
            })
            .collect()
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn is_up(&self, server: &Server) -> bool {
        server.down_until_ms.load(Ordering::Relaxed) <= self.now_ms()
    }

    fn owner(&self, key: &str) -> Option<&Server> {
        ring::owner(&self.names, key).map(|i| &self.servers[i])
    }

    fn mark_failed(&self, server: &Server, error: &str) {
        let failures = server.failures.fetch_add(1, Ordering::Relaxed) + 1;
        // 0.5 s, 1 s, 2 s … capped at 30 s.
        let backoff = (500u64 << failures.min(6).saturating_sub(1)).min(30_000);
        server
            .down_until_ms
            .store(self.now_ms() + backoff, Ordering::Relaxed);
        server.idle.lock().map(|mut idle| idle.clear()).ok();
        metrics::counter!("cache_memcached_errors_total", "server" => server.addr.clone())
            .increment(1);
        metrics::gauge!("cache_memcached_up", "server" => server.addr.clone()).set(0.0);
        tracing::warn!(server = %server.addr, failures, backoff_ms = backoff, error, "memcached server marked down");
    }

    fn mark_ok(&self, server: &Server) {
        if server.failures.swap(0, Ordering::Relaxed) > 0 {
            tracing::info!(server = %server.addr, "memcached server is back");
        }
        metrics::gauge!("cache_memcached_up", "server" => server.addr.clone()).set(1.0);
    }

    /// Run one operation on a pooled connection, with timeouts and failure accounting.
    async fn with_client<T>(
        &self,
        server: &Server,
        op: impl AsyncFnOnce(&mut Client) -> Result<T, McError>,
    ) -> Option<T> {
        if !self.is_up(server) {
            return None;
        }
        let pooled = server.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut client = match pooled {
            Some(client) => client,
            None => {
                match tokio::time::timeout(self.settings.connect_timeout, Client::new(&server.dsn))
                    .await
                {
                    Ok(Ok(client)) => client,
                    Ok(Err(e)) => {
                        self.mark_failed(server, &e.to_string());
                        return None;
                    }
                    Err(_) => {
                        self.mark_failed(server, "connect timeout");
                        return None;
                    }
                }
            }
        };
        match tokio::time::timeout(self.settings.io_timeout, op(&mut client)).await {
            Ok(Ok(value)) => {
                self.mark_ok(server);
                self.give_back(server, client);
                Some(value)
            }
            // "Not found" / "not stored" are answers, not failures.
            Ok(Err(McError::Protocol(status))) if !matches!(status, Status::Error(_)) => {
                self.give_back(server, client);
                None
            }
            Ok(Err(e)) => {
                self.mark_failed(server, &e.to_string());
                None
            }
            Err(_) => {
                // The connection is mid-response; it is dropped, never reused.
                self.mark_failed(server, "I/O timeout");
                None
            }
        }
    }

    fn give_back(&self, server: &Server, client: Client) {
        if client.is_closed() {
            return;
        }
        if let Ok(mut idle) = server.idle.lock()
            && idle.len() < self.settings.pool_size
        {
            idle.push(client);
        }
    }

    async fn get_raw(&self, key: &str) -> Fetch {
        let Some(server) = self.owner(key) else {
            return Fetch::Unavailable;
        };
        if !self.is_up(server) {
            return Fetch::Unavailable;
        }
        let failures_before = server.failures.load(Ordering::Relaxed);
        let got = self
            .with_client(server, async |c: &mut Client| c.get(key).await)
            .await;
        match got {
            Some(Some(value)) => value.data.map(Fetch::Hit).unwrap_or(Fetch::Miss),
            Some(None) => Fetch::Miss,
            None if self.is_up(server)
                && server.failures.load(Ordering::Relaxed) <= failures_before =>
            {
                Fetch::Miss
            }
            None => Fetch::Unavailable,
        }
    }

    /// Read a value, reassembling chunked ones; incomplete or inconsistent chunks read as a miss.
    pub async fn get(&self, key: &str) -> Fetch {
        let raw = match self.get_raw(key).await {
            Fetch::Hit(raw) => raw,
            other => return other,
        };
        let Some(manifest) = Manifest::decode(&raw) else {
            return Fetch::Hit(raw);
        };
        let keys: Vec<String> = (0..manifest.chunks)
            .map(|i| chunk_key(key, manifest.generation, i))
            .collect();
        let found = self.get_many(&keys).await;
        let chunks: Vec<Option<Vec<u8>>> = keys.iter().map(|k| found.get(k).cloned()).collect();
        match manifest.reassemble(&chunks) {
            Some(value) => Fetch::Hit(value),
            None => {
                metrics::counter!("cache_memcached_incomplete_total").increment(1);
                Fetch::Miss
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
            self.with_client(server, async |c: &mut Client| {
                c.get_multi(keys.iter()).await
            })
            .await
            .unwrap_or_default()
        });
        let mut out = HashMap::new();
        for values in futures_util::future::join_all(requests).await {
            for value in values {
                if let (Ok(key), Some(data)) = (String::from_utf8(value.key), value.data) {
                    out.insert(key, data);
                }
            }
        }
        out
    }

    /// Write a value (chunks first, then the manifest, so readers never see a partial set).
    pub async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> bool {
        let ttl = ttl_secs(ttl);
        if value.len() <= self.settings.chunk_bytes {
            let Some(server) = self.owner(key) else {
                return false;
            };
            return self
                .with_client(server, async |c: &mut Client| {
                    c.set(key, value, Some(ttl), None).await
                })
                .await
                .is_some();
        }
        let manifest = Manifest::for_item(value, self.settings.chunk_bytes, rand::random());
        let chunks: Vec<(String, &[u8])> = value
            .chunks(self.settings.chunk_bytes)
            .enumerate()
            .map(|(i, chunk)| (chunk_key(key, manifest.generation, i as u32), chunk))
            .collect();
        if !self
            .set_many(&chunks, Duration::from_secs(ttl as u64))
            .await
        {
            return false;
        }
        let Some(server) = self.owner(key) else {
            return false;
        };
        let encoded = manifest.encode();
        self.with_client(server, async |c: &mut Client| {
            c.set(key, &encoded[..], Some(ttl), None).await
        })
        .await
        .is_some()
    }

    /// Write many small items in batches per server; true when every item was stored.
    pub async fn set_many<V: AsRef<[u8]>>(&self, items: &[(String, V)], ttl: Duration) -> bool {
        let ttl = ttl_secs(ttl);
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
            for slice in items.chunks(batch) {
                let stored = self
                    .with_client(server, async |c: &mut Client| {
                        let results = c.set_multi(slice, Some(ttl), None).await?;
                        Ok(results.values().all(|r| r.is_ok()) && results.len() == slice.len())
                    })
                    .await;
                if stored != Some(true) {
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

    /// Store only if absent (a lease); `None` when the server cannot be asked.
    pub async fn add(&self, key: &str, value: &[u8], ttl: Duration) -> Option<bool> {
        let server = self.owner(key)?;
        if !self.is_up(server) {
            return None;
        }
        let ttl = ttl_secs(ttl);
        let result = self
            .with_client(server, async |c: &mut Client| {
                match c.add(key, value, Some(ttl), None).await {
                    Ok(()) => Ok(true),
                    Err(McError::Protocol(Status::NotStored | Status::Exists)) => Ok(false),
                    Err(e) => Err(e),
                }
            })
            .await;
        result.or_else(|| self.is_up(server).then_some(false))
    }

    /// Delete a key (missing keys are fine).
    pub async fn delete(&self, key: &str) {
        if let Some(server) = self.owner(key) {
            self.with_client(server, async |c: &mut Client| c.delete(key).await)
                .await;
        }
    }

    /// Increment a counter, creating it at `initial` when absent; `None` when unavailable.
    pub async fn increment(&self, key: &str, initial: u64) -> Option<u64> {
        let server = self.owner(key)?;
        let bumped = self
            .with_client(server, async |c: &mut Client| c.increment(key, 1).await)
            .await;
        if bumped.is_some() {
            return bumped;
        }
        let value = initial.to_string();
        match self.add(key, value.as_bytes(), Duration::ZERO).await {
            Some(true) => Some(initial),
            Some(false) => {
                self.with_client(server, async |c: &mut Client| c.increment(key, 1).await)
                    .await
            }
            None => None,
        }
    }

    /// Per-server statistics (`stats` command), for the admin page.
    pub async fn stats(&self) -> Vec<(String, HashMap<String, String>)> {
        let mut out = Vec::new();
        for server in &self.servers {
            let stats = self
                .with_client(server, async |c: &mut Client| c.stats().await)
                .await
                .map(|m| m.into_iter().collect())
                .unwrap_or_default();
            out.push((server.addr.clone(), stats));
        }
        out
    }
}

/// Keys of a chunked value's parts: fixed length, whatever the main key's length.
fn chunk_key(key: &str, generation: u64, index: u32) -> String {
    let hash = blake3::hash(key.as_bytes()).to_hex();
    format!("chunk:{}:{generation:016x}:{index}", &hash[..32])
}

/// memcached TTLs: seconds; 0 means "never expires", values over 30 days are timestamps.
fn ttl_secs(ttl: Duration) -> i64 {
    (ttl.as_secs() as i64).clamp(0, 30 * 24 * 3600)
}
