//! Finding 10, session table growth and state-changing GETs: anonymous page views (form pages
//! included) store no session, the language switch is a POST that other sites cannot send, and
//! the anonymous sessions that are stored (a remembered captcha pass, a flash message) expire
//! after `HUD_ANON_SESSION_TTL`, while logged-in ones keep their 14 days.

use std::time::Duration;

use futures_util::{StreamExt, stream};
use reqwest::{Client, StatusCode, redirect::Policy};

use crate::common::*;

async fn session_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM tower_sessions.session")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// A client that keeps no cookies: every request is a new anonymous visitor.
fn cookieless() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

#[tokio::test]
async fn a_thousand_anonymous_page_views_store_no_session() {
    let app = TestApp::spawn().await;
    let page = registered_page(&app, "https://example.org/").await;
    stored_crawl(&app, page, "2026-01-05T10:00:00Z", &[("tomato", 3)]).await;
    let before = session_rows(&app).await;
    // Form pages (login, signup with its captcha) included: their CSRF token and captcha owner
    // live in a cookie. The old language link and the new language form too.
    let paths = [
        "/",
        "/accounts/login",
        "/accounts/signup",
        "/nl/accounts/login",
        "/lang/sv?next=/accounts/login",
        "/pages",
        &format!("/pages/{page}"),
        "/search?q=tomato",
        "/fr/",
        "/no-such-page",
    ];
    let client = cookieless();
    let views = 1000;
    let session_cookies: usize = stream::iter(0..views)
        .map(|i| {
            let client = client.clone();
            let app = &app;
            let path = paths[i % paths.len()].to_owned();
            async move {
                let r = if i % 50 == 7 {
                    // A chosen language, from this site.
                    client
                        .post(app.url("/lang"))
                        .header("sec-fetch-site", "same-origin")
                        .form(&[("lang", "nb"), ("next", "/")])
                        .send()
                        .await
                        .unwrap()
                } else {
                    client.get(app.url(&path)).send().await.unwrap()
                };
                assert!(
                    r.status().as_u16() < 500,
                    "{path}: {status}",
                    status = r.status()
                );
                r.headers()
                    .get_all("set-cookie")
                    .iter()
                    .filter(|c| c.to_str().unwrap().starts_with("hud_session="))
                    .count()
            }
        })
        .buffer_unordered(6)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .sum();
    let added = session_rows(&app).await - before;
    assert!(
        added * 100 <= views as i64,
        "{views} anonymous page views added {added} session rows"
    );
    assert_eq!(session_cookies, 0, "no session cookie handed out");
}

#[tokio::test]
async fn anonymous_forms_work_without_a_session_until_login() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    let r = app.get("/accounts/login").await;
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("hud_csrf=") && c.contains("HttpOnly")),
        "{cookies:?}"
    );
    assert_eq!(
        session_rows(&app).await,
        0,
        "showing the form stores nothing"
    );
    // A wrong password: still nothing to keep.
    let r = app.login("ann", "wrong password, surely").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(session_rows(&app).await, 0);
    let r = app.login("ann", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(session_rows(&app).await, 1, "the login is kept");
    // The anonymous token is dropped at login.
    assert!(
        r.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("hud_csrf=;")),
        "the anonymous token's cookie is removed at login"
    );
}

