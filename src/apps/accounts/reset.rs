//! Password reset by e-mail, for the pages and the API alike.
//!
//! - Asking ([`request`]) answers the same whether or not an account has the address (and the
//!   mail goes out in the background, so the answer takes as long either way). It is limited
//!   per client and per address (`HUD_PASSWORD_RESET_LIMIT` an hour each); disabled accounts
//!   get no link.
//! - The link carries a random token; only its hash is stored, one per account (asking again
//!   replaces it), for `HUD_PASSWORD_RESET_TTL`. It sits in the query string, not the path,
//!   so the request log (which records paths) never holds it.
//! - Using it ([`complete`]) takes the token in the same transaction that sets the password,
//!   so it works once even when two requests race; then every session ends and every API token
//!   is revoked, as after a password change.
//! - Without `HUD_SMTP_URL` the link is written to the log (an administrator can pass it on).

use chrono::Duration;
use rand::RngCore;

use super::{model, password, tokens};
use crate::{
    i18n::Lang,
    mail::{self, Mail},
    web::{
        AppError, AppState, Message, Result,
        auth::token_hash,
        extract::{ClientIp, rate_limit},
        form::FormErrors,
        middleware::csrf::hex,
        users::user_keys,
    },
};

/// Longest e-mail address (RFC 5321).
const EMAIL_MAX: usize = 254;

/// Why a new password was not set.
#[derive(Debug)]
pub enum Refusal {
    /// The link is unknown, expired or used.
    LinkInvalid,
    /// The new password is not acceptable, field by field.
    Invalid(FormErrors),
}

/// Whether `email` looks like an address worth looking up; the form's error when not.
pub fn check_address(email: &str) -> std::result::Result<(), Message> {
    let email = email.trim();
    let (local, domain) = email.split_once('@').unwrap_or_default();
    if local.is_empty()
        || domain.is_empty()
        || email.chars().count() > EMAIL_MAX
        || email.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(Message::new("reset-email-invalid"));
    }
    Ok(())
}

/// Send a reset link to the account with address `email`, if there is one (enabled), in the
/// user's language or else `lang`. The caller says the same either way.
#[tracing::instrument(skip_all, err)]
pub async fn request(state: &AppState, ip: &ClientIp, email: &str, lang: Lang) -> Result<()> {
    let limit = state.config.accounts.password_reset_limit;
    let hour = Duration::hours(1);
    rate_limit(state, &format!("reset:ip:{}", ip.bucket_key()), hour, limit).await?;
    let email = email.trim();
    // Hashed: the bucket must not store the address typed (nor tell whether it exists).
    let address = blake3::hash(email.to_lowercase().as_bytes()).to_hex();
    rate_limit(
        state,
        &format!("reset:address:{}", &address[..32]),
        hour,
        limit,
    )
    .await?;

    let Some(user) = sqlx::query!(
        "SELECT id, username, email, preferred_language FROM users
         WHERE lower(email) = lower($1) AND disabled_at IS NULL",
        email
    )
    .fetch_optional(&state.db)
    .await?
    else {
        tracing::info!("password reset asked for an unknown or disabled address");
        return Ok(());
    };
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex(&bytes);
    let ttl = state.config.accounts.password_reset_ttl;
    sqlx::query!(
        "INSERT INTO password_resets (token_hash, user_id, expires_at)
         VALUES ($1, $2, now() + make_interval(secs => $3))
         ON CONFLICT (user_id) DO UPDATE
         SET token_hash = EXCLUDED.token_hash, created_at = now(), expires_at = EXCLUDED.expires_at",
        token_hash(&token),
        user.id,
        ttl.as_secs_f64()
    )
    .execute(&state.db)
    .await?;
    // Housekeeping: expired links of accounts that never came back.
    sqlx::query!("DELETE FROM password_resets WHERE expires_at < now()")
        .execute(&state.db)
        .await?;

    let lang = user
        .preferred_language
        .and_then(|l| l.parse().ok())
        .unwrap_or(lang);
    let link = format!(
        "{}{}/accounts/password/reset?token={token}",
        public_url(state),
        lang.url_prefix()
    );
    let minutes = i64::try_from(ttl.as_secs() / 60).unwrap_or(i64::MAX);
    if !mail::configured(&state.config.mail) {
        tracing::warn!(
            user_id = user.id,
            %link,
            "no SMTP server (HUD_SMTP_URL): the password-reset link is only in this log"
        );
        return Ok(());
    }
    let message = reset_mail(lang, &user.username, &user.email, &link, minutes)?;
    let config = state.config.mail.clone();
    let user_id = user.id;
    tokio::spawn(async move {
        match mail::send(&config, message).await {
            Ok(()) => tracing::info!(user_id, "password-reset mail sent"),
            Err(error) => tracing::error!(user_id, %error, "password-reset mail not sent"),
        }
    });
    Ok(())
}

