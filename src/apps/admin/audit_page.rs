//! `/admin/audit`: the audit log ([`crate::web::audit`]), newest first, searchable and
//! paginated, times in the reader's timezone.

use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;

use crate::web::{
    AppState, Page, Result,
    audit::{self, Entry},
    auth::{RequireAdmin, url_escape},
    page::render,
    pagination::{PageParam, Pager, paginate},
};

const PER_PAGE: i64 = 100;
/// Longest search worth running (as long as a target may be).
const SEARCH_MAX: usize = 500;

/// The page.
#[derive(askama::Template)]
#[template(path = "admin/audit.html")]
struct AuditTemplate {
    page: Page,
    entries: Vec<Entry>,
    pager: Pager,
    /// The search, as typed.
    search: String,
}

/// `?q=` (actor, action or target contains) and `?page=`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    q: String,
    page: Option<String>,
}

#[tracing::instrument(skip_all, err)]
pub async fn audit(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Query(query): Query<AuditQuery>,
) -> Result<Response> {
    // Control characters are never recorded, and PostgreSQL cannot take a NUL.
    let search: String = query
        .q
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(SEARCH_MAX)
        .collect();
    let list_query = if search.is_empty() {
        String::new()
    } else {
        format!("q={}", url_escape(&search))
    };
    let requested = PageParam { page: query.page }.number();
    let db = &state.db;
    let (entries, pager) = paginate(requested, PER_PAGE, list_query, |limit, offset| {
        let search = search.clone();
        async move { audit::list(db, &search, limit, offset).await }
    })
    .await?;
    render(&AuditTemplate {
        page,
        entries,
        pager,
        search,
    })
}
