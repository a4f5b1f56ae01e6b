//! The end of an account's life, for the pages and the API alike: "download my data" (a JSON
//! document of the profile, the API tokens without their secrets, and every enabled sub-app's
//! part — see [`crate::web::personal_data`]) and "delete my account".
//!
//! Deleting is confirmed with the password (under the login limit per account) and refused
//! for the last administrator. Each sub-app first releases what it keeps (the word clouds
//! keep the pages without an owner, the prognoses go); then every session and API token
//! ends, on every instance, and the user's row goes, with what its foreign keys take along.

use chrono::Utc;
use serde_json::json;

use super::{
    api::load_me,
    change::{Refusal, confirm},
    tokens,
};
use crate::web::{
    AppError, AppState, Message, Result, auth::CurrentUser, extract::ClientIp, personal_data,
    users::user_keys,
};

/// Everything HUD keeps about user `id`, as one JSON document.
pub async fn export(state: &AppState, id: i64) -> Result<serde_json::Value> {
    let mut document = json!({
        "exported_at": Utc::now(),
        "profile": load_me(state, id).await?,
        "api_tokens": tokens::list(&state.db, id).await?,
    });
    for part in personal_data::of(state) {
        document[part.section()] = part.export(state, id).await?;
    }
    Ok(document)
}

/// What deleting the account of user `id` will do, beyond the account itself: one message
/// per sub-app that keeps something of theirs.
pub async fn consequences(state: &AppState, id: i64) -> Result<Vec<Message>> {
    let mut said = Vec::new();
    for part in personal_data::of(state) {
        said.extend(part.on_delete(state, id).await?);
    }
    Ok(said)
}

/// Whether user `id` is an administrator and no other account is.
async fn last_admin(db: impl sqlx::PgExecutor<'_>, id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT (SELECT is_admin FROM users WHERE id = $1)
                  AND NOT EXISTS (SELECT 1 FROM users WHERE is_admin AND id <> $1) AS "last!""#,
        id
    )
    .fetch_one(db)
    .await
}

/// Delete `me`'s account, confirmed with `password`: `Err` says why not (a wrong password, or
/// the last administrator), and then nothing was deleted.
pub async fn delete(
    state: &AppState,
    ip: &ClientIp,
    me: &CurrentUser,
    password: &str,
) -> Result<std::result::Result<(), Refusal>> {
    if !confirm(state, ip, me.id, password).await? {
        return Ok(Err(Refusal::WrongPassword));
    }
    if last_admin(&state.db, me.id).await? {
        return Ok(Err(Refusal::LastAdministrator));
    }
    for part in personal_data::of(state) {
        part.release(state, me.id).await?;
    }
    tokens::log_out_everywhere(state, me.id, None, true, None).await?;
    let mut tx = state.db.begin().await?;
    // Two administrators deleting themselves at once must not both pass the check above.
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('hud-administrators'))")
        .execute(&mut *tx)
        .await?;
    if last_admin(&mut *tx, me.id).await? {
        return Ok(Err(Refusal::LastAdministrator));
    }
    sqlx::query!("DELETE FROM users WHERE id = $1", me.id)
        .execute(&mut *tx)
        .await?;
    state
        .cache
        .commit(tx, user_keys(me.id))
        .await
        .map_err(AppError::from)?;
    tracing::info!(user_id = me.id, "account deleted");
    Ok(Ok(()))
}