/// Where people reach this HUD: `HUD_PUBLIC_URL`, else `http://` and `HUD_BIND`.
fn public_url(state: &AppState) -> String {
    match &state.config.mail.public_url {
        Some(url) => url.clone(),
        None => format!("http://{}", state.config.server.bind),
    }
}

/// The text part.
#[derive(askama::Template)]
#[template(path = "accounts/mail_reset.txt")]
struct ResetText<'a> {
    body: &'a ResetBody,
}

/// The HTML part.
#[derive(askama::Template)]
#[template(path = "accounts/mail_reset.html")]
struct ResetHtml<'a> {
    body: &'a ResetBody,
    lang: &'static str,
}

/// What both parts say, translated.
struct ResetBody {
    subject: String,
    greeting: String,
    body: String,
    action: String,
    link: String,
    expiry: String,
    ignore: String,
}

fn reset_mail(lang: Lang, username: &str, email: &str, link: &str, minutes: i64) -> Result<Mail> {
    use askama::Template;
    let body = ResetBody {
        subject: lang.t("reset-mail-subject").to_owned(),
        greeting: Message::new("reset-mail-greeting")
            .arg("username", username)
            .text(lang),
        body: lang.t("reset-mail-body").to_owned(),
        action: lang.t("reset-mail-action").to_owned(),
        link: link.to_owned(),
        expiry: Message::new("reset-mail-expiry")
            .arg("minutes", minutes)
            .text(lang),
        ignore: lang.t("reset-mail-ignore").to_owned(),
    };
    let render = |e: askama::Error| AppError::Internal(e.into());
    Ok(Mail {
        to: email.to_owned(),
        subject: body.subject.clone(),
        text: ResetText { body: &body }.render().map_err(render)?,
        html: ResetHtml {
            body: &body,
            lang: lang.code(),
        }
        .render()
        .map_err(render)?,
    })
}

/// The account a reset link is for (id, username, address), while it works.
pub async fn pending(state: &AppState, token: &str) -> Result<Option<(i64, String, String)>> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let row = sqlx::query!(
        "SELECT u.id, u.username, u.email FROM password_resets r JOIN users u ON u.id = r.user_id
         WHERE r.token_hash = $1 AND r.expires_at > now() AND u.disabled_at IS NULL",
        token_hash(token)
    )
    .fetch_optional(&state.db)
    .await?;
    Ok(row.map(|r| (r.id, r.username, r.email)))
}

/// Set the password of the account the link `token` is for to `new` (typed twice); the link
/// is used up. Every session of the account ends and every API token is revoked.
pub async fn complete(
    state: &AppState,
    token: &str,
    new: &str,
    again: &str,
) -> Result<std::result::Result<i64, Refusal>> {
    let Some((id, username, email)) = pending(state, token).await? else {
        return Ok(Err(Refusal::LinkInvalid));
    };
    let mut errors = FormErrors::new();
    let min = state.config.accounts.password_min_length;
    if let Err(m) = password::check_policy(new, &username, &email, min) {
        errors.add("password", m);
    } else if new != again {
        errors.add("password2", Message::new("password-mismatch"));
    }
    if !errors.is_empty() {
        return Ok(Err(Refusal::Invalid(errors)));
    }
    let hash = password::hash(new.to_owned()).await?;
    let mut tx = state.db.begin().await?;
    // Taken here, with the password: of two requests with one link only one gets it.
    let taken = sqlx::query_scalar!(
        "DELETE FROM password_resets WHERE token_hash = $1 AND expires_at > now()
         RETURNING user_id",
        token_hash(token)
    )
    .fetch_optional(&mut *tx)
    .await?;
    if taken != Some(id) {
        return Ok(Err(Refusal::LinkInvalid));
    }
    model::set_password_in(&mut tx, id, &hash).await?;
    state
        .cache
        .commit(tx, user_keys(id))
        .await
        .map_err(AppError::from)?;
    tokens::log_out_everywhere(state, id, None, true, None).await?;
    tracing::info!(user_id = id, "password reset");
    Ok(Ok(id))
}

#[cfg(test)]
mod tests {
    use super::check_address;

    #[test]
    fn only_addresses_are_looked_up() {
        assert!(check_address("ann@example.org").is_ok());
        assert!(check_address(" ann@example.org ").is_ok());
        for bad in [
            "",
            "ann",
            "@example.org",
            "ann@",
            "a b@example.org",
            "a\0@x",
        ] {
            assert!(check_address(bad).is_err(), "{bad:?}");
        }
        assert!(check_address(&format!("{}@example.org", "a".repeat(250))).is_err());
    }
}
