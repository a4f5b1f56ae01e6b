//! Side by side: one page at two times (Saturday vs Sunday), or two pages.
//!
//! `GET /pages/compare?a=ID&b=ID&at_a=…&at_b=…` (local times; empty = latest crawl). Each side is
//! its own cloud; below them, what changed from left to right (see [`super::changes`]) and the
//! words the two sides share.

use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;

use super::{
    budget,
    changes::{self, Changes},
    model::{Counts, PAGE, PAGES, Page as WebPage},
    view::{self, CloudQuery},
};
use crate::web::{AppError, AppState, Page, Result, extract::ClientIp, page::render};

/// The query as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
    at_a: Option<String>,
    at_b: Option<String>,
}

/// One side.
pub struct Side {
    entry: WebPage,
    counts: Option<Counts>,
    svg: Option<String>,
}

/// One side's inputs in the form.
pub struct FormSide {
    legend: &'static str,
    field: &'static str,
    at_field: &'static str,
    chosen: Option<i64>,
    at: String,
}

impl FormSide {
    /// Whether page `id` is the one chosen on this side.
    fn is(&self, id: &i64) -> bool {
        self.chosen == Some(*id)
    }
}

/// The comparison page.
#[derive(askama::Template)]
#[template(path = "wordcloud/compare.html")]
struct CompareTemplate {
    page: Page,
    pages: Vec<WebPage>,
    form: [FormSide; 2],
    sides: Vec<Side>,
    changes: Option<Changes>,
    shared: Vec<String>,
    problems: Vec<String>,
}

/// Words each side of a comparison shows.
pub const SIDE_WORDS: usize = 80;

/// One side of a comparison: page `id` as crawled at local time `at` in `tz` (the latest crawl
/// when `None`), its [`SIDE_WORDS`] most frequent words; with the request, whose problems say
/// what was wrong with `at`. The compare page and the API read sides alike.
pub async fn side_counts(
    state: &AppState,
    id: i64,
    at: Option<String>,
    tz: chrono_tz::Tz,
) -> Result<(Option<Counts>, view::Request)> {
    let query = CloudQuery {
        at,
        words: Some(SIDE_WORDS.to_string()),
        ..CloudQuery::default()
    };
    let request = query.parse(tz);
    let counts = view::counts(&state.db, &state.cache, id, &request).await?;
    Ok((counts, request))
}

async fn side(
    state: &AppState,
    page: &Page,
    id: i64,
    at: Option<String>,
    problems: &mut Vec<String>,
) -> Result<Side> {
    let entry = PAGE
        .get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (counts, request) = side_counts(state, id, at, page.tz).await?;
    problems.extend(request.problems.iter().map(|(_, m)| page.message(m)));
    let svg = match &counts {
        Some(c) if !c.words.is_empty() => {
            let title = page.t1("cloud-title", "page", entry.name());
            let search = page.enabled("search").then(|| page.url("/search?q="));
            let drawn = view::draw(c.clone(), request.options, title, page.lang, search)
                .await
                .map_err(anyhow::Error::from)?;
            Some(drawn.svg)
        }
        _ => None,
    };
    Ok(Side { entry, counts, svg })
}

#[tracing::instrument(skip_all, err)]
pub async fn compare(
    State(state): State<AppState>,
    ip: ClientIp,
    page: Page,
    Query(query): Query<CompareQuery>,
) -> Result<Response> {
    budget::spend(&state, &ip).await?;
    let pages = PAGES.get(&state.cache, &state.db, ()).await?;
    let id = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
    let (a, b) = (id(&query.a), id(&query.b).or(id(&query.a)));
    let mut problems = Vec::new();
    let mut sides = Vec::new();
    if let (Some(a), Some(b)) = (a, b) {
        sides.push(side(&state, &page, a, query.at_a.clone(), &mut problems).await?);
        sides.push(side(&state, &page, b, query.at_b.clone(), &mut problems).await?);
    }
    let shared = match sides.as_slice() {
        [
            Side {
                counts: Some(x), ..
            },
            Side {
                counts: Some(y), ..
            },
        ] => changes::shared(&x.words, &y.words),
        _ => Vec::new(),
    };
    let changes = match sides.as_slice() {
        [
            Side {
                counts: Some(x), ..
            },
            Side {
                counts: Some(y), ..
            },
        ] => Some(changes::between(&x.words, &y.words)),
        _ => None,
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let form = [
        FormSide {
            legend: "compare-side-a",
            field: "a",
            at_field: "at_a",
            chosen: a,
            at: text(&query.at_a),
        },
        FormSide {
            legend: "compare-side-b",
            field: "b",
            at_field: "at_b",
            chosen: b,
            at: text(&query.at_b),
        },
    ];
    render(&CompareTemplate {
        page,
        pages,
        form,
        sides,
        changes,
        shared,
        problems,
    })
}
