//! `AppState`: what every handler can reach. Cheap to clone (everything behind `Arc`s).

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    fs,
    io::Write,
    os::unix::fs::OpenOptionsExt,
    path::Path,
    sync::Arc,
};

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
    /// Per-process state of sub-apps (a search index, decoded models), one value per type,
    /// created on first use: the web layer holds it without knowing the apps' types.
    local: std::sync::RwLock<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Shared {
    /// This process's value of type `T` (created with `T::default()` on first use).
    pub fn local<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let found = self
            .local
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&TypeId::of::<T>())
            .cloned();
        let value = match found {
            Some(value) => value,
            None => self
                .local
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .entry(TypeId::of::<T>())
                .or_insert_with(|| Arc::new(T::default()))
                .clone(),
        };
        // Keyed by `T`'s own type id, so the value is a `T`.
        value
            .downcast::<T>()
            .unwrap_or_else(|_| Arc::new(T::default()))
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
        Ok(AppState(Arc::new(Shared {
            cache,
            local: Default::default(),
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
    let secret = match &config.secret_key {
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
