//! The queue's SQL: enqueue without duplicates, claim with `FOR UPDATE SKIP LOCKED`, finish,
//! fail with exponential back-off, retry by hand, and requeue jobs whose worker died.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgExecutor, PgPool};

/// A claimed job.
#[derive(Debug, Clone)]
pub struct Job {
    /// Row id.
    pub id: i64,
    /// Which handler runs it (e.g. `crawl`).
    pub kind: String,
    /// What it is about (e.g. `page:42`); one queued or running job per (kind, key).
    pub key: String,
    /// Handler input.
    pub payload: Value,
    /// Attempts so far, this one included.
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
}

impl Job {
    /// Whether this is the last attempt (a transient failure now becomes final).
    pub fn is_last_attempt(&self) -> bool {
        self.attempts >= self.max_attempts
    }
}

/// A job as `/admin/jobs` lists it.
#[derive(Debug, Clone)]
pub struct JobRow {
    /// Row id.
    pub id: i64,
    /// Handler.
    pub kind: String,
    /// Subject.
    pub key: String,
    /// `queued`, `running`, `done`, `failed`.
    pub state: String,
    /// Attempts made.
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
    /// When it runs (next).
    pub run_at: DateTime<Utc>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Queue a job unless one for the same (kind, key) is already queued or running. Returns the
/// new job's id, or None when it was already there.
pub async fn enqueue(
    db: impl PgExecutor<'_>,
    kind: &str,
    key: &str,
    payload: &Value,
    max_attempts: i32,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "INSERT INTO jobs (kind, key, payload, max_attempts) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, key) WHERE state IN ('queued', 'running') DO NOTHING
         RETURNING id",
        kind,
        key,
        payload,
        max_attempts
    )
    .fetch_optional(db)
    .await
}

/// Claim the next due job of one of `kinds` for `worker`.
pub async fn claim(db: &PgPool, worker: &str, kinds: &[String]) -> sqlx::Result<Option<Job>> {
    sqlx::query_as!(
        Job,
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1, locked_at = now()
         WHERE id = (
             SELECT id FROM jobs
             WHERE state = 'queued' AND run_at <= now() AND kind = ANY($2)
             ORDER BY run_at, id
             FOR UPDATE SKIP LOCKED
             LIMIT 1)
         RETURNING id, kind, key, payload, attempts, max_attempts",
        worker,
        kinds
    )
    .fetch_optional(db)
    .await
}

