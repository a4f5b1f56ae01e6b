//! `hud serve`: bind, serve with graceful shutdown, and run periodic housekeeping.

pub mod http;

use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tower_sessions::ExpiredDeletion;
use tower_sessions_sqlx_store::PostgresStore;

use crate::{AppState, db};

/// Serve `state` on its configured address until SIGTERM / Ctrl-C, then drain in-flight
/// requests for up to the configured grace period.
pub async fn run(state: AppState) -> anyhow::Result<()> {
    let listener = TcpListener::bind(state.config.server.bind)
        .await
        .with_context(|| format!("cannot listen on {}", state.config.server.bind))?;
    tracing::info!(address = %listener.local_addr()?, apps = ?state.apps.names(), "HUD is serving");
    let housekeeping = tokio::spawn(housekeeping(state.clone()));
    let background: Vec<_> = state
        .apps
        .iter()
        .filter_map(|app| app.background)
        .map(|start| start(&state))
        .collect();
    // Workers and the scheduler run in every `hud serve` unless HUD_WORKERS=0.
    let jobs = (state.config.jobs.workers > 0)
        .then(|| crate::workers::start(&state, state.config.jobs.workers, true));
    if state.config.cache.warm {
        let state = state.clone();
        tokio::spawn(async move { crate::web::warm::warm(&state).await });
    }
    let grace = state.config.server.shutdown_grace();
    let limits = http::Limits::of(&state.config);
    raise_open_file_limit(limits.max_connections);
    let app = crate::app(state);
    let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
    let server = http::serve(listener, app, limits, async move {
        shutdown_signal().await;
        tracing::info!("shutting down: draining in-flight requests");
        let _ = signalled_tx.send(());
    });
    let drained = async {
        let _ = signalled_rx.await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        () = server => {}
        () = drained => tracing::warn!("grace period over; closing remaining connections"),
    }
    housekeeping.abort();
    for task in background {
        task.abort();
    }
    if let Some(jobs) = jobs {
        jobs.stop().await;
    }
    Ok(())
}

/// Raise the soft open-file limit to the hard one: each connection is a descriptor, and the
/// common soft default (1024) is below the connection cap.
fn raise_open_file_limit(max_connections: usize) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return;
        }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
    }
    // Descriptors for PostgreSQL, memcached, files and the listener come on top.
    if (limit.rlim_cur as u128) < max_connections as u128 + 256 {
        tracing::warn!(
            open_files = limit.rlim_cur,
            max_connections,
            "the open-file limit is below HUD_MAX_CONNECTIONS; lower it or raise the limit"
        );
    }
}

/// `hud worker`: job workers and the scheduler only (no HTTP), until SIGTERM / Ctrl-C.
pub async fn run_worker(state: AppState) -> anyhow::Result<()> {
    let workers = state.config.jobs.workers.max(1);
    tracing::info!(workers, apps = ?state.apps.names(), "HUD worker is running");
    let jobs = crate::workers::start(&state, workers, true);
    shutdown_signal().await;
    tracing::info!("stopping: finishing current jobs");
    jobs.stop().await;
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Prune expired sessions and old rate-limit windows (sub-apps' own upkeep runs on the job
/// scheduler).
async fn housekeeping(state: AppState) {
    let sessions = PostgresStore::new(state.db.clone());
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(error) = sessions.delete_expired().await {
            tracing::warn!(%error, "pruning expired sessions failed");
        }
        if let Err(error) = db::ratelimit::prune(&state.db).await {
            tracing::warn!(%error, "pruning rate limits failed");
        }
    }
}
