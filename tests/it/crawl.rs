//! The crawler against real HTTP servers on loopback: outcomes, charsets, robots.txt,
//! conditional GET, the SSRF guard, the job queue (retries, no duplicates) and a worker process
//! killed in the middle of a crawl.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use futures_util::StreamExt;
use hud::apps::wordcloud::{crawl, model};

use crate::common::*;

const PAGE: &str = r#"<!doctype html><html lang="en"><head><title>Gardening news</title>
<script>var tomato = "not counted";</script></head><body>
<h1>Tomatoes and cucumbers</h1><p>Tomatoes love the sun. Cucumbers love water. Tomatoes again!</p>
</body></html>"#;

/// A site on a loopback port whose behaviour tests switch.
struct Site {
    addr: SocketAddr,
    /// `/slow-body` drips its body while this is set.
    slow: Arc<AtomicBool>,
    /// Requests to `/page`.
    hits: Arc<AtomicUsize>,
}

async fn site() -> Site {
    let slow = Arc::new(AtomicBool::new(false));
    let hits = Arc::new(AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (slow2, hits2) = (slow.clone(), hits.clone());
    let app = Router::new()
        .route(
            "/page",
            get(move |headers: HeaderMap| {
                let hits = hits2.clone();
                async move {
                    hits.fetch_add(1, Ordering::SeqCst);
                    if headers
                        .get(header::IF_NONE_MATCH)
                        .is_some_and(|v| v == "\"v1\"")
                    {
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                    (
                        [
                            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                            (header::ETAG, "\"v1\""),
                        ],
                        PAGE,
                    )
                        .into_response()
                }
            }),
        )
        .route("/redirect", get(|| async { Redirect::to("/page") }))
        .route(
            "/redirect-private",
            get(|| async { Redirect::to("http://10.1.2.3/") }),
        )
        .route("/loop", get(|| async { Redirect::to("/loop") }))
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/broken",
            get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "late"
            }),
        )
        .route(
            "/endless",
            get(|| async {
                let chunk = axum::body::Bytes::from(format!("<p>{}</p>", "word ".repeat(2000)));
                let stream = futures_util::stream::repeat(chunk).map(Ok::<_, std::io::Error>);
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    Body::from_stream(stream),
                )
            }),
        )
        .route(
            "/pdf",
            get(|| async { ([(header::CONTENT_TYPE, "application/pdf")], "%PDF-1.4") }),
        )
        .route(
            "/latin1",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=iso-8859-1")],
                    b"<p>caf\xe9 cr\xe8me br\xfbl\xe9e</p>".to_vec(),
                )
            }),
        )
        .route(
            "/meta-charset",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    b"<meta charset=windows-1252><p>na\xefve fa\xe7ade</p>".to_vec(),
                )
            }),
        )
        .route(
            "/wrong-charset",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    b"<p>valid words and caf\xe9 garbage \xff\xfe</p>".to_vec(),
                )
            }),
        )
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private\n" }),
        )
        .route(
            "/private/page",
            get(|| async { ([(header::CONTENT_TYPE, "text/html")], PAGE) }),
        )
        .route(
            "/slow-body",
            get(move || {
                let slow = slow2.clone();
                async move {
                    let slow = slow.load(Ordering::SeqCst);
                    let stream = futures_util::stream::unfold(0, move |n| async move {
                        if n == 3 {
                            return None;
                        }
                        if slow {
                            tokio::time::sleep(Duration::from_millis(700)).await;
                        }
                        Some((
                            Ok::<_, std::io::Error>(axum::body::Bytes::from(format!(
                                "<p>tomatoes part{n}</p> "
                            ))),
                            n + 1,
                        ))
                    });
                    let response: Response = (
                        [(header::CONTENT_TYPE, "text/html")],
                        Body::from_stream(stream),
                    )
                        .into_response();
                    response
                }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Site { addr, slow, hits }
}

async fn crawler(site: &Site) -> TestApp {
    let allow = site.addr.to_string();
    TestApp::spawn_with(move |c| {
        c.crawl.allow = vec![allow];
        c.crawl.timeout_secs = 1;
        c.crawl.max_bytes = 200_000;
    })
    .await
}

/// Register `url`, crawl it once (one job run) and return the crawl's outcome.
async fn crawl_once(app: &TestApp, url: &str) -> (i64, String) {
    let id = match model::add(&app.db, &app.state.cache, url, None, None).await {
        Ok(id) => id,
        Err(model::AddError::Exists(id)) => id,
        Err(e) => panic!("{e:?}"),
    };
    crawl::enqueue(&app.db, id).await.unwrap();
    run_jobs(app).await;
    let outcome: String = sqlx::query_scalar(
        "SELECT outcome FROM crawls WHERE page_id = $1 ORDER BY crawled_at DESC LIMIT 1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap_or_else(|_| "none".into());
    (id, outcome)
}

/// Run due jobs until none is due.
async fn run_jobs(app: &TestApp) {
    let worker = hud::workers::worker(&app.state, 0);
    while worker.try_run_once().await.unwrap().is_some() {}
}

/// [`crawl_once`], then every retry (skipping the back-off) until the crawl is recorded;
/// returns the page id and the recorded outcome and detail.
pub(crate) async fn crawl_to_the_end(app: &TestApp, url: &str) -> (i64, String, Option<String>) {
    let (id, _) = crawl_once(app, url).await;
    for _ in 1..crawl::ATTEMPTS {
        sqlx::query("UPDATE jobs SET run_at = now() WHERE state = 'queued' AND key = $1")
            .bind(format!("page:{id}"))
            .execute(&app.db)
            .await
            .unwrap();
        run_jobs(app).await;
    }
    let (outcome, detail) = sqlx::query_as(
        "SELECT outcome, detail FROM crawls WHERE page_id = $1 ORDER BY crawled_at DESC LIMIT 1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .expect("the crawl is recorded after the last attempt");
    (id, outcome, detail)
}

async fn counts(app: &TestApp, page: i64) -> Vec<(String, i64)> {
    model::counts_at(&app.db, page, None)
        .await
        .unwrap()
        .map(|c| c.words)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_is_fetched_counted_and_stored() {
    let site = site().await;
    let app = crawler(&site).await;
    let (id, outcome) = crawl_once(&app, &format!("http://{}/page", site.addr)).await;
    assert_eq!(outcome, "ok");
    let words = counts(&app, id).await;
    assert_eq!(words[0], ("tomatoes".into(), 3));
    assert!(words.contains(&("cucumbers".into(), 2)));
    assert!(words.contains(&("gardening".into(), 1)), "the title counts");
    assert!(
        !words
            .iter()
            .any(|(w, _)| w == "tomato" || w == "the" || w == "not"),
        "{words:?}"
    );
    let page = model::PAGE
        .get(&app.state.cache, &app.db, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(page.page_title.as_deref(), Some("Gardening news"));
    // The second crawl is conditional: a 304 records the crawl without new counts.
    crawl::enqueue(&app.db, id).await.unwrap();
    run_jobs(&app).await;
    let outcomes: Vec<String> =
        sqlx::query_scalar("SELECT outcome FROM crawls WHERE page_id = $1 ORDER BY crawled_at")
            .bind(id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(outcomes, ["ok", "not_modified"]);
    assert_eq!(
        counts(&app, id).await,
        words,
        "the latest counts are still the first crawl's"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_outcome_is_recorded() {
    let site = site().await;
    let app = crawler(&site).await;
    let base = format!("http://{}", site.addr);
    let cases = [
        ("/redirect", "ok"),
        ("/missing", "http_error"),
        ("/pdf", "not_html"),
        ("/endless", "too_large"),
        // A private address looks like a DNS failure (and is retried like one).
        ("/redirect-private", "unreachable"),
        ("/loop", "blocked"),
        ("/private/page", "blocked"),
    ];
    for (path, expected) in cases {
        let (_, outcome, _) = crawl_to_the_end(&app, &format!("{base}{path}")).await;
        assert_eq!(outcome, expected, "{path}");
    }
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM crawls c JOIN pages p ON p.id = c.page_id WHERE p.url LIKE '%/private/page'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(detail, "robots.txt");
    // Without the allow-list entry, loopback itself is refused.
    let closed = TestApp::spawn().await;
    let (_, outcome, _) = crawl_to_the_end(&closed, &format!("{base}/page")).await;
    assert_eq!(outcome, "unreachable");
    assert_eq!(
        site.hits.load(Ordering::SeqCst),
        1,
        "only the /redirect crawl reached /page"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn transient_failures_are_retried_with_back_off_then_recorded() {
    let site = site().await;
    let app = crawler(&site).await;
    for path in ["/broken", "/slow"] {
        let url = format!("http://{}{path}", site.addr);
        let (id, outcome) = crawl_once(&app, &url).await;
        assert_eq!(
            outcome, "none",
            "{path}: not recorded before the last attempt"
        );
        let (state, attempts, error): (String, i32, Option<String>) =
            sqlx::query_as("SELECT state, attempts, last_error FROM jobs WHERE key = $1")
                .bind(format!("page:{id}"))
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert_eq!((state.as_str(), attempts), ("queued", 1), "{path}");
        assert!(error.is_some());
        // Let the back-off pass for the remaining attempts.
        for _ in 1..crawl::ATTEMPTS {
            sqlx::query("UPDATE jobs SET run_at = now() WHERE state = 'queued'")
                .execute(&app.db)
                .await
                .unwrap();
            run_jobs(&app).await;
        }
        let outcome: String = sqlx::query_scalar("SELECT outcome FROM crawls WHERE page_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(
            outcome,
            if path == "/slow" {
                "timeout"
            } else {
                "http_error"
            }
        );
        let state: String = sqlx::query_scalar("SELECT state FROM jobs WHERE key = $1")
            .bind(format!("page:{id}"))
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(state, "done");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn charsets_from_headers_and_meta_and_broken_bytes() {
    let site = site().await;
    let app = crawler(&site).await;
    let base = format!("http://{}", site.addr);
    let (id, _) = crawl_once(&app, &format!("{base}/latin1")).await;
    let words: Vec<String> = counts(&app, id).await.into_iter().map(|(w, _)| w).collect();
    assert!(
        words.contains(&"café".to_owned()) && words.contains(&"crème".to_owned()),
        "{words:?}"
    );
    let (id, _) = crawl_once(&app, &format!("{base}/meta-charset")).await;
    let words: Vec<String> = counts(&app, id).await.into_iter().map(|(w, _)| w).collect();
    assert!(
        words.contains(&"naïve".to_owned()) && words.contains(&"façade".to_owned()),
        "{words:?}"
    );
    let (id, outcome) = crawl_once(&app, &format!("{base}/wrong-charset")).await;
    assert_eq!(outcome, "ok");
    let words: Vec<String> = counts(&app, id).await.into_iter().map(|(w, _)| w).collect();
    assert!(
        words.contains(&"valid".to_owned()) && words.contains(&"garbage".to_owned()),
        "{words:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn schedulers_never_queue_a_page_twice() {
    let site = site().await;
    let app = crawler(&site).await;
    let id = model::add(
        &app.db,
        &app.state.cache,
        &format!("http://{}/page", site.addr),
        None,
        None,
    )
    .await
    .unwrap();
    // Ten "processes" schedule at once.
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            model::enqueue_due(&db, 3600.0).await.unwrap()
        }));
    }
    let mut queued = 0;
    for task in tasks {
        queued += task.await.unwrap();
    }
    assert_eq!(queued, 1);
    // Two workers race for it: one crawl.
    let (a, b) = (
        hud::workers::worker(&app.state, 0),
        hud::workers::worker(&app.state, 1),
    );
    let (ra, rb) = tokio::join!(a.try_run_once(), b.try_run_once());
    assert_eq!([ra.unwrap(), rb.unwrap()].iter().flatten().count(), 1);
    let crawls: i64 = sqlx::query_scalar("SELECT count(*) FROM crawls WHERE page_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(crawls, 1);
    // Crawled just now: not due again.
    assert_eq!(model::enqueue_due(&app.db, 3600.0).await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_killed_mid_crawl_is_retried_without_double_counting() {
    let site = site().await;
    site.slow.store(true, Ordering::SeqCst);
    let app = crawler(&site).await;
    let id = model::add(
        &app.db,
        &app.state.cache,
        &format!("http://{}/slow-body", site.addr),
        None,
        None,
    )
    .await
    .unwrap();
    crawl::enqueue(&app.db, id).await.unwrap();
    // A real `hud worker` process picks the job up…
    let url = app.database_url.clone();
    let mut worker = std::process::Command::new(env!("CARGO_BIN_EXE_hud"))
        .arg("worker")
        .env("DATABASE_URL", &url)
        .env("HUD_DATA_DIR", scratch_dir())
        .env(
            "HUD_SECRET_KEY",
            "test secret key of sufficient length 0123456789",
        )
        .env("HUD_CRAWL_ALLOW", site.addr.to_string())
        .env("HUD_WORKERS", "1")
        .env("HUD_LOG_FORMAT", "json")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let state: String = sqlx::query_scalar("SELECT state FROM jobs")
            .fetch_one(&app.db)
            .await
            .unwrap();
        if state == "running" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the worker never started the job"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // …and dies in the middle of reading the page.
    tokio::time::sleep(Duration::from_millis(300)).await;
    worker.kill().unwrap();
    worker.wait().unwrap();
    let crawls: i64 = sqlx::query_scalar("SELECT count(*) FROM crawls")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(crawls, 0, "nothing half-stored");
    // Its lease runs out; the job is queued again and another worker finishes it.
    site.slow.store(false, Ordering::SeqCst);
    sqlx::query("UPDATE jobs SET locked_at = now() - interval '1 hour'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(hud::jobs::queue::reap(&app.db, 300.0).await.unwrap(), 1);
    run_jobs(&app).await;
    let (state, attempts): (String, i32) = sqlx::query_as("SELECT state, attempts FROM jobs")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((state.as_str(), attempts), ("done", 2));
    assert_eq!(counts(&app, id).await[0], ("tomatoes".into(), 3));
    // Running the same job again (as if its completion had been lost) stores nothing new.
    sqlx::query("UPDATE jobs SET state = 'queued', run_at = now()")
        .execute(&app.db)
        .await
        .unwrap();
    run_jobs(&app).await;
    let crawls: i64 = sqlx::query_scalar("SELECT count(*) FROM crawls")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(crawls, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn hud_demo_registers_and_crawls_the_bundled_pages_offline_with_two_weeks_of_history() {
    let app = TestApp::spawn().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut demo = std::process::Command::new(env!("CARGO_BIN_EXE_hud"))
        .arg("demo")
        .env("DATABASE_URL", &app.database_url)
        .env("HUD_DATA_DIR", scratch_dir())
        .env(
            "HUD_SECRET_KEY",
            "test secret key of sufficient length 0123456789",
        )
        .env("HUD_DEMO_BIND", "127.0.0.1:0")
        .env("HUD_BIND", format!("127.0.0.1:{port}"))
        .env("HUD_CACHE_WARM", "false")
        .env("HUD_LOG_FORMAT", "json")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let started = std::time::Instant::now();
    loop {
        let ready = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ready {
            break;
        }
        if let Ok(Some(status)) = demo.try_wait() {
            panic!("hud demo exited: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "hud demo never served"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (pages, languages, ok): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM pages), (SELECT count(DISTINCT language) FROM pages),
                (SELECT count(*) FROM crawls WHERE outcome = 'ok')",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(pages >= 80, "{pages} pages");
    assert!(languages >= 3, "{languages} languages");
    assert!(
        ok >= pages + 14,
        "every page crawled, the front page also on each of 14 days ({ok})"
    );
    // The front page changed between crawls: its crawls do not all have the same words.
    let distinct: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT words) FROM crawls c JOIN pages p ON p.id = c.page_id
         WHERE p.url LIKE '%/news'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(distinct >= 2);
    // It has a past: the front page as it was on each of the last 14 days, crawled over HTTP
    // from the demo site and dated on its day, each day's words different.
    let (days, span_days, distinct): (i64, f64, i64) = sqlx::query_as(
        "SELECT count(DISTINCT c.crawled_at::date),
                extract(epoch FROM max(c.crawled_at) - min(c.crawled_at))::float8 / 86400,
                count(DISTINCT c.words)
         FROM crawls c JOIN pages p ON p.id = c.page_id
         WHERE p.url LIKE '%/news' AND c.outcome = 'ok'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(days >= 14, "{days} days with a crawl");
    assert!(span_days >= 13.9, "{span_days} days of history");
    assert!(distinct >= 15, "{distinct} different front pages");
    let page = |path: &'static str| {
        let request = client.get(format!("http://127.0.0.1:{port}{path}")).send();
        async move { request.await.unwrap().text().await.unwrap() }
    };
    let trend = page("/pages/1/trend").await;
    assert!(trend.contains("crawls from"), "the trend spans the history");
    let cloud = page("/pages/1").await;
    assert!(cloud.contains("<svg"));
    // Its compare link shows yesterday against today.
    assert!(
        cloud.contains("/pages/compare?a=1&#38;b=1&#38;at_a="),
        "{cloud}"
    );
    demo.kill().unwrap();
    demo.wait().unwrap();
}
