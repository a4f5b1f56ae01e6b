//! The pass around every routed handler, as one middleware: resolve the context (user,
//! language, timezone), refuse writes with read-only API tokens, check the CSRF token of
//! unsafe requests, run the handler, count and
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
use tower_sessions::{Expiry, Session};

use super::{context, csrf, etag, metrics::Labels};
use crate::web::{
    AppError, AppState,
    auth::{SESSION_USER_ID, scope_allows},
};

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
    let anon = csrf::AnonToken::from_jar(&state, &jar);
    parts.extensions.insert(anon.clone());
    let req = Request::from_parts(parts, body);
    let condition = etag::condition(&req);
    let labels = Labels::of(&req);
    let started = Instant::now();
    let user_before = if ctx.api {
        None
    } else {
        session_user(&session).await
    };
    let response = if !scope_allows(ctx.token.as_ref(), req.method(), req.uri().path()) {
        tracing::info!(path = %req.uri().path(), "read-only token refused a write");
        AppError::Forbidden.into_response()
    } else {
        match csrf::check(&state, &session, &anon, ctx.user.is_some(), req).await {
            Ok(req) => next.run(req).await,
            Err(error) => error.into_response(),
        }
    };
    labels.record(response.status(), started);
    let mut response = match condition {
        Some(if_none_match) => etag::tag(state.etag_seed, if_none_match, response).await,
        None => response,
    };
    if !ctx.api {
        let user_after = session_user(&session).await;
        csrf::finish(&state, &anon, user_after != user_before, &mut response);
        if session.is_modified() {
            set_lifetime(&state, &session, user_after.is_some());
        }
    }
    context::finish(&mut response, ctx);
    response
}

/// The user id the session holds, if any.
async fn session_user(session: &Session) -> Option<i64> {
    session.get::<i64>(SESSION_USER_ID).await.ok().flatten()
}

/// A session about to be saved lives `HUD_ANON_SESSION_TTL` of inactivity when anonymous (a
/// captcha pass, a flash message: nothing worth keeping long), 14 days when logged in.
fn set_lifetime(state: &AppState, session: &Session, logged_in: bool) {
    let lifetime = if logged_in {
        LOGGED_IN_LIFETIME
    } else {
        time::Duration::try_from(state.config.anon_session_ttl).unwrap_or(time::Duration::HOUR)
    };
    session.set_expiry(Some(Expiry::OnInactivity(lifetime)));
}

/// How long a logged-in session lives without being used.
pub const LOGGED_IN_LIFETIME: time::Duration = time::Duration::days(14);
