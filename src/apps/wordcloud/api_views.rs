//! The comparison and trend views in the JSON API — the data of `/pages/compare` and
//! `/pages/{id}/trend`, chosen the same way (`compare::side_counts`, `changes`,
//! `trend::chosen_words`), for apps that draw their own.

use axum::{Extension, Json, extract::State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    api::{WordCount, invalid},
    budget,
    changes::{self, Change},
    compare::{self, SIDE_WORDS},
    model::{self, Counts, PAGE},
    trend::{self, MAX_WORDS},
};
use crate::web::{
    AppError, AppState, Message, Result,
    api_input::{Id, Query, parse_id},
    error::FieldError,
    extract::ClientIp,
    middleware::context::Ctx,
};

/// Which two sides: this page at `at`, and page `with` (default: this one) at `with_at`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// This page's crawl in effect at this instant (RFC 3339, or a local `2025-12-25T15:00` in
    /// the caller's timezone); default: its latest.
    #[param(format = DateTime)]
    at: Option<String>,
    /// The page to compare with (default: this page, at another time).
    #[param(value_type = Option<i64>, minimum = 1)]
    with: Option<String>,
    /// The other page's crawl in effect at this instant; default: its latest.
    #[param(format = DateTime)]
    with_at: Option<String>,
}

/// One side of a comparison.
#[derive(Serialize, ToSchema)]
pub struct SideOut {
    page_id: i64,
    /// The crawl shown; null when the page had no successful crawl by then.
    crawled_at: Option<DateTime<Utc>>,
    /// Its most frequent words (at most 80), largest first, after ignore lists.
    words: Vec<WordCount>,
}

/// A word's count on both sides (0: absent there).
#[derive(Serialize, ToSchema)]
pub struct ChangeOut {
    word: String,
    before: i64,
    after: i64,
}

impl From<Change> for ChangeOut {
    fn from(c: Change) -> Self {
        ChangeOut {
            word: c.word,
            before: c.before,
            after: c.after,
        }
    }
}

/// What changed from the left side to the right (each list largest first, at most 12; all
/// empty when a side has no crawl).
#[derive(Serialize, ToSchema)]
pub struct CompareOut {
    left: SideOut,
    right: SideOut,
    /// Only on the right, by their count there.
    gained: Vec<ChangeOut>,
    /// Only on the left, by their count there.
    lost: Vec<ChangeOut>,
    /// On both sides and more on the right, by how much.
    rises: Vec<ChangeOut>,
    /// On both sides and fewer on the right, by how much.
    falls: Vec<ChangeOut>,
    /// Frequent words both sides share, in the left's order (at most 30).
    shared: Vec<String>,
}

fn side_out(page_id: i64, counts: &Option<Counts>) -> SideOut {
    SideOut {
        page_id,
        crawled_at: counts.as_ref().map(|c| c.crawled_at),
        words: counts
            .iter()
            .flat_map(|c| c.words.iter().take(SIDE_WORDS))
            .map(|(word, count)| WordCount {
                word: word.clone(),
                count: *count,
            })
            .collect(),
    }
}

/// One page at two times (Saturday against Sunday), or two pages: both sides' words and what
/// changed between them.
#[utoipa::path(get, path = "/api/v1/pages/{id}/compare", tag = "wordcloud",
    params(("id" = i64, Path, description = "Page id (the left side)"), CompareQuery),
    responses(
        (status = 200, description = "Both sides and what changed", body = CompareOut),
        (status = 404, description = "No such page (`id` or `with`)", content_type = "application/problem+json"),
        (status = 422, description = "A bad `at`, `with` or `with_at`", content_type = "application/problem+json"),
        (status = 429, description = "Too many uncached renders from this client (see Retry-After)", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn compare(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ip: ClientIp,
    Id(id): Id,
    Query(query): Query<CompareQuery>,
) -> Result<Json<CompareOut>> {
    let other = match query.with.as_deref() {
        None => id,
        Some(text) => {
            parse_id(text).ok_or_else(|| invalid("with", Message::new("api-field-invalid")))?
        }
    };
    for page in [id, other] {
        PAGE.get(&state.cache, &state.db, page)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    budget::spend(&state, &ip).await?;
    let (left, left_request) = compare::side_counts(&state, id, query.at, ctx.tz).await?;
    let (right, right_request) = compare::side_counts(&state, other, query.with_at, ctx.tz).await?;
    // Each side's `at` problems, under the parameter that caused them.
    let problems: Vec<FieldError> = [("at", &left_request), ("with_at", &right_request)]
        .into_iter()
        .flat_map(|(field, request)| {
            request
                .problems
                .iter()
                .map(move |(_, m)| FieldError::new(field, m.clone()))
        })
        .collect();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (changes, shared) = match (&left, &right) {
        (Some(l), Some(r)) => (
            changes::between(&l.words, &r.words),
            changes::shared(&l.words, &r.words),
        ),
        _ => Default::default(),
    };
    let list = |changes: Vec<Change>| changes.into_iter().map(ChangeOut::from).collect();
    Ok(Json(CompareOut {
        left: side_out(id, &left),
        right: side_out(other, &right),
        gained: list(changes.gained),
        lost: list(changes.lost),
        rises: list(changes.rises),
        falls: list(changes.falls),
        shared,
    }))
}

/// Which words.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TrendQuery {
    /// Up to eight words, separated by commas (case does not matter); default: the five most
    /// frequent words of the latest crawl.
    words: Option<String>,
}

/// The words' counts in one crawl.
#[derive(Serialize, ToSchema)]
pub struct TrendPoint {
    crawled_at: DateTime<Utc>,
    /// One count per word, in the order of `words` (0: not in that crawl).
    counts: Vec<i64>,
}

/// How often words appeared in each successful crawl of a page, oldest first.
#[derive(Serialize, ToSchema)]
pub struct TrendOut {
    page_id: i64,
    /// The words, lower case.
    words: Vec<String>,
    crawls: Vec<TrendPoint>,
}

/// Word trends: the counts of chosen words in every successful crawl of a page.
#[utoipa::path(get, path = "/api/v1/pages/{id}/trend", tag = "wordcloud",
    params(("id" = i64, Path, description = "Page id"), TrendQuery),
    responses(
        (status = 200, description = "Counts per crawl", body = TrendOut),
        (status = 404, description = "No such page", content_type = "application/problem+json"),
        (status = 422, description = "More than eight words", content_type = "application/problem+json"),
        (status = 429, description = "Too many uncached renders from this client (see Retry-After)", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn trend(
    State(state): State<AppState>,
    ip: ClientIp,
    Id(id): Id,
    Query(query): Query<TrendQuery>,
) -> Result<Json<TrendOut>> {
    PAGE.get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    budget::spend(&state, &ip).await?;
    let (words, too_many) =
        trend::chosen_words(&state, id, query.words.as_deref().unwrap_or_default()).await?;
    if too_many {
        return Err(invalid(
            "words",
            Message::new("api-trend-too-many").arg("max", MAX_WORDS),
        ));
    }
    let series = if words.is_empty() {
        Vec::new()
    } else {
        model::trend(&state.db, id, &words).await?
    };
    Ok(Json(TrendOut {
        page_id: id,
        words,
        crawls: series
            .into_iter()
            .map(|(crawled_at, counts)| TrendPoint { crawled_at, counts })
            .collect(),
    }))
}
