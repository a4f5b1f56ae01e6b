//! The password-reset pages: "forgot your password?" (`/accounts/password/forgot`), and the
//! link's page that sets a new one (`/accounts/password/reset?token=…`); the logic is in
//! [`super::reset`].

use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::reset::{self, Refusal};
use crate::{
    mail,
    web::{
        AppState, Message, Page, Result,
        extract::ClientIp,
        flash::{self, FlashKind},
        form::{FieldMessages, FormErrors},
        page::render_form,
    },
};

/// The "forgot your password?" form, and the answer after it was sent.
#[derive(askama::Template)]
#[template(path = "accounts/password_forgot.html")]
struct ForgotTemplate {
    page: Page,
    errors: FieldMessages,
    email: String,
    /// What the answer says (the same whether or not the address has an account).
    sent: Option<String>,
    /// No SMTP server: say that an administrator can help.
    no_mail: bool,
}

/// The form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForgotInput {
    email: String,
}

async fn forgot_page(
    page: Page,
    email: String,
    errors: Option<&FormErrors>,
    sent: Option<String>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let no_mail = !mail::configured(&page.state().config.mail);
    render_form(
        &ForgotTemplate {
            errors: errors.map(|e| e.translate(page.lang)).unwrap_or_default(),
            email,
            sent,
            no_mail,
            page,
        },
        errors.is_some(),
    )
}

/// `GET /accounts/password/forgot`
#[tracing::instrument(skip_all, err)]
pub async fn forgot_form(page: Page) -> Result<Response> {
    forgot_page(page, String::new(), None, None).await
}

/// `POST /accounts/password/forgot`
#[tracing::instrument(skip_all, err)]
pub async fn forgot(
    State(state): State<AppState>,
    ip: ClientIp,
    page: Page,
    Form(input): Form<ForgotInput>,
) -> Result<Response> {
    let email = input.email.trim().to_owned();
    if let Err(problem) = reset::check_address(&email) {
        let mut errors = FormErrors::new();
        errors.add("email", problem);
        return forgot_page(page, email, Some(&errors), None).await;
    }
    reset::request(&state, &ip, &email, page.lang).await?;
    let minutes =
        i64::try_from(state.config.accounts.password_reset_ttl.as_secs() / 60).unwrap_or(i64::MAX);
    let sent = Message::new("reset-sent")
        .arg("email", email.clone())
        .arg("minutes", minutes);
    let sent = Some(page.message(&sent));
    forgot_page(page, email, None, sent).await
}

/// The link's page: a new password, or why the link no longer works.
#[derive(askama::Template)]
#[template(path = "accounts/password_reset.html")]
struct ResetTemplate {
    page: Page,
    errors: FieldMessages,
    /// The link's token; `None`: the link does not work (any more).
    token: Option<String>,
    min_length: i64,
}

/// `?token=` (the form sends it back as a field).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetInput {
    token: String,
    password: String,
    password2: String,
}

fn reset_page(page: Page, token: Option<String>, errors: Option<&FormErrors>) -> Result<Response> {
    let min_length =
        i64::try_from(page.state().config.accounts.password_min_length).unwrap_or(i64::MAX);
    let invalid_link = token.is_none();
    let mut response = render_form(
        &ResetTemplate {
            errors: errors.map(|e| e.translate(page.lang)).unwrap_or_default(),
            token,
            min_length,
            page,
        },
        errors.is_some(),
    )?;
    if invalid_link {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    // The page holds the token: no cache may keep it.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /accounts/password/reset?token=…`
#[tracing::instrument(skip_all, err)]
pub async fn reset_form(
    State(state): State<AppState>,
    page: Page,
    Query(input): Query<ResetInput>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let works = reset::pending(&state, &input.token).await?.is_some();
    reset_page(page, works.then_some(input.token), None)
}

/// `POST /accounts/password/reset`: on to the login page, logged out everywhere.
#[tracing::instrument(skip_all, err)]
pub async fn reset(
    State(state): State<AppState>,
    page: Page,
    Form(input): Form<ResetInput>,
) -> Result<Response> {
    match reset::complete(&state, &input.token, &input.password, &input.password2).await? {
        Ok(_) => {
            flash::push(
                page.session(),
                FlashKind::Success,
                Message::new("reset-done"),
            )
            .await?;
            Ok(Redirect::to(&page.url("/accounts/login")).into_response())
        }
        Err(Refusal::LinkInvalid) => reset_page(page.with_form().await?, None, None),
        Err(Refusal::Invalid(errors)) => {
            reset_page(page.with_form().await?, Some(input.token), Some(&errors))
        }
    }
}
