//! Finding 7, the avatar decode bomb: small, highly compressible PNGs that decode to tens of
//! megabytes each, uploaded fifty at a time, used to be decoded all at once on the unbounded
//! blocking pool (up to 6000 × 6000 pixels and 128 MiB each). Now an avatar may have at most
//! 4 megapixels, decodes run as many at a time as there are cores, and uploads are rate-limited
//! per user.

use std::time::Duration;

use reqwest::{StatusCode, multipart};

use crate::common::*;

/// A solid-colour PNG: a few kilobytes that decode to `width × height` pixels.
fn solid_png<P: image::Pixel<Subpixel = S> + image::PixelWithColorType, S>(
    width: u32,
    height: u32,
    pixel: P,
) -> Vec<u8>
where
    S: image::Primitive,
    [S]: image::EncodableLayout,
{
    let img = image::ImageBuffer::from_pixel(width, height, pixel);
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn upload(app: &TestApp, csrf: &str, bytes: Vec<u8>) -> StatusCode {
    let form = multipart::Form::new()
        .text("csrf_token", csrf.to_owned())
        .part("avatar", multipart::Part::bytes(bytes).file_name("a.png"));
    app.client
        .post(app.url("/accounts/avatar"))
        .multipart(form)
        .send()
        .await
        .unwrap()
        .status()
}

/// A line of `/proc/self/status`, in kB.
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

/// How far the test process's resident memory may rise while the server (in this process)
/// handles the bombs. Two cores decoding 32 MiB images need about 100 MiB; the old code, fifty
/// decodes at once of up to 100 MB each, took gigabytes.
const PEAK_BOUND_MIB: u64 = 400;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_bombs_keep_memory_bounded_and_the_server_answering() {
    let app = TestApp::spawn_with(|c| c.accounts.avatar_uploads_per_hour = 1_000).await;
    app.create_user("bomber", PASSWORD, false).await;
    assert_eq!(
        app.login("bomber", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let csrf = app.csrf("/accounts/preferences").await;
    // Within the limits, but as heavy as they allow: 2048² at 16 bits × 4 channels = 32 MiB.
    let heavy = solid_png(2048, 2048, image::Rgba([1u16, 2, 3, 4]));
    // Within the old limits (5000 ≤ 6000, 75 MB ≤ 128 MiB), refused now.
    let big = solid_png(5000, 5000, image::Rgb([9u8, 9, 9]));
    assert!(heavy.len() < 2 << 20 && big.len() < 2 << 20);

    // The peak so far is forgotten (Linux: "5" resets VmHWM to the current VmRSS).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status_kb("VmRSS:");
    let uploads: Vec<_> = (0..50)
        .map(|n| {
            let (app, csrf) = (app.clone(), csrf.clone());
            let bytes = if n % 2 == 0 {
                heavy.clone()
            } else {
                big.clone()
            };
            tokio::spawn(async move { upload(&app, &csrf, bytes).await })
        })
        .collect();
    // Meanwhile other visitors are served.
    let visitor = app.new_client();
    for _ in 0..5 {
        let r = tokio::time::timeout(Duration::from_secs(30), visitor.get(app.url("/")).send())
            .await
            .expect("the server answers during the uploads")
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for upload in uploads {
        assert_eq!(upload.await.unwrap(), StatusCode::SEE_OTHER);
    }
    let peak = status_kb("VmHWM:");
    let rise_mib = peak.saturating_sub(before) / 1024;
    assert!(
        rise_mib < PEAK_BOUND_MIB,
        "resident memory rose by {rise_mib} MiB (bound {PEAK_BOUND_MIB} MiB)"
    );
}

#[tokio::test]
async fn too_many_pixels_get_a_clear_message() {
    let app = TestApp::spawn().await;
    app.create_user("painter", PASSWORD, false).await;
    app.login("painter", PASSWORD).await;
    let csrf = app.csrf("/accounts/preferences").await;
    let big = solid_png(3000, 3000, image::Rgb([9u8, 9, 9]));
    assert_eq!(upload(&app, &csrf, big).await, StatusCode::SEE_OTHER);
    let (_, html) = app.page("/accounts/preferences").await;
    let alert = text(&html, ".alert-danger").expect("an error is shown");
    assert!(alert.contains("at most 4 megapixels"), "{alert}");
}

#[tokio::test]
async fn avatar_uploads_are_rate_limited_per_user() {
    let app = TestApp::spawn_with(|c| c.accounts.avatar_uploads_per_hour = 2).await;
    app.create_user("flipper", PASSWORD, false).await;
    app.login("flipper", PASSWORD).await;
    let csrf = app.csrf("/accounts/preferences").await;
    for _ in 0..2 {
        upload(&app, &csrf, solid_png(64, 64, image::Rgb([1u8, 2, 3]))).await;
        let (_, html) = app.page("/accounts/preferences").await;
        assert!(text(&html, ".alert-success").is_some());
    }
    upload(&app, &csrf, solid_png(64, 64, image::Rgb([4u8, 5, 6]))).await;
    let (_, html) = app.page("/accounts/preferences").await;
    let alert = text(&html, ".alert-danger").expect("the third is refused");
    assert!(alert.contains("too often"), "{alert}");
    // Another user has their own allowance.
    let other = TestApp {
        client: app.new_client(),
        ..app.clone()
    };
    other.create_user("other", PASSWORD, false).await;
    other.login("other", PASSWORD).await;
    let csrf = other.csrf("/accounts/preferences").await;
    upload(&other, &csrf, solid_png(64, 64, image::Rgb([7u8, 8, 9]))).await;
    let (_, html) = other.page("/accounts/preferences").await;
    assert!(text(&html, ".alert-success").is_some());
}
