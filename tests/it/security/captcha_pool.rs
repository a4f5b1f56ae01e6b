//! Finding 3, the static captcha pool: 200 images, each always served as the same PNG and never
//! rotated, let an attacker fetch ~200 captchas from `/api/v1/captcha`, solve each once, and
//! solve every later one by hashing its PNG. Now every issue is served as different bytes, an
//! image is retired after `HUD_CAPTCHA_MAX_ISSUES` issues, and the pool refills behind it.

use std::{
    collections::{HashMap, HashSet},
    time::{Duration, Instant},
};

use hud::apps::captcha::{audio, refill, service};
use reqwest::StatusCode;

use crate::common::*;

/// What an attacker keeps of one fetched captcha (plus, for the checks, the image it showed).
struct Fetched {
    token: String,
    png: Vec<u8>,
    image_id: i64,
}

/// Fetch a captcha through the API and its image, as a mobile client (or a bot) does.
async fn fetch(app: &TestApp) -> Fetched {
    let r = app.get("/api/v1/captcha").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_owned();
    let image = app.get(body["image_url"].as_str().unwrap()).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["cache-control"], "no-store");
    let png = image.bytes().await.unwrap().to_vec();
    assert!(image::load_from_memory(&png).is_ok());
    Fetched {
        image_id: image_of(app, &token).await,
        token,
        png,
    }
}

/// The stored image a token shows (what the attacker cannot see, for the checks).
async fn image_of(app: &TestApp, token: &str) -> i64 {
    sqlx::query_scalar("SELECT image_id FROM captcha_tokens WHERE token_hash = $1")
        .bind(service::token_hash(token))
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// A HUD whose pool holds `pool` images, each issued at most `max_issues` times.
async fn stocked(pool: i64, max_issues: i32) -> TestApp {
    let app = TestApp::spawn_with(|c| {
        c.captcha.pool = pool;
        c.captcha.max_issues = max_issues;
    })
    .await;
    assert_eq!(refill::top_up(&app.state).await.unwrap(), pool as usize);
    app
}

fn digest(png: &[u8]) -> [u8; 32] {
    *blake3::hash(png).as_bytes()
}

async fn active_images(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM captcha_images WHERE active")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_image_is_served_as_new_bytes_each_time_and_retired_after_max_issues() {
    let app = stocked(1, 3).await;
    let only: i64 = sqlx::query_scalar("SELECT id FROM captcha_images WHERE active")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let stored: Vec<u8> = sqlx::query_scalar("SELECT png FROM captcha_images WHERE id = $1")
        .bind(only)
        .fetch_one(&app.db)
        .await
        .unwrap();
    // The same image, three times: three different files, none of them the stored one.
    let mut seen = HashSet::from([digest(&stored)]);
    for _ in 0..3 {
        let fetched = fetch(&app).await;
        assert_eq!(fetched.image_id, only);
        assert!(seen.insert(digest(&fetched.png)), "bytes repeated");
        // Reloading the same captcha shows the same picture.
        let again = app
            .get(&format!("/captcha/image/{}.png", fetched.token))
            .await;
        assert_eq!(again.bytes().await.unwrap(), fetched.png);
    }
    // Worn out after the third issue, for good.
    let (active, issues, worn_out): (bool, i32, bool) = sqlx::query_as(
        "SELECT active, issues, worn_out_at IS NOT NULL FROM captcha_images WHERE id = $1",
    )
    .bind(only)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((active, issues, worn_out), (false, 3, true));
    for _ in 0..4 {
        assert_ne!(fetch(&app).await.image_id, only);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lookup_table_of_solved_images_predicts_nothing() {
    let app = stocked(8, 3).await;
    // The attacker fetches a batch and "solves" each one (a human farm, here the database).
    let mut table = HashMap::new();
    let mut shown = HashMap::<i64, usize>::new();
    for _ in 0..40 {
        let fetched = fetch(&app).await;
        let answer = captcha_answer(&app.db, &fetched.token).await;
        *shown.entry(fetched.image_id).or_default() += 1;
        assert!(table.insert(digest(&fetched.png), answer).is_none());
    }
    // Every later captcha is looked up in the table: never found.
    for _ in 0..40 {
        let fetched = fetch(&app).await;
        *shown.entry(fetched.image_id).or_default() += 1;
        assert!(!table.contains_key(&digest(&fetched.png)));
    }
    // And no image was shown more than three times.
    assert!(shown.values().all(|&n| n <= 3), "{shown:?}");
    assert!(shown.len() >= 80 / 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pool_refills_in_the_background_and_worn_images_are_pruned() {
    let app = stocked(6, 1).await;
    for _ in 0..6 {
        fetch(&app).await;
    }
    let worn: i64 =
        sqlx::query_scalar("SELECT count(*) FROM captcha_images WHERE worn_out_at IS NOT NULL")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(worn, 6, "each issue wore one image out");
    // Nobody asked for a refill: the issues did. Poll until the pool is full again.
    let deadline = Instant::now() + Duration::from_secs(60);
    while active_images(&app).await < 6 {
        assert!(Instant::now() < deadline, "the pool was not refilled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Once no token can show them any more, upkeep deletes worn-out generated images.
    sqlx::query(
        "UPDATE captcha_images SET worn_out_at = now() - interval '1 day' WHERE NOT active",
    )
    .execute(&app.db)
    .await
    .unwrap();
    (service::UPKEEP.run)(app.state.clone()).await.unwrap();
    let (left, active): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE NOT active), count(*) FILTER (WHERE active)
         FROM captcha_images",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(left, 0);
    assert!(active >= 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audio_speaks_the_issued_image_in_a_voice_of_its_own() {
    let app = stocked(1, 2).await;
    let mut wavs = Vec::new();
    let mut images = HashSet::new();
    for _ in 0..2 {
        let body: serde_json::Value = app.get("/api/v1/captcha").await.json().await.unwrap();
        let token = body["token"].as_str().unwrap().to_owned();
        let url = body["audio_url"]
            .as_str()
            .expect("espeak-ng is installed by make test");
        let r = app.get(url).await;
        assert_eq!(r.status(), StatusCode::OK);
        let wav = r.bytes().await.unwrap().to_vec();
        // The second issue wore the image out; its audio still says that image's characters
        // (those the challenge asks about): exactly what espeak-ng says for them in the
        // token's voice.
        let text = captcha_spoken(&app.db, &token).await;
        let (image, seed): (i64, i64) = sqlx::query_as(
            "SELECT i.id, t.seed FROM captcha_tokens t JOIN captcha_images i ON i.id = t.image_id
             WHERE t.token_hash = $1",
        )
        .bind(service::token_hash(&token))
        .fetch_one(&app.db)
        .await
        .unwrap();
        let expected = audio::speak("espeak-ng", &text, hud::i18n::Lang::En, seed as u64)
            .await
            .unwrap();
        assert_eq!(wav, expected);
        wavs.push(wav);
        images.insert(image);
    }
    assert_eq!(images.len(), 1, "both issues showed the pool's only image");
    assert_ne!(wavs[0], wavs[1], "two issues of one image sound different");
}
