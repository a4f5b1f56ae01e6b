//! Who is asking: the logged-in user of a session or the owner of an API bearer token.
//!
//! The context middleware resolves this once per request; handlers ask for it with the
//! [`RequireUser`] / [`RequireAdmin`] extractors (or read [`Ctx::user`]).

use std::sync::Arc;

use axum::{extract::FromRequestParts, http::request::Parts};
use chrono_tz::Tz;
use sqlx::PgExecutor;
use tower_sessions::Session;

use super::{AppError, middleware::context::Ctx};
use crate::cache::Cache;
use crate::i18n::{Lang, parse_timezone};

/// Session key holding the logged-in user's id.
pub const SESSION_USER_ID: &str = "user_id";

/// The logged-in user, as every page needs it (no password hash, no avatar bytes).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CurrentUser {
    /// Database id.
    pub id: i64,
    /// Username as typed at signup.
    pub username: String,
    /// May use `/admin`.
    pub is_admin: bool,
    /// Preferred language, if chosen.
    pub lang: Option<Lang>,
    /// Preferred timezone, if chosen.
    pub tz: Option<Tz>,
    /// Bumped on every avatar change (0 = none); part of the avatar URL.
    pub avatar_version: i32,
}

struct UserRow {
    id: i64,
    username: String,
    is_admin: bool,
    preferred_language: Option<String>,
    timezone: Option<String>,
    avatar_version: i32,
}

impl From<UserRow> for CurrentUser {
    fn from(r: UserRow) -> Self {
        CurrentUser {
            id: r.id,
            username: r.username,
            is_admin: r.is_admin,
            lang: r.preferred_language.and_then(|l| l.parse().ok()),
            tz: r.timezone.as_deref().and_then(parse_timezone),
            avatar_version: r.avatar_version,
        }
    }
}

impl CurrentUser {
    /// Load by id; `None` for a disabled account too (its sessions end with the next request).
    #[tracing::instrument(skip_all, err)]
    pub async fn by_id(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<Option<Self>> {
        let row = sqlx::query_as!(
            UserRow,
            "SELECT id, username, is_admin, preferred_language, timezone, avatar_version
             FROM users WHERE id = $1 AND disabled_at IS NULL",
            id
        )
        .fetch_optional(db)
        .await?;
        Ok(row.map(Into::into))
    }

    /// Load the owner of an unexpired API token (given the token's hash), with the token;
    /// `None` when the owner's account is disabled.
    ///
    /// Tokens are read from PostgreSQL on every request, never from a cache: a revoked token
    /// is refused by the next request, in every process.
    #[tracing::instrument(skip_all, err)]
    pub async fn by_token_hash(
        db: impl PgExecutor<'_>,
        hash: &[u8],
    ) -> sqlx::Result<Option<(Self, TokenAuth)>> {
        let row = sqlx::query!(
            "WITH used AS (
                 UPDATE api_tokens SET last_used_at = now()
                 WHERE token_hash = $1 AND expires_at > now()
                 RETURNING id, user_id, scope)
             SELECT u.id, u.username, u.is_admin, u.preferred_language, u.timezone, u.avatar_version,
                    used.id AS token_id, used.scope
             FROM users u JOIN used ON used.user_id = u.id
             WHERE u.disabled_at IS NULL",
            hash
        )
        .fetch_optional(db)
        .await?;
        Ok(row.map(|r| {
            let token = TokenAuth {
                id: r.token_id,
                scope: Scope::parse(&r.scope).unwrap_or(Scope::Read),
            };
            let user = UserRow {
                id: r.id,
                username: r.username,
                is_admin: r.is_admin,
                preferred_language: r.preferred_language,
                timezone: r.timezone,
                avatar_version: r.avatar_version,
            };
            (user.into(), token)
        }))
    }

    /// URL of the user's avatar, or `None` when they have not uploaded one.
    pub fn avatar_url(&self) -> Option<String> {
        (self.avatar_version > 0)
            .then(|| format!("/accounts/avatar/{}.png?v={}", self.id, self.avatar_version))
    }
}

