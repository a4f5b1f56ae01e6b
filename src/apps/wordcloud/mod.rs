//! Word clouds: users register web pages; workers crawl them on a schedule, count their words
//! and store the timestamped counts; pages show clouds per crawl, per time range, side by side,
//! and word trends over time.

pub mod address;
pub mod admin;
pub mod api;
pub mod api_views;
pub mod axis;
pub mod budget;
pub mod changes;
pub mod cli;
pub mod cloud;
pub mod compare;
pub mod crawl;
pub mod demo;
pub mod extract;
pub mod fetch;
pub mod guard;
pub mod ignore;
pub mod model;
pub mod pages;
pub mod personal;
pub mod robots;
pub mod trend;
pub mod view;

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

/// Anonymous readers share rendered lists, clouds and images; a new crawl or an ignore-list
/// change drops them (tags `pages`, `page:ID`).
const PUBLIC_CACHE: CachePolicy =
    CachePolicy::public(Ttl::minutes(10), view::CloudQuery::FIELDS, response_tags);

/// The same for the list of pages, which reads only its page number.
const LIST_CACHE: CachePolicy = CachePolicy::public(Ttl::minutes(10), &["page"], response_tags);

/// `/pages` shows every page (tag `pages`); `/pages/ID…` shows page ID (tag `page:ID`).
fn response_tags(path: &str, _query: &[(String, String)]) -> Vec<String> {
    match path.strip_prefix("/pages/") {
        None => vec![response_cache::PAGES_TAG.to_owned()],
        Some(rest) => rest
            .split('/')
            .next()
            .and_then(|id| id.parse::<i64>().ok())
            .map(|id| vec![model::page_tag(id)])
            .unwrap_or_default(),
    }
}

/// Registration.
pub const APP: SubApp = SubApp {
    name: "wordcloud",
    switchable: true,
    nav: Some(NavEntry {
        label: "nav-pages",
        path: "/pages",
    }),
    card: Some(HomeCard {
        title: "pages-card-title",
        text: "pages-card-text",
        path: "/pages",
    }),
    admin: &[
        AdminLink {
            label: "admin-pages",
            path: "/admin/pages",
        },
        AdminLink {
            label: "admin-ignore-lists",
            path: "/admin/ignore-lists",
        },
    ],
    pages: |state| {
        let cached_as =
            |policy| middleware::from_fn_with_state((state.clone(), policy), response_cache::cache);
        let cached = || cached_as(PUBLIC_CACHE);
        Router::new()
            .route(
                "/pages",
                get(pages::list)
                    .route_layer(cached_as(LIST_CACHE))
                    .post(pages::add),
            )
            .route("/pages/new", get(pages::add_form))
            .route("/pages/compare", get(compare::compare))
            .route("/pages/{id}/trend", get(trend::trend))
            .route("/pages/{id}", get(pages::detail).route_layer(cached()))
            .route(
                "/pages/{id}/delete",
                get(pages::delete_form).post(pages::delete),
            )
            .route(
                "/pages/{id}/{file}",
                get(pages::image).route_layer(cached()),
            )
            .route("/admin/pages", get(admin::pages))
            .route(
                "/admin/pages/{id}",
                get(admin::edit_page).post(admin::save_page),
            )
            .route("/admin/pages/{id}/crawl", post(admin::recrawl))
            .route(
                "/admin/ignore-lists",
                get(admin::lists).post(admin::create_list),
            )
            .route(
                "/admin/ignore-lists/{id}",
                get(admin::edit_list).post(admin::update_list),
            )
            .route("/admin/ignore-lists/{id}/delete", post(admin::delete_list))
    },
    api: || {
        OpenApiRouter::new()
            .routes(routes!(api::list, api::add))
            .routes(routes!(api::get, api::delete))
            .routes(routes!(api::wordcounts))
            .routes(routes!(api::cloud_svg))
            .routes(routes!(api::cloud_png))
            .routes(routes!(api_views::compare))
            .routes(routes!(api_views::trend))
            .routes(routes!(api::lists, api::create_list))
            .routes(routes!(api::update_list, api::delete_list))
    },
    warm_paths: &["/pages"],
    jobs: &[&crawl::CRAWL],
    schedules: &[&crawl::SCHEDULE_CRAWLS, &crawl::PRUNE_CRAWLS],
    background: None,
    local: |_| {},
    form_guard: None,
    personal_data: Some(&personal::REGISTERED_PAGES),
};
