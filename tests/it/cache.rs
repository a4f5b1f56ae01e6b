//! The model-cache layer against real memcached servers (two started by `make test`, plus
//! servers these tests start and kill themselves) and a real PostgreSQL.

use std::{
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use hud::cache::{Cache, CacheKey, CacheSettings, Leased, Ttl, memcached::MemcachedTier};
use reqwest::StatusCode;

use crate::common::*;

fn settings(servers: Vec<String>, local_bytes: u64) -> CacheSettings {
    CacheSettings {
        servers,
        // A per-test version keeps tests sharing the memcached servers apart.
        version: uuid::Uuid::new_v4().simple().to_string(),
        local_bytes,
        ..CacheSettings::default()
    }
}

/// A memcached server owned by one test.
pub struct OwnMemcached {
    child: Child,
    pub addr: String,
}

impl OwnMemcached {
    pub fn start() -> OwnMemcached {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("memcached")
            .args([
                "-u",
                "nobody",
                "-l",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-m",
                "64",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("memcached binary (installed by make test)");
        let addr = format!("127.0.0.1:{port}");
        for _ in 0..100 {
            if std::net::TcpStream::connect(&addr).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        OwnMemcached { child, addr }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Freeze the process (SIGSTOP): it keeps its connections and answers nothing.
    pub fn freeze(&self) {
        signal(self.child.id(), "-STOP");
    }

    /// Thaw a frozen process (SIGCONT).
    pub fn thaw(&self) {
        signal(self.child.id(), "-CONT");
    }
}

fn signal(pid: u32, which: &str) {
    let status = Command::new("kill")
        .args([which, &pid.to_string()])
        .status()
        .expect("kill(1)");
    assert!(status.success(), "kill {which} {pid}");
}

impl Drop for OwnMemcached {
    fn drop(&mut self) {
        self.kill();
    }
}

#[tokio::test]
async fn five_megabyte_values_are_chunked_and_a_missing_chunk_is_a_miss() {
    let servers = memcached_servers();
    let tier = MemcachedTier::new(&servers, Default::default());
    let key = format!("it:big:{}", uuid::Uuid::new_v4().simple());
    // Incompressible bytes, so the value really is 5 MB on the wire.
    let value: Vec<u8> = (0..5 * 1024 * 1024).map(|_| rand::random::<u8>()).collect();
    let lease = Duration::from_secs(2);
    let Leased::Won { cas } = tier.lease_get(&key, lease).await else {
        panic!("a miss hands out the lease");
    };
    assert!(
        tier.store_leased(&key, &value, Duration::from_secs(60), cas)
            .await
    );
    match tier.lease_get(&key, lease).await {
        Leased::Value { data } => assert!(data == value, "reassembled exactly"),
        other => panic!("expected a hit, got {other:?}"),
    }
    // Delete one chunk behind the tier's back: the value must read as a miss, not as corrupt.
    let manifest = match tier.get_many(std::slice::from_ref(&key)).await.remove(&key) {
        Some(raw) => hud::cache::codec::Manifest::decode(&raw).expect("main item is a manifest"),
        None => panic!("manifest stored"),
    };
    assert!(manifest.chunks >= 6);
    let hash = blake3::hash(key.as_bytes()).to_hex();
    let chunk = format!("chunk:{}:{:016x}:{}", &hash[..32], manifest.generation, 2);
    for server in &servers {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut raw = tokio::net::TcpStream::connect(server).await.unwrap();
        raw.write_all(format!("delete {chunk}\r\n").as_bytes())
            .await
            .unwrap();
        let mut answer = [0; 64];
        let n = raw.read(&mut answer).await.unwrap();
        assert!(n > 0, "memcached answered the delete");
    }
    assert!(matches!(
        tier.lease_get(&key, lease).await,
        Leased::Won { .. }
    ));
}

#[tokio::test]
async fn big_values_round_trip_through_get_or_load() {
    let cache = Cache::new(settings(memcached_servers(), 0), 1, None);
    let key = CacheKey::new("big").field("id", 1);
    let big: Vec<String> = (0..200_000).map(|i| format!("word{i}")).collect();
    let expected = big.clone();
    let first: Vec<String> = cache
        .get_or_load(&key, Ttl::minutes(1), move || async move {
            Ok::<_, String>(big)
        })
        .await
        .unwrap();
    assert_eq!(first, expected);
    let second: Vec<String> = cache
        .get_or_load(&key, Ttl::minutes(1), || async {
            Err::<Vec<String>, _>("must come from memcached".to_owned())
        })
        .await
        .unwrap();
    assert_eq!(second, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_misses_run_one_loader() {
    let cache = Cache::new(settings(memcached_servers(), 1 << 20), 1, None);
    let calls = Arc::new(AtomicUsize::new(0));
    let key = CacheKey::new("herd").field("id", 7);
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let cache = cache.clone();
            let calls = calls.clone();
            let key = key.clone();
            tokio::spawn(async move {
                cache
                    .get_or_load(&key, Ttl::minutes(1), move || async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        Ok::<_, String>(42u32)
                    })
                    .await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), 42);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_misses_in_two_processes_run_one_loader() {
    let shared = settings(memcached_servers(), 1 << 20);
    // Two independent caches (as two processes would have) over the same memcached servers.
    let a = Cache::new(shared.clone(), 1, None);
    let b = Cache::new(shared, 1, None);
    let calls = Arc::new(AtomicUsize::new(0));
    let key = CacheKey::new("herd2").field("id", 1);
    let mut tasks = Vec::new();
    for cache in [a, b] {
        for _ in 0..20 {
            let cache = cache.clone();
            let calls = calls.clone();
            let key = key.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_load(&key, Ttl::minutes(1), move || async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(150)).await;
                        Ok::<_, String>("value".to_owned())
                    })
                    .await
            }));
        }
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "value");
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the lease kept the second process from loading"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stale_values_are_served_while_one_refresh_runs() {
    let cache = Cache::new(settings(memcached_servers(), 1 << 20), 1, None);
    let key = CacheKey::new("swr").field("id", 1);
    let ttl = Ttl {
        soft: Duration::from_millis(200),
        hard: Duration::from_secs(30),
    };
    let v1: u32 = cache
        .get_or_load(&key, ttl, || async { Ok::<_, String>(1) })
        .await
        .unwrap();
    assert_eq!(v1, 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let calls = Arc::new(AtomicUsize::new(0));
    // The refresh cannot finish before the ten reads are done: a read that waited for it
    // would never return (the timeout turns that into a failure, not a hang).
    let release = Arc::new(tokio::sync::Notify::new());
    let reads = async {
        for _ in 0..10 {
            let (calls, release) = (calls.clone(), release.clone());
            let v: u32 = cache
                .get_or_load(&key, ttl, move || async move {
                    calls.fetch_add(1, Ordering::SeqCst);
                    release.notified().await;
                    Ok::<_, String>(2)
                })
                .await
                .unwrap();
            assert_eq!(v, 1, "stale value served at once");
        }
    };
    tokio::time::timeout(Duration::from_secs(20), reads)
        .await
        .expect("nobody waited for the refresh");
    release.notify_one();
    wait_until("the refresh is stored", || async {
        let v: u32 = cache
            .get_or_load(&key, ttl, || async { Ok::<_, String>(3) })
            .await
            .unwrap();
        v == 2
    })
    .await;
    assert_eq!(calls.load(Ordering::SeqCst), 1, "one background refresh");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_memcached_never_fails_a_request() {
    let mut own = OwnMemcached::start();
    let cache = Cache::new(settings(vec![own.addr.clone()], 0), 1, None);
    let key = CacheKey::new("dead").field("id", 1);
    let v: u32 = cache
        .get_or_load(&key, Ttl::minutes(1), || async { Ok::<_, String>(1) })
        .await
        .unwrap();
    assert_eq!(v, 1);
    let v: u32 = cache
        .get_or_load(&key, Ttl::minutes(1), || async {
            Err::<u32, _>("cached".to_owned())
        })
        .await
        .unwrap();
    assert_eq!(v, 1, "served from memcached");

    own.kill();
    for i in 0..20u32 {
        let v: u32 = cache
            .get_or_load(&key, Ttl::minutes(1), move || async move {
                Ok::<_, String>(100 + i)
            })
            .await
            .unwrap();
        assert_eq!(v, 100 + i, "falls through to the loader");
    }
    assert!(!cache.servers()[0].up, "marked down");
    // Skipped while down, not tried by every request (the first back-off is half a second;
    // a slow machine may see a retry or two).
    let failures = cache.servers()[0].failures;
    assert!(
        (1..=3).contains(&failures),
        "tried once, then skipped: {failures} failures"
    );
    let errors: u64 = cache.stats().iter().map(|s| s.memcached[3]).sum();
    assert_eq!(errors, 20, "every read that could not use it is counted");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_memcached_is_timed_out_and_skipped() {
    // Accepts connections, never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let mut s = settings(vec![addr], 0);
    s.remote.io_timeout = Duration::from_millis(100);
    let cache = Cache::new(s, 1, None);
    for i in 0..10u32 {
        let key = CacheKey::new("hang").field("id", i);
        let v: u32 = cache
            .get_or_load(
                &key,
                Ttl::minutes(1),
                move || async move { Ok::<_, String>(i) },
            )
            .await
            .unwrap();
        assert_eq!(v, i);
    }
    assert!(!cache.servers()[0].up);
    let timeouts = cache.servers()[0].failures;
    assert!(
        (1..=3).contains(&timeouts),
        "one timeout, then skipped: {timeouts}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_in_one_process_is_seen_by_another() {
    let a = TestApp::spawn_with(|c| c.cache.memcached = memcached_servers()).await;
    // Process B: its own state (local tier, LISTEN connection), same database and memcached.
    let b_state = hud::state(
        {
            let mut c = test_config(&a.dir);
            c.cache.memcached = memcached_servers();
            c.cache.version = a.state.config.cache.version.clone();
            c
        },
        a.db.clone(),
    )
    .await
    .unwrap();
    let id = a.create_user("mia", PASSWORD, false).await;
    let read_b = || async {
        hud::web::users::current_user(&b_state.cache, &b_state.db, id)
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(read_b().await.lang, None);
    // Cached in B now; write through A's model function.
    hud::apps::accounts::model::set_preferences(
        &a.db,
        &a.state.cache,
        id,
        Some(hud::i18n::Lang::Fr),
        None,
    )
    .await
    .unwrap();
    wait_until("B serves the new value", || async {
        read_b().await.lang == Some(hud::i18n::Lang::Fr)
    })
    .await;
}

#[tokio::test]
async fn flushing_abandons_cached_entries_but_keeps_sessions() {
    let app = TestApp::spawn_with(|c| c.cache.memcached = memcached_servers()).await;
    app.create_user("nils", PASSWORD, false).await;
    app.login("nils", PASSWORD).await;
    let key = CacheKey::new("flushme").field("id", 1);
    let v: u32 = app
        .state
        .cache
        .get_or_load(&key, Ttl::minutes(5), || async { Ok::<_, String>(1) })
        .await
        .unwrap();
    assert_eq!(v, 1);
    hud::cache::generation::bump(&app.db).await.unwrap();
    wait_until("the flush is applied", || async {
        let v: u32 = app
            .state
            .cache
            .get_or_load(&key, Ttl::minutes(5), || async { Ok::<_, String>(2) })
            .await
            .unwrap();
        v == 2
    })
    .await;
    assert_eq!(
        app.get("/accounts/profile").await.status(),
        StatusCode::OK,
        "still logged in"
    );
}

#[tokio::test]
async fn responses_carry_server_timing() {
    let app = TestApp::spawn_with(|c| c.telemetry.diagnostic_headers = true).await;
    app.create_user("otto", PASSWORD, false).await;
    app.login("otto", PASSWORD).await;
    let r = app.get("/accounts/profile").await;
    let timing = r.headers()["server-timing"].to_str().unwrap().to_owned();
    assert!(
        timing.contains("cache;dur=")
            && timing.contains("db;dur=")
            && timing.contains("total;dur="),
        "{timing}"
    );
    let r = app.get("/accounts/profile").await;
    let timing = r.headers()["server-timing"].to_str().unwrap().to_owned();
    assert!(
        timing.contains("desc=\"hit\""),
        "the user came from the cache: {timing}"
    );
}

async fn home(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    etag: Option<&str>,
) -> reqwest::Response {
    let mut request = client.get(app.url(path));
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    request.send().await.unwrap()
}

/// The `X-Hud-Cache` header (`hit` / `miss`), or empty.
pub fn cache_header(r: &reqwest::Response) -> String {
    r.headers()
        .get("x-hud-cache")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn whole_responses_are_cached_per_language_and_invalidated_by_tag() {
    let app = TestApp::spawn_with(|c| {
        c.cache.memcached = memcached_servers();
        c.telemetry.diagnostic_headers = true;
    })
    .await;
    let anon = app.new_client();
    let first = home(&app, &anon, "/", None).await;
    assert_eq!(cache_header(&first), "miss");
    assert_eq!(first.headers()["cache-control"], "public, max-age=60");
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let body = first.text().await.unwrap();
    let second = home(&app, &anon, "/", None).await;
    assert_eq!(cache_header(&second), "hit");
    assert_eq!(second.text().await.unwrap(), body);
    let not_modified = home(&app, &anon, "/", Some(&etag)).await;
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);

    // Another language is another entry: a Dutch reader never gets the English page.
    let dutch = home(&app, &anon, "/nl/", None).await;
    assert_eq!(cache_header(&dutch), "miss");
    let html = scraper::Html::parse_document(&dutch.text().await.unwrap());
    assert_eq!(attr(&html, "html", "lang").unwrap(), "nl");

    // Parameters the route does not read are not part of the key: they neither miss nor evict.
    assert_eq!(
        cache_header(&home(&app, &anon, "/?z=1&a=2", None).await),
        "hit"
    );

    // Logged-in readers (their pages carry the logout form's CSRF token) are never cached.
    app.create_user("pia", PASSWORD, false).await;
    app.login("pia", PASSWORD).await;
    for _ in 0..2 {
        let r = app.get("/").await;
        assert_eq!(cache_header(&r), "");
        let html = scraper::Html::parse_document(&r.text().await.unwrap());
        assert_eq!(text(&html, "#user-menu .username").unwrap(), "pia");
    }
}

#[tokio::test]
async fn fragments_follow_language_and_avatar_changes() {
    let app = TestApp::spawn().await;
    app.create_user("quinn", PASSWORD, false).await;
    app.login("quinn", PASSWORD).await;
    let nav_login = |lang: hud::i18n::Lang| lang.t("nav-preferences");
    for _ in 0..2 {
        let (_, html) = app.page("/accounts/profile").await;
        let menu = html.select(&sel("#user-menu")).next().unwrap().html();
        assert!(menu.contains(nav_login(hud::i18n::Lang::En)));
    }
    // Switch to Dutch: the very next page has a Dutch navbar, and English readers keep theirs.
    app.submit(
        "/accounts/preferences",
        "/accounts/preferences",
        &[("language", "nl"), ("timezone", "")],
    )
    .await;
    let (_, html) = app.page("/accounts/profile").await;
    let menu = html.select(&sel("#user-menu")).next().unwrap().html();
    assert!(menu.contains(nav_login(hud::i18n::Lang::Nl)), "{menu}");
    assert_eq!(
        text(&html, "#profile-language").unwrap(),
        "Nederlands",
        "profile card re-rendered"
    );
    let english = app.new_client();
    let r = english.get(app.url("/")).send().await.unwrap();
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert_eq!(
        text(&html, "#nav-login").unwrap(),
        hud::i18n::Lang::En.t("nav-login")
    );

    // The logout form in the cached navbar carries this session's own token.
    let (_, html) = app.page("/accounts/profile").await;
    let token = attr(&html, "#user-menu input[name=csrf_token]", "value").unwrap();
    let r = app
        .client
        .post(app.url("/accounts/logout"))
        .form(&[("csrf_token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn admin_cache_page_shows_ratios_and_servers() {
    let app = TestApp::spawn_with(|c| c.cache.memcached = memcached_servers()).await;
    app.create_user("rut", PASSWORD, true).await;
    app.login("rut", PASSWORD).await;
    app.get("/accounts/profile").await;
    app.get("/accounts/profile").await;
    let (status, html) = app.page("/admin/cache").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&html, "#server-table tbody tr"), 2);
    assert!(count(&html, "#hit-ratio-chart rect.hit-chart-bar") >= 1);
    let users = html
        .select(&sel("#namespace-table tbody tr"))
        .find(|row| {
            row.select(&sel("td"))
                .next()
                .map(|td| td.text().collect::<String>())
                == Some("user".into())
        })
        .expect("the user namespace is listed");
    assert!(users.text().collect::<String>().contains('/'));
    let (_, html) = app.page("/admin").await;
    assert!(attr(&html, "#admin-sections a[href='/admin/cache']", "href").is_some());

    let other = app.new_client();
    assert_eq!(
        other
            .get(app.url("/admin/cache"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_are_shared_and_a_logout_is_seen_by_every_instance() {
    let a = TestApp::spawn_with(|c| c.cache.memcached = memcached_servers()).await;
    let b = a.sibling().await;
    a.create_user("sam", PASSWORD, false).await;
    a.login("sam", PASSWORD).await;
    assert_eq!(a.get("/accounts/profile").await.status(), StatusCode::OK);
    // The same browser session, presented to instance B.
    let session = session_cookie_of(&a).await;
    let on_b = |path: &'static str| {
        let c = b.new_client();
        let url = b.url(path);
        let session = session.clone();
        async move {
            c.get(url)
                .header("cookie", format!("hud_session={session}"))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        on_b("/accounts/profile").await.status(),
        StatusCode::OK,
        "B knows the session"
    );
    assert_eq!(
        on_b("/accounts/profile").await.status(),
        StatusCode::OK,
        "now from B's cache"
    );

    let (_, html) = a.page("/accounts/profile").await;
    let token = attr(&html, "#user-menu input[name=csrf_token]", "value").unwrap();
    a.client
        .post(a.url("/accounts/logout"))
        .form(&[("csrf_token", token)])
        .send()
        .await
        .unwrap();
    wait_until("B no longer honours the ended session", || async {
        on_b("/accounts/profile").await.status() != StatusCode::OK
    })
    .await;
}

/// The session cookie `app.client` holds. reqwest's jar is private, so let the client call a
/// throwaway local server (cookies are scoped to the host, not the port) and read the header.
async fn session_cookie_of(app: &TestApp) -> String {
    let echo = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = echo.local_addr().unwrap();
    let server = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut socket, _) = echo.accept().await.unwrap();
        let mut buf = vec![0u8; 8192];
        let n = socket.read(&mut buf).await.unwrap();
        let _ = socket
            .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
            .await;
        String::from_utf8_lossy(&buf[..n]).into_owned()
    });
    let _ = app.client.get(format!("http://{addr}/")).send().await;
    let request = server.await.unwrap();
    request
        .lines()
        .find_map(|l| l.strip_prefix("cookie: "))
        .and_then(|c| c.split("; ").find_map(|kv| kv.strip_prefix("hud_session=")))
        .expect("session cookie")
        .to_owned()
}

/// Every type the sub-apps cache is traced completely by the layout fingerprint (a type it
/// could not trace past a field would not notice a change after that field).
#[test]
fn every_cached_type_has_a_complete_layout_fingerprint() {
    use hud::{
        apps::{captcha, prognosis, wordcloud},
        cache::layout::describe,
        web,
    };
    let shapes = [
        describe::<Vec<wordcloud::model::Page>>(),
        describe::<Option<wordcloud::model::Counts>>(),
        describe::<Vec<wordcloud::ignore::IgnoreList>>(),
        describe::<Vec<prognosis::samples::SampleSummary>>(),
        describe::<Option<prognosis::samples::Sample>>(),
        describe::<Vec<prognosis::catalog::AlgorithmRow>>(),
        describe::<Vec<prognosis::catalog::ModelMeta>>(),
        describe::<Vec<captcha::model::ImageText>>(),
        describe::<Vec<captcha::model::Challenge>>(),
        describe::<web::auth::CurrentUser>(),
        describe::<web::users::UserRecord>(),
    ];
    for shape in shapes {
        assert!(!shape.contains('!'), "incomplete trace:\n{shape}");
    }
}
