//! Remembered right answers ("passes"), kept in PostgreSQL so that taking one is atomic.
//!
//! tower-sessions gives every concurrent request its own copy of the session, so a pass kept
//! only in the session could be used by every request that read it before the first one wrote
//! the session back. The session holds a random secret; PostgreSQL holds its hash, and a form
//! takes the pass with `DELETE … RETURNING`: one pass, one accepted form.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// A new pass secret (what the session keeps).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    crate::web::middleware::csrf::hex(&bytes)
}

fn hash(secret: &str) -> Vec<u8> {
    blake3::hash(secret.as_bytes()).as_bytes().to_vec()
}

/// Record a pass valid until `expires_at`.
#[tracing::instrument(skip_all, err)]
pub async fn insert(
    db: impl PgExecutor<'_>,
    secret: &str,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO captcha_passes (pass_hash, expires_at) VALUES ($1, $2)",
        hash(secret),
        expires_at as _
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Whether the pass is still there (rendering a form; does not use it up).
#[tracing::instrument(skip_all, err)]
pub async fn valid(db: impl PgExecutor<'_>, secret: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM captcha_passes WHERE pass_hash = $1 AND expires_at > now())
           AS "valid!""#,
        hash(secret)
    )
    .fetch_one(db)
    .await
}

/// Use the pass up; true for exactly one caller, however many race for it.
#[tracing::instrument(skip_all, err)]
pub async fn take(db: impl PgExecutor<'_>, secret: &str) -> sqlx::Result<bool> {
    let taken = sqlx::query_scalar!(
        "DELETE FROM captcha_passes WHERE pass_hash = $1 RETURNING expires_at > now()",
        hash(secret)
    )
    .fetch_optional(db)
    .await?;
    Ok(taken.flatten().unwrap_or(false))
}

/// Delete expired passes (housekeeping).
pub async fn prune(db: impl PgExecutor<'_>) -> sqlx::Result<u64> {
    Ok(
        sqlx::query!("DELETE FROM captcha_passes WHERE expires_at < now()")
            .execute(db)
            .await?
            .rows_affected(),
    )
}
