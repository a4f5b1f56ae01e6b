//! API tokens and sessions as their owner manages them: create a token (named, read-only or
//! full, with a lifetime up to `HUD_API_TOKEN_MAX_DAYS`), list, revoke one or all, and "log
//! out everywhere". Shared by the security page and the JSON API.
//!
//! Tokens are stored as BLAKE3 hashes and looked up in PostgreSQL on every API request (never
//! cached), so a revocation is refused by the very next request in every process. Sessions are
//! cached; deleting them goes through the session store's own invalidation
//! ([`crate::web::session_store::delete_user_sessions`]).

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::Serialize;
use sqlx::{PgExecutor, PgPool};
use tower_sessions::session::Id;
use utoipa::ToSchema;

use crate::{
    cache::Cache,
    web::{
        AppState, Message,
        auth::{Scope, token_hash},
        form::FormErrors,
        middleware::csrf::hex,
        session_store,
    },
};

/// Longest token name.
pub const NAME_MAX: usize = 100;

/// A token as its owner sees it (never the token itself).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TokenInfo {
    /// Id, for revoking it.
    pub id: i64,
    /// The owner's label ("phone", "CI"); may be empty.
    pub name: String,
    /// What it may do.
    pub scope: Scope,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was last used, if ever.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

impl TokenInfo {
    /// Message id of its scope's name.
    pub fn scope_label(&self) -> &'static str {
        match self.scope {
            Scope::Read => "security-scope-read",
            Scope::Full => "security-scope-full",
        }
    }
}

/// A new token's settings, checked.
#[derive(Clone, Debug)]
pub struct NewToken {
    /// Label.
    pub name: String,
    /// Scope.
    pub scope: Scope,
    /// Lifetime in days (1 to the server's maximum).
    pub days: i64,
}

impl NewToken {
    /// Check a name, a scope (`read`/`full`, default full) and a lifetime in days (default
    /// and cap: `max_days`; longer asks are capped, not refused).
    pub fn parse(
        name: &str,
        scope: Option<&str>,
        days: Option<i64>,
        max_days: i64,
    ) -> Result<Self, FormErrors> {
        let mut errors = FormErrors::new();
        let name = name.trim();
        if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
            errors.add("name", Message::new("token-name-invalid"));
        }
        let scope = match scope.map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(Scope::Full),
            Some(text) => Scope::parse(text),
        };
        if scope.is_none() {
            errors.add("scope", Message::new("token-scope-invalid"));
        }
        let days = days.unwrap_or(max_days);
        if days < 1 {
            errors.add("days", Message::new("token-days-invalid"));
        }
        match (errors.is_empty(), scope) {
            (true, Some(scope)) => Ok(NewToken {
                name: name.to_owned(),
                scope,
                days: days.min(max_days),
            }),
            _ => Err(errors),
        }
    }
}

/// A token just made: the secret (shown once) and what is stored about it.
#[derive(Clone, Debug)]
pub struct Created {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Its stored description.
    pub info: TokenInfo,
}

/// Make a token for user `user_id`.
#[tracing::instrument(skip_all, err)]
pub async fn create(db: &PgPool, user_id: i64, new: &NewToken) -> sqlx::Result<Created> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("hud_{}", hex(&bytes));
    let expires_at = Utc::now() + Duration::days(new.days);
    let row = sqlx::query!(
        r#"INSERT INTO api_tokens (user_id, token_hash, expires_at, name, scope)
           VALUES ($1, $2, $3, $4, $5)
           RETURNING id, created_at AS "created_at: DateTime<Utc>""#,
        user_id,
        token_hash(&token),
        expires_at as _,
        new.name,
        new.scope.as_str()
    )
    .fetch_one(db)
    .await?;
    Ok(Created {
        token,
        info: TokenInfo {
            id: row.id,
            name: new.name.clone(),
            scope: new.scope,
            created_at: row.created_at,
            last_used_at: None,
            expires_at,
        },
    })
}

/// The unexpired tokens of user `user_id`, newest first.
#[tracing::instrument(skip_all, err)]
pub async fn list(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<TokenInfo>> {
    let rows = sqlx::query!(
        r#"SELECT id, name, scope, created_at AS "created_at: DateTime<Utc>",
                  last_used_at AS "last_used_at: DateTime<Utc>",
                  expires_at AS "expires_at: DateTime<Utc>"
           FROM api_tokens WHERE user_id = $1 AND expires_at > now()
           ORDER BY created_at DESC, id DESC"#,
        user_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TokenInfo {
            id: r.id,
            name: r.name,
            scope: Scope::parse(&r.scope).unwrap_or(Scope::Read),
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            expires_at: r.expires_at,
        })
        .collect())
}

/// Revoke token `id` of user `user_id`; false when the user has no such token.
#[tracing::instrument(skip_all, err)]
pub async fn revoke(db: impl PgExecutor<'_>, user_id: i64, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2",
        id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revoke every token of user `user_id` but `keep`; how many.
#[tracing::instrument(skip_all, err)]
pub async fn revoke_all(
    db: impl PgExecutor<'_>,
    user_id: i64,
    keep: Option<i64>,
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "DELETE FROM api_tokens WHERE user_id = $1 AND id IS DISTINCT FROM $2",
        user_id,
        keep
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// What "log out everywhere" did.
#[derive(Clone, Copy, Debug, Default, Serialize, ToSchema)]
pub struct LoggedOut {
    /// Sessions ended.
    pub sessions: u64,
    /// Tokens revoked.
    pub tokens: u64,
}

/// End every session of user `user_id` but `keep_session`, and when asked revoke every token
/// but `keep_token`.
#[tracing::instrument(skip_all, err)]
pub async fn log_out_everywhere(
    state: &AppState,
    user_id: i64,
    keep_session: Option<Id>,
    revoke_tokens: bool,
    keep_token: Option<i64>,
) -> sqlx::Result<LoggedOut> {
    let cache: &Cache = &state.cache;
    let sessions =
        session_store::delete_user_sessions(&state.db, cache, user_id, keep_session).await?;
    let tokens = if revoke_tokens {
        revoke_all(&state.db, user_id, keep_token).await?
    } else {
        0
    };
    tracing::info!(user_id, sessions, tokens, "logged out everywhere");
    Ok(LoggedOut { sessions, tokens })
}
