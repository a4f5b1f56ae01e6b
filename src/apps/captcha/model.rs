//! Captcha images, challenges and tokens in PostgreSQL, read through the model-cache layer.
//!
//! What a form render needs (the active images' texts and the active challenges) is one cached
//! list each; image bytes are cached per image. Every admin write invalidates what it changed.
//! An image wears out after a few issues ([`count_issue`]) and generated ones are deleted once
//! no token can show them. Tokens are never cached: issuing inserts one row, checking deletes it (`DELETE … RETURNING`),
//! which is what makes a token single-use even when two processes check it at the same time.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, types::Json};

use super::rule::{AnswerRule, CharClass, Drawn, Scope, Take};
use crate::{
    cache::{Cache, CacheKey, Memo, Ttl},
    i18n::Lang,
};

/// An image as the challenge picker sees it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImageText {
    /// Row id.
    pub id: i64,
    /// The characters drawn.
    pub text: String,
    /// What each character shows besides its shape ([`super::rule::Marks`]; generated images).
    pub marks: Option<Vec<i16>>,
}

impl ImageText {
    /// What a rule reads.
    pub fn drawn(&self) -> Drawn<'_> {
        Drawn {
            text: &self.text,
            marks: self.marks.as_deref(),
        }
    }
}

/// An image as the admin list shows it.
#[derive(Clone, Debug)]
pub struct ImageRow {
    /// Row id.
    pub id: i64,
    /// The characters drawn.
    pub text: String,
    /// Size.
    pub width: i32,
    /// Size.
    pub height: i32,
    /// PNG size in bytes.
    pub bytes: i32,
    /// Uploaded by an admin (else generated).
    pub uploaded: bool,
    /// Offered to visitors.
    pub active: bool,
    /// Added at.
    pub created_at: DateTime<Utc>,
}

/// A challenge: a prompt and the rule that turns an image's text into the answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Challenge {
    /// Row id.
    pub id: i64,
    /// For built-in challenges, the message id of the prompt.
    pub builtin: Option<String>,
    /// For custom challenges, the prompt per language code.
    pub prompts: BTreeMap<String, String>,
    /// How the answer is derived.
    pub rule: AnswerRule,
    /// Offered to visitors.
    pub active: bool,
}

impl Challenge {
    /// The prompt in `lang`.
    pub fn prompt(&self, lang: Lang) -> String {
        match &self.builtin {
            Some(id) => lang.t(id).to_owned(),
            None => self
                .prompts
                .get(lang.code())
                .or_else(|| self.prompts.get("en"))
                .cloned()
                .unwrap_or_default(),
        }
    }
}

struct ChallengeRow {
    id: i64,
    builtin: Option<String>,
    prompts: Json<BTreeMap<String, String>>,
    scope: String,
    chars: String,
    take: String,
    take_count: i32,
    reverse: bool,
    case_sensitive: bool,
    active: bool,
}

impl ChallengeRow {
    fn into_challenge(self) -> Option<Challenge> {
        Some(Challenge {
            id: self.id,
            builtin: self.builtin,
            prompts: self.prompts.0,
            rule: AnswerRule {
                scope: Scope::parse(&self.scope)?,
                chars: CharClass::parse(&self.chars)?,
                take: Take::from_db(&self.take, self.take_count)?,
                reverse: self.reverse,
                case_sensitive: self.case_sensitive,
            },
            active: self.active,
        })
    }
}

/// The active images' ids and texts.
pub static ACTIVE_IMAGES: Memo<(), Vec<ImageText>> = Memo {
    namespace: "captcha_images",
    ttl: Ttl::minutes(10),
    key: |()| CacheKey::new("captcha_images").field("active", true),
    load: |db, ()| Box::pin(async move { active_images(&db).await }),
};

/// Every challenge, active or not (the admin page and the picker both read it).
pub static CHALLENGES: Memo<(), Vec<Challenge>> = Memo {
    namespace: "captcha_challenges",
    ttl: Ttl::minutes(10),
    key: |()| CacheKey::new("captcha_challenges").field("all", true),
    load: |db, ()| Box::pin(async move { challenges(&db).await }),
};

