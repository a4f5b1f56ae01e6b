//! Where the private cluster's files live.
//!
//! Normally in `data_dir/postgres`. As root, the server runs as the `postgres` user, which
//! must be able to walk down to that directory: a data dir under a private parent (a checkout
//! under `/root`, mode 0700, the default in containers) is out of its reach, and initdb fails
//! with "Permission denied". Rather than loosen the permissions of the user's own
//! directories, the cluster then lives under `/var/lib/hud-postgres/`, in a directory named
//! by a digest of the data dir's canonical path: the same place every time for one data dir,
//! so every later `hud` command finds the same cluster, and a different one per data dir.
//! The data dir gets a `postgres.location` file naming it, for the operator who looks for
//! the database or wants to delete it with the data dir.

use std::{
    fs::{self, DirBuilder},
    os::unix::fs::{DirBuilderExt, MetadataExt},
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};

/// The parent of clusters moved out of a data dir the `postgres` user cannot reach.
const SHARED_HOME: &str = "/var/lib/hud-postgres";
/// The file in the data dir that names a cluster kept elsewhere (written, never trusted).
const LOCATION_NOTE: &str = "postgres.location";

/// The cluster directory for `data_dir` (canonical). `run_as` is the server's (uid, gid)
/// when HUD runs as root.
pub fn choose(data_dir: &Path, run_as: Option<(u32, u32)>) -> anyhow::Result<PathBuf> {
    let inside = data_dir.join("postgres");
    let Some((uid, gid)) = run_as else {
        return Ok(inside);
    };
    // An existing cluster stays where it is, and a reachable data dir keeps its cluster.
    if inside.join("PG_VERSION").exists() || reachable(data_dir, uid, gid) {
        return Ok(inside);
    }
    let home = Path::new(SHARED_HOME);
    shared_home(home).with_context(|| {
        format!(
            "the postgres user cannot reach {} (a parent directory is closed to it) and \
             {SHARED_HOME} is not usable: run HUD as an ordinary user, set HUD_DATA_DIR to a \
             directory the postgres user can reach, or set DATABASE_URL",
            data_dir.display()
        )
    })?;
    let digest = blake3::hash(data_dir.as_os_str().as_encoded_bytes());
    let cluster = home.join(&digest.to_hex()[..16]);
    let note = data_dir.join(LOCATION_NOTE);
    if fs::read(&note).ok().as_deref() != Some(cluster.as_os_str().as_encoded_bytes()) {
        fs::write(&note, cluster.as_os_str().as_encoded_bytes())
            .with_context(|| format!("writing {}", note.display()))?;
    }
    tracing::info!(
        data_dir = %data_dir.display(),
        cluster = %cluster.display(),
        "the postgres user cannot reach the data dir; the private PostgreSQL lives outside it"
    );
    Ok(cluster)
}

/// Whether `uid`/`gid` (without supplementary groups, as the server is started: std drops
/// them when root switches user) may search every directory from `/` down to `dir`.
pub fn reachable(dir: &Path, uid: u32, gid: u32) -> bool {
    dir.ancestors().all(|step| {
        fs::metadata(step).is_ok_and(|meta| {
            let bit = if meta.uid() == uid {
                0o100
            } else if meta.gid() == gid {
                0o010
            } else {
                0o001
            };
            meta.mode() & bit != 0
        })
    })
}

/// Create the shared home (root's, open to traverse, closed to writes), or accept an existing
/// one only when it is exactly that: another user's or a world-writable directory there could
/// swap a cluster under us.
fn shared_home(home: &Path) -> anyhow::Result<()> {
    match DirBuilder::new().mode(0o755).create(home) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e).with_context(|| format!("creating {}", home.display())),
    }
    let meta = fs::symlink_metadata(home)?;
    if !meta.file_type().is_dir() || meta.uid() != 0 || meta.mode() & 0o022 != 0 {
        bail!(
            "{} must be a directory owned by root and writable only by root",
            home.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_private_parent_is_unreachable_and_an_open_one_is_not() {
        let base = std::env::temp_dir().join(format!("hud-reach-{}", std::process::id()));
        let private = base.join("private");
        let data = private.join("data");
        fs::create_dir_all(&data).unwrap();
        fs::set_permissions(&base, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(&private, fs::Permissions::from_mode(0o700)).unwrap();
        // A uid/gid that owns nothing here: only the "other" bits count.
        let (uid, gid) = (65_000, 65_000);
        assert!(!reachable(&data, uid, gid));
        fs::set_permissions(&private, fs::Permissions::from_mode(0o711)).unwrap();
        assert!(reachable(&data, uid, gid));
        fs::remove_dir_all(&base).unwrap();
    }
}
