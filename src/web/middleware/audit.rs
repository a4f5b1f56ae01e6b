//! Writes the audit log ([`crate::web::audit`]): every write an administrator sends under
//! `/admin`, and every response a handler marked with an [`Audit`] extension. Inside the CSRF
//! layer, so a forged request (refused before any handler ran) is not an administrator's
//! action; outside the handlers, so no handler can forget it.

use axum::{
    extract::{Request, State},
    http::Method,
    middleware::Next,
    response::Response,
};

use super::context::Ctx;
use crate::web::{
    AppState,
    audit::{self, Audit},
    client_ip::client_ip,
};

/// The layer (`from_fn_with_state`, inside the context and CSRF layers).
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // The path without its language prefix: `/nl/admin/…` is the same action.
    let request_line = format!(
        "{} {}",
        req.method(),
        ctx.as_ref().map_or(req.uri().path(), |c| c.path.as_str())
    );
    let (parts, body) = req.into_parts();
    let ip = client_ip(&parts, state.config.server.trust_proxy);
    let response = next.run(Request::from_parts(parts, body)).await;

    let Some(user) = ctx.as_ref().and_then(|c| c.user.clone()) else {
        return response;
    };
    let admin_write = write
        && user.is_admin
        && ctx
            .as_ref()
            .is_some_and(|c| c.path == "/admin" || c.path.starts_with("/admin/"));
    let (action, target, status) = match response.extensions().get::<Audit>() {
        Some(audit) => (
            audit.action.clone(),
            audit.target.clone(),
            audit.status.unwrap_or(response.status().as_u16()),
        ),
        None if admin_write => (request_line, String::new(), response.status().as_u16()),
        None => return response,
    };
    if let Err(error) = audit::record(
        &state.db,
        user.id,
        &user.username,
        &action,
        &target,
        status,
        ip,
    )
    .await
    {
        // The action is done (or refused) by now; a lost record must at least be in the log.
        tracing::error!(%error, user_id = user.id, action, target, status, "audit record lost");
    }
    response
}
