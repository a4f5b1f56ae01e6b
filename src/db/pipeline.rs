//! Pipelined reads: a few PostgreSQL connections shared by every request, for read-only
//! queries of pages whose results are not cached.
//!
//! Why a second driver: sqlx's pool lends a connection to one query at a time and, every time
//! the connection comes back, spends a round trip checking it (sqlx 0.8 and 0.9 alike). A
//! one-query page thus costs PostgreSQL two wake-ups, and the connection idles while answers
//! travel. tokio-postgres lets many tasks share one connection: their queries are written back
//! to back and PostgreSQL answers them in order without waiting for the client in between (the
//! protocol's pipelining). On this machine a bare axum handler reading 20 rows did 11.3k req/s
//! through the sqlx pool and 20.8k through two pipelined connections (bench/RESULTS.md).
//!
//! How to use it: `state.reads.query(SQL, &[&a, &b])` with a `&'static str` statement — it is
//! prepared once per connection and reused. Decode with `row.try_get(i)` and map errors with
//! `?` (they become [`crate::web::AppError`]s). Writes, transactions, and everything the
//! model-cache layer memoizes stay on the sqlx pool (`state.db`), whose queries are checked at
//! compile time; keep pipelined statements short and covered by a test.
//!
//! A broken connection is replaced on its next use; the query that found it broken fails (a
//! 503 page, never a panic). TLS follows the `sslmode` of `DATABASE_URL` with libpq's meaning:
//! `disable` none, `prefer`/`require` encrypted without checking the certificate, `verify-ca` /
//! `verify-full` checked against the Web PKI roots.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicUsize, Ordering},
    },
    time::Instant,
};

use sqlx::postgres::{PgConnectOptions, PgSslMode};

use tokio_postgres::{Client, NoTls, Row, Statement, config::SslMode, types::ToSql};

use crate::{config::Config, telemetry::timing};

/// Errors of pipelined reads.
pub type Error = tokio_postgres::Error;

/// Shared, pipelined read connections.
pub struct Pipeline {
    slots: Box<[Slot]>,
    next: AtomicUsize,
    config: tokio_postgres::Config,
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("connections", &self.slots.len())
            .finish()
    }
}

#[derive(Default)]
struct Slot {
    current: RwLock<Option<Arc<Connection>>>,
    /// Serialises reconnecting, so a broken connection is replaced once, not once per waiter.
    connecting: tokio::sync::Mutex<()>,
}

struct Connection {
    client: Client,
    statements: Mutex<HashMap<&'static str, Statement>>,
}

impl Pipeline {
    /// `HUD_DB_READ_CONNECTIONS` connections to the database of `pool`.
    pub fn for_pool(pool: &sqlx::PgPool, config: &Config) -> Self {
        let password = config.database_url.as_deref().and_then(url_password);
        Pipeline::new(
            &pool.connect_options(),
            password.as_deref(),
            config.read_connections(),
        )
    }

    /// Connections for the same database as `options` (plus the password, which sqlx's options
    /// do not give back). Connects lazily, on first use.
    pub fn new(options: &PgConnectOptions, password: Option<&str>, connections: usize) -> Self {
        let mut config = tokio_postgres::Config::new();
        match options.get_socket() {
            Some(dir) => config.host_path(dir),
            None => config.host(options.get_host()),
        };
        config
            .port(options.get_port())
            .user(options.get_username())
            .application_name("hud-reads");
        if let Some(database) = options.get_database() {
            config.dbname(database);
        }
        if let Some(password) = password {
            config.password(password);
        }
        let (mode, tls) = match options.get_ssl_mode() {
            _ if options.get_socket().is_some() => (SslMode::Disable, None),
            PgSslMode::Disable => (SslMode::Disable, None),
            PgSslMode::Allow | PgSslMode::Prefer => (SslMode::Prefer, Some(tls(false))),
            PgSslMode::Require => (SslMode::Require, Some(tls(false))),
            PgSslMode::VerifyCa | PgSslMode::VerifyFull => (SslMode::Require, Some(tls(true))),
        };
        config.ssl_mode(mode);
        Pipeline {
            slots: (0..connections.max(1)).map(|_| Slot::default()).collect(),
            next: AtomicUsize::new(0),
            config,
            tls,
        }
    }

