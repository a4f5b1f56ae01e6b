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
    manage::{self, Outcome},
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

/// Who is told what deleting an account does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The account's owner ("the pages you added…").
    Owner,
    /// An administrator ("the pages they added…").
    Administrator,
}

/// What deleting the account of user `id` will do, beyond the account itself: one message
/// per sub-app that keeps something of theirs, worded for `reader` (the messages select on
/// their `who` argument).
pub async fn consequences(state: &AppState, id: i64, reader: Reader) -> Result<Vec<Message>> {
    let who = match reader {
        Reader::Owner => "owner",
        Reader::Administrator => "admin",
    };
    let mut said = Vec::new();
    for part in personal_data::of(state) {
        said.extend(part.on_delete(state, id).await?.map(|m| m.arg("who", who)));
    }
    Ok(said)
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
    Ok(match delete_account(state, me.id).await? {
        Outcome::LastAdministrator => Err(Refusal::LastAdministrator),
        Outcome::Done(_) | Outcome::NotFound => Ok(()),
    })
}

/// Delete the account of user `id`, unless it is the last enabled administrator's. The check
/// holds the administrators' lock until the row is gone, so two administrators deleting
/// themselves (or each other) at once cannot both pass it; nothing is released before it.
pub async fn delete_account(state: &AppState, id: i64) -> Result<Outcome> {
    let mut tx = state.db.begin().await?;
    manage::lock_administrators(&mut tx).await?;
    if manage::last_admin(&mut *tx, id).await? {
        return Ok(Outcome::LastAdministrator);
    }
    let Some(username) = sqlx::query_scalar!("SELECT username FROM users WHERE id = $1", id)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(Outcome::NotFound);
    };
    for part in personal_data::of(state) {
        part.release(state, id).await?;
    }
    tokens::log_out_everywhere(state, id, None, true, None).await?;
    sqlx::query!("DELETE FROM users WHERE id = $1", id)
        .execute(&mut *tx)
        .await?;
    state
        .cache
        .commit(tx, user_keys(id))
        .await
        .map_err(AppError::from)?;
    tracing::info!(user_id = id, "account deleted");
    Ok(Outcome::Done(username))
}
