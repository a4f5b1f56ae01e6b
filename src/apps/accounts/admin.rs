//! Admin: the list of user accounts.

use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;

use super::model::{self, UserRecord};
use crate::web::{Page, Result, auth::RequireAdmin, page::render};

const PER_PAGE: i64 = 50;

/// The users list.
#[derive(askama::Template)]
#[template(path = "accounts/admin_users.html")]
struct UsersTemplate {
    page: Page,
    users: Vec<UserRecord>,
    total: i64,
    page_no: i64,
    pages: i64,
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<i64>,
}

#[tracing::instrument(skip_all, err)]
pub async fn users(
    State(state): State<crate::web::AppState>,
    _admin: RequireAdmin,
    page: Page,
    Query(query): Query<PageQuery>,
) -> Result<Response> {
    let total = model::count(&state.db).await?;
    let pages = (total + PER_PAGE - 1).max(1) / PER_PAGE;
    let pages = pages.max(1);
    let page_no = query.page.unwrap_or(1).clamp(1, pages);
    let users = model::list(&state.db, PER_PAGE, (page_no - 1) * PER_PAGE).await?;
    render(&UsersTemplate {
        page,
        users,
        total,
        page_no,
        pages,
    })
}
