//! Finding 4, account lock-out: an attacker's wrong passwords for `admin` must not lock the
//! real admin out, and must not get more guesses by alternating username and e-mail.

use reqwest::StatusCode;

use crate::common::*;

/// A token request for `login` as the trusted proxy reports it coming from `ip`.
async fn token_from(app: &TestApp, ip: &str, login: &str, password: &str) -> StatusCode {
    app.client
        .post(app.url("/api/v1/auth/token"))
        .header("x-forwarded-for", ip)
        .json(&serde_json::json!({"username": login, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn limited_app() -> TestApp {
    let app = TestApp::spawn_with(|c| {
        c.server.trust_proxy = true;
        c.accounts.login_limit_per_ip = 1000;
        c.accounts.login_limit_per_account = 10;
    })
    .await;
    app.create_user("admin", PASSWORD, true).await;
    app
}

#[tokio::test]
async fn an_attackers_failures_never_lock_the_owner_out() {
    let app = limited_app().await;
    let attacker = "198.51.100.66";
    for n in 0..10 {
        let guess = format!("guess number {n}");
        assert_eq!(
            token_from(&app, attacker, "admin", &guess).await,
            StatusCode::UNAUTHORIZED
        );
    }
    // The attacker is stopped, even when the next guess is right …
    assert_eq!(
        token_from(&app, attacker, "admin", "guess 11").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        token_from(&app, attacker, "admin", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // … while the admin, from their own address, still gets in (API and form).
    assert_eq!(
        token_from(&app, "203.0.113.10", "admin", PASSWORD).await,
        StatusCode::CREATED
    );
    let r = app
        .client
        .post(app.url("/accounts/login"))
        .header("x-forwarded-for", "203.0.113.10")
        .header("x-csrf-token", app.csrf("/accounts/login").await)
        .form(&[("login", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn username_and_e_mail_in_any_case_share_one_bucket() {
    let app = limited_app().await;
    let attacker = "198.51.100.66";
    let spellings = [
        "admin",
        "ADMIN",
        "admin@example.org",
        "Admin@Example.ORG",
        "Admin",
    ];
    for n in 0..10 {
        let login = spellings[n % spellings.len()];
        assert_eq!(
            token_from(&app, attacker, login, "wrong").await,
            StatusCode::UNAUTHORIZED,
            "{login}"
        );
    }
    for login in spellings {
        assert_eq!(
            token_from(&app, attacker, login, "wrong").await,
            StatusCode::TOO_MANY_REQUESTS,
            "{login}"
        );
    }
}

#[tokio::test]
async fn only_failures_count() {
    let app = limited_app().await;
    let owner = "203.0.113.10";
    // Many successes, with a few typos in between, never reach the limit.
    for _ in 0..4 {
        for _ in 0..9 {
            assert_eq!(
                token_from(&app, owner, "admin", "typo").await,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            token_from(&app, owner, "admin", PASSWORD).await,
            StatusCode::CREATED
        );
    }
    // Unknown accounts are limited alike (the limit tells nothing about existence).
    for _ in 0..10 {
        assert_eq!(
            token_from(&app, owner, "nobody", "x").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        token_from(&app, owner, "nobody", "x").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
