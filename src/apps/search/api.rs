//! `GET /api/v1/search`: the results page as JSON, with the same parameters and cache.

use axum::{
    Extension,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};

use super::{
    request::SearchParams,
    results::{self, ResultPage},
};
use crate::web::{
    AppError, AppState, Message, Result, api_input::Query, error::FieldError,
    middleware::context::Ctx,
};

/// Search the crawled pages. Times: `from`/`to` take local dates (whole days, in the caller's
/// timezone: their preference, else UTC) or RFC 3339 instants.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses(
        (status = 200, description = "One page of results (10 per page)", body = ResultPage),
        (status = 422, description = "Malformed query (unbalanced parentheses, only negations, empty, over 512 characters), bad dates, sort, page or language", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn search(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(params): Query<SearchParams>,
) -> Result<Response> {
    if params.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "q",
            Message::new("search-error-empty"),
        )]));
    }
    let request = params.check(ctx.tz, ctx.lang).map_err(|problems| {
        AppError::Invalid(
            problems
                .into_iter()
                .map(|(field, message)| FieldError::new(field, message))
                .collect(),
        )
    })?;
    let json = results::run_json(&state, &request).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}
