//! Deleting pages (the one who registered it, or an admin; form and API) with everything
//! derived from them in every instance, and the per-user quota of registered pages, also
//! under racing additions.

use std::sync::Arc;

use hud::apps::wordcloud::model::{self, AddError, Registrant};
use reqwest::StatusCode;
use scraper::Html;
use serde_json::{Value, json};

use crate::common::*;

/// Log `username` in on `app`'s client.
async fn log_in(app: &TestApp, username: &str) {
    assert_eq!(
        app.login(username, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

/// A bearer token of `username`.
async fn token(app: &TestApp, username: &str) -> String {
    let r = app.request_token(username, &json!({})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A page registered by `user` with two crawls.
async fn crawled_page(app: &TestApp, url: &str, user: i64) -> i64 {
    let by = Registrant { user, quota: None };
    let id = model::add(&app.db, &app.state.cache, url, Some("Allotment"), Some(by))
        .await
        .unwrap();
    stored_crawl(
        app,
        id,
        "2026-11-01T10:00:00Z",
        &[("beans", 5), ("leeks", 2)],
    )
    .await;
    stored_crawl(
        app,
        id,
        "2026-11-02T10:00:00Z",
        &[("beans", 7), ("kale", 3)],
    )
    .await;
    id
}

async fn crawls_of(app: &TestApp, page: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM crawls WHERE page_id = $1")
        .bind(page)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// POST the delete form of `page` as `app`'s client (its CSRF token from the question page).
async fn post_delete(app: &TestApp, page: i64) -> reqwest::Response {
    let (_, html) = app.page("/").await;
    let csrf = attr(&html, "#user-menu input[name=csrf_token]", "value").unwrap();
    app.client
        .post(app.url(&format!("/pages/{page}/delete")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn owners_and_admins_delete_a_page_with_its_crawls_in_every_instance() {
    let app = TestApp::spawn().await;
    let other = app.sibling().await;
    let owner = app.create_user("gardener", PASSWORD, false).await;
    app.create_user("neighbour", PASSWORD, false).await;
    app.create_user("keeper", PASSWORD, true).await;
    let page = crawled_page(&app, "https://allotment.example/diary", owner).await;
    let path = format!("/pages/{page}");
    // Both instances cache the anonymous cloud page, the list and the API's view of it.
    for instance in [&app, &other] {
        let (status, html) = instance.new_client_page(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(count(&html, "#delete-page"), 0, "not for anonymous readers");
        let (_, list) = instance.new_client_page("/pages").await;
        assert!(list.html().contains(&path));
    }

    // Someone else may neither see the button nor delete, through the form or the API.
    log_in(&app, "neighbour").await;
    let (_, html) = app.page(&path).await;
    assert_eq!(count(&html, "#delete-page"), 0);
    assert_eq!(
        app.get(&format!("{path}/delete")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_delete(&app, page).await.status(),
        StatusCode::FORBIDDEN
    );
    let neighbours = token(&app, "neighbour").await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/pages/{page}")))
        .bearer_auth(&neighbours)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(crawls_of(&app, page).await, 2, "nothing was deleted");

    // The owner is asked first, told what goes with it, then deletes.
    let owners = other.sibling().await;
    log_in(&owners, "gardener").await;
    let (_, html) = owners.page(&path).await;
    assert_eq!(
        attr(&html, "#delete-page", "href").as_deref(),
        Some(format!("{path}/delete").as_str())
    );
    let (status, question) = owners.page(&format!("{path}/delete")).await;
    assert_eq!(status, StatusCode::OK);
    let consequences = text(&question, "#delete-consequences").unwrap();
    assert!(consequences.contains("2 stored crawls"), "{consequences}");
    assert_eq!(count(&question, "#delete-page-form"), 1);
    let r = post_delete(&owners, page).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/pages");
    let (_, list) = owners.page("/pages").await;
    assert!(
        text(&list, ".alert-success")
            .unwrap()
            .contains("“Allotment” has been deleted")
    );
    assert_eq!(crawls_of(&app, page).await, 0, "the crawls went with it");

    // Gone in every instance, cached copies included.
    for instance in [&app, &other, &owners] {
        wait_until("the deleted page is gone", || async {
            instance.new_client_page(&path).await.0 == StatusCode::NOT_FOUND
        })
        .await;
        let (_, list) = instance.new_client_page("/pages").await;
        assert!(!list.html().contains(&path));
        let api = instance.get(&format!("/api/v1/pages/{page}")).await;
        assert_eq!(api.status(), StatusCode::NOT_FOUND);
        let cloud = instance.get(&format!("{path}/cloud.svg")).await;
        assert_eq!(cloud.status(), StatusCode::NOT_FOUND);
    }
    // A crawl that was running when the page went stores nothing.
    let late = model::store_crawl(
        &app.db,
        &app.state.cache,
        model::NewCrawl {
            page_id: page,
            job_id: None,
            crawled_at: chrono::Utc::now(),
            outcome: "ok",
            http_status: Some(200),
            detail: None,
            language: Some("en".into()),
            page_title: None,
            counts: Some(vec![("late".into(), 1)]),
            etag: None,
            last_modified: None,
        },
    )
    .await
    .unwrap();
    assert!(!late);
    assert_eq!(
        owners.get(&format!("{path}/delete")).await.status(),
        StatusCode::NOT_FOUND
    );

    // An administrator deletes anyone's page, here through the API.
    let second = crawled_page(&app, "https://allotment.example/seeds", owner).await;
    let keepers = token(&app, "keeper").await;
    let delete = || {
        app.client
            .delete(app.url(&format!("/api/v1/pages/{second}")))
            .bearer_auth(&keepers)
            .send()
    };
    assert_eq!(delete().await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(crawls_of(&app, second).await, 0);
    let again = delete().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert_eq!(again.headers()["content-type"], "application/problem+json");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_registers_at_most_the_quota_of_pages_and_deleting_frees_a_place() {
    let app = TestApp::spawn_with(|c| c.clouds.pages_per_user = 2).await;
    app.create_user("gardener", PASSWORD, false).await;
    log_in(&app, "gardener").await;
    let app = &app;
    let add = |url: &'static str| async move {
        app.submit("/pages/new", "/pages", &[("url", url)]).await
    };
    assert_eq!(
        add("https://a.example/").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        add("https://b.example/").await.status(),
        StatusCode::SEE_OTHER
    );
    let r = add("https://c.example/").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&r.text().await.unwrap());
    assert_eq!(
        text(&html, "#url-error").unwrap(),
        "You have registered 2 pages, the most one account may have. Delete one of yours to add another."
    );
    assert_eq!(attr(&html, "#url", "value").unwrap(), "https://c.example/");
    // The API says the same, translated.
    let bearer = token(app, "gardener").await;
    let c: Value = app.get("/api/v1/captcha").await.json().await.unwrap();
    let captcha = c["token"].as_str().unwrap().to_owned();
    let answer = captcha_answer(&app.db, &captcha).await;
    let r = app
        .client
        .post(app.url("/api/v1/pages"))
        .bearer_auth(&bearer)
        .header("accept-language", "sv")
        .json(&json!({ "url": "https://c.example/", "captcha_token": captcha, "captcha_answer": answer }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "url");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Du har registrerat 2 sidor"),
        "{problem}"
    );
    // Deleting one frees its place.
    let first: i64 = sqlx::query_scalar("SELECT id FROM pages WHERE url = 'https://a.example/'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        post_delete(app, first).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        add("https://c.example/").await.status(),
        StatusCode::SEE_OTHER
    );
    // Administrators are not limited.
    app.create_user("keeper", PASSWORD, true).await;
    let admin = app.sibling().await;
    log_in(&admin, "keeper").await;
    for url in [
        "https://d.example/",
        "https://e.example/",
        "https://f.example/",
    ] {
        let r = admin.submit("/pages/new", "/pages", &[("url", url)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{url}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn racing_additions_never_pass_the_quota_together() {
    let app = TestApp::spawn().await;
    let user = app.create_user("sprinter", PASSWORD, false).await;
    const RACERS: usize = 8;
    let barrier = Arc::new(tokio::sync::Barrier::new(RACERS));
    let mut racers = Vec::new();
    for n in 0..RACERS {
        let (db, cache, barrier) = (app.db.clone(), app.state.cache.clone(), barrier.clone());
        racers.push(tokio::spawn(async move {
            let by = Registrant {
                user,
                quota: Some(3),
            };
            barrier.wait().await;
            model::add(
                &db,
                &cache,
                &format!("https://race.example/{n}"),
                None,
                Some(by),
            )
            .await
        }));
    }
    let mut added = 0;
    for racer in racers {
        match racer.await.unwrap() {
            Ok(_) => added += 1,
            Err(AddError::Quota(3)) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(added, 3);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM pages WHERE added_by = $1")
        .bind(user)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 3);
}
