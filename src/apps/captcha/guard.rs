//! The captcha as a form guard ([`crate::web::form_guard`]): forms of other sub-apps call the
//! guard through that interface, never this module.
//!
//! `fields` renders the card (image, translated prompt, answer field, "new captcha" button,
//! audio link) into the form's `partials/form_guard.html` slot; `check` judges the answer. When
//! the captcha sub-app is switched off both do nothing and every check passes.
//!
//! A right answer is remembered until the form is accepted, so a visitor whose form fails for
//! another reason (a taken username) is not asked again. It is remembered as a pass in
//! PostgreSQL ([`super::pass`]), taken atomically: one pass, one accepted form, however many
//! requests race with the same session.

use async_trait::async_trait;
use tower_sessions::Session;

use super::{
    model, pass,
    service::{self, Issued, Verdict},
};
use crate::web::{
    AppError, AppState, Message, Page,
    extract::ClientIp,
    form_guard::{CaptchaAnswer, Check, FormGuard, GuardInput as CaptchaInput},
    middleware::csrf::hex,
};

/// The captcha as the form guard of every form that asks for one (registered by the sub-app).
pub struct CaptchaGuard;

/// The guard the captcha sub-app registers.
pub static CAPTCHA: CaptchaGuard = CaptchaGuard;

#[async_trait]
impl FormGuard for CaptchaGuard {
    async fn fields(
        &self,
        page: &Page,
        ip: &ClientIp,
        error: Option<&Message>,
    ) -> Result<Vec<String>, AppError> {
        fields(page, ip, error).await
    }

    async fn check(
        &self,
        page: &Page,
        ip: &ClientIp,
        input: &CaptchaInput,
    ) -> Result<Check, AppError> {
        check(page, ip, input).await
    }

    async fn remember_pass(&self, page: &Page) -> Result<(), AppError> {
        remember_pass(page).await
    }

    async fn require(
        &self,
        state: &AppState,
        ip: &ClientIp,
        answer: &CaptchaAnswer,
    ) -> Result<(), AppError> {
        super::api::require(state, ip, answer).await
    }
}

/// Session key of the visitor's captcha identity (survives session-id rotation at login).
const SESSION_OWNER: &str = "captcha_owner";
/// Session key of the secret of a right answer not yet used by an accepted form.
const SESSION_PASS: &str = "captcha_pass";

/// The visitor's captcha identity, created on first use: kept in a logged-in session; for an
/// anonymous visitor derived from its CSRF token (a secret only its browser holds, kept in a
/// cookie), so showing a captcha stores no session.
pub async fn owner(page: &Page) -> Result<String, AppError> {
    if let Some(owner) = existing_owner(page).await? {
        return Ok(owner);
    }
    if page.user.is_none()
        && let Some(token) = page.csrf_token()
    {
        return Ok(from_token(token));
    }
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let owner = format!("s:{}", hex(&bytes));
    page.session().insert(SESSION_OWNER, &owner).await?;
    Ok(owner)
}

/// The visitor's captcha identity if one exists (serving images never creates one).
pub async fn existing_owner(page: &Page) -> Result<Option<String>, AppError> {
    if let Some(owner) = page.session().get::<String>(SESSION_OWNER).await? {
        return Ok(Some(owner));
    }
    Ok(match (&page.user, page.csrf_token()) {
        (None, Some(token)) => Some(from_token(token)),
        _ => None,
    })
}

/// The identity of the visitor holding CSRF token `token` (a hash: the token is never stored).
fn from_token(token: &str) -> String {
    let hash = blake3::derive_key("hud 2026 captcha owner of a csrf token", token.as_bytes());
    format!("c:{}", hex(&hash[..16]))
}

/// The card, for a form.
#[derive(askama::Template)]
#[template(path = "captcha/field.html")]
struct FieldTemplate<'a> {
    page: &'a Page,
    captcha: Option<&'a Issued>,
    error: Option<String>,
    audio: bool,
}

/// Render the component for a form: nothing when captchas are off, a "verified" note when the
/// visitor already answered, else a new captcha (with `error` above the answer field).
pub async fn fields(
    page: &Page,
    ip: &ClientIp,
    error: Option<&Message>,
) -> Result<Vec<String>, AppError> {
    let state = page.state();
    if !state.apps.enabled("captcha") {
        return Ok(Vec::new());
    }
    let issued = if remembered(state, page.session()).await? {
        None
    } else {
        service::count_issue(state, &ip.bucket_key()).await?;
        let owner = owner(page).await?;
        Some(service::issue(state, &owner, page.lang).await?)
    };
    let html = askama::Template::render(&FieldTemplate {
        page,
        captcha: issued.as_ref(),
        error: error.map(|m| page.message(m)),
        audio: super::audio::available(&state.config.captcha.espeak),
    })
    .map_err(anyhow::Error::from)?;
    Ok(vec![html])
}

async fn remembered(state: &crate::AppState, session: &Session) -> Result<bool, AppError> {
    Ok(match session.get::<String>(SESSION_PASS).await? {
        Some(secret) => pass::valid(&state.db, &secret).await?,
        None => false,
    })
}

/// Judge the component's fields of a submitted form.
pub async fn check(page: &Page, ip: &ClientIp, input: &CaptchaInput) -> Result<Check, AppError> {
    let state = page.state();
    if !state.apps.enabled("captcha") {
        return Ok(Check::Passed);
    }
    let session = page.session();
    if input.captcha_refresh.is_some() {
        // The replaced captcha will not be answered.
        let token = input.captcha_token.trim();
        if !token.is_empty() && token.len() <= 64 {
            let owner = owner(page).await?;
            model::drop_token(&state.db, &service::token_hash(token), &owner).await?;
        }
        return Ok(Check::Again(None));
    }
    // The session copy of a concurrent request may still hold the secret; PostgreSQL decides.
    if let Some(secret) = session.remove::<String>(SESSION_PASS).await?
        && pass::take(&state.db, &secret).await?
    {
        return Ok(Check::Passed);
    }
    let owner = owner(page).await?;
    let verdict = service::check(
        state,
        &owner,
        &ip.bucket_key(),
        &input.captcha_token,
        &input.captcha_answer,
    )
    .await?;
    Ok(match verdict {
        Verdict::Passed => Check::Passed,
        failed => Check::Again(failed.message()),
    })
}

/// The form failed for another reason after a right answer: do not ask again (until the
/// captcha's lifetime ends).
pub async fn remember_pass(page: &Page) -> Result<(), AppError> {
    let state = page.state();
    if !state.apps.enabled("captcha") {
        return Ok(());
    }
    let until =
        chrono::Utc::now() + chrono::Duration::seconds(state.config.captcha.ttl_secs as i64);
    let secret = pass::new_secret();
    pass::insert(&state.db, &secret, until).await?;
    page.session().insert(SESSION_PASS, &secret).await?;
    Ok(())
}
