//! `GET /api/v1/search`: the results page as JSON, with the same parameters and cache.

use axum::{
    Extension, Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};

use super::{
    request::SearchParams,
    results::{self, SearchAnswer},
};
use crate::web::{
    AppError, AppState, Message, Notice, Result, api_input::Query, error::FieldError,
    middleware::context::Ctx,
};

/// Search the crawled pages. Times: `from`/`to` take local dates (whole days, in the caller's
/// timezone: their preference, else UTC) or RFC 3339 instants. A valid query with nothing to
/// search for is answered with no results and a translated `notice` (like a search engine's
/// "your query has no searchable words"); 422 is for values the parameters' schemas forbid.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses(
        (status = 200, description = "One page of results (10 per page), or none and a `notice` saying why", body = SearchAnswer),
        (status = 422, description = "`q` missing or over 512 characters; a bad date, sort, page or language", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn search(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(params): Query<SearchParams>,
) -> Result<Response> {
    if params.q.is_none() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "q",
            Message::new("search-error-empty"),
        )]));
    }
    let refused = match params.check(ctx.tz, ctx.lang) {
        Ok(request) => {
            let json = results::run_json(&state, &request).await?;
            return Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response());
        }
        Err(refused) => refused,
    };
    if !refused.invalid.is_empty() {
        return Err(AppError::Invalid(
            refused
                .invalid
                .into_iter()
                .map(|(field, message)| FieldError::new(field, message))
                .collect(),
        ));
    }
    let notice = refused
        .notices
        .first()
        .map(|(field, message)| Notice::new(field, message, ctx.lang));
    Ok(Json(SearchAnswer {
        results: results::nothing(&state, params.page_number()).await?,
        notice,
    })
    .into_response())
}
