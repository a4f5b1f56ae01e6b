//! The crawler: how often, how far, as whom, and how long crawls are kept.

use std::time::Duration;

use clap::Args;

use super::parse_duration;

/// The crawler: how often, how far, as whom, and how long crawls are kept.
#[derive(Clone, Debug, Args)]
pub struct CrawlConfig {
    /// How often each active page is crawled: seconds, or with a unit (`90s`, `30m`, `6h`, `1d`).
    #[arg(long = "crawl-interval", env = "HUD_CRAWL_INTERVAL", default_value = "6h", value_parser = parse_duration)]
    pub interval: Duration,

    /// Crawl connect and read timeout, in seconds.
    #[arg(
        long = "crawl-timeout-secs",
        env = "HUD_CRAWL_TIMEOUT_SECS",
        default_value_t = 4
    )]
    pub timeout_secs: u64,

    /// Largest page body the crawler reads (after decompression), in bytes.
    #[arg(long = "crawl-max-bytes", env = "HUD_CRAWL_MAX_BYTES", default_value_t = 5 * 1024 * 1024)]
    pub max_bytes: usize,

    /// Redirects the crawler follows.
    #[arg(
        long = "crawl-max-redirects",
        env = "HUD_CRAWL_MAX_REDIRECTS",
        default_value_t = 5
    )]
    pub max_redirects: usize,

    /// The crawler's User-Agent (its first word is the name robots.txt rules address).
    #[arg(
        long = "crawl-user-agent",
        env = "HUD_CRAWL_USER_AGENT",
        default_value = "HUD-wordcloud/0.1 (+https://github.com/hud)"
    )]
    pub user_agent: String,

    /// Non-public addresses the crawler may fetch anyway, comma-separated `host` or `host:port`.
    #[arg(long = "crawl-allow", env = "HUD_CRAWL_ALLOW", value_delimiter = ',')]
    pub allow: Vec<String>,

    /// Crawls older than this many days are deleted (0 keeps everything).
    #[arg(
        long = "crawl-retention-days",
        env = "HUD_CRAWL_RETENTION_DAYS",
        default_value_t = 90
    )]
    pub retention_days: u32,
}
