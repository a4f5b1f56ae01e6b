//! Account storage: users (with preferences and avatar) and API tokens.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};

use super::password;
pub use crate::web::users::UserRecord;
use crate::{cache::Cache, db, i18n::Lang, telemetry::timing, web::users::user_keys};

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// Another account has this username (ignoring case).
    #[error("username taken")]
    UsernameTaken,
    /// Another account has this e-mail address (ignoring case).
    #[error("email taken")]
    EmailTaken,
    /// Anything else.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Insert a user; uniqueness is enforced by the database, so concurrent signups are safe.
#[tracing::instrument(skip_all, err)]
pub async fn create(
    db: impl PgExecutor<'_>,
    username: &str,
    email: &str,
    password_hash: &str,
    is_admin: bool,
) -> Result<i64, CreateError> {
    let inserted = sqlx::query_scalar!(
        "INSERT INTO users (username, email, password_hash, is_admin) VALUES ($1, $2, $3, $4)
         RETURNING id",
        username,
        email,
        password_hash,
        is_admin
    )
    .fetch_one(db)
    .await;
    inserted.map_err(|e| match db::violated_constraint(&e) {
        Some("users_username_lower") => CreateError::UsernameTaken,
        Some("users_email_lower") => CreateError::EmailTaken,
        _ => e.into(),
    })
}

/// Create a user from the command line (password policy applies, messages in English).
pub async fn create_from_cli(
    pool: &PgPool,
    username: &str,
    email: &str,
    password: &str,
    is_admin: bool,
    min_password_len: usize,
) -> anyhow::Result<i64> {
    if username.contains('@') {
        // Logins with an `@` are looked up by e-mail only (see `credentials`).
        anyhow::bail!("the username cannot contain \"@\" (give the address with --email)");
    }
    if let Err(problem) = password::check_policy(password, username, email, min_password_len) {
        anyhow::bail!("{}", problem.text(Lang::En));
    }
    let hash = password::hash(password.to_owned()).await?;
    match create(pool, username, email, &hash, is_admin).await {
        Ok(id) => Ok(id),
        Err(CreateError::UsernameTaken) => anyhow::bail!("the username {username:?} is taken"),
        Err(CreateError::EmailTaken) => anyhow::bail!("the e-mail address {email:?} is taken"),
        Err(CreateError::Db(e)) => Err(e.into()),
    }
}

/// The account with this e-mail address (when `login` contains `@`) or else this username, in
/// any case. Never both: usernames cannot contain `@`, so a username can never stand in for
/// another account's address.
#[tracing::instrument(skip_all, err)]
pub async fn credentials(
    db: impl PgExecutor<'_>,
    login: &str,
) -> sqlx::Result<Option<Credentials>> {
    if login.contains('@') {
        sqlx::query_as!(
            Credentials,
            r#"SELECT id, password_hash, disabled_at IS NOT NULL AS "disabled!"
               FROM users WHERE lower(email) = lower($1)"#,
            login
        )
        .fetch_optional(db)
        .await
    } else {
        sqlx::query_as!(
            Credentials,
            r#"SELECT id, password_hash, disabled_at IS NOT NULL AS "disabled!"
               FROM users WHERE lower(username) = lower($1)"#,
            login
        )
        .fetch_optional(db)
        .await
    }
}

/// What a login is checked against.
pub struct Credentials {
    /// The account's id.
    pub id: i64,
    /// Its argon2id hash.
    pub password_hash: String,
    /// An administrator disabled it.
    pub disabled: bool,
}

/// Note a successful login (and upgrade the stored hash when its parameters are outdated).
#[tracing::instrument(skip_all, err)]
pub async fn record_login(
    db: &PgPool,
    cache: &Cache,
    id: i64,
    new_hash: Option<&str>,
) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query!(
        "UPDATE users SET last_login_at = now(), password_hash = coalesce($2, password_hash)
         WHERE id = $1",
        id,
        new_hash
    )
    .execute(&mut *tx)
    .await?;
    cache.commit(tx, user_keys(id)).await
}

/// The stored password hash of user `id`.
pub async fn password_hash(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", id)
        .fetch_optional(db)
        .await
}

/// Replace user `id`'s password hash.
#[tracing::instrument(skip_all, err)]
pub async fn set_password(db: &PgPool, cache: &Cache, id: i64, hash: &str) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    set_password_in(&mut tx, id, hash).await?;
    cache.commit(tx, user_keys(id)).await
}

