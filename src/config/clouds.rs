//! Word clouds: how many pages a user may register, the longest range one cloud sums and the
//! render budget per client.

use clap::Args;

/// Word clouds: how many pages a user may register, the longest range one cloud sums and the
/// render budget per client.
#[derive(Clone, Debug, Args)]
pub struct CloudsConfig {
    /// Pages one user may have registered at a time (administrators are not limited); deleting
    /// one frees its place.
    #[arg(long = "pages-per-user", env = "HUD_PAGES_PER_USER", default_value_t = 50, value_parser = clap::value_parser!(i64).range(0..))]
    pub pages_per_user: i64,

    /// Longest period of crawls one cloud may sum, in days: from the first to the last crawl in
    /// the requested range (so a range reaching far past the crawl history is fine).
    #[arg(long = "cloud-max-range-days", env = "HUD_CLOUD_MAX_RANGE_DAYS", default_value_t = 366, value_parser = clap::value_parser!(u32).range(1..=36600))]
    pub max_range_days: u32,

    /// Uncached cloud, trend and comparison renders (pages, SVG, PNG, API) allowed per client IP
    /// per minute; response-cache hits are never counted.
    #[arg(long = "render-limit-per-ip", env = "HUD_RENDER_LIMIT_PER_IP", default_value_t = 60, value_parser = clap::value_parser!(i32).range(1..))]
    pub render_limit_per_ip: i32,
}
