//! The search index: its window and how often it catches up.

use std::time::Duration;

use clap::Args;

use super::parse_duration;

/// The search index: its window and how often it catches up.
#[derive(Clone, Debug, Args)]
pub struct SearchConfig {
    /// The search index covers crawls of this many days.
    #[arg(long = "search-days", env = "HUD_SEARCH_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,

    /// How often each process checks the database for new crawls to index: seconds, or with a
    /// unit (`5s`, `1m`).
    #[arg(long = "search-refresh", env = "HUD_SEARCH_REFRESH", default_value = "5s", value_parser = parse_duration)]
    pub refresh: Duration,
}
