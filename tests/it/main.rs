//! Integration tests: the real router over real HTTP, against a real PostgreSQL (a fresh
//! database per test), started by `make test` (scripts/test-env.sh).

mod account_changes;
mod account_lifecycle;
mod accounts;
mod admin_users;
mod api;
mod api_document;
mod api_rate_limit;
mod axe;
mod browser;
mod browser_layout;
mod cache;
mod cache_races;
mod captcha;
mod common;
mod crawl;
mod docs;
mod embedded;
mod i18n;
mod keyboard;
mod layering;
mod models;
mod ops;
mod pagination;
mod password_reset;
mod pg_outage;
mod prognosis;
mod registry;
mod search;
mod security;
mod training;
mod wordcloud;
mod wordcloud_api;
mod wordcloud_delete;
