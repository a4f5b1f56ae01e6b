//! The change-password (`/accounts/password`) and change-e-mail (`/accounts/email`) forms,
//! linked from the security page; the logic is in [`super::change`].

use axum::{
    Form,
    extract::State,
    response::{IntoResponse, Redirect, Response},
};

use super::{
    change,
    forms::{EmailChangeInput, PasswordChangeInput},
};
use crate::web::{
    AppError, AppState, Message, Page, Result,
    auth::RequireUser,
    extract::ClientIp,
    flash::{self, FlashKind},
    form::{FieldMessages, FormErrors},
    page::render_form,
    users::PROFILE_BY_USER,
};

/// The change-password form.
#[derive(askama::Template)]
#[template(path = "accounts/password.html")]
struct PasswordTemplate {
    page: Page,
    errors: FieldMessages,
    min_length: i64,
}

async fn password_page(page: Page, errors: Option<&FormErrors>) -> Result<Response> {
    let page = page.with_form().await?;
    let min_length = page.state().config.accounts.password_min_length as i64;
    render_form(
        &PasswordTemplate {
            errors: errors.map(|e| e.translate(page.lang)).unwrap_or_default(),
            min_length,
            page,
        },
        errors.is_some(),
    )
}

/// `GET /accounts/password`
#[tracing::instrument(skip_all, err)]
pub async fn password_form(_me: RequireUser, page: Page) -> Result<Response> {
    password_page(page, None).await
}

/// `POST /accounts/password`: this session stays (with a new id); every other one ends and
/// every API token is revoked.
#[tracing::instrument(skip_all, err)]
pub async fn change_password(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    ip: ClientIp,
    page: Page,
    Form(input): Form<PasswordChangeInput>,
) -> Result<Response> {
    // This session gets a new id (a copy of its old cookie is worth nothing), stored only as
    // the response leaves: so "every other session" is every session stored now.
    page.session().cycle_id().await?;
    match change::password(&state, &ip, &me, &input, None, None).await? {
        Ok(ended) => {
            let message = Message::new("password-changed")
                .arg("sessions", ended.sessions as i64)
                .arg("tokens", ended.tokens as i64);
            flash::push(page.session(), FlashKind::Success, message).await?;
            Ok(Redirect::to(&page.url("/accounts/security")).into_response())
        }
        Err(refusal) => password_page(page, Some(&refusal.into_form_errors())).await,
    }
}

/// The change-e-mail form.
#[derive(askama::Template)]
#[template(path = "accounts/email.html")]
struct EmailTemplate {
    page: Page,
    /// The address now.
    current: String,
    /// The new one as typed.
    email: String,
    errors: FieldMessages,
}

async fn email_page(
    state: &AppState,
    me: i64,
    page: Page,
    typed: String,
    errors: Option<&FormErrors>,
) -> Result<Response> {
    let current = PROFILE_BY_USER
        .get(&state.cache, &state.db, me)
        .await?
        .ok_or(AppError::Unauthorized)?
        .email;
    let page = page.with_form().await?;
    render_form(
        &EmailTemplate {
            errors: errors.map(|e| e.translate(page.lang)).unwrap_or_default(),
            current,
            email: typed,
            page,
        },
        errors.is_some(),
    )
}

/// `GET /accounts/email`
#[tracing::instrument(skip_all, err)]
pub async fn email_form(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
) -> Result<Response> {
    email_page(&state, me.id, page, String::new(), None).await
}

/// `POST /accounts/email`
#[tracing::instrument(skip_all, err)]
pub async fn change_email(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    ip: ClientIp,
    page: Page,
    Form(input): Form<EmailChangeInput>,
) -> Result<Response> {
    match change::email(&state, &ip, &me, &input).await? {
        Ok(email) => {
            let message = Message::new("email-changed").arg("email", email);
            flash::push(page.session(), FlashKind::Success, message).await?;
            Ok(Redirect::to(&page.url("/accounts/profile")).into_response())
        }
        Err(refusal) => {
            let errors = refusal.into_form_errors();
            email_page(&state, me.id, page, input.email, Some(&errors)).await
        }
    }
}
