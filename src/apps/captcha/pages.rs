//! The captcha's own URLs: the image and audio behind a token, and a new captcha for the
//! "new captcha" button (JavaScript swaps it in without reloading the form).

use axum::{
    Form, Json,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use super::{audio, guard, model, service};
use crate::web::{AppError, AppState, Page, Result, extract::ClientIp};

const NO_STORE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// The token in `name` if it ends with `extension`.
fn token_of<'a>(name: &'a str, extension: &str) -> Result<&'a str> {
    name.strip_suffix(extension).ok_or(AppError::NotFound)
}

/// The files `GET /api/v1/captcha` hands out (`image_url`, `audio_url`), in the OpenAPI
/// document; they are served with the pages.
#[derive(utoipa::OpenApi)]
#[openapi(paths(image, audio))]
pub struct Files;

/// A captcha's picture: the `image_url` of `GET /api/v1/captcha`.
#[utoipa::path(get, path = "/captcha/image/{token}.png", tag = "captcha",
    params(("token" = String, Path, description = "The captcha's token")),
    responses(
        (status = 200, description = "The picture (new bytes on each request; never cached)", content_type = "image/png"),
        (status = 404, description = "No such captcha, or used up or expired (fetch a new one)", content_type = "text/html"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn image(
    State(state): State<AppState>,
    page: Page,
    Path(file): Path<String>,
) -> Result<Response> {
    let token = token_of(&file, ".png")?;
    let owner = guard::existing_owner(&page).await?;
    let png = service::image_for(&state, token, owner.as_deref())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "image/png"), NO_STORE], png).into_response())
}

/// A captcha's text spoken (the `audio_url` of `GET /api/v1/captcha`, when speech is
/// installed), in the request's language.
#[utoipa::path(get, path = "/captcha/audio/{token}.wav", tag = "captcha",
    params(("token" = String, Path, description = "The captcha's token")),
    responses(
        (status = 200, description = "The spoken characters", content_type = "audio/wav"),
        (status = 404, description = "No such captcha, used up or expired, or no speech installed", content_type = "text/html"),
        (status = 429, description = "Too many captchas issued to this client (see Retry-After)", content_type = "text/html"),
        (status = 503, description = "Speaking failed", content_type = "text/html"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn audio(
    State(state): State<AppState>,
    ip: ClientIp,
    page: Page,
    Path(file): Path<String>,
) -> Result<Response> {
    let token = token_of(&file, ".wav")?;
    if !audio::available(&state.config.captcha.espeak) {
        return Err(AppError::NotFound);
    }
    let owner = guard::existing_owner(&page).await?;
    let (text, seed) = service::text_for(&state, token, owner.as_deref())
        .await?
        .ok_or(AppError::NotFound)?;
    service::count_issue(&state, &ip.bucket_key()).await?;
    let wav = audio::speak(&state.config.captcha.espeak, &text, page.lang, seed)
        .await
        .ok_or_else(|| AppError::Unavailable("espeak-ng failed".into()))?;
    Ok(([(header::CONTENT_TYPE, "audio/wav"), NO_STORE], wav).into_response())
}

/// The token being replaced, if any.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RefreshInput {
    old: String,
}

/// A new captcha, as the "new captcha" button receives it.
#[derive(Serialize)]
pub struct Fresh {
    token: String,
    image_url: String,
    audio_url: Option<String>,
    prompt: String,
    alt: String,
}

/// `POST /captcha/refresh` (CSRF-checked like every form).
#[tracing::instrument(skip_all, err)]
pub async fn refresh(
    State(state): State<AppState>,
    ip: ClientIp,
    page: Page,
    Form(input): Form<RefreshInput>,
) -> Result<Response> {
    let owner = guard::owner(&page).await?;
    // Drop the replaced token so a page cannot stockpile answerable captchas.
    if !input.old.is_empty() && input.old.len() <= 64 {
        model::drop_token(&state.db, &service::token_hash(&input.old), &owner).await?;
    }
    service::count_issue(&state, &ip.bucket_key()).await?;
    let issued = service::issue(&state, &owner, page.lang).await?;
    let alt = page.t1("captcha-alt", "prompt", &issued.prompt);
    let fresh = Fresh {
        image_url: issued.image_path(),
        audio_url: audio::available(&state.config.captcha.espeak)
            .then(|| page.url(&issued.audio_path())),
        prompt: issued.prompt,
        token: issued.token,
        alt,
    };
    Ok(([NO_STORE], Json(fresh)).into_response())
}