/// Replace user `id`'s password hash in the caller's transaction (which commits with
/// [`user_keys`]).
pub async fn set_password_in(tx: &mut sqlx::PgConnection, id: i64, hash: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE users SET password_hash = $2 WHERE id = $1",
        id,
        hash
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Change user `id`'s e-mail address; `EmailTaken` when another account has it (in any case).
#[tracing::instrument(skip_all, err)]
pub async fn set_email(
    db: &PgPool,
    cache: &Cache,
    id: i64,
    email: &str,
) -> Result<(), CreateError> {
    let mut tx = db.begin().await?;
    sqlx::query!("UPDATE users SET email = $2 WHERE id = $1", id, email)
        .execute(&mut *tx)
        .await
        .map_err(|e| match db::violated_constraint(&e) {
            Some("users_email_lower") => CreateError::EmailTaken,
            _ => e.into(),
        })?;
    Ok(cache.commit(tx, user_keys(id)).await?)
}

/// One line of the users list: only the columns the list shows.
#[derive(Debug, Clone)]
pub struct UserListRow {
    /// Database id.
    pub id: i64,
    /// As typed at signup.
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// May use `/admin`.
    pub is_admin: bool,
    /// Signup time.
    pub created_at: DateTime<Utc>,
    /// Last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
    /// An administrator disabled the account.
    pub disabled: bool,
}

/// A page of the users list, and the number of all users.
#[derive(Debug)]
pub struct UserList {
    /// This page's users, oldest first.
    pub users: Vec<UserListRow>,
    /// All users the search found, not only this page's.
    pub total: i64,
}

/// A page of the users whose username or e-mail address contains `search` (in any case; all
/// users when it is empty), oldest first, and the number of all of them in the same query (a
/// window count; the admin list is the reference "uncached 20-row page" of the load benchmark).
#[tracing::instrument(skip_all, err)]
pub async fn list(db: &PgPool, search: &str, limit: i64, offset: i64) -> sqlx::Result<UserList> {
    timing::db(list_uncounted(db, search, limit, offset)).await
}

async fn list_uncounted(
    db: &PgPool,
    search: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<UserList> {
    let pattern = db::like_pattern(search);
    let rows = sqlx::query!(
        r#"SELECT id, username, email, is_admin,
                created_at AS "created_at: DateTime<Utc>",
                last_login_at AS "last_login_at: DateTime<Utc>",
                disabled_at IS NOT NULL AS "disabled!",
                count(*) OVER () AS "total!"
            FROM users
            WHERE $3 = '%%' OR username ILIKE $3 OR email ILIKE $3
            ORDER BY id LIMIT $1 OFFSET $2"#,
        limit,
        offset,
        pattern
    )
    .fetch_all(db)
    .await?;
    let total = match rows.first() {
        Some(row) => row.total,
        // Past the last page the window has no rows to count.
        None => {
            sqlx::query_scalar!(
                r#"SELECT count(*) AS "n!" FROM users
                   WHERE $1 = '%%' OR username ILIKE $1 OR email ILIKE $1"#,
                pattern
            )
            .fetch_one(db)
            .await?
        }
    };
    let users = rows
        .into_iter()
        .map(|r| UserListRow {
            id: r.id,
            username: r.username,
            email: r.email,
            is_admin: r.is_admin,
            created_at: r.created_at,
            last_login_at: r.last_login_at,
            disabled: r.disabled,
        })
        .collect();
    Ok(UserList { users, total })
}

/// Grant or revoke admin rights; false when there is no such user.
pub async fn set_admin(
    db: &PgPool,
    cache: &Cache,
    username: &str,
    is_admin: bool,
) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        "UPDATE users SET is_admin = $2 WHERE lower(username) = lower($1) RETURNING id",
        username,
        is_admin
    )
    .fetch_optional(&mut *tx)
    .await?;
    cache
        .commit(tx, id.map(user_keys).unwrap_or_default())
        .await?;
    Ok(id.is_some())
}

/// Save language and timezone preferences (`None` = automatic / UTC).
#[tracing::instrument(skip_all, err)]
pub async fn set_preferences(
    db: &PgPool,
    cache: &Cache,
    id: i64,
    lang: Option<Lang>,
    timezone: Option<&str>,
) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query!(
        "UPDATE users SET preferred_language = $2, timezone = $3 WHERE id = $1",
        id,
        lang.map(Lang::code),
        timezone
    )
    .execute(&mut *tx)
    .await?;
    cache.commit(tx, user_keys(id)).await
}

/// Replace (or remove) the avatar; bumps its version so cached copies are not reused.
#[tracing::instrument(skip_all, err)]
pub async fn set_avatar(
    db: &PgPool,
    cache: &Cache,
    id: i64,
    png: Option<&[u8]>,
) -> sqlx::Result<i32> {
    let mut tx = db.begin().await?;
    let version = sqlx::query_scalar!(
        "UPDATE users SET avatar_png = $2,
                avatar_version = CASE WHEN $2::bytea IS NULL THEN 0 ELSE avatar_version + 1 END
         WHERE id = $1 RETURNING avatar_version",
        id,
        png
    )
    .fetch_one(&mut *tx)
    .await?;
    cache.commit(tx, user_keys(id)).await?;
    Ok(version)
}

/// The avatar PNG of a user, if any.
#[tracing::instrument(skip_all, err)]
pub async fn avatar_png(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar!("SELECT avatar_png FROM users WHERE id = $1", id)
            .fetch_optional(db)
            .await?
            .flatten(),
    )
}

/// Revoke a token; false when it did not exist.
#[tracing::instrument(skip_all, err)]
pub async fn revoke_token(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<bool> {
    let done = sqlx::query!("DELETE FROM api_tokens WHERE token_hash = $1", token_hash)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
