//! Typed configuration, read from environment variables (or the matching command-line flags).
//!
//! Every field names its environment variable; `hud --help` and the README's configuration
//! table list them all. Defaults are chosen so that `hud serve` needs no configuration at all.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Args, ValueEnum};

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable when stderr is a terminal, JSON otherwise.
    Auto,
    /// Human-readable, coloured lines.
    Human,
    /// One JSON object per line (for log shippers).
    Json,
}

/// All run-time settings of a HUD process.
#[derive(Clone, Debug, Args)]
pub struct Config {
    /// Address the HTTP server listens on.
    #[arg(long, env = "HUD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// PostgreSQL connection URL. Unset: HUD runs a private cluster under `HUD_DATA_DIR/postgres`.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Directory for the private PostgreSQL cluster, the generated secret key and model files.
    #[arg(long, env = "HUD_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Comma-separated list of enabled sub-apps (default: all of them).
    #[arg(long, env = "HUD_APPS", value_delimiter = ',')]
    pub apps: Option<Vec<String>>,

    /// Key for signing cookies (at least 32 characters). Unset: generated once, kept in the data dir.
    /// Set the same value on every instance when running several behind a load balancer.
    #[arg(long, env = "HUD_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Mark cookies `Secure` (set to true when served over HTTPS).
    #[arg(long, env = "HUD_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// Log format: auto, human or json.
    #[arg(long, env = "HUD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Auto)]
    pub log_format: LogFormat,

