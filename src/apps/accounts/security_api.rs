//! JSON API of the account controls: list and revoke API tokens (one, all), "log out
//! everywhere", change the password or e-mail address, download everything HUD keeps about
//! the caller, and delete the account. Tokens are made with `POST /api/v1/auth/token` (see
//! `api.rs`).

use axum::{Extension, Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    change,
    forms::{EmailChangeInput, PasswordChangeInput},
    lifecycle,
    tokens::{self, LoggedOut, TokenInfo},
};
use crate::web::{
    AppError, AppState, Result,
    api_input::{Id, Json as ApiJson, Query},
    auth::RequireUser,
    extract::ClientIp,
    middleware::context::Ctx,
};

/// One of the caller's tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenListItem {
    #[serde(flatten)]
    token: TokenInfo,
    /// Whether it is the token of this request.
    current: bool,
}

/// The caller's unexpired tokens, newest first (never the tokens themselves).
#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's tokens", body = Vec<TokenListItem>),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn list_tokens(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Extension(ctx): Extension<Ctx>,
) -> Result<Json<Vec<TokenListItem>>> {
    let current = ctx.token.map(|t| t.id);
    let list = tokens::list(&state.db, user.id).await?;
    Ok(Json(
        list.into_iter()
            .map(|token| TokenListItem {
                current: Some(token.id) == current,
                token,
            })
            .collect(),
    ))
}

