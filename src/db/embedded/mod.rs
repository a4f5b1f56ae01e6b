//! A private PostgreSQL cluster under the data dir, so `hud serve` needs no configuration.
//!
//! The first HUD process to need it runs `initdb` (once) and `pg_ctl start`; it listens only on
//! a Unix socket in the cluster directory (no TCP), with `trust` authentication limited by the
//! socket's 0700 permissions. Later `hud` commands find it running and reuse it. The process
//! that started it stops it when it exits (drop of [`EmbeddedPostgres`]). A file lock makes the
//! start-or-reuse decision safe when several commands start at once. As root, the server
//! binaries run as the `postgres` user, as PostgreSQL refuses to run as root. A cluster path
//! too long for a socket puts the socket in a private directory under /tmp ([`socket_dir`]); a
//! data dir the `postgres` user cannot reach puts the cluster outside it ([`cluster_dir`]).

mod cluster_dir;
mod socket_dir;

use std::{
    fs::{self, File},
    os::unix::{fs::PermissionsExt, process::CommandExt},
    path::{Path, PathBuf},
    process::{Command, Output},
};

use anyhow::{Context, bail};
use sqlx::postgres::PgConnectOptions;

/// Name of the superuser role and of the database HUD uses inside the private cluster.
const ROLE: &str = "hud";
const DATABASE: &str = "hud";

/// A running private cluster.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    cluster_dir: PathBuf,
    socket_dir: PathBuf,
    run_as: Option<(u32, u32)>,
    /// Whether this process started the server (and so must stop it).
    owned: bool,
}

impl EmbeddedPostgres {
    /// Start the cluster under `data_dir/postgres`, or join it when it is already running.
    pub fn start(data_dir: &Path) -> anyhow::Result<Self> {
        let bin_dir = find_bin_dir().context(
            "DATABASE_URL is not set and no PostgreSQL server binaries (initdb, pg_ctl, postgres) \
             were found on PATH or under /usr/lib/postgresql/*/bin. Install the PostgreSQL server \
             (Debian/Ubuntu: `apt install postgresql`; Fedora: `dnf install postgresql-server`; \
             macOS: `brew install postgresql`) or set DATABASE_URL to an existing server.",
        )?;
        fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create the data dir {}", data_dir.display()))?;
        let data_dir = data_dir.canonicalize()?;
        let run_as = if is_root() {
            Some(postgres_user()?)
        } else {
            None
        };
        // Held until the decision is made and the server is up.
        let lock = File::create(data_dir.join("postgres.lock"))?;
        lock.lock().context("locking the private cluster")?;
        let cluster_dir = cluster_dir::choose(&data_dir, run_as)?;
        let socket_dir = socket_dir::choose(&data_dir, &cluster_dir)?;

        let mut me = EmbeddedPostgres {
            bin_dir,
            cluster_dir,
            socket_dir,
            run_as,
            owned: false,
        };
        if me.socket_dir != me.cluster_dir {
            // Checked before joining too: a planted socket would receive our queries.
            let uid = me.run_as.map_or_else(euid, |(uid, _)| uid);
            socket_dir::secure(&me.socket_dir, uid)?;
            me.chown(&me.socket_dir)?;
        }
        if !me.cluster_dir.join("PG_VERSION").exists() {
            me.init()?;
        }
        if me.is_running() {
            tracing::info!(dir = %me.cluster_dir.display(), "joining the running private PostgreSQL");
        } else {
            me.start_server()?;
            me.owned = true;
            tracing::info!(dir = %me.cluster_dir.display(), "started the private PostgreSQL");
        }
        drop(lock);
        Ok(me)
    }

    /// Connection options for the `hud` database over the Unix socket.
    pub fn connect_options(&self) -> PgConnectOptions {
        self.maintenance_options().database(DATABASE)
    }