    /// Log filter in `tracing` syntax, e.g. `info,hud=debug`.
    #[arg(
        long,
        env = "HUD_LOG",
        default_value = "info,sqlx::postgres::notice=warn"
    )]
    pub log_filter: String,

    /// Seconds a request may take before it is answered with 408.
    #[arg(long, env = "HUD_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Largest accepted request body in bytes (uploads included).
    #[arg(long, env = "HUD_BODY_LIMIT_BYTES", default_value_t = 4 * 1024 * 1024)]
    pub body_limit_bytes: usize,

    /// Seconds in-flight requests get to finish after SIGTERM / Ctrl-C.
    #[arg(long, env = "HUD_SHUTDOWN_GRACE_SECS", default_value_t = 20)]
    pub shutdown_grace_secs: u64,

    /// Seconds a client has to send a request's head (line and headers), however slowly it
    /// drips them: slow clients (slowloris) cannot hold connections open.
    #[arg(long, env = "HUD_HEADER_READ_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_read_timeout_secs: u64,

    /// A connection silent (no bytes either way) for this many seconds is closed. Behind a
    /// proxy, keep the proxy's upstream keep-alive timeout shorter.
    #[arg(long, env = "HUD_KEEP_ALIVE_IDLE_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub keep_alive_idle_secs: u64,

    /// Connections served at once; more wait in the listen backlog until a slot frees. Keep it
    /// below the process's open-file limit (`hud serve` raises its soft limit to the hard one).
    #[arg(long, env = "HUD_MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub max_connections: usize,

    /// Maximum connections in the PostgreSQL pool of this process.
    #[arg(long, env = "HUD_DB_MAX_CONNECTIONS", default_value_t = 20)]
    pub db_max_connections: u32,

    /// Trust the last `X-Forwarded-For` address as the client IP (set when behind a proxy).
    #[arg(long, env = "HUD_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,

    /// Bearer token that `/metrics` requires (`Authorization: Bearer …`); unset: `/metrics` is
    /// off (404). The counters name routes and memcached servers, so they are not public.
    #[arg(long, env = "HUD_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Send the `Server-Timing` and `X-Hud-Cache` headers on every response (for load tests
    /// and debugging); off: only admins' responses carry them, as they tell an outsider which
    /// pages are cached and how long the database takes.
    #[arg(long, env = "HUD_DIAGNOSTIC_HEADERS", default_value_t = false, action = clap::ArgAction::Set)]
    pub diagnostic_headers: bool,

    /// Rate limits per client IP count an IPv6 client as its network of this many leading bits
    /// (64: one customer's /64 is one client, however many addresses it rotates through).
    #[arg(long, env = "HUD_RATE_LIMIT_IPV6_PREFIX", default_value_t = 64, value_parser = clap::value_parser!(u8).range(16..=128))]
    pub rate_limit_ipv6_prefix: u8,

    /// Failed or successful login attempts allowed per client IP per 5 minutes.
    #[arg(long, env = "HUD_LOGIN_LIMIT_PER_IP", default_value_t = 20)]
    pub login_limit_per_ip: i32,

    /// Failed logins allowed per account and client per 15 minutes (a successful login forgets
    /// them; other clients' failures never count, so an attacker cannot lock the owner out).
    #[arg(long, env = "HUD_LOGIN_LIMIT_PER_ACCOUNT", default_value_t = 10)]
    pub login_limit_per_account: i32,

    /// Sign-ups allowed per client IP per hour.
    #[arg(long, env = "HUD_SIGNUP_LIMIT_PER_IP", default_value_t = 10)]
    pub signup_limit_per_ip: i32,

    /// memcached servers, comma-separated `host:port` (unset: in-process cache tier only).
    #[arg(long, env = "HUD_MEMCACHED", value_delimiter = ',')]
    pub memcached: Vec<String>,

    /// Cache version, part of every cache key: change it to abandon all cached entries.
    /// 1–32 characters of `A-Z a-z 0-9 . _ -` (it goes into memcached keys as it is).
    #[arg(long, env = "HUD_CACHE_VERSION", default_value = "1", value_parser = parse_cache_version)]
    pub cache_version: String,

    /// Byte budget of the in-process cache tier (0 disables it).
    #[arg(long, env = "HUD_CACHE_LOCAL_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub cache_local_bytes: u64,

    /// Connect and I/O timeout for memcached, in milliseconds.
    #[arg(long, env = "HUD_MEMCACHED_TIMEOUT_MS", default_value_t = 250)]
    pub memcached_timeout_ms: u64,

    /// Warm the cache at start: the sub-apps' public pages, in every language.
    #[arg(long, env = "HUD_CACHE_WARM", default_value_t = true, action = clap::ArgAction::Set)]
    pub cache_warm: bool,

    /// Items per memcached multi-set request (larger batches are split).
    #[arg(long, env = "HUD_CACHE_MULTI_SET_BATCH", default_value_t = 64)]
    pub cache_multi_set_batch: usize,

    /// Avatar uploads allowed per user per hour (each one is an image decode).
    #[arg(long, env = "HUD_AVATAR_UPLOADS_PER_HOUR", default_value_t = 20)]
    pub avatar_uploads_per_hour: i32,

    /// Minimum password length in characters.
    #[arg(long, env = "HUD_PASSWORD_MIN_LENGTH", default_value_t = 10)]
    pub password_min_length: usize,

    /// How long an anonymous session lives without being used (seconds, or with a unit: `30m`,
    /// `1h`). Logged-in sessions live 14 days of inactivity.
    #[arg(long, env = "HUD_ANON_SESSION_TTL", default_value = "1h", value_parser = parse_duration)]
    pub anon_session_ttl: Duration,

    /// Longest lifetime of an API token in days: the default for new tokens and the cap of the
    /// lifetime a client asks for.
    #[arg(long, env = "HUD_API_TOKEN_MAX_DAYS", default_value_t = 90, value_parser = clap::value_parser!(i64).range(1..=3650))]
    pub api_token_max_days: i64,

    /// How long an issued captcha can be answered, in seconds.
    #[arg(long, env = "HUD_CAPTCHA_TTL_SECS", default_value_t = 600)]
    pub captcha_ttl_secs: u64,

    /// Width of generated captcha images in pixels (at least 120).
    #[arg(long, env = "HUD_CAPTCHA_WIDTH", default_value_t = 240, value_parser = clap::value_parser!(u32).range(120..=1200))]
    pub captcha_width: u32,

    /// Height of generated captcha images in pixels (at least 40).
    #[arg(long, env = "HUD_CAPTCHA_HEIGHT", default_value_t = 80, value_parser = clap::value_parser!(u32).range(40..=400))]
    pub captcha_height: u32,

    /// Active captcha images `hud serve` keeps in stock (it generates more when there are fewer).
    #[arg(long, env = "HUD_CAPTCHA_POOL", default_value_t = 200)]
    pub captcha_pool: i64,

    /// How many times one captcha image is handed out before it is retired and replaced (so a
    /// table of solved images is worth almost nothing).
    #[arg(long, env = "HUD_CAPTCHA_MAX_ISSUES", default_value_t = 3, value_parser = clap::value_parser!(i32).range(1..=100))]
    pub captcha_max_issues: i32,

    /// Captcha answers allowed per client IP per 10 minutes.
    #[arg(long, env = "HUD_CAPTCHA_ATTEMPTS_PER_IP", default_value_t = 30)]
    pub captcha_attempts_per_ip: i32,

    /// Captcha answers allowed per browser session (or API client) per 10 minutes.
    #[arg(long, env = "HUD_CAPTCHA_ATTEMPTS_PER_SESSION", default_value_t = 10)]
    pub captcha_attempts_per_session: i32,

    /// Captchas (and audio renderings) issued per client IP per 10 minutes.
    #[arg(long, env = "HUD_CAPTCHA_ISSUE_LIMIT_PER_IP", default_value_t = 300)]
    pub captcha_issue_limit_per_ip: i32,

    /// The `espeak-ng` program for audio captchas (empty: no audio alternative).
    #[arg(long, env = "HUD_ESPEAK", default_value = "espeak-ng")]
    pub espeak: String,

    /// How often each active page is crawled: seconds, or with a unit (`90s`, `30m`, `6h`, `1d`).
    #[arg(long, env = "HUD_CRAWL_INTERVAL", default_value = "6h", value_parser = parse_duration)]
    pub crawl_interval: Duration,

    /// Crawl connect and read timeout, in seconds.
    #[arg(long, env = "HUD_CRAWL_TIMEOUT_SECS", default_value_t = 4)]
    pub crawl_timeout_secs: u64,

    /// Largest page body the crawler reads (after decompression), in bytes.
    #[arg(long, env = "HUD_CRAWL_MAX_BYTES", default_value_t = 5 * 1024 * 1024)]
    pub crawl_max_bytes: usize,

    /// Redirects the crawler follows.
    #[arg(long, env = "HUD_CRAWL_MAX_REDIRECTS", default_value_t = 5)]
    pub crawl_max_redirects: usize,

    /// The crawler's User-Agent (its first word is the name robots.txt rules address).
    #[arg(
        long,
        env = "HUD_CRAWL_USER_AGENT",
        default_value = "HUD-wordcloud/0.1 (+https://github.com/hud)"
    )]
    pub crawl_user_agent: String,

    /// Non-public addresses the crawler may fetch anyway, comma-separated `host` or `host:port`.
    #[arg(long, env = "HUD_CRAWL_ALLOW", value_delimiter = ',')]
    pub crawl_allow: Vec<String>,

    /// Longest period of crawls one cloud may sum, in days: from the first to the last crawl in
    /// the requested range (so a range reaching far past the crawl history is fine).
    #[arg(long, env = "HUD_CLOUD_MAX_RANGE_DAYS", default_value_t = 366, value_parser = clap::value_parser!(u32).range(1..=36600))]
    pub cloud_max_range_days: u32,

    /// Uncached cloud, trend and comparison renders (pages, SVG, PNG, API) allowed per client IP
    /// per minute; response-cache hits are never counted.
    #[arg(long, env = "HUD_RENDER_LIMIT_PER_IP", default_value_t = 60, value_parser = clap::value_parser!(i32).range(1..))]
    pub render_limit_per_ip: i32,

    /// Crawls older than this many days are deleted (0 keeps everything).
    #[arg(long, env = "HUD_CRAWL_RETENTION_DAYS", default_value_t = 90)]
    pub crawl_retention_days: u32,

    /// The search index covers crawls of this many days.
    #[arg(long, env = "HUD_SEARCH_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub search_days: u32,

    /// How often each process checks the database for new crawls to index: seconds, or with a
    /// unit (`5s`, `1m`).
    #[arg(long, env = "HUD_SEARCH_REFRESH", default_value = "5s", value_parser = parse_duration)]
    pub search_refresh: Duration,

    /// Job workers `hud serve` runs in-process (0: none; run `hud worker` elsewhere).
    #[arg(long, env = "HUD_WORKERS", default_value_t = 2)]
    pub workers: usize,

    /// A running job whose worker has not finished it after this many seconds is run again.
    #[arg(long, env = "HUD_JOB_LEASE_SECS", default_value_t = 300)]
    pub job_lease_secs: u64,
}

/// A duration: plain seconds, or a number with `s`, `m`, `h` or `d`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 90s, 30m, 6h or 1d"))?;
    let secs = match unit.trim() {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("{text:?}: the unit must be s, m, h or d")),
    };
    if secs == 0 {
        return Err("the interval must be longer than zero".into());
    }
    Ok(Duration::from_secs(secs))
}

impl Config {
    /// Request timeout as a [`Duration`].
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// Grace period for draining in-flight requests on shutdown.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs)
    }

    /// A configuration with every default, for tests and tools.
    pub fn defaults() -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            config: Config,
        }
        Only::parse_from(["hud"]).config
    }
}

/// `HUD_CACHE_VERSION`: refused at start unless it can be part of a memcached key (1–32
/// characters of `A-Z a-z 0-9 . _ -`).
fn parse_cache_version(value: &str) -> Result<String, String> {
    let valid = (1..=32).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if valid {
        Ok(value.to_owned())
    } else {
        Err("use 1 to 32 characters of A-Z, a-z, 0-9, '.', '_' or '-'".to_owned())
    }
}
