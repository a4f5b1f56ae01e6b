//! The model-cache layer: the memcached pool and the in-process tier.

use clap::Args;

use super::parse_cache_version;

/// The model-cache layer: the memcached pool and the in-process tier.
#[derive(Clone, Debug, Args)]
pub struct CacheConfig {
    /// memcached servers, comma-separated `host:port` (unset: in-process cache tier only).
    #[arg(long = "memcached", env = "HUD_MEMCACHED", value_delimiter = ',')]
    pub memcached: Vec<String>,

    /// Cache version, part of every cache key: change it to abandon all cached entries.
    /// 1–32 characters of `A-Z a-z 0-9 . _ -` (it goes into memcached keys as it is).
    #[arg(id = "cache_version",
        value_name = "CACHE_VERSION",
        long = "cache-version", env = "HUD_CACHE_VERSION", default_value = "1", value_parser = parse_cache_version)]
    pub version: String,

    /// Byte budget of the in-process cache tier (0 disables it).
    #[arg(long = "cache-local-bytes", env = "HUD_CACHE_LOCAL_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub local_bytes: u64,

    /// Connect and I/O timeout for memcached, in milliseconds.
    #[arg(
        long = "memcached-timeout-ms",
        env = "HUD_MEMCACHED_TIMEOUT_MS",
        default_value_t = 250
    )]
    pub memcached_timeout_ms: u64,

    /// Warm the cache at start: the sub-apps' public pages, in every language.
    #[arg(long = "cache-warm", env = "HUD_CACHE_WARM", default_value_t = true, action = clap::ArgAction::Set)]
    pub warm: bool,

    /// Items per memcached multi-set request (larger batches are split).
    #[arg(
        long = "cache-multi-set-batch",
        env = "HUD_CACHE_MULTI_SET_BATCH",
        default_value_t = 64
    )]
    pub multi_set_batch: usize,
}
