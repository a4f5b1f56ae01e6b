//! Admin: the user accounts — a searchable, paginated list, promoting and demoting
//! administrators, disabling and enabling accounts, and deleting them after a confirmation
//! page that says what goes with them. The rules (never without an administrator) are in
//! [`super::manage`]; every action here is written to the audit log by the audit layer.

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{Redirect, Response},
};
use serde::Deserialize;

use super::{
    lifecycle::{self, Reader},
    manage::{self, Outcome},
    model::{self, UserListRow},
};
use crate::web::{
    AppError, AppState, Message, Page, Result,
    audit::Audit,
    auth::{self, RequireAdmin, safe_next, url_escape},
    flash::{self, FlashKind},
    page::render,
    pagination::{Pager, paginate},
};

const PER_PAGE: i64 = 50;
/// Longest search worth running (longer than any username or e-mail address).
const SEARCH_MAX: usize = 254;

/// The users list.
#[derive(askama::Template)]
#[template(path = "accounts/admin_users.html")]
struct UsersTemplate {
    page: Page,
    users: Vec<UserListRow>,
    pager: Pager,
    /// The search, as typed.
    search: String,
    /// This list's own URL (search and page number), where the row actions come back to.
    back: String,
}

/// `?q=` (username or e-mail address contains, in any case) and `?page=`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UsersQuery {
    q: String,
    page: Option<String>,
}

/// `GET /admin/users`
#[tracing::instrument(skip_all, err)]
pub async fn users(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Query(query): Query<UsersQuery>,
) -> Result<Response> {
    let page = page.with_form().await?;
    // Control characters match no account, and PostgreSQL cannot take a NUL.
    let search: String = query
        .q
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(SEARCH_MAX)
        .collect();
    let requested = crate::web::pagination::PageParam { page: query.page }.number();
    let list_query = if search.is_empty() {
        String::new()
    } else {
        format!("q={}", url_escape(&search))
    };
    let db = &state.db;
    let (users, pager) = paginate(requested, PER_PAGE, list_query, |limit, offset| {
        let search = search.clone();
        async move {
            let list = model::list(db, &search, limit, offset).await?;
            Ok::<_, sqlx::Error>((list.users, list.total))
        }
    })
    .await?;
    let back = format!("{}{}", page.url("/admin/users"), pager.href(pager.page_no));
    render(&UsersTemplate {
        page,
        users,
        pager,
        search,
        back,
    })
}

/// A row action's form: the new value and the list to come back to.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionInput {
    value: String,
    back: Option<String>,
}

impl ActionInput {
    /// `value` as a yes or no; anything else is a bad request.
    fn flag(&self) -> Result<bool> {
        match self.value.as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(AppError::BadRequest(Message::new("admin-user-bad-action"))),
        }
    }

    /// Where to go afterwards: the list it came from, if that is a local path.
    fn back(&self, page: &Page) -> String {
        safe_next(self.back.as_deref()).map_or_else(|| page.url("/admin/users"), str::to_owned)
    }
}

/// `POST /admin/users/{id}/admin`: `value=true` promotes, `false` demotes.
#[tracing::instrument(skip_all, err)]
pub async fn set_role(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ActionInput>,
) -> Result<Response> {
    let is_admin = input.flag()?;
    let outcome = manage::set_role(&state, id, is_admin).await?;
    let (action, done) = if is_admin {
        ("user.promote", "admin-user-promoted")
    } else {
        ("user.demote", "admin-user-demoted")
    };
    let audit = audit_of(action, id, &outcome);
    tell(&page, outcome, done).await?;
    Ok(audit.to(Redirect::to(&input.back(&page))))
}

/// `POST /admin/users/{id}/enabled`: `value=false` disables (and logs out everywhere), `true`
/// enables.
#[tracing::instrument(skip_all, err)]
pub async fn set_enabled(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ActionInput>,
) -> Result<Response> {
    let enabled = input.flag()?;
    let outcome = manage::set_enabled(&state, id, enabled).await?;
    let (action, done) = if enabled {
        ("user.enable", "admin-user-enabled")
    } else {
        ("user.disable", "admin-user-disabled")
    };
    let audit = audit_of(action, id, &outcome);
    tell(&page, outcome, done).await?;
    Ok(audit.to(Redirect::to(&input.back(&page))))
}

/// The audit record of `action` on user `id`: refused ones with the status an API would give.
fn audit_of(action: &str, id: i64, outcome: &Outcome) -> Audit {
    match outcome {
        Outcome::Done(username) => Audit::new(action, format!("{username} (#{id})")),
        Outcome::NotFound => Audit::refused(action, format!("#{id}"), 404),
        Outcome::LastAdministrator => Audit::refused(action, format!("#{id}"), 409),
    }
}

/// The flash message of an outcome: `done` (with the username) when it was done.
async fn tell(page: &Page, outcome: Outcome, done: &str) -> Result<()> {
    let (kind, message) = match outcome {
        Outcome::Done(username) => (
            FlashKind::Success,
            Message::new(done).arg("username", username),
        ),
        Outcome::NotFound => (FlashKind::Danger, Message::new("admin-user-not-found")),
        Outcome::LastAdministrator => (FlashKind::Danger, Message::new("admin-user-last-admin")),
    };
    flash::push(page.session(), kind, message).await
}

/// The question before deleting an account.
#[derive(askama::Template)]
#[template(path = "accounts/admin_user_delete.html")]
struct DeleteTemplate {
    page: Page,
    user: model::UserRecord,
    /// What goes with the account, besides the account.
    consequences: Vec<String>,
    /// The last enabled administrator's: deleting is refused, so no button.
    last_admin: bool,
}

impl DeleteTemplate {
    fn action(&self) -> String {
        self.page
            .url(&format!("/admin/users/{}/delete", self.user.id))
    }
}

/// `GET /admin/users/{id}/delete`
#[tracing::instrument(skip_all, err)]
pub async fn delete_form(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let user = crate::web::users::PROFILE_BY_USER
        .get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let consequences = lifecycle::consequences(&state, id, Reader::Administrator)
        .await?
        .iter()
        .map(|m| page.message(m))
        .collect();
    let last_admin = manage::last_admin(&state.db, id).await?;
    render(&DeleteTemplate {
        page,
        user,
        consequences,
        last_admin,
    })
}

/// `POST /admin/users/{id}/delete`
#[tracing::instrument(skip_all, err)]
pub async fn delete(
    State(state): State<AppState>,
    RequireAdmin(me): RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    let outcome = lifecycle::delete_account(&state, id).await?;
    let audit = audit_of("user.delete", id, &outcome);
    if outcome == Outcome::NotFound {
        return Ok(audit.to(AppError::NotFound));
    }
    let deleted_self = id == me.id && matches!(outcome, Outcome::Done(_));
    if deleted_self {
        auth::logout(page.session()).await?;
    }
    tell(&page, outcome, "admin-user-deleted").await?;
    let to = if deleted_self { "/" } else { "/admin/users" };
    Ok(audit.to(Redirect::to(&page.url(to))))
}
