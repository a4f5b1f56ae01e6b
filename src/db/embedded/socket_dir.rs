//! Where the private cluster's Unix socket lives, and why it can be trusted.
//!
//! The socket goes into the cluster directory (created 0700 by HUD) whenever the path fits the
//! ~107-byte limit of Unix socket paths. A longer one needs a directory under /tmp, which every
//! user can write to: a predictable name there lets another local user create the directory
//! first and plant a socket of their own, to which `hud` would then send its queries. So the
//! name is random (chosen once per data dir and recorded in `postgres.socket`, which later
//! commands read to join the cluster), the directory is created with mode 0700 and never
//! reused from `create_dir_all`, and one that exists but is not a plain directory owned by the
//! server's user, closed to everyone else, is refused.

use std::{
    fs::{self, DirBuilder},
    io::ErrorKind,
    os::unix::fs::{DirBuilderExt, MetadataExt},
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};

/// Unix sockets have a ~107-byte path limit; longer cluster paths put the socket under /tmp.
const MAX_SOCKET_DIR_LEN: usize = 90;
/// The file in the data dir naming the socket directory under /tmp.
const RECORD: &str = "postgres.socket";

/// The socket directory of the cluster at `cluster_dir` (in `data_dir`): the cluster directory
/// itself when short enough, else the random /tmp directory recorded in the data dir (chosen
/// now if there is none). Call with the cluster lock held.
pub fn choose(data_dir: &Path, cluster_dir: &Path) -> anyhow::Result<PathBuf> {
    if cluster_dir.as_os_str().len() <= MAX_SOCKET_DIR_LEN {
        return Ok(cluster_dir.to_path_buf());
    }
    let record = data_dir.join(RECORD);
    match fs::read_to_string(&record) {
        Ok(text) if valid_name(text.trim()) => return Ok(PathBuf::from(text.trim())),
        Ok(_) => {
            tracing::warn!(file = %record.display(), "ignoring a malformed socket directory record");
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", record.display())),
    }
    // 122 random bits, written as hex.
    let dir = PathBuf::from(format!("/tmp/hud-pg-{}", uuid::Uuid::new_v4().simple()));
    fs::write(&record, dir.as_os_str().as_encoded_bytes())
        .with_context(|| format!("writing {}", record.display()))?;
    Ok(dir)
}

/// Only names HUD itself writes (no `..`, no quotes for postgresql.conf or the pg_ctl shell).
fn valid_name(path: &str) -> bool {
    path.strip_prefix("/tmp/hud-pg-")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Make sure `dir` is a directory only `uid` can enter: create it (mode 0700, not recursively,
/// so an existing one is never silently adopted) or accept an existing one only when it is a
/// real directory (not a symlink) owned by `uid` with no group or other permissions.
pub fn secure(dir: &Path, uid: u32) -> anyhow::Result<()> {
    match DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e).with_context(|| format!("creating {}", dir.display())),
    }
    let meta =
        fs::symlink_metadata(dir).with_context(|| format!("inspecting {}", dir.display()))?;
    if !meta.file_type().is_dir() {
        bail!(
            "{} exists and is not a directory; refusing to put the private PostgreSQL's \
             socket there (remove it or set DATABASE_URL)",
            dir.display()
        );
    }
    if meta.uid() != uid {
        bail!(
            "{} belongs to another user (uid {}); refusing to put the private PostgreSQL's \
             socket there (remove it or set DATABASE_URL)",
            dir.display(),
            meta.uid()
        );
    }
    if meta.mode() & 0o077 != 0 {
        bail!(
            "{} is open to other users (mode {:o}); refusing to put the private PostgreSQL's \
             socket there (remove it or set DATABASE_URL)",
            dir.display(),
            meta.mode() & 0o777
        );
    }
    Ok(())
}
