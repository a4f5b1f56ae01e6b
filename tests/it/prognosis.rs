//! The prognosis sub-app end to end: import, training and model files, the prognosis page and
//! history, model pages, admin uploads (models, samples by form and CSV), the API with bad
//! input, and the model registry across two instances.

use hud::apps::prognosis::{
    catalog::MODELS,
    ml::{Algorithm, FEATURES, TrainOptions},
    samples, service,
};
use reqwest::{StatusCode, multipart};
use serde_json::{Value, json};

use crate::{api::token, common::*};

/// Import the WDBC samples and train a model of `algorithm` (fast ones only in tests).
async fn trained(app: &TestApp, algorithm: Algorithm) -> i64 {
    samples::import_wdbc(&app.db, &app.state.cache)
        .await
        .unwrap();
    let (id, _) = service::train_and_store(
        &app.db,
        &app.state.cache,
        &app.state.config.data_dir,
        algorithm,
        TrainOptions::default(),
        Some(format!("{} test", algorithm.slug())),
        |_, _| {},
    )
    .await
    .unwrap();
    id
}

async fn model_file(app: &TestApp, id: i64) -> Vec<u8> {
    let models = MODELS.get(&app.state.cache, &app.db, ()).await.unwrap();
    let meta = models.iter().find(|m| m.id == id).unwrap();
    std::fs::read(app.state.config.data_dir.join(&meta.file_path)).unwrap()
}

