//! Word clouds: users register web pages; workers crawl them on a schedule, count their words
//! and store the timestamped counts; pages show clouds per crawl, per time range, side by side,
//! and word trends over time.

pub mod address;
pub mod cli;
pub mod crawl;
pub mod extract;
pub mod fetch;
pub mod guard;
pub mod language;
pub mod model;
pub mod robots;
pub mod words;

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::web::apps::SubApp;

/// Registration.
pub const APP: SubApp = SubApp {
    name: "wordcloud",
    switchable: true,
    nav: None,
    card: None,
    admin: &[],
    pages: |_| Router::new(),
    api: OpenApiRouter::new,
    warm_paths: &[],
    jobs: &[&crawl::CRAWL],
    schedules: &[&crawl::SCHEDULE_CRAWLS, &crawl::PRUNE_CRAWLS],
};
