//! Sessions live in PostgreSQL (they survive restarts and cache flushes); reads go through the
//! model-cache layer, so a logged-in request costs no session query once its session is cached.
//!
//! Saves and deletes invalidate the cached copy in the same transaction (the cache's
//! invalidation log), so a logout or login on one instance is seen by all — even when the
//! request is cancelled right after the write. Cache keys use a hash of the session id, never
//! the id itself. Reads go through tower-sessions' PostgreSQL store; creation, saves and
//! deletes write its table here, in the same format, inside that transaction — with the
//! session's user in a column of its own (`user_id`, see the migration
//! `20261212000013_account_controls.sql`), so that [`delete_user_sessions`] ("log out
//! everywhere") finds every session of a user and drops each from the caches the same way.

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

use super::auth::SESSION_USER_ID;
use crate::cache::{Cache, CacheKey, Ttl};

const TTL: Ttl = Ttl::minutes(5);

/// PostgreSQL session storage with cached reads.
#[derive(Clone, Debug)]
pub struct CachedSessionStore {
    db: PostgresStore,
    pool: PgPool,
    cache: CacheHandle,
}

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
    key_of(&id.to_string())
}

/// The cache key of the session whose id is written `id`.
fn key_of(id: &str) -> CacheKey {
    let hashed = blake3::hash(id.as_bytes()).to_hex();
    CacheKey::new("session").field("id", &hashed[..32])
}

/// The user a session record belongs to, if it is logged in.
fn user_of(record: &Record) -> Option<i64> {
    record
        .data
        .get(SESSION_USER_ID)
        .and_then(serde_json::Value::as_i64)
}

fn encode(record: &Record) -> Result<Vec<u8>> {
    // The encoding tower-sessions' store reads back.
    rmp_serde::to_vec(record).map_err(|e| Error::Encode(e.to_string()))
}

/// Delete every session of user `user_id` but `keep` (the current one, if it is to stay);
/// how many were deleted. Each deleted session leaves every cache tier of every process with
/// the delete's commit, like any write of the store.
#[tracing::instrument(skip_all, err)]
pub async fn delete_user_sessions(
    pool: &PgPool,
    cache: &Cache,
    user_id: i64,
    keep: Option<Id>,
) -> sqlx::Result<u64> {
    let keep = keep.map(|id| id.to_string());
    let mut tx = pool.begin().await?;
    let deleted = sqlx::query_scalar!(
        "DELETE FROM tower_sessions.session WHERE user_id = $1 AND id IS DISTINCT FROM $2
         RETURNING id",
        user_id,
        keep
    )
    .fetch_all(&mut *tx)
    .await?;
    let count = deleted.len() as u64;
    cache
        .commit(tx, deleted.iter().map(|id| key_of(id)).collect::<Vec<_>>())
        .await?;
    Ok(count)
}

/// How many unexpired sessions user `user_id` has.
#[tracing::instrument(skip_all, err)]
pub async fn count_user_sessions(pool: &PgPool, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM tower_sessions.session
           WHERE user_id = $1 AND expiry_date > now()"#,
        user_id
    )
    .fetch_one(pool)
    .await
}

#[async_trait]
impl SessionStore for CachedSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let data = encode(record)?;
        let user = user_of(record);
        // A fresh id until one is unused (as tower-sessions' own store does).
        loop {
            let mut tx = self.pool.begin().await.map_err(backend)?;
            let inserted = sqlx::query!(
                "INSERT INTO tower_sessions.session (id, data, expiry_date, user_id)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
                record.id.to_string(),
                data,
                record.expiry_date,
                user
            )
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return self
                    .cache
                    .0
                    .commit(tx, [key(&record.id)])
                    .await
                    .map_err(backend);
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        // An update, never an insert: tower-sessions saves only sessions it loaded, and one
        // deleted meanwhile (logout elsewhere, "log out everywhere") must stay deleted, not be
        // written back by a request that was still running.
        let update = sqlx::query!(
            "UPDATE tower_sessions.session SET data = $2, expiry_date = $3, user_id = $4
             WHERE id = $1",
            record.id.to_string(),
            encode(record)?,
            record.expiry_date,
            user_of(record)
        );
        self.write(&record.id, update).await
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
        let delete = sqlx::query!(
            "DELETE FROM tower_sessions.session WHERE id = $1",
            id.to_string()
        );
        self.write(id, delete).await
    }
}
