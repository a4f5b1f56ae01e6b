//! Sessions live in PostgreSQL (they survive restarts and cache flushes); reads go through the
//! model-cache layer, so a logged-in request costs no session query once its session is cached.
//!
//! Saves and deletes invalidate the cached copy in the same transaction (the cache's
//! invalidation log), so a logout or login on one instance is seen by all — even when the
//! request is cancelled right after the write. Cache keys use a hash of the session id, never
//! the id itself. Reads and creation go through tower-sessions' PostgreSQL store; saves and
//! deletes write its table here, in the same format, inside that transaction.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Postgres, postgres::PgArguments};
use time::OffsetDateTime;
use tower_sessions::{
    SessionStore,
    session::{Id, Record},
    session_store::{Error, Result},
};
use tower_sessions_sqlx_store::PostgresStore;

use crate::cache::{Cache, CacheKey, Ttl};

const TTL: Ttl = Ttl::minutes(5);

/// PostgreSQL session storage with cached reads.
#[derive(Clone, Debug)]
pub struct CachedSessionStore {
    db: PostgresStore,
    pool: PgPool,
    cache: CacheHandle,
}

/// The table of tower-sessions' PostgreSQL store (its defaults).
const TABLE: &str = r#""tower_sessions"."session""#;

/// `Cache` is not `Debug`; the store must be.
#[derive(Clone)]
struct CacheHandle(Cache);

impl std::fmt::Debug for CacheHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cache")
    }
}

/// A session record as cached: JSON inside (its values are arbitrary JSON, which the compact
/// cache encoding cannot describe on its own). Decoding parses the JSON, and the local tier
/// keeps the parsed record with its item, so a request clones the record instead of parsing.
#[derive(Clone)]
struct CachedRecord(Record);

impl Serialize for CachedRecord {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let json = serde_json::to_vec(&self.0).map_err(serde::ser::Error::custom)?;
        serializer.serialize_bytes(&json)
    }
}

impl<'de> Deserialize<'de> for CachedRecord {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let json = serde_bytes::ByteBuf::deserialize(deserializer)?;
        serde_json::from_slice(&json)
            .map(CachedRecord)
            .map_err(serde::de::Error::custom)
    }
}

impl CachedSessionStore {
    /// Wrap the PostgreSQL store.
    pub fn new(pool: PgPool, cache: Cache) -> Self {
        CachedSessionStore {
            db: PostgresStore::new(pool.clone()),
            pool,
            cache: CacheHandle(cache),
        }
    }

    /// Run `write` on the session table and commit it with the invalidation of `id`.
    async fn write(
        &self,
        id: &Id,
        write: sqlx::query::Query<'_, Postgres, PgArguments>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        write.execute(&mut *tx).await.map_err(backend)?;
        self.cache.0.commit(tx, [key(id)]).await.map_err(backend)
    }
}

fn backend(error: sqlx::Error) -> Error {
    Error::Backend(error.to_string())
}

fn key(id: &Id) -> CacheKey {
    let hashed = blake3::hash(id.to_string().as_bytes()).to_hex();
    CacheKey::new("session").field("id", &hashed[..32])
}

#[async_trait]
impl SessionStore for CachedSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        self.db.create(record).await
    }

    async fn save(&self, record: &Record) -> Result<()> {
        // The encoding tower-sessions' store reads back.
        let data = rmp_serde::to_vec(record).map_err(|e| Error::Encode(e.to_string()))?;
        let upsert = format!(
            "INSERT INTO {TABLE} (id, data, expiry_date) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date"
        );
        let query = sqlx::query(&upsert)
            .bind(record.id.to_string())
            .bind(data)
            .bind(record.expiry_date);
        self.write(&record.id, query).await
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let db = self.db.clone();
        let session_id = *id;
        let cached: Option<CachedRecord> = self
            .cache
            .0
            .get_or_load(&key(id), TTL, move || async move {
                Ok::<_, Error>(db.load(&session_id).await?.map(CachedRecord))
            })
            .await?;
        Ok(cached
            .map(|CachedRecord(record)| record)
            .filter(|record| record.expiry_date > OffsetDateTime::now_utc()))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        let delete = format!("DELETE FROM {TABLE} WHERE id = $1");
        self.write(id, sqlx::query(&delete).bind(id.to_string()))
            .await
    }
}
