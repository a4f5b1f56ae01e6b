//! Finding 6, slowloris and idle connections: a client that drips its request head a byte at a
//! time, or opens a connection and says nothing, must not hold it for ever, and thousands of
//! idle connections must not stop others from being served.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::common::*;

/// Far beyond any timeout the tests set: only a server that never cuts the client reaches it.
const GUARD: Duration = Duration::from_secs(60);

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

/// Read until the server closes the connection (EOF or reset); what it sent.
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return seen,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_client_dripping_its_headers_is_cut_off() {
    let app = TestApp::spawn_with(|c| c.server.header_read_timeout_secs = 2).await;
    let mut stream = TcpStream::connect(addr(&app)).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: hud\r\nX-Slow: ")
        .await
        .unwrap();
    let (mut read, mut write) = stream.into_split();
    let drip = async {
        // One byte a second, for as long as the server lets it.
        while write.write_all(b"a").await.is_ok() {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    };
    let closed = async {
        let mut buf = [0u8; 1024];
        while let Ok(n) = read.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    };
    let started = Instant::now();
    tokio::select! {
        () = closed => {}
        () = drip => {}
        () = tokio::time::sleep(GUARD) => panic!("still connected after {GUARD:?}"),
    }
    assert!(started.elapsed() < GUARD);
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = TestApp::spawn_with(|c| c.server.keep_alive_idle_secs = 2).await;
    let mut stream = TcpStream::connect(addr(&app)).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: hud\r\n\r\n")
        .await
        .unwrap();
    let answer = tokio::time::timeout(GUARD, until_closed(&mut stream))
        .await
        .expect("the idle connection is closed");
    assert!(answer.starts_with(b"HTTP/1.1 200"), "answered first");
}

/// Raise this process's open-file limit (client and server ends of every connection live in
/// the test process) to at least `wanted`, or as far as the hard limit allows; the soft limit.
fn raise_open_files(wanted: u64) -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        if limit.rlim_cur < wanted {
            limit.rlim_cur = wanted.min(limit.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
    }
    limit.rlim_cur
}

/// Open `n` connections that say nothing (half after one request, kept alive).
async fn idle_connections(app: &TestApp, n: usize) -> Vec<TcpStream> {
    let mut idle = Vec::with_capacity(n);
    for i in 0..n {
        let mut stream = TcpStream::connect(addr(app)).await.unwrap();
        if i % 2 == 0 {
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: hud\r\n\r\n")
                .await
                .unwrap();
            let mut buf = [0u8; 512];
            let n = stream.read(&mut buf).await.unwrap();
            assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        }
        idle.push(stream);
    }
    idle
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_idle_connections_do_not_stop_new_requests() {
    // 2,000 client ends, 2,000 server ends, the database and memcached.
    let files = raise_open_files(4_600);
    assert!(
        files >= 4_600,
        "the hard open-file limit ({files}) is too low for this test"
    );
    let app = TestApp::spawn().await;
    let idle = idle_connections(&app, 2_000).await;
    let r = tokio::time::timeout(GUARD, app.new_client().get(app.url("/")).send())
        .await
        .expect("served while 2,000 connections idle")
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_beyond_the_cap_only_delay_new_requests() {
    // More idle connections than the server serves at once: the newcomer waits in the backlog
    // until the timeouts free slots, then it is served.
    let app = TestApp::spawn_with(|c| {
        c.server.max_connections = 100;
        c.server.header_read_timeout_secs = 2;
        c.server.keep_alive_idle_secs = 2;
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(TcpStream::connect(addr(&app)).await.unwrap());
    }
    let r = tokio::time::timeout(GUARD, app.new_client().get(app.url("/healthz")).send())
        .await
        .expect("served once the idle connections were cut")
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    drop(idle);
}