/// POST the login form from `client` with `token` (and any extra headers).
async fn login_with(
    app: &TestApp,
    client: &Client,
    token: &str,
    headers: &[(&str, &str)],
) -> StatusCode {
    let mut request = client.post(app.url("/accounts/login")).form(&[
        ("csrf_token", token),
        ("login", "ann"),
        ("password", PASSWORD),
    ]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap().status()
}

#[tokio::test]
async fn forged_and_foreign_anonymous_tokens_are_refused() {
    let app = TestApp::spawn().await;
    app.create_user("ann", PASSWORD, false).await;
    // The attacker's own page view gives them a token (and its signed cookie).
    let attacker = app.new_client();
    let (_, html) = {
        let r = attacker
            .get(app.url("/accounts/login"))
            .send()
            .await
            .unwrap();
        (
            r.status(),
            scraper::Html::parse_document(&r.text().await.unwrap()),
        )
    };
    let attackers_token = attr(&html, "input[name=csrf_token]", "value").unwrap();

    // A victim without any cookie: a forged form with the attacker's token (login CSRF).
    let victim = app.new_client();
    assert_eq!(
        login_with(&app, &victim, &attackers_token, &[]).await,
        StatusCode::FORBIDDEN,
        "no cookie: the token proves nothing"
    );
    // A victim with a token of their own: the attacker's token does not match it.
    victim.get(app.url("/accounts/login")).send().await.unwrap();
    assert_eq!(
        login_with(&app, &victim, &attackers_token, &[]).await,
        StatusCode::FORBIDDEN
    );
    // A cookie HUD did not sign (planted through a sibling subdomain, say) is ignored.
    let planted = app.new_client();
    let forged = format!("hud_csrf={attackers_token}.{}", "0".repeat(64));
    let status = planted
        .post(app.url("/accounts/login"))
        .header("cookie", forged)
        .form(&[
            ("csrf_token", attackers_token.as_str()),
            ("login", "ann"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::FORBIDDEN, "unsigned cookie");
    let unsigned = format!("hud_csrf={attackers_token}");
    let status = planted
        .post(app.url("/accounts/login"))
        .header("cookie", unsigned)
        .form(&[
            ("csrf_token", attackers_token.as_str()),
            ("login", "ann"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::FORBIDDEN, "bare token as cookie");
    // The browser says the form came from another site: refused even with the right token.
    assert_eq!(
        login_with(
            &app,
            &attacker,
            &attackers_token,
            &[("sec-fetch-site", "cross-site")]
        )
        .await,
        StatusCode::FORBIDDEN
    );
    // The attacker's own browser, same-origin, with its own token: accepted.
    assert_eq!(
        login_with(&app, &attacker, &attackers_token, &[]).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_language_switch_cannot_be_sent_from_another_site() {
    let app = TestApp::spawn().await;
    let switch = |headers: Vec<(&'static str, &'static str)>| {
        let app = app.clone();
        async move {
            let client = app.new_client();
            let mut request = client
                .post(app.url("/lang"))
                .form(&[("lang", "sv"), ("next", "/")]);
            for (name, value) in headers {
                request = request.header(name, value);
            }
            request.send().await.unwrap()
        }
    };
    for attack in [
        vec![
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ],
        vec![
            ("sec-fetch-site", "same-site"),
            ("origin", "https://a.example"),
        ],
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
        // No proof of origin at all.
        vec![],
    ] {
        let r = switch(attack.clone()).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{attack:?}");
        assert!(
            r.headers()
                .get_all("set-cookie")
                .iter()
                .all(|c| !c.to_str().unwrap().starts_with("hud_lang=")),
            "{attack:?} set the language"
        );
    }
    // From this site (Fetch Metadata, or an Origin naming this host): accepted.
    let host = app.base.trim_start_matches("http://").to_owned();
    let origin: &'static str = Box::leak(format!("http://{host}").into_boxed_str());
    for proof in [
        vec![("sec-fetch-site", "same-origin")],
        vec![("origin", origin)],
    ] {
        let r = switch(proof.clone()).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{proof:?}");
        assert_eq!(location(&r), "/sv/");
        assert!(
            r.headers()
                .get_all("set-cookie")
                .iter()
                .any(|c| c.to_str().unwrap().starts_with("hud_lang=sv")),
        );
    }
    // The old GET link changes nothing any more.
    let r = app
        .new_client()
        .get(app.url("/lang/sv?next=/"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection());
    assert!(r.headers().get("set-cookie").is_none());
    assert_eq!(session_rows(&app).await, 0);
}

#[tokio::test]
async fn anonymous_sessions_expire_quickly_and_logged_in_ones_last() {
    let app = TestApp::spawn_with(|c| c.accounts.anon_session_ttl = Duration::from_secs(120)).await;
    app.create_user("taken", PASSWORD, false).await;
    // A sign-up that fails after a right captcha answer: the pass is remembered in a session.
    let r = app.signup("taken", "new@example.org", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let lifetimes = || async {
        sqlx::query_scalar::<_, f64>(
            "SELECT extract(epoch FROM expiry_date - now())::float8 FROM tower_sessions.session",
        )
        .fetch_all(&app.db)
        .await
        .unwrap()
    };
    let anonymous = lifetimes().await;
    assert_eq!(anonymous.len(), 1, "the remembered captcha pass is kept");
    assert!(
        anonymous[0] > 60.0 && anonymous[0] <= 120.0,
        "an anonymous session lives HUD_ANON_SESSION_TTL: {anonymous:?}"
    );
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("hud_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("Max-Age=120") || cookie.contains("Max-Age=119"),
        "{cookie}"
    );

    // The same visitor logs in: the session now lives 14 days.
    let r = app.login("taken", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let logged_in = lifetimes().await;
    assert_eq!(logged_in.len(), 1, "{logged_in:?}");
    assert!(
        logged_in[0] > 13.9 * 86_400.0,
        "a logged-in session lives 14 days: {logged_in:?}"
    );
}

#[tokio::test]
async fn expired_anonymous_sessions_are_not_used() {
    let app = TestApp::spawn_with(|c| c.accounts.anon_session_ttl = Duration::from_secs(1)).await;
    app.create_user("taken", PASSWORD, false).await;
    let r = app.signup("taken", "new@example.org", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, html) = app.page("/accounts/signup").await;
    assert!(
        attr(&html, "input[name=captcha_token]", "value").is_none(),
        "the pass is remembered while the session lives"
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (_, html) = app.page("/accounts/signup").await;
    assert!(
        attr(&html, "input[name=captcha_token]", "value").is_some(),
        "the expired session is gone: a new captcha"
    );
}
