//! How long a session lives: a session about to be saved lives `HUD_ANON_SESSION_TTL` of
//! inactivity when anonymous (a captcha pass, a flash message: nothing worth keeping long),
//! [`LOGGED_IN_LIFETIME`] when logged in.

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use tower_sessions::{Expiry, Session};

use crate::web::{AppState, auth::SESSION_USER_ID};

/// How long a logged-in session lives without being used.
pub const LOGGED_IN_LIFETIME: time::Duration = time::Duration::days(14);

/// The layer (`from_fn_with_state`, right inside the session layer).
pub async fn layer(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    let response = next.run(req).await;
    if session.is_modified() {
        let lifetime = if session_user(&session).await.is_some() {
            LOGGED_IN_LIFETIME
        } else {
            time::Duration::try_from(state.config.accounts.anon_session_ttl)
                .unwrap_or(time::Duration::HOUR)
        };
        session.set_expiry(Some(Expiry::OnInactivity(lifetime)));
    }
    response
}

/// The user id the session holds, if any.
pub async fn session_user(session: &Session) -> Option<i64> {
    session.get::<i64>(SESSION_USER_ID).await.ok().flatten()
}
