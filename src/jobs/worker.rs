//! Workers (claim a job, run its handler, record the result) and the scheduler loop.

use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::watch;

use super::{Job, JobError, JobKind, Schedule, queue};

/// Days a finished job stays visible in `/admin/jobs`.
const DONE_JOBS_KEPT_DAYS: i32 = 7;
/// Idle workers look for new jobs this often.
const POLL: Duration = Duration::from_millis(500);

/// One worker: the job kinds it runs and the state handlers get.
pub struct Worker<S: 'static> {
    db: PgPool,
    state: S,
    kinds: Vec<&'static JobKind<S>>,
    names: Vec<String>,
    id: String,
}

impl<S: Clone + Send + Sync + 'static> Worker<S> {
    /// A worker for `kinds`, identified in the queue as `id` (host and task, for the admin).
    pub fn new(db: PgPool, state: S, kinds: Vec<&'static JobKind<S>>, id: String) -> Self {
        let names = kinds.iter().map(|k| k.name.to_owned()).collect();
        Worker {
            db,
            state,
            kinds,
            names,
            id,
        }
    }

    /// Claim and run one due job. Returns the job's id, or None when nothing was due.
    #[tracing::instrument(skip_all, err, fields(worker = %self.id))]
    pub async fn try_run_once(&self) -> Result<Option<i64>, sqlx::Error> {
        let Some(job) = queue::claim(&self.db, &self.id, &self.names).await? else {
            return Ok(None);
        };
        let id = job.id;
        let Some(kind) = self.kinds.iter().find(|k| k.name == job.kind) else {
            queue::fail(&self.db, &job, "no handler for this kind", false).await?;
            return Ok(Some(id));
        };
        let started = std::time::Instant::now();
        // A panicking handler must not take the worker down: run it as its own task.
        let outcome = tokio::spawn((kind.run)(self.state.clone(), job.clone())).await;
        let seconds = started.elapsed().as_secs_f64();
        metrics::histogram!("hud_job_seconds", "kind" => kind.name).record(seconds);
        match outcome {
            Ok(Ok(())) => {
                queue::complete(&self.db, id).await?;
                metrics::counter!("hud_jobs_total", "kind" => kind.name, "result" => "done")
                    .increment(1);
            }
            Ok(Err(error)) => self.record_failure(&job, kind.name, &error).await?,
            Err(panic) => {
                let error = JobError::Fail(format!("the handler panicked: {panic}"));
                self.record_failure(&job, kind.name, &error).await?;
            }
        }
        Ok(Some(id))
    }

    async fn record_failure(
        &self,
        job: &Job,
        kind: &'static str,
        error: &JobError,
    ) -> Result<(), sqlx::Error> {
        let retry = matches!(error, JobError::Retry(_));
        tracing::warn!(job = job.id, kind, attempt = job.attempts, %error, retry, "job failed");
        metrics::counter!("hud_jobs_total", "kind" => kind, "result" => "failed").increment(1);
        queue::fail(&self.db, job, &error.to_string(), retry).await
    }

    /// Run jobs until `stop` turns true.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            match self.try_run_once().await {
                Ok(Some(_)) => continue,
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "claiming a job failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(POLL) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// Run `schedules` (each at its own interval) and requeue expired leases, until `stop`.
pub async fn run_scheduler<S: Clone + Send + Sync + 'static>(
    db: PgPool,
    state: S,
    schedules: Vec<&'static Schedule<S>>,
    lease_secs: u64,
    mut stop: watch::Receiver<bool>,
) {
    let mut last_run: Vec<Option<tokio::time::Instant>> = vec![None; schedules.len()];
    let mut last_prune: Option<tokio::time::Instant> = None;
    loop {
        if *stop.borrow() {
            return;
        }
        match queue::reap(&db, lease_secs as f64).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(jobs = n, "requeued jobs whose worker stopped"),
            Err(error) => tracing::warn!(%error, "requeueing expired jobs failed"),
        }
        // Finished jobs are kept a week (failed ones until retried), then deleted, hourly.
        if last_prune.is_none_or(|at| at.elapsed() >= Duration::from_secs(3600)) {
            if let Err(error) = queue::prune(&db, DONE_JOBS_KEPT_DAYS).await {
                tracing::warn!(%error, "pruning finished jobs failed");
            }
            last_prune = Some(tokio::time::Instant::now());
        }
        for (i, schedule) in schedules.iter().enumerate() {
            if last_run[i].is_some_and(|at| at.elapsed() < schedule.every) {
                continue;
            }
            match (schedule.run)(state.clone()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(schedule = schedule.name, jobs = n, "scheduled"),
                Err(error) => tracing::warn!(schedule = schedule.name, %error, "scheduling failed"),
            }
            last_run[i] = Some(tokio::time::Instant::now());
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = stop.changed() => {}
        }
    }
}