/// PNG bytes of one image.
pub static IMAGE_PNG: Memo<i64, Option<serde_bytes::ByteBuf>> = Memo {
    namespace: "captcha_png",
    ttl: Ttl::minutes(30),
    key: |id| CacheKey::new("captcha_png").field("image", id),
    load: |db, id| Box::pin(async move { image_png(&db, id).await }),
};

async fn active_images(db: &PgPool) -> sqlx::Result<Vec<ImageText>> {
    sqlx::query_as!(
        ImageText,
        "SELECT id, text, marks FROM captcha_images WHERE active ORDER BY id"
    )
    .fetch_all(db)
    .await
}

async fn challenges(db: &PgPool) -> sqlx::Result<Vec<Challenge>> {
    let rows = sqlx::query_as!(
        ChallengeRow,
        r#"SELECT id, builtin, prompts AS "prompts: Json<BTreeMap<String, String>>", scope, chars,
                  take, take_count, reverse, case_sensitive, active
           FROM captcha_challenges ORDER BY id"#
    )
    .fetch_all(db)
    .await?;
    // The table's CHECK constraints make a row the rule parser rejects impossible; skip rather
    // than fail if one appears anyway.
    Ok(rows
        .into_iter()
        .filter_map(ChallengeRow::into_challenge)
        .collect())
}

async fn image_png(db: &PgPool, id: i64) -> sqlx::Result<Option<serde_bytes::ByteBuf>> {
    let png = sqlx::query_scalar!("SELECT png FROM captcha_images WHERE id = $1", id)
        .fetch_optional(db)
        .await?;
    Ok(png.map(serde_bytes::ByteBuf::from))
}

/// An image to store.
pub struct NewImage<'a> {
    /// The characters drawn.
    pub text: &'a str,
    /// Their marks (generated images).
    pub marks: Option<&'a [i16]>,
    /// The PNG.
    pub png: &'a [u8],
    /// Width and height.
    pub size: (u32, u32),
    /// Uploaded by an admin (else generated).
    pub uploaded: bool,
}

/// Store a new image; returns its id.
pub async fn insert_image(db: &PgPool, cache: &Cache, image: &NewImage<'_>) -> sqlx::Result<i64> {
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO captcha_images (text, marks, png, width, height, uploaded)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        image.text,
        image.marks as _,
        image.png,
        image.size.0 as i32,
        image.size.1 as i32,
        image.uploaded
    )
    .fetch_one(&mut *tx)
    .await?;
    cache.commit(tx, [ACTIVE_IMAGES.key_for(&())]).await?;
    Ok(id)
}

/// Count one issue of an active image, retiring it when it reaches `max_issues`. None when the
/// image is no longer active (it wore out in another request since the caller's list was
/// read); else whether this issue retired it. The row lock serialises concurrent issues, so an
/// image is never handed out more than `max_issues` times.
pub async fn count_issue(
    db: &PgPool,
    cache: &Cache,
    id: i64,
    max_issues: i32,
) -> sqlx::Result<Option<bool>> {
    let mut tx = db.begin().await?;
    let still_active = sqlx::query_scalar!(
        "UPDATE captcha_images
         SET issues = issues + 1,
             active = issues + 1 < $2,
             worn_out_at = CASE WHEN issues + 1 >= $2 THEN now() END
         WHERE id = $1 AND active
         RETURNING active",
        id,
        max_issues
    )
    .fetch_optional(&mut *tx)
    .await?;
    match still_active {
        None => {
            tx.rollback().await?;
            Ok(None)
        }
        Some(true) => {
            tx.commit().await?;
            Ok(Some(false))
        }
        Some(false) => {
            cache.commit(tx, [ACTIVE_IMAGES.key_for(&())]).await?;
            Ok(Some(true))
        }
    }
}

