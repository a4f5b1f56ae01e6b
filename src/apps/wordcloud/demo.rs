//! The offline demo: `hud demo` (and `make run`) serves the bundled pages of `demo/` from a
//! loopback port (`HUD_DEMO_BIND`, default 127.0.0.1:8001), registers them on an empty database,
//! crawls them and then serves HUD, so a newcomer sees clouds within a minute without a network.
//!
//! Besides the Universal Declaration of Human Rights in eleven languages and seventy Reuters
//! articles, `/news` is a simulated front page: every fetch shows the next window of headlines
//! and teasers, so repeated crawls differ and trends and comparisons have something to show.
//! `/news?day=2026-11-20` is the front page as it was on that day (its own window of stories):
//! the demo crawls the last [`HISTORY_DAYS`] days of it, each crawl dated on its day, so every
//! time-based view — trends, day against day, date windows in search — has a past at once.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use axum::{
    Router,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};

/// The bundled pages.
#[derive(rust_embed::Embed)]
#[folder = "demo/"]
#[include = "*.html"]
struct Corpus;

/// Stories on the simulated front page at a time.
const FRONT_PAGE_STORIES: usize = 8;
/// Days of front-page history the demo crawls.
pub const HISTORY_DAYS: i64 = 14;

/// The paths of every bundled page (`udhr/eng.html`, `reuters/acq-00001.html`, …), sorted.
pub fn pages() -> Vec<String> {
    let mut names: Vec<String> = Corpus::iter().map(|n| n.to_string()).collect();
    names.sort();
    names
}

fn page(name: &str) -> Option<String> {
    Corpus::get(name).map(|f| String::from_utf8_lossy(&f.data).into_owned())
}

/// The text between `<tag>` and `</tag>` (the corpus is our own, well-formed HTML).
fn between<'a>(html: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = html.find(open)? + open.len();
    let end = html[start..].find(close)? + start;
    Some(&html[start..end])
}

/// The front page for its `edition`-th fetch: a rotating window of Reuters stories.
fn front_page(edition: usize) -> String {
    let stories: Vec<String> = pages()
        .into_iter()
        .filter(|n| n.starts_with("reuters/"))
        .collect();
    let mut items = String::new();
    for i in 0..FRONT_PAGE_STORIES.min(stories.len()) {
        let name = &stories[(edition * 3 + i) % stories.len()];
        let Some(html) = page(name) else { continue };
        let title = between(&html, "<h1>", "</h1>").unwrap_or("");
        let teaser = between(&html, "</p>\n<p>", "</p>")
            .or_else(|| between(&html, "<p>", "</p>"))
            .unwrap_or("");
        items.push_str(&format!(
            "<article><h2><a href=\"/{name}\">{title}</a></h2><p>{teaser}</p></article>\n"
        ));
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Demo Daily — edition {}</title></head>\
         <body><h1>Demo Daily</h1>\n{items}</body></html>",
        edition + 1
    )
}

async fn serve_page(Path((folder, file)): Path<(String, String)>) -> Response {
    match page(&format!("{folder}/{file}")) {
        Some(html) => Html(html).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `?day=YYYY-MM-DD`: that day's front page.
#[derive(serde::Deserialize)]
struct Day {
    day: Option<String>,
}

/// The edition shown on a day: one a day, counted from 2000-01-01 (any date works; a bad one is
/// a 404, as a real site would answer).
fn edition_of(day: &str) -> Option<usize> {
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)?;
    usize::try_from((date - epoch).num_days()).ok()
}

async fn serve_front_page(
    State(editions): State<Arc<AtomicUsize>>,
    Query(query): Query<Day>,
) -> Response {
    let edition = match query.day.as_deref() {
        Some(day) => match edition_of(day) {
            Some(edition) => edition,
            None => return StatusCode::NOT_FOUND.into_response(),
        },
        None => editions.fetch_add(1, Ordering::Relaxed),
    };
    (
        [(header::CACHE_CONTROL, "no-cache")],
        Html(front_page(edition)),
    )
        .into_response()
}

/// Serve the corpus on `listener` (in the background).
pub fn serve(listener: tokio::net::TcpListener) -> tokio::task::JoinHandle<()> {
    let app = Router::new()
        .route("/news", get(serve_front_page))
        .route("/{folder}/{file}", get(serve_page))
        .with_state(Arc::new(AtomicUsize::new(0)));
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::warn!(%error, "the demo site stopped");
        }
    })
}

/// The front page of each of the last [`HISTORY_DAYS`] days before `now` on a site at `addr`,
/// oldest first, with the instant to date its crawl (that day, at `now`'s time of day).
pub fn history(
    addr: SocketAddr,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<(String, chrono::DateTime<chrono::Utc>)> {
    (1..=HISTORY_DAYS)
        .rev()
        .map(|days| {
            let at = now - chrono::Duration::days(days);
            (
                format!("http://{addr}/news?day={}", at.format("%Y-%m-%d")),
                at,
            )
        })
        .collect()
}

/// Every demo URL on a site at `addr`: the front page first.
pub fn urls(addr: SocketAddr) -> Vec<String> {
    std::iter::once(format!("http://{addr}/news"))
        .chain(pages().into_iter().map(|p| format!("http://{addr}/{p}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_has_enough_pages_in_enough_languages() {
        let names = pages();
        assert!(names.len() >= 80, "{}", names.len());
        let languages: std::collections::HashSet<&str> = names
            .iter()
            .filter_map(|n| n.strip_prefix("udhr/"))
            .collect();
        assert!(languages.len() >= 10);
    }

    #[test]
    fn each_day_has_its_own_front_page() {
        let a = edition_of("2026-11-20").unwrap();
        assert_eq!(edition_of("2026-11-21"), Some(a + 1));
        assert_ne!(front_page(a), front_page(a + 1));
        assert_eq!(edition_of("1999-12-31"), None);
        assert_eq!(edition_of("someday"), None);
        let addr: SocketAddr = "127.0.0.1:8001".parse().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-03T18:00:00Z")
            .unwrap()
            .to_utc();
        let days = history(addr, now);
        assert_eq!(days.len(), HISTORY_DAYS as usize);
        assert_eq!(days[0].0, "http://127.0.0.1:8001/news?day=2026-11-19");
        assert_eq!(days[13].0, "http://127.0.0.1:8001/news?day=2026-12-02");
        assert!(days.windows(2).all(|w| w[0].1 < w[1].1));
    }

    #[test]
    fn the_front_page_changes_with_every_edition() {
        let (first, second) = (front_page(0), front_page(1));
        assert_ne!(first, second);
        assert_eq!(first.matches("<article>").count(), FRONT_PAGE_STORIES);
        assert!(first.contains("Demo Daily"));
    }
}
