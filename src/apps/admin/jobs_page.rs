//! `/admin/jobs`: the job queue — failed jobs with their error and a retry button, and the
//! newest jobs of any state.

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use crate::{
    jobs::queue::{self, JobRow},
    web::{
        AppState, Message, Page, Result,
        auth::RequireAdmin,
        flash::{self, FlashKind},
        page::render,
    },
};

/// Jobs shown per page.
const SHOWN: i64 = 200;
const STATES: [&str; 4] = ["failed", "queued", "running", "done"];

/// The jobs page.
#[derive(askama::Template)]
#[template(path = "admin/jobs.html")]
struct JobsTemplate {
    page: Page,
    jobs: Vec<JobRow>,
    state: &'static str,
    states: [&'static str; 4],
}

#[derive(Deserialize)]
pub struct JobsQuery {
    #[serde(default)]
    state: Option<String>,
}

#[tracing::instrument(skip_all, err)]
pub async fn jobs(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Query(query): Query<JobsQuery>,
) -> Result<Response> {
    let page = page.with_form().await?;
    // Unknown states show the failed jobs (the reason to come here).
    let shown = STATES
        .into_iter()
        .find(|s| query.state.as_deref() == Some(*s))
        .unwrap_or("failed");
    let jobs = queue::list(&state.db, Some(shown), SHOWN).await?;
    render(&JobsTemplate {
        page,
        jobs,
        state: shown,
        states: STATES,
    })
}

#[tracing::instrument(skip_all, err)]
pub async fn retry(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    let (kind, message) = if queue::retry(&state.db, id).await? {
        (FlashKind::Success, "admin-job-retried")
    } else {
        (FlashKind::Info, "admin-job-not-retried")
    };
    flash::push(page.session(), kind, Message::new(message)).await?;
    Ok(Redirect::to(&page.url("/admin/jobs")).into_response())
}