/// What an API token may do.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Read only: `GET` and `HEAD`, and revoking itself.
    Read,
    /// Everything its user may do.
    Full,
}

impl Scope {
    /// From its database and form spelling (`read`, `full`).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "read" => Some(Scope::Read),
            "full" => Some(Scope::Full),
            _ => None,
        }
    }

    /// Its database and form spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Full => "full",
        }
    }
}

/// The API token a request authenticated with.
#[derive(Clone, Copy, Debug)]
pub struct TokenAuth {
    /// Its id (`api_tokens.id`).
    pub id: i64,
    /// What it may do.
    pub scope: Scope,
}

/// Whether a request with token `token` may use `method` on `path`: read-only tokens may
/// only read, and revoke themselves (a leaked token can always be switched off with itself).
pub fn scope_allows(token: Option<&TokenAuth>, method: &axum::http::Method, path: &str) -> bool {
    use axum::http::Method;
    match token {
        Some(TokenAuth {
            scope: Scope::Read, ..
        }) => {
            matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
                || (*method == Method::DELETE && path == "/api/v1/auth/token")
        }
        _ => true,
    }
}

/// The BLAKE3 hash under which an API token is stored.
pub fn token_hash(token: &str) -> Vec<u8> {
    blake3::hash(token.as_bytes()).as_bytes().to_vec()
}

/// Log a user in: a fresh session id and CSRF token (against session fixation: whoever knew
/// the session before login knows neither), then remember the user.
pub async fn login(session: &Session, user_id: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    super::middleware::csrf::rotate(session).await?;
    session.insert(SESSION_USER_ID, user_id).await?;
    Ok(())
}

/// Log out: drop the whole session (and its cookie, and so its CSRF token).
pub async fn logout(session: &Session) -> Result<(), AppError> {
    session.flush().await?;
    Ok(())
}

/// Extractor: a logged-in user, else a redirect to the login page (pages) or 401 (API).
pub struct RequireUser(pub Arc<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for RequireUser {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        use axum::response::{IntoResponse, Redirect};
        let ctx = parts.extensions.get::<Ctx>();
        match ctx.and_then(|c| c.user.clone()) {
            Some(user) => Ok(RequireUser(user)),
            None if parts.uri.path().starts_with("/api/") => {
                Err(AppError::Unauthorized.into_response())
            }
            None => {
                let prefix = ctx
                    .map(super::middleware::context::Ctx::url_prefix)
                    .unwrap_or_default();
                let next = parts
                    .uri
                    .path_and_query()
                    .map_or("/", axum::http::uri::PathAndQuery::as_str);
                let next: String = url_escape(&format!("{prefix}{next}"));
                Err(Redirect::to(&format!("{prefix}/accounts/login?next={next}")).into_response())
            }
        }
    }
}

/// Extractor: a logged-in administrator, else 403 (401 for the API without a token).
pub struct RequireAdmin(pub Arc<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for RequireAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Ctx>().and_then(|c| c.user.clone()) {
            Some(user) if user.is_admin => Ok(RequireAdmin(user)),
            Some(_) => Err(AppError::Forbidden),
            None if parts.uri.path().starts_with("/api/") => Err(AppError::Unauthorized),
            None => Err(AppError::Forbidden),
        }
    }
}

/// Percent-encode a value for a query string.
pub fn url_escape(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `next` if it is a safe local redirect target (a path on this site, not `//evil` nor
/// `/en//evil`, which the language prefix would turn into `//evil`).
pub fn safe_next(next: Option<&str>) -> Option<&str> {
    next.filter(|n| super::local_path::is_local(n))
}

/// Store (or clear) a user's preferred language.
#[tracing::instrument(skip_all, err)]
pub async fn set_preferred_language(
    db: &sqlx::PgPool,
    cache: &Cache,
    user_id: i64,
    lang: Option<Lang>,
) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query!(
        "UPDATE users SET preferred_language = $2 WHERE id = $1",
        user_id,
        lang.map(Lang::code)
    )
    .execute(&mut *tx)
    .await?;
    cache.commit(tx, super::users::user_keys(user_id)).await
}
