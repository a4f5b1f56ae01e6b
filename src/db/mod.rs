//! Database access: the connection pool, migrations, the private embedded cluster and
//! small shared tables (rate limits).

pub mod embedded;
pub mod ratelimit;

use std::str::FromStr;

use anyhow::Context;
use sqlx::{
    PgPool,
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::config::Config;

/// The constraint (or unique index) whose violation made a statement fail, if that is why it
/// failed: the one way HUD turns "already taken" into a typed error, matched by the name the
/// migration gives the constraint.
pub fn violated_constraint(error: &sqlx::Error) -> Option<&str> {
    match error {
        sqlx::Error::Database(e) => e.constraint(),
        _ => None,
    }
}

/// An `ILIKE` pattern that finds `text` anywhere, its own `%`, `_` and `\\` taken literally.
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The migrations in `migrations/`, compiled into the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// A connected database, plus the private cluster behind it when HUD started one.
pub struct Database {
    /// The connection pool every query goes through.
    pub pool: PgPool,
    /// Keeps the embedded cluster alive; stopping it (if this process started it) on drop.
    pub embedded: Option<embedded::EmbeddedPostgres>,
}

/// Connect to `DATABASE_URL`, or start (or join) the private cluster under the data dir.
pub async fn connect(config: &Config) -> anyhow::Result<Database> {
    let (options, embedded) = match &config.database.url {
        Some(url) => (
            PgConnectOptions::from_str(url)
                .context("DATABASE_URL is not a valid PostgreSQL URL")?,
            None,
        ),
        None => {
            let data_dir = config.data_dir.clone();
            let cluster =
                tokio::task::spawn_blocking(move || embedded::EmbeddedPostgres::start(&data_dir))
                    .await??;
            cluster.ensure_database().await?;
            (cluster.connect_options(), Some(cluster))
        }
    };
    let pool = PgPoolOptions::new()
        .max_connections(config.database.max_connections)
        .acquire_timeout(config.database.acquire_timeout)
        // sqlx would otherwise spend a round trip to PostgreSQL on every acquire (and it
        // already spends one on every release): a third of all round trips of a one-query
        // page. A connection that broke while idle fails its next query, which sqlx then
        // closes; idle connections are retired after `idle_timeout` (10 min) anyway.
        .test_before_acquire(false)
        .connect_with(options.application_name("hud"))
        .await
        .context("cannot connect to PostgreSQL")?;
    Ok(Database { pool, embedded })
}

/// Apply pending migrations (idempotent; safe when several processes start at once,
/// because sqlx takes an advisory lock).
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context("applying migrations")?;
    tower_sessions_sqlx_store::PostgresStore::new(pool.clone())
        .migrate()
        .await
        .context("creating the session table")?;
    Ok(())
}

/// Whether every migration compiled into this binary has been applied successfully.
pub async fn migrations_current(pool: &PgPool) -> bool {
    let applied: Result<Vec<i64>, _> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(pool)
            .await;
    match applied {
        Ok(applied) => MIGRATOR
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
            .all(|m| applied.binary_search(&m.version).is_ok()),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(like_pattern("ann"), "%ann%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(like_pattern(""), "%%");
    }
}
