//! The PostgreSQL database.

use clap::Args;

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
}
