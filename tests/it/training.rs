//! Training a model from the admin page: queued as a job, run by a worker with its progress
//! on the job's row, followed on the job's page, ending on the model (with its cross-validation
//! metrics) or the error; bad forms are refused with a translated message.

use hud::apps::prognosis::samples;
use reqwest::StatusCode;

use crate::common::*;

async fn admin(app: &TestApp) {
    app.create_user("root", PASSWORD, true).await;
    assert_eq!(
        app.login("root", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn train(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.submit("/admin/prognosis", "/admin/prognosis/train", fields)
        .await
}

async fn run_jobs(app: &TestApp) {
    let worker = hud::workers::worker(&app.state, 0);
    while worker.try_run_once().await.unwrap().is_some() {}
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_trains_a_model_in_the_background_and_follows_it() {
    let app = TestApp::spawn().await;
    samples::import_wdbc(&app.db, &app.state.cache)
        .await
        .unwrap();
    admin(&app).await;
    let (_, overview) = app.page("/admin/prognosis").await;
    assert_eq!(count(&overview, "#train select[name=algorithm] option"), 5);

    let r = train(&app, &[("algorithm", "knn"), ("name", "k-NN from the web")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = location(&r);
    assert!(page.starts_with("/admin/prognosis/training/"), "{page}");
    let (status, html) = app.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        attr(&html, "#training", "data-state").as_deref(),
        Some("queued")
    );
    assert_eq!(
        count(&html, "meta[http-equiv=refresh]"),
        1,
        "it follows itself"
    );

    run_jobs(&app).await;
    let (done, total): (Option<i32>, Option<i32>) =
        sqlx::query_as("SELECT progress_done, progress_total FROM jobs WHERE kind = 'train model'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(total.unwrap() > 0, "progress was reported");
    assert_eq!(done, total, "to the last fit");
    let (_, html) = app.page(&page).await;
    assert_eq!(
        attr(&html, "#training", "data-state").as_deref(),
        Some("done")
    );
    assert_eq!(count(&html, "meta[http-equiv=refresh]"), 0);
    let model = attr(&html, "#trained-model", "href").unwrap();
    let (status, model_page) = app.page(&model).await;
    assert_eq!(status, StatusCode::OK);
    assert!(model_page.html().contains("k-NN from the web"));
    let correct: u32 = ["#tn", "#tp", "#fp", "#fn"]
        .iter()
        .map(|id| text(&model_page, id).unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(correct, 569, "cross-validated on every sample");

    // The same name again, an unknown algorithm, a name too long: refused, said why.
    for (fields, says) in [
        (
            vec![("algorithm", "knn"), ("name", "k-NN from the web")],
            "exists, or is being trained, already",
        ),
        (
            vec![("algorithm", "perceptron"), ("name", "")],
            "Choose one",
        ),
        (
            vec![("algorithm", "svc"), ("name", &"n".repeat(101))],
            "at most 100 characters",
        ),
    ] {
        let r = train(&app, &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/admin/prognosis#train");
        let (_, html) = app.page("/admin/prognosis").await;
        let alert = text(&html, ".alert-danger").unwrap();
        assert!(alert.contains(says), "{alert}");
    }
    let jobs: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs WHERE kind = 'train model'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(jobs, 1, "nothing else was queued");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_training_says_why_and_only_admins_train() {
    let app = TestApp::spawn().await;
    app.create_user("visitor", PASSWORD, false).await;
    app.login("visitor", PASSWORD).await;
    let csrf = app.csrf("/accounts/profile").await;
    let r = app
        .client
        .post(app.url("/admin/prognosis/train"))
        .form(&[("csrf_token", csrf.as_str()), ("algorithm", "knn")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // No labelled samples are stored here: the job fails, and its page tells.
    let admin_app = app.sibling().await;
    admin(&admin_app).await;
    let r = train(&admin_app, &[("algorithm", "svc"), ("name", "")]).await;
    let page = location(&r);
    run_jobs(&admin_app).await;
    let (_, html) = admin_app.page(&page).await;
    assert_eq!(
        attr(&html, "#training", "data-state").as_deref(),
        Some("failed")
    );
    let failure = text(&html, "#training-failed").unwrap();
    assert!(failure.contains("labelled samples"), "{failure}");
    // The page of a job that is no training, or of no job, is not there.
    let (status, _) = admin_app.page("/admin/prognosis/training/424242").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
