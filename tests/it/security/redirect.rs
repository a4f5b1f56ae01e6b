//! Finding 1, open redirect: no request may make HUD answer with a `Location` that a browser
//! reads as another host (`//evil`, `/\evil`, and their encoded and whitespace variants).

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use hud::web::auth::url_escape;

use crate::common::*;

/// What follows the language prefix in the attacks: every spelling of "another host" a browser
/// (or a later decode) could make of a path.
const FAMILY: &[&str] = &[
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "/\\/evil.example/",
    "/%2F%2Fevil.example/",
    "/%2f%2fevil.example/",
    "/%2F/evil.example/",
    "/%5Cevil.example/",
    "/%5c%5cevil.example/",
    "/%252F%252Fevil.example/",
    "/%09/evil.example/",
    "/%0A/evil.example/",
    "/%0D%0A/evil.example/",
    "/\t/evil.example/",
];

/// Whether a browser following `location` stays on this site: tabs and newlines dropped, `\`
/// read as `/` (as browsers do), percent-escapes decoded (as a careless server might).
fn stays_local(location: &str) -> bool {
    let mut text: String = location
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    for _ in 0..2 {
        text = percent_encoding::percent_decode_str(&text)
            .decode_utf8_lossy()
            .into_owned();
    }
    let text = text.replace('\\', "/");
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    text.starts_with('/') && !text.starts_with("//")
}

/// Send a request line exactly as written (no client normalises `\` or `//` away) and return
/// the status code and `Location` header.
async fn raw_get(app: &TestApp, target: &str) -> (u16, Option<String>) {
    let addr = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let location = answer.lines().take_while(|l| !l.is_empty()).find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("location")
            .then(|| value.trim().to_owned())
    });
    (status, location)
}

#[tokio::test]
async fn language_prefixes_never_redirect_off_site() {
    let app = TestApp::spawn().await;
    for prefix in ["/en", "/nl", ""] {
        for rest in FAMILY {
            let target = format!("{prefix}{rest}");
            let (status, location) = raw_get(&app, &target).await;
            assert_ne!(status, 0, "{target:?}: no HTTP answer");
            assert!(
                location.as_deref().is_none_or(stays_local),
                "GET {target:?} → {status} Location {location:?}"
            );
        }
    }
    // The ordinary redirect still works.
    assert_eq!(
        raw_get(&app, "/en/accounts/login?x=1").await,
        (308, Some("/accounts/login?x=1".into()))
    );
}

/// `next` values that lead off-site directly or through the `/en` prefix redirect.
fn next_attacks() -> Vec<String> {
    let mut attacks = vec![
        "https://evil.example/".to_owned(),
        "evil.example".to_owned(),
    ];
    for prefix in ["", "/en", "/nl"] {
        attacks.extend(FAMILY.iter().map(|rest| format!("{prefix}{rest}")));
    }
    attacks
}

#[tokio::test]
async fn login_never_sends_the_user_off_site() {
    let app = TestApp::spawn_with(|c| c.accounts.login_limit_per_ip = 1000).await;
    app.create_user("ann", PASSWORD, false).await;
    for next in next_attacks() {
        let form = format!("/accounts/login?next={}", url_escape(&next));
        let (_, html) = app.new_client_page(&form).await;
        assert_eq!(
            attr(&html, "#login-form input[name=next]", "value").unwrap_or_default(),
            "",
            "login form keeps next={next:?}"
        );
        let browser = TestApp {
            client: app.new_client(),
            ..app.clone()
        };
        let r = browser
            .submit(
                "/accounts/login",
                "/accounts/login",
                &[("login", "ann"), ("password", PASSWORD), ("next", &next)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "next={next:?}");
        assert_eq!(location(&r), "/", "next={next:?}");
    }
    // A local target is still honoured.
    let r = app
        .submit(
            "/accounts/login",
            "/accounts/login",
            &[
                ("login", "ann"),
                ("password", PASSWORD),
                ("next", "/nl/accounts/profile"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/nl/accounts/profile");
}

#[tokio::test]
async fn the_language_switch_never_sends_the_user_off_site() {
    let app = TestApp::spawn().await;
    for next in next_attacks() {
        let r = app
            .client
            .get(app.url("/lang/nl"))
            .query(&[("next", &next)])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_redirection(), "next={next:?}");
        assert_eq!(location(&r), "/nl/", "next={next:?}");
        let r = app.switch_language("nl", &next).await;
        assert!(r.status().is_redirection(), "POST next={next:?}");
        assert_eq!(location(&r), "/nl/", "POST next={next:?}");
    }
}
