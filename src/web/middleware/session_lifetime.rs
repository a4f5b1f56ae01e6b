//! How long a session lives: a session about to be saved lives `HUD_ANON_SESSION_TTL` of
//! inactivity when anonymous (a captcha pass, a flash message: nothing worth keeping long),
//! [`LOGGED_IN_LIFETIME`] when logged in.

use tower_sessions::{Expiry, Session};

use crate::web::{AppState, auth::SESSION_USER_ID};

/// How long a logged-in session lives without being used.
pub const LOGGED_IN_LIFETIME: time::Duration = time::Duration::days(14);

/// After the request: give a session about to be saved its lifetime (called by the context
/// layer, which has the session at hand, rather than as a layer of its own: one layer less to
/// pass on every request).
pub async fn set(state: &AppState, session: &Session) {
    if session.is_modified() {
        let lifetime = if session_user(session).await.is_some() {
            LOGGED_IN_LIFETIME
        } else {
            time::Duration::try_from(state.config.accounts.anon_session_ttl)
                .unwrap_or(time::Duration::HOUR)
        };
        session.set_expiry(Some(Expiry::OnInactivity(lifetime)));
    }
}

/// The user id the session holds, if any.
pub async fn session_user(session: &Session) -> Option<i64> {
    session.get::<i64>(SESSION_USER_ID).await.ok().flatten()
}
