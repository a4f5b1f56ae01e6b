//! Invalidation: recorded in the writer's own transaction, then applied to memcached and the
//! local tier — by the writer at once, and by every process (the writer's included) from the
//! invalidation log (`listener.rs`).
//!
//! The log entry is written in the same transaction as the data, under the next number of a
//! gapless sequence, with a NOTIFY that PostgreSQL delivers only on COMMIT. So a committed write
//! is always followed by its invalidation in every process — even when the request is
//! cancelled, times out or the writer crashes right after COMMIT — and a rolled-back write
//! invalidates nothing.

use std::{sync::Arc, time::Duration};

use sqlx::{Postgres, Transaction};

use super::{CHANNEL, Cache, CacheKey, key};

/// NOTIFY payloads longer than this carry only the sequence number (PostgreSQL's limit is
/// 8000 bytes); listeners read the keys from the log.
const INLINE_KEYS_BYTES: i32 = 7000;

impl Cache {
    /// Commit `tx` together with the invalidation of `keys` (recorded in it), then drop the
    /// keys from memcached and this process's local tier before returning, so the writer reads
    /// its own write.
    pub async fn commit(
        &self,
        mut tx: Transaction<'_, Postgres>,
        keys: impl IntoIterator<Item = CacheKey>,
    ) -> sqlx::Result<()> {
        let keys: Vec<CacheKey> = keys.into_iter().collect();
        Self::record(&mut tx, &keys).await?;
        tx.commit().await?;
        self.apply_now(keys).await;
        Ok(())
    }

    /// Record the invalidation of `keys` in `tx` without committing it — for a writer that
    /// commits itself. Every process applies it once `tx` commits; the writer's own reads see
    /// the write as soon as its listener has (use [`Cache::commit`] to see it at once).
    pub async fn record(tx: &mut Transaction<'_, Postgres>, keys: &[CacheKey]) -> sqlx::Result<()> {
        if keys.is_empty() {
            return Ok(());
        }
        record(tx, keys).await
    }

    /// Drop a key everywhere, in a transaction of its own — for writes HUD does not make in a
    /// transaction of its own (e.g. response tags). Data writes use [`Cache::commit`].
    pub async fn invalidate(&self, key: &CacheKey) {
        self.invalidate_keys(vec![key.clone()]).await;
    }

    /// [`Cache::invalidate`] for several keys at once.
    pub async fn invalidate_keys(&self, keys: Vec<CacheKey>) {
        if let Some(db) = &self.inner.db {
            let recorded = async {
                let mut tx = db.begin().await?;
                record(&mut tx, &keys).await?;
                tx.commit().await
            };
            if let Err(error) = recorded.await {
                tracing::warn!(%error, "cache invalidation could not be recorded; applied here only");
            }
        }
        self.apply_now(keys).await;
    }

    /// Apply keys in a task of its own: a caller that is dropped halfway (a cancelled request)
    /// must not leave memcached invalidated but the local tier not, or the other way round.
    async fn apply_now(&self, keys: Vec<CacheKey>) {
        let cache = self.clone();
        let task = tokio::spawn(async move {
            for key in &keys {
                cache.apply_text(key.as_str()).await;
                cache.inner.stats.invalidated(key.namespace());
            }
        });
        let _ = task.await;
    }

    /// Invalidate one key given by its text (`page:id=10`) under this process's prefix:
    /// memcached first — so that a reader missing locally afterwards cannot find the old value
    /// there — then the local tier.
    pub(super) async fn apply_text(&self, text: &str) {
        let full = key::full_key(&self.prefix(), text);
        if let Some(remote) = &self.inner.remote {
            remote.invalidate(&full, self.stale_ttl()).await;
        }
        self.inner.local.remove(&full);
    }

    /// How long memcached keeps an invalidated value (marked stale, never served) for the next
    /// reader to win its lease.
    fn stale_ttl(&self) -> Duration {
        self.inner.settings.lease_ttl.max(Duration::from_secs(1))
    }
}

/// Record `keys` in the invalidation log inside `tx`, under the next sequence number, with the
/// NOTIFY that carries them (no keys: the generation changed). The sequence row stays locked
/// until `tx` ends — taken last, it serializes only the commits themselves.
pub(super) async fn record(
    tx: &mut Transaction<'_, Postgres>,
    keys: &[CacheKey],
) -> sqlx::Result<()> {
    let texts: Vec<String> = keys.iter().map(|k| k.as_str().to_owned()).collect();
    sqlx::query!(
        r#"WITH next AS (UPDATE cache_state SET seq = seq + 1 RETURNING seq),
                logged AS (INSERT INTO cache_invalidations (seq, keys)
                           SELECT seq, $1::text[] FROM next RETURNING seq)
           SELECT pg_notify($2, CASE
                      WHEN cardinality($1::text[]) = 0 THEN logged.seq::text
                      WHEN octet_length(array_to_string($1::text[], ' ')) < $3
                          THEN logged.seq || ' ' || array_to_string($1::text[], ' ')
                      ELSE logged.seq || ' *' END)
           FROM logged"#,
        &texts,
        CHANNEL,
        INLINE_KEYS_BYTES,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replay invalidations queued for unreachable memcached servers, as soon as they answer
/// again; ends with the cache.
pub(super) fn spawn_replayer(cache: &Cache) {
    let weak = Arc::downgrade(&cache.inner);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(inner) = weak.upgrade() else { return };
            let cache = Cache { inner };
            if let Some(remote) = &cache.inner.remote
                && remote.has_pending()
            {
                remote.replay_pending(cache.stale_ttl()).await;
            }
        }
    });
}
