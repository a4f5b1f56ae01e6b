//! Admin: the list of user accounts.

use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;

use super::model::{self, UserListRow};
use crate::web::{Page, Result, auth::RequireAdmin, page::render};

const PER_PAGE: i64 = 50;

/// The users list.
#[derive(askama::Template)]
#[template(path = "accounts/admin_users.html")]
struct UsersTemplate {
    page: Page,
    users: Vec<UserListRow>,
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
    // Page numbers beyond the last show the last page (only they cost a second query).
    let requested = query.page.unwrap_or(1).clamp(1, i64::MAX / PER_PAGE);
    let mut list = model::list(&state.db, PER_PAGE, (requested - 1) * PER_PAGE).await?;
    let total = list.total;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page_no = requested.min(pages);
    if page_no != requested {
        list = model::list(&state.db, PER_PAGE, (page_no - 1) * PER_PAGE).await?;
    }
    render(&UsersTemplate {
        page,
        users: list.users,
        total,
        page_no,
        pages,
    })
}
