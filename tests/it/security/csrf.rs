//! Finding 11, CSRF token fixation: a token known before login (an attacker who planted their
//! session cookie in the victim's browser knows it) is worthless once the victim logs in, and
//! one known before logout is worthless after it.

use reqwest::StatusCode;

use crate::common::*;

/// POST `/accounts/logout` (a state-changing form) with `token`.
async fn logout_with(app: &TestApp, token: &str) -> StatusCode {
    app.client
        .post(app.url("/accounts/logout"))
        .form(&[("csrf_token", token)])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_token_planted_before_login_is_refused_after_login() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    // The attacker's session: its cookie is planted in Ann's browser, so both know its token.
    let planted = app.csrf("/accounts/login").await;
    let r = app.login("ann", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        logout_with(&app, &planted).await,
        StatusCode::FORBIDDEN,
        "a forged form with the planted token"
    );
    let (_, html) = app.page("/accounts/profile").await;
    assert_eq!(
        text(&html, "#profile-username").as_deref(),
        Some("ann"),
        "still logged in"
    );
    // Ann's own forms carry the new token, which works.
    let fresh = app.csrf("/accounts/preferences").await;
    assert_ne!(fresh, planted);
    assert_eq!(logout_with(&app, &fresh).await, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_token_from_before_logout_is_refused_after_logout() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    app.login("ann", PASSWORD).await;
    let before = app.csrf("/accounts/preferences").await;
    assert_eq!(logout_with(&app, &before).await, StatusCode::SEE_OTHER);
    let r = app
        .client
        .post(app.url("/accounts/login"))
        .form(&[
            ("csrf_token", before.as_str()),
            ("login", "ann"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let after = app.csrf("/accounts/login").await;
    assert_ne!(after, before);
}

#[tokio::test]
async fn only_changing_methods_need_the_token_and_others_get_405() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    app.login("ann", PASSWORD).await;
    // The methods routes take for changes are refused without the token…
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        let r = app
            .client
            .request(method.parse().unwrap(), app.url("/accounts/logout"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method}");
    }
    assert!(app.get("/accounts/profile").await.status().is_success());
    // …and a method no route takes is answered as such, not as a forgery.
    for path in ["/captcha/image/x.png", "/accounts/profile", "/pages"] {
        let r = app
            .client
            .request("QUERY".parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
    }
}
