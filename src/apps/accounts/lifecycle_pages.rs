//! "Your data" (`/accounts/data`): download it as JSON, or delete the account after a question
//! that says what goes with it; the logic is in [`super::lifecycle`].

use axum::{
    Form,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::lifecycle;
use crate::web::{
    AppState, Message, Page, Result,
    auth::{self, RequireUser},
    extract::ClientIp,
    flash::{self, FlashKind},
    form::{FieldMessages, FormErrors},
    page::render_form,
};

/// The page.
#[derive(askama::Template)]
#[template(path = "accounts/data.html")]
struct DataTemplate {
    page: Page,
    /// What deleting the account does besides deleting it.
    consequences: Vec<String>,
    errors: FieldMessages,
}

async fn data_page(
    state: &AppState,
    me: i64,
    page: Page,
    errors: Option<&FormErrors>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let consequences = lifecycle::consequences(state, me, lifecycle::Reader::Owner)
        .await?
        .iter()
        .map(|m| page.message(m))
        .collect();
    render_form(
        &DataTemplate {
            errors: errors.map(|e| e.translate(page.lang)).unwrap_or_default(),
            consequences,
            page,
        },
        errors.is_some(),
    )
}

/// `GET /accounts/data`
#[tracing::instrument(skip_all, err)]
pub async fn data(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
) -> Result<Response> {
    data_page(&state, me.id, page, None).await
}

/// `GET /accounts/data/export`: the JSON document, as a download (never stored by caches).
#[tracing::instrument(skip_all, err)]
pub async fn export(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
) -> Result<Response> {
    let document = lifecycle::export(&state, me.id).await?;
    let mut response = axum::Json(document).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"hud-my-data.json\""),
    );
    Ok(response)
}

/// The delete form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteInput {
    current_password: String,
}

/// `POST /accounts/delete`
#[tracing::instrument(skip_all, err)]
pub async fn delete(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    ip: ClientIp,
    page: Page,
    Form(input): Form<DeleteInput>,
) -> Result<Response> {
    match lifecycle::delete(&state, &ip, &me, &input.current_password).await? {
        Ok(()) => {
            auth::logout(page.session()).await?;
            flash::push(
                page.session(),
                FlashKind::Success,
                Message::new("account-deleted"),
            )
            .await?;
            Ok(Redirect::to(&page.url("/")).into_response())
        }
        Err(refusal) => data_page(&state, me.id, page, Some(&refusal.into_form_errors())).await,
    }
}
