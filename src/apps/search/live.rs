//! The index this process searches: built from the stored word counts of the last
//! `HUD_SEARCH_DAYS` days and rebuilt in the background when they change.
//!
//! Every HUD process holds its own copy. A keeper task asks PostgreSQL every
//! `HUD_SEARCH_REFRESH` for a fingerprint of the crawls in the window (how many, the newest
//! and oldest id); when it differs from the one the current index was built from — a crawl
//! landed, one was pruned, or the window moved past the oldest — it streams the rows into a
//! new index on a blocking thread and swaps it in. Readers take an `Arc` to the current
//! snapshot under a read lock held for a pointer copy, so they never wait for a build and never
//! see a half-built index; a search keeps using the snapshot it started with.
//!
//! The fingerprint is the same in every process for the same data, so it doubles as the
//! generation in cache keys: cached results of different processes agree, and a new
//! generation makes old entries unreachable.

use std::{
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::PgPool;
use tokio::sync::Mutex;

use super::index::{CrawlRow, Index, IndexBuilder, IndexStats};
use crate::web::AppState;

/// What an index was built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// Successful crawls in the window.
    pub rows: i64,
    /// Highest crawl id among them.
    pub newest: i64,
    /// Lowest crawl id among them.
    pub oldest: i64,
}

impl Fingerprint {
    /// As a cache-key field.
    pub fn generation(&self) -> String {
        format!("{}-{}-{}", self.rows, self.newest, self.oldest)
    }
}

/// An index with what it was built from.
pub struct Snapshot {
    /// The index.
    pub index: Index,
    /// Its data's fingerprint (the generation).
    pub fingerprint: Fingerprint,
    /// The window's start when it was built.
    pub since: DateTime<Utc>,
    /// When it was swapped in.
    pub built_at: DateTime<Utc>,
    /// Time to read the rows from PostgreSQL.
    pub load_time: Duration,
}

/// The current snapshot of this process.
pub struct LiveIndex {
    current: RwLock<Option<Arc<Snapshot>>>,
    /// One rebuild at a time per process.
    building: Mutex<()>,
}

impl Default for LiveIndex {
    fn default() -> Self {
        LiveIndex {
            current: RwLock::new(None),
            building: Mutex::new(()),
        }
    }
}

impl LiveIndex {
    /// The current snapshot, if one was built.
    pub fn get(&self) -> Option<Arc<Snapshot>> {
        // The lock is held for an `Arc` clone; a poisoned lock still holds a whole snapshot.
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn swap(&self, snapshot: Snapshot) {
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(snapshot));
    }
}

/// The start of the window `days` long ending now.
pub fn window_start(days: u32) -> DateTime<Utc> {
    Utc::now() - chrono::Duration::days(i64::from(days))
}

/// The fingerprint of the crawls since `since`.
pub async fn fingerprint(db: &PgPool, since: DateTime<Utc>) -> sqlx::Result<Fingerprint> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "rows!", coalesce(max(id), 0) AS "newest!", coalesce(min(id), 0) AS "oldest!"
           FROM crawls WHERE outcome = 'ok' AND crawled_at >= $1"#,
        since as _
    )
    .fetch_one(db)
    .await?;
    Ok(Fingerprint {
        rows: row.rows,
        newest: row.newest,
        oldest: row.oldest,
    })
}

/// One crawl as read for the index (owned: it crosses to the building thread).
struct LoadedRow {
    id: i64,
    page: i64,
    crawled_at: DateTime<Utc>,
    language: Option<String>,
    url: String,
    title: String,
    counts: Vec<(String, u32)>,
}

/// Rows per message from the reading task to the building thread.
const BATCH: usize = 256;

