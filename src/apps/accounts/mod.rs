//! Accounts & preferences: signup, login, logout, profile, language / timezone / avatar
//! preferences, the account's security controls (API tokens, "log out everywhere"), the admin's
//! user management, and the JSON API for mobile clients (bearer tokens).

pub mod admin;
pub mod api;
pub mod authenticate;
pub mod avatar;
pub mod change;
pub mod change_pages;
pub mod forms;
pub mod lifecycle;
pub mod lifecycle_pages;
pub mod manage;
pub mod model;
pub mod pages;
pub mod password;
pub mod preferences;
pub mod reset;
pub mod reset_api;
pub mod reset_pages;
pub mod security;
pub mod security_api;
pub mod tokens;

use axum::{
    Router,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::web::apps::{AdminLink, HomeCard, SubApp};

/// Registration.
pub const APP: SubApp = SubApp {
    name: "accounts",
    switchable: true,
    nav: None,
    card: Some(HomeCard {
        title: "accounts-card-title",
        text: "accounts-card-text",
        path: "/accounts/profile",
    }),
    admin: &[AdminLink {
        label: "admin-users",
        path: "/admin/users",
    }],
    pages: |_| {
        Router::new()
            .route(
                "/accounts/signup",
                get(pages::signup_form).post(pages::signup),
            )
            .route("/accounts/login", get(pages::login_form).post(pages::login))
            .route("/accounts/logout", post(pages::logout))
            .route("/accounts/profile", get(pages::profile))
            .route(
                "/accounts/preferences",
                get(preferences::form).post(preferences::save),
            )
            .route("/accounts/avatar", post(preferences::upload_avatar))
            .route("/accounts/avatar/delete", post(preferences::delete_avatar))
            .route("/accounts/avatar/{file}", get(preferences::serve_avatar))
            .route("/accounts/security", get(security::page))
            .route(
                "/accounts/password",
                get(change_pages::password_form).post(change_pages::change_password),
            )
            .route(
                "/accounts/password/forgot",
                get(reset_pages::forgot_form).post(reset_pages::forgot),
            )
            .route(
                "/accounts/password/reset",
                get(reset_pages::reset_form).post(reset_pages::reset),
            )
            .route(
                "/accounts/email",
                get(change_pages::email_form).post(change_pages::change_email),
            )
            .route("/accounts/data", get(lifecycle_pages::data))
            .route("/accounts/data/export", get(lifecycle_pages::export))
            .route("/accounts/delete", post(lifecycle_pages::delete))
            .route("/accounts/security/tokens", post(security::create_token))
            .route(
                "/accounts/security/tokens/{id}/revoke",
                post(security::revoke_token),
            )
            .route(
                "/accounts/security/tokens/revoke-all",
                post(security::revoke_all),
            )
            .route(
                "/accounts/security/logout-everywhere",
                post(security::logout_everywhere),
            )
            .route("/admin/users", get(admin::users))
            .route("/admin/users/{id}/admin", post(admin::set_role))
            .route("/admin/users/{id}/enabled", post(admin::set_enabled))
            .route(
                "/admin/users/{id}/delete",
                get(admin::delete_form).post(admin::delete),
            )
    },
    api: || {
        OpenApiRouter::with_openapi(<preferences::Files as utoipa::OpenApi>::openapi())
            .routes(routes!(api::create_token, api::revoke_token))
            .routes(routes!(security_api::list_tokens, security_api::revoke_all))
            .routes(routes!(security_api::revoke_one))
            .routes(routes!(security_api::logout_everywhere))
            .routes(routes!(security_api::change_password))
            .routes(routes!(security_api::change_email))
            .routes(routes!(reset_api::request_reset))
            .routes(routes!(reset_api::confirm_reset))
            .routes(routes!(security_api::export))
            .routes(routes!(security_api::delete_account))
            .routes(routes!(api::me))
            .routes(routes!(api::signup))
            .routes(routes!(api::update_preferences))
    },
    warm_paths: &[],
    jobs: &[],
    schedules: &[],
    background: None,
    local: |_| {},
    form_guard: None,
    personal_data: None,
};
