//! The results page: the search form (query, date window in the reader's timezone, order,
//! language), "did you mean", one result per page with its crawl time, matched words with
//! counts and highlighted title, a link to the page's cloud, and pagination.

use std::collections::HashSet;

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};

use super::{
    highlight,
    request::{PER_PAGE, SearchParams},
    results::{self, ResultPage},
};
use crate::web::{AppState, Page, Result, page::render, pagination::Pager};

/// A result as the page shows it.
pub struct HitView {
    /// Title pieces, matched ones marked.
    pub title: Vec<(String, bool)>,
    /// URL.
    pub url: String,
    /// Crawl time in the reader's timezone.
    pub crawled: String,
    /// Language code.
    pub language: Option<String>,
    /// (word, count) of the matched words.
    pub matched: Vec<(String, u32)>,
    /// The page's cloud, when word clouds are on.
    pub cloud: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "search/results.html")]
struct ResultsTemplate {
    page: Page,
    params: SearchParams,
    problems: Vec<(&'static str, String)>,
    results: Option<ResultPage>,
    hits: Vec<HitView>,
    suggestion: Option<(String, String)>,
    pager: Option<Pager>,
    sort: String,
}

impl ResultsTemplate {
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The query string of `/search` with these parameters and `q` (if given) in place of the
/// query, without the page number.
fn query_string(params: &SearchParams, q: Option<&str>) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    let q = q.or(params.q.as_deref()).unwrap_or_default();
    out.append_pair("q", q);
    for (name, value) in [
        ("from", &params.from),
        ("to", &params.to),
        ("sort", &params.sort),
        ("lang", &params.lang),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            out.append_pair(name, v);
        }
    }
    out.finish()
}

#[tracing::instrument(skip_all, err)]
pub async fn search(
    State(state): State<AppState>,
    page: Page,
    Query(params): Query<SearchParams>,
) -> Result<Response> {
    let mut template = ResultsTemplate {
        sort: params.sort.clone().unwrap_or_default(),
        problems: Vec::new(),
        results: None,
        hits: Vec::new(),
        suggestion: None,
        pager: None,
        params,
        page,
    };
    if template.params.is_empty() {
        return render(&template);
    }
    let checked = template
        .params
        .trimmed()
        .check(template.page.tz, template.page.lang);
    let request = match checked {
        Ok(request) => request,
        Err(refused) => {
            template.problems = refused
                .all()
                .into_iter()
                .map(|(field, m)| (field, template.page.message(&m)))
                .collect();
            let mut response = render(&template)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };
    let results = results::run(&state, &request).await?;
    let clouds = template.page.enabled("wordcloud");
    template.hits = results
        .hits
        .iter()
        .map(|hit| {
            let words: HashSet<String> = hit.matched.iter().map(|m| m.word.clone()).collect();
            HitView {
                title: highlight::segments(&hit.title, &words),
                url: hit.url.clone(),
                crawled: template.page.datetime(&hit.crawled_at).to_string(),
                language: hit.language.clone(),
                matched: hit
                    .matched
                    .iter()
                    .map(|m| (m.word.clone(), m.count))
                    .collect(),
                cloud: clouds.then(|| template.page.url(&format!("/pages/{}", hit.page_id))),
            }
        })
        .collect();
    template.suggestion = results.suggestion.as_ref().map(|s| {
        let query = query_string(&template.params, Some(s));
        (
            s.clone(),
            format!("{}?{query}", template.page.url("/search")),
        )
    });
    template.pager = Some(Pager::new(
        results.page as i64,
        PER_PAGE as i64,
        results.total as i64,
        query_string(&template.params, None),
    ));
    template.results = Some(results);
    render(&template)
}
