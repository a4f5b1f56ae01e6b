//! `hud serve` with zero configuration: a private PostgreSQL under the data dir, shared with
//! other `hud` commands, stopped when the server exits.

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::common::scratch_dir;

fn hud() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hud"));
    cmd.env_remove("DATABASE_URL").env("HUD_LOG_FORMAT", "json");
    cmd
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread")]
async fn zero_config_serve_with_private_postgres() {
    let dir = scratch_dir();
    let port = free_port();
    let mut server = hud()
        .args(["serve"])
        .env("HUD_DATA_DIR", &dir)
        .env("HUD_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    hud::apps::wordcloud::fetch::install_crypto_provider();
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let ready = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ready {
            break;
        }
        if let Ok(Some(status)) = server.try_wait() {
            panic!("hud serve exited early: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "hud serve did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(dir.join("postgres/PG_VERSION").exists());
    assert!(
        dir.join("secret_key").exists(),
        "secret generated into the data dir"
    );

    // Another command joins the running cluster.
    let create = hud()
        .args(["users", "create", "--admin", "root"])
        .env("HUD_DATA_DIR", &dir)
        .env("HUD_ADMIN_PASSWORD", "a long enough admin passphrase")
        .output()
        .unwrap();
    assert!(
        create.status.success(),
        "{}",
        String::from_utf8_lossy(&create.stderr)
    );
    let list = hud()
        .args(["users", "list"])
        .env("HUD_DATA_DIR", &dir)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("root"));
    assert!(
        dir.join("postgres/postmaster.pid").exists(),
        "the joining command left it running"
    );

    // SIGTERM: graceful exit, and the cluster it started is stopped.
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(server.id() as i32, libc::SIGTERM) };
    let status = server.wait().unwrap();
    assert!(status.success(), "clean exit: {status}");
    assert!(
        !dir.join("postgres/postmaster.pid").exists(),
        "private PostgreSQL stopped"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn refuses_a_short_secret_key() {
    let dir = scratch_dir();
    let out = hud()
        .args(["users", "list"])
        .env("DATABASE_URL", crate::common::database_url())
        .env("HUD_SECRET_KEY", "short")
        .env("HUD_DATA_DIR", &dir)
        .output()
        .unwrap();
    // `users list` does not need the key; `serve` validates it before listening.
    assert!(out.status.success());
    let out = hud()
        .args(["serve"])
        .env("DATABASE_URL", crate::common::database_url())
        .env("HUD_SECRET_KEY", "short")
        .env("HUD_BIND", "127.0.0.1:0")
        .env("HUD_DATA_DIR", &dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HUD_SECRET_KEY must be at least 32"));
}

/// A data dir under a 0700 parent (a checkout under `/root` in a container): as root the
/// server runs as `postgres`, which cannot reach it, so the cluster must live elsewhere.
#[test]
fn a_data_dir_under_a_private_parent_still_gets_a_cluster() {
    use std::os::unix::fs::PermissionsExt;
    let base = scratch_dir();
    let private = base.join("home");
    std::fs::create_dir(&private).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    let data = private.join("data");
    let list = hud()
        .args(["users", "list"])
        .env("HUD_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    // SAFETY: geteuid has no preconditions.
    let cluster = if unsafe { libc::geteuid() } == 0 {
        let named = std::fs::read_to_string(data.join("postgres.location"))
            .expect("the data dir names the cluster kept outside it");
        assert!(named.starts_with("/var/lib/hud-postgres/"), "{named}");
        std::path::PathBuf::from(named)
    } else {
        data.join("postgres")
    };
    assert!(cluster.join("PG_VERSION").exists());
    assert!(
        !cluster.join("postmaster.pid").exists(),
        "the command stopped the cluster it started"
    );
    // The same data dir finds the same cluster again.
    let again = hud()
        .args(["users", "list"])
        .env("HUD_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(again.status.success());
    if cluster != data.join("postgres") {
        assert!(!data.join("postgres").exists(), "one cluster per data dir");
    }
    if cluster.starts_with("/var/lib/hud-postgres") {
        std::fs::remove_dir_all(&cluster).unwrap();
    }
    let _ = std::fs::remove_dir_all(&base);
}
