//! Switching sub-apps on and off with `HUD_APPS`.

use reqwest::StatusCode;

use crate::common::*;

#[tokio::test]
async fn all_apps_on_by_default() {
    let app = TestApp::spawn().await;
    let (_, html) = app.page("/").await;
    assert_eq!(
        count(&html, "#app-cards .card"),
        4,
        "one card per switchable app with a card (word clouds, search, prognosis, accounts)"
    );
    assert!(count(&html, "#nav-login") == 1);
    assert_eq!(app.get("/accounts/signup").await.status(), StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn disabled_accounts_app_is_gone() {
    let app = TestApp::spawn_with(|c| c.apps = Some(vec![])).await;
    let (status, html) = app.page("/").await;
    assert_eq!(status, StatusCode::OK, "home is core");
    assert_eq!(count(&html, "#app-cards .card"), 0);
    assert_eq!(count(&html, "#nav-login"), 0, "no login link");
    for path in [
        "/accounts/signup",
        "/accounts/login",
        "/accounts/profile",
        "/admin/users",
        "/pages",
        "/pages/new",
        "/pages/1/cloud.svg",
        "/admin/pages",
        "/admin/ignore-lists",
    ] {
        assert_eq!(
            app.get(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::NOT_FOUND);
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["paths"].get("/api/v1/me").is_none());
}

#[test]
fn unknown_app_names_are_refused() {
    let err =
        hud::web::apps::EnabledApps::resolve(&hud::apps::REGISTRY, Some(&["acounts".to_owned()]))
            .err()
            .expect("unknown name");
    assert!(err.to_string().contains("acounts") && err.to_string().contains("accounts"));
}
