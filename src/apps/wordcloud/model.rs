//! Pages, crawls and word counts in PostgreSQL, read through the model-cache layer.
//!
//! ## Sizing (10,000 pages × 4 crawls a day × 90 days)
//! A successful crawl is one `crawls` row holding the page's words and counts as two parallel
//! arrays sorted by word (not one row per word): 3.6 M rows. A typical page has ~300 distinct
//! words after stopwords; the arrays take ~5 KB, which PostgreSQL TOAST-compresses to ~2–3 KB,
//! so the table is ~10 GB with its two partial indexes ((page, time) for clouds, (time) for
//! the search index) ~250 MB. One row per (crawl, word) would be ~1.1 G rows and ~75 GB with its
//! primary key. Failed crawls are small rows without arrays. `HUD_CRAWL_RETENTION_DAYS`
//! (default 90) bounds it.
//!
//! Ignore lists are not applied when storing: they filter what is shown, so editing a list
//! changes every cloud at once without recrawling.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgExecutor, PgPool};

use crate::{
    cache::{Cache, CacheKey, Memo, Ttl},
    web::middleware::response_cache::{PAGES_TAG, tag_key},
};

/// A registered page.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Page {
    /// Row id.
    pub id: i64,
    /// Normalised URL.
    pub url: String,
    /// Title given when registering, if any.
    pub title: Option<String>,
    /// Title found by the last successful crawl.
    pub page_title: Option<String>,
    /// Detected language (ISO 639-1).
    pub language: Option<String>,
    /// Crawled on schedule.
    pub active: bool,
    /// Registered at.
    pub created_at: DateTime<Utc>,
    /// Last crawl (any outcome).
    pub last_crawl_at: Option<DateTime<Utc>>,
    /// Its outcome.
    pub last_outcome: Option<String>,
    /// Who registered it.
    pub added_by: Option<i64>,
}

impl Page {
    /// What to call the page: its given title, else the crawled one, else the URL.
    pub fn name(&self) -> &str {
        self.title
            .as_deref()
            .or(self.page_title.as_deref())
            .unwrap_or(&self.url)
    }

    /// Its cloud page.
    pub fn path(&self) -> String {
        format!("/pages/{}", self.id)
    }

    /// Its delete question (and form action).
    pub fn delete_path(&self) -> String {
        format!("/pages/{}/delete", self.id)
    }
}

/// Every page, for the public list (small: ~200 bytes a page).
pub static PAGES: Memo<(), Vec<Page>> = Memo {
    namespace: "pages",
    ttl: Ttl::minutes(10),
    key: |()| CacheKey::new("pages").field("all", true),
    load: |db, ()| Box::pin(async move { all(&db).await }),
};

/// Page `offset / limit` of the list of pages (in registration order) and how many there are,
/// read from the cached whole list.
pub async fn list_page(
    cache: &Cache,
    db: &PgPool,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Page>, i64)> {
    let all = PAGES.get(cache, db, ()).await?;
    let total = all.len() as i64;
    let shown = all
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(0))
        .collect();
    Ok((shown, total))
}

/// One page by id.
pub static PAGE: Memo<i64, Option<Page>> = Memo {
    namespace: "page",
    ttl: Ttl::minutes(10),
    key: |id| CacheKey::new("page").field("id", id),
    load: |db, id| Box::pin(async move { by_id(&db, id).await }),
};

async fn all(db: &PgPool) -> sqlx::Result<Vec<Page>> {
    sqlx::query_as!(
        Page,
        r#"SELECT id, url, title, page_title, language, active,
                  created_at AS "created_at: DateTime<Utc>",
                  last_crawl_at AS "last_crawl_at: DateTime<Utc>", last_outcome, added_by
           FROM pages ORDER BY id"#
    )
    .fetch_all(db)
    .await
}

