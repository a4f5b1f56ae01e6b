//! The models loaded in this process: each model file is read, verified and decoded once, then
//! shared by every prediction.
//!
//! An entry is keyed by model id and file checksum and is used only while the cached model list
//! ([`super::catalog::MODELS`], invalidated in every process by any write) still shows that
//! model active with that checksum; [`Registry::retain`] drops the others. So retiring or
//! adding a model in one process changes what every process predicts with, without a restart.

use std::{
    collections::HashMap,
    path::Path,
    sync::{Arc, Mutex, PoisonError},
};

use super::{
    catalog::ModelMeta,
    files::{self, LoadError},
    ml::Model,
};

struct Loaded {
    checksum: String,
    model: Arc<Model>,
}

/// Decoded models by id.
#[derive(Default)]
pub struct Registry {
    loaded: Mutex<HashMap<i64, Loaded>>,
}

impl Registry {
    /// The decoded model of `meta`, read from its file on first use.
    pub async fn get(&self, data_dir: &Path, meta: &ModelMeta) -> Result<Arc<Model>, LoadError> {
        if let Some(model) = self.cached(meta) {
            return Ok(model);
        }
        let (dir, file, checksum) = (
            data_dir.to_owned(),
            meta.file_path.clone(),
            meta.checksum.clone(),
        );
        let model = tokio::task::spawn_blocking(move || files::read(&dir, &file, &checksum))
            .await
            .map_err(|e| LoadError::Io {
                path: data_dir.join(&meta.file_path),
                source: std::io::Error::other(e),
            })??;
        let model = Arc::new(model);
        self.lock().insert(
            meta.id,
            Loaded {
                checksum: meta.checksum.clone(),
                model: model.clone(),
            },
        );
        Ok(model)
    }

    fn cached(&self, meta: &ModelMeta) -> Option<Arc<Model>> {
        self.lock()
            .get(&meta.id)
            .filter(|l| l.checksum == meta.checksum)
            .map(|l| l.model.clone())
    }

    /// Forget every model that `models` does not show active with the same checksum.
    pub fn retain(&self, models: &[ModelMeta]) {
        self.lock().retain(|id, loaded| {
            models
                .iter()
                .any(|m| m.id == *id && m.active && m.checksum == loaded.checksum)
        });
    }

    /// How many models are loaded.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Loaded>> {
        // The map is never left half-updated, so a panic elsewhere does not poison its data.
        self.loaded.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
