//! The pass around every routed handler, as one middleware: resolve the context (user,
//! language, timezone), check the CSRF token of unsafe requests, run the handler, count and
//! time it, give HTML pages an ETag, and say what the response varies on.
//!
//! The steps live in their own modules ([`context`], [`csrf`], [`metrics`], [`etag`]); they
//! are composed here rather than stacked as four layers because each axum `from_fn` layer
//! boxes and moves the whole inner future, which `perf` showed as a tenth of a cached page's
//! CPU time. The order is the one the layers had: a request rejected by CSRF is counted, and
//! an error resolving the context is neither counted nor tagged.

use std::time::Instant;

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use tower_sessions::Session;

use super::{context, csrf, etag, metrics::Labels};
use crate::web::AppState;

/// The middleware (`from_fn_with_state`).
pub async fn handle(
    State(state): State<AppState>,
    session: Session,
    jar: CookieJar,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let ctx = match context::resolve(&state, &session, &jar, &parts).await {
        Ok(ctx) => ctx,
        Err(error) => return error.into_response(),
    };
    parts.extensions.insert(ctx.clone());
    let req = Request::from_parts(parts, body);
    let condition = etag::condition(&req);
    let labels = Labels::of(&req);
    let started = Instant::now();
    let response = match csrf::check(&session, req).await {
        Ok(req) => next.run(req).await,
        Err(error) => error.into_response(),
    };
    labels.record(response.status(), started);
    let mut response = match condition {
        Some(if_none_match) => etag::tag(state.etag_seed, if_none_match, response).await,
        None => response,
    };
    context::finish(&mut response, ctx);
    response
}