    /// Run a read-only statement and return all its rows.
    pub async fn query(
        &self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, Error> {
        let started = Instant::now();
        let slot = &self.slots[self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len()];
        let connection = self.connection(slot).await?;
        let statement = connection.statement(sql).await?;
        let rows = connection.client.query(&statement, params).await;
        // Counted as database time in the response's `Server-Timing`.
        timing::record_db(started.elapsed());
        rows
    }

    async fn connection(&self, slot: &Slot) -> Result<Arc<Connection>, Error> {
        if let Some(c) = live(slot) {
            return Ok(c);
        }
        let _connecting = slot.connecting.lock().await;
        if let Some(c) = live(slot) {
            return Ok(c);
        }
        let client = match &self.tls {
            None => {
                let (client, connection) = self.config.connect(NoTls).await?;
                tokio::spawn(drive(connection));
                client
            }
            Some(tls) => {
                let (client, connection) = self.config.connect(tls.clone()).await?;
                tokio::spawn(drive(connection));
                client
            }
        };
        let connection = Arc::new(Connection {
            client,
            statements: Mutex::default(),
        });
        *slot.current.write().unwrap_or_else(|e| e.into_inner()) = Some(connection.clone());
        Ok(connection)
    }
}

impl Connection {
    async fn statement(&self, sql: &'static str) -> Result<Statement, Error> {
        let cached = self
            .statements
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(sql)
            .cloned();
        if let Some(statement) = cached {
            return Ok(statement);
        }
        let statement = self.client.prepare(sql).await?;
        self.statements
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(sql, statement.clone());
        Ok(statement)
    }
}

fn live(slot: &Slot) -> Option<Arc<Connection>> {
    slot.current
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .filter(|c| !c.client.is_closed())
        .cloned()
}

/// The password in a PostgreSQL URL (percent-decoded), else `PGPASSWORD`: what sqlx uses, for
/// the pipelined connections (sqlx's options do not give it back).
fn url_password(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    match parsed.password() {
        Some(encoded) => Some(
            percent_encoding::percent_decode_str(encoded)
                .decode_utf8_lossy()
                .into_owned(),
        ),
        None => std::env::var("PGPASSWORD").ok(),
    }
}

/// Run a connection's I/O until it closes (the client then reports `is_closed`).
async fn drive<S, T>(connection: tokio_postgres::Connection<S, T>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    if let Err(error) = connection.await {
        tracing::warn!(%error, "pipelined PostgreSQL connection closed");
    }
}

/// TLS for the connections: certificates checked against the Web PKI roots, or (libpq's
/// `prefer`/`require`) not checked at all.
fn tls(verify: bool) -> tokio_postgres_rustls::MakeRustlsConnect {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions");
    let config = if verify {
        let roots =
            rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(unverified::AnyCertificate(provider)))
            .with_no_client_auth()
    };
    tokio_postgres_rustls::MakeRustlsConnect::new(config)
}

mod unverified {
    //! libpq's `sslmode=require`: the channel is encrypted and the handshake signatures are
    //! checked, but any certificate is accepted (as sqlx and libpq do in that mode).

    use std::sync::Arc;

    use rustls::{
        DigitallySignedStruct, SignatureScheme,
        client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
        crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature},
        pki_types::{CertificateDer, ServerName, UnixTime},
    };

    #[derive(Debug)]
    pub struct AnyCertificate(pub Arc<CryptoProvider>);

    impl ServerCertVerifier for AnyCertificate {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls12_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls13_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_follows_sslmode_like_libpq() {
        for (url, tls) in [
            ("postgres://u@db.example/hud?sslmode=disable", false),
            ("postgres://u@db.example/hud?sslmode=prefer", true),
            ("postgres://u@db.example/hud?sslmode=require", true),
            ("postgres://u@db.example/hud?sslmode=verify-full", true),
            // A Unix socket never carries TLS.
            (
                "postgres://u@localhost/hud?host=/run/postgresql&sslmode=require",
                false,
            ),
        ] {
            let options: PgConnectOptions = url.parse().unwrap();
            assert_eq!(Pipeline::new(&options, None, 2).tls.is_some(), tls, "{url}");
        }
    }

    #[test]
    fn password_comes_from_the_url_decoded() {
        assert_eq!(
            url_password("postgres://hud:p%40ss%2Fword@db.example/hud").as_deref(),
            Some("p@ss/word")
        );
    }
}
