//! Password reset by e-mail, end to end: the mail goes through a real SMTP server on loopback
//! (aiosmtpd, started by scripts/test-env.sh, keeping every message in a Maildir), the test
//! reads it as a mail client would, follows the link and sets a new password — in pages and
//! API, with the attacks a reset flow invites (unknown addresses, reuse, races, expiry,
//! flooding).

use std::sync::Arc;

use mail_parser::MessageParser;
use reqwest::StatusCode;
use scraper::Html;
use tokio::sync::Barrier;

use crate::common::{PASSWORD, TestApp, attr, location, text, wait_until};

const NEW_PASSWORD: &str = "a brand new passphrase 42";

/// An instance that sends mail through the test SMTP server, with links to `public_url`.
async fn mailing_app(tweak: impl FnOnce(&mut hud::config::Config)) -> TestApp {
    let smtp = std::env::var("HUD_TEST_SMTP").expect("HUD_TEST_SMTP: run inside test-env.sh");
    TestApp::spawn_with(|config| {
        config.mail.smtp_url = Some(smtp);
        config.mail.public_url = Some("https://hud.example.test".into());
        tweak(config);
    })
    .await
}

/// A received message: subject, plain-text and HTML parts.
struct Received {
    subject: String,
    text: String,
    html: String,
}

/// Every message the SMTP server received for `to` so far.
fn mail_for(to: &str) -> Vec<Received> {
    let dir = std::env::var("HUD_TEST_MAILDIR").expect("HUD_TEST_MAILDIR");
    let Ok(entries) = std::fs::read_dir(std::path::Path::new(&dir).join("new")) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
        .filter_map(|bytes| {
            let message = MessageParser::default().parse(&bytes)?;
            let addressed = message
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .is_some_and(|a| a.eq_ignore_ascii_case(to));
            addressed.then(|| Received {
                subject: message.subject().unwrap_or_default().to_owned(),
                text: message.body_text(0).unwrap_or_default().into_owned(),
                html: message.body_html(0).unwrap_or_default().into_owned(),
            })
        })
        .collect()
}

/// Wait for a message to `to` with a link not in `seen` (a Maildir keeps no order), note its
/// link and return it.
async fn next_mail(to: &str, seen: &mut Vec<String>) -> Received {
    let fresh = |seen: &[String]| {
        mail_for(to)
            .into_iter()
            .find(|m| !seen.contains(&link_path(m)))
    };
    wait_until(&format!("a new mail for {to} arrives"), || async {
        fresh(seen).is_some()
    })
    .await;
    let mail = fresh(seen).unwrap();
    seen.push(link_path(&mail));
    mail
}

