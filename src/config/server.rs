//! The HTTP server: where it listens, how long requests and connections may take, cookies, the client address.

use std::net::SocketAddr;

use clap::Args;

/// The HTTP server: where it listens, how long requests and connections may take, cookies, the client address.
#[derive(Clone, Debug, Args)]
pub struct ServerConfig {
    /// Address the HTTP server listens on.
    #[arg(long = "bind", env = "HUD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Key for signing cookies (at least 32 characters). Unset: generated once, kept in the data dir.
    /// Set the same value on every instance when running several behind a load balancer.
    #[arg(long = "secret-key", env = "HUD_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Mark cookies `Secure` (set to true when served over HTTPS).
    #[arg(
        long = "secure-cookies",
        env = "HUD_SECURE_COOKIES",
        default_value_t = false
    )]
    pub secure_cookies: bool,

    /// Seconds a request may take before it is answered with 408.
    #[arg(
        long = "request-timeout-secs",
        env = "HUD_REQUEST_TIMEOUT_SECS",
        default_value_t = 30
    )]
    pub request_timeout_secs: u64,

    /// Largest accepted request body in bytes (uploads included).
    #[arg(long = "body-limit-bytes", env = "HUD_BODY_LIMIT_BYTES", default_value_t = 4 * 1024 * 1024)]
    pub body_limit_bytes: usize,

    /// Seconds in-flight requests get to finish after SIGTERM / Ctrl-C.
    #[arg(
        long = "shutdown-grace-secs",
        env = "HUD_SHUTDOWN_GRACE_SECS",
        default_value_t = 20
    )]
    pub shutdown_grace_secs: u64,

    /// Seconds a client has to send a request's head (line and headers), however slowly it
    /// drips them: slow clients (slowloris) cannot hold connections open.
    #[arg(long = "header-read-timeout-secs", env = "HUD_HEADER_READ_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_read_timeout_secs: u64,

    /// A connection silent (no bytes either way) for this many seconds is closed. Behind a
    /// proxy, keep the proxy's upstream keep-alive timeout shorter.
    #[arg(long = "keep-alive-idle-secs", env = "HUD_KEEP_ALIVE_IDLE_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub keep_alive_idle_secs: u64,

    /// Connections served at once; more wait in the listen backlog until a slot frees. Keep it
    /// below the process's open-file limit (`hud serve` raises its soft limit to the hard one).
    #[arg(long = "max-connections", env = "HUD_MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub max_connections: usize,

    /// Trust the last `X-Forwarded-For` address as the client IP (set when behind a proxy).
    #[arg(long = "trust-proxy", env = "HUD_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,

    /// Rate limits per client IP count an IPv6 client as its network of this many leading bits
    /// (64: one customer's /64 is one client, however many addresses it rotates through).
    #[arg(long = "rate-limit-ipv6-prefix", env = "HUD_RATE_LIMIT_IPV6_PREFIX", default_value_t = 64, value_parser = clap::value_parser!(u8).range(16..=128))]
    pub rate_limit_ipv6_prefix: u8,

    /// Requests per minute one API token may make to `/api/v1/…` (0: no limit). Counted by each
    /// instance on its own: behind a load balancer spreading over N instances, a token gets up to
    /// N times this.
    #[arg(
        long = "api-rate-limit",
        env = "HUD_API_RATE_LIMIT",
        default_value_t = 600
    )]
    pub api_rate_limit: u32,

    /// Requests per minute one client IP may make to `/api/v1/…` without a valid token (0: no
    /// limit); counted per instance, like `HUD_API_RATE_LIMIT`.
    #[arg(
        long = "api-rate-limit-anonymous",
        env = "HUD_API_RATE_LIMIT_ANONYMOUS",
        default_value_t = 120
    )]
    pub api_rate_limit_anonymous: u32,
}

impl ServerConfig {
    /// Request timeout as a [`std::time::Duration`].
    pub fn request_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.request_timeout_secs)
    }

    /// Grace period for draining in-flight requests on shutdown.
    pub fn shutdown_grace(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.shutdown_grace_secs)
    }
}
