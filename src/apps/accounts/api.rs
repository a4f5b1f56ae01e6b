//! JSON API of the accounts sub-app: bearer tokens and the caller's profile and preferences.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    authenticate::{Login, authenticate},
    forms::{PreferencesInput, Signup, SignupInput},
    model::{self, CreateError},
    password,
    preferences::parse_for_api,
    tokens::{self, NewToken},
};
use crate::{
    i18n::{Lang, TimeZoneChoice},
    web::form_guard::{self, CaptchaAnswer},
    web::{
        AppError, AppState, Message, Result,
        api_input::Json as ApiJson,
        auth::{RequireUser, Scope, token_hash},
        error::FieldError,
        extract::{ClientIp, rate_limit},
        users::PROFILE_BY_USER,
    },
};

/// Credentials for a new token, and what the token may do.
#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Username or e-mail address.
    username: String,
    /// Password.
    password: String,
    /// A label for the token list ("phone", "CI"): at most 100 characters, no control
    /// characters; surrounding white space is dropped.
    #[serde(default)]
    #[schema(max_length = 100, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")]
    name: String,
    /// `full` (default: everything the user may do) or `read` (only GET/HEAD, and revoking
    /// itself).
    #[serde(default)]
    #[schema(value_type = Option<Scope>)]
    scope: Option<String>,
    /// Lifetime in days; default and cap: the server's `HUD_API_TOKEN_MAX_DAYS` (90 unless
    /// configured). Longer asks are capped (see `expires_at` in the answer).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    expires_in_days: Option<i64>,
}

/// A new bearer token. It is shown only once; HUD keeps only its hash.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    /// When it stops working.
    expires_at: DateTime<Utc>,
    /// Its id (to revoke it with `DELETE /api/v1/auth/tokens/{id}`).
    id: i64,
    /// Its label.
    name: String,
    /// What it may do.
    scope: Scope,
}

/// Exchange username and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "Token created", body = TokenResponse),
        (status = 401, description = "Wrong username or password", content_type = "application/problem+json"),
        (status = 403, description = "The account is disabled", content_type = "application/problem+json"),
        (status = 422, description = "Invalid name, scope or lifetime", content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn create_token(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<Response> {
    // Exactly what the document says (the form's parser trims first, and reads an empty scope
    // as the default).
    if request.name.chars().count() > tokens::NAME_MAX || request.name.chars().any(char::is_control)
    {
        return Err(AppError::Invalid(vec![FieldError::new(
            "name",
            Message::new("token-name-invalid"),
        )]));
    }
    if request
        .scope
        .as_deref()
        .is_some_and(|s| !matches!(s, "read" | "full"))
    {
        return Err(AppError::Invalid(vec![FieldError::new(
            "scope",
            Message::new("token-scope-invalid"),
        )]));
    }
    let new = NewToken::parse(
        &request.name,
        request.scope.as_deref(),
        request.expires_in_days,
        state.config.accounts.api_token_max_days,
    )?;
    let login = request.username.trim();
    let id = match authenticate(&state, &ip, login, request.password).await? {
        Login::Yes(id) => id,
        Login::No => return Err(AppError::Unauthorized),
        Login::Disabled => {
            return Err(AppError::denied("username", Message::new("login-disabled")));
        }
    };
    let created = tokens::create(&state.db, id, &new).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenResponse {
            token: created.token,
            expires_at: created.info.expires_at,
            id: created.info.id,
            name: created.info.name,
            scope: created.info.scope,
        }),
    )
        .into_response())
}

