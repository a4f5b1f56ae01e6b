//! Prognosis: machine-learning models (gradient boosting, random forest, SVC, k-NN, logistic
//! regression) trained on the Wisconsin breast-cancer data. Staff pick a stored sample or type
//! its 30 values, pick a model and get a prognosis with the features that drove it; model pages
//! show parameters, metrics and charts; admins add samples (form or CSV), upload and retire
//! models and describe the algorithms.
//!
//! Layers: [`ml`] is the pure core (data, training, model files); [`catalog`] and [`samples`]
//! are the tables behind the model-cache layer; [`files`] and [`registry`] hold the model files
//! and the models decoded in this process; [`service`] ties them together for the pages,
//! [`api`] and [`cli`].

pub mod admin;
pub mod api;
pub mod catalog;
pub mod charts;
pub mod cli;
pub mod csv_import;
pub mod files;
pub mod input;
pub mod ml;
pub mod models;
pub mod pages;
pub mod personal;
pub mod registry;
pub mod samples;
pub mod service;
pub mod training;
pub mod training_pages;

use axum::{
    Router, middleware,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    cache::Ttl,
    web::{
        apps::{AdminLink, HomeCard, NavEntry, SubApp},
        middleware::response_cache::{self, CachePolicy},
    },
};

/// Model pages are the same for every anonymous reader of a language and time zone; any model
/// or algorithm write drops them (tag `prognosis-models`).
const PUBLIC_CACHE: CachePolicy = CachePolicy::public(Ttl::minutes(10), &[], |_, _| {
    vec![catalog::MODELS_TAG.to_owned()]
});

/// Registration.
pub const APP: SubApp = SubApp {
    name: "prognosis",
    switchable: true,
    nav: Some(NavEntry {
        label: "nav-prognosis",
        path: "/prognosis/models",
    }),
    card: Some(HomeCard {
        title: "prognosis-card-title",
        text: "prognosis-card-text",
        path: "/prognosis/models",
    }),
    admin: &[AdminLink {
        label: "admin-prognosis",
        path: "/admin/prognosis",
    }],
    pages: |state| {
        let cached =
            || middleware::from_fn_with_state((state.clone(), PUBLIC_CACHE), response_cache::cache);
        Router::new()
            .route("/prognosis", get(pages::form).post(pages::submit))
            .route("/prognosis/history", get(pages::history))
            .route("/prognosis/models", get(models::list).route_layer(cached()))
            .route(
                "/prognosis/models/{id}",
                get(models::detail).route_layer(cached()),
            )
            .route("/admin/prognosis", get(admin::overview))
            .route("/admin/prognosis/models", post(admin::upload_model))
            .route(
                "/admin/prognosis/models/{id}/active",
                post(admin::set_active),
            )
            .route("/admin/prognosis/algorithms/{slug}", post(admin::describe))
            .route("/admin/prognosis/samples", post(admin::create_sample))
            .route("/admin/prognosis/samples/new", get(admin::new_sample))
            .route("/admin/prognosis/samples/csv", post(admin::upload_csv))
            .route("/admin/prognosis/train", post(training_pages::train))
            .route(
                "/admin/prognosis/training/{job}",
                get(training_pages::training),
            )
    },
    api: || {
        OpenApiRouter::new()
            .routes(routes!(api::models))
            .routes(routes!(api::samples))
            .routes(routes!(api::prognosis))
    },
    warm_paths: &["/prognosis/models"],
    jobs: &[&training::TRAIN],
    schedules: &[],
    background: None,
    local: |locals| locals.insert(registry::Registry::default()),
    form_guard: None,
    personal_data: Some(&personal::PROGNOSES),
};