async fn by_id(db: &PgPool, id: i64) -> sqlx::Result<Option<Page>> {
    sqlx::query_as!(
        Page,
        r#"SELECT id, url, title, page_title, language, active,
                  created_at AS "created_at: DateTime<Utc>",
                  last_crawl_at AS "last_crawl_at: DateTime<Utc>", last_outcome, added_by
           FROM pages WHERE id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// What the cache holds about a page: what any write to it or its crawls invalidates (its
/// row, the pages list, its word counts, and the responses showing it or the list).
pub fn page_keys(id: i64) -> Vec<CacheKey> {
    vec![
        PAGE.key_for(&id),
        PAGES.key_for(&()),
        COUNTS.key_for(&id),
        tag_key(&page_tag(id)),
        tag_key(PAGES_TAG),
    ]
}

/// The response-cache tag of everything showing a page's words.
pub fn page_tag(id: i64) -> String {
    format!("page:{id}")
}

/// Registering a page failed.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    /// This URL is registered already (its page id).
    #[error("already registered as page {0}")]
    Exists(i64),
    /// The registrant has as many pages as they may have (the limit).
    #[error("{0} pages registered, the most one user may have")]
    Quota(i64),
    /// Anything else.
    #[error(transparent)]
    Db(sqlx::Error),
}

/// Who registers a page, and how many pages they may have registered at a time.
#[derive(Clone, Copy, Debug)]
pub struct Registrant {
    /// The user's id.
    pub user: i64,
    /// Their limit; `None`: unlimited (administrators).
    pub quota: Option<i64>,
}

impl Registrant {
    /// A signed-in user under the configured quota (`HUD_PAGES_PER_USER`), which does not
    /// apply to administrators.
    pub fn of(user: &crate::web::auth::CurrentUser, pages_per_user: i64) -> Registrant {
        Registrant {
            user: user.id,
            quota: (!user.is_admin).then_some(pages_per_user),
        }
    }
}

/// Register a page (`crawl::register` also queues its first crawl). A registrant's quota is
/// checked in the inserting transaction, under a lock per user, so racing additions cannot
/// pass it together.
pub async fn add(
    db: &PgPool,
    cache: &Cache,
    url: &str,
    title: Option<&str>,
    by: Option<Registrant>,
) -> Result<i64, AddError> {
    let mut tx = db.begin().await.map_err(AddError::Db)?;
    if let Some(Registrant {
        user,
        quota: Some(quota),
    }) = by
    {
        sqlx::query!(
            "SELECT pg_advisory_xact_lock(hashtextextended('pages-per-user', $1))",
            user
        )
        .execute(&mut *tx)
        .await
        .map_err(AddError::Db)?;
        let have = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM pages WHERE added_by = $1"#,
            user
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(AddError::Db)?;
        if have >= quota {
            return Err(AddError::Quota(quota));
        }
    }
    let inserted = sqlx::query_scalar!(
        "INSERT INTO pages (url, title, added_by) VALUES ($1, $2, $3)
         ON CONFLICT (url) DO NOTHING RETURNING id",
        url,
        title,
        by.map(|r| r.user)
    )
    .fetch_optional(&mut *tx)
    .await
    .map_err(AddError::Db)?;
    match inserted {
        Some(id) => {
            cache
                .commit(tx, page_keys(id))
                .await
                .map_err(AddError::Db)?;
            Ok(id)
        }
        None => {
            let existing = sqlx::query_scalar!("SELECT id FROM pages WHERE url = $1", url)
                .fetch_one(db)
                .await
                .map_err(AddError::Db)?;
            Err(AddError::Exists(existing))
        }
    }
}

/// Whether `user` may delete `page`: the one who registered it, or an administrator.
pub fn may_delete(page: &Page, user: &crate::web::auth::CurrentUser) -> bool {
    user.is_admin || page.added_by == Some(user.id)
}

/// Delete a page with its crawls (the foreign keys cascade) and what every process caches
/// about it (its row, the list, its counts and the responses showing them). A crawl of it
/// still running finds it gone and stores nothing; the search index drops it at its next
/// refresh (its crawls leave the window's fingerprint). False when there was no such page.
pub async fn delete(db: &PgPool, cache: &Cache, id: i64) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let deleted = sqlx::query!("DELETE FROM pages WHERE id = $1", id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    cache.commit(tx, page_keys(id)).await?;
    Ok(deleted)
}

/// How many crawls of a page are stored (what deleting it takes with it).
pub async fn crawl_count(db: &PgPool, id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM crawls WHERE page_id = $1"#,
        id
    )
    .fetch_one(db)
    .await
}

