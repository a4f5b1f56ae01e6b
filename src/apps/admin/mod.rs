//! The `/admin` area: an index of the admin sections the enabled sub-apps contribute, the
//! cache page, the job queue and the audit log. Every admin handler checks rights on the server with [`RequireAdmin`]. Always on.

mod audit_page;
mod cache_page;
mod jobs_page;

use axum::{
    Router,
    response::Response,
    routing::{get, post},
};
use utoipa_axum::router::OpenApiRouter;

use crate::web::{
    Page, Result,
    apps::{AdminLink, SubApp},
    auth::RequireAdmin,
    page::render,
};

/// Registration.
pub const APP: SubApp = SubApp {
    name: "admin",
    switchable: false,
    nav: None,
    card: None,
    admin: &[
        AdminLink {
            label: "admin-cache",
            path: "/admin/cache",
        },
        AdminLink {
            label: "admin-jobs",
            path: "/admin/jobs",
        },
        AdminLink {
            label: "admin-audit",
            path: "/admin/audit",
        },
    ],
    pages: |_| {
        Router::new()
            .route("/admin", get(index))
            .route("/admin/cache", get(cache_page::cache))
            .route("/admin/jobs", get(jobs_page::jobs))
            .route("/admin/audit", get(audit_page::audit))
            .route("/admin/jobs/{id}/retry", post(jobs_page::retry))
    },
    api: OpenApiRouter::new,
    warm_paths: &[],
    jobs: &[],
    schedules: &[],
    background: None,
    local: |_| {},
    form_guard: None,
    personal_data: None,
};

/// The admin index.
#[derive(askama::Template)]
#[template(path = "admin/index.html")]
struct AdminIndexTemplate {
    page: Page,
}

#[tracing::instrument(skip_all, err)]
async fn index(_admin: RequireAdmin, page: Page) -> Result<Response> {
    render(&AdminIndexTemplate { page })
}
