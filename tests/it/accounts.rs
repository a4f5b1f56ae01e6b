//! Accounts & preferences through the HTML pages.

use reqwest::{StatusCode, multipart};

use crate::common::*;

#[tokio::test]
async fn signup_logs_in_and_shows_the_profile() {
    let app = TestApp::spawn().await;
    let r = app.signup("ada", "ada@example.org", PASSWORD).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    assert_eq!(location(&r), "/accounts/profile");
    let (status, html) = app.page("/accounts/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text(&html, "#profile-username").unwrap(), "ada");
    assert!(text(&html, ".alert-success").is_some(), "welcome flash");
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'ada'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    // The flash is shown once.
    let (_, html) = app.page("/accounts/profile").await;
    assert!(text(&html, ".alert-success").is_none());
}

#[tokio::test]
async fn duplicate_username_refills_the_form_without_passwords() {
    let app = TestApp::spawn().await;
    app.create_user("Bob", PASSWORD, false).await;
    let other = TestApp {
        client: app.new_client(),
        ..app.clone()
    };
    let r = other.signup("bob", "bob2@example.org", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert_eq!(
        text(&html, "#username-error").unwrap(),
        "This username is already taken."
    );
    assert_eq!(attr(&html, "input#username", "value").unwrap(), "bob");
    assert_eq!(
        attr(&html, "input#email", "value").unwrap(),
        "bob2@example.org"
    );
    assert_eq!(attr(&html, "input#password", "value").unwrap(), "");
    assert_eq!(attr(&html, "input#password2", "value").unwrap(), "");

    let r = other.signup("bobby", "BOB@example.org", PASSWORD).await;
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert!(
        text(&html, "#email-error").is_some(),
        "duplicate e-mail ignoring case"
    );
}

#[tokio::test]
async fn bad_signups_get_translated_messages() {
    let app = TestApp::spawn().await;
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        ("", "a@example.org", PASSWORD, PASSWORD, "#username-error"),
        ("carl", "not-an-email", PASSWORD, PASSWORD, "#email-error"),
        ("carl", "c@example.org", "short", "short", "#password-error"),
        (
            "carl",
            "c@example.org",
            "password1234",
            "password1234",
            "#password-error",
        ),
        (
            "carl",
            "c@example.org",
            PASSWORD,
            "something else entirely",
            "#password2-error",
        ),
    ];
    for (username, email, password, password2, error) in cases {
        let r = app
            .submit(
                "/nl/accounts/signup",
                "/nl/accounts/signup",
                &[
                    ("username", username),
                    ("email", email),
                    ("password", password),
                    ("password2", password2),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{username} {email}"
        );
        let html = scraper::Html::parse_document(&r.text().await.unwrap());
        let message = text(&html, error).unwrap_or_else(|| panic!("{error} shown"));
        assert!(!message.is_empty());
        assert_eq!(attr(&html, "html", "lang").unwrap(), "nl");
    }
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(users, 0);
}

#[tokio::test]
async fn metacharacters_in_usernames_are_stored_as_typed_and_escaped() {
    let app = TestApp::spawn().await;
    let name = "<script>alert('x')</script>'; DROP TABLE users;--";
    let r = app.signup(name, "evil@example.org", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let stored: String = sqlx::query_scalar("SELECT username FROM users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, name);
    let body = app.get("/accounts/profile").await.text().await.unwrap();
    assert!(!body.contains("<script>alert"), "escaped");
    let html = scraper::Html::parse_document(&body);
    assert_eq!(text(&html, "#profile-username").unwrap(), name);
    assert_eq!(count(&html, "script:not([src])"), 0);
}

#[tokio::test]
async fn login_logout_and_session_rotation() {
    let app = TestApp::spawn().await;
    app.create_user("dora", PASSWORD, false).await;
    // Get an anonymous session first (the login form's CSRF token lives in it).
    let token = app.csrf("/accounts/login").await;
    let cookie_before = session_cookie(&app).await;
    let r = app
        .client
        .post(app.url("/accounts/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("login", "DORA@example.org"),
            ("password", PASSWORD),
            ("next", "/accounts/preferences"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/accounts/preferences");
    let set_cookie = r
        .headers()
        .get("set-cookie")
        .expect("session cookie re-issued")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert_ne!(
        Some(set_cookie.split(';').next().unwrap().to_owned()),
        cookie_before,
        "session id rotated"
    );
    let (_, html) = app.page("/").await;
    assert_eq!(text(&html, "#user-menu .username").unwrap(), "dora");

    let token = attr(&html, "input[name=csrf_token]", "value").unwrap();
    let r = app
        .client
        .post(app.url("/accounts/logout"))
        .form(&[("csrf_token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/accounts/profile").await.status(),
        StatusCode::SEE_OTHER,
        "logged out"
    );
}

async fn session_cookie(app: &TestApp) -> Option<String> {
    let r = app.get("/accounts/login").await;
    r.headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
}

#[tokio::test]
async fn wrong_password_and_brute_force() {
    let app = TestApp::spawn_with(|c| {
        c.accounts.login_limit_per_account = 3;
        c.accounts.login_limit_per_ip = 100;
    })
    .await;
    app.create_user("eve", PASSWORD, false).await;
    let r = app.login("eve", "wrong password!").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert_eq!(
        text(&html, "#login-error").unwrap(),
        "The username or password is wrong."
    );
    assert_eq!(attr(&html, "input#login", "value").unwrap(), "eve");
    app.login("eve", "wrong again").await;
    app.login("eve", "and again").await;
    let r = app.login("eve", PASSWORD).await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password, once locked"
    );
    assert!(r.headers().get("retry-after").is_some());
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert!(
        text(&html, "#error-detail")
            .unwrap()
            .contains("Too many attempts")
    );
}

#[tokio::test]
async fn login_is_rate_limited_per_ip() {
    let app = TestApp::spawn_with(|c| c.accounts.login_limit_per_ip = 2).await;
    app.login("a", "x").await;
    app.login("b", "x").await;
    let r = app.login("c", "x").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn csrf_is_required_on_every_form() {
    let app = TestApp::spawn().await;
    app.csrf("/accounts/login").await; // the session has a token now
    let no_token = app
        .client
        .post(app.url("/accounts/login"))
        .form(&[("login", "x"), ("password", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    let html = scraper::Html::parse_document(&no_token.text().await.unwrap());
    assert!(
        text(&html, "#error-detail")
            .unwrap()
            .contains("form expired")
    );
    let wrong = app
        .client
        .post(app.url("/accounts/signup"))
        .form(&[("csrf_token", "0000"), ("username", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    // A browser without any session cannot post either.
    let fresh = app
        .new_client()
        .post(app.url("/accounts/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), StatusCode::FORBIDDEN);
}

async fn logged_in(app: &TestApp, name: &str) {
    app.create_user(name, PASSWORD, false).await;
    assert_eq!(
        app.login(name, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn preferences_apply_on_the_next_page() {
    let app = TestApp::spawn().await;
    logged_in(&app, "fred").await;
    let r = app
        .submit(
            "/accounts/preferences",
            "/accounts/preferences",
            &[("language", "nl"), ("timezone", "Asia/Tokyo")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/nl/accounts/preferences");
    let (_, html) = app.page("/accounts/profile").await;
    assert_eq!(attr(&html, "html", "lang").unwrap(), "nl");
    assert_eq!(text(&html, "#profile-timezone").unwrap(), "Asia/Tokyo");
    assert!(text(&html, "footer").unwrap().contains("Asia/Tokyo"));

    let r = app
        .submit(
            "/accounts/preferences",
            "/accounts/preferences",
            &[("language", "de"), ("timezone", "Mars/Olympus_Mons")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert!(text(&html, "#timezone-error").is_some());
    assert_eq!(
        attr(&html, "input#timezone", "value").unwrap(),
        "Mars/Olympus_Mons",
        "kept as typed"
    );
    let tz: Option<String> = sqlx::query_scalar("SELECT timezone FROM users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(tz.as_deref(), Some("Asia/Tokyo"), "nothing saved on error");
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([10, 120, 200]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A decompression bomb: a valid PNG declaring 30,000 × 30,000 pixels (900 MB decoded) whose
/// compressed rows of zeros fit in a few kilobytes.
fn png_bomb() -> Vec<u8> {
    use std::io::Write;
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let side: u32 = 30_000;
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale
    chunk(&mut out, b"IHDR", &ihdr);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let row = vec![0u8; side as usize + 1];
    for _ in 0..1000 {
        z.write_all(&row).unwrap();
    }
    chunk(&mut out, b"IDAT", &z.finish().unwrap());
    chunk(&mut out, b"IEND", b"");
    out
}

async fn upload(app: &TestApp, bytes: Vec<u8>, name: &str) -> reqwest::Response {
    let token = app.csrf("/accounts/preferences").await;
    let form = multipart::Form::new().text("csrf_token", token).part(
        "avatar",
        multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    app.client
        .post(app.url("/accounts/avatar"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn avatar_upload_and_bad_files() {
    let app = TestApp::spawn().await;
    logged_in(&app, "gina").await;

    let r = upload(&app, png(400, 300), "me.png").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page("/accounts/preferences").await;
    assert!(text(&html, ".alert-success").is_some());
    let src = attr(&html, "#user-menu img", "src").expect("avatar in navbar");
    let r = app.get(&src).await;
    assert_eq!(r.headers()["content-type"], "image/png");
    let img = image::load_from_memory(&r.bytes().await.unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (128, 128));

    for (bytes, name) in [
        (b"this is not an image at all".to_vec(), "x.png"),
        (vec![0u8; 0], "empty.png"),
        (png_bomb(), "bomb.png"),
        (
            [png(10, 10), vec![0u8; 2 * 1024 * 1024]].concat(),
            "huge.png",
        ),
    ] {
        let r = upload(&app, bytes, name).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
        let (_, html) = app.page("/accounts/preferences").await;
        assert!(
            text(&html, ".alert-danger").is_some(),
            "{name}: error shown"
        );
        assert_eq!(
            attr(&html, "#user-menu img", "src").as_deref(),
            Some(src.as_str()),
            "{name}: old avatar kept"
        );
    }
}

#[tokio::test]
async fn admin_area_is_for_admins_only() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/admin").await.status(), StatusCode::FORBIDDEN);
    logged_in(&app, "henk").await;
    assert_eq!(app.get("/admin").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/admin/users").await.status(),
        StatusCode::FORBIDDEN
    );

    let admin = TestApp {
        client: app.new_client(),
        ..app.clone()
    };
    admin.create_user("root", PASSWORD, true).await;
    admin.login("root", PASSWORD).await;
    let (status, html) = admin.page("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(count(&html, "#admin-sections a") >= 1);
    let (_, html) = admin.page("/admin/users").await;
    assert_eq!(count(&html, "#users-table tbody tr"), 2);
    // The uncached query's time is reported as database time.
    let r = admin.get("/admin/users").await;
    let timing = r.headers()["server-timing"].to_str().unwrap().to_owned();
    let db_ms: f64 = timing
        .split(", ")
        .find_map(|part| part.strip_prefix("db;dur="))
        .and_then(|ms| ms.parse().ok())
        .unwrap_or_default();
    assert!(db_ms > 0.0, "{timing}");
    // Past the last page: the last page (the separate count statement).
    let (status, html) = admin.page("/admin/users?page=99").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&html, "#users-table tbody tr"), 2);
}

/// Pool connections that PostgreSQL drops (an administrator terminating backends, a restart)
/// are replaced: requests in the meantime get the "unavailable" page, never a 500, and the
/// uncached list comes back.
#[tokio::test]
async fn uncached_reads_recover_after_postgres_drops_the_connections() {
    let app = TestApp::spawn().await;
    app.create_user("root", PASSWORD, true).await;
    app.login("root", PASSWORD).await;
    assert_eq!(app.page("/admin/users").await.0, StatusCode::OK);

    let killed: i64 = sqlx::query_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(killed >= 1, "no pooled connection to drop");

    let mut statuses = Vec::new();
    for _ in 0..6 {
        let (status, html) = app.page("/admin/users").await;
        assert!(
            status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}: {}",
            html.html()
        );
        statuses.push(status);
        if status == StatusCode::OK && statuses.len() > 2 {
            assert_eq!(count(&html, "#users-table tbody tr"), 1);
            break;
        }
    }
    assert_eq!(statuses.last(), Some(&StatusCode::OK), "{statuses:?}");
}

/// The home page's account card speaks to a logged-in reader as one (and the anonymous home
/// page, shared through the response cache, is not shown to them).
#[tokio::test]
async fn the_account_card_knows_whether_you_are_logged_in() {
    let app = TestApp::spawn().await;
    let card = |html: &scraper::Html| {
        html.select(&sel("#app-cards .card-text"))
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let (_, anonymous) = app.page("/").await;
    assert!(
        card(&anonymous).contains("Sign up or log in"),
        "{}",
        card(&anonymous)
    );
    app.create_user("noor", PASSWORD, false).await;
    app.login("noor", PASSWORD).await;
    let (_, logged_in) = app.page("/").await;
    assert!(
        !card(&logged_in).contains("Sign up or log in"),
        "{}",
        card(&logged_in)
    );
    assert!(
        card(&logged_in).contains("API tokens"),
        "{}",
        card(&logged_in)
    );
}
