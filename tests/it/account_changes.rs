//! Changing the password (every other session and API token ends, on every instance) and the
//! e-mail address, through the forms and the API; both confirmed with the current password
//! under the login limit per account.

use reqwest::StatusCode;
use scraper::Html;
use serde_json::{Value, json};

use crate::common::*;

const NEW: &str = "a much longer secret phrase 42";
const NEWER: &str = "another long secret phrase 43";

async fn logged_in(app: &TestApp) -> bool {
    app.get("/accounts/profile").await.status() == StatusCode::OK
}

async fn token(app: &TestApp, password: &str) -> String {
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "ann", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn change_password(app: &TestApp, fields: &[(&str, &str)]) -> (StatusCode, Html) {
    let r = app
        .submit("/accounts/password", "/accounts/password", fields)
        .await;
    let status = r.status();
    (status, Html::parse_document(&r.text().await.unwrap()))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_password_ends_every_other_session_and_token_everywhere() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    app.login("ann", PASSWORD).await;
    let thief = TestApp {
        client: app.new_client(),
        ..app.clone()
    };
    thief.login("ann", PASSWORD).await;
    let elsewhere = app.sibling().await;
    elsewhere.login("ann", PASSWORD).await;
    let tokens = [token(&app, PASSWORD).await, token(&app, PASSWORD).await];
    for who in [&app, &thief, &elsewhere] {
        assert!(logged_in(who).await);
    }
    let (_, security) = app.page("/accounts/security").await;
    assert_eq!(
        attr(&security, "#change-password", "href").as_deref(),
        Some("/accounts/password")
    );

    // Refused, field by field, and nothing changes.
    for (fields, field, message) in [
        (
            [
                ("current_password", "wrong"),
                ("password", NEW),
                ("password2", NEW),
            ],
            "current_password",
            "The current password is wrong.",
        ),
        (
            [
                ("current_password", PASSWORD),
                ("password", "short"),
                ("password2", "short"),
            ],
            "password",
            "at least",
        ),
        (
            [
                ("current_password", PASSWORD),
                ("password", NEW),
                ("password2", NEWER),
            ],
            "password2",
            "The two passwords differ.",
        ),
    ] {
        let (status, html) = change_password(&app, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let error = text(&html, &format!("#{field}-error")).unwrap();
        assert!(error.contains(message), "{field}: {error}");
    }
    assert!(logged_in(&thief).await, "nothing changed");

    let (status, _) = change_password(
        &app,
        &[
            ("current_password", PASSWORD),
            ("password", NEW),
            ("password2", NEW),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = app.page("/accounts/security").await;
    assert_eq!(
        text(&html, ".alert-success").unwrap(),
        "Your password has been changed. Other sessions ended: 2; API tokens revoked: 2."
    );
    assert!(logged_in(&app).await, "this session stays");
    assert!(!logged_in(&thief).await, "refused at once on this instance");
    wait_until("the other instance forgets the session", || async {
        !logged_in(&elsewhere).await
    })
    .await;
    for old in &tokens {
        assert_eq!(me(&app, old).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(me(&elsewhere, old).await.status(), StatusCode::UNAUTHORIZED);
    }
    // Only the new password opens the account now.
    assert_ne!(
        thief.login("ann", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        thief.login("ann", NEW).await.status(),
        StatusCode::SEE_OTHER
    );

    // Through the API: the calling token stays, the others go.
    let (kept, other) = (token(&app, NEW).await, token(&app, NEW).await);
    let change = |bearer: &str, current: &str, new: &str| {
        app.client
            .post(app.url("/api/v1/me/password"))
            .bearer_auth(bearer.to_owned())
            .header("accept-language", "fr")
            .json(&json!({"current_password": current, "password": new}))
            .send()
    };
    let r = change(&kept, "wrong", NEWER).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "current_password");
    assert_eq!(
        problem["errors"][0]["message"],
        "Le mot de passe actuel est incorrect."
    );
    let r = change(&kept, NEW, NEWER).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let ended: Value = r.json().await.unwrap();
    assert_eq!(ended["tokens"], 1);
    assert!(ended["sessions"].as_u64().unwrap() >= 2);
    assert_eq!(me(&app, &kept).await.status(), StatusCode::OK);
    assert_eq!(me(&app, &other).await.status(), StatusCode::UNAUTHORIZED);
    assert!(
        !logged_in(&app).await,
        "the API change ends browser sessions too"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn guessing_the_current_password_meets_the_login_limit() {
    let app = TestApp::spawn_with(|c| c.accounts.login_limit_per_account = 3).await;
    app.create_user("ann", PASSWORD, false).await;
    app.login("ann", PASSWORD).await;
    let wrong = [
        ("current_password", "guess"),
        ("password", NEW),
        ("password2", NEW),
    ];
    for _ in 0..3 {
        assert_eq!(
            change_password(&app, &wrong).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        change_password(&app, &wrong).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Even the right password waits now: the limit is checked first.
    let right = [
        ("current_password", PASSWORD),
        ("password", NEW),
        ("password2", NEW),
    ];
    assert_eq!(
        change_password(&app, &right).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_e_mail_address_changes_with_the_password_and_stays_unique() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    app.create_user("bob", PASSWORD, false).await;
    app.login("ann", PASSWORD).await;
    let elsewhere = app.sibling().await;
    elsewhere.login("ann", PASSWORD).await;
    let (_, profile) = elsewhere.page("/accounts/profile").await;
    assert!(profile.html().contains("ann@example.org"));
    let (_, form) = app.page("/accounts/email").await;
    assert_eq!(
        text(&form, "#email-now").as_deref(),
        Some("Your address now: ann@example.org")
    );
    for (email, password, field, message) in [
        (
            "not an address",
            PASSWORD,
            "email",
            "Enter a valid e-mail address.",
        ),
        (
            "BOB@example.org",
            PASSWORD,
            "email",
            "An account with this e-mail address already exists.",
        ),
        (
            "ann@new.example",
            "wrong",
            "current_password",
            "The current password is wrong.",
        ),
    ] {
        let r = app
            .submit(
                "/accounts/email",
                "/accounts/email",
                &[("email", email), ("current_password", password)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        let html = Html::parse_document(&r.text().await.unwrap());
        assert_eq!(
            text(&html, &format!("#{field}-error")).as_deref(),
            Some(message)
        );
        assert_eq!(attr(&html, "#email", "value").as_deref(), Some(email));
    }
    let r = app
        .submit(
            "/accounts/email",
            "/accounts/email",
            &[
                ("email", " ann@new.example "),
                ("current_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/accounts/profile");
    let (_, profile) = app.page("/accounts/profile").await;
    assert_eq!(
        text(&profile, ".alert-success").as_deref(),
        Some("Your e-mail address is now ann@new.example.")
    );
    wait_until("the other instance shows the new address", || async {
        let (_, profile) = elsewhere.page("/accounts/profile").await;
        profile.html().contains("ann@new.example")
    })
    .await;
    let fresh = TestApp {
        client: app.new_client(),
        ..app.clone()
    };
    assert_ne!(
        fresh.login("ann@example.org", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        fresh.login("ANN@new.example", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );

    // Through the API.
    let bearer = token(&app, PASSWORD).await;
    let put = |email: &str| {
        app.client
            .put(app.url("/api/v1/me/email"))
            .bearer_auth(&bearer)
            .json(&json!({"email": email, "current_password": PASSWORD}))
            .send()
    };
    let r = put("bob@example.org").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["field"],
        "email"
    );
    let r = app
        .client
        .put(app.url("/api/v1/me/email"))
        .bearer_auth(&bearer)
        .json(&json!({"email": "", "current_password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "the password is checked first"
    );
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["field"],
        "current_password"
    );
    let r = put("ann@api.example").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"email": "ann@api.example"})
    );
    let me: Value = me(&app, &bearer).await.json().await.unwrap();
    assert_eq!(me["email"], "ann@api.example");
}
