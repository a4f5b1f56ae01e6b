//! Read-only API tokens: a request authenticated with one may read, never write (except to
//! revoke the token itself). Checked before any handler runs, so an endpoint cannot forget it.

use axum::{extract::Request, middleware::Next, response::IntoResponse, response::Response};

use super::context::Ctx;
use crate::web::{AppError, auth::scope_allows};

/// The layer (`from_fn`, on every route; after the context layer).
pub async fn layer(req: Request, next: Next) -> Response {
    let token = req
        .extensions()
        .get::<Ctx>()
        .and_then(|ctx| ctx.token.as_ref());
    if scope_allows(token, req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    tracing::info!(path = %req.uri().path(), "read-only token refused a write");
    AppError::Forbidden.into_response()
}