/// Change a page's title and schedule (admins). False when there is no such page.
pub async fn update(
    db: &PgPool,
    cache: &Cache,
    id: i64,
    title: Option<&str>,
    active: bool,
) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let done = sqlx::query!(
        "UPDATE pages SET title = $2, active = $3 WHERE id = $1",
        id,
        title,
        active
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    cache.commit(tx, page_keys(id)).await?;
    Ok(done)
}

/// What a crawl found.
pub struct NewCrawl<'a> {
    /// The page.
    pub page_id: i64,
    /// The job that crawled it.
    pub job_id: Option<i64>,
    /// When.
    pub crawled_at: DateTime<Utc>,
    /// How it ended (`ok`, `not_modified`, …).
    pub outcome: &'a str,
    /// HTTP status, when there was a response.
    pub http_status: Option<i32>,
    /// Why it failed, or where it was redirected.
    pub detail: Option<String>,
    /// Detected language.
    pub language: Option<String>,
    /// The page's title.
    pub page_title: Option<String>,
    /// Words and counts, sorted by word (successful crawls only).
    pub counts: Option<Vec<(String, i32)>>,
    /// Validators for the next conditional GET.
    pub etag: Option<String>,
    /// Validators for the next conditional GET.
    pub last_modified: Option<String>,
}

/// Store a crawl and update its page, in one transaction that also invalidates the page's
/// cached reads. A crawl already stored by the same job (a retried job) is not stored again.
/// Returns whether it was stored.
pub async fn store_crawl(db: &PgPool, cache: &Cache, crawl: NewCrawl<'_>) -> sqlx::Result<bool> {
    let page_id = crawl.page_id;
    let mut tx = db.begin().await?;
    let (words, counts): (Option<Vec<String>>, Option<Vec<i32>>) = match crawl.counts {
        Some(pairs) => {
            let (w, c) = pairs.into_iter().unzip();
            (Some(w), Some(c))
        }
        None => (None, None),
    };
    let total = counts.as_ref().map(|c| {
        c.iter()
            .map(|n| i64::from(*n))
            .sum::<i64>()
            .min(i64::from(i32::MAX)) as i32
    });
    let stored = sqlx::query_scalar!(
        "INSERT INTO crawls (page_id, job_id, crawled_at, outcome, http_status, detail, language,
                             words, counts, total)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT DO NOTHING RETURNING id",
        crawl.page_id,
        crawl.job_id,
        crawl.crawled_at as _,
        crawl.outcome,
        crawl.http_status,
        crawl.detail,
        crawl.language,
        words.as_deref(),
        counts.as_deref(),
        total
    )
    .fetch_optional(&mut *tx)
    .await;
    let stored = match stored {
        Ok(id) => id.is_some(),
        // The page was deleted while it was being crawled: there is nothing to store it for.
        Err(e) if crate::db::violated_constraint(&e) == Some("crawls_page_id_fkey") => {
            return Ok(false);
        }
        Err(e) => return Err(e),
    };
    if stored {
        // A 304 keeps the previous title, language and validators.
        let ok = crawl.outcome == "ok";
        sqlx::query!(
            "UPDATE pages SET last_crawl_at = $2, last_outcome = $3,
                 page_title = CASE WHEN $4 THEN $5 ELSE page_title END,
                 language = CASE WHEN $4 THEN $6 ELSE language END,
                 etag = CASE WHEN $4 THEN $7 ELSE etag END,
                 last_modified = CASE WHEN $4 THEN $8 ELSE last_modified END
             WHERE id = $1",
            crawl.page_id,
            crawl.crawled_at as _,
            crawl.outcome,
            ok,
            crawl.page_title,
            crawl.language,
            crawl.etag,
            crawl.last_modified
        )
        .execute(&mut *tx)
        .await?;
    }
    cache.commit(tx, page_keys(page_id)).await?;
    Ok(stored)
}