/// Revoke one of the caller's tokens. It is refused by the next request that uses it, on
/// every instance.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", tag = "accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Token id (from the list)")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "A read-only token may only revoke itself", content_type = "application/problem+json"),
        (status = 404, description = "The caller has no such token", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn revoke_one(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Id(id): Id,
) -> Result<StatusCode> {
    if tokens::revoke(&state.db, user.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

/// Which tokens to keep when revoking all.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevokeAllQuery {
    /// Keep the token of this request (default: false, every token is revoked).
    #[serde(default)]
    keep_current: bool,
}

/// How many tokens were revoked.
#[derive(Serialize, ToSchema)]
pub struct Revoked {
    /// Tokens revoked.
    revoked: u64,
}

/// Revoke all the caller's tokens (the one of this request too, unless `keep_current`).
#[utoipa::path(delete, path = "/api/v1/auth/tokens", tag = "accounts",
    security(("bearer" = [])),
    params(RevokeAllQuery),
    responses(
        (status = 200, description = "Revoked", body = Revoked),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn revoke_all(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Extension(ctx): Extension<Ctx>,
    Query(query): Query<RevokeAllQuery>,
) -> Result<Json<Revoked>> {
    let keep = ctx.token.filter(|_| query.keep_current).map(|t| t.id);
    let revoked = tokens::revoke_all(&state.db, user.id, keep).await?;
    Ok(Json(Revoked { revoked }))
}

/// What to end besides every session.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct LogoutEverywhereRequest {
    /// Also revoke the caller's API tokens (default: false).
    revoke_tokens: bool,
    /// When revoking tokens, keep the token of this request (default: false).
    keep_current: bool,
}

/// Log out everywhere: end every browser session of the caller, and revoke their API tokens
/// when asked. Takes effect at once on every instance.
#[utoipa::path(post, path = "/api/v1/auth/logout-everywhere", tag = "accounts",
    security(("bearer" = [])),
    request_body(content = LogoutEverywhereRequest, description = "Optional; `{}` ends the sessions only"),
    responses(
        (status = 200, description = "What was ended", body = LoggedOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn logout_everywhere(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Extension(ctx): Extension<Ctx>,
    ApiJson(request): ApiJson<LogoutEverywhereRequest>,
) -> Result<Json<LoggedOut>> {
    let keep_token = ctx.token.filter(|_| request.keep_current).map(|t| t.id);
    let done = tokens::log_out_everywhere(&state, user.id, None, request.revoke_tokens, keep_token)
        .await?;
    Ok(Json(done))
}

/// A new password.
#[derive(Deserialize, ToSchema)]
pub struct PasswordChangeRequest {
    /// The password now.
    current_password: String,
    /// The new one (`HUD_PASSWORD_MIN_LENGTH` characters or more, not a common password, not
    /// like the username or e-mail address).
    password: String,
}

/// Change the password. Every browser session of the caller ends and every API token but the
/// one of this request is revoked, at once on every instance. The current password is checked
/// under the login limit per account.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts",
    security(("bearer" = [])),
    request_body = PasswordChangeRequest,
    responses(
        (status = 200, description = "Changed; what was ended", body = LoggedOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "The current password is wrong (`current_password`), or a read-only token", content_type = "application/problem+json"),
        (status = 422, description = "The new password breaks the policy (`password`)", content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords (see Retry-After)", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn change_password(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Extension(ctx): Extension<Ctx>,
    ip: ClientIp,
    ApiJson(request): ApiJson<PasswordChangeRequest>,
) -> Result<Json<LoggedOut>> {
    let input = PasswordChangeInput {
        current_password: request.current_password,
        password2: request.password.clone(),
        password: request.password,
    };
    let keep = ctx.token.map(|t| t.id);
    match change::password(&state, &ip, &user, &input, None, keep).await? {
        Ok(ended) => Ok(Json(ended)),
        Err(refusal) => Err(refusal.into_api_error()),
    }
}

/// A new e-mail address.
#[derive(Deserialize, ToSchema)]
pub struct EmailChangeRequest {
    /// The new address.
    email: String,
    /// The password now.
    current_password: String,
}

/// The caller's e-mail address.
#[derive(Serialize, ToSchema)]
pub struct EmailOut {
    email: String,
}

/// Change the e-mail address (confirmed with the password, checked under the login limit per
/// account).
#[utoipa::path(put, path = "/api/v1/me/email", tag = "accounts",
    security(("bearer" = [])),
    request_body = EmailChangeRequest,
    responses(
        (status = 200, description = "Changed", body = EmailOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "The current password is wrong (`current_password`), or a read-only token", content_type = "application/problem+json"),
        (status = 422, description = "Not an address, or another account's (`email`)", content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords (see Retry-After)", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn change_email(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    ip: ClientIp,
    ApiJson(request): ApiJson<EmailChangeRequest>,
) -> Result<Json<EmailOut>> {
    let input = EmailChangeInput {
        email: request.email,
        current_password: request.current_password,
    };
    match change::email(&state, &ip, &user, &input).await? {
        Ok(email) => Ok(Json(EmailOut { email })),
        Err(refusal) => Err(refusal.into_api_error()),
    }
}

/// Everything HUD keeps about the caller: `profile` (as `GET /api/v1/me`), `api_tokens`
/// (without their secrets), and each enabled sub-app's part (`pages` they registered,
/// `prognoses` with the values entered), with `exported_at`.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's data", content_type = "application/json", body = Object),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn export(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
) -> Result<Json<serde_json::Value>> {
    Ok(Json(lifecycle::export(&state, user.id).await?))
}

/// The password that confirms deleting the account.
#[derive(Deserialize, ToSchema)]
pub struct DeleteAccountRequest {
    /// The password now.
    current_password: String,
}

/// Delete the caller's account: every session and token ends at once on every instance; the
/// pages they registered stay for everyone without an owner, their prognoses are deleted.
/// Refused for the last administrator.
#[utoipa::path(post, path = "/api/v1/me/delete", tag = "accounts",
    security(("bearer" = [])),
    request_body = DeleteAccountRequest,
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "A wrong password (`current_password`), or a read-only token", content_type = "application/problem+json"),
        (status = 409, description = "The last administrator's account (`account`): make another administrator first", content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords (see Retry-After)", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn delete_account(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    ip: ClientIp,
    ApiJson(request): ApiJson<DeleteAccountRequest>,
) -> Result<StatusCode> {
    match lifecycle::delete(&state, &ip, &user, &request.current_password).await? {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(refusal) => Err(refusal.into_api_error()),
    }
}
