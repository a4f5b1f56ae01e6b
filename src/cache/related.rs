//! `Related`: rows that belong to a parent (a user's profile, a page's word counts), cached per
//! parent and loaded for many parents with one query, so a list page never runs N+1 queries.
//!
//! ```ignore
//! pub static PROFILE_BY_USER: Related<i64, Profile> = Related {
//!     namespace: "user_profile",
//!     ttl: Ttl::minutes(10),
//!     key: |user| CacheKey::new("user_profile").field("user", user),
//!     load_many: |db, users| Box::pin(async move { model::profiles(&db, &users).await }),
//! };
//! let one = PROFILE_BY_USER.get(&cache, &db, 3).await?;               // Option<Profile>
//! let many = PROFILE_BY_USER.get_many(&cache, &db, &[3, 4, 5]).await?; // HashMap<i64, Profile>
//! cache.commit(tx, [PROFILE_BY_USER.key_for(&3)]).await?;              // a write
//! ```
//!
//! `get` is a memoized read of one parent. `get_many` reads every key in one pass over the
//! tiers (one leased multi-get per memcached server), then loads only the missing parents with
//! a single query and stores those whose lease it won. A parent the query does not return is
//! cached as absent, so it does not cost a query on every read either.

use std::{collections::HashMap, hash::Hash, time::Instant};

use futures_util::future::BoxFuture;
use serde::{Serialize, de::DeserializeOwned};
use sqlx::PgPool;

use super::{Cache, CacheKey, Ttl};

/// One query loading the values of many parents.
pub type LoadMany<P, V> = fn(PgPool, Vec<P>) -> BoxFuture<'static, sqlx::Result<Vec<(P, V)>>>;

/// A cached one-to-one or one-to-many relation from parent keys `P` to values `V`.
pub struct Related<P, V> {
    /// Namespace of its keys (also the metrics label).
    pub namespace: &'static str,
    /// Lifetimes.
    pub ttl: Ttl,
    /// The key for a parent.
    pub key: fn(&P) -> CacheKey,
    /// One query for many parents, returning the value of each parent that has one. Select
    /// only the columns `V` needs.
    pub load_many: LoadMany<P, V>,
}

impl<P, V> Related<P, V>
where
    P: Clone + Eq + Hash + Send + Sync + 'static,
    V: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    /// The value of one parent (`None` when it has none). A single read goes through
    /// [`Cache::get_or_load`], so it gets single-flight (in and across processes) and
    /// stale-while-revalidate like any memoized lookup.
    pub async fn get(&self, cache: &Cache, db: &PgPool, parent: P) -> sqlx::Result<Option<V>> {
        let load_many = self.load_many;
        let db = db.clone();
        let key = (self.key)(&parent);
        cache
            .get_or_load(&key, self.ttl, move || async move {
                let rows = load_many(db, vec![parent.clone()]).await?;
                Ok(rows.into_iter().find(|(p, _)| *p == parent).map(|(_, v)| v))
            })
            .await
    }

    /// The values of many parents: cached ones from the tiers, the rest with one query.
    pub async fn get_many(
        &self,
        cache: &Cache,
        db: &PgPool,
        parents: &[P],
    ) -> sqlx::Result<HashMap<P, V>> {
        let keys: Vec<CacheKey> = parents.iter().map(self.key).collect();
        let (cached, slots): (Vec<Option<Option<V>>>, _) = cache.get_many(&keys, self.ttl).await;
        let mut out = HashMap::with_capacity(parents.len());
        let mut missing = Vec::new();
        for (parent, value) in parents.iter().zip(cached) {
            match value {
                Some(Some(value)) => {
                    out.insert(parent.clone(), value);
                }
                Some(None) => {}
                None => missing.push(parent.clone()),
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let started = Instant::now();
        let loaded = (self.load_many)(db.clone(), missing.clone()).await?;
        cache.record_load(self.namespace, started.elapsed());
        let mut loaded: HashMap<P, V> = loaded.into_iter().collect();
        let entries: Vec<(CacheKey, Option<V>)> = missing
            .iter()
            .map(|parent| ((self.key)(parent), loaded.get(parent).cloned()))
            .collect();
        cache.put_many(slots, &entries, self.ttl).await;
        for parent in missing {
            if let Some(value) = loaded.remove(&parent) {
                out.insert(parent, value);
            }
        }
        Ok(out)
    }

    /// Forget the value of `parent` in every process (call after writing it).
    /// The key of a parent's value (what a write that changes it invalidates).
    pub fn key_for(&self, parent: &P) -> CacheKey {
        (self.key)(parent)
    }
}
