//! Admin: the list of user accounts.

use axum::{
    extract::{Query, State},
    response::Response,
};

use super::model::{self, UserListRow};
use crate::web::{
    Page, Result,
    auth::RequireAdmin,
    page::render,
    pagination::{PageParam, Pager, paginate},
};

const PER_PAGE: i64 = 50;

/// The users list.
#[derive(askama::Template)]
#[template(path = "accounts/admin_users.html")]
struct UsersTemplate {
    page: Page,
    users: Vec<UserListRow>,
    pager: Pager,
}

#[tracing::instrument(skip_all, err)]
pub async fn users(
    State(state): State<crate::web::AppState>,
    _admin: RequireAdmin,
    page: Page,
    Query(query): Query<PageParam>,
) -> Result<Response> {
    let db = &state.db;
    let (users, pager) = paginate(
        query.number(),
        PER_PAGE,
        String::new(),
        |limit, offset| async move {
            let list = model::list(db, limit, offset).await?;
            Ok::<_, sqlx::Error>((list.users, list.total))
        },
    )
    .await?;
    render(&UsersTemplate { page, users, pager })
}
