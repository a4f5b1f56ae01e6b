//! Read-only API tokens: a request authenticated with one may read, never write (except to
//! revoke the token itself). Checked before any handler runs, so an endpoint cannot forget it.

use axum::{
    extract::Request,
    response::{IntoResponse, Response},
};

use super::context::Ctx;
use crate::web::{AppError, auth::scope_allows};

/// The layer (`ValidateRequestHeaderLayer::custom`, on every route; after the context layer).
#[expect(
    clippy::result_large_err,
    reason = "the signature ValidateRequestHeaderLayer::custom takes"
)]
pub fn refuse_read_only_writes(req: &mut Request) -> Result<(), Response> {
    let token = req
        .extensions()
        .get::<Ctx>()
        .and_then(|ctx| ctx.token.as_ref());
    if scope_allows(token, req.method(), req.uri().path()) {
        return Ok(());
    }
    tracing::info!(path = %req.uri().path(), "read-only token refused a write");
    Err(AppError::Forbidden.into_response())
}