/// Delete generated images that wore out more than `grace_secs` ago (no token can still show
/// them). Uploaded images stay for the admin to offer again; so do those an admin retired.
pub async fn prune_worn_out(db: &PgPool, grace_secs: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "DELETE FROM captcha_images
         WHERE worn_out_at < now() - make_interval(secs => $1) AND NOT uploaded AND NOT active",
        grace_secs as f64
    )
    .execute(db)
    .await?
    .rows_affected())
}

/// How many images are active.
pub async fn active_image_count(db: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM captcha_images WHERE active"#)
        .fetch_one(db)
        .await
}

/// Images for the admin list, newest first, with the total.
pub async fn image_page(
    db: &PgPool,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<ImageRow>, i64)> {
    let rows = sqlx::query!(
        r#"SELECT id, text, width, height, length(png) AS "bytes!", uploaded, active,
                  created_at AS "created_at: DateTime<Utc>", count(*) OVER () AS "total!"
           FROM captcha_images ORDER BY id DESC LIMIT $1 OFFSET $2"#,
        limit,
        offset
    )
    .fetch_all(db)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let images = rows
        .into_iter()
        .map(|r| ImageRow {
            id: r.id,
            text: r.text,
            width: r.width,
            height: r.height,
            bytes: r.bytes,
            uploaded: r.uploaded,
            active: r.active,
            created_at: r.created_at,
        })
        .collect();
    Ok((images, total))
}

/// Offer an image to visitors or retire it. Returns false when there is no such image.
pub async fn set_image_active(
    db: &PgPool,
    cache: &Cache,
    id: i64,
    active: bool,
) -> sqlx::Result<bool> {
    // Offering an image again (an admin's choice) starts its issue count afresh.
    update_one(
        db,
        cache,
        ACTIVE_IMAGES.key_for(&()),
        sqlx::query!(
            "UPDATE captcha_images
             SET active = $2,
                 issues = CASE WHEN $2 THEN 0 ELSE issues END,
                 worn_out_at = CASE WHEN $2 THEN NULL ELSE worn_out_at END
             WHERE id = $1",
            id,
            active
        ),
    )
    .await
}

/// Correct the characters an image shows (a typo when uploading). False when there is none.
/// Marks stay with a text of the same length (a character misread), and are dropped with any
/// other (they would point at the wrong characters).
pub async fn set_image_text(db: &PgPool, cache: &Cache, id: i64, text: &str) -> sqlx::Result<bool> {
    update_one(
        db,
        cache,
        ACTIVE_IMAGES.key_for(&()),
        sqlx::query!(
            "UPDATE captcha_images
             SET text = $2,
                 marks = CASE WHEN cardinality(marks) = char_length($2) THEN marks END
             WHERE id = $1",
            id,
            text
        ),
    )
    .await
}

/// A challenge to store (new or edited).
pub struct ChallengeSpec {
    /// Prompts per language (custom challenges; ignored for built-in ones).
    pub prompts: BTreeMap<String, String>,
    /// The answer rule.
    pub rule: AnswerRule,
}

/// Add a custom challenge; returns its id.
pub async fn insert_challenge(
    db: &PgPool,
    cache: &Cache,
    spec: &ChallengeSpec,
) -> sqlx::Result<i64> {
    let (take, take_count) = spec.rule.take.to_db();
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO captcha_challenges
             (prompts, scope, chars, take, take_count, reverse, case_sensitive)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        Json(&spec.prompts) as _,
        spec.rule.scope.as_str(),
        spec.rule.chars.as_str(),
        take,
        take_count,
        spec.rule.reverse,
        spec.rule.case_sensitive
    )
    .fetch_one(&mut *tx)
    .await?;
    cache.commit(tx, [CHALLENGES.key_for(&())]).await?;
    Ok(id)
}

