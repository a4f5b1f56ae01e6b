//! Finding 12, information exposure: `/metrics` (routes, request counts, memcached servers) is
//! not public, and `Server-Timing` / `X-Hud-Cache` (which pages are cached, how long the
//! database takes) go only to admins unless the operator switches them on for everyone.

use reqwest::StatusCode;

use crate::common::*;

const TOKEN: &str = "a scraper's long random token";

#[tokio::test]
async fn metrics_are_off_without_a_token_and_need_the_bearer_token_with_one() {
    let app = TestApp::spawn().await;
    let r = app
        .new_client()
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!r.text().await.unwrap().contains("http_requests_total"));

    let app = TestApp::spawn_with(|c| c.telemetry.metrics_token = Some(TOKEN.into())).await;
    app.get("/").await;
    let attempts = [
        None,
        Some("Bearer wrong".to_owned()),
        Some(format!("Bearer {}", &TOKEN[..TOKEN.len() - 1])),
        Some(format!("Basic {TOKEN}")),
        Some("Bearer ".to_owned()),
    ];
    for authorization in attempts {
        let mut request = app.new_client().get(app.url("/metrics"));
        if let Some(value) = &authorization {
            request = request.header("authorization", value);
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert!(
            !r.text().await.unwrap().contains("http_requests_total"),
            "{authorization:?}"
        );
    }
    let r = app
        .new_client()
        .get(app.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("http_requests_total"));
}

fn diagnostics(r: &reqwest::Response) -> (bool, bool) {
    (
        r.headers().contains_key("server-timing"),
        r.headers().contains_key("x-hud-cache"),
    )
}

#[tokio::test]
async fn timing_and_cache_headers_go_to_admins_only() {
    let app = TestApp::spawn().await;
    // A cached public page, twice (miss, then hit), as an outsider sees it.
    for _ in 0..2 {
        let r = app
            .new_client()
            .get(app.url("/pages"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(diagnostics(&r), (false, false), "anonymous");
    }
    app.create_user("user", PASSWORD, false).await;
    app.login("user", PASSWORD).await;
    let r = app.get("/pages").await;
    assert_eq!(diagnostics(&r), (false, false), "an ordinary user");
    let r = app.get("/accounts/profile").await;
    assert!(
        !r.headers().contains_key("server-timing"),
        "an ordinary user"
    );

    let admin = TestApp {
        client: app.new_client(),
        ..app.clone()
    };
    admin.create_user("boss", PASSWORD, true).await;
    admin.login("boss", PASSWORD).await;
    let r = admin.get("/admin").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key("server-timing"), "an admin");
}

#[tokio::test]
async fn the_operator_can_send_them_to_everyone() {
    let app = TestApp::spawn_with(|c| c.telemetry.diagnostic_headers = true).await;
    let mut seen = Vec::new();
    for _ in 0..2 {
        let r = app
            .new_client()
            .get(app.url("/pages"))
            .send()
            .await
            .unwrap();
        seen.push(diagnostics(&r));
    }
    assert_eq!(seen, [(true, true), (true, true)]);
}
