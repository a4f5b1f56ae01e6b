//! JSON API of the password reset ([`super::reset`]): ask for a link by e-mail, and set a new
//! password with the link's token. Both are for callers without a token (they forgot the
//! password), so both work anonymously.

use axum::{Extension, extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa::ToSchema;

use super::reset::{self, Refusal};
use crate::web::{
    AppError, AppState, Message, Result, api_input::Json as ApiJson, error::FieldError,
    extract::ClientIp, middleware::context::Ctx,
};

/// Whose password to reset.
#[derive(Deserialize, ToSchema)]
pub struct ResetRequest {
    /// The account's e-mail address: something before and after an `@`, no white space or
    /// control characters, at most 254 characters (surrounding white space is dropped).
    #[schema(
        max_length = 254,
        pattern = "^[^@\\s\\u0000-\\u001f\\u007f-\\u009f]+@[^\\s\\u0000-\\u001f\\u007f-\\u009f]+$"
    )]
    email: String,
}

/// Mail a password-reset link to the account with this address. The answer is the same
/// whether or not there is one; the link works once, for `HUD_PASSWORD_RESET_TTL`, and asking
/// again replaces it. Without an SMTP server configured, the link goes to the server's log.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "accounts",
    request_body = ResetRequest,
    responses(
        (status = 202, description = "If an account has the address, a link is on its way to it"),
        (status = 422, description = "Not an e-mail address (`email`)", content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client or for this address (see Retry-After)", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn request_reset(
    State(state): State<AppState>,
    ip: ClientIp,
    Extension(ctx): Extension<Ctx>,
    ApiJson(request): ApiJson<ResetRequest>,
) -> Result<StatusCode> {
    reset::check_address(&request.email)
        .map_err(|m| AppError::Invalid(vec![FieldError::new("email", m)]))?;
    reset::request(&state, &ip, &request.email, ctx.lang).await?;
    Ok(StatusCode::ACCEPTED)
}

/// A new password, with the link's token.
#[derive(Deserialize, ToSchema)]
pub struct ResetConfirm {
    /// The `token` parameter of the link in the mail.
    token: String,
    /// The new password (`HUD_PASSWORD_MIN_LENGTH` characters or more, not a common password,
    /// not like the username or e-mail address).
    password: String,
}

/// Set a new password with a reset link's token. The token is used up; every session of the
/// account ends and every API token is revoked, on every instance.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "accounts",
    request_body = ResetConfirm,
    responses(
        (status = 204, description = "The password is set; log in with it"),
        (status = 404, description = "The token is unknown, expired or used (`token`)", content_type = "application/problem+json"),
        (status = 422, description = "The new password breaks the policy (`password`)", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn confirm_reset(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<ResetConfirm>,
) -> Result<StatusCode> {
    match reset::complete(&state, &request.token, &request.password, &request.password).await? {
        Ok(_) => Ok(StatusCode::NO_CONTENT),
        Err(Refusal::LinkInvalid) => Err(AppError::unknown(
            "token",
            Message::new("reset-link-invalid"),
        )),
        Err(Refusal::Invalid(errors)) => Err(errors.into()),
    }
}
