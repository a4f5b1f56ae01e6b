//! Finding 5, IPv6 rate limits: an attacker rotating through the addresses of one /64 shares
//! one bucket (clients are told apart by `X-Forwarded-For` behind a trusted proxy).

use reqwest::StatusCode;

use crate::common::*;

/// A token request from `ip` (as the trusted proxy reports it) for an unknown account.
async fn token_request(app: &TestApp, ip: &str, n: usize) -> StatusCode {
    app.client
        .post(app.url("/api/v1/auth/token"))
        .header("x-forwarded-for", ip)
        .json(&serde_json::json!({"username": format!("nobody{n}"), "password": "wrong"}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn addresses_of_one_ipv6_network_share_a_login_bucket() {
    let app = TestApp::spawn_with(|c| {
        c.server.trust_proxy = true;
        c.accounts.login_limit_per_ip = 3;
    })
    .await;
    // Three attempts, each from a different address of 2001:db8:a:b::/64, use up the limit …
    for n in 1..=3 {
        let ip = format!("2001:db8:a:b:{n:x}:{:x}::{n:x}", n * 7919);
        assert_eq!(token_request(&app, &ip, n).await, StatusCode::UNAUTHORIZED);
    }
    // … so the fourth, from yet another address of the network, is refused …
    assert_eq!(
        token_request(&app, "2001:db8:a:b:ffff:ffff:ffff:fffe", 4).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // … also on the login form, which shares the bucket.
    let r = app
        .client
        .post(app.url("/accounts/login"))
        .header("x-forwarded-for", "2001:db8:a:b::99")
        .header("x-csrf-token", app.csrf("/accounts/login").await)
        .form(&[("login", "nobody"), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // The next network and IPv4 clients have their own buckets.
    assert_eq!(
        token_request(&app, "2001:db8:a:c::1", 5).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        token_request(&app, "203.0.113.7", 6).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_ipv6_prefix_is_configurable() {
    let app = TestApp::spawn_with(|c| {
        c.server.trust_proxy = true;
        c.accounts.login_limit_per_ip = 1;
        c.server.rate_limit_ipv6_prefix = 48;
    })
    .await;
    assert_eq!(
        token_request(&app, "2001:db8:a:1::1", 1).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        token_request(&app, "2001:db8:a:2::1", 2).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the same /48"
    );
}
