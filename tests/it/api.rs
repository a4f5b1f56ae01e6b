//! The JSON API: tokens, me, preferences, problem+json, OpenAPI.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

pub async fn token(app: &TestApp, username: &str) -> String {
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: Value = r.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn token_lifecycle_and_me() {
    let app = TestApp::spawn().await;
    app.create_user("ivy", PASSWORD, false).await;
    let token = token(&app, "ivy").await;
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_ne!(stored, token.as_bytes(), "only a hash is stored");

    let me: Value = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "ivy");
    assert_eq!(me["language"], Value::Null);

    let r = app
        .client
        .patch(app.url("/api/v1/me/preferences"))
        .bearer_auth(&token)
        .json(&json!({"language": "sv", "timezone": "Europe/Stockholm"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["language"], "sv");
    assert_eq!(me["timezone"], "Europe/Stockholm");

    // Partial update keeps the other field.
    let me: Value = app
        .client
        .patch(app.url("/api/v1/me/preferences"))
        .bearer_auth(&token)
        .json(&json!({"timezone": ""}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["language"], "sv");
    assert_eq!(me["timezone"], Value::Null);

    let r = app
        .client
        .delete(app.url("/api/v1/auth/token"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_input_gets_translated_problem_json() {
    let app = TestApp::spawn().await;
    app.create_user("jan", PASSWORD, false).await;
    let token = token(&app, "jan").await;
    let r = app
        .client
        .patch(app.url("/api/v1/me/preferences"))
        .bearer_auth(&token)
        .header("accept-language", "nl")
        .json(&json!({"language": "xx", "timezone": "Nowhere/Land"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: Value = r.json().await.unwrap();
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[1]["field"], "timezone");
    let dutch = hud::i18n::Lang::Nl.t("timezone-unknown");
    assert_eq!(errors[1]["message"], dutch);

    // Malformed JSON, wrong content type, wrong types: problem+json, never a 500.
    for (body, content_type) in [
        ("{not json", "application/json"),
        ("{}", "text/plain"),
        (r#"{"language": 5}"#, "application/json"),
    ] {
        let r = app
            .client
            .patch(app.url("/api/v1/me/preferences"))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{body}: {}", r.status());
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }

    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "jan", "password": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth("hud_forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn openapi_document_and_docs() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    for path in ["/api/v1/auth/token", "/api/v1/me", "/api/v1/me/preferences"] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let r = app.get("/api/docs/").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("swagger"));
    // The UI loads the document HUD serves (encoded once at start).
    let init = app.get("/api/docs/swagger-initializer.js").await;
    assert_eq!(init.status(), StatusCode::OK);
    assert!(init.text().await.unwrap().contains("/api/openapi.json"));
}
