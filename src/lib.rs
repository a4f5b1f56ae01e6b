//! HUD: web pages → word clouds → search, with captchas, ML prognosis and per-user preferences.
//!
//! Layers (dependencies point down): `apps` → `web` → `cache`, `db`, `i18n` → `config`.
//! See `ARCHITECTURE.md` for the shape of the whole.

pub mod apps;
pub mod cache;
pub mod cli;
pub mod config;
pub mod db;
pub mod graphics;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod serve;
pub mod telemetry;
pub mod text;
pub mod web;
pub mod workers;

pub use config::Config;
pub use web::AppState;

/// The whole HTTP application for a state (tests drive this very router).
pub fn app(state: AppState) -> impl web::router::HttpService {
    web::router::build(state)
}

/// Build the state of a process from its configuration and database pool.
pub async fn state(config: Config, db: sqlx::PgPool) -> anyhow::Result<AppState> {
    AppState::new(config, db, &apps::REGISTRY).await
}
