//! JSON API: a captcha for mobile clients, and the check other API endpoints call.
//!
//! API captchas are not bound to a browser session: the token itself is the secret. Endpoints
//! that need a captcha take `captcha_token` and `captcha_answer` in their JSON body and call
//! [`crate::web::form_guard::require`] (which comes here).

use axum::{
    Extension, Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{audio, service};
use crate::web::{
    AppError, AppState, Result, extract::ClientIp, form_guard::CaptchaAnswer,
    middleware::context::Ctx,
};

/// A captcha to show.
#[derive(Serialize, ToSchema)]
pub struct CaptchaResponse {
    /// Send back as `captcha_token`, once.
    token: String,
    /// The image (PNG), relative to the server.
    image_url: String,
    /// A spoken rendering of the characters (WAV), when the server can make one.
    audio_url: Option<String>,
    /// What to type, in the request's language (`Accept-Language` or the user's preference).
    prompt: String,
    /// The token is refused after this time.
    expires_at: DateTime<Utc>,
}

/// Get a captcha for a form that needs one (e.g. `POST /api/v1/accounts`).
#[utoipa::path(get, path = "/api/v1/captcha", tag = "captcha",
    responses(
        (status = 200, description = "A new captcha", body = CaptchaResponse),
        (status = 429, description = "Too many captchas requested", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn new_captcha(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ip: ClientIp,
) -> Result<Response> {
    service::count_issue(&state, &ip.bucket_key()).await?;
    let issued = service::issue(&state, service::API_OWNER, ctx.lang).await?;
    let body = CaptchaResponse {
        image_url: issued.image_path(),
        audio_url: audio::available(&state.config.captcha.espeak)
            .then(|| format!("{}{}", ctx.lang.url_prefix(), issued.audio_path())),
        prompt: issued.prompt,
        token: issued.token,
        expires_at: issued.expires_at,
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}

/// Check the captcha of an API request: Ok when right (or captchas are off), else a 403 on the
/// `captcha_answer` field (a new captcha must be fetched), or 429.
pub async fn require(state: &AppState, ip: &ClientIp, answer: &CaptchaAnswer) -> Result<()> {
    if !state.apps.enabled("captcha") {
        return Ok(());
    }
    let verdict = service::check(
        state,
        service::API_OWNER,
        &ip.bucket_key(),
        &answer.captcha_token,
        &answer.captcha_answer,
    )
    .await?;
    match verdict {
        service::Verdict::Passed => Ok(()),
        service::Verdict::Limited(retry_after_secs) => {
            Err(AppError::RateLimited { retry_after_secs })
        }
        failed => Err(AppError::denied(
            "captcha_answer",
            failed.message().expect("a failed verdict has a message"),
        )),
    }
}
