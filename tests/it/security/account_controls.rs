//! Finding 13, account controls for a leaked token or password: list and revoke API tokens
//! (one, all), read-only and short-lived tokens, and "log out everywhere" — in the JSON API and
//! on the security page, taking effect at once on every instance.

use reqwest::StatusCode;
use scraper::Html;
use serde_json::{Value, json};

use crate::common::*;

/// A new token for `ann` with extra request fields; the answer.
async fn new_token(app: &TestApp, extra: Value) -> Value {
    let r = app.request_token("ann", &extra).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

fn secret(answer: &Value) -> String {
    answer["token"].as_str().unwrap().to_owned()
}

/// `GET /api/v1/me` with `token` on `app`: the status.
async fn me(app: &TestApp, token: &str) -> StatusCode {
    app.client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_revoked_token_is_refused_at_once_on_every_instance() {
    let app = TestApp::spawn().await;
    let other = app.sibling().await;
    app.create_user("ann", PASSWORD, false).await;
    let leaked = new_token(&app, json!({"name": "phone"})).await;
    let admin = secret(&new_token(&app, json!({"name": "laptop"})).await);
    // The leaked token works on both instances (and has been seen by both).
    assert_eq!(me(&app, &secret(&leaked)).await, StatusCode::OK);
    assert_eq!(me(&other, &secret(&leaked)).await, StatusCode::OK);
    // Its owner revokes it by id, from another token.
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/auth/tokens/{}", leaked["id"])))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // The very next request with it is refused, on either instance.
    assert_eq!(me(&other, &secret(&leaked)).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &secret(&leaked)).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        me(&app, &admin).await,
        StatusCode::OK,
        "the other token stays"
    );
    // Revoking it again, or someone else's token: not found.
    app.create_user("bob", PASSWORD, false).await;
    let bobs: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, token_hash, expires_at)
         SELECT id, '\\x01', now() + interval '1 day' FROM users WHERE username = 'bob'
         RETURNING id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    for id in [leaked["id"].as_i64().unwrap(), bobs] {
        let r = app
            .client
            .delete(app.url(&format!("/api/v1/auth/tokens/{id}")))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "token {id}");
    }
}