async fn admin(app: &TestApp) {
    app.create_user("admin", PASSWORD, true).await;
    assert_eq!(
        app.login("admin", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn sample_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM ml_samples WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn sample_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM ml_samples")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn model_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM ml_models")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Valid values of a made-up sample: each feature's midpoint.
fn midpoints() -> Vec<String> {
    FEATURES
        .iter()
        .map(|f| ((f.min + f.max) / 2.0).to_string())
        .collect()
}

#[tokio::test]
async fn import_is_idempotent_and_training_stores_a_verified_reproducible_model() {
    let app = TestApp::spawn().await;
    assert_eq!(
        samples::import_wdbc(&app.db, &app.state.cache)
            .await
            .unwrap(),
        569
    );
    assert_eq!(
        samples::import_wdbc(&app.db, &app.state.cache)
            .await
            .unwrap(),
        0
    );
    assert_eq!(sample_count(&app).await, 569);

    let first = trained(&app, Algorithm::LogisticRegression).await;
    let models = MODELS.get(&app.state.cache, &app.db, ()).await.unwrap();
    let meta = models.iter().find(|m| m.id == first).unwrap();
    let metrics = meta.metrics.as_ref().unwrap();
    assert_eq!(metrics.folds, 10);
    assert!(
        metrics.accuracy_mean >= 0.97,
        "logistic regression CV accuracy {}",
        metrics.accuracy_mean
    );
    assert!(meta.file_path.starts_with("models/"));
    let bytes = model_file(&app, first).await;
    assert_eq!(
        hud::apps::prognosis::files::checksum_of(&bytes).unwrap(),
        meta.checksum
    );

    // Same seed, same data: the same file.
    let (second, _) = service::train_and_store(
        &app.db,
        &app.state.cache,
        &app.state.config.data_dir,
        Algorithm::LogisticRegression,
        TrainOptions::default(),
        Some("again".into()),
        |_, _| {},
    )
    .await
    .unwrap();
    let models = MODELS.get(&app.state.cache, &app.db, ()).await.unwrap();
    let again = models.iter().find(|m| m.id == second).unwrap();
    assert_eq!(again.checksum, meta.checksum);

    // A name is unique.
    let taken = service::train_and_store(
        &app.db,
        &app.state.cache,
        &app.state.config.data_dir,
        Algorithm::Knn,
        TrainOptions::default(),
        Some("again".into()),
        |_, _| {},
    )
    .await;
    assert!(taken.is_err());

    // A damaged file is refused on load, with a message instead of a result.
    let path = app.state.config.data_dir.join(&meta.file_path);
    let mut damaged = bytes.clone();
    damaged[40] ^= 0xff;
    std::fs::write(&path, &damaged).unwrap();
    assert!(matches!(
        service::usable_model(&app.state, first).await,
        Err(service::PredictError::Unusable(_))
    ));
}

#[tokio::test]
async fn the_prognosis_page_predicts_a_sample_or_typed_values_and_keeps_a_history() {
    let app = TestApp::spawn().await;
    let model = trained(&app, Algorithm::Knn).await;
    // Logged-out visitors are sent to the login page.
    let r = app.get("/prognosis").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    app.create_user("ann", PASSWORD, false).await;
    app.login("ann", PASSWORD).await;
    let (status, html) = app.page("/prognosis").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text(&html, "#disclaimer")
            .unwrap()
            .contains("not medical advice")
    );
    assert_eq!(count(&html, "#sample-list option"), 569);
    assert_eq!(count(&html, "#feature-fields input"), 30);

    // A malignant sample of the data set (WDBC-001 is malignant).
    let r = app
        .submit(
            "/prognosis",
            "/prognosis",
            &[("model", &model.to_string()), ("sample", "wdbc-001")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert_eq!(
        attr(&html, "#result", "data-diagnosis").as_deref(),
        Some("malignant")
    );
    assert!(
        text(&html, "#result")
            .unwrap()
            .contains("known diagnosis: Malignant")
    );
    assert_eq!(attr(&html, "#sample", "value").as_deref(), Some("WDBC-001"));
    assert_eq!(attr(&html, "#f0", "value").as_deref(), Some("17.99"));

    // Typed values, with decimal commas.
    let values = midpoints();
    let mut fields: Vec<(String, String)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("f{i}"), v.replace('.', ",")))
        .collect();
    fields.push(("model".into(), model.to_string()));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app.submit("/prognosis", "/prognosis", &borrowed).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert!(attr(&html, "#result", "data-diagnosis").is_some());

    // Bad values: each offending field gets its message, nothing is predicted.
    let mut bad = borrowed.clone();
    bad[0] = ("f0", "abc");
    bad[3] = ("f3", "1e9");
    bad[5] = ("f5", "NaN");
    bad[7] = ("f7", "");
    let r = app.submit("/prognosis", "/prognosis", &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert_eq!(count(&html, "#result"), 0);
    for field in ["f0", "f3", "f5", "f7"] {
        assert!(
            text(&html, &format!("#{field}-error")).is_some(),
            "{field} has an error"
        );
    }
    assert!(
        text(&html, "#f3-error")
            .unwrap()
            .contains("between 71 and 3800")
    );
    assert_eq!(
        attr(&html, "#f0", "value").as_deref(),
        Some("abc"),
        "kept as typed"
    );

    // Unknown sample, unknown model.
    let r = app
        .submit(
            "/prognosis",
            "/prognosis",
            &[("model", "999999"), ("sample", "no such sample")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert!(text(&html, "#sample-error").is_some());

    // The history lists the two prognoses, newest first.
    let (_, html) = app.page("/prognosis/history").await;
    assert_eq!(count(&html, "#history tbody tr"), 2);
    assert_eq!(
        attr(&html, "#history tbody tr:last-child", "data-diagnosis").as_deref(),
        Some("malignant")
    );
    assert!(text(&html, "#history").unwrap().contains("WDBC-001"));
    assert_eq!(count(&html, "#pagination"), 0, "one page needs no links");

    // A long history comes 50 at a time, newest first, with page links.
    sqlx::query(
        "INSERT INTO ml_prognoses (user_id, model_id, sample_id, features, diagnosis, probability, created_at)
         SELECT user_id, model_id, sample_id, features, 'benign', 0.25, created_at - make_interval(days => n)
         FROM ml_prognoses, generate_series(1, 60) AS n
         WHERE id = (SELECT min(id) FROM ml_prognoses)",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let (_, html) = app.page("/prognosis/history").await;
    assert_eq!(count(&html, "#history tbody tr"), 50);
    assert_eq!(
        attr(&html, "#pagination a[rel=next]", "href").as_deref(),
        Some("?page=2")
    );
    let (_, html) = app.page("/prognosis/history?page=2").await;
    assert_eq!(count(&html, "#history tbody tr"), 12);
    assert_eq!(
        attr(&html, "#history tbody tr:first-child", "data-diagnosis").as_deref(),
        Some("benign")
    );
    assert_eq!(count(&html, "#pagination a[rel=next]"), 0);
    let (status, past_the_end) = app.page("/prognosis/history?page=abc").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&past_the_end, "#history tbody tr"), 50);

    // Another user's history is their own.
    let other = TestApp::sibling(&app).await;
    other.create_user("bob", PASSWORD, false).await;
    other.login("bob", PASSWORD).await;
    let (_, html) = other.page("/prognosis/history").await;
    assert!(text(&html, "#history-empty").is_some());
}

#[tokio::test]
async fn model_pages_compare_models_and_show_metrics_and_charts_in_the_readers_timezone() {
    let app = TestApp::spawn().await;
    let lr = trained(&app, Algorithm::LogisticRegression).await;
    let knn = trained(&app, Algorithm::Knn).await;
    let (status, html) = app.page("/prognosis/models").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&html, "#models tbody tr"), 2);
    assert_eq!(
        count(&html, "#models .table-success"),
        1,
        "the best is marked"
    );
    assert_eq!(count(&html, "#algorithms dd"), 5);

    let (status, html) = app.page(&format!("/prognosis/models/{lr}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&html, "#roc-chart path"), 1);
    assert_eq!(count(&html, "#importance-chart rect"), 15);
    let tn: u32 = text(&html, "#tn").unwrap().parse().unwrap();
    let tp: u32 = text(&html, "#tp").unwrap().parse().unwrap();
    let fp: u32 = text(&html, "#fp").unwrap().parse().unwrap();
    let fn_: u32 = text(&html, "#fn").unwrap().parse().unwrap();
    assert_eq!(tn + tp + fp + fn_, 569);
    assert!(count(&html, "#params tr") > 0);
    // k-NN has no feature importances of its own: they are by permutation, and said so.
    let (_, html) = app.page(&format!("/prognosis/models/{knn}")).await;
    assert_eq!(count(&html, "#importance-chart rect"), 15);
    assert!(
        text(&html, "#importance-note")
            .unwrap()
            .contains("permutation")
    );
    assert_eq!(count(&html, "#roc-chart"), 1);
    let (_, lr_page) = app.page(&format!("/prognosis/models/{lr}")).await;
    assert_eq!(count(&lr_page, "#importance-note"), 0);

    // Creation time in the reader's timezone.
    let created: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT created_at FROM ml_models WHERE id = $1")
            .bind(lr)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let user = app.create_user("tokyo", PASSWORD, false).await;
    sqlx::query("UPDATE users SET timezone = 'Asia/Tokyo' WHERE id = $1")
        .bind(user)
        .execute(&app.db)
        .await
        .unwrap();
    app.login("tokyo", PASSWORD).await;
    let (_, html) = app.page(&format!("/prognosis/models/{lr}")).await;
    let local = created.with_timezone(&chrono_tz::Asia::Tokyo);
    let shown = text(&html, "#model-created").unwrap();
    assert!(
        shown.contains(&local.format("%H:%M").to_string()),
        "{shown} shows Tokyo time {local}"
    );
    assert_eq!(
        app.get("/prognosis/models/999999").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn admins_upload_valid_model_files_only_and_retire_models() {
    let app = TestApp::spawn().await;
    let model = trained(&app, Algorithm::Knn).await;
    let good = model_file(&app, model).await;
    admin(&app).await;
    let csrf = app.csrf("/admin/prognosis").await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let form = multipart::Form::new()
            .text("csrf_token", csrf.clone())
            .text("name", name)
            .part(
                "file",
                multipart::Part::bytes(bytes).file_name("m.hudmodel"),
            );
        app.client
            .post(app.url("/admin/prognosis/models"))
            .multipart(form)
            .send()
    };
    // Refused, nothing stored: garbage, a damaged checksum, a wrong feature count.
    let mut damaged = good.clone();
    damaged[30] ^= 1;
    // A well-formed file for 29 features: header rewritten, checksum recomputed.
    let slug_len = usize::from(good[10]);
    let mut wrong_count = good[..good.len() - 32].to_vec();
    wrong_count[11 + slug_len..13 + slug_len].copy_from_slice(&29u16.to_le_bytes());
    let hash = blake3::hash(&wrong_count);
    wrong_count.extend_from_slice(hash.as_bytes());
    for (bytes, expected) in [
        (b"not a model".to_vec(), "not a HUD model file"),
        (damaged, "checksum"),
        (wrong_count, "expects 29 features"),
        (Vec::new(), "Choose a model file"),
    ] {
        let r = upload("uploaded", bytes).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = scraper::Html::parse_document(&r.text().await.unwrap());
        let error = text(&html, "#model-upload-error").unwrap();
        assert!(error.contains(expected), "{error:?} mentions {expected:?}");
        assert_eq!(model_count(&app).await, 1);
    }
    // A valid file is stored with metrics on the labelled samples.
    let r = upload("uploaded", good.clone()).await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(model_count(&app).await, 2);
    let models = MODELS.get(&app.state.cache, &app.db, ()).await.unwrap();
    let uploaded = models.iter().find(|m| m.name == "uploaded").unwrap();
    assert_eq!(uploaded.source, "uploaded");
    assert!(uploaded.metrics.as_ref().unwrap().accuracy_mean > 0.9);
    // The same name again is refused.
    let r = upload("uploaded", good).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Retire: gone from the picker, the list and the API; not usable.
    let r = app
        .submit(
            "/admin/prognosis",
            &format!("/admin/prognosis/models/{model}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page("/prognosis").await;
    assert_eq!(count(&html, "#model option"), 1);
    let (_, html) = app.page("/prognosis/models").await;
    assert_eq!(count(&html, "#models tbody tr"), 1);
    assert!(matches!(
        service::usable_model(&app.state, model).await,
        Err(service::PredictError::NoModel)
    ));

    // Descriptions written by an admin replace the built-in one in that language only.
    let r = app
        .submit(
            "/admin/prognosis",
            "/admin/prognosis/algorithms/knn",
            &[("description_nl", "Eigen beschrijving")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page("/nl/prognosis/models").await;
    assert_eq!(
        text(&html, "dd[data-algorithm=knn]").as_deref(),
        Some("Eigen beschrijving")
    );
    let (_, html) = app.page("/prognosis/models").await;
    assert!(
        text(&html, "dd[data-algorithm=knn]")
            .unwrap()
            .contains("similar")
    );

    // Not for ordinary users.
    let user = TestApp::sibling(&app).await;
    user.create_user("eve", PASSWORD, false).await;
    user.login("eve", PASSWORD).await;
    assert_eq!(
        user.get("/admin/prognosis").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn admins_add_samples_by_form_and_by_csv_all_or_nothing() {
    let app = TestApp::spawn().await;
    admin(&app).await;
    // The form: every field validated.
    let values = midpoints();
    let mut fields: Vec<(String, String)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("f{i}"), v.clone()))
        .collect();
    fields.push(("name".into(), "Patient 7".into()));
    fields.push(("diagnosis".into(), "benign".into()));
    let mut bad = fields.clone();
    bad[4].1 = "9".into();
    bad[30].1 = String::new();
    let as_refs = |f: &[(String, String)]| -> Vec<(String, String)> { f.to_vec() };
    let send = |f: Vec<(String, String)>| {
        let app = app.clone();
        async move {
            let borrowed: Vec<(&str, &str)> =
                f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.submit(
                "/admin/prognosis/samples/new",
                "/admin/prognosis/samples",
                &borrowed,
            )
            .await
        }
    };
    let r = send(as_refs(&bad)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert!(text(&html, "#f4-error").is_some());
    assert!(text(&html, "#name-error").is_some());
    assert_eq!(sample_count(&app).await, 0);
    let r = send(as_refs(&fields)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(sample_count(&app).await, 1);
    let r = send(as_refs(&fields)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "name taken");

    // CSV: header by data-set names in any order, semicolons and decimal commas accepted.
    let header: Vec<String> = std::iter::once("diagnosis".to_owned())
        .chain(FEATURES.iter().map(|f| f.name.replace(' ', "_")))
        .chain(std::iter::once("name".to_owned()))
        .collect();
    let row = |name: &str, diagnosis: &str, values: &[String]| {
        let mut cells = vec![diagnosis.to_owned()];
        cells.extend(values.iter().map(|v| v.replace('.', ",")));
        cells.push(name.to_owned());
        cells.join(";")
    };
    let csrf = app.csrf("/admin/prognosis").await;
    let upload = |body: String| {
        let form = multipart::Form::new()
            .text("csrf_token", csrf.clone())
            .part("file", multipart::Part::text(body).file_name("s.csv"));
        app.client
            .post(app.url("/admin/prognosis/samples/csv"))
            .multipart(form)
            .send()
    };
    let mut out_of_range = values.clone();
    out_of_range[2] = "5000".into();
    let bad_csv = [
        header.join(";"),
        row("A", "M", &values),
        row("B", "X", &values),
        row("C", "", &out_of_range),
        row("A", "B", &values),
        "D;1;2".to_owned(),
    ]
    .join("\n");
    let r = upload(bad_csv).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    let problems: Vec<String> = html
        .select(&sel("#csv-problems li"))
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems[0].starts_with("Line 3") && problems[0].contains("diagnosis"));
    assert!(problems[1].starts_with("Line 4") && problems[1].contains("mean perimeter"));
    assert!(problems[2].starts_with("Line 5") && problems[2].contains("more than once"));
    assert!(problems[3].starts_with("Line 6"));
    assert_eq!(sample_count(&app).await, 1, "nothing inserted");

    let good_csv = [
        header.join(";"),
        row("A", "M", &values),
        row("B", "", &values),
    ]
    .join("\r\n");
    let r = upload(good_csv.clone()).await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(sample_count(&app).await, 3);
    // Again: the names exist now, nothing is added.
    let r = upload(good_csv).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sample_count(&app).await, 3);
    // Missing column, not CSV at all.
    for body in [
        "name,diagnosis\nA,M".to_owned(),
        "\u{0}\u{1}garbage".to_owned(),
    ] {
        let r = upload(body).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let id = sample_id(&app, "B").await;
    let stored = samples::SAMPLE
        .get(&app.state.cache, &app.db, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.diagnosis, None);
    assert_eq!(stored.features[0].to_string(), values[0]);
}

#[tokio::test]
async fn the_api_lists_models_and_samples_and_predicts_with_problem_details_for_bad_vectors() {
    let app = TestApp::spawn().await;
    let model = trained(&app, Algorithm::LogisticRegression).await;
    app.create_user("api", PASSWORD, false).await;
    let token = token(&app, "api").await;

    let models: Value = app
        .get("/api/v1/prognosis/models")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(models[0]["id"], model);
    assert_eq!(models[0]["algorithm"], "logistic-regression");
    assert!(models[0]["metrics"]["accuracy"].as_f64().unwrap() >= 0.97);
    let samples: Value = app
        .get("/api/v1/prognosis/samples?q=wdbc-00")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(samples.as_array().unwrap().len(), 9);
    assert_eq!(samples[0]["diagnosis"], "malignant");
    let with_values: Value = app
        .get("/api/v1/prognosis/samples?q=WDBC-001&features=true")
        .await
        .json()
        .await
        .unwrap();
    let features = with_values[0]["features"].clone();
    assert_eq!(features.as_array().unwrap().len(), 30);

    let post = |body: Value, auth: bool| {
        let mut request = app.client.post(app.url("/api/v1/prognosis")).json(&body);
        if auth {
            request = request.bearer_auth(&token);
        }
        request.send()
    };
    let sample = sample_id(&app, "WDBC-001").await;
    let r = post(json!({"model_id": model, "sample_id": sample}), true)
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["label"], "malignant");
    let p = body["probability"].as_f64().unwrap();
    assert!((0.5..=1.0).contains(&p));
    let r = post(json!({"model_id": model, "features": features}), true)
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["label"], "malignant");
    assert_eq!(body["probability"].as_f64().unwrap(), p);

    let mut short = features.as_array().unwrap().clone();
    short.pop();
    let mut nan = features.as_array().unwrap().clone();
    nan[4] = json!("NaN");
    let mut huge = features.as_array().unwrap().clone();
    huge[3] = json!(1e300);
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    for (body, field, status) in [
        (
            json!({"model_id": model, "features": short}),
            "features",
            invalid,
        ),
        (
            json!({"model_id": model, "features": nan}),
            "features[4]",
            invalid,
        ),
        (
            json!({"model_id": model, "features": huge}),
            "features[3]",
            invalid,
        ),
        (
            json!({"model_id": model, "features": "thirty"}),
            "features",
            invalid,
        ),
        (json!({"model_id": model}), "features", invalid),
        // Well-formed references to nothing: 404, naming the field.
        (
            json!({"model_id": 999999, "sample_id": sample}),
            "model_id",
            StatusCode::NOT_FOUND,
        ),
        (
            json!({"model_id": model, "sample_id": 999999}),
            "sample_id",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let r = post(body.clone(), true).await.unwrap();
        assert_eq!(r.status(), status, "{body}");
        assert_eq!(
            r.headers()["content-type"].to_str().unwrap(),
            "application/problem+json"
        );
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    // Not JSON at all, or the wrong shape.
    let r = app
        .client
        .post(app.url("/api/v1/prognosis"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let r = post(json!({"model_id": model, "sample_id": sample}), false)
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let openapi: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    for path in [
        "/api/v1/prognosis",
        "/api/v1/prognosis/models",
        "/api/v1/prognosis/samples",
    ] {
        assert!(openapi["paths"][path].is_object(), "{path} documented");
    }
}

#[tokio::test]
async fn retiring_a_model_in_one_instance_stops_it_in_another_within_a_second() {
    let app = TestApp::spawn().await;
    let model = trained(&app, Algorithm::Knn).await;
    // The second instance shares the database, memcached and HUD_DATA_DIR/models.
    let other = app
        .sibling_with(|c| c.data_dir = app.state.config.data_dir.clone())
        .await;
    let (_, loaded) = service::usable_model(&other.state, model).await.unwrap();
    assert_eq!(
        other
            .state
            .local::<hud::apps::prognosis::registry::Registry>()
            .len(),
        1
    );
    drop(loaded);

    hud::apps::prognosis::catalog::set_active(&app.db, &app.state.cache, model, false)
        .await
        .unwrap();
    wait_until("the other instance stops offering the model", || async {
        matches!(
            service::usable_model(&other.state, model).await,
            Err(service::PredictError::NoModel)
        )
    })
    .await;
    assert!(
        other
            .state
            .local::<hud::apps::prognosis::registry::Registry>()
            .is_empty(),
        "the registry dropped it"
    );

    // A model added in one instance is offered by the other.
    let added = trained(&app, Algorithm::LogisticRegression).await;
    wait_until("the other instance offers the new model", || async {
        service::usable_model(&other.state, added).await.is_ok()
    })
    .await;
}

#[tokio::test]
async fn the_prognosis_app_can_be_switched_off() {
    let app = TestApp::spawn_with(|c| {
        c.apps = Some(vec![
            "wordcloud".into(),
            "captcha".into(),
            "accounts".into(),
        ]);
    })
    .await;
    for path in [
        "/prognosis",
        "/prognosis/models",
        "/api/v1/prognosis/models",
    ] {
        assert_eq!(
            app.get(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let (_, html) = app.page("/").await;
    assert!(!html.html().contains("/prognosis"));
}

#[tokio::test]
async fn hud_ml_import_and_train_from_the_command_line() {
    let app = TestApp::spawn().await;
    let first = hud_command(&app, &["ml", "import"]);
    assert!(first.status.success(), "{first:?}");
    assert!(String::from_utf8_lossy(&first.stdout).contains("imported 569"));
    let again = hud_command(&app, &["ml", "import"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("imported 0"));
    assert_eq!(sample_count(&app).await, 569);

    let unknown = hud_command(&app, &["ml", "train", "--algorithm", "magic"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown algorithm"));

    let before: Value = app
        .get("/api/v1/prognosis/models")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(before, json!([]));
    let trained = hud_command(
        &app,
        &["ml", "train", "--algorithm", "knn", "--name", "cli"],
    );
    assert!(trained.status.success(), "{trained:?}");
    let out = String::from_utf8_lossy(&trained.stdout);
    assert!(out.contains("10-fold CV accuracy"), "{out}");
    // The running instance had cached the empty list; the command's write reaches it.
    wait_until(
        "the command's write reaches the running instance",
        || async {
            let models: Value = app
                .get("/api/v1/prognosis/models")
                .await
                .json()
                .await
                .unwrap();
            models != json!([])
        },
    )
    .await;
    let models: Value = app
        .get("/api/v1/prognosis/models")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(models[0]["name"], "cli");
    assert_eq!(models[0]["algorithm"], "knn");
}
