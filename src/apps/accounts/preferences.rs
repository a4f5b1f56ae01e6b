//! The preferences page (language, timezone) and the avatar upload / removal / serving.

use axum::{
    Form,
    body::Body,
    extract::{Multipart, Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

use chrono::Duration;

use super::{
    avatar,
    forms::{Preferences, PreferencesInput},
    model,
};
use crate::{
    db::{self, ratelimit::Decision},
    i18n::{Lang, TimeZoneChoice},
    web::{
        AppError, AppState, Message, Page, Result,
        auth::RequireUser,
        flash::{self, FlashKind},
        form::{FieldMessages, FormErrors},
        image_upload,
        page::render,
    },
};

/// The preferences page.
#[derive(askama::Template)]
#[template(path = "accounts/preferences.html")]
struct PreferencesTemplate {
    page: Page,
    language: String,
    timezone: String,
    errors: FieldMessages,
    languages: &'static [Lang],
    timezones: &'static [&'static str],
}

impl PreferencesTemplate {
    fn new(page: Page, language: String, timezone: String, errors: FieldMessages) -> Self {
        PreferencesTemplate {
            page,
            language,
            timezone,
            errors,
            languages: &Lang::ALL,
            timezones: TimeZoneChoice::all(),
        }
    }
}

#[tracing::instrument(skip_all, err)]
pub async fn form(RequireUser(me): RequireUser, page: Page) -> Result<Response> {
    let page = page.with_form().await?;
    let language = me.lang.map(|l| l.code().to_owned()).unwrap_or_default();
    let timezone = me.tz.map(|t| t.name().to_owned()).unwrap_or_default();
    render(&PreferencesTemplate::new(
        page,
        language,
        timezone,
        FieldMessages::default(),
    ))
}

#[tracing::instrument(skip_all, err)]
pub async fn save(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
    Form(input): Form<PreferencesInput>,
) -> Result<Response> {
    let prefs = match Preferences::parse(&input) {
        Ok(prefs) => prefs,
        Err(errors) => {
            let page = page.with_form().await?;
            let errors = errors.translate(page.lang);
            let language = input.language.unwrap_or_default();
            let timezone = input.timezone.unwrap_or_default();
            let mut response = render(&PreferencesTemplate::new(page, language, timezone, errors))?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };
    model::set_preferences(
        &state.db,
        &state.cache,
        me.id,
        prefs.language,
        prefs.timezone.map(chrono_tz::Tz::name),
    )
    .await?;
    flash::push(
        page.session(),
        FlashKind::Success,
        Message::new("preferences-saved"),
    )
    .await?;
    // Go to the page in the newly chosen language, whatever prefix the form was shown under.
    let prefix = prefs.language.map_or("", Lang::url_prefix);
    Ok(Redirect::to(&format!("{prefix}/accounts/preferences")).into_response())
}

/// Read the multipart avatar upload: the CSRF token (checked by the middleware) and the file.
async fn read_upload(mut multipart: Multipart) -> Result<Vec<u8>, Message> {
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("avatar") {
            return image_upload::read_field(field, avatar::MAX_UPLOAD_BYTES).await;
        }
    }
    Err(Message::new("image-empty"))
}

#[tracing::instrument(skip_all, err)]
pub async fn upload_avatar(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
    multipart: Multipart,
) -> Result<Response> {
    // Counted before the body is read: a refused upload costs no decode.
    let bucket = format!("avatar:user:{}", me.id);
    let limit = state.config.accounts.avatar_uploads_per_hour;
    let processed = match db::ratelimit::hit(&state.db, &bucket, Duration::hours(1), limit).await? {
        Decision::Limited { retry_after_secs } => Err(Message::new("avatar-rate-limited")
            .arg("minutes", retry_after_secs.div_ceil(60) as i64)),
        Decision::Allowed => match read_upload(multipart).await {
            Ok(bytes) => image_upload::run_decode(move || avatar::process(&bytes))
                .await
                .map_err(AppError::Internal)?,
            Err(message) => Err(message),
        },
    };
    match processed {
        Ok(png) => {
            model::set_avatar(&state.db, &state.cache, me.id, Some(&png)).await?;
            flash::push(
                page.session(),
                FlashKind::Success,
                Message::new("avatar-saved"),
            )
            .await?;
        }
        Err(message) => {
            flash::push(page.session(), FlashKind::Danger, message).await?;
        }
    }
    Ok(Redirect::to(&page.url("/accounts/preferences")).into_response())
}

#[tracing::instrument(skip_all, err)]
pub async fn delete_avatar(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
) -> Result<Response> {
    model::set_avatar(&state.db, &state.cache, me.id, None).await?;
    flash::push(
        page.session(),
        FlashKind::Success,
        Message::new("avatar-removed"),
    )
    .await?;
    Ok(Redirect::to(&page.url("/accounts/preferences")).into_response())
}

/// The file `GET /api/v1/me` hands out (`avatar_url`), in the OpenAPI document; it is served
/// with the pages.
#[derive(utoipa::OpenApi)]
#[openapi(paths(serve_avatar))]
pub struct Files;

/// `GET /accounts/avatar/{id}.png?v=N`: the stored PNG. The URL changes with every upload, so
/// it can be cached for long.
#[utoipa::path(get, path = "/accounts/avatar/{id}.png", tag = "accounts",
    params(
        ("id" = i64, Path, description = "The user's id"),
        ("v" = Option<i32>, Query, description = "The avatar's version (changes with every upload, so the file may be cached for a day)"),
    ),
    responses(
        (status = 200, description = "The 128×128 avatar", content_type = "image/png"),
        (status = 404, description = "No such user, or no avatar", content_type = "text/html"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn serve_avatar(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response> {
    let id: i64 = file
        .strip_suffix(".png")
        .and_then(|id| id.parse().ok())
        .ok_or(AppError::NotFound)?;
    let png = model::avatar_png(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut response = Response::new(Body::from(png));
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(response)
}

/// For the API: the same validation, errors as 422 problem+json.
pub fn parse_for_api(input: &PreferencesInput) -> Result<Preferences, AppError> {
    Preferences::parse(input).map_err(|e: FormErrors| e.into())
}
