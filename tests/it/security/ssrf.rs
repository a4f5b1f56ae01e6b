//! Finding 8 (and the crawl part of 12), SSRF: a registered URL whose host is an IPv6 form that
//! carries a private IPv4 address (NAT64, IPv4-compatible, -mapped, 6to4, Teredo) is never
//! fetched, and its public crawl outcome is exactly that of a name that does not resolve; no
//! outcome shows an error chain (addresses, OS errors).

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use hud::apps::wordcloud::fetch::NO_PUBLIC_ADDRESS;

use crate::{common::*, crawl::crawl_to_the_end};

#[tokio::test(flavor = "multi_thread")]
async fn embedded_private_addresses_are_refused_and_look_like_dns_failures() {
    // An internal service on loopback, counting every connection it gets.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    tokio::spawn(async move {
        while let Ok((_stream, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let app = TestApp::spawn_with(|c| c.crawl.timeout_secs = 2).await;
    let (_, dns_outcome, dns_detail) =
        crawl_to_the_end(&app, "http://no-such-host.invalid/page").await;
    assert_eq!(dns_outcome, "unreachable");
    assert_eq!(dns_detail.as_deref(), Some(NO_PUBLIC_ADDRESS));
    for host in [
        "127.0.0.1".to_owned(),
        "[::ffff:127.0.0.1]".into(),
        "[::127.0.0.1]".into(),
        "[::ffff:0:127.0.0.1]".into(),
        "[64:ff9b::127.0.0.1]".into(),
        "[64:ff9b::a9fe:a9fe]".into(),
        "[64:ff9b:1::a00:1]".into(),
        "[2002:7f00:1::1]".into(),
        "[2002:a9fe:a9fe::1]".into(),
        "[2001:0:7f00:1::1]".into(),
        // Teredo whose (inverted) client address is 10.0.0.1.
        "[2001:0:808:808:0:f227:f5ff:fffe]".into(),
    ] {
        let url = format!("http://{host}:{port}/page");
        let (_, outcome, detail) = crawl_to_the_end(&app, &url).await;
        assert_eq!(
            (outcome.as_str(), detail.as_deref()),
            (dns_outcome.as_str(), dns_detail.as_deref()),
            "{url}: must look like a DNS failure"
        );
    }
    assert_eq!(connections.load(Ordering::SeqCst), 0, "nothing connected");
}

#[tokio::test(flavor = "multi_thread")]
async fn error_chains_stay_in_the_log() {
    // A port nobody listens on, which the allow list opens.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let app = TestApp::spawn_with(|c| {
        c.crawl.allow = vec![format!("127.0.0.1:{port}")];
        c.crawl.timeout_secs = 2;
    })
    .await;
    let (_, outcome, detail) =
        crawl_to_the_end(&app, &format!("http://127.0.0.1:{port}/page")).await;
    assert_eq!(outcome, "unreachable");
    assert_eq!(detail.as_deref(), Some("connection failed"));
}
