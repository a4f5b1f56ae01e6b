//! Fixed-window rate limits kept in PostgreSQL, so every HUD process shares the same counts.
//!
//! One row per (bucket, window); the counter is bumped with a single upsert, which is atomic
//! under concurrency. Old windows are pruned by [`prune`].

use chrono::{DateTime, Duration, DurationRound, Utc};
use sqlx::PgExecutor;

/// The outcome of counting one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Within the limit.
    Allowed,
    /// Over the limit; retry after this many seconds.
    Limited {
        /// Seconds until the current window ends.
        retry_after_secs: u64,
    },
}

/// Count one attempt against `bucket` (e.g. `login:ip:203.0.113.7`) and decide.
#[tracing::instrument(skip_all, err)]
pub async fn hit(
    db: impl PgExecutor<'_>,
    bucket: &str,
    window: Duration,
    limit: i32,
) -> sqlx::Result<Decision> {
    let now = Utc::now();
    let window_start: DateTime<Utc> = now.duration_trunc(window).unwrap_or(now);
    let hits: i32 = sqlx::query_scalar!(
        r#"INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
           ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
           RETURNING hits"#,
        bucket,
        window_start as _
    )
    .fetch_one(db)
    .await?;
    if hits > limit {
        let ends = window_start + window;
        let secs = (ends - now).num_seconds().max(1) as u64;
        Ok(Decision::Limited {
            retry_after_secs: secs,
        })
    } else {
        Ok(Decision::Allowed)
    }
}

/// Forget the counts of a bucket (e.g. an account after a successful login).
pub async fn reset(db: impl PgExecutor<'_>, bucket: &str) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM rate_limits WHERE bucket = $1", bucket)
        .execute(db)
        .await?;
    Ok(())
}

/// Delete windows older than a day.
pub async fn prune(db: impl PgExecutor<'_>) -> sqlx::Result<u64> {
    let done =
        sqlx::query!("DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'")
            .execute(db)
            .await?;
    Ok(done.rows_affected())
}
