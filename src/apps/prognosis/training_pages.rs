//! Training from the admin page: the form queues a job ([`super::training`]); the job's page
//! shows it queued, its cross-validation progress while it runs (refreshing itself every two
//! seconds, no script needed), and then the model — whose page has its metrics — or the error.

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use serde::Deserialize;

use super::{
    ml::Algorithm,
    service,
    training::{self, Refused, TRAIN, TrainRequest},
};
use crate::{
    jobs::queue,
    web::{
        AppError, AppState, Message, Page, Result,
        auth::RequireAdmin,
        flash::{self, FlashKind},
        page::render,
    },
};

/// Longest model name.
const NAME_MAX: usize = 100;

/// The training form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrainInput {
    algorithm: String,
    name: String,
    grid: Option<String>,
}

/// The request, or the message saying what is wrong with the form.
fn parse(input: &TrainInput) -> std::result::Result<TrainRequest, Message> {
    let algorithm: Algorithm = input
        .algorithm
        .parse()
        .map_err(|_| Message::new("training-algorithm-unknown"))?;
    let name = input.name.trim();
    if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(Message::new("training-name-invalid").arg("max", NAME_MAX));
    }
    let name = if name.is_empty() {
        service::default_name(algorithm, Utc::now())
    } else {
        name.to_owned()
    };
    Ok(TrainRequest {
        algorithm: algorithm.slug().to_owned(),
        name,
        grid: input.grid.is_some() && algorithm == Algorithm::GradientBoosting,
    })
}

/// `POST /admin/prognosis/train`: queue the training and follow it.
#[tracing::instrument(skip_all, err)]
pub async fn train(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Form(input): Form<TrainInput>,
) -> Result<Response> {
    let refused = match parse(&input) {
        Ok(request) => match training::enqueue(&state, &request).await? {
            Ok(job) => {
                let path = format!("/admin/prognosis/training/{job}");
                return Ok(Redirect::to(&page.url(&path)).into_response());
            }
            Err(Refused::NameTaken) => {
                Message::new("training-name-taken").arg("name", request.name)
            }
        },
        Err(message) => message,
    };
    flash::push(page.session(), FlashKind::Danger, refused).await?;
    Ok(Redirect::to(&page.url("/admin/prognosis#train")).into_response())
}

/// A training's page.
#[derive(askama::Template)]
#[template(path = "prognosis/training.html")]
struct TrainingTemplate {
    page: Page,
    name: String,
    algorithm: String,
    /// `queued`, `running`, `done`, `failed`.
    state: String,
    done: i32,
    total: i32,
    /// "12 of 27 fits" (of the cross-validation and the final fit).
    steps: String,
    /// The model, once trained.
    model: Option<i64>,
    error: Option<String>,
}

impl TrainingTemplate {
    fn percent(&self) -> i32 {
        if self.total > 0 {
            (self.done * 100 / self.total).clamp(0, 100)
        } else {
            0
        }
    }

    fn algorithm_message(&self) -> String {
        format!("algorithm-{}", self.algorithm)
    }

    fn finished(&self) -> bool {
        self.state == "done" || self.state == "failed"
    }
}

/// `GET /admin/prognosis/training/{job}`
#[tracing::instrument(skip_all, err)]
pub async fn training(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(job): Path<i64>,
) -> Result<Response> {
    let status = queue::status(&state.db, job)
        .await?
        .filter(|s| s.kind == TRAIN.name)
        .ok_or(AppError::NotFound)?;
    let request: TrainRequest = sqlx::query_scalar!("SELECT payload FROM jobs WHERE id = $1", job)
        .fetch_one(&state.db)
        .await
        .ok()
        .and_then(|payload| serde_json::from_value(payload).ok())
        .ok_or(AppError::NotFound)?;
    let model = status
        .result
        .as_ref()
        .and_then(|r| r.get("model_id"))
        .and_then(serde_json::Value::as_i64);
    let (done, total) = (
        status.progress_done.unwrap_or(0),
        status.progress_total.unwrap_or(0),
    );
    let steps = page.lang.t_args(
        "training-steps",
        &[
            ("done", i64::from(done).into()),
            ("total", i64::from(total).into()),
        ],
    );
    render(&TrainingTemplate {
        name: request.name,
        algorithm: request.algorithm,
        state: status.state,
        done,
        total,
        steps,
        model,
        error: status.last_error,
        page,
    })
}
