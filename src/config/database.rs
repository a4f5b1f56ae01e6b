//! The PostgreSQL database.

use std::time::Duration;

use clap::Args;

use super::parse_duration;

/// The PostgreSQL database.
#[derive(Clone, Debug, Args)]
pub struct DatabaseConfig {
    /// PostgreSQL connection URL. Unset: HUD runs a private cluster under `HUD_DATA_DIR/postgres`.
    #[arg(long = "database-url", env = "DATABASE_URL", hide_env_values = true)]
    pub url: Option<String>,

    /// Maximum connections in the PostgreSQL pool of this process.
    #[arg(
        id = "db_max_connections",
        value_name = "DB_MAX_CONNECTIONS",
        long = "db-max-connections",
        env = "HUD_DB_MAX_CONNECTIONS",
        default_value_t = 20
    )]
    pub max_connections: u32,

    /// How long a request waits for a PostgreSQL connection (a free one of the pool, or a new
    /// one while PostgreSQL is down or restarting) before it is answered 503 with Retry-After:
    /// seconds, or with a unit (`2s`). Short, so an outage gives fast answers, not hung ones.
    #[arg(
        long = "db-acquire-timeout",
        env = "HUD_DB_ACQUIRE_TIMEOUT",
        default_value = "1s",
        value_parser = parse_duration
    )]
    pub acquire_timeout: Duration,
}