/// Revoke the token used for this request.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Token revoked"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn revoke_token(
    State(state): State<AppState>,
    _user: RequireUser,
    headers: HeaderMap,
) -> Result<StatusCode> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .map(|(_, t)| t.trim())
        .ok_or(AppError::Unauthorized)?;
    model::revoke_token(&state.db, &token_hash(token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new account.
#[derive(Deserialize, ToSchema)]
pub struct SignupRequest {
    /// Desired username (any characters but control characters and `@`, at most 64).
    username: String,
    /// E-mail address.
    email: String,
    /// Password (see the server's minimum length).
    password: String,
    /// The captcha (`GET /api/v1/captcha`), when the captcha sub-app is on.
    #[serde(flatten)]
    captcha: CaptchaAnswer,
}

/// Create an account. Log in afterwards with `POST /api/v1/auth/token`.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts",
    request_body = SignupRequest,
    responses(
        (status = 201, description = "Account created", body = Me),
        (status = 403, description = "Wrong or expired captcha (fetch a new one)", content_type = "application/problem+json"),
        (status = 409, description = "Name or address taken", content_type = "application/problem+json"),
        (status = 422, description = "Invalid field", content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn signup(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(request): ApiJson<SignupRequest>,
) -> Result<Response> {
    rate_limit(
        &state,
        &format!("signup:ip:{}", ip.bucket_key()),
        Duration::hours(1),
        state.config.accounts.signup_limit_per_ip,
    )
    .await?;
    form_guard::require(&state, &ip, &request.captcha).await?;
    let input = SignupInput {
        username: request.username,
        email: request.email,
        password2: request.password.clone(),
        password: request.password,
        ..SignupInput::default()
    };
    let signup = Signup::parse(&input, state.config.accounts.password_min_length)?;
    let hash = password::hash(signup.password.clone()).await?;
    let id = match model::create(&state.db, &signup.username, &signup.email, &hash, false).await {
        Ok(id) => id,
        Err(CreateError::Db(e)) => return Err(e.into()),
        Err(CreateError::UsernameTaken) => {
            return Err(AppError::conflict(
                "username",
                Message::new("username-taken"),
            ));
        }
        Err(_) => return Err(AppError::conflict("email", Message::new("email-taken"))),
    };
    tracing::info!(user_id = id, "account created via the API");
    Ok((StatusCode::CREATED, Json(load_me(&state, id).await?)).into_response())
}

/// The caller's account.
#[derive(Serialize, ToSchema)]
pub struct Me {
    id: i64,
    username: String,
    email: String,
    is_admin: bool,
    /// `en`, `nl`, `sv`, `nb`, `fr`, or null (negotiated from `Accept-Language`).
    language: Option<String>,
    /// IANA timezone, or null (UTC).
    timezone: Option<String>,
    /// Relative URL of the 128×128 PNG avatar, or null.
    avatar_url: Option<String>,
    created_at: DateTime<Utc>,
}

pub(super) async fn load_me(state: &AppState, id: i64) -> Result<Me> {
    let u = PROFILE_BY_USER
        .get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(Me {
        avatar_url: (u.avatar_version > 0)
            .then(|| format!("/accounts/avatar/{}.png?v={}", u.id, u.avatar_version)),
        id: u.id,
        username: u.username,
        email: u.email,
        is_admin: u.is_admin,
        language: u.preferred_language,
        timezone: u.timezone,
        created_at: u.created_at,
    })
}

/// The authenticated user.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn me(State(state): State<AppState>, RequireUser(user): RequireUser) -> Result<Json<Me>> {
    Ok(Json(load_me(&state, user.id).await?))
}

/// Change language and/or timezone. Omitted fields stay as they are; an empty string resets
/// the field (language negotiated, timezone UTC).
#[utoipa::path(patch, path = "/api/v1/me/preferences", tag = "accounts",
    security(("bearer" = [])),
    request_body = PreferencesInput,
    responses(
        (status = 200, description = "Saved; the updated account", body = Me),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 422, description = "Unknown language or timezone", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn update_preferences(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    ApiJson(input): ApiJson<PreferencesInput>,
) -> Result<Json<Me>> {
    // Exactly the documented values: the form's leniency (surrounding white space, any case)
    // would make `"\u000b"` a reset and `"EN"` English.
    let exact = |value: &Option<String>, known: &dyn Fn(&str) -> bool| {
        value.as_deref().is_none_or(|v| v.is_empty() || known(v))
    };
    let mut errors = Vec::new();
    if !exact(&input.language, &|v| {
        Lang::ALL.iter().any(|l| l.code() == v)
    }) {
        errors.push(FieldError::new(
            "language",
            Message::new("language-unknown"),
        ));
    }
    if !exact(&input.timezone, &|v| {
        TimeZoneChoice::all().binary_search(&v).is_ok()
    }) {
        errors.push(FieldError::new(
            "timezone",
            Message::new("timezone-unknown"),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let current = PreferencesInput {
        language: input
            .language
            .clone()
            .or_else(|| user.lang.map(|l| l.code().to_owned())),
        timezone: input
            .timezone
            .clone()
            .or_else(|| user.tz.map(|t| t.name().to_owned())),
    };
    let prefs = parse_for_api(&current)?;
    model::set_preferences(
        &state.db,
        &state.cache,
        user.id,
        prefs.language,
        prefs.timezone.map(chrono_tz::Tz::name),
    )
    .await?;
    Ok(Json(load_me(&state, user.id).await?))
}
