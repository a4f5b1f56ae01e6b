//! One query, four ways to send it (see Cargo.toml): `/plain` (no database), `/pool` (sqlx pool,
//! as HUD had it: no ping before acquire, sqlx's ping on every release), `/conn` (sqlx
//! connections behind mutexes: no pings), `/tp` (shared, pipelined tokio-postgres connections).
//! Env: DATABASE_URL (sqlx URL), TP_URL (tokio-postgres key=value string), N (sqlx connections,
//! default 8), TPN (tokio-postgres connections, default 2). Listens on 127.0.0.1:8099.

use axum::{Router, extract::State, routing::get};
use chrono::{DateTime, Utc};
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The admin users list of HUD (20 rows in the benchmark database).
const Q: &str = "SELECT id, username, email, is_admin, preferred_language, timezone, avatar_version, created_at, last_login_at, count(*) OVER () AS total FROM users ORDER BY id LIMIT $1 OFFSET $2";

struct St {
    pool: sqlx::PgPool,
    clients: Vec<(tokio_postgres::Client, tokio_postgres::Statement)>,
    next: AtomicUsize,
    conns: Vec<tokio::sync::Mutex<sqlx::PgConnection>>,
}

fn render(rows: impl Iterator<Item = (i64, String, String, DateTime<Utc>)>) -> String {
    let mut s = String::with_capacity(8000);
    for (id, u, e, c) in rows {
        use std::fmt::Write;
        let _ = write!(
            s,
            "<tr><td>{id}</td><td>{u}</td><td>{e}</td><td>{c}</td></tr>"
        );
    }
    s
}

/// A row of the users query as sqlx decodes it.
type UserRow = (
    i64,
    String,
    String,
    bool,
    Option<String>,
    Option<String>,
    i32,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    i64,
);

fn render_sqlx(rows: Vec<UserRow>) -> String {
    render(rows.into_iter().map(|r| (r.0, r.1, r.2, r.7)))
}

async fn sqlx_pool(State(st): State<Arc<St>>) -> String {
    let rows: Vec<UserRow> = sqlx::query_as(Q)
        .bind(50i64)
        .bind(0i64)
        .fetch_all(&st.pool)
        .await
        .unwrap();
    render_sqlx(rows)
}
async fn sqlx_conn(State(st): State<Arc<St>>) -> String {
    let i = st.next.fetch_add(1, Ordering::Relaxed) % st.conns.len();
    let mut c = st.conns[i].lock().await;
    let rows: Vec<UserRow> = sqlx::query_as(Q)
        .bind(50i64)
        .bind(0i64)
        .fetch_all(&mut *c)
        .await
        .unwrap();
    drop(c);
    render_sqlx(rows)
}
async fn tp(State(st): State<Arc<St>>) -> String {
    let i = st.next.fetch_add(1, Ordering::Relaxed) % st.clients.len();
    let (c, stmt) = &st.clients[i];
    let rows = c.query(stmt, &[&50i64, &0i64]).await.unwrap();
    render(rows.iter().map(|r| {
        (
            r.get::<_, i64>(0),
            r.get::<_, String>(1),
            r.get::<_, String>(2),
            r.get::<_, DateTime<Utc>>(7),
        )
    }))
}

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL").unwrap();
    let tpurl = std::env::var("TP_URL").unwrap();
    let n: usize = std::env::var("N")
        .unwrap_or_else(|_| "8".into())
        .parse()
        .unwrap();
    let tpn: usize = std::env::var("TPN")
        .unwrap_or_else(|_| "2".into())
        .parse()
        .unwrap();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(n as u32)
        .test_before_acquire(false)
        .connect(&url)
        .await
        .unwrap();
    let mut clients = vec![];
    for _ in 0..tpn {
        let (c, conn) = tokio_postgres::connect(&tpurl, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let stmt = c.prepare(Q).await.unwrap();
        clients.push((c, stmt));
    }
    let mut conns = vec![];
    for _ in 0..n {
        use sqlx::Connection;
        conns.push(tokio::sync::Mutex::new(
            sqlx::PgConnection::connect(&url).await.unwrap(),
        ));
    }
    let st = Arc::new(St {
        pool,
        clients,
        next: AtomicUsize::new(0),
        conns,
    });
    let app = Router::new()
        .route("/pool", get(sqlx_pool))
        .route("/conn", get(sqlx_conn))
        .route("/tp", get(tp))
        .route("/plain", get(|| async { "ok" }))
        .with_state(st);
    let l = tokio::net::TcpListener::bind("127.0.0.1:8099")
        .await
        .unwrap();
    axum::serve(l, app).await.unwrap();
}
