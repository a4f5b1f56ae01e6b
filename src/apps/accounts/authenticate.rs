//! Checking a login (username or e-mail address, and password) for the login form and the token
//! API alike, under both login rate limits.
//!
//! - Per client (`HUD_LOGIN_LIMIT_PER_IP`, IPv6 by network): every attempt counts.
//! - Per account *and* client (`HUD_LOGIN_LIMIT_PER_ACCOUNT`): failures count, a success
//!   forgets them. Keyed by the account's id, so its username and e-mail address (in any case)
//!   share one bucket; keyed by client too, so an attacker's failures never lock the owner out
//!   from their own device. An unknown login gets a bucket of its own name, so the limit
//!   answers alike whether the account exists or not.

use chrono::Duration;

use super::{
    model,
    password::{self, Verified},
};
use crate::{
    db::ratelimit,
    web::{
        AppState, Result,
        extract::{ClientIp, rate_limit},
    },
};

/// Longest login (an e-mail address) worth looking up.
const LOGIN_MAX: usize = 254;

/// The answer to a login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// The password is right: the account's id.
    Yes(i64),
    /// A wrong or unknown login.
    No,
    /// The password is right but an administrator disabled the account. Told only to someone
    /// who knows the password, so it reveals nothing to a guesser.
    Disabled,
}

/// Check `password` against the account `login` names. A 429 error when a limit is reached
/// (the password is then not checked).
#[tracing::instrument(skip_all, err)]
pub async fn authenticate(
    state: &AppState,
    ip: &ClientIp,
    login: &str,
    password: String,
) -> Result<Login> {
    let client = ip.bucket_key();
    rate_limit(
        state,
        &format!("login:ip:{client}"),
        Duration::minutes(5),
        state.config.accounts.login_limit_per_ip,
    )
    .await?;
    // No account's name holds a control character (nor could PostgreSQL look up a NUL).
    if login.is_empty()
        || login.chars().any(char::is_control)
        || login.chars().count() > LOGIN_MAX
        || password.chars().count() > password::MAX_LEN
    {
        return Ok(Login::No);
    }
    let found = model::credentials(&state.db, login).await?;
    let account = match &found {
        Some(account) => format!("id:{}", account.id),
        // Hashed: the bucket of an unknown login must not store what was typed.
        None => format!("name:{}", &blake3::hash(login.as_bytes()).to_hex()[..32]),
    };
    let bucket = account_bucket(&account, ip);
    // Counted before the password is checked (else a client past the limit could go on
    // guessing and only be told when it guessed right); a success forgets the count below.
    count_check(state, &bucket).await?;
    let (account, stored) = match found {
        Some(account) => (
            Some((account.id, account.disabled)),
            Some(account.password_hash),
        ),
        None => (None, None),
    };
    match (account, password::verify(password, stored).await?) {
        (Some((_, true)), Verified::Yes { .. }) => Ok(Login::Disabled),
        (Some((id, false)), Verified::Yes { rehash }) => {
            model::record_login(&state.db, &state.cache, id, rehash.as_deref()).await?;
            ratelimit::reset(&state.db, &bucket).await?;
            Ok(Login::Yes(id))
        }
        _ => Ok(Login::No),
    }
}

/// The bucket of password checks of `account` (`id:N`, or a hashed unknown login) from this
/// client: a login's, and a signed-in user's confirming a change with their password.
pub fn account_bucket(account: &str, ip: &ClientIp) -> String {
    format!("login:account:{account}:client:{}", ip.bucket_key())
}

/// Count one password check in `bucket`: a 429 error past `HUD_LOGIN_LIMIT_PER_ACCOUNT` in 15
/// minutes (the password is then not checked); a success forgets the count
/// (`ratelimit::reset`).
pub async fn count_check(state: &AppState, bucket: &str) -> Result<()> {
    rate_limit(
        state,
        bucket,
        Duration::minutes(15),
        state.config.accounts.login_limit_per_account,
    )
    .await
}
