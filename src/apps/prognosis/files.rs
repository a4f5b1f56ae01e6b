//! Model files under `HUD_DATA_DIR/models`: written once (to a temporary name, synced, then
//! renamed, so a crash never leaves half a file under a real name) and read with their
//! checksum verified against the database.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::Context;

use super::ml::{Model, ModelFileError};

/// The folder under `HUD_DATA_DIR`.
pub const DIR: &str = "models";

/// The BLAKE3 checksum stored in a model file's last 32 bytes, hex (what the database keeps).
/// `None` for bytes too short to be a model file.
pub fn checksum_of(bytes: &[u8]) -> Option<String> {
    let tail = bytes.get(bytes.len().checked_sub(32)?..)?;
    Some(tail.iter().map(|b| format!("{b:02x}")).collect())
}

/// Write a model file; returns its path relative to `data_dir` and its checksum.
pub fn write(data_dir: &Path, model: &Model) -> anyhow::Result<(String, String, usize)> {
    let bytes = model.to_bytes();
    let checksum = checksum_of(&bytes).context("empty model file")?;
    let relative = format!(
        "{DIR}/{}-{}.hudmodel",
        model.algorithm().slug(),
        &checksum[..16]
    );
    let dir = data_dir.join(DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = data_dir.join(&relative);
    let temporary = dir.join(format!(".{}.tmp", uuid::Uuid::new_v4()));
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &path)
    })();
    if let Err(error) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(error).with_context(|| format!("writing {}", path.display()));
    }
    Ok((relative, checksum, bytes.len()))
}

/// Why a stored model cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file is missing or unreadable.
    #[error("cannot read model file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a valid model file.
    #[error("model file {path} is invalid: {source}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Why.
        source: ModelFileError,
    },
    /// A valid model file, but not the one the database recorded.
    #[error("model file {path} does not have the recorded checksum")]
    Replaced {
        /// The file.
        path: PathBuf,
    },
}

/// Read and verify a model file (blocking: call from `spawn_blocking`).
pub fn read(data_dir: &Path, relative: &str, checksum: &str) -> Result<Model, LoadError> {
    let path = data_dir.join(relative);
    let bytes = std::fs::read(&path).map_err(|source| LoadError::Io {
        path: path.clone(),
        source,
    })?;
    let model = Model::from_bytes(&bytes).map_err(|source| LoadError::Invalid {
        path: path.clone(),
        source,
    })?;
    if checksum_of(&bytes).as_deref() != Some(checksum) {
        return Err(LoadError::Replaced { path });
    }
    Ok(model)
}
