//! Running a checked search against this process's index, through the model-cache layer: a
//! result page is cached under the normalised query, window, order, page and language, and
//! the index generation — so a new crawl makes every older entry unreachable at once, in every
//! process (they compute the same generation from the same data).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    index::{Filter, SearchOptions},
    live,
    request::{PER_PAGE, SearchRequest},
};
use crate::{
    cache::{BytesLookup, CacheKey, Ttl, codec},
    web::AppState,
};

/// A stored word that matched, with its count in the crawl.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MatchedWord {
    /// The word as stored.
    pub word: String,
    /// Its count in the crawl.
    pub count: u32,
    /// Typos between the query word and this word (0: exact or prefix).
    pub typos: u8,
}

/// One result: a page and its latest matching crawl in the window.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ResultHit {
    /// The page's id.
    pub page_id: i64,
    /// Its URL.
    pub url: String,
    /// Its title.
    pub title: String,
    /// The crawl shown.
    pub crawl_id: i64,
    /// When it was crawled.
    pub crawled_at: DateTime<Utc>,
    /// Detected language (ISO 639-1).
    pub language: Option<String>,
    /// Relevance (BM25 with a recency factor).
    pub score: f64,
    /// Matched words with counts.
    pub matched: Vec<MatchedWord>,
}

/// One page of results.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ResultPage {
    /// Matching pages in all.
    pub total: usize,
    /// This page, from 1.
    pub page: usize,
    /// Number of pages.
    pub pages: usize,
    /// Results on this page.
    pub hits: Vec<ResultHit>,
    /// "Did you mean": the query with misspelt words corrected.
    pub suggestion: Option<String>,
    /// A prefix or typo matched more words than were searched.
    pub truncated: bool,
    /// The index generation that answered.
    pub generation: String,
}

/// The API's answer: one page of results, or, with a `notice`, none and why.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SearchAnswer {
    /// The results (none when there is a notice).
    #[serde(flatten)]
    pub results: ResultPage,
    /// Why nothing was searched although the request was valid (the query has no searchable
    /// words, unbalanced parentheses or only negations; the period ends before it starts).
    /// Absent when the query was searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<crate::web::Notice>,
}

/// Page `page` of no results, from the current index generation.
pub async fn nothing(state: &AppState, page: usize) -> anyhow::Result<ResultPage> {
    let snapshot = live::current(state).await?;
    Ok(ResultPage {
        total: 0,
        page,
        pages: 1,
        hits: Vec::new(),
        suggestion: None,
        truncated: false,
        generation: snapshot.fingerprint.generation(),
    })
}

const TTL: Ttl = Ttl::minutes(10);

fn key(request: &SearchRequest, generation: &str) -> CacheKey {
    let time = |t: Option<DateTime<Utc>>| t.map_or_else(String::new, |t| t.to_rfc3339());
    CacheKey::new("search")
        .field("q", &request.query)
        .field("from", time(request.from))
        .field("to", time(request.to))
        .field("sort", request.sort())
        .field("page", request.page)
        .field("lang", request.lang.as_deref().unwrap_or_default())
        .field("generation", generation)
}

/// The answer as JSON (the API's body), cached as bytes beside the result page so a hit is
/// sent without decoding or encoding anything.
pub async fn run_json(
    state: &AppState,
    request: &SearchRequest,
) -> anyhow::Result<axum::body::Bytes> {
    let snapshot = live::current(state).await?;
    let key = key(request, &snapshot.fingerprint.generation()).field("format", "json");
    let slot = match state.cache.get_bytes(&key, TTL).await {
        BytesLookup::Hit(item) => return Ok(codec::shared_slice(&item, &item.payload)),
        BytesLookup::Miss(slot) | BytesLookup::Refresh(_, slot) => slot,
    };
    let json = serde_json::to_vec(&run(state, request).await?)?;
    state.cache.put_bytes(slot, json.clone(), TTL).await;
    Ok(json.into())
}

/// Search, or read the cached answer.
pub async fn run(state: &AppState, request: &SearchRequest) -> anyhow::Result<ResultPage> {
    let snapshot = live::current(state).await?;
    let generation = snapshot.fingerprint.generation();
    let request = request.clone();
    let key = key(&request, &generation);
    state
        .cache
        .get_or_load(&key, TTL, move || async move {
            // Microseconds for typical queries; fuzzy expansion stays well under a millisecond.
            let options = SearchOptions {
                filter: Filter {
                    from: request.from,
                    to: request.to,
                    language: request.lang.as_deref(),
                    typos: true,
                },
                order: request.order,
                offset: (request.page - 1) * PER_PAGE,
                limit: PER_PAGE,
            };
            let found = snapshot.index.search(&request.query, &options);
            Ok::<_, anyhow::Error>(ResultPage {
                total: found.total,
                page: request.page,
                pages: found.total.div_ceil(PER_PAGE).max(1),
                hits: found
                    .hits
                    .iter()
                    .map(|h| ResultHit {
                        page_id: h.page,
                        url: h.url.to_owned(),
                        title: h.title.to_owned(),
                        crawl_id: h.row,
                        crawled_at: h.crawl_time,
                        language: h.language.map(str::to_owned),
                        score: h.score,
                        matched: h
                            .matched
                            .iter()
                            .map(|m| MatchedWord {
                                word: m.word.to_string(),
                                count: m.count,
                                typos: m.typos,
                            })
                            .collect(),
                    })
                    .collect(),
                suggestion: found.suggestion.map(|s| s.query),
                truncated: found.truncated,
                generation,
            })
        })
        .await
}
