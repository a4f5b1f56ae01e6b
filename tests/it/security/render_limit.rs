//! Finding 14, response-cache abuse: every new query string on a public cloud route misses the
//! response cache and renders, so a client varying date ranges (`from=1900-01-01&to=2100-…`)
//! kept the server rendering and summing unbounded periods. Now ranges are bounded (clamped to
//! the crawl history, and beyond `HUD_CLOUD_MAX_RANGE_DAYS` cut to their most recent
//! `HUD_CLOUD_MAX_RANGE_DAYS` days, so a render never sums more), unknown parameters are not
//! part of the cache key, and uncached renders are limited per client (IPv6 by network) — a
//! cached response never counts.

use reqwest::{Response, StatusCode};

use crate::{cache::cache_header, common::*};

/// A page with crawls on 1 June and 1 August 2025.
async fn page_with_history(app: &TestApp) -> i64 {
    let id = registered_page(app, "https://ranges.example/").await;
    stored_crawl(
        app,
        id,
        "2025-06-01T12:00:00Z",
        &[("alpha", 5), ("beta", 2)],
    )
    .await;
    stored_crawl(
        app,
        id,
        "2025-08-01T12:00:00Z",
        &[("alpha", 1), ("gamma", 4)],
    )
    .await;
    id
}

/// GET `path` as the client at `ip` (reported by the trusted proxy).
async fn get_from(app: &TestApp, ip: &str, path: &str) -> Response {
    app.new_client()
        .get(app.url(path))
        .header("x-forwarded-for", ip)
        .send()
        .await
        .unwrap()
}

/// A distinct range per `n`: what the attacker sends to miss the cache every time.
fn range(id: i64, n: usize) -> String {
    format!(
        "/pages/{id}/cloud.png?from=1900-01-{:02}&to=2100-01-01",
        n % 28 + 1
    ) + &format!("&words={}", 10 + n)
}

