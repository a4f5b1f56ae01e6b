//! Form guards: what a form that bots must not submit (signup, adding a page) calls, without
//! knowing which sub-app guards it. A sub-app offers a guard through its registration
//! ([`super::apps::SubApp::form_guard`]; today the captcha); when no enabled sub-app offers
//! one, forms render no guard fields and every check passes.
//!
//! ```ignore
//! #[serde(flatten)] guard: GuardInput,                        // in the form's input struct
//! guards: form_guard::fields(&page, &ip, None).await?,        // when rendering the form
//! let new = match form_guard::judge(&page, &ip, &input.guard, input.parse()).await? {
//!     Ok(new) => new,                                          // when handling it
//!     Err(again) => return show_form_again(again.errors, again.guard_error),
//! };
//! form_guard::require(&state, &ip, &body.guard).await?;      // in a JSON API endpoint
//! ```

use async_trait::async_trait;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{AppError, AppState, Message, Page, extract::ClientIp, form::FormErrors};

/// A guard's fields of an HTML form.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct GuardInput {
    /// The token the form was rendered with.
    pub captcha_token: String,
    /// What the visitor typed.
    pub captcha_answer: String,
    /// Set by the "new captcha" button when JavaScript is off.
    pub captcha_refresh: Option<String>,
}

/// A guard's fields of an API request body.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct CaptchaAnswer {
    /// The `token` of `GET /api/v1/captcha`.
    pub captcha_token: String,
    /// What the user typed.
    pub captcha_answer: String,
}

/// What a form handler does after [`check`].
#[derive(Debug)]
pub enum Check {
    /// Go on with the form (right answer, remembered answer, or no guard).
    Passed,
    /// Show the form again, as typed, with a new challenge and this message (None: the visitor
    /// only asked for a new one).
    Again(Option<Message>),
}

/// A form guard, as a sub-app offers it.
#[async_trait]
pub trait FormGuard: Send + Sync {
    /// The guard's rendered fields for a form (`error` above its answer field).
    async fn fields(
        &self,
        page: &Page,
        ip: &ClientIp,
        error: Option<&Message>,
    ) -> Result<Vec<String>, AppError>;
    /// Judge a submitted form's guard fields.
    async fn check(
        &self,
        page: &Page,
        ip: &ClientIp,
        input: &GuardInput,
    ) -> Result<Check, AppError>;
    /// The form failed for another reason after a right answer: do not ask again for a while.
    async fn remember_pass(&self, page: &Page) -> Result<(), AppError>;
    /// Judge an API request's guard fields: Ok, or the error to answer with.
    async fn require(
        &self,
        state: &AppState,
        ip: &ClientIp,
        answer: &CaptchaAnswer,
    ) -> Result<(), AppError>;
}

fn guard(state: &AppState) -> Option<&'static dyn FormGuard> {
    state.apps.iter().find_map(|app| app.form_guard)
}

/// The enabled guard's fields for a form (none without a guard).
pub async fn fields(
    page: &Page,
    ip: &ClientIp,
    error: Option<&Message>,
) -> Result<Vec<String>, AppError> {
    match guard(page.state()) {
        Some(guard) => guard.fields(page, ip, error).await,
        None => Ok(Vec::new()),
    }
}

/// Judge a submitted form (passes without a guard).
pub async fn check(page: &Page, ip: &ClientIp, input: &GuardInput) -> Result<Check, AppError> {
    match guard(page.state()) {
        Some(guard) => guard.check(page, ip, input).await,
        None => Ok(Check::Passed),
    }
}

/// A guarded form to show again, as typed, with a new challenge.
#[derive(Debug)]
pub struct ShowAgain {
    /// The form's own field errors (none when the visitor only asked for a new challenge).
    pub errors: FormErrors,
    /// The guard's message (None: its answer was right, or only a new challenge was asked for).
    pub guard_error: Option<Message>,
}

/// Judge a submitted form: its own validation (`parsed`) and its guard's fields together. The
/// value to go on with, or what to show the form again with. A right answer on a form whose
/// own fields were wrong is remembered, so the visitor does not solve the challenge twice.
pub async fn judge<T>(
    page: &Page,
    ip: &ClientIp,
    input: &GuardInput,
    parsed: Result<T, FormErrors>,
) -> Result<Result<T, ShowAgain>, AppError> {
    match (parsed, check(page, ip, input).await?) {
        (Ok(value), Check::Passed) => Ok(Ok(value)),
        (Err(errors), Check::Passed) => {
            remember_pass(page).await?;
            Ok(Err(ShowAgain {
                errors,
                guard_error: None,
            }))
        }
        (parsed, Check::Again(guard_error)) => Ok(Err(ShowAgain {
            // A "new challenge" click (no message) shows no field errors either.
            errors: match (&guard_error, parsed) {
                (Some(_), Err(errors)) => errors,
                _ => FormErrors::new(),
            },
            guard_error,
        })),
    }
}

/// Remember a right answer of a form that failed for another reason.
pub async fn remember_pass(page: &Page) -> Result<(), AppError> {
    match guard(page.state()) {
        Some(guard) => guard.remember_pass(page).await,
        None => Ok(()),
    }
}

/// Judge an API request (passes without a guard).
pub async fn require(
    state: &AppState,
    ip: &ClientIp,
    answer: &CaptchaAnswer,
) -> Result<(), AppError> {
    match guard(state) {
        Some(guard) => guard.require(state, ip, answer).await,
        None => Ok(()),
    }
}