    /// Connection options for the `postgres` maintenance database (to create `hud`).
    pub fn maintenance_options(&self) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .username(ROLE)
            .database("postgres")
    }

    /// Create the `hud` database unless it exists (tolerating a concurrent creator).
    pub async fn ensure_database(&self) -> anyhow::Result<()> {
        use sqlx::{Connection, PgConnection};
        let mut conn = PgConnection::connect_with(&self.maintenance_options()).await?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(DATABASE)
                .fetch_one(&mut conn)
                .await?;
        if !exists {
            // Identifier, not a value: a constant, so no quoting concerns.
            let created = sqlx::query(&format!("CREATE DATABASE {DATABASE}"))
                .execute(&mut conn)
                .await;
            if let Err(sqlx::Error::Database(e)) = &created {
                if e.code().as_deref() != Some("42P04") {
                    created?;
                }
            } else {
                created?;
            }
        }
        conn.close().await?;
        Ok(())
    }

    /// Whether this process started the server.
    pub fn owned(&self) -> bool {
        self.owned
    }

    fn init(&self) -> anyhow::Result<()> {
        // A half-initialised directory from an interrupted initdb must not block us forever.
        if self.cluster_dir.exists() {
            fs::remove_dir_all(&self.cluster_dir)?;
        }
        fs::create_dir_all(&self.cluster_dir)?;
        fs::set_permissions(&self.cluster_dir, fs::Permissions::from_mode(0o700))?;
        self.chown(&self.cluster_dir)?;
        let dir = self.cluster_dir.to_string_lossy().into_owned();
        let base = [
            "-D",
            &dir,
            "-U",
            ROLE,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-instructions",
        ];
        let mut args: Vec<&str> = base.to_vec();
        args.push("--locale=C.UTF-8");
        let out = self.run("initdb", &args)?;
        if !out.status.success() {
            // Older systems lack the C.UTF-8 locale.
            fs::remove_dir_all(&self.cluster_dir)?;
            fs::create_dir_all(&self.cluster_dir)?;
            fs::set_permissions(&self.cluster_dir, fs::Permissions::from_mode(0o700))?;
            self.chown(&self.cluster_dir)?;
            let mut args = base.to_vec();
            args.push("--locale=C");
            let out = self.run("initdb", &args)?;
            if !out.status.success() {
                bail!("initdb failed: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
        let socket_dir = self.socket_dir.to_string_lossy();
        let conf = format!(
            "\n# Written by HUD: private cluster, reachable only through its Unix socket.\n\
             listen_addresses = ''\n\
             unix_socket_directories = '{socket_dir}'\n\
             unix_socket_permissions = 0700\n\
             max_connections = 200\n"
        );
        let conf_path = self.cluster_dir.join("postgresql.conf");
        let mut existing = fs::read_to_string(&conf_path)?;
        existing.push_str(&conf);
        fs::write(&conf_path, existing)?;
        Ok(())
    }

    fn is_running(&self) -> bool {
        let dir = self.cluster_dir.to_string_lossy().into_owned();
        matches!(self.run("pg_ctl", &["status", "-D", &dir]), Ok(out) if out.status.success())
    }

    fn start_server(&self) -> anyhow::Result<()> {
        let dir = self.cluster_dir.to_string_lossy().into_owned();
        let log = self
            .cluster_dir
            .join("server.log")
            .to_string_lossy()
            .into_owned();
        // The socket directory is given at every start, not only in postgresql.conf, so a
        // cluster initialised by an older HUD (another /tmp name) follows the recorded one.
        // `socket_dir` names under /tmp are hex only: safe in pg_ctl's shell command line.
        let socket = format!("-k {}", self.socket_dir.to_string_lossy());
        let mut args = vec!["start", "-w", "-t", "60", "-D", &dir, "-l", &log];
        if self.socket_dir != self.cluster_dir {
            args.extend(["-o", &socket]);
        }
        let out = self.run("pg_ctl", &args)?;
        if !out.status.success() {
            let tail = fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(10).collect();
            bail!(
                "the private PostgreSQL did not start: {}\n{}",
                String::from_utf8_lossy(&out.stderr).trim(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        Ok(())
    }

    fn stop(&self) {
        let dir = self.cluster_dir.to_string_lossy().into_owned();
        match self.run("pg_ctl", &["stop", "-w", "-m", "fast", "-D", &dir]) {
            Ok(out) if out.status.success() => tracing::info!("stopped the private PostgreSQL"),
            Ok(out) => tracing::error!(
                stderr = %String::from_utf8_lossy(&out.stderr),
                "stopping the private PostgreSQL failed"
            ),
            Err(error) => tracing::error!(%error, "stopping the private PostgreSQL failed"),
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> anyhow::Result<Output> {
        let mut cmd = Command::new(self.bin_dir.join(program));
        cmd.args(args);
        self.as_postgres(cmd)
            .output()
            .with_context(|| format!("running {program}"))
    }

    fn as_postgres(&self, cmd: Command) -> Command {
        let mut cmd = cmd;
        // pg tools must not inherit a client environment pointing elsewhere.
        cmd.env_remove("PGHOST")
            .env_remove("PGPORT")
            .env_remove("PGDATABASE");
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid).current_dir("/");
        }
        cmd
    }

    fn chown(&self, path: &Path) -> anyhow::Result<()> {
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(path, Some(uid), Some(gid))
                .with_context(|| format!("chown {} to postgres", path.display()))?;
        }
        Ok(())
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        if self.owned {
            self.stop();
        }
    }
}

fn find_bin_dir() -> Option<PathBuf> {
    let has_all = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| dir.join(b).is_file())
    };
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            // Debian's /usr/bin wrappers (pg_wrapper) do not provide initdb; require all three.
            if has_all(&dir) {
                return Some(dir);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(std::result::Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_all(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir)
}

fn is_root() -> bool {
    euid() == 0
}

fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// uid and gid of the `postgres` system user.
fn postgres_user() -> anyhow::Result<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd")?;
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&"postgres") && fields.len() > 3)
                .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
                .flatten()
        })
        .context(
            "HUD runs as root, and PostgreSQL refuses to run as root, but there is no `postgres` \
             user to run it as. Run HUD as an ordinary user, create a `postgres` user, or set \
             DATABASE_URL.",
        )
}