/// Whether a job has already stored its crawl.
pub async fn crawl_of_job(db: impl PgExecutor<'_>, job_id: i64) -> sqlx::Result<bool> {
    Ok(
        sqlx::query_scalar!("SELECT id FROM crawls WHERE job_id = $1", job_id)
            .fetch_optional(db)
            .await?
            .is_some(),
    )
}

/// Note a transient failure on the page while its job waits for another attempt.
pub async fn note_outcome(
    db: &PgPool,
    cache: &Cache,
    page_id: i64,
    outcome: &str,
) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query!(
        "UPDATE pages SET last_outcome = $2 WHERE id = $1",
        page_id,
        outcome
    )
    .execute(&mut *tx)
    .await?;
    cache.commit(tx, [PAGE.key_for(&page_id)]).await
}

/// The validators of a page's last successful fetch.
pub async fn validators(
    db: &PgPool,
    page_id: i64,
) -> sqlx::Result<(Option<String>, Option<String>)> {
    let row = sqlx::query!(
        "SELECT etag, last_modified FROM pages WHERE id = $1",
        page_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map_or((None, None), |r| (r.etag, r.last_modified)))
}

/// Word counts of one successful crawl.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Counts {
    /// The crawl (None for an aggregate over several).
    pub crawl_id: Option<i64>,
    /// When it was crawled (the latest crawl of an aggregate).
    pub crawled_at: DateTime<Utc>,
    /// Crawls that went into it.
    pub crawls: i64,
    /// Words and counts, largest first, ties by word.
    pub words: Vec<(String, i64)>,
}

/// The latest successful crawl's counts of a page.
pub static COUNTS: Memo<i64, Option<Counts>> = Memo {
    namespace: "page_word_counts",
    ttl: Ttl::minutes(30),
    key: |page| CacheKey::new("page_word_counts").field("page", page),
    load: |db, page| Box::pin(async move { counts_at(&db, page, None).await }),
};

fn largest_first(map: BTreeMap<String, i64>) -> Vec<(String, i64)> {
    let mut words: Vec<(String, i64)> = map.into_iter().collect();
    // Stable sort of a word-sorted list: ties stay in word order (deterministic clouds).
    words.sort_by_key(|w| std::cmp::Reverse(w.1));
    words
}

/// Counts of the last successful crawl at or before `at` (None: the latest).
pub async fn counts_at(
    db: &PgPool,
    page: i64,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<Option<Counts>> {
    let row = sqlx::query!(
        r#"SELECT id, crawled_at AS "crawled_at: DateTime<Utc>", words AS "words!", counts AS "counts!"
           FROM crawls
           WHERE page_id = $1 AND outcome = 'ok' AND ($2::timestamptz IS NULL OR crawled_at <= $2)
           ORDER BY crawled_at DESC LIMIT 1"#,
        page,
        at as _
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Counts {
        crawl_id: Some(r.id),
        crawled_at: r.crawled_at,
        crawls: 1,
        words: largest_first(
            r.words
                .into_iter()
                .zip(r.counts.into_iter().map(i64::from))
                .collect(),
        ),
    }))
}

