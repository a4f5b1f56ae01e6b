//! Finding 2, captcha pass replay: a right answer is remembered for a form that failed for
//! another reason. An attacker solves one captcha, makes the form fail once on purpose, and
//! then sends many forms at the same moment with the same session: each request has its own
//! copy of the session, so each used to find the pass. One pass must accept one form.

use std::sync::Arc;

use reqwest::StatusCode;
use tokio::sync::Barrier;

use crate::common::*;

/// Requests released together.
const PARALLEL: usize = 8;

/// Solve the captcha of the form at `form` and submit it to `action` with `fields`, which the
/// server refuses for another reason, so that it remembers the pass.
async fn remembered_pass(app: &TestApp, form: &str, action: &str, fields: &[(&str, &str)]) {
    let r = app.submit(form, action, fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, html) = app.page(form).await;
    assert!(
        attr(&html, "input[name=captcha_token]", "value").is_none(),
        "the right answer is remembered: no new captcha is asked"
    );
}

/// Send `PARALLEL` forms (without a captcha answer) released by one barrier; the statuses.
async fn replay(
    app: &TestApp,
    form: &str,
    action: &str,
    fields: impl Fn(usize) -> Vec<(String, String)>,
) -> Vec<StatusCode> {
    let csrf = app.csrf(form).await;
    let barrier = Arc::new(Barrier::new(PARALLEL));
    let tasks: Vec<_> = (0..PARALLEL)
        .map(|n| {
            let (app, barrier, csrf) = (app.clone(), barrier.clone(), csrf.clone());
            let url = app.url(action);
            let mut form = fields(n);
            form.push(("csrf_token".into(), csrf));
            tokio::spawn(async move {
                let request = app.client.post(url).form(&form);
                barrier.wait().await;
                request.send().await.unwrap().status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

#[tokio::test]
async fn one_remembered_pass_adds_one_page_however_many_race() {
    let app = TestApp::spawn().await;
    app.create_user("mallory", PASSWORD, false).await;
    assert_eq!(
        app.login("mallory", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    remembered_pass(&app, "/pages/new", "/pages", &[("url", "not a url")]).await;
    let statuses = replay(&app, "/pages/new", "/pages", |n| {
        vec![("url".into(), format!("https://example.org/replay/{n}"))]
    })
    .await;
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(accepted, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::UNPROCESSABLE_ENTITY),
        "the others are asked for a captcha: {statuses:?}"
    );
    let pages: i64 = sqlx::query_scalar("SELECT count(*) FROM pages")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(pages, 1);
}

#[tokio::test]
async fn one_remembered_pass_creates_one_account_however_many_race() {
    let app = TestApp::spawn().await;
    remembered_pass(
        &app,
        "/accounts/signup",
        "/accounts/signup",
        &[
            ("username", "bot"),
            ("email", "bot@example.org"),
            ("password", PASSWORD),
            ("password2", "a different password"),
        ],
    )
    .await;
    let statuses = replay(&app, "/accounts/signup", "/accounts/signup", |n| {
        vec![
            ("username".into(), format!("bot{n}")),
            ("email".into(), format!("bot{n}@example.org")),
            ("password".into(), PASSWORD.into()),
            ("password2".into(), PASSWORD.into()),
        ]
    })
    .await;
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(accepted, 1, "{statuses:?}");
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(users, 1);
}
