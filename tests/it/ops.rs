//! Operational endpoints, error pages, headers, static files, ETags.

use reqwest::StatusCode;

use crate::common::*;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app =
        TestApp::spawn_with(|c| c.telemetry.metrics_token = Some("scraper secret".into())).await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.text().await.unwrap(), "ok");
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);

    app.get("/").await;
    app.get("/no/such/page").await;
    // A form without its CSRF token never reaches a route, and is counted as refused.
    let refused = app
        .client
        .post(app.url("/accounts/login"))
        .form(&[("login", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("scraper secret")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"http_requests_refused_total{reason="csrf"}"#),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"http_requests_total{route="/",method="GET",status="200"}"#),
        "{metrics}"
    );
    assert!(
        metrics.contains("http_request_duration_seconds_bucket"),
        "{metrics}"
    );

    // A pending migration makes the instance unready.
    sqlx::query("DELETE FROM _sqlx_migrations")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        app.get("/readyz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn readyz_reports_a_dead_database() {
    let app = TestApp::spawn().await;
    app.db.close().await;
    assert_eq!(
        app.get("/readyz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = TestApp::spawn().await;
    for path in ["/", "/accounts/login", "/nothing-here", "/healthz"] {
        let r = app.get(path).await;
        let h = r.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert!(h.get("referrer-policy").is_some());
        assert!(h.get("x-request-id").is_some(), "{path} has a request id");
    }
}

#[tokio::test]
async fn styled_translated_error_pages() {
    let app = TestApp::spawn().await;
    let (status, html) = app.page("/does-not-exist").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(text(&html, "h1").unwrap(), "Page not found");
    assert!(
        count(&html, "nav.navbar") == 1,
        "error pages use the layout"
    );

    let (status, html) = app.page("/fr/does-not-exist").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(attr(&html, "html", "lang").unwrap(), "fr");
    assert_ne!(text(&html, "h1").unwrap(), "Page not found");

    // Wrong method: the framework's bare 405 is rendered too.
    let token = app.csrf("/accounts/login").await;
    let r = app
        .client
        .post(app.url("/accounts/profile"))
        .form(&[("csrf_token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );

    // Under /api: problem+json.
    let r = app.get("/api/v1/nothing").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], 404);
    assert!(body["title"].is_string());
}

#[tokio::test]
async fn static_assets_are_hashed_and_immutable() {
    let app = TestApp::spawn().await;
    let (_, html) = app.page("/").await;
    let css = attr(&html, "link[rel=stylesheet]", "href").unwrap();
    assert!(
        css.starts_with("/static/vendor/bootstrap/bootstrap.min.") && css.ends_with(".css"),
        "{css}"
    );
    let r = app
        .client
        .get(app.url(&css))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.headers()["content-encoding"], "br");
    assert_eq!(
        app.get("/static/vendor/bootstrap/bootstrap.min.css")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn html_has_etag_and_answers_304() {
    let app = TestApp::spawn().await;
    let r = app.get("/").await;
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .client
        .get(app.url("/"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
}

/// One scheme everywhere: a strong tag for the identity body, the same tag made weak when the
/// body is compressed (RFC 9110: strong validators differ per content-encoding), and either
/// form answered with 304 — for uncached pages, response-cache hits and static files alike.
#[tokio::test]
async fn compressed_responses_carry_weak_etags_that_still_match() {
    let app = TestApp::spawn().await;
    let fetch = |path: String, encoding: &'static str, tag: Option<String>| {
        let app = app.clone();
        async move {
            let mut req = app
                .client
                .get(app.url(&path))
                .header("accept-encoding", encoding);
            if let Some(tag) = tag {
                req = req.header("if-none-match", tag);
            }
            let r = req.send().await.unwrap();
            let etag = r.headers()["etag"].to_str().unwrap().to_owned();
            let encoded = r.headers().contains_key("content-encoding");
            (r.status(), etag, encoded)
        }
    };
    let css = app
        .page("/")
        .await
        .1
        .select(&scraper::Selector::parse("link[rel=stylesheet]").unwrap())
        .next()
        .and_then(|l| l.value().attr("href").map(str::to_owned))
        .expect("a stylesheet");
    // `/` twice: the second answer comes from the response cache.
    for path in [
        "/".to_owned(),
        "/".to_owned(),
        "/accounts/login".to_owned(),
        css,
    ] {
        let (status, strong, encoded) = fetch(path.clone(), "identity", None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!encoded && strong.starts_with('"'), "{path}: {strong}");
        let (_, weak, encoded) = fetch(path.clone(), "br", None).await;
        assert!(encoded, "{path} is compressed");
        assert_eq!(weak, format!("W/{strong}"), "{path}");
        for (encoding, tag) in [("identity", &weak), ("br", &strong), ("gzip", &weak)] {
            let (status, _, _) = fetch(path.clone(), encoding, Some(tag.clone())).await;
            assert_eq!(status, StatusCode::NOT_MODIFIED, "{path} {encoding} {tag}");
        }
    }
}

#[tokio::test]
async fn oversized_bodies_get_a_413_page() {
    let app = TestApp::spawn_with(|c| c.server.body_limit_bytes = 64 * 1024).await;
    let big = "x".repeat(200 * 1024);
    let r = app
        .client
        .post(app.url("/accounts/login"))
        .form(&[("login", big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("<html"));
}

/// Error pages are rendered where the request's context is known: a framework error raised
/// outside the handler (body too large, unknown route, wrong method) shows the logged-in
/// user's navigation, in the user's preferred language, which the URL does not name.
#[tokio::test]
async fn error_pages_know_the_user_and_their_language() {
    let app = TestApp::spawn_with(|c| c.server.body_limit_bytes = 64 * 1024).await;
    let id = app.create_user("sigrid", PASSWORD, false).await;
    sqlx::query("UPDATE users SET preferred_language = 'sv' WHERE id = $1")
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    app.login("sigrid", PASSWORD).await;
    let token = app.csrf("/accounts/profile").await;
    let big = "x".repeat(200 * 1024);
    let too_large = app
        .client
        .post(app.url("/accounts/profile"))
        .form(&[("csrf_token", token.as_str()), ("timezone", big.as_str())])
        .send()
        .await
        .unwrap();
    let not_found = app.get("/no-such-page").await;
    let wrong_method = app
        .client
        .delete(app.url("/accounts/profile"))
        .header("x-csrf-token", &token)
        .send()
        .await
        .unwrap();
    for (r, status) in [
        (too_large, StatusCode::PAYLOAD_TOO_LARGE),
        (not_found, StatusCode::NOT_FOUND),
        (wrong_method, StatusCode::METHOD_NOT_ALLOWED),
    ] {
        assert_eq!(r.status(), status);
        assert_eq!(r.headers()["content-language"], "sv");
        let html = scraper::Html::parse_document(&r.text().await.unwrap());
        assert_eq!(attr(&html, "html", "lang").unwrap(), "sv", "{status}");
        assert!(
            html.root_element().text().any(|t| t.contains("sigrid")),
            "{status}: the page shows who is logged in"
        );
    }
}

#[tokio::test]
async fn server_errors_are_styled_and_reveal_nothing() {
    let app = TestApp::spawn().await;
    app.create_user("kim", PASSWORD, false).await;
    app.login("kim", PASSWORD).await;
    // Break the database under a logged-in session: loading the user now fails.
    sqlx::query("ALTER TABLE users RENAME TO users_gone")
        .execute(&app.db)
        .await
        .unwrap();
    let r = app
        .client
        .get(app.url("/nb/accounts/profile"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let request_id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(!request_id.is_empty());
    let body = r.text().await.unwrap();
    assert!(
        !body.contains("users") && !body.contains("relation"),
        "no internals: {body}"
    );
    let html = scraper::Html::parse_document(&body);
    assert_eq!(attr(&html, "html", "lang").unwrap(), "nb");
    assert_eq!(
        text(&html, "h1").unwrap(),
        hud::i18n::Lang::Nb.t("error-500-title")
    );
}

#[tokio::test]
async fn pages_are_compressed() {
    let app = TestApp::spawn().await;
    for encoding in ["br", "gzip"] {
        let r = app
            .client
            .get(app.url("/accounts/signup"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-encoding"], encoding);
    }
}
