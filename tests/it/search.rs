//! The search sub-app end to end: operators, typos with "did you mean", date windows across
//! timezones, language filter, one result per page, ordering and pagination, highlighting,
//! the API with bad queries, caching per index generation, the index swap under concurrent
//! queries, the background keeper, pages leaving the window, and switching it off.

use std::time::Duration;

use chrono::{DateTime, Utc};
use hud::apps::{search::live, wordcloud::model};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

async fn page(app: &TestApp, url: &str, title: &str) -> i64 {
    match model::add(&app.db, &app.state.cache, url, Some(title), None).await {
        Ok(id) => id,
        Err(_) => panic!("page {url} not added"),
    }
}

fn hours_ago(hours: i64) -> DateTime<Utc> {
    Utc::now() - chrono::Duration::hours(hours)
}

async fn api(app: &TestApp, query: &str) -> (StatusCode, Value) {
    let r = app
        .client
        .get(app.url("/api/v1/search"))
        .query(&[("q", query)])
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

async fn api_with(app: &TestApp, params: &[(&str, &str)]) -> (StatusCode, Value) {
    let r = app
        .client
        .get(app.url("/api/v1/search"))
        .query(params)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

fn titles(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Four pages about energy, crawled over the last days.
async fn energy(app: &TestApp) -> [i64; 4] {
    let solar = page(app, "https://solar.example/", "Solar power today").await;
    let wind = page(app, "https://wind.example/", "Wind farms").await;
    let nuclear = page(app, "https://nuclear.example/", "Nuclear and solar").await;
    let dutch = page(app, "https://zon.example/", "Zonne-energie").await;
    stored_crawl_in(
        app,
        solar,
        hours_ago(50),
        "en",
        &[("solar", 9), ("power", 4), ("energy", 2)],
    )
    .await;
    stored_crawl_in(
        app,
        solar,
        hours_ago(2),
        "en",
        &[("solar", 7), ("power", 3), ("panels", 5)],
    )
    .await;
    stored_crawl_in(
        app,
        wind,
        hours_ago(10),
        "en",
        &[("wind", 8), ("power", 6), ("turbines", 3)],
    )
    .await;
    stored_crawl_in(
        app,
        nuclear,
        hours_ago(20),
        "en",
        &[("nuclear", 5), ("solar", 1), ("power", 2)],
    )
    .await;
    stored_crawl_in(
        app,
        dutch,
        hours_ago(30),
        "nl",
        &[("zonne", 4), ("energie", 6), ("solar", 2)],
    )
    .await;
    assert!(live::refresh(&app.state).await.unwrap());
    [solar, wind, nuclear, dutch]
}

#[tokio::test]
async fn operators_prefixes_typos_and_one_result_per_page() {
    let app = TestApp::spawn().await;
    energy(&app).await;
    let (status, body) = api(&app, "solar power").await;
    assert_eq!(status, StatusCode::OK);
    // Newest first: the solar page's latest crawl (2 h) before the nuclear page (20 h).
    assert_eq!(titles(&body), ["Solar power today", "Nuclear and solar"]);
    assert_eq!(body["total"], 2, "one result per page");
    let power = body["hits"][0]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["word"] == "power")
        .unwrap()
        .clone();
    assert_eq!(power["count"], 3, "counts of the latest crawl");

    // Stopwords are never stored, so they are not required either.
    let (_, body) = api(&app, "the solar power").await;
    assert_eq!(body["total"], 2);
    let (_, body) = api(&app, "wind OR nuclear").await;
    assert_eq!(titles(&body), ["Wind farms", "Nuclear and solar"]);
    let (_, body) = api(&app, "power -nuclear").await;
    assert_eq!(titles(&body), ["Solar power today", "Wind farms"]);
    // Crawls match, pages are shown: the solar page's older crawl (50 h) had no "panels".
    let (_, body) = api(&app, "power NOT (panels OR wind)").await;
    assert_eq!(titles(&body), ["Nuclear and solar", "Solar power today"]);
    let (_, body) = api(&app, "turb*").await;
    assert_eq!(titles(&body), ["Wind farms"]);
    // The older crawl of the solar page had "energy": it matches with that crawl's time.
    let (_, body) = api(&app, "energy").await;
    assert_eq!(titles(&body), ["Solar power today"]);
    let at: DateTime<Utc> = body["hits"][0]["crawled_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((Utc::now() - at).num_hours() >= 49);

    // One typo in a five-letter word, two in a nine-letter one; "did you mean".
    let (_, body) = api(&app, "turbnes").await;
    assert_eq!(titles(&body), ["Wind farms"]);
    assert_eq!(body["suggestion"], "turbines");
    let (_, body) = api(&app, "nucleer").await;
    assert_eq!(titles(&body), ["Nuclear and solar"]);
    assert_eq!(body["suggestion"], "nuclear");
    let (_, body) = api(&app, "zzzzzz").await;
    assert_eq!(body["total"], 0);
    assert!(body["suggestion"].is_null());

    // Relevance: the page where "solar" weighs most comes first.
    let (_, body) = api_with(&app, &[("q", "solar"), ("sort", "relevance")]).await;
    assert_eq!(titles(&body)[0], "Solar power today");
    // Language filter.
    let (_, body) = api_with(&app, &[("q", "solar"), ("lang", "nl")]).await;
    assert_eq!(titles(&body), ["Zonne-energie"]);
}

#[tokio::test]
async fn date_windows_are_whole_days_in_the_readers_timezone() {
    let app = TestApp::spawn().await;
    let id = page(&app, "https://late.example/", "Late news").await;
    // 16:00 UTC three days ago is 01:00 the next day in Tokyo.
    let day = (Utc::now() - chrono::Duration::days(3)).date_naive();
    let at = day.and_hms_opt(16, 0, 0).unwrap().and_utc();
    stored_crawl_in(&app, id, at, "en", &[("midnight", 3)]).await;
    live::refresh(&app.state).await.unwrap();
    let next = (day + chrono::Duration::days(1)).to_string();
    let same = day.to_string();

    // Anonymous readers: UTC.
    let (_, body) = api_with(&app, &[("q", "midnight"), ("from", &next), ("to", &next)]).await;
    assert_eq!(body["total"], 0);
    let (_, body) = api_with(&app, &[("q", "midnight"), ("from", &same), ("to", &same)]).await;
    assert_eq!(body["total"], 1);
    // A Tokyo user (API token or session) sees it on the next day, at 01:00.
    let user = app.create_user("tokyo", PASSWORD, false).await;
    sqlx::query("UPDATE users SET timezone = 'Asia/Tokyo' WHERE id = $1")
        .bind(user)
        .execute(&app.db)
        .await
        .unwrap();
    let token = crate::api::token(&app, "tokyo").await;
    let tokyo = |day: String| {
        let request = app
            .client
            .get(app.url("/api/v1/search"))
            .query(&[("q", "midnight"), ("from", &day), ("to", &day)])
            .bearer_auth(&token);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    assert_eq!(tokyo(next.clone()).await["total"], 1);
    assert_eq!(tokyo(same.clone()).await["total"], 0);
    app.login("tokyo", PASSWORD).await;
    let (_, html) = app
        .page(&format!("/search?q=midnight&from={next}&to={next}"))
        .await;
    assert!(text(&html, "#results").unwrap().contains("01:00"));
    // An RFC 3339 window works for everyone.
    let from = (at - chrono::Duration::minutes(1)).to_rfc3339();
    let to = (at + chrono::Duration::minutes(1)).to_rfc3339();
    let (_, body) = api_with(&app, &[("q", "midnight"), ("from", &from), ("to", &to)]).await;
    assert_eq!(body["total"], 1);
}

#[tokio::test]
async fn bad_queries_get_translated_messages_never_errors() {
    let app = TestApp::spawn().await;
    energy(&app).await;
    // Valid queries with nothing to search for: no results and a notice saying why (200).
    for (query, needle) in [
        ("(solar", "parentheses"),
        ("solar)", "parentheses"),
        ("-solar", "not only what to exclude"),
        ("NOT solar", "not only what to exclude"),
        ("solar OR", "OR and NOT"),
        ("   ", "Type something"),
        ("42 !!", "no searchable words"),
        ("the and of", "very common words"),
        (
            "((((((((((((((((((((((((((((((((((solar))))))))))))))))))))))))))))))))))",
            "nested",
        ),
    ] {
        let (status, body) = api(&app, query).await;
        assert_eq!(status, StatusCode::OK, "{query:?}: {body}");
        assert_eq!(body["total"], 0, "{query:?}");
        assert_eq!(body["hits"], json!([]), "{query:?}");
        assert_eq!(body["notice"]["field"], "q", "{query:?}: {body}");
        assert!(
            body["notice"]["code"]
                .as_str()
                .unwrap()
                .starts_with("search-error-"),
            "{body}"
        );
        let message = body["notice"]["message"].as_str().unwrap();
        assert!(message.contains(needle), "{query:?}: {message}");
    }
    // … in the caller's language.
    let r = app
        .client
        .get(app.url("/api/v1/search"))
        .header("accept-language", "nl")
        .query(&[("q", "42 !!")])
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["notice"]["message"].as_str().unwrap(),
        hud::i18n::Lang::Nl.t("search-error-no-words")
    );
    // A searched query has no notice; a period that ends before it starts holds nothing.
    let (_, body) = api(&app, "solar").await;
    assert!(body.get("notice").is_none(), "{body}");
    let (status, body) = api_with(
        &app,
        &[("q", "solar"), ("from", "2026-11-20"), ("to", "2026-11-10")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 0);
    assert_eq!(body["notice"]["field"], "to");
    // What the schema forbids stays a 422 naming the parameter.
    let long = "word ".repeat(110);
    let (status, body) = api(&app, &long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "q");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("512")
    );
    for (params, field) in [
        (vec![("from", "2026-11-20")], "q"),
        (vec![("q", "solar"), ("from", "yesterday")], "from"),
        (vec![("q", "solar"), ("from", " 2026-11-20")], "from"),
        (vec![("q", "solar"), ("sort", "random")], "sort"),
        (vec![("q", "solar"), ("sort", " newest")], "sort"),
        (vec![("q", "solar"), ("page", "0")], "page"),
        (vec![("q", "solar"), ("page", "+2")], "page"),
        (
            vec![("q", "solar"), ("page", "99999999999999999999")],
            "page",
        ),
        (vec![("q", "solar"), ("lang", "<script>")], "lang"),
        // An invalid value wins over a notice.
        (vec![("q", "42"), ("lang", "EN")], "lang"),
    ] {
        let (status, body) = api_with(&app, &params).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{params:?}");
        assert_eq!(body["errors"][0]["field"], field, "{params:?}");
    }
    // The document says so.
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let operation = &doc["paths"]["/api/v1/search"]["get"];
    let param = |name: &str| {
        operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(param("q")["required"], true);
    assert_eq!(param("q")["schema"]["maxLength"], 512);
    assert_eq!(param("page")["schema"]["maximum"], 1000);
    assert_eq!(
        param("sort")["schema"]["enum"],
        json!(["newest", "relevance"])
    );
    let formats: Vec<Value> = param("from")["schema"]["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["format"].clone())
        .collect();
    assert_eq!(formats, [json!("date"), json!("date-time")]);
    assert!(doc["components"]["schemas"]["SearchAnswer"].is_object());
    // The page: the message in the reader's language, the query kept as typed.
    let (status, html) = app.page("/nl/search?q=%28solar").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&html, "#q-error").is_some());
    assert_eq!(attr(&html, "#q", "value").as_deref(), Some("(solar"));
    let (status, html) = app.page("/search").await;
    assert_eq!(status, StatusCode::OK, "an empty search page is no error");
    assert_eq!(count(&html, "#results"), 0);
}

#[tokio::test]
async fn the_results_page_highlights_links_clouds_and_paginates() {
    let app = TestApp::spawn().await;
    for i in 0..25 {
        let id = page(
            &app,
            &format!("https://p{i}.example/"),
            &format!("Garden <b>{i}</b> tomatoes"),
        )
        .await;
        stored_crawl_in(
            &app,
            id,
            hours_ago(i + 1),
            "en",
            &[("tomatoes", 3), ("garden", 1)],
        )
        .await;
    }
    live::refresh(&app.state).await.unwrap();
    let (status, html) = app.page("/search?q=tomato*").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&html, "#result-count").unwrap().contains("25"));
    assert_eq!(count(&html, "#results li"), 10);
    assert_eq!(text(&html, "#results li mark").as_deref(), Some("tomatoes"));
    // The title's markup is text, not HTML.
    assert!(text(&html, "#results li h2").unwrap().contains("<b>0</b>"));
    assert_eq!(count(&html, "#results li .cloud-link"), 10);
    // Pages 1 to 3 and "next", each keeping the query.
    assert_eq!(count(&html, "#pagination a"), 4);
    assert_eq!(
        attr(&html, "#pagination a[rel=next]", "href").as_deref(),
        Some("?q=tomato*&page=2")
    );
    let (_, html) = app.page("/search?q=tomato*&page=3").await;
    assert_eq!(count(&html, "#results li"), 5);
    assert!(
        text(&html, "#results li h2")
            .unwrap()
            .contains("Garden <b>20</b>")
    );
    // The navbar carries a search box.
    assert_eq!(count(&html, "#nav-search input[name=q]"), 1);
}

#[tokio::test]
async fn results_are_cached_per_index_generation_and_new_crawls_change_them() {
    let app = TestApp::spawn_with(|c| c.cache.memcached = memcached_servers()).await;
    let [solar, ..] = energy(&app).await;
    let loads = |app: &TestApp| {
        app.state
            .cache
            .stats()
            .into_iter()
            .find(|s| s.namespace == "search")
            .map_or(0, |s| s.loads)
    };
    let (_, first) = api(&app, "panels").await;
    assert_eq!(first["total"], 1);
    let before = loads(&app);
    let (_, again) = api(&app, "panels").await;
    assert_eq!(again, first);
    assert_eq!(loads(&app), before, "served from the cache");
    // A sibling instance builds the same generation and reads the cached page.
    let other = app.sibling().await;
    let (_, there) = api(&other, "panels").await;
    assert_eq!(there["generation"], first["generation"]);
    assert_eq!(loads(&other), 0, "found in memcached");

    let wind = page(&app, "https://more.example/", "More panels").await;
    stored_crawl_in(&app, wind, hours_ago(1), "en", &[("panels", 2)]).await;
    stored_crawl_in(&app, solar, hours_ago(0), "en", &[("solar", 1)]).await;
    assert!(live::refresh(&app.state).await.unwrap());
    let (_, after) = api(&app, "panels").await;
    assert_ne!(after["generation"], first["generation"]);
    // The solar page's newest crawl lacks the word; its older crawl still matches.
    assert_eq!(titles(&after), ["More panels", "Solar power today"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn queries_never_fail_while_the_index_is_swapped() {
    let app = TestApp::spawn().await;
    let id = page(&app, "https://busy.example/", "Busy").await;
    stored_crawl_in(&app, id, hours_ago(100), "en", &[("steady", 1)]).await;
    live::refresh(&app.state).await.unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (app, stop) = (app.clone(), stop.clone());
            tokio::spawn(async move {
                let mut seen = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let (status, body) = api(&app, "steady").await;
                    assert_eq!(status, StatusCode::OK);
                    assert_eq!(body["total"], 1, "never a half-built index");
                    seen += 1;
                }
                seen
            })
        })
        .collect();
    for i in 0..15 {
        let other = page(&app, &format!("https://n{i}.example/"), "N").await;
        stored_crawl_in(&app, other, hours_ago(i), "en", &[("news", 1)]).await;
        assert!(live::refresh(&app.state).await.unwrap());
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for reader in readers {
        assert!(reader.await.unwrap() > 0);
    }
    let (_, body) = api(&app, "news").await;
    assert_eq!(body["total"], 15);
}

#[tokio::test]
async fn the_background_keeper_picks_up_crawls_and_drops_pages_leaving_the_window() {
    let app = TestApp::spawn_with(|c| {
        c.search.refresh = Duration::from_millis(100);
        c.search.days = 7;
    })
    .await;
    let keeper = live::keep_current(&app.state);
    let old = page(&app, "https://old.example/", "Old").await;
    stored_crawl_in(
        &app,
        old,
        Utc::now() - chrono::Duration::days(8),
        "en",
        &[("archive", 1)],
    )
    .await;
    let fresh = page(&app, "https://fresh.example/", "Fresh").await;
    stored_crawl_in(&app, fresh, hours_ago(1), "en", &[("archive", 2)]).await;
    wait_until("the fresh crawl is indexed", || async {
        api(&app, "archive").await.1["total"] == 1
    })
    .await;
    let (_, body) = api(&app, "archive").await;
    assert_eq!(
        titles(&body),
        ["Fresh"],
        "the 8-day-old crawl is outside 7 days"
    );
    // The fresh page's crawl is pruned: it disappears from the results.
    sqlx::query("DELETE FROM crawls WHERE page_id = $1")
        .bind(fresh)
        .execute(&app.db)
        .await
        .unwrap();
    wait_until("the pruned crawl leaves the index", || async {
        api(&app, "archive").await.1["total"] == 0
    })
    .await;
    keeper.abort();
}

#[tokio::test]
async fn search_can_be_switched_off() {
    let app = TestApp::spawn_with(|c| c.apps = Some(vec!["wordcloud".into()])).await;
    assert_eq!(app.get("/search?q=x").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/search?q=x").await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, html) = app.page("/pages").await;
    assert_eq!(count(&html, "#nav-search"), 0);
}

#[tokio::test]
async fn hud_search_from_the_command_line() {
    let app = TestApp::spawn().await;
    energy(&app).await;
    let run = |args: &[&str]| hud_command(&app, args);
    let found = run(&["search", "wind OR nuclear"]);
    assert!(found.status.success(), "{found:?}");
    let out = String::from_utf8_lossy(&found.stdout);
    assert!(
        out.contains("2 pages") && out.contains("https://wind.example/"),
        "{out}"
    );
    let stats = run(&["search", "--stats"]);
    let out = String::from_utf8_lossy(&stats.stdout);
    assert!(
        out.contains("5 rows of 4 pages") && out.contains("postings"),
        "{out}"
    );
    let bad = run(&["search", "(wind"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("parentheses"));
}
