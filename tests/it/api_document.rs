//! The OpenAPI document covers the whole API: every route under `/api` the source declares is
//! in it, and so is every URL an answer hands out (captcha picture and sound, avatar).

use std::path::Path;

use reqwest::StatusCode;
use serde_json::Value;

use crate::{api::token, common::*};

/// Routes under `/api` that are not part of the API itself: the document and its viewer.
const NOT_THE_API: &[&str] = &["/api/openapi.json", "/api/docs"];

/// Every `.route("/api…"` (or `route_service`, `nest`, `nest_service`) in the Rust sources
/// under `dir`: routes added to a router by hand, outside `utoipa_axum::routes!`.
fn hand_added_api_routes(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            hand_added_api_routes(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for call in [".route(", ".route_service(", ".nest(", ".nest_service("] {
                for (at, _) in source.match_indices(call) {
                    let rest = source[at + call.len()..].trim_start();
                    if let Some(literal) = rest.strip_prefix('"')
                        && let Some(end) = literal.find('"')
                        && literal[..end].starts_with("/api")
                    {
                        found.push((path.display().to_string(), literal[..end].to_owned()));
                    }
                }
            }
        }
    }
}

/// Whether `url` (a path, maybe with a query) is an instance of a documented path template:
/// segment by segment, a `{param}` (with any literal text around it, as in `{token}.png`)
/// stands for one or more characters.
fn documented(doc: &Value, url: &str) -> bool {
    let path: Vec<&str> = url.split('?').next().unwrap().split('/').collect();
    doc["paths"].as_object().unwrap().keys().any(|template| {
        let template: Vec<&str> = template.split('/').collect();
        template.len() == path.len()
            && template
                .iter()
                .zip(&path)
                .all(|(t, p)| match (t.find('{'), t.find('}')) {
                    (Some(open), Some(close)) => {
                        let (prefix, suffix) = (&t[..open], &t[close + 1..]);
                        p.len() > prefix.len() + suffix.len()
                            && p.starts_with(prefix)
                            && p.ends_with(suffix)
                    }
                    _ => t == p,
                })
    })
}

#[tokio::test]
async fn every_route_under_api_is_in_the_document() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let mut routes = Vec::new();
    hand_added_api_routes(&crate::common::repo_root().join("src"), &mut routes);
    let missing: Vec<_> = routes
        .iter()
        .filter(|(_, route)| !NOT_THE_API.contains(&route.as_str()))
        .filter(|(_, route)| doc["paths"].get(route).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "routes under /api missing from the OpenAPI document (add them with utoipa_axum's \
         routes! and a #[utoipa::path]): {missing:?}"
    );
    // The scan sees the routes it must: the document's own.
    assert!(routes.iter().any(|(_, r)| r == "/api/openapi.json"));
    // And the views the pages have are in the API too.
    for path in [
        "/api/v1/pages/{id}/compare",
        "/api/v1/pages/{id}/trend",
        "/api/v1/pages/{id}/cloud.png",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
    // The matcher itself: a template matches its instances only.
    assert!(documented(&doc, "/api/v1/pages/12/cloud.png?at=x"));
    assert!(!documented(&doc, "/api/v1/pages/12/cloud.gif"));
    assert!(!documented(&doc, "/api/v1/pages//trend"));
}

#[tokio::test]
async fn every_url_an_answer_hands_out_is_documented() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let captcha: Value = app.get("/api/v1/captcha").await.json().await.unwrap();
    let mut urls = vec![captcha["image_url"].as_str().unwrap().to_owned()];
    // The sound's URL has the same shape whether or not speech is installed here.
    urls.push(
        urls[0]
            .replace("/image/", "/audio/")
            .replace(".png", ".wav"),
    );
    if let Some(audio) = captcha["audio_url"].as_str() {
        assert_eq!(audio, urls[1]);
    }
    let id = app.create_user("pictured", PASSWORD, false).await;
    sqlx::query("UPDATE users SET avatar_version = 3 WHERE id = $1")
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    let bearer = token(&app, "pictured").await;
    let me = app.api_json("/api/v1/me", &bearer).await;
    urls.push(me["avatar_url"].as_str().unwrap().to_owned());
    for url in &urls {
        assert!(
            documented(&doc, url),
            "{url} is not in the OpenAPI document"
        );
    }
    // They are real: the picture is served as documented.
    let picture = app.get(&urls[0]).await;
    assert_eq!(picture.status(), StatusCode::OK);
    assert_eq!(picture.headers()["content-type"], "image/png");
}
