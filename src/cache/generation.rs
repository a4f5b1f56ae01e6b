//! The cache generation kept in PostgreSQL: every key carries it, so bumping it (`hud cache
//! flush`) abandons every cached entry in every process at once without touching memcached.

use sqlx::PgPool;

use super::{Cache, invalidate};

/// The current generation.
pub async fn current(db: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!("SELECT generation FROM cache_state")
        .fetch_one(db)
        .await
}

/// Bump the generation and tell every process (an invalidation-log entry without keys);
/// returns the new one.
pub async fn bump(db: &PgPool) -> sqlx::Result<i64> {
    let mut tx = db.begin().await?;
    let generation = sqlx::query_scalar!(
        "UPDATE cache_state SET generation = generation + 1 RETURNING generation"
    )
    .fetch_one(&mut *tx)
    .await?;
    invalidate::record(&mut tx, &[]).await?;
    tx.commit().await?;
    Ok(generation)
}

impl Cache {
    /// Adopt the generation stored in PostgreSQL.
    pub async fn sync_generation(&self, db: &PgPool) -> sqlx::Result<i64> {
        let generation = current(db).await?;
        self.set_generation(generation);
        Ok(generation)
    }
}
