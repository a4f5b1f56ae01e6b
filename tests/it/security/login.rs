//! Finding 9, a username that is another account's e-mail address: refused at signup (form and
//! API, in every language), and a login with an `@` is looked up by e-mail only, so an account
//! that already carries such a name cannot shadow the address's owner.

use hud::i18n::Lang;
use reqwest::StatusCode;
use scraper::Html;

use crate::common::*;

#[tokio::test]
async fn a_username_with_an_at_sign_is_refused_in_every_language() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    for lang in [Lang::En, Lang::Nl, Lang::Sv, Lang::Nb, Lang::Fr] {
        let browser = TestApp {
            client: app.new_client(),
            ..app.clone()
        };
        let form = format!("{}/accounts/signup", lang.url_prefix());
        let r = browser
            .submit(
                &form,
                &form,
                &[
                    ("username", "ann@example.org"),
                    ("email", "mallory@example.org"),
                    ("password", PASSWORD),
                    ("password2", PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lang:?}");
        let html = Html::parse_document(&r.text().await.unwrap());
        assert_eq!(
            text(&html, "#username-error").as_deref(),
            Some(lang.t("username-no-at")),
            "{lang:?}"
        );
        assert_eq!(
            attr(&html, "input#username", "value").as_deref(),
            Some("ann@example.org"),
            "the form comes back as typed"
        );
    }
    let taken: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE username LIKE '%@%'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(taken, 0);
}

#[tokio::test]
async fn the_api_refuses_a_username_with_an_at_sign() {
    let app = TestApp::spawn().await;
    let captcha: serde_json::Value = app.get("/api/v1/captcha").await.json().await.unwrap();
    let token = captcha["token"].as_str().unwrap();
    let answer = captcha_answer(&app.db, token).await;
    let r = app
        .client
        .post(app.url("/api/v1/accounts"))
        .header("accept-language", "nb")
        .json(&serde_json::json!({
            "username": "ann@example.org", "email": "mallory@example.org", "password": PASSWORD,
            "captcha_token": token, "captcha_answer": answer,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "username");
    assert_eq!(
        problem["errors"][0]["message"],
        Lang::Nb.t("username-no-at")
    );
}

#[tokio::test]
async fn an_e_mail_login_reaches_the_addresses_owner_never_a_lookalike_username() {
    let app = TestApp::spawn().await;
    let ann = app.create_user("ann", PASSWORD, false).await;
    // An account from before the rule, named after Ann's address, with the attacker's password.
    let hash = hud::apps::accounts::password::hash("mallory's own password".into())
        .await
        .unwrap();
    hud::apps::accounts::model::create(
        &app.db,
        "ann@example.org",
        "mallory@example.org",
        &hash,
        false,
    )
    .await
    .unwrap();
    let r = app.login("ann@example.org", PASSWORD).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "Ann logs in with her address"
    );
    let (_, html) = app.page("/accounts/profile").await;
    assert_eq!(text(&html, "#profile-username").as_deref(), Some("ann"));
    // The lookalike name is not a way in with the attacker's password either.
    let other = TestApp {
        client: app.new_client(),
        ..app.clone()
    };
    let r = other
        .login("ann@example.org", "mallory's own password")
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The API looks logins up the same way.
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"username": "ANN@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let token: serde_json::Value = r.json().await.unwrap();
    let me: serde_json::Value = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token["token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], ann);
}
