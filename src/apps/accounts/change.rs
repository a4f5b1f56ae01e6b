//! Changing the signed-in user's password or e-mail address, for the forms and the API alike.
//!
//! Both are confirmed with the current password, checked first (nothing else is told before
//! it is right) under the login's per-account limit (the same bucket: a stolen session cannot
//! guess the password faster than a login could).
//! A new password is stored first and then every other session ends and every API token but
//! the caller's is revoked — in that order, so no login with the old password can slip in
//! between and keep a session.

use tower_sessions::session::Id;

use super::{
    authenticate::{account_bucket, count_check},
    forms::{EmailChangeInput, PasswordChangeInput},
    model::{self, CreateError},
    password::{self, Verified},
    tokens::{self, LoggedOut},
};
use crate::{
    db::ratelimit,
    web::{
        AppError, AppState, Message, Result, auth::CurrentUser, extract::ClientIp,
        form::FormErrors, users::PROFILE_BY_USER,
    },
};

/// Whether `current` is user `id`'s password (counted as a login's password check).
pub(super) async fn confirm(
    state: &AppState,
    ip: &ClientIp,
    id: i64,
    current: &str,
) -> Result<bool> {
    let bucket = account_bucket(&format!("id:{id}"), ip);
    count_check(state, &bucket).await?;
    let stored = model::password_hash(&state.db, id).await?;
    match password::verify(current.to_owned(), stored).await? {
        Verified::Yes { .. } => {
            ratelimit::reset(&state.db, &bucket).await?;
            Ok(true)
        }
        Verified::No => Ok(false),
    }
}

/// Why a change to the account (or its deletion, [`super::lifecycle`]) was refused, and so
/// nothing changed.
#[derive(Debug)]
pub enum Refusal {
    /// The current password was wrong (checked first: nothing else is told before it is
    /// right).
    WrongPassword,
    /// The new value is not acceptable, field by field.
    Invalid(FormErrors),
    /// The account is the last administrator's.
    LastAdministrator,
}

impl Refusal {
    /// As the form shows it: a message under each field concerned.
    pub fn into_form_errors(self) -> FormErrors {
        match self {
            Refusal::WrongPassword => {
                let mut errors = FormErrors::new();
                errors.add("current_password", Message::new("password-current-wrong"));
                errors
            }
            Refusal::Invalid(errors) => errors,
            Refusal::LastAdministrator => {
                let mut errors = FormErrors::new();
                errors.add("account", Message::new("account-delete-last-admin"));
                errors
            }
        }
    }

    /// As the API answers it: 403 for a wrong password (the caller may not do this), 422
    /// naming the fields for bad values, 409 for the last administrator.
    pub fn into_api_error(self) -> AppError {
        match self {
            Refusal::WrongPassword => {
                AppError::denied("current_password", Message::new("password-current-wrong"))
            }
            Refusal::Invalid(errors) => errors.into(),
            Refusal::LastAdministrator => {
                AppError::conflict("account", Message::new("account-delete-last-admin"))
            }
        }
    }
}

/// Set a new password: `Err` says why not (and nothing changed). Then every session of the
/// user but `keep_session` ends and every API token but `keep_token` is revoked.
pub async fn password(
    state: &AppState,
    ip: &ClientIp,
    me: &CurrentUser,
    input: &PasswordChangeInput,
    keep_session: Option<Id>,
    keep_token: Option<i64>,
) -> Result<std::result::Result<LoggedOut, Refusal>> {
    if !confirm(state, ip, me.id, &input.current_password).await? {
        return Ok(Err(Refusal::WrongPassword));
    }
    let profile = PROFILE_BY_USER
        .get(&state.cache, &state.db, me.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let new = match input.parse(
        &profile.username,
        &profile.email,
        state.config.accounts.password_min_length,
    ) {
        Ok(new) => new,
        Err(errors) => return Ok(Err(Refusal::Invalid(errors))),
    };
    let hash = password::hash(new).await?;
    model::set_password(&state.db, &state.cache, me.id, &hash).await?;
    let ended = tokens::log_out_everywhere(state, me.id, keep_session, true, keep_token).await?;
    tracing::info!(user_id = me.id, "password changed");
    Ok(Ok(ended))
}

/// Set a new e-mail address (the one now, trimmed): `Err` says why not.
pub async fn email(
    state: &AppState,
    ip: &ClientIp,
    me: &CurrentUser,
    input: &EmailChangeInput,
) -> Result<std::result::Result<String, Refusal>> {
    if !confirm(state, ip, me.id, &input.current_password).await? {
        return Ok(Err(Refusal::WrongPassword));
    }
    let email = match input.parse() {
        Ok(email) => email,
        Err(errors) => return Ok(Err(Refusal::Invalid(errors))),
    };
    match model::set_email(&state.db, &state.cache, me.id, &email).await {
        Ok(()) => {
            tracing::info!(user_id = me.id, "e-mail address changed");
            Ok(Ok(email))
        }
        Err(CreateError::EmailTaken) => {
            let mut errors = FormErrors::new();
            errors.add("email", Message::new("email-taken"));
            Ok(Err(Refusal::Invalid(errors)))
        }
        Err(CreateError::UsernameTaken) => Err(AppError::Internal(anyhow::anyhow!(
            "changing the e-mail address cannot take a username"
        ))),
        Err(CreateError::Db(e)) => Err(e.into()),
    }
}
