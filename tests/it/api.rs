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

    let me: Value = app.api_json("/api/v1/me", &token).await;
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

async fn admin_token(app: &TestApp) -> String {
    app.create_user("root", PASSWORD, true).await;
    token(app, "root").await
}

/// A problem+json answer: its status and body.
async fn problem(r: reqwest::Response) -> (StatusCode, Value) {
    let status = r.status();
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn ids_out_of_range_name_nothing() {
    let app = TestApp::spawn().await;
    let token = admin_token(&app).await;
    // Before: `Path<i64>` refused 2⁶³ with a bare 400, and the document promised any integer.
    for id in [
        "9223372036854775808",
        "0",
        "-1",
        "1e3",
        "99999999999999999999999",
    ] {
        for path in [
            format!("/api/v1/pages/{id}"),
            format!("/api/v1/pages/{id}/wordcounts"),
            format!("/api/v1/pages/{id}/cloud.svg"),
        ] {
            let (status, body) = problem(app.get(&path).await).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(body["status"], 404);
        }
        let r = app
            .client
            .delete(app.url(&format!("/api/v1/ignore-lists/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(problem(r).await.0, StatusCode::NOT_FOUND, "{id}");
    }
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let id = &doc["paths"]["/api/v1/pages/{id}"]["get"]["parameters"][0]["schema"];
    assert_eq!(id["minimum"], 1);
    assert_eq!(id["format"], "int64");
}

#[tokio::test]
async fn empty_query_values_count_as_absent() {
    let app = TestApp::spawn().await;
    // Before: `features=` was not a boolean (400), `limit=` not a number.
    let r = app.get("/api/v1/prognosis/samples?q=&features=").await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = registered_page(&app, "https://example.org/").await;
    stored_crawl(&app, page, "2025-12-25T12:00:00Z", &[("cloud", 3)]).await;
    let r = app
        .get(&format!(
            "/api/v1/pages/{page}/wordcounts?at=&from=&to=&limit=&raw="
        ))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // A value of the wrong type is a 422 naming the parameter, translated.
    let r = app
        .client
        .get(app.url("/api/v1/prognosis/samples?features=maybe"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    let (status, body) = problem(r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "features");
    assert_eq!(
        body["errors"][0]["message"],
        hud::i18n::Lang::Fr.t("api-field-invalid")
    );
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let params = doc["paths"]["/api/v1/prognosis/samples"]["get"]["parameters"]
        .as_array()
        .unwrap();
    assert!(params.iter().all(|p| p["allowEmptyValue"] == true));
}

#[tokio::test]
async fn unreadable_bodies_get_a_translated_problem() {
    let app = TestApp::spawn().await;
    let token = admin_token(&app).await;
    let send = |content_type: &'static str, body: &'static str| {
        app.client
            .post(app.url("/api/v1/ignore-lists"))
            .bearer_auth(&token)
            .header("accept-language", "nl")
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    // Wrong content type: 415, with a problem document (before: undocumented).
    let (status, body) = problem(send("text/plain", "{}").await.unwrap()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(body["title"], hud::i18n::Lang::Nl.t("error-415-title"));
    // Not JSON: 400 saying where.
    let (status, body) = problem(send("application/json", "{\"name\": ").await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["detail"].as_str().unwrap().contains('1'), "{body}");
    // Not an object, a missing field, a wrong type: 422 naming the field.
    for (json, field) in [
        ("[\"a\", []]", "body"),
        ("{\"name\": \"a\"}", "words"),
        ("{\"name\": \"a\", \"words\": [\"x\", 5]}", "words[1]"),
        ("{\"name\": \"a\", \"words\": [\"two words\"]}", "words[0]"),
    ] {
        let (status, body) = problem(send("application/json", json).await.unwrap()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
        assert_eq!(body["errors"][0]["field"], field, "{json}");
        assert!(body["errors"][0]["message"].is_string(), "{json}");
    }
    // A name taken is a conflict with the state, not invalid input.
    let ok = send(
        "application/json",
        "{\"name\": \"stop\", \"words\": [\"a\"]}",
    );
    assert_eq!(ok.await.unwrap().status(), StatusCode::CREATED);
    let again = send(
        "application/json",
        "{\"name\": \"stop\", \"words\": [\"b\"]}",
    );
    let (status, body) = problem(again.await.unwrap()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["errors"][0]["field"], "name");
    // A NUL in a login reached PostgreSQL (500); it matches no account.
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "ro\u{0}ot", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_error_response_is_documented_with_the_problem_body() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    let schema = &response["content"]["application/problem+json"]["schema"];
                    assert_eq!(
                        schema["$ref"], "#/components/schemas/Problem",
                        "{method} {path} {status}"
                    );
                }
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(responses.contains_key(status), "{method} {path} {status}");
                }
            }
            if operation.get("security").is_some() {
                assert!(responses.contains_key("401"), "{method} {path}");
            }
        }
    }
}

#[tokio::test]
async fn preferences_take_exactly_the_documented_values() {
    let app = TestApp::spawn().await;
    app.create_user("kim", PASSWORD, false).await;
    let token = token(&app, "kim").await;
    // Before: trimmed and case-folded like the form, so a vertical tab reset the timezone and
    // `EN` was English, though the document lists neither.
    for (body, field) in [
        (json!({"timezone": "\u{b}"}), "timezone"),
        (json!({"timezone": " Europe/Oslo"}), "timezone"),
        (json!({"language": "EN"}), "language"),
    ] {
        let r = app
            .client
            .patch(app.url("/api/v1/me/preferences"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let (status, problem) = problem(r).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let timezone = &doc["components"]["schemas"]["PreferencesInput"]["properties"]["timezone"];
    let zones = timezone["enum"].as_array().unwrap();
    assert!(zones.contains(&json!("Europe/Oslo")) && zones.contains(&json!("")));
}

#[tokio::test]
async fn the_token_endpoints_take_exactly_the_documented_input() {
    let app = TestApp::spawn().await;
    app.create_user("kim", PASSWORD, false).await;
    let token = token(&app, "kim").await;
    // Before: the framework's extractors: a bare 400 for a bad `keep_current`, an empty one (the
    // document allows it: absent) or an id ≥ 2⁶³, and `[]` accepted as the body of
    // log-out-everywhere.
    let send = |r: reqwest::RequestBuilder| r.bearer_auth(&token).send();
    let r = send(
        app.client
            .delete(app.url("/api/v1/auth/tokens/9223372036854775808")),
    )
    .await
    .unwrap();
    assert_eq!(problem(r).await.0, StatusCode::NOT_FOUND);
    let r = send(
        app.client
            .delete(app.url("/api/v1/auth/tokens?keep_current=-5")),
    )
    .await
    .unwrap();
    let (status, body) = problem(r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "keep_current");
    let r = send(
        app.client
            .post(app.url("/api/v1/auth/logout-everywhere"))
            .json(&json!([])),
    )
    .await
    .unwrap();
    assert_eq!(problem(r).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    // The token is still good; an empty `keep_current` is absent (every token is revoked).
    let r = send(
        app.client
            .delete(app.url("/api/v1/auth/tokens?keep_current=")),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["revoked"], 1);
    // A new token's name and scope: as documented, not as the form trims them.
    for (extra, field) in [
        (json!({"name": "\u{b}phone"}), "name"),
        (json!({"name": "x".repeat(101)}), "name"),
        (json!({"name": format!(" {}", "x".repeat(100))}), "name"),
        (json!({"scope": " read"}), "scope"),
        (json!({"scope": ""}), "scope"),
    ] {
        let r = app.request_token("kim", &extra).await;
        let (status, problem) = problem(r).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{extra}");
        assert_eq!(problem["errors"][0]["field"], field, "{extra}");
    }
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "kim", "password": PASSWORD, "name": " phone ", "scope": "read"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.json::<Value>().await.unwrap()["name"], "phone");
}