#[tokio::test(flavor = "multi_thread")]
async fn distinct_ranges_from_one_client_are_refused_while_another_is_served() {
    let app = TestApp::spawn_with(|c| {
        c.server.trust_proxy = true;
        c.clouds.render_limit_per_ip = 5;
    })
    .await;
    let id = page_with_history(&app).await;
    // Five renders, each from another address of one IPv6 /64, all distinct queries …
    for n in 0..5 {
        let ip = format!("2001:db8:7:8:{n:x}::{:x}", n * 31 + 1);
        let r = get_from(&app, &ip, &range(id, n)).await;
        assert_eq!(r.status(), StatusCode::OK, "render {n}");
        assert_eq!(r.headers()["content-type"], "image/png");
    }
    // … use the network's budget: the sixth render is refused, with a time to come back.
    let r = get_from(&app, "2001:db8:7:8:ffff::1", &range(id, 5)).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    // The page says so in the reader's language; the API in problem+json.
    let r = get_from(
        &app,
        "2001:db8:7:8::2",
        &format!("/nl/pages/{id}?from=2025-06-01&to=2025-06-02"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    let expected = hud::i18n::Lang::Nl.t_args("error-rate-limited", &[("minutes", 1_i64.into())]);
    assert!(
        html.root_element()
            .text()
            .collect::<String>()
            .contains(&expected),
        "translated 429 page"
    );
    let r = get_from(
        &app,
        "2001:db8:7:8::3",
        &format!("/api/v1/pages/{id}/cloud.svg?words=11"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert!(r.headers().contains_key("retry-after"));
    // Another network and an IPv4 client are still served, trends and comparisons too.
    for ip in ["2001:db8:7:9::1", "198.51.100.7"] {
        assert_eq!(
            get_from(&app, ip, &range(id, 6)).await.status(),
            StatusCode::OK
        );
    }
    for path in [
        format!("/pages/{id}/trend"),
        format!("/pages/compare?a={id}&b={id}"),
    ] {
        assert_eq!(
            get_from(&app, "198.51.100.7", &path).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            get_from(&app, "2001:db8:7:8::4", &path).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cached_responses_are_never_refused_and_unknown_parameters_never_miss() {
    let app = TestApp::spawn_with(|c| {
        c.server.trust_proxy = true;
        c.telemetry.diagnostic_headers = true;
        c.clouds.render_limit_per_ip = 2;
    })
    .await;
    let id = page_with_history(&app).await;
    let me = "203.0.113.9";
    let hot = format!("/pages/{id}/cloud.png?from=2025-06-01&to=2025-08-31");
    let first = get_from(&app, me, &hot).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(cache_header(&first), "miss");
    // Parameters the route does not read are not part of the key: hits, not renders.
    for n in 0..10 {
        let r = get_from(&app, me, &format!("{hot}&z={n}&utm_source=x{n}")).await;
        assert_eq!(r.status(), StatusCode::OK, "z={n}");
        assert_eq!(cache_header(&r), "hit", "z={n}");
    }
    // The budget is spent on misses only: one more render, then refusals …
    assert_eq!(
        get_from(&app, me, &range(id, 1)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        get_from(&app, me, &range(id, 2)).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // … while the cached response is still served to the same client.
    for _ in 0..5 {
        let r = get_from(&app, me, &hot).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(cache_header(&r), "hit");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ranges_are_clamped_to_the_crawl_history_and_cut_to_the_maximum() {
    let app = TestApp::spawn_with(|c| c.clouds.max_range_days = 30).await;
    let id = page_with_history(&app).await;
    // 1900 to 2100 means "every crawl"; here that is two months, longer than 30 days: only the
    // last 30 days of crawls (1 August's) are summed, and every answer says so.
    let clamped = hud::i18n::Lang::En.t_args("when-range-clamped", &[("max", 30_i64.into())]);
    let (status, html) = app
        .page(&format!("/pages/{id}?from=1900-01-01&to=2100-01-01"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text(&html, ".alert-warning").unwrap(), clamped);
    assert!(text(&html, "#cloud-caption").unwrap().contains("2025"));
    assert!(!text(&html, "#cloud-caption").unwrap().contains("2 crawls"));
    let r = app
        .get(&format!(
            "/pages/{id}/cloud.png?from=1900-01-01&to=2100-01-01"
        ))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let api = app
        .get(&format!(
            "/api/v1/pages/{id}/wordcounts?from=1900-01-01&to=2100-01-01"
        ))
        .await;
    assert_eq!(api.status(), StatusCode::OK);
    let counts: serde_json::Value = api.json().await.unwrap();
    assert_eq!(counts["crawls"], 1, "{counts}");
    assert_eq!(counts["crawled_at"], "2025-08-01T12:00:00Z");
    assert_eq!(
        counts["words"],
        serde_json::json!([{ "word": "gamma", "count": 4 }, { "word": "alpha", "count": 1 }])
    );
    assert_eq!(counts["notice"]["code"], "when-range-clamped");
    assert_eq!(counts["notice"]["message"], clamped);
    // `from` alone (until now) is cut the same way; a crawl 30 days before the last one is in.
    stored_crawl(&app, id, "2025-07-02T12:00:00Z", &[("delta", 1)]).await;
    let r = app
        .get(&format!("/api/v1/pages/{id}/wordcounts?from=1900-01-01"))
        .await;
    let counts: serde_json::Value = r.json().await.unwrap();
    assert_eq!(counts["crawls"], 2, "{counts}");
    assert_eq!(counts["notice"]["code"], "when-range-clamped");
    let svg = app
        .get(&format!("/api/v1/pages/{id}/cloud.svg?to=2100-01-01"))
        .await;
    assert_eq!(svg.status(), StatusCode::OK);
    assert_eq!(svg.headers()["hud-notice"], "when-range-clamped");
    // Clamped to the history, a range around one crawl is within bounds whatever it says.
    let r = app
        .get(&format!(
            "/api/v1/pages/{id}/wordcounts?from=1900-01-01&to=2025-07-01"
        ))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let counts: serde_json::Value = r.json().await.unwrap();
    assert_eq!(counts["crawls"], 1);
    let (status, html) = app
        .page(&format!("/pages/{id}?from=2025-07-01&to=2100-12-31"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&html, ".alert-warning").is_none());
    // Garbage never gets further than a translated 4xx (or a warning on the page).
    for query in [
        "from=2025-13-45&to=2025-06-01",
        "from=2025-06-01&to=%2B262143-12-31",
        "from=-0001-01-01&to=2025-06-01",
        "at=%2B262143-12-31T12:00",
        "from=2025-06-01&to=2025-06-01%00",
    ] {
        let (status, html) = app.page(&format!("/pages/{id}?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert!(text(&html, ".alert-warning").is_some(), "{query}");
        for path in [
            format!("/pages/{id}/cloud.svg?{query}"),
            format!("/api/v1/pages/{id}/cloud.svg?{query}"),
            format!("/api/v1/pages/{id}/wordcounts?{query}"),
        ] {
            let status = app.get(&path).await.status();
            assert!(status.is_client_error(), "{path}: {status}");
        }
    }
}

/// A herd of readers arriving together on a response nobody has rendered yet (a new page, a
/// popular link) costs one render: the lease holder renders, the others wait for its bytes.
/// Rendering them all unstored spent the budget of whichever client came first, and while its
/// budget was spent, every miss — the lease holder's included — was refused and nothing was
/// ever stored: a 429 storm on a page one render would have cached.
#[tokio::test(flavor = "multi_thread")]
async fn a_herd_of_misses_on_one_response_renders_it_once() {
    let local_only = TestApp::spawn_with(|c| c.clouds.render_limit_per_ip = 3).await;
    herd_is_served(&local_only, "local tier only").await;
    // Through memcached alone (no local tier): one lease holder renders, the others wait for
    // the value it stores instead of rendering it unstored.
    let memcached_only = TestApp::spawn_with(|c| {
        c.clouds.render_limit_per_ip = 3;
        c.cache.memcached = memcached_servers();
        c.cache.local_bytes = 0;
        // This is about leases, not failure detection: on a loaded test machine a reply slower
        // than the default 250 ms marks the server unusable, and then every reader renders
        // for itself (as it should with a failing memcached) and the budget runs out.
        c.cache.memcached_timeout_ms = 5_000;
    })
    .await;
    herd_is_served(&memcached_only, "memcached only").await;
}

async fn herd_is_served(app: &TestApp, setup: &str) {
    let id = page_with_history(app).await;
    // The listener applies the crawls' invalidations again from the log; a page tag bumped
    // after the herd's render would make its stored response dead and the next reader render.
    let head: i64 = sqlx::query_scalar("SELECT seq FROM cache_state")
        .fetch_one(&app.db)
        .await
        .unwrap();
    wait_until("the listener applies the crawls", || async {
        app.state.cache.applied_invalidations() >= head
    })
    .await;
    let path = format!("/pages/{id}/cloud.svg?from=2025-06-01&to=2025-08-31");
    let herd = (0..24).map(|_| {
        let (app, path) = (app.clone(), path.clone());
        tokio::spawn(async move { app.new_client().get(app.url(&path)).send().await.unwrap() })
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(herd)
        .await
        .into_iter()
        .map(|r| r.unwrap().status())
        .collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{setup}: every reader of the herd is served: {statuses:?}"
    );
}
