//! Ignore lists: named word lists admins attach to pages ("like", "share", "retweet" for a
//! social-media page). They filter what is shown, not what is stored, so changing a list
//! changes every affected cloud at once, without recrawling.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgExecutor, PgPool};

use super::model::page_keys;
use crate::{
    cache::{Cache, CacheKey, Memo, Ttl},
    web::Message,
};

/// A list.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IgnoreList {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Words (lower case, sorted).
    pub words: Vec<String>,
    /// Created at.
    pub created_at: DateTime<Utc>,
}

/// Every list (a small table).
pub static LISTS: Memo<(), Vec<IgnoreList>> = Memo {
    namespace: "ignore_lists",
    ttl: Ttl::minutes(30),
    key: |()| CacheKey::new("ignore_lists").field("all", true),
    load: |db, ()| Box::pin(async move { all(&db).await }),
};

/// The ids of the lists attached to a page.
pub static PAGE_LISTS: Memo<i64, Vec<i64>> = Memo {
    namespace: "page_ignore_lists",
    ttl: Ttl::minutes(30),
    key: |page| CacheKey::new("page_ignore_lists").field("page", page),
    load: |db, page| Box::pin(async move { lists_of(&db, page).await }),
};

async fn all(db: &PgPool) -> sqlx::Result<Vec<IgnoreList>> {
    sqlx::query_as!(
        IgnoreList,
        r#"SELECT id, name, words, created_at AS "created_at: DateTime<Utc>"
           FROM ignore_lists ORDER BY lower(name)"#
    )
    .fetch_all(db)
    .await
}

async fn lists_of(db: &PgPool, page: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "SELECT ignore_list_id FROM page_ignore_lists WHERE page_id = $1 ORDER BY ignore_list_id",
        page
    )
    .fetch_all(db)
    .await
}

/// The words ignored on a page (union of its lists).
pub async fn ignored_words(db: &PgPool, cache: &Cache, page: i64) -> sqlx::Result<HashSet<String>> {
    let attached = PAGE_LISTS.get(cache, db, page).await?;
    if attached.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(LISTS
        .get(cache, db, ())
        .await?
        .into_iter()
        .filter(|l| attached.contains(&l.id))
        .flat_map(|l| l.words)
        .collect())
}

/// Parse the words of a list as typed (separated by white space or commas), lower-cased,
/// deduplicated and sorted.
pub fn parse_words(text: &str) -> Result<Vec<String>, Message> {
    let mut words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words.dedup();
    if words.len() > 5000 {
        return Err(Message::new("ignore-too-many").arg("max", 5000_i64));
    }
    if words.iter().any(|w| w.chars().count() > 100) {
        return Err(Message::new("ignore-word-too-long").arg("max", 100_i64));
    }
    Ok(words)
}

/// The pages a list is attached to.
async fn pages_of(db: impl PgExecutor<'_>, list: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "SELECT page_id FROM page_ignore_lists WHERE ignore_list_id = $1",
        list
    )
    .fetch_all(db)
    .await
}

/// What a change of the lists used by `pages` invalidates: the lists, and each page's lists
/// and everything derived from its words.
fn list_keys(pages: &[i64]) -> Vec<CacheKey> {
    let mut keys = vec![LISTS.key_for(&())];
    for &page in pages {
        keys.push(PAGE_LISTS.key_for(&page));
        keys.extend(page_keys(page));
    }
    keys
}

/// Creating or renaming a list failed.
#[derive(Debug)]
pub enum SaveError {
    /// Another list has this name.
    NameTaken,
    /// Anything else.
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        match crate::db::violated_constraint(&e) {
            Some("ignore_lists_name_key") => SaveError::NameTaken,
            _ => SaveError::Db(e),
        }
    }
}

/// Create a list; returns its id.
pub async fn create(
    db: &PgPool,
    cache: &Cache,
    name: &str,
    words: &[String],
) -> Result<i64, SaveError> {
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO ignore_lists (name, words) VALUES ($1, $2) RETURNING id",
        name,
        words
    )
    .fetch_one(&mut *tx)
    .await?;
    cache.commit(tx, list_keys(&[])).await?;
    Ok(id)
}

/// Change a list's name and words. False when there is no such list.
pub async fn update(
    db: &PgPool,
    cache: &Cache,
    id: i64,
    name: &str,
    words: &[String],
) -> Result<bool, SaveError> {
    let mut tx = db.begin().await?;
    let done = sqlx::query!(
        "UPDATE ignore_lists SET name = $2, words = $3 WHERE id = $1",
        id,
        name,
        words
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    let pages = pages_of(&mut *tx, id).await?;
    cache.commit(tx, list_keys(&pages)).await?;
    Ok(done)
}

/// Delete a list (detaching it from its pages). False when there is no such list.
pub async fn delete(db: &PgPool, cache: &Cache, id: i64) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let pages = pages_of(&mut *tx, id).await?;
    let done = sqlx::query!("DELETE FROM ignore_lists WHERE id = $1", id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    cache.commit(tx, list_keys(&pages)).await?;
    Ok(done)
}

/// Set exactly which lists a page uses.
pub async fn set_page_lists(
    db: &PgPool,
    cache: &Cache,
    page: i64,
    lists: &[i64],
) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query!("DELETE FROM page_ignore_lists WHERE page_id = $1", page)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "INSERT INTO page_ignore_lists (page_id, ignore_list_id)
         SELECT $1, id FROM ignore_lists WHERE id = ANY($2)",
        page,
        lists
    )
    .execute(&mut *tx)
    .await?;
    cache.commit(tx, list_keys(&[page])).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_folded_and_deduplicated() {
        assert_eq!(
            parse_words("Like, share\nLIKE  retweet,,").unwrap(),
            ["like", "retweet", "share"]
        );
        assert!(parse_words("").unwrap().is_empty());
        assert_eq!(
            parse_words(&"x".repeat(101)).unwrap_err().id,
            "ignore-word-too-long"
        );
    }
}