/// Build an index of the crawls since `since`: rows stream from PostgreSQL in batches to a
/// blocking thread that builds (the async runtime never runs the CPU-bound part).
pub async fn build(db: &PgPool, since: DateTime<Utc>) -> anyhow::Result<(Index, Duration)> {
    let started = Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<LoadedRow>>(4);
    let builder = tokio::task::spawn_blocking(move || {
        let mut builder = IndexBuilder::new();
        while let Some(batch) = rx.blocking_recv() {
            for r in &batch {
                builder.push(CrawlRow {
                    row: r.id,
                    page: r.page,
                    crawl_time: r.crawled_at,
                    language: r.language.as_deref(),
                    url: &r.url,
                    title: &r.title,
                    counts: &r.counts,
                })?;
            }
        }
        Ok::<_, anyhow::Error>(builder.finish()?)
    });
    let mut rows = sqlx::query!(
        r#"SELECT c.id, c.page_id, c.crawled_at AS "crawled_at: DateTime<Utc>", c.language,
                  p.url, coalesce(p.title, p.page_title, p.url) AS "title!",
                  c.words AS "words!", c.counts AS "counts!"
           FROM crawls c JOIN pages p ON p.id = c.page_id
           WHERE c.outcome = 'ok' AND c.crawled_at >= $1 AND c.words IS NOT NULL"#,
        since as _
    )
    .fetch(db);
    let mut batch = Vec::with_capacity(BATCH);
    let read = async {
        while let Some(r) = rows.try_next().await? {
            batch.push(LoadedRow {
                id: r.id,
                page: r.page_id,
                crawled_at: r.crawled_at,
                language: r.language,
                url: r.url,
                title: r.title,
                counts: r
                    .words
                    .into_iter()
                    .zip(r.counts)
                    .map(|(w, n)| (w, u32::try_from(n).unwrap_or(0)))
                    .collect(),
            });
            if batch.len() == BATCH && tx.send(std::mem::take(&mut batch)).await.is_err() {
                break; // The builder failed; its error is reported below.
            }
        }
        if !batch.is_empty() {
            let _ = tx.send(batch).await;
        }
        drop(tx);
        Ok::<_, sqlx::Error>(())
    };
    let load = read.await;
    let index = builder.await??;
    load?;
    Ok((index, started.elapsed()))
}

/// Bring this process's index up to date: rebuild when the data changed (or there is none
/// yet). Returns whether a new index was swapped in.
pub async fn refresh(state: &AppState) -> anyhow::Result<bool> {
    let live = state.local::<LiveIndex>();
    let _one = live.building.lock().await;
    let since = window_start(state.config.search.days);
    let now = fingerprint(&state.db, since).await?;
    if live.get().is_some_and(|current| current.fingerprint == now) {
        return Ok(false);
    }
    let started = Instant::now();
    let (index, load_time) = build(&state.db, since).await?;
    // Crawls that landed while reading are picked up by the next check.
    let stats: IndexStats = index.stats();
    tracing::info!(
        rows = stats.rows,
        words = stats.words,
        postings = stats.postings,
        bytes = stats.bytes(),
        ms = started.elapsed().as_millis() as u64,
        "search index rebuilt"
    );
    metrics::gauge!("hud_search_index_bytes").set(stats.bytes() as f64);
    metrics::gauge!("hud_search_index_rows").set(stats.rows as f64);
    metrics::histogram!("hud_search_index_build_seconds").record(started.elapsed().as_secs_f64());
    live.swap(Snapshot {
        index,
        fingerprint: now,
        since,
        built_at: Utc::now(),
        load_time,
    });
    Ok(true)
}

/// The current snapshot, building the first one if this process has none yet.
pub async fn current(state: &AppState) -> anyhow::Result<Arc<Snapshot>> {
    if let Some(snapshot) = state.local::<LiveIndex>().get() {
        return Ok(snapshot);
    }
    refresh(state).await?;
    state
        .local::<LiveIndex>()
        .get()
        .ok_or_else(|| anyhow::anyhow!("the search index was not built"))
}

/// Keep this process's index current until the process ends (started by `hud serve`).
pub fn keep_current(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let every = state.config.search.refresh.max(Duration::from_millis(100));
        loop {
            if let Err(error) = refresh(&state).await {
                tracing::warn!(%error, "search index refresh failed; keeping the current one");
            }
            tokio::time::sleep(every).await;
        }
    })
}
