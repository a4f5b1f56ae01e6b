//! Captchas: generated or uploaded images, many challenges per image ("type the text", "only
//! the digits", "the last four letters reversed", admin-written ones), single-use tokens bound
//! to a visitor, a reusable form component with an audio alternative, admin pages and the API.

pub mod admin;
pub mod api;
pub mod audio;
pub mod cli;
pub mod generate;
pub mod guard;
pub mod model;
pub mod pages;
pub mod pass;
pub mod refill;
pub mod rule;
pub mod service;
pub mod vary;

use axum::{
    Router,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::web::apps::{AdminLink, SubApp};

/// Registration.
pub const APP: SubApp = SubApp {
    name: "captcha",
    switchable: true,
    nav: None,
    card: None,
    admin: &[AdminLink {
        label: "admin-captcha",
        path: "/admin/captcha",
    }],
    pages: |_| {
        Router::new()
            .route("/captcha/image/{file}", get(pages::image))
            .route("/captcha/audio/{file}", get(pages::audio))
            .route("/captcha/refresh", post(pages::refresh))
            .route("/admin/captcha", get(admin::overview))
            .route("/admin/captcha/generate", post(admin::generate))
            .route("/admin/captcha/upload", post(admin::upload))
            .route("/admin/captcha/images/{file}", get(admin::image))
            .route(
                "/admin/captcha/images/{id}/active",
                post(admin::set_image_active),
            )
            .route(
                "/admin/captcha/images/{id}/text",
                post(admin::set_image_text),
            )
            .route("/admin/captcha/challenges", post(admin::create_challenge))
            .route("/admin/captcha/challenges/new", get(admin::new_challenge))
            .route(
                "/admin/captcha/challenges/{id}",
                get(admin::edit_challenge).post(admin::update_challenge),
            )
            .route(
                "/admin/captcha/challenges/{id}/active",
                post(admin::set_challenge_active),
            )
    },
    api: || {
        OpenApiRouter::with_openapi(<pages::Files as utoipa::OpenApi>::openapi())
            .routes(routes!(api::new_captcha))
    },
    warm_paths: &[],
    jobs: &[],
    schedules: &[&service::UPKEEP],
    background: Some(refill::start),
    local: |locals| locals.insert(refill::Refiller::default()),
    form_guard: Some(&guard::CAPTCHA),
    personal_data: None,
};