#[tokio::test]
async fn tokens_are_listed_and_revoked_all_at_once() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    let a = secret(&new_token(&app, json!({"name": "a"})).await);
    let b = secret(&new_token(&app, json!({"name": "b", "scope": "read"})).await);
    let c = secret(&new_token(&app, json!({"name": "c"})).await);
    let list: Value = app.api_json("/api/v1/auth/tokens", &c).await;
    let list = list.as_array().unwrap();
    let names: Vec<&str> = list.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["c", "b", "a"], "newest first");
    assert_eq!(list[0]["current"], true);
    assert_eq!(list[1]["scope"], "read");
    assert!(list.iter().all(|t| t.get("token").is_none()), "no secrets");
    // All but the current one…
    let r: Value = app
        .client
        .delete(app.url("/api/v1/auth/tokens?keep_current=true"))
        .bearer_auth(&c)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["revoked"], 2);
    assert_eq!(me(&app, &a).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &b).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &c).await, StatusCode::OK);
    // …then all of them.
    let r = app
        .client
        .delete(app.url("/api/v1/auth/tokens"))
        .bearer_auth(&c)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(me(&app, &c).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_read_only_token_cannot_write() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    let full = secret(&new_token(&app, json!({})).await);
    let read = new_token(&app, json!({"scope": "read"})).await;
    assert_eq!(read["scope"], "read");
    let read = secret(&read);
    assert_eq!(me(&app, &read).await, StatusCode::OK, "it reads");
    let writes = [
        app.client
            .patch(app.url("/api/v1/me/preferences"))
            .json(&json!({"language": "sv"})),
        app.client
            .post(app.url("/api/v1/auth/logout-everywhere"))
            .json(&json!({"revoke_tokens": true})),
        app.client.delete(app.url("/api/v1/auth/tokens")),
        app.client.post(app.url("/api/v1/pages")).json(&json!({
            "url": "https://example.org/", "captcha_token": "x", "captcha_answer": "y"
        })),
    ];
    for write in writes {
        let r = write.bearer_auth(&read).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "a problem document"
        );
    }
    assert_eq!(me(&app, &full).await, StatusCode::OK, "nothing was revoked");
    let language: Option<String> =
        sqlx::query_scalar("SELECT preferred_language FROM users WHERE username = 'ann'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(language, None, "nothing was written");
    // It may switch itself off.
    let r = app
        .client
        .delete(app.url("/api/v1/auth/token"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &read).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_lives_as_long_as_asked_up_to_the_servers_cap() {
    let app = TestApp::spawn_with(|c| c.accounts.api_token_max_days = 30).await;
    app.create_user("ann", PASSWORD, false).await;
    let days_left = |answer: &Value| {
        let at =
            chrono::DateTime::parse_from_rfc3339(answer["expires_at"].as_str().unwrap()).unwrap();
        (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours() as f64 / 24.0
    };
    let short = new_token(&app, json!({"expires_in_days": 2})).await;
    assert!((1.9..=2.0).contains(&days_left(&short)), "{short}");
    let long = new_token(&app, json!({"expires_in_days": 10_000})).await;
    assert!((29.9..=30.0).contains(&days_left(&long)), "capped: {long}");
    let default = new_token(&app, json!({})).await;
    assert!((29.9..=30.0).contains(&days_left(&default)), "{default}");
    for bad in [
        json!({"expires_in_days": 0}),
        json!({"scope": "admin"}),
        json!({"name": "x".repeat(101)}),
    ] {
        let mut body = json!({"username": "ann", "password": PASSWORD});
        body.as_object_mut()
            .unwrap()
            .extend(bad.as_object().unwrap().clone());
        let r = app
            .client
            .post(app.url("/api/v1/auth/token"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    // An expired token is refused (and no longer listed).
    sqlx::query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1")
        .bind(short["id"].as_i64().unwrap())
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(me(&app, &secret(&short)).await, StatusCode::UNAUTHORIZED);
}

/// Whether `client` of `app` is logged in (the profile page answers instead of a redirect).
async fn logged_in(app: &TestApp) -> bool {
    app.get("/accounts/profile").await.status() == StatusCode::OK
}

#[tokio::test]
async fn log_out_everywhere_ends_every_other_session_at_once() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    // Ann here, and a thief with her password on this instance and on another one.
    app.login("ann", PASSWORD).await;
    let thief = TestApp {
        client: app.new_client(),
        ..app.clone()
    };
    thief.login("ann", PASSWORD).await;
    let elsewhere = app.sibling().await;
    elsewhere.login("ann", PASSWORD).await;
    let token = secret(&new_token(&app, json!({})).await);
    // Every session is in use (and so in every cache tier).
    for who in [&app, &thief, &elsewhere] {
        assert!(logged_in(who).await);
    }
    let (_, html) = app.page("/accounts/security").await;
    assert_eq!(
        text(&html, "#session-count").unwrap(),
        "You are logged in in 3 places, this one included."
    );
    let r = app
        .submit(
            "/accounts/security",
            "/accounts/security/logout-everywhere",
            &[("keep_current", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/accounts/security");
    let (_, html) = app.page("/accounts/security").await;
    assert_eq!(
        text(&html, ".alert-success").unwrap(),
        "Logged out everywhere: 2 sessions ended, 0 tokens revoked."
    );
    assert!(!logged_in(&thief).await, "refused at once on this instance");
    wait_until("the other instance forgets the session", || async {
        !logged_in(&elsewhere).await
    })
    .await;
    assert!(logged_in(&app).await, "this session was kept");
    assert_eq!(
        me(&app, &token).await,
        StatusCode::OK,
        "tokens kept unless asked"
    );
    // The thief's old cookie does not come back.
    thief.login("nobody", "wrong").await;
    assert!(!logged_in(&thief).await);

    // Everything, this session and the tokens included.
    let r = app
        .submit(
            "/accounts/security",
            "/accounts/security/logout-everywhere",
            &[("revoke_tokens", "1")],
        )
        .await;
    assert_eq!(location(&r), "/accounts/login");
    assert!(!logged_in(&app).await);
    assert_eq!(me(&app, &token).await, StatusCode::UNAUTHORIZED);
    let rows: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM tower_sessions.session s JOIN users u ON u.id = s.user_id
         WHERE u.username = 'ann'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn log_out_everywhere_through_the_api() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    app.login("ann", PASSWORD).await;
    let current = secret(&new_token(&app, json!({})).await);
    let other = secret(&new_token(&app, json!({})).await);
    let r = app
        .client
        .post(app.url("/api/v1/auth/logout-everywhere"))
        .bearer_auth(&current)
        .json(&json!({"revoke_tokens": true, "keep_current": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done, json!({"sessions": 1, "tokens": 1}));
    assert!(!logged_in(&app).await, "the browser session ended");
    assert_eq!(me(&app, &other).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &current).await, StatusCode::OK);
}

#[tokio::test]
async fn the_security_page_makes_and_revokes_tokens_with_csrf_forms() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    app.login("ann", PASSWORD).await;
    let (status, html) = app.page("/accounts/security").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&html, "#tokens-none").is_some());
    assert!(
        attr(&html, "#nav-security", "href").is_some(),
        "linked from the menu"
    );
    // A foreign site's form cannot make a token (it cannot know the CSRF token).
    let r = app
        .client
        .post(app.url("/accounts/security/tokens"))
        .form(&[("name", "evil"), ("scope", "full"), ("days", "90")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let r = app
        .submit(
            "/accounts/security",
            "/accounts/security/tokens",
            &[("name", "CI"), ("scope", "read"), ("days", "7")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = Html::parse_document(&r.text().await.unwrap());
    let token = text(&html, "#new-token-value").expect("the token is shown once");
    assert_eq!(me(&app, &token).await, StatusCode::OK);
    let row = sqlx::query_as::<_, (String, String, f64)>(
        "SELECT name, scope, extract(epoch FROM expires_at - now())::float8 / 86400
         FROM api_tokens",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((row.0.as_str(), row.1.as_str()), ("CI", "read"));
    assert!((6.9..=7.0).contains(&row.2), "{row:?}");
    let (_, html) = app.page("/accounts/security").await;
    assert!(text(&html, "#new-token-value").is_none(), "shown only once");
    assert_eq!(count(&html, "#token-list tbody tr"), 1);
    let id = attr(&html, "#token-list tbody tr", "data-token-id").unwrap();

    // Bad input comes back as typed, with a message.
    let r = app
        .submit(
            "/accounts/security",
            "/accounts/security/tokens",
            &[("name", "x"), ("scope", "full"), ("days", "soon")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&r.text().await.unwrap());
    assert!(text(&html, "#token-days-error").is_some());
    assert_eq!(attr(&html, "#token-days", "value").as_deref(), Some("soon"));

    // Revoke it with its form (a forged one without the token is refused first).
    let action = format!("/accounts/security/tokens/{id}/revoke");
    let r = app.client.post(app.url(&action)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(me(&app, &token).await, StatusCode::OK);
    let r = app.submit("/accounts/security", &action, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(me(&app, &token).await, StatusCode::UNAUTHORIZED);
    let (_, html) = app.page("/accounts/security").await;
    assert_eq!(
        text(&html, ".alert-success").unwrap(),
        "The token was revoked."
    );

    // Revoke all.
    let a = secret(&new_token(&app, json!({})).await);
    let b = secret(&new_token(&app, json!({})).await);
    let r = app
        .submit(
            "/accounts/security",
            "/accounts/security/tokens/revoke-all",
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(me(&app, &a).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &b).await, StatusCode::UNAUTHORIZED);

    // Anonymous visitors are sent to the login page.
    let (status, _) = app.new_client_page("/accounts/security").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_openapi_document_describes_the_account_controls() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let paths = &doc["paths"];
    for (path, method) in [
        ("/api/v1/auth/tokens", "get"),
        ("/api/v1/auth/tokens", "delete"),
        ("/api/v1/auth/tokens/{id}", "delete"),
        ("/api/v1/auth/logout-everywhere", "post"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path}");
    }
    let request = &doc["components"]["schemas"]["TokenRequest"]["properties"];
    for field in ["name", "scope", "expires_in_days"] {
        assert!(request[field].is_object(), "TokenRequest.{field}");
    }
}
