//! Finding 15, the embedded cluster's socket directory: a data dir whose path is too long for a
//! Unix socket puts the socket under /tmp. Its name used to be a hash of the path, so another
//! local user could create that directory first and have HUD put its socket (or trust a fake
//! one) in a directory they control. Now the name is random, the directory private, and one
//! that belongs to someone else is refused.

use std::{
    os::unix::fs::PermissionsExt,
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::common::scratch_dir;

/// A data dir whose cluster path (`…/postgres`) is longer than a socket path may be.
fn long_data_dir() -> std::path::PathBuf {
    let dir = scratch_dir().join("d".repeat(80));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn migrate(data_dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hud"))
        .arg("migrate")
        .env_remove("DATABASE_URL")
        .env("HUD_DATA_DIR", data_dir)
        .env("HUD_LOG_FORMAT", "json")
        .output()
        .unwrap()
}

/// A directory as another local user would plant it: theirs (when the test may give it away)
/// and open to everyone.
fn plant(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(dir, Some(65534), Some(65534)).unwrap();
    }
}

/// Stops the server (and so its cluster) however the test ends.
struct Stop(std::process::Child);

impl Drop for Stop {
    fn drop(&mut self) {
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_planted_directory_at_the_old_predictable_name_is_not_used() {
    let data_dir = long_data_dir();
    let cluster = data_dir.canonicalize().unwrap().join("postgres");
    let hash = blake3::hash(cluster.as_os_str().as_encoded_bytes()).to_hex();
    let predictable = Path::new("/tmp").join(format!("hud-pg-{}", &hash[..16]));
    plant(&predictable);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Command::new(env!("CARGO_BIN_EXE_hud"))
        .arg("serve")
        .env_remove("DATABASE_URL")
        .env("HUD_DATA_DIR", &data_dir)
        .env("HUD_BIND", format!("127.0.0.1:{port}"))
        .env("HUD_WORKERS", "0")
        .env("HUD_CACHE_WARM", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Stop(server);
    hud::apps::wordcloud::fetch::install_crypto_provider();
    // While the server runs, its socket is where only its user can reach it.
    let ready = format!("http://127.0.0.1:{port}/readyz");
    let started = Instant::now();
    while !reqwest::get(&ready)
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "server never became ready"
        );
        assert!(server.0.try_wait().unwrap().is_none(), "server exited");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let entries = std::fs::read_dir(&predictable).unwrap().count();
    let chosen = std::fs::read_to_string(data_dir.join("postgres.socket")).unwrap_or_default();
    let chosen = chosen.trim().to_owned();
    let socket_there = Path::new(&chosen).join(".s.PGSQL.5432").exists();
    let mode = std::fs::metadata(&chosen).map(|m| m.permissions().mode());
    drop(server);
    assert_eq!(entries, 0, "nothing of HUD's in the planted directory");
    assert!(chosen.starts_with("/tmp/hud-pg-"), "{chosen:?}");
    assert_ne!(Path::new(&chosen), predictable);
    assert!(socket_there, "the socket is in {chosen}");
    assert_eq!(mode.unwrap() & 0o777, 0o700, "private");
    let _ = std::fs::remove_dir_all(&predictable);
    let _ = std::fs::remove_dir_all(&chosen);
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[test]
fn a_socket_directory_taken_over_by_another_user_is_refused() {
    let data_dir = long_data_dir();
    // The name is random, but once known (the data dir may be readable) the directory can be
    // planted after /tmp is cleaned, e.g. at a reboot.
    let taken = format!("/tmp/hud-pg-{}", uuid::Uuid::new_v4().simple());
    std::fs::write(data_dir.join("postgres.socket"), &taken).unwrap();
    plant(Path::new(&taken));
    let out = migrate(&data_dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("refusing to put the private PostgreSQL's socket there"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(&taken).unwrap().count(), 0);
    let _ = std::fs::remove_dir_all(&taken);
    let _ = std::fs::remove_dir_all(&data_dir);
}
