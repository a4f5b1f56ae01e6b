//! Search over the crawled word counts: an in-memory compressed index ([`index`]) built from the
//! crawls of the last `HUD_SEARCH_DAYS` days, kept current in every process ([`live`]); boolean
//! queries with prefixes and typo tolerance, date windows in the reader's timezone, language
//! filter, newest-first or relevance order; results cached per index generation ([`results`]);
//! a page, a navbar search box, `GET /api/v1/search` and `hud search`.

pub mod api;
pub mod cli;
pub mod highlight;
pub mod index;
pub mod live;
pub mod pages;
pub mod request;
pub mod results;

use axum::{Router, routing::get};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::web::apps::{HomeCard, SubApp};

/// Registration.
pub const APP: SubApp = SubApp {
    name: "search",
    switchable: true,
    // A search box in the navbar (templates/partials/navbar.html) rather than a link.
    nav: None,
    card: Some(HomeCard {
        title: "search-card-title",
        text: "search-card-text",
        path: "/search",
    }),
    admin: &[],
    pages: |_| Router::new().route("/search", get(pages::search)),
    api: || OpenApiRouter::new().routes(routes!(api::search)),
    warm_paths: &[],
    jobs: &[],
    schedules: &[],
    background: Some(live::keep_current),
    local: |locals| locals.insert(live::LiveIndex::default()),
    form_guard: None,
    personal_data: None,
};
