//! A job queue in PostgreSQL, its workers and its scheduler.
//!
//! Sub-apps declare job kinds (a name and an async handler) and schedules (what to enqueue, how
//! often); `hud serve` runs `HUD_WORKERS` workers and the scheduler in-process, `hud worker`
//! runs only those, on any machine. Every process may run them at once: claiming uses
//! `FOR UPDATE SKIP LOCKED`, and a unique index allows one queued or running job per subject,
//! so nothing runs twice at the same time and schedulers never enqueue duplicates.
//!
//! Handlers must be idempotent: a job whose worker dies is queued again when its lease
//! (`HUD_JOB_LEASE_SECS`) runs out, and may find its work already done.

pub mod queue;
pub mod worker;

use std::time::Duration;

use futures_util::future::BoxFuture;

pub use queue::Job;

/// Why a job did not finish.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt later (a timeout, a database hiccup).
    #[error("{0}")]
    Retry(String),
    /// Will fail again: mark the job failed.
    #[error("{0}")]
    Fail(String),
}

impl From<sqlx::Error> for JobError {
    fn from(error: sqlx::Error) -> Self {
        JobError::Retry(format!("database: {error}"))
    }
}

/// A kind of job and its handler, over the application state `S`.
pub struct JobKind<S> {
    /// The `kind` column.
    pub name: &'static str,
    /// Runs one job.
    pub run: fn(S, Job) -> BoxFuture<'static, Result<(), JobError>>,
}

/// Something the scheduler does periodically (typically: enqueue due jobs).
pub struct Schedule<S> {
    /// A name for logs.
    pub name: &'static str,
    /// How often.
    pub every: Duration,
    /// What to do; returns how many jobs it enqueued.
    pub run: fn(S) -> BoxFuture<'static, Result<u64, sqlx::Error>>,
}
