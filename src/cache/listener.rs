//! The listener: applies the invalidation log of every process, in order, to this process's
//! memcached view and local tier.
//!
//! - LISTEN first, then read where the log stands, so no entry falls between the two.
//! - Each NOTIFY carries one entry's number (and usually its keys). The next number is applied
//!   at once; one further ahead means entries were missed, and they are read from the log; an
//!   older one was already applied.
//! - A heartbeat reads the log's head and the generation, and sends itself a ping. Entries the
//!   head shows but NOTIFY has not brought are read from the log at once, so every entry is
//!   applied within about one beat of its COMMIT whatever the connection does. Entries missing
//!   on two beats running, or a ping that does not come back, mean the connection is dead (a
//!   half-open TCP connection delivers nothing and reports nothing): the listener reconnects.
//! - Entries already pruned from the log cannot be replayed: the local tier is cleared instead.

use std::{
    sync::{Arc, atomic::Ordering},
    time::{Duration, Instant},
};

use sqlx::{PgPool, postgres::PgListener};

use super::{CHANNEL, Cache};

/// Log entries are kept this long, in seconds (a listener away for longer clears its local tier).
const RETENTION_SECS: f64 = 600.0;

/// Why a listening session ended.
#[derive(Debug, thiserror::Error)]
enum Lost {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("the listener connection was closed")]
    Closed,
    #[error("the listener connection delivered nothing for two heartbeats")]
    Silent,
}

