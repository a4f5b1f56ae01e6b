//! The API's rate limits (`HUD_API_RATE_LIMIT`, `HUD_API_RATE_LIMIT_ANONYMOUS`): a caller gets
//! its quota, told in the `RateLimit` / `RateLimit-Policy` headers, then a translated 429
//! problem+json with `Retry-After`; every token and every client IP has a quota of its own, and
//! an unknown token does not escape the client's.

use reqwest::{RequestBuilder, Response, StatusCode};

use crate::common::*;

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// A new user's token.
async fn token_of(app: &TestApp, username: &str) -> String {
    app.create_user(username, PASSWORD, false).await;
    crate::api::token(app, username).await
}

/// `GET /api/v1/me` with `token`.
async fn me(app: &TestApp, token: &str) -> Response {
    me_in(app, token, "en").await
}

/// `GET /api/v1/me` with `token`, asking for answers in `lang`.
async fn me_in(app: &TestApp, token: &str, lang: &str) -> Response {
    app.client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .header("accept-language", lang)
        .send()
        .await
        .unwrap()
}

/// A GET of `path` from client IP `ip` (the app trusts `X-Forwarded-For`).
fn from(app: &TestApp, ip: &str, path: &str) -> RequestBuilder {
    app.client.get(app.url(path)).header("x-forwarded-for", ip)
}

#[tokio::test]
async fn a_token_gets_its_quota_then_a_translated_429_that_says_when_to_come_back() {
    let app = TestApp::spawn_with(|c| c.server.api_rate_limit = 3).await;
    let ann = token_of(&app, "ann").await;
    let bob = token_of(&app, "bob").await;

    for left in [2, 1, 0] {
        let response = me(&app, &ann).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            header(&response, "ratelimit-policy"),
            Some("\"token\";q=3;w=60")
        );
        let expected_reset = (3 - left) * 20;
        assert_eq!(
            header(&response, "ratelimit"),
            Some(format!("\"token\";r={left};t={expected_reset}").as_str())
        );
    }

    let refused = me_in(&app, &ann, "nl").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        header(&refused, "content-type"),
        Some("application/problem+json")
    );
    let retry_after: u64 = header(&refused, "retry-after").unwrap().parse().unwrap();
    assert!(
        (1..=20).contains(&retry_after),
        "one request's share comes back within 20 s, not {retry_after}"
    );
    assert_eq!(
        header(&refused, "ratelimit"),
        Some(format!("\"token\";r=0;t={retry_after}").as_str())
    );
    assert_eq!(
        header(&refused, "ratelimit-policy"),
        Some("\"token\";q=3;w=60")
    );
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["status"], 429);
    let dutch = problem["detail"].as_str().unwrap();
    let english: serde_json::Value = me(&app, &ann).await.json().await.unwrap();
    assert_ne!(
        dutch,
        english["detail"].as_str().unwrap(),
        "the refusal speaks the caller's language"
    );

    // Another token has its own quota, and writes count like reads.
    let other = me(&app, &bob).await;
    assert_eq!(other.status(), StatusCode::OK);
    assert_eq!(header(&other, "ratelimit"), Some("\"token\";r=2;t=20"));
}

#[tokio::test]
async fn requests_without_a_valid_token_count_per_client_ip() {
    let app = TestApp::spawn_with(|c| {
        c.server.trust_proxy = true;
        c.server.api_rate_limit_anonymous = 2;
    })
    .await;
    for _ in 0..2 {
        let response = from(&app, "203.0.113.7", "/api/v1/pages")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            header(&response, "ratelimit")
                .unwrap()
                .starts_with("\"client\";")
        );
    }
    // A made-up token does not buy a fresh quota: it is counted as the client it comes from.
    let guessed = from(&app, "203.0.113.7", "/api/v1/me")
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(guessed.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        header(&guessed, "ratelimit-policy"),
        Some("\"client\";q=2;w=60")
    );
    assert!(header(&guessed, "retry-after").is_some());

    // Another client is not held back by the first.
    let other = from(&app, "198.51.100.1", "/api/v1/pages")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::OK);

    // An IPv6 client is its /64 (HUD_RATE_LIMIT_IPV6_PREFIX): rotating addresses gains nothing.
    for ip in ["2001:db8:1:2::1", "2001:db8:1:2::2"] {
        let ok = from(&app, ip, "/api/v1/pages").send().await.unwrap();
        assert_eq!(ok.status(), StatusCode::OK, "{ip}");
    }
    let rotated = from(&app, "2001:db8:1:2::3", "/api/v1/pages")
        .send()
        .await
        .unwrap();
    assert_eq!(rotated.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_document_its_viewer_and_the_pages_are_not_limited() {
    let app = TestApp::spawn_with(|c| c.server.api_rate_limit_anonymous = 1).await;
    for path in ["/api/openapi.json", "/api/docs/", "/", "/api/openapi.json"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(header(&response, "ratelimit").is_none(), "{path}");
    }
}

#[tokio::test]
async fn zero_turns_the_limits_off() {
    let app = TestApp::spawn_with(|c| {
        c.server.api_rate_limit = 0;
        c.server.api_rate_limit_anonymous = 0;
    })
    .await;
    let token = token_of(&app, "ann").await;
    for _ in 0..5 {
        let anonymous = app.get("/api/v1/pages").await;
        assert_eq!(anonymous.status(), StatusCode::OK);
        assert!(header(&anonymous, "ratelimit").is_none());
        let with_token = me(&app, &token).await;
        assert_eq!(with_token.status(), StatusCode::OK);
        assert!(header(&with_token, "ratelimit-policy").is_none());
    }
}

#[tokio::test]
async fn the_document_says_so_on_every_api_operation() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            if !path.starts_with("/api/v1/") {
                // Served with the pages: not counted, so not said.
                assert!(
                    responses
                        .values()
                        .all(|r| r["headers"]["RateLimit"].is_null()),
                    "{method} {path}"
                );
                continue;
            }
            let refused = &responses["429"];
            assert!(
                refused["headers"]["Retry-After"].is_object(),
                "{method} {path}"
            );
            for (status, response) in responses {
                for name in ["RateLimit", "RateLimit-Policy"] {
                    assert!(
                        response["headers"][name].is_object(),
                        "{method} {path} {status}: {name}"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} operations");
}
