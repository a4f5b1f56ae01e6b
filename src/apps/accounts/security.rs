//! The account's security page (`/accounts/security`): the sessions ("log out everywhere")
//! and the API tokens (create one — read-only or full, with a lifetime — list, revoke one or
//! all). Every action is a POST form with the CSRF token; the logic is in [`super::tokens`].

use axum::{
    Form,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::tokens::{self, Created, NewToken, TokenInfo};
use crate::web::{
    AppState, Message, Page, Result,
    auth::{self, RequireUser},
    flash::{self, FlashKind},
    form::{FieldMessages, FormErrors},
    page::render,
    session_store,
};

/// The new-token form as typed.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    days: String,
}

/// The security page.
#[derive(askama::Template)]
#[template(path = "accounts/security.html")]
struct SecurityTemplate {
    page: Page,
    /// The user's unexpired sessions (this one included).
    sessions: i64,
    tokens: Vec<TokenInfo>,
    /// A token just made, shown this once.
    created: Option<Created>,
    /// The new-token form's values.
    name: String,
    scope: String,
    days: String,
    errors: FieldMessages,
    /// `HUD_API_TOKEN_MAX_DAYS`.
    max_days: i64,
}

async fn show(
    state: &AppState,
    page: Page,
    user_id: i64,
    created: Option<Created>,
    form: Option<(TokenForm, &FormErrors)>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let sessions = session_store::count_user_sessions(&state.db, user_id).await?;
    let tokens = tokens::list(&state.db, user_id).await?;
    let max_days = state.config.accounts.api_token_max_days;
    let (name, scope, days, errors) = match form {
        Some((form, errors)) => (
            form.name,
            form.scope,
            form.days,
            errors.translate(page.lang),
        ),
        None => (
            String::new(),
            "read".to_owned(),
            max_days.to_string(),
            FieldMessages::default(),
        ),
    };
    let mut response = render(&SecurityTemplate {
        page,
        sessions,
        tokens,
        created,
        name,
        scope,
        days,
        errors,
        max_days,
    })?;
    // The page may show a new token: never keep it anywhere.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /accounts/security`
#[tracing::instrument(skip_all, err)]
pub async fn page(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
) -> Result<Response> {
    show(&state, page, me.id, None, None).await
}

/// `POST /accounts/security/tokens`: make a token and show it once.
#[tracing::instrument(skip_all, err)]
pub async fn create_token(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
    Form(form): Form<TokenForm>,
) -> Result<Response> {
    let days = form.days.trim();
    let parsed = match days.parse::<i64>() {
        Ok(days) => NewToken::parse(
            &form.name,
            Some(&form.scope),
            Some(days),
            state.config.accounts.api_token_max_days,
        ),
        Err(_) if days.is_empty() => NewToken::parse(
            &form.name,
            Some(&form.scope),
            None,
            state.config.accounts.api_token_max_days,
        ),
        Err(_) => {
            let mut errors = FormErrors::new();
            errors.add("days", Message::new("token-days-invalid"));
            Err(errors)
        }
    };
    match parsed {
        Ok(new) => {
            let created = tokens::create(&state.db, me.id, &new).await?;
            tracing::info!(
                user_id = me.id,
                token = created.info.id,
                "API token created"
            );
            let mut response = show(&state, page, me.id, Some(created), None).await?;
            *response.status_mut() = StatusCode::CREATED;
            Ok(response)
        }
        Err(errors) => {
            let mut response = show(&state, page, me.id, None, Some((form, &errors))).await?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

/// `POST /accounts/security/tokens/{id}/revoke`
#[tracing::instrument(skip_all, err)]
pub async fn revoke_token(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    let (kind, message) = if tokens::revoke(&state.db, me.id, id).await? {
        tracing::info!(user_id = me.id, token = id, "API token revoked");
        (FlashKind::Success, Message::new("security-token-revoked"))
    } else {
        (FlashKind::Danger, Message::new("security-token-unknown"))
    };
    flash::push(page.session(), kind, message).await?;
    Ok(Redirect::to(&page.url("/accounts/security")).into_response())
}

/// `POST /accounts/security/tokens/revoke-all`
#[tracing::instrument(skip_all, err)]
pub async fn revoke_all(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
) -> Result<Response> {
    let revoked = tokens::revoke_all(&state.db, me.id, None).await?;
    tracing::info!(user_id = me.id, revoked, "all API tokens revoked");
    let message = Message::new("security-tokens-revoked").arg("count", revoked as i64);
    flash::push(page.session(), FlashKind::Success, message).await?;
    Ok(Redirect::to(&page.url("/accounts/security")).into_response())
}

/// The "log out everywhere" form: checkboxes.
#[derive(Debug, Deserialize)]
pub struct LogoutEverywhereForm {
    /// Stay logged in here.
    keep_current: Option<String>,
    /// Revoke every API token too.
    revoke_tokens: Option<String>,
}

/// `POST /accounts/security/logout-everywhere`: end the user's other sessions (and this one
/// unless kept), and revoke their API tokens when asked.
#[tracing::instrument(skip_all, err)]
pub async fn logout_everywhere(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
    Form(form): Form<LogoutEverywhereForm>,
) -> Result<Response> {
    let keep = form.keep_current.is_some();
    let current = page.session().id().filter(|_| keep);
    let done =
        tokens::log_out_everywhere(&state, me.id, current, form.revoke_tokens.is_some(), None)
            .await?;
    let message = Message::new("security-logged-out-everywhere")
        .arg("sessions", done.sessions as i64)
        .arg("tokens", done.tokens as i64);
    if keep {
        flash::push(page.session(), FlashKind::Success, message).await?;
        return Ok(Redirect::to(&page.url("/accounts/security")).into_response());
    }
    auth::logout(page.session()).await?;
    flash::push(page.session(), FlashKind::Success, message).await?;
    Ok(Redirect::to(&page.url("/accounts/login")).into_response())
}