impl Cache {
    /// Receive and apply every process's invalidations until the cache is dropped, reconnecting
    /// whenever the connection is lost or goes silent.
    pub fn listen(&self, db: PgPool) -> tokio::task::JoinHandle<()> {
        let weak = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            let token = format!("{:016x}", rand::random::<u64>());
            loop {
                let Some(inner) = weak.upgrade() else { return };
                let cache = Cache { inner };
                let Err(error) = cache.listen_once(&db, &token).await;
                tracing::warn!(%error, "cache listener lost its connection; reconnecting");
                metrics::counter!("cache_listener_reconnects_total").increment(1);
                drop(cache);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    }

    async fn listen_once(
        &self,
        db: &PgPool,
        token: &str,
    ) -> Result<std::convert::Infallible, Lost> {
        let mut listener = PgListener::connect_with(db).await?;
        listener.listen(CHANNEL).await?;
        self.catch_up_to_head(db).await?;
        self.inner.listening.store(true, Ordering::Release);
        let result = self.receive(db, token, &mut listener).await;
        self.inner.listening.store(false, Ordering::Release);
        result
    }

    /// Whether this process's listener is connected and has caught up with the log (every
    /// write committed before now will reach this process within a heartbeat).
    pub fn listening(&self) -> bool {
        self.inner.listening.load(Ordering::Acquire)
    }

    async fn receive(
        &self,
        db: &PgPool,
        token: &str,
        listener: &mut PgListener,
    ) -> Result<std::convert::Infallible, Lost> {
        let mut beat = tokio::time::interval(self.inner.settings.heartbeat);
        beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut replayed_last_beat = false;
        let mut ping_sent: Option<Instant> = None;
        let mut beats = 0u64;
        loop {
            tokio::select! {
                received = listener.try_recv() => match received? {
                    Some(notification) => {
                        let payload = notification.payload();
                        if payload.strip_prefix("ping ") == Some(token) {
                            ping_sent = None;
                        } else {
                            self.on_message(db, payload).await?;
                        }
                    }
                    None => return Err(Lost::Closed),
                },
                _ = beat.tick() => {
                    beats += 1;
                    let head = self.sync_head(db).await?;
                    let applied = self.applied_invalidations();
                    // Entries NOTIFY has not brought: apply them from the log now (within one
                    // beat of their COMMIT, whatever the connection does).
                    let behind = applied < head;
                    if behind {
                        self.catch_up(db, applied, head).await?;
                    }
                    // Behind on two beats running, or our own ping did not come back: the
                    // connection is silent.
                    let unanswered = ping_sent
                        .is_some_and(|sent| sent.elapsed() >= self.inner.settings.heartbeat * 2);
                    if (behind && replayed_last_beat) || unanswered {
                        return Err(Lost::Silent);
                    }
                    replayed_last_beat = behind;
                    if ping_sent.is_none() {
                        sqlx::query!("SELECT pg_notify($1, $2)", CHANNEL, format!("ping {token}"))
                            .execute(db)
                            .await?;
                        ping_sent = Some(Instant::now());
                    }
                    if beats.is_multiple_of(60) {
                        prune(db).await?;
                    }
                }
            }
        }
    }

    /// Number of the last invalidation-log entry this process has applied.
    pub fn applied_invalidations(&self) -> i64 {
        self.inner.applied.load(Ordering::Acquire) as i64
    }

    fn set_applied(&self, seq: i64) {
        self.inner
            .applied
            .fetch_max(seq.max(0) as u64, Ordering::AcqRel);
    }

    /// The log's head, adopting the generation.
    async fn sync_head(&self, db: &PgPool) -> sqlx::Result<i64> {
        let state = sqlx::query!("SELECT generation, seq FROM cache_state")
            .fetch_one(db)
            .await?;
        self.set_generation(state.generation);
        Ok(state.seq)
    }

    /// Right after LISTEN: apply what the log holds beyond what was applied. The first time,
    /// the process is new — it starts at the head, and drops what it cached before listening.
    async fn catch_up_to_head(&self, db: &PgPool) -> sqlx::Result<()> {
        let head = self.sync_head(db).await?;
        if self.applied_invalidations() == 0 {
            self.set_applied(head);
            self.clear_local();
            return Ok(());
        }
        self.catch_up(db, self.applied_invalidations(), head).await
    }

    /// Apply one NOTIFY payload: `SEQ KEY…`, `SEQ *` (keys in the log), `SEQ` (generation),
    /// or a ping of another process.
    async fn on_message(&self, db: &PgPool, payload: &str) -> sqlx::Result<()> {
        if payload.starts_with("ping ") {
            return Ok(());
        }
        let mut parts = payload.split(' ');
        let Some(seq) = parts.next().and_then(|s| s.parse::<i64>().ok()) else {
            tracing::debug!(payload, "cache listener ignores a message it does not know");
            return Ok(());
        };
        let applied = self.applied_invalidations();
        if seq <= applied {
            return Ok(());
        }
        if seq > applied + 1 {
            return self.catch_up(db, applied, seq).await;
        }
        let keys: Vec<&str> = parts.collect();
        match keys.as_slice() {
            [] => {
                self.sync_generation(db).await?;
            }
            ["*"] => return self.catch_up(db, applied, seq).await,
            keys => {
                for key in keys {
                    self.apply_text(key).await;
                }
            }
        }
        self.set_applied(seq);
        Ok(())
    }

    /// Apply the log entries after `from` up to `to` from the table; entries that were pruned
    /// cannot be replayed, so then the local tier is cleared.
    async fn catch_up(&self, db: &PgPool, from: i64, to: i64) -> sqlx::Result<()> {
        if to <= from {
            return Ok(());
        }
        let rows = sqlx::query!(
            "SELECT seq, keys FROM cache_invalidations WHERE seq > $1 AND seq <= $2 ORDER BY seq",
            from,
            to
        )
        .fetch_all(db)
        .await?;
        if rows.len() as i64 != to - from {
            tracing::warn!(
                from,
                to,
                found = rows.len(),
                "invalidation log entries pruned; clearing the local tier"
            );
            self.clear_local();
        }
        for row in rows {
            if row.keys.is_empty() {
                self.sync_generation(db).await?;
            }
            for key in &row.keys {
                self.apply_text(key).await;
            }
        }
        metrics::counter!("cache_listener_replayed_total").increment((to - from) as u64);
        self.set_applied(to);
        Ok(())
    }
}

/// Drop log entries older than the retention.
async fn prune(db: &PgPool) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM cache_invalidations WHERE created_at < now() - make_interval(secs => $1)",
        RETENTION_SECS
    )
    .execute(db)
    .await?;
    Ok(())
}