/// A name no earlier run used (the test SMTP server keeps every run's mail).
fn unique(name: &str) -> String {
    format!("{name}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

/// The reset link in a message's text, as a path on `app` (the host is HUD_PUBLIC_URL's).
fn link_path(mail: &Received) -> String {
    let link = mail
        .text
        .split_whitespace()
        .find(|w| w.starts_with("https://"))
        .expect("a link in the text part");
    let path = link
        .strip_prefix("https://hud.example.test")
        .expect("the link points to HUD_PUBLIC_URL, never to the request's Host");
    assert!(
        mail.html.contains(&format!("href=\"{link}\"")),
        "{}",
        mail.html
    );
    path.to_owned()
}

fn token_of(path: &str) -> String {
    path.split_once("token=").unwrap().1.to_owned()
}

async fn ask(app: &TestApp, email: &str) -> (StatusCode, Html) {
    let r = app
        .submit(
            "/accounts/password/forgot",
            "/accounts/password/forgot",
            &[("email", email)],
        )
        .await;
    let status = r.status();
    (status, Html::parse_document(&r.text().await.unwrap()))
}

async fn pending_links(app: &TestApp, user: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM password_resets WHERE user_id = $1")
        .bind(user)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_mailed_link_sets_a_new_password_once_and_ends_every_session() {
    let app = mailing_app(|_| {}).await;
    let fay = unique("fay");
    let address = format!("{fay}@example.org");
    app.create_user(&fay, PASSWORD, false).await;
    // Fay is logged in elsewhere and holds an API token.
    let elsewhere = TestApp {
        client: app.new_client(),
        ..app.clone()
    };
    assert_eq!(
        elsewhere.login(&fay, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let token: serde_json::Value = elsewhere
        .request_token(&fay, &serde_json::json!({}))
        .await
        .json()
        .await
        .unwrap();
    let api_token = token["token"].as_str().unwrap().to_owned();

    // The login page leads to the form.
    let (_, login) = app.page("/accounts/login").await;
    assert_eq!(
        attr(&login, "#forgot-link", "href").as_deref(),
        Some("/accounts/password/forgot")
    );
    let shouted = address.to_uppercase();
    let (status, html) = ask(&app, &shouted).await;
    assert_eq!(status, StatusCode::OK);
    let said = text(&html, "#reset-sent").unwrap();
    assert!(
        said.contains(&shouted) && said.contains("60 minutes"),
        "{said}"
    );

    let mail = next_mail(&address, &mut Vec::new()).await;
    assert_eq!(mail.subject, "Reset your HUD password");
    assert!(
        mail.text.contains(&format!("Hello {fay},")),
        "{}",
        mail.text
    );
    assert!(mail.html.contains("Choose a new password"), "{}", mail.html);
    let path = link_path(&mail);
    assert!(
        path.starts_with("/accounts/password/reset?token="),
        "{path}"
    );

    // The link's page; a new password that breaks the policy is refused and the link still
    // works.
    let (status, page) = app.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    let form_token = attr(&page, "#reset-form input[name=token]", "value").unwrap();
    assert_eq!(form_token, token_of(&path));
    let r = app
        .submit(
            &path,
            "/accounts/password/reset",
            &[
                ("token", &form_token),
                ("password", "fay"),
                ("password2", "fay"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("password-error"));
    let r = app
        .submit(
            &path,
            "/accounts/password/reset",
            &[
                ("token", &form_token),
                ("password", NEW_PASSWORD),
                ("password2", "something else"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let r = app
        .submit(
            &path,
            "/accounts/password/reset",
            &[
                ("token", &form_token),
                ("password", NEW_PASSWORD),
                ("password2", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/accounts/login");
    let (_, html) = app.page("/accounts/login").await;
    assert!(html.html().contains("Your new password is saved"));

    // Logged out everywhere, the token revoked; the new password works, the old one not.
    assert_eq!(
        elsewhere.get("/accounts/profile").await.status(),
        StatusCode::SEE_OTHER
    );
    let r = elsewhere
        .client
        .get(elsewhere.url("/api/v1/me"))
        .bearer_auth(&api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login(&fay, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&fay, NEW_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );

    // The link is used up.
    let (status, page) = app.page(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(text(&page, "#reset-link-invalid").is_some());
}

#[tokio::test]
async fn the_answer_is_the_same_whether_or_not_the_address_has_an_account() {
    let app = mailing_app(|_| {}).await;
    let gus_name = unique("gus");
    let gus_address = format!("{gus_name}@example.org");
    let gus = app.create_user(&gus_name, PASSWORD, false).await;
    let hal = app.create_user("hal", PASSWORD, false).await;
    sqlx::query("UPDATE users SET disabled_at = now() WHERE id = $1")
        .bind(hal)
        .execute(&app.db)
        .await
        .unwrap();
    let answer =
        |html: &Html, email: &str| text(html, "#reset-sent").unwrap().replace(email, "ADDRESS");
    let (s1, known) = ask(&app, &gus_address).await;
    let (s2, unknown) = ask(&app, "nobody-here@example.org").await;
    let (s3, disabled) = ask(&app, "hal@example.org").await;
    assert_eq!(
        (s1, s2, s3),
        (StatusCode::OK, StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(
        answer(&known, &gus_address),
        answer(&unknown, "nobody-here@example.org")
    );
    assert_eq!(
        answer(&known, &gus_address),
        answer(&disabled, "hal@example.org")
    );
    // Only the enabled account got a link.
    assert_eq!(pending_links(&app, gus).await, 1);
    assert_eq!(pending_links(&app, hal).await, 0);
    // Asking again replaces the link: only the newest works.
    let mut seen = Vec::new();
    let first = link_path(&next_mail(&gus_address, &mut seen).await);
    ask(&app, &gus_address).await;
    let second = link_path(&next_mail(&gus_address, &mut seen).await);
    assert_ne!(first, second);
    assert_eq!(pending_links(&app, gus).await, 1);
    assert_eq!(app.page(&first).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.page(&second).await.0, StatusCode::OK);
    // An expired link does not work.
    sqlx::query("UPDATE password_resets SET expires_at = now() - interval '1 second'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(app.page(&second).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_mail_speaks_the_users_language() {
    let app = mailing_app(|_| {}).await;
    let ida_name = unique("ida");
    let ida_address = format!("{ida_name}@example.org");
    let ida = app.create_user(&ida_name, PASSWORD, false).await;
    sqlx::query("UPDATE users SET preferred_language = 'nl' WHERE id = $1")
        .bind(ida)
        .execute(&app.db)
        .await
        .unwrap();
    // Asked from a French page: the mail follows Ida's own preference.
    let r = app
        .submit(
            "/fr/accounts/password/forgot",
            "/fr/accounts/password/forgot",
            &[("email", ida_address.as_str())],
        )
        .await;
    let html = Html::parse_document(&r.text().await.unwrap());
    assert!(text(&html, "#reset-sent").unwrap().contains("Si un compte"));
    let mail = next_mail(&ida_address, &mut Vec::new()).await;
    assert_eq!(mail.subject, "Je HUD-wachtwoord opnieuw instellen");
    assert!(
        mail.text.contains(&format!("Hallo {ida_name},")),
        "{}",
        mail.text
    );
    let path = link_path(&mail);
    assert!(
        path.starts_with("/nl/accounts/password/reset?token="),
        "{path}"
    );
    let (_, page) = app.page(&path).await;
    assert!(page.html().contains("Kies een nieuw wachtwoord"));
}

#[tokio::test]
async fn without_smtp_the_page_says_an_administrator_can_help() {
    let app = TestApp::spawn().await;
    let jo = app.create_user("jo", PASSWORD, false).await;
    let (_, form) = app.page("/accounts/password/forgot").await;
    assert!(text(&form, "#reset-no-mail").is_some());
    let (status, html) = ask(&app, "jo@example.org").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&html, "#reset-sent").is_some());
    assert!(
        text(&html, "#reset-no-mail")
            .unwrap()
            .contains("administrator")
    );
    // The link exists (it went to the log).
    assert_eq!(pending_links(&app, jo).await, 1);
}

#[tokio::test]
async fn asking_is_rate_limited_per_client_and_per_address() {
    let app = mailing_app(|config| {
        config.accounts.password_reset_limit = 2;
        config.server.trust_proxy = true;
    })
    .await;
    app.create_user("kim", PASSWORD, false).await;
    let from = |ip: &'static str, email: &'static str| {
        let app = app.clone();
        async move {
            let csrf = app.csrf("/accounts/password/forgot").await;
            app.client
                .post(app.url("/accounts/password/forgot"))
                .header("x-forwarded-for", ip)
                .form(&[("csrf_token", csrf.as_str()), ("email", email)])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // One client, many addresses.
    assert_eq!(from("198.51.100.1", "a@example.org").await, StatusCode::OK);
    assert_eq!(from("198.51.100.1", "b@example.org").await, StatusCode::OK);
    assert_eq!(
        from("198.51.100.1", "c@example.org").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // One address, many clients (an existing account's and an unknown one's alike).
    for email in ["kim@example.org", "unknown@example.org"] {
        assert_eq!(from("198.51.100.2", email).await, StatusCode::OK);
        assert_eq!(from("198.51.100.3", email).await, StatusCode::OK);
        assert_eq!(
            from("198.51.100.4", email).await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}

#[tokio::test]
async fn the_api_resets_a_password_and_a_link_works_only_once_under_a_race() {
    let app = mailing_app(|_| {}).await;
    let lou = unique("lou");
    let lou_address = format!("{lou}@example.org");
    app.create_user(&lou, PASSWORD, false).await;
    let post = |path: &'static str, body: serde_json::Value| {
        let app = app.clone();
        async move {
            app.new_client()
                .post(app.url(path))
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let r = post(
        "/api/v1/auth/password-reset",
        serde_json::json!({"email": "nope"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "email", "{problem}");
    for email in [lou_address.as_str(), "nobody@example.org"] {
        let r = post(
            "/api/v1/auth/password-reset",
            serde_json::json!({ "email": email }),
        )
        .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{email}");
    }
    let token = token_of(&link_path(&next_mail(&lou_address, &mut Vec::new()).await));

    let confirm = "/api/v1/auth/password-reset/confirm";
    let r = post(
        confirm,
        serde_json::json!({"token": "0".repeat(64), "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "token", "{problem}");
    let r = post(
        confirm,
        serde_json::json!({"token": token, "password": "short"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Two requests with the one link, released together: one sets its password.
    let start = Arc::new(Barrier::new(2));
    let mut racers = Vec::new();
    for password in ["first racer's password", "second racer's password"] {
        let request = app
            .new_client()
            .post(app.url(confirm))
            .json(&serde_json::json!({"token": token, "password": password}));
        let start = start.clone();
        racers.push(tokio::spawn(async move {
            start.wait().await;
            (password, request.send().await.unwrap().status())
        }));
    }
    let mut won = Vec::new();
    for racer in racers {
        let (password, status) = racer.await.unwrap();
        assert!(
            status == StatusCode::NO_CONTENT || status == StatusCode::NOT_FOUND,
            "{status}"
        );
        if status == StatusCode::NO_CONTENT {
            won.push(password);
        }
    }
    assert_eq!(won.len(), 1, "exactly one racer sets the password");
    assert_eq!(
        app.login(&lou, won[0]).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn bad_input_to_the_reset_pages_is_answered_not_failed() {
    let app = TestApp::spawn().await;
    for email in [
        "",
        "no-at-sign",
        "a@",
        "@b",
        "spaced out@example.org",
        "nul\u{0}@x.org",
    ] {
        let (status, html) = ask(&app, email).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{email:?}");
        assert!(
            text(&html, "#email-error")
                .unwrap()
                .contains("e-mail address"),
            "{email:?}"
        );
    }
    for query in [
        "",
        "?token=",
        "?token=%00",
        "?token=zz",
        &format!("?token={}", "f".repeat(5000)),
    ] {
        let (status, html) = app.page(&format!("/accounts/password/reset{query}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{query}");
        assert!(text(&html, "#reset-link-invalid").is_some(), "{query}");
    }
    // Posting a made-up token is the same "link does not work" page.
    let r = app
        .submit(
            "/accounts/password/forgot",
            "/accounts/password/reset",
            &[
                ("token", "abc"),
                ("password", NEW_PASSWORD),
                ("password2", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Without a CSRF token: refused.
    let r = app
        .client
        .post(app.url("/accounts/password/forgot"))
        .form(&[("email", "x@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Every page in every language.
    for lang in ["nl", "sv", "nb", "fr"] {
        let (status, _) = app.page(&format!("/{lang}/accounts/password/forgot")).await;
        assert_eq!(status, StatusCode::OK, "{lang}");
    }
}
