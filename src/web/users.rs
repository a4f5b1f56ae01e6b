//! Cached reads of the users table that every sub-app shares: the current user (resolved on
//! every request) and the profile (profile page, `/api/v1/me`). Both go through the
//! model-cache layer; every write to a user row commits with [`user_keys`], which drops both
//! from every process.

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::auth::CurrentUser;
use crate::cache::{Cache, CacheKey, Lookup, Model, Related, Ttl};

impl Model for CurrentUser {
    const NAME: &'static str = "user";
    const TTL: Ttl = Ttl::minutes(10);

    fn lookups(&self) -> Vec<Lookup> {
        vec![Lookup::new("id", self.id)]
    }

    fn load_by(db: PgPool, by: Lookup) -> BoxFuture<'static, sqlx::Result<Option<Self>>> {
        Box::pin(async move {
            match (by.field, by.value.parse::<i64>()) {
                ("id", Ok(id)) => CurrentUser::by_id(&db, id).await,
                _ => Ok(None),
            }
        })
    }
}

/// The user with this id, through the cache.
pub async fn current_user(
    cache: &Cache,
    db: &PgPool,
    id: i64,
) -> sqlx::Result<Option<CurrentUser>> {
    CurrentUser::by_fields(cache, db, Lookup::new("id", id)).await
}

/// A user as the profile and admin pages show it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    /// Database id.
    pub id: i64,
    /// As typed at signup.
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// May use `/admin`.
    pub is_admin: bool,
    /// `en`, `nl`, … or none (negotiated).
    pub preferred_language: Option<String>,
    /// IANA zone or none (UTC).
    pub timezone: Option<String>,
    /// 0 = no avatar.
    pub avatar_version: i32,
    /// Signup time.
    pub created_at: DateTime<Utc>,
    /// Last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
}

/// A user's profile by user id: one query for any number of users.
pub static PROFILE_BY_USER: Related<i64, UserRecord> = Related {
    namespace: "user_profile",
    ttl: Ttl::minutes(10),
    key: |id| CacheKey::new("user_profile").field("user", id),
    load_many: |db, ids| Box::pin(async move { profiles(&db, &ids).await }),
};

#[tracing::instrument(skip_all, err)]
async fn profiles(db: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<(i64, UserRecord)>> {
    let rows = sqlx::query_as!(
        UserRecord,
        r#"SELECT id, username, email, is_admin, preferred_language, timezone, avatar_version,
                created_at AS "created_at: DateTime<Utc>",
                last_login_at AS "last_login_at: DateTime<Utc>"
           FROM users WHERE id = ANY($1)"#,
        ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

/// Every cached read of user `id`: what a write to its row invalidates, passed to
/// [`Cache::commit`] in the write's transaction.
pub fn user_keys(id: i64) -> Vec<CacheKey> {
    let mut keys = CurrentUser::lookup_keys(&Lookup::new("id", id));
    keys.push(PROFILE_BY_USER.key_for(&id));
    keys
}
