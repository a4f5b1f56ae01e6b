//! `AppState`: what every handler can reach. Cheap to clone (everything behind `Arc`s).

use std::{fs, io::Write, os::unix::fs::OpenOptionsExt, path::Path, sync::Arc};

use anyhow::{Context, bail};
use metrics_exporter_prometheus::PrometheusHandle;
use rand::RngCore;
use sqlx::PgPool;
use tower_sessions::cookie::Key;

use super::{
    apps::{EnabledApps, SubApp},
    assets::Assets,
    middleware::csrf::hex,
};
use crate::{cache::Cache, config::Config, db, telemetry};

/// Shared state of one HUD process: one `Arc`, so the many per-request clones (every middleware
/// and `State` extractor takes one) cost a reference-count increment.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] gives access to.
pub struct Shared {
    /// Run-time settings.
    pub config: Arc<Config>,
    /// The PostgreSQL pool.
    pub db: PgPool,
    /// The sub-apps switched on in this process.
    pub apps: Arc<EnabledApps>,
    /// Static files with their content-hashed names.
    pub assets: Arc<Assets>,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
    /// Signs the session cookie.
    pub cookie_key: Key,
    /// Signs anonymous visitors' CSRF cookies (`web::middleware::csrf`).
    pub csrf_key: [u8; 32],
    /// Seeds the ETag hash of pages, so nobody without `HUD_SECRET_KEY` can craft two pages
    /// with one ETag (the same in every instance, so their ETags agree).
    pub etag_seed: u64,
    /// The model-cache layer every read of PostgreSQL goes through.
    pub cache: Cache,
    /// The sub-apps' per-process values.
    locals: AppLocals,
    /// What every registered sub-app keeps about users — enabled or not, since a switched-off
    /// sub-app's tables still hold their data (see [`super::personal_data`]).
    personal_data: Vec<&'static dyn super::personal_data::PersonalData>,
}

/// Per-process values of the sub-apps (a search index, decoded models, a refiller), one per
/// type. Each registered sub-app creates its own at start ([`SubApp::local`]), enabled or not,
/// so the web layer holds them without knowing the apps' types and a lookup of a type its app
/// registers always finds it.
#[derive(Default)]
pub struct AppLocals(axum::http::Extensions);

impl AppLocals {
    /// Add a sub-app's value (in its [`SubApp::local`]).
    pub fn insert<T: Send + Sync + 'static>(&mut self, value: T) {
        self.0.insert(Arc::new(value));
    }
}

impl Shared {
    /// This process's value of type `T`, which its sub-app's [`SubApp::local`] created at start.
    ///
    /// # Panics
    ///
    /// When no registered sub-app creates a `T`: a programming error, not an input.
    pub fn local<T: Send + Sync + 'static>(&self) -> Arc<T> {
        match self.locals.0.get::<Arc<T>>() {
            Some(value) => value.clone(),
            None => panic!(
                "no sub-app creates a {} in its SubApp::local",
                std::any::type_name::<T>()
            ),
        }
    }
}

impl AppState {
    /// Assemble the state for a configuration, a database pool and the sub-app registry, and
    /// start receiving other processes' cache invalidations.
    pub async fn new(
        config: Config,
        db: PgPool,
        registry: &'static [SubApp],
    ) -> anyhow::Result<Self> {
        let apps = EnabledApps::resolve(registry, config.apps.as_deref())?;
        let cookie_key = cookie_key(&config)?;
        let schema = db::MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let cache = Cache::new(
            crate::cache::CacheSettings::from_config(&config),
            schema,
            Some(db.clone()),
        );
        cache.sync_generation(&db).await?;
        cache.listen(db.clone());
        let mut locals = AppLocals::default();
        for app in registry {
            (app.local)(&mut locals);
        }
        Ok(AppState(Arc::new(Shared {
            personal_data: registry
                .iter()
                .filter_map(|app| app.personal_data)
                .collect(),
            cache,
            locals,
            config: Arc::new(config),
            db,
            apps: Arc::new(apps),
            assets: Arc::new(Assets::load()),
            metrics: telemetry::metrics_recorder().clone(),
            etag_seed: u64::from_le_bytes(
                blake3::derive_key("hud 2026 etag seed", cookie_key.master())[..8]
                    .try_into()
                    .unwrap_or_default(),
            ),
            csrf_key: blake3::derive_key("hud 2026 anonymous csrf cookie", cookie_key.master()),
            cookie_key,
        })))
    }
}

/// The cookie-signing key: from `HUD_SECRET_KEY`, else generated once into the data dir.
fn cookie_key(config: &Config) -> anyhow::Result<Key> {
    let secret = match &config.server.secret_key {
        Some(secret) if secret.chars().count() < 32 => {
            bail!("HUD_SECRET_KEY must be at least 32 characters long")
        }
        Some(secret) => secret.clone(),
        None => stored_secret(&config.data_dir)?,
    };
    let mut key = [0u8; 64];
    blake3::Hasher::new_derive_key("hud 2026 session cookie signing key")
        .update(secret.as_bytes())
        .finalize_xof()
        .fill(&mut key);
    Ok(Key::from(&key))
}

fn stored_secret(data_dir: &Path) -> anyhow::Result<String> {
    let path = data_dir.join("secret_key");
    if let Ok(existing) = fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= 32 {
            return Ok(existing);
        }
    }
    fs::create_dir_all(data_dir)
        .with_context(|| format!("creating the data dir {}", data_dir.display()))?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex(&bytes);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(secret.as_bytes())?;
    tracing::info!(path = %path.display(), "generated a new secret key");
    Ok(secret)
}

impl Shared {
    /// Every registered sub-app's part of a user's data, in registry order.
    pub fn personal_data(
        &self,
    ) -> impl Iterator<Item = &'static dyn super::personal_data::PersonalData> + '_ {
        self.personal_data.iter().copied()
    }
}