/// Change a challenge's rule (and, for custom ones, its prompts). False when there is none.
pub async fn update_challenge(
    db: &PgPool,
    cache: &Cache,
    id: i64,
    spec: &ChallengeSpec,
) -> sqlx::Result<bool> {
    let (take, take_count) = spec.rule.take.to_db();
    update_one(
        db,
        cache,
        CHALLENGES.key_for(&()),
        sqlx::query!(
            "UPDATE captcha_challenges
             SET prompts = CASE WHEN builtin IS NULL THEN $2 ELSE prompts END,
                 scope = $3, chars = $4, take = $5, take_count = $6, reverse = $7,
                 case_sensitive = $8
             WHERE id = $1",
            id,
            Json(&spec.prompts) as _,
            spec.rule.scope.as_str(),
            spec.rule.chars.as_str(),
            take,
            take_count,
            spec.rule.reverse,
            spec.rule.case_sensitive
        ),
    )
    .await
}

/// Offer a challenge or retire it. False when there is none.
pub async fn set_challenge_active(
    db: &PgPool,
    cache: &Cache,
    id: i64,
    active: bool,
) -> sqlx::Result<bool> {
    update_one(
        db,
        cache,
        CHALLENGES.key_for(&()),
        sqlx::query!(
            "UPDATE captcha_challenges SET active = $2 WHERE id = $1",
            id,
            active
        ),
    )
    .await
}

/// An issued token's row.
pub struct TokenRow {
    /// Whom it was issued to.
    pub owner: String,
    /// The image shown.
    pub image_id: i64,
    /// The challenge asked.
    pub challenge_id: i64,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
    /// Secret seed of this issue's variant of the image (and of its audio).
    pub seed: i64,
}

/// Record an issued token (by its hash).
pub async fn insert_token(
    db: &PgPool,
    hash: &[u8],
    owner: &str,
    image_id: i64,
    challenge_id: i64,
    expires_at: DateTime<Utc>,
    seed: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO captcha_tokens (token_hash, owner, image_id, challenge_id, expires_at, seed)
         VALUES ($1, $2, $3, $4, $5, $6)",
        hash,
        owner,
        image_id,
        challenge_id,
        expires_at as _,
        seed
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Look at a token without using it up (to serve its image or audio).
pub async fn peek_token(db: &PgPool, hash: &[u8]) -> sqlx::Result<Option<TokenRow>> {
    sqlx::query_as!(
        TokenRow,
        r#"SELECT owner, image_id, challenge_id, expires_at AS "expires_at: DateTime<Utc>", seed
           FROM captcha_tokens WHERE token_hash = $1"#,
        hash
    )
    .fetch_optional(db)
    .await
}

/// Use a token up: it is deleted whatever the answer, so it can never be checked twice.
pub async fn take_token(db: &PgPool, hash: &[u8]) -> sqlx::Result<Option<TokenRow>> {
    sqlx::query_as!(
        TokenRow,
        r#"DELETE FROM captcha_tokens WHERE token_hash = $1
           RETURNING owner, image_id, challenge_id, expires_at AS "expires_at: DateTime<Utc>", seed"#,
        hash
    )
    .fetch_optional(db)
    .await
}

/// Forget a token of `owner` that will not be answered (replaced by a new captcha).
pub async fn drop_token(db: &PgPool, hash: &[u8], owner: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM captcha_tokens WHERE token_hash = $1 AND owner = $2",
        hash,
        owner
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Delete expired tokens (housekeeping).
pub async fn prune_tokens(db: &PgPool) -> sqlx::Result<u64> {
    Ok(
        sqlx::query!("DELETE FROM captcha_tokens WHERE expires_at < now()")
            .execute(db)
            .await?
            .rows_affected(),
    )
}

/// The text and marks of an image (for checking an answer; not cached on its own because the
/// active list usually has it — retired images are looked up here).
pub async fn image_text(db: &PgPool, id: i64) -> sqlx::Result<Option<ImageText>> {
    sqlx::query_as!(
        ImageText,
        "SELECT id, text, marks FROM captcha_images WHERE id = $1",
        id
    )
    .fetch_optional(db)
    .await
}

/// Run one `UPDATE` in a transaction that invalidates `key` as it commits; whether it matched
/// a row (false: no such id).
async fn update_one(
    db: &PgPool,
    cache: &Cache,
    key: CacheKey,
    update: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let matched = update.execute(&mut *tx).await?.rows_affected() > 0;
    cache.commit(tx, [key]).await?;
    Ok(matched)
}
