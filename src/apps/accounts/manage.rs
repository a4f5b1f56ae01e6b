//! What an administrator does to accounts: promote and demote, disable and enable (deleting is
//! [`super::lifecycle::delete_account`], shared with "delete my account").
//!
//! HUD must never be left without an administrator who can log in. Every change that could
//! take the last one away (demoting, disabling or deleting an enabled administrator, their own
//! account included) takes one PostgreSQL advisory lock in its transaction and checks there,
//! so two administrators demoting each other at the same moment cannot both succeed: the
//! second waits for the first to commit and then sees that it would be the last.

use sqlx::{PgConnection, PgExecutor};

use super::tokens;
use crate::web::{AppError, AppState, Result, users::user_keys};

/// How an administrative change ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done, to the account of this username.
    Done(String),
    /// There is no such account.
    NotFound,
    /// Refused: it would leave HUD without an enabled administrator.
    LastAdministrator,
}

/// Serialise every change that could remove the last administrator, until the transaction
/// ends.
pub async fn lock_administrators(tx: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('hud-administrators'))")
        .execute(tx)
        .await?;
    Ok(())
}

/// Whether user `id` is an enabled administrator and no other enabled administrator exists.
pub async fn last_admin(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT coalesce((SELECT is_admin AND disabled_at IS NULL FROM users WHERE id = $1), false)
                  AND NOT EXISTS (SELECT 1 FROM users
                                  WHERE is_admin AND disabled_at IS NULL AND id <> $1)
           AS "last!""#,
        id
    )
    .fetch_one(db)
    .await
}

/// Grant (`true`) or revoke administrator rights of user `id`.
#[tracing::instrument(skip(state), err)]
pub async fn set_role(state: &AppState, id: i64, is_admin: bool) -> Result<Outcome> {
    let mut tx = state.db.begin().await?;
    if !is_admin {
        lock_administrators(&mut tx).await?;
        if last_admin(&mut *tx, id).await? {
            return Ok(Outcome::LastAdministrator);
        }
    }
    let username = sqlx::query_scalar!(
        "UPDATE users SET is_admin = $2 WHERE id = $1 RETURNING username",
        id,
        is_admin
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(username) = username else {
        return Ok(Outcome::NotFound);
    };
    state
        .cache
        .commit(tx, user_keys(id))
        .await
        .map_err(AppError::from)?;
    tracing::info!(user_id = id, is_admin, "role changed");
    Ok(Outcome::Done(username))
}

/// Enable or disable user `id`. Disabling ends every session and revokes every API token of
/// the account, on every instance; until then (a moment) the user lookups already refuse it.
#[tracing::instrument(skip(state), err)]
pub async fn set_enabled(state: &AppState, id: i64, enabled: bool) -> Result<Outcome> {
    let mut tx = state.db.begin().await?;
    if !enabled {
        lock_administrators(&mut tx).await?;
        if last_admin(&mut *tx, id).await? {
            return Ok(Outcome::LastAdministrator);
        }
    }
    let username = sqlx::query_scalar!(
        "UPDATE users
         SET disabled_at = CASE WHEN $2 THEN NULL ELSE coalesce(disabled_at, now()) END
         WHERE id = $1 RETURNING username",
        id,
        enabled
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(username) = username else {
        return Ok(Outcome::NotFound);
    };
    state
        .cache
        .commit(tx, user_keys(id))
        .await
        .map_err(AppError::from)?;
    if !enabled {
        tokens::log_out_everywhere(state, id, None, true, None).await?;
    }
    tracing::info!(user_id = id, enabled, "account enabled or disabled");
    Ok(Outcome::Done(username))
}