/// The first and last successful crawl of a page in [`from`, `to`] (None when there is none).
pub async fn crawl_span(
    db: &PgPool,
    page: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Option<(DateTime<Utc>, DateTime<Utc>)>> {
    let row = sqlx::query!(
        r#"SELECT min(crawled_at) AS "first: DateTime<Utc>", max(crawled_at) AS "last: DateTime<Utc>"
           FROM crawls WHERE page_id = $1 AND outcome = 'ok' AND crawled_at BETWEEN $2 AND $3"#,
        page,
        from as _,
        to as _
    )
    .fetch_one(db)
    .await?;
    Ok(row.first.zip(row.last))
}

/// Counts summed over the successful crawls in [`from`, `to`].
pub async fn counts_between(
    db: &PgPool,
    page: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Option<Counts>> {
    let rows = sqlx::query!(
        r#"WITH picked AS (
               SELECT crawled_at, words, counts FROM crawls
               WHERE page_id = $1 AND outcome = 'ok' AND crawled_at BETWEEN $2 AND $3)
           SELECT u.word AS "word!", sum(u.n)::bigint AS "n!",
                  (SELECT count(*) FROM picked) AS "crawls!",
                  (SELECT max(crawled_at) FROM picked) AS "latest!: DateTime<Utc>"
           FROM picked, unnest(picked.words, picked.counts) AS u(word, n)
           GROUP BY u.word"#,
        page,
        from as _,
        to as _
    )
    .fetch_all(db)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let (crawls, latest) = (first.crawls, first.latest);
    let mut map = BTreeMap::new();
    for row in rows {
        *map.entry(row.word).or_insert(0) += row.n;
    }
    Ok(Some(Counts {
        crawl_id: None,
        crawled_at: latest,
        crawls,
        words: largest_first(map),
    }))
}

/// The counts of `words` in every successful crawl of a page, oldest first (0 where a word is
/// missing).
pub async fn trend(
    db: &PgPool,
    page: i64,
    words: &[String],
) -> sqlx::Result<Vec<(DateTime<Utc>, Vec<i64>)>> {
    let rows = sqlx::query!(
        r#"SELECT c.crawled_at AS "crawled_at: DateTime<Utc>",
                  array(SELECT coalesce((SELECT u.n FROM unnest(c.words, c.counts) AS u(w, n)
                                          WHERE u.w = wanted), 0)
                        FROM unnest($2::text[]) WITH ORDINALITY AS x(wanted, i) ORDER BY i) AS "counts!: Vec<i32>"
           FROM crawls c
           WHERE c.page_id = $1 AND c.outcome = 'ok'
           ORDER BY c.crawled_at"#,
        page,
        words
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.crawled_at, r.counts.into_iter().map(i64::from).collect()))
        .collect())
}

/// A crawl as the page's history lists it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CrawlRow {
    /// Row id.
    pub id: i64,
    /// When.
    pub crawled_at: DateTime<Utc>,
    /// How it ended.
    pub outcome: String,
    /// HTTP status.
    pub http_status: Option<i32>,
    /// Why, for failures.
    pub detail: Option<String>,
    /// Words counted.
    pub total: Option<i32>,
}

/// A page's newest crawls.
pub async fn history(db: &PgPool, page: i64, limit: i64) -> sqlx::Result<Vec<CrawlRow>> {
    sqlx::query_as!(
        CrawlRow,
        r#"SELECT id, crawled_at AS "crawled_at: DateTime<Utc>", outcome, http_status, detail, total
           FROM crawls WHERE page_id = $1 ORDER BY crawled_at DESC LIMIT $2"#,
        page,
        limit
    )
    .fetch_all(db)
    .await
}

/// Queue a crawl of every active page not crawled within `interval_secs`. Returns how many.
pub async fn enqueue_due(db: &PgPool, interval_secs: f64) -> sqlx::Result<u64> {
    let queued = sqlx::query!(
        "INSERT INTO jobs (kind, key, payload, max_attempts)
         SELECT 'crawl', 'page:' || id, jsonb_build_object('page_id', id), 4 FROM pages
         WHERE active AND (last_crawl_at IS NULL OR last_crawl_at <= now() - make_interval(secs => $1))
         ON CONFLICT (kind, key) WHERE state IN ('queued', 'running') DO NOTHING",
        interval_secs
    )
    .execute(db)
    .await?;
    Ok(queued.rows_affected())
}

/// Delete crawls older than `days` days. Returns how many.
pub async fn prune(db: &PgPool, days: i32) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "DELETE FROM crawls WHERE crawled_at < now() - make_interval(days => $1)",
        days
    )
    .execute(db)
    .await?
    .rows_affected())
}
