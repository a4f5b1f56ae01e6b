//! The end of an account: "download my data" (profile, tokens without secrets, pages, prognoses)
//! and "delete my account" (confirmed with the password, refused for the last administrator;
//! the pages stay without an owner, the prognoses go, sessions and tokens end everywhere),
//! through the pages and the API.

use hud::apps::wordcloud::model::{self, Registrant};
use reqwest::StatusCode;
use scraper::Html;
use serde_json::{Value, json};

use crate::common::*;

async fn logged_in(app: &TestApp) -> bool {
    app.get("/accounts/profile").await.status() == StatusCode::OK
}

async fn token(app: &TestApp, username: &str) -> String {
    let r = app.request_token(username, &json!({"name": "phone"})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A page registered by `user`, and a prognosis of theirs (a stored row, as the prognosis page
/// writes it, with a model row to point at).
async fn belongings(app: &TestApp, user: i64) -> i64 {
    let by = Registrant { user, quota: None };
    let url = format!("https://user-{user}.example/");
    let page = model::add(&app.db, &app.state.cache, &url, None, Some(by))
        .await
        .unwrap();
    let model: i64 = sqlx::query_scalar(
        "INSERT INTO ml_models (algorithm, name, metrics_source, file_path, checksum, file_bytes, source)
         VALUES ('knn', 'k-NN test', 'none', 'models/none.bin', repeat('0', 64), 1, 'uploaded')
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO ml_prognoses (user_id, model_id, features, diagnosis, probability)
         VALUES ($1, $2, array_fill(1.5::float8, ARRAY[30]), 'benign', 0.125)",
    )
    .bind(user)
    .bind(model)
    .execute(&app.db)
    .await
    .unwrap();
    page
}

#[tokio::test(flavor = "multi_thread")]
async fn my_data_downloads_as_one_json_document() {
    let app = TestApp::spawn().await;
    let ann = app.create_user("ann", PASSWORD, false).await;
    let page = belongings(&app, ann).await;
    let bearer = token(&app, "ann").await;
    app.login("ann", PASSWORD).await;
    let r = app.get("/accounts/data/export").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let document: Value = r.json().await.unwrap();
    assert_eq!(document["profile"]["username"], "ann");
    assert_eq!(document["profile"]["email"], "ann@example.org");
    assert_eq!(document["api_tokens"][0]["name"], "phone");
    assert!(
        !document.to_string().contains(&bearer),
        "never a token's secret"
    );
    assert_eq!(document["pages"][0]["id"], page);
    assert_eq!(
        document["pages"][0]["url"],
        format!("https://user-{ann}.example/")
    );
    assert_eq!(document["prognoses"][0]["diagnosis"], "benign");
    assert_eq!(document["prognoses"][0]["features"][29], 1.5);
    assert_eq!(document["prognoses"][0]["model_name"], "k-NN test");
    // The API gives the same document.
    let api = app.api_json("/api/v1/me/export", &bearer).await;
    assert_eq!(api["pages"], document["pages"]);
    assert_eq!(api["prognoses"], document["prognoses"]);
    // Someone else's data is not in it.
    let bob = app.create_user("bob", PASSWORD, false).await;
    belongings(&app, bob).await;
    let again = app.api_json("/api/v1/me/export", &bearer).await;
    assert_eq!(again["pages"].as_array().unwrap().len(), 1);
    assert_eq!(again["prognoses"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_my_account_says_what_happens_and_does_it_everywhere() {
    let app = TestApp::spawn().await;
    let ann = app.create_user("ann", PASSWORD, false).await;
    let page = belongings(&app, ann).await;
    let bearer = token(&app, "ann").await;
    app.login("ann", PASSWORD).await;
    let elsewhere = app.sibling().await;
    elsewhere.login("ann", PASSWORD).await;
    // The page is cached with its owner in both instances.
    for instance in [&app, &elsewhere] {
        let (_, html) = instance.page(&format!("/pages/{page}")).await;
        assert_eq!(count(&html, "#delete-page"), 1, "the owner may delete it");
    }
    let (status, html) = app.page("/accounts/data").await;
    assert_eq!(status, StatusCode::OK);
    let said: Vec<String> = html
        .select(&sel("#delete-consequences li"))
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(
        said,
        [
            "The page you added stays for everyone, without your name.",
            "Your prognosis is deleted."
        ]
    );
    // A wrong password deletes nothing.
    let r = app
        .submit(
            "/accounts/data",
            "/accounts/delete",
            &[("current_password", "wrong")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&r.text().await.unwrap());
    assert_eq!(
        text(&html, "#current_password-error").as_deref(),
        Some("The current password is wrong.")
    );
    assert!(logged_in(&app).await);

    let r = app
        .submit(
            "/accounts/data",
            "/accounts/delete",
            &[("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/");
    let (_, home) = app.page("/").await;
    assert_eq!(
        text(&home, ".alert-success").as_deref(),
        Some("Your account has been deleted.")
    );
    assert!(!logged_in(&app).await);
    wait_until("the other instance ends the session", || async {
        !logged_in(&elsewhere).await
    })
    .await;
    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    assert_ne!(
        app.login("ann", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    // The page stays, ownerless (in every cache); the prognosis went.
    let owner: Option<i64> = sqlx::query_scalar("SELECT added_by FROM pages WHERE id = $1")
        .bind(page)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(owner, None);
    for instance in [&app, &elsewhere] {
        let cached = model::PAGE
            .get(&instance.state.cache, &instance.db, page)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cached.added_by, None);
        assert_eq!(
            instance.new_client_page(&format!("/pages/{page}")).await.0,
            StatusCode::OK
        );
    }
    let prognoses: i64 = sqlx::query_scalar("SELECT count(*) FROM ml_prognoses")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(prognoses, 0);
    // The name is free again.
    assert_eq!(
        app.signup("ann", "ann@example.org", "a brand new long password")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_administrator_cannot_delete_their_account() {
    let app = TestApp::spawn().await;
    app.create_user("root", PASSWORD, true).await;
    let bearer = token(&app, "root").await;
    let delete = || {
        app.client
            .post(app.url("/api/v1/me/delete"))
            .bearer_auth(&bearer)
            .header("accept-language", "nl")
            .json(&json!({"current_password": PASSWORD}))
            .send()
    };
    let r = delete().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "account");
    assert_eq!(
        problem["errors"][0]["message"],
        "Je bent de enige beheerder. Maak eerst iemand anders beheerder."
    );
    // The form says so too.
    app.login("root", PASSWORD).await;
    let r = app
        .submit(
            "/accounts/data",
            "/accounts/delete",
            &[("current_password", PASSWORD)],
        )
        .await;
    let html = Html::parse_document(&r.text().await.unwrap());
    assert!(
        text(&html, "#account-error")
            .unwrap()
            .contains("only administrator")
    );
    // With a second administrator, it can go.
    app.create_user("deputy", PASSWORD, true).await;
    assert_eq!(delete().await.unwrap().status(), StatusCode::NO_CONTENT);
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE is_admin")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(admins, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_switched_off_sub_apps_data_is_exported_and_released_too() {
    let app = TestApp::spawn_with(|c| {
        c.apps = Some(vec!["accounts".into(), "captcha".into()]);
    })
    .await;
    let ann = app.create_user("ann", PASSWORD, false).await;
    belongings(&app, ann).await;
    let bearer = token(&app, "ann").await;
    let document = app.api_json("/api/v1/me/export", &bearer).await;
    assert_eq!(document["pages"].as_array().unwrap().len(), 1);
    assert_eq!(document["prognoses"].as_array().unwrap().len(), 1);
    let r = app
        .client
        .post(app.url("/api/v1/me/delete"))
        .bearer_auth(&bearer)
        .json(&json!({"current_password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let left: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM ml_prognoses), (SELECT count(*) FROM pages WHERE added_by IS NOT NULL)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(left, (0, 0));
}
