//! `Memo`: a memoized PostgreSQL lookup, declared once with its key and loader, so that reading
//! and invalidating never repeat key-building code.

use std::time::Duration;

use futures_util::future::BoxFuture;
use serde::{Serialize, de::DeserializeOwned};
use sqlx::PgPool;

use super::{Cache, CacheKey};

/// Soft and hard lifetimes: past `soft` a value is served stale while it is refreshed in the
/// background; past `hard` it is gone. Both get ±10 % jitter when written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ttl {
    /// Fresh for this long.
    pub soft: Duration,
    /// Kept (and servable stale) for this long.
    pub hard: Duration,
}

impl Ttl {
    /// Fresh for `minutes`, servable stale for as long again.
    pub const fn minutes(minutes: u64) -> Ttl {
        Ttl {
            soft: Duration::from_secs(minutes * 60),
            hard: Duration::from_secs(minutes * 120),
        }
    }

    /// Fresh for `seconds`, servable stale for as long again.
    pub const fn seconds(seconds: u64) -> Ttl {
        Ttl {
            soft: Duration::from_secs(seconds),
            hard: Duration::from_secs(seconds * 2),
        }
    }

    fn jitter(d: Duration) -> Duration {
        let factor = 0.9 + rand::random::<f64>() * 0.2;
        d.mul_f64(factor)
    }

    /// The soft TTL with jitter.
    pub fn soft_jittered(&self) -> Duration {
        Self::jitter(self.soft)
    }

    /// The hard TTL with jitter (never below the soft one).
    pub fn hard_jittered(&self) -> Duration {
        Self::jitter(self.hard).max(self.soft)
    }
}

/// A memoized lookup from arguments `A` to a value `V`.
pub struct Memo<A, V> {
    /// Namespace of its keys (also the metrics label).
    pub namespace: &'static str,
    /// Lifetimes.
    pub ttl: Ttl,
    /// The key for some arguments.
    pub key: fn(&A) -> CacheKey,
    /// The PostgreSQL query behind it.
    pub load: fn(PgPool, A) -> BoxFuture<'static, sqlx::Result<V>>,
}

impl<A, V> Memo<A, V>
where
    A: Send + 'static,
    V: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    /// The value for `args`: from a cache tier, or loaded (and cached).
    pub async fn get(&self, cache: &Cache, db: &PgPool, args: A) -> sqlx::Result<V> {
        let key = (self.key)(&args);
        let load = self.load;
        let db = db.clone();
        cache
            .get_or_load(&key, self.ttl, move || load(db, args))
            .await
    }

    /// The key of the value for `args` (what a write that changes it invalidates).
    pub fn key_for(&self, args: &A) -> CacheKey {
        (self.key)(args)
    }
}