/// Mark a job done.
pub async fn complete(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE jobs SET state = 'done', finished_at = now(), locked_by = NULL, last_error = NULL
         WHERE id = $1",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Note how far a running job is: `done` of `total` steps.
pub async fn set_progress(db: &PgPool, id: i64, done: i32, total: i32) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE jobs SET progress_done = $2, progress_total = $3 WHERE id = $1",
        id,
        done.max(0),
        total.max(0)
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Keep what a job produced (before it is marked done), e.g. `{"model_id": 7}`.
pub async fn set_result(db: &PgPool, id: i64, result: &Value) -> sqlx::Result<()> {
    sqlx::query!("UPDATE jobs SET result = $2 WHERE id = $1", id, result)
        .execute(db)
        .await?;
    Ok(())
}

/// A job as a page that follows it shows it.
#[derive(Debug, Clone)]
pub struct JobStatus {
    /// Its kind.
    pub kind: String,
    /// `queued`, `running`, `done`, `failed`.
    pub state: String,
    /// Steps done, when it reports progress.
    pub progress_done: Option<i32>,
    /// Steps in all.
    pub progress_total: Option<i32>,
    /// What it produced, once done.
    pub result: Option<Value>,
    /// Why it failed.
    pub last_error: Option<String>,
}

/// The status of job `id`.
pub async fn status(db: &PgPool, id: i64) -> sqlx::Result<Option<JobStatus>> {
    sqlx::query_as!(
        JobStatus,
        "SELECT kind, state, progress_done, progress_total, result, last_error FROM jobs
         WHERE id = $1",
        id
    )
    .fetch_optional(db)
    .await
}

/// Delay before attempt `n + 1`: 30 s, 1 min, 2 min, … capped at 1 h, ±20 % jitter so retries
/// of many pages that failed together spread out.
pub fn backoff_secs(attempts: i32) -> f64 {
    let base = 30.0 * 2f64.powi((attempts - 1).clamp(0, 7));
    base.min(3600.0) * (0.8 + rand::random::<f64>() * 0.4)
}

/// Record a failure: retried after a back-off if `retry` and attempts remain, else failed.
pub async fn fail(db: &PgPool, job: &Job, error: &str, retry: bool) -> sqlx::Result<()> {
    let again = retry && job.attempts < job.max_attempts;
    let delay = backoff_secs(job.attempts);
    sqlx::query!(
        "UPDATE jobs SET
             state = CASE WHEN $2 THEN 'queued' ELSE 'failed' END,
             run_at = CASE WHEN $2 THEN now() + make_interval(secs => $3) ELSE run_at END,
             finished_at = CASE WHEN $2 THEN NULL ELSE now() END,
             last_error = $4, locked_by = NULL
         WHERE id = $1",
        job.id,
        again,
        delay,
        error
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Queue a failed job again with fresh attempts (the admin's retry button). False when the job
/// is not failed or another job for the same subject is pending.
pub async fn retry(db: &PgPool, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE jobs SET state = 'queued', attempts = 0, run_at = now(), finished_at = NULL
         WHERE id = $1 AND state = 'failed'
           AND NOT EXISTS (SELECT 1 FROM jobs other WHERE other.kind = jobs.kind
                           AND other.key = jobs.key AND other.state IN ('queued', 'running'))",
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Put running jobs whose worker has not finished them within `lease_secs` back in the queue
/// (the worker died); they count the attempt. Returns how many.
pub async fn reap(db: &PgPool, lease_secs: f64) -> sqlx::Result<u64> {
    let reaped = sqlx::query!(
        "UPDATE jobs SET
             state = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
             finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END,
             run_at = now(), locked_by = NULL,
             last_error = 'the worker stopped before finishing (lease expired)'
         WHERE state = 'running' AND locked_at < now() - make_interval(secs => $1)",
        lease_secs
    )
    .execute(db)
    .await?;
    Ok(reaped.rows_affected())
}

/// The newest jobs in `state` (all states when None), for the admin page.
pub async fn list(db: &PgPool, state: Option<&str>, limit: i64) -> sqlx::Result<Vec<JobRow>> {
    sqlx::query_as!(
        JobRow,
        r#"SELECT id, kind, key, state, attempts, max_attempts,
                  run_at AS "run_at: DateTime<Utc>", last_error,
                  finished_at AS "finished_at: DateTime<Utc>"
           FROM jobs WHERE $1::text IS NULL OR state = $1
           ORDER BY id DESC LIMIT $2"#,
        state,
        limit
    )
    .fetch_all(db)
    .await
}

/// The queued or running job of a subject, if any.
pub async fn pending(db: &PgPool, kind: &str, key: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "SELECT id FROM jobs WHERE kind = $1 AND key = $2 AND state IN ('queued', 'running')",
        kind,
        key
    )
    .fetch_optional(db)
    .await
}

/// Jobs per state (for the admin page and `hud crawl`).
pub async fn state_of(db: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<(i64, String)>> {
    let rows = sqlx::query!("SELECT id, state FROM jobs WHERE id = ANY($1)", ids)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.state)).collect())
}

/// Delete finished jobs older than `days` (housekeeping); failed ones are kept for the admin.
pub async fn prune(db: &PgPool, days: i32) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "DELETE FROM jobs WHERE state = 'done' AND finished_at < now() - make_interval(days => $1)",
        days
    )
    .execute(db)
    .await?
    .rows_affected())
}
