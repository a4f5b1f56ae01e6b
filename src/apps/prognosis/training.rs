//! Training a model in the background: the admin page queues a `train model` job with the
//! algorithm and the model's name; a worker (of any process) cross-validates and fits it,
//! writing its progress to the job's row at most twice a second, stores the model, and keeps
//! the model's id as the job's result. The job's page (`admin::training`) follows it.
//!
//! One attempt only: a training that failed fails again the same way, and one whose worker
//! died is better started anew by the admin than behind their back.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    catalog,
    ml::{Algorithm, TrainOptions},
    service,
};
use crate::{
    jobs::{Job, JobError, JobKind, queue},
    web::AppState,
};

/// The job kind.
pub static TRAIN: JobKind<AppState> = JobKind {
    name: "train model",
    run: |state, job| Box::pin(run(state, job)),
};

/// What to train.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrainRequest {
    /// The algorithm's slug.
    pub algorithm: String,
    /// The model's name (decided when queued, so it is known while the job runs).
    pub name: String,
    /// Grid-search gradient boosting's hyperparameters.
    pub grid: bool,
}

/// Why a training was not queued.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// A model has this name already, or a training of that name is queued or running.
    NameTaken,
}

/// Queue a training; the job's id.
pub async fn enqueue(
    state: &AppState,
    request: &TrainRequest,
) -> anyhow::Result<Result<i64, Refused>> {
    if catalog::name_taken(&state.db, &request.name).await? {
        return Ok(Err(Refused::NameTaken));
    }
    let queued = queue::enqueue(
        &state.db,
        TRAIN.name,
        &request.name,
        &serde_json::to_value(request)?,
        1,
    )
    .await?;
    Ok(queued.ok_or(Refused::NameTaken))
}

async fn run(state: AppState, job: Job) -> Result<(), JobError> {
    let request: TrainRequest = serde_json::from_value(job.payload.clone())
        .map_err(|e| JobError::Fail(format!("payload: {e}")))?;
    let algorithm: Algorithm = request
        .algorithm
        .parse()
        .map_err(|e: super::ml::UnknownAlgorithm| JobError::Fail(e.to_string()))?;
    // The training reports from its blocking thread; a task writes the latest report to the
    // job's row, no more often than every half second.
    let (report, mut reports) = tokio::sync::watch::channel((0usize, 0usize));
    let db = state.db.clone();
    let writer = tokio::spawn(async move {
        while reports.changed().await.is_ok() {
            let (done, total) = *reports.borrow_and_update();
            let as_i32 = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
            if let Err(error) = queue::set_progress(&db, job.id, as_i32(done), as_i32(total)).await
            {
                tracing::warn!(%error, "training progress not written");
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    let options = TrainOptions {
        grid: request.grid,
        ..TrainOptions::default()
    };
    let trained = service::train_and_store(
        &state.db,
        &state.cache,
        &state.config.data_dir,
        algorithm,
        options,
        Some(request.name),
        move |done, total| {
            let _ = report.send((done, total));
        },
    )
    .await;
    // The sender went with the training: the writer writes the last report and ends.
    let _ = writer.await;
    match trained {
        Ok((model, _)) => {
            queue::set_result(&state.db, job.id, &json!({ "model_id": model })).await?;
            tracing::info!(job = job.id, model, "model trained in the background");
            Ok(())
        }
        Err(error) => Err(JobError::Fail(format!("{error:#}"))),
    }
}
