//! The model-cache layer under races and faults: a committed write is never undone by a load
//! that raced it, a frozen memcached, a lost listener connection, a dead lease holder or a
//! second cache version. Interleavings are forced with barriers, never with sleeps; where a
//! test must wait for something to happen (a listener catching up), it waits on the event with
//! a generous deadline as a guard only.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use hud::cache::{Cache, CacheKey, CacheSettings, Ttl, generation};
use sqlx::PgPool;
use tokio::sync::Barrier;

use crate::{
    cache::{OwnMemcached, cache_header},
    common::*,
};

const TTL: Ttl = Ttl::minutes(5);

fn settings(servers: Vec<String>, version: &str, local_bytes: u64) -> CacheSettings {
    CacheSettings {
        servers,
        version: version.to_owned(),
        local_bytes,
        heartbeat: Duration::from_millis(200),
        ..CacheSettings::default()
    }
}

fn version() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

async fn database() -> PgPool {
    let db = PgPool::connect(&fresh_database().await).await.unwrap();
    hud::db::migrate(&db).await.unwrap();
    db
}

/// A cache of a "process" on `db`, listening for the others' invalidations; returns once its
/// listener is connected and has caught up.
async fn process(db: &PgPool, settings: CacheSettings) -> Cache {
    let cache = Cache::new(settings, 1, Some(db.clone()));
    cache.listen(db.clone());
    wait_until("the listener connects", || async { cache.listening() }).await;
    cache
}

/// A reader that takes `key`'s lease and then dies (like a killed process: nothing of it runs
/// again, not even its destructors).
async fn hold_lease_and_die(cache: &Cache, key: &CacheKey) {
    let loading = Arc::new(Barrier::new(2));
    let in_loader = loading.clone();
    let mut read = Box::pin(cache.get_or_load(key, TTL, move || async move {
        in_loader.wait().await;
        std::future::pending::<Result<u32, String>>().await
    }));
    tokio::select! {
        _ = &mut read => unreachable!("the loader never finishes"),
        _ = loading.wait() => {}
    }
    std::mem::forget(read);
}

/// Two readers in two more processes, let go at once; how many loads they ran in all.
async fn two_readers(version: &str, key: &CacheKey) -> usize {
    let loads = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(2));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let cache = Cache::new(settings(memcached_servers(), version, 0), 1, None);
            let (key, loads, start) = (key.clone(), loads.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                cache
                    .get_or_load(&key, TTL, move || async move {
                        loads.fetch_add(1, Ordering::SeqCst);
                        Ok::<_, String>(7u32)
                    })
                    .await
                    .unwrap()
            })
        })
        .collect();
    for reader in readers {
        assert_eq!(reader.await.unwrap(), 7);
    }
    loads.load(Ordering::SeqCst)
}

/// Read `key` through `cache`, loading `value` on a miss.
async fn read(cache: &Cache, key: &CacheKey, value: u32) -> u32 {
    cache
        .get_or_load(key, TTL, move || async move { Ok::<_, String>(value) })
        .await
        .unwrap()
}

/// The head of the invalidation log.
async fn log_head(db: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT seq FROM cache_state")
        .fetch_one(db)
        .await
        .unwrap()
}

/// A load that read V1, held at a barrier while the key is invalidated, must not leave V1 in
/// either tier (it was stored until its TTL: a logout or a revoked admin right undone).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_load_overtaken_by_an_invalidation_stores_nothing() {
    for servers in [memcached_servers(), Vec::new()] {
        let version = version();
        let a = Cache::new(settings(servers.clone(), &version, 1 << 20), 1, None);
        let key = CacheKey::new("race").field("id", 1);
        let read_v1 = Arc::new(Barrier::new(2));
        let invalidated = Arc::new(Barrier::new(2));
        let loading = {
            let (a, key, read_v1, invalidated) =
                (a.clone(), key.clone(), read_v1.clone(), invalidated.clone());
            tokio::spawn(async move {
                a.get_or_load(&key, TTL, move || async move {
                    // V1 is read from PostgreSQL here…
                    read_v1.wait().await;
                    // …and the write commits and invalidates before the load stores it.
                    invalidated.wait().await;
                    Ok::<_, String>(1u32)
                })
                .await
                .unwrap()
            })
        };
        read_v1.wait().await;
        a.invalidate(&key).await;
        invalidated.wait().await;
        assert_eq!(
            loading.await.unwrap(),
            1,
            "the racing reader itself gets V1"
        );

        assert!(!a.holds_locally(&key), "local tier kept V1 ({servers:?})");
        assert_eq!(read(&a, &key, 2).await, 2, "V1 served after the write");
        if !servers.is_empty() {
            let b = Cache::new(settings(servers, &version, 0), 1, None);
            assert_eq!(read(&b, &key, 3).await, 2, "memcached holds the reload");
        }
    }
}

/// A value read from memcached while the key is invalidated must not be put in the local tier
/// after the invalidation was applied there.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_batch_load_overtaken_by_an_invalidation_stores_nothing() {
    let version = version();
    let a = Cache::new(settings(memcached_servers(), &version, 1 << 20), 1, None);
    let keys: Vec<CacheKey> = (0..3)
        .map(|i| CacheKey::new("batch").field("id", i))
        .collect();
    let (found, slots) = a.get_many::<u32>(&keys, TTL).await;
    assert!(found.iter().all(Option::is_none));
    // V1 of every key is loaded now; a write replaces key 1 before the values are stored.
    a.invalidate(&keys[1]).await;
    let entries: Vec<(CacheKey, u32)> = keys.iter().cloned().zip([10, 11, 12]).collect();
    a.put_many(slots, &entries, TTL).await;

    assert!(a.holds_locally(&keys[0]));
    assert!(!a.holds_locally(&keys[1]), "invalidated while loading");
    let b = Cache::new(settings(memcached_servers(), &version, 0), 1, None);
    assert_eq!(read(&b, &keys[0], 0).await, 10);
    assert_eq!(read(&b, &keys[1], 21).await, 21, "memcached kept V1");
}

/// memcached frozen (SIGSTOP) while a write commits: no process may read the replaced value
/// from it once it is thawed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_frozen_memcached_never_serves_what_a_write_replaced() {
    let own = OwnMemcached::start();
    let db = database().await;
    let version = version();
    let mut s = settings(vec![own.addr.clone()], &version, 0);
    s.remote.io_timeout = Duration::from_millis(100);
    let a = process(&db, s.clone()).await;
    let b = process(&db, s).await;
    let key = CacheKey::new("frozen").field("id", 1);
    assert_eq!(read(&a, &key, 1).await, 1);
    assert_eq!(
        read(&b, &key, 9).await,
        1,
        "B reads A's value from memcached"
    );

    own.freeze();
    // B notices the freeze first (its read times out and the server is marked down)…
    assert_eq!(read(&b, &key, 1).await, 1);
    // …then B's write commits: B must not skip the server, and A, which learns of the write
    // from the log, must invalidate it there too.
    let tx = db.begin().await.unwrap();
    b.commit(tx, [key.clone()]).await.unwrap();
    let head = log_head(&db).await;
    wait_until("A applies the write", || async {
        a.applied_invalidations() >= head
    })
    .await;
    own.thaw();

    for (name, cache) in [("A", &a), ("B", &b)] {
        wait_until("the server is used again", || async {
            cache.servers().iter().all(|s| s.up && s.pending == 0)
        })
        .await;
        assert_eq!(
            read(cache, &key, 2).await,
            2,
            "{name} read the replaced value"
        );
    }
}

/// The listener's connection terminated while the generation is bumped: the process must
/// adopt the new generation (it kept its old key prefix and missed every later invalidation).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_listener_that_lost_its_connection_catches_up() {
    let db = database().await;
    let a = process(&db, settings(memcached_servers(), &version(), 1 << 20)).await;
    let key = CacheKey::new("gen").field("id", 1);
    let before = a.full_key(&key);
    // Cut the listener off and bump the generation while it is away.
    let terminated: i64 = sqlx::query_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(terminated >= 1, "found the listener's backend");
    generation::bump(&db).await.unwrap();
    // An invalidation logged without any NOTIFY (as if it had been lost on the way).
    sqlx::query(
        "WITH next AS (UPDATE cache_state SET seq = seq + 1 RETURNING seq)
         INSERT INTO cache_invalidations (seq, keys) SELECT seq, ARRAY['gen:id=2'] FROM next",
    )
    .execute(&db)
    .await
    .unwrap();
    let head = log_head(&db).await;
    let generation = generation::current(&db).await.unwrap();
    wait_until("A adopts the new generation and the log", || async {
        a.applied_invalidations() >= head
    })
    .await;
    assert_ne!(a.full_key(&key), before);
    assert!(a.full_key(&key).contains(&format!(".{generation}:")));
}

/// A lease holder that dies without storing: the others wait for its lease to lapse and then
/// exactly one of them loads (all of them loaded after 500 ms, with the lease held for 10 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_dead_lease_holder_costs_one_load_across_processes() {
    let version = version();
    let key = CacheKey::new("holder").field("id", 1);
    let dead = Cache::new(settings(memcached_servers(), &version, 0), 1, None);
    hold_lease_and_die(&dead, &key).await;
    assert_eq!(two_readers(&version, &key).await, 1);
}

/// A holder whose load is cancelled (a dropped request) gives its lease up at once: again one
/// load in all.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancelled_lease_holder_costs_one_load_across_processes() {
    let version = version();
    let key = CacheKey::new("cancel").field("id", 1);
    let a = Cache::new(settings(memcached_servers(), &version, 0), 1, None);
    let loading = Arc::new(Barrier::new(2));
    let holder = {
        let (a, key, loading) = (a.clone(), key.clone(), loading.clone());
        tokio::spawn(async move {
            a.get_or_load(&key, TTL, move || async move {
                loading.wait().await;
                std::future::pending::<Result<u32, String>>().await
            })
            .await
        })
    };
    loading.wait().await;
    holder.abort();
    let _ = holder.await;
    assert_eq!(two_readers(&version, &key).await, 1);
}

/// Two cache versions share memcached and PostgreSQL during a rolling deploy: each applies the
/// other's invalidations to its own keys (broadcasts carried the full prefixed key).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invalidations_cross_cache_versions() {
    let db = database().await;
    let old = process(&db, settings(memcached_servers(), &version(), 1 << 20)).await;
    let new = process(&db, settings(memcached_servers(), &version(), 1 << 20)).await;
    let key = CacheKey::new("deploy").field("id", 1);
    assert_eq!(read(&old, &key, 1).await, 1);
    assert_eq!(read(&new, &key, 1).await, 1);
    let tx = db.begin().await.unwrap();
    new.commit(tx, [key.clone()]).await.unwrap();
    let head = log_head(&db).await;
    wait_until("the old version applies it", || async {
        old.applied_invalidations() >= head
    })
    .await;
    assert_eq!(read(&old, &key, 2).await, 2, "the old version kept V1");
}

/// A struct changed without a `HUD_CACHE_VERSION` bump (two builds of one version sharing
/// memcached): postcard would decode the old bytes as the new struct with its fields swapped.
/// The layout fingerprint makes the new build load instead, and leave the old build's item
/// alone, so each build keeps reading its own value.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_changed_layout_is_loaded_never_decoded_wrong() {
    #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Before {
        width: u32,
        height: u32,
    }
    #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct After {
        height: u32,
        width: u32,
    }
    let db = database().await;
    let shared = version();
    // No local tier: every read goes to memcached, as a second process's first read would.
    let old = process(&db, settings(memcached_servers(), &shared, 0)).await;
    let new = process(&db, settings(memcached_servers(), &shared, 0)).await;
    let key = CacheKey::new("layout").field("id", 1);
    let before = Before {
        width: 640,
        height: 480,
    };
    let stored = before.clone();
    let got = old
        .get_or_load(&key, TTL, || async move { Ok::<_, String>(stored) })
        .await
        .unwrap();
    assert_eq!(got, before);
    let loads = Arc::new(AtomicUsize::new(0));
    for _ in 0..3 {
        let counted = loads.clone();
        let after = new
            .get_or_load(&key, TTL, || async move {
                counted.fetch_add(1, Ordering::SeqCst);
                Ok::<_, String>(After {
                    height: 480,
                    width: 640,
                })
            })
            .await
            .unwrap();
        assert_eq!(
            after,
            After {
                height: 480,
                width: 640
            },
            "never {{height: 640, width: 480}}"
        );
    }
    assert_eq!(
        loads.load(Ordering::SeqCst),
        3,
        "the old layout's item reads as a miss"
    );
    let again = old
        .get_or_load(&key, TTL, || async {
            Err::<Before, _>("must come from memcached".to_owned())
        })
        .await
        .unwrap();
    assert_eq!(again, before, "the old build's item was left alone");
}

/// A write whose writer dies right after COMMIT (before it could invalidate anything) is
/// still applied by every process: the invalidation is part of the transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_whose_writer_dies_after_commit_is_still_invalidated() {
    let db = database().await;
    let reader = process(&db, settings(memcached_servers(), &version(), 1 << 20)).await;
    let key = CacheKey::new("orphan").field("id", 1);
    assert_eq!(read(&reader, &key, 1).await, 1);
    // The writer: its transaction records the invalidation, commits, and nothing else runs.
    let mut tx = db.begin().await.unwrap();
    Cache::record(&mut tx, std::slice::from_ref(&key))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let head = log_head(&db).await;
    wait_until("the reader applies it", || async {
        reader.applied_invalidations() >= head
    })
    .await;
    assert!(!reader.holds_locally(&key));
    assert_eq!(read(&reader, &key, 2).await, 2);
}

/// Items larger than a shard's share of the local budget were silently never kept.
#[tokio::test]
async fn a_five_megabyte_value_is_kept_locally() {
    let cache = Cache::new(settings(Vec::new(), &version(), 16 << 20), 1, None);
    let key = CacheKey::new("large").field("id", 1);
    let big: Vec<u64> = (0..5 * 1024 * 1024 / 8).map(|i| i * 7919).collect();
    let expected = big.clone();
    let first: Vec<u64> = cache
        .get_or_load(&key, TTL, move || async move { Ok::<_, String>(big) })
        .await
        .unwrap();
    assert_eq!(first, expected);
    assert!(cache.holds_locally(&key));
}

/// The anonymous `/pages` list is cached; adding a page (in another process) shows in it at
/// once — the write invalidates the list's tag (it stayed stale for its 20-minute lifetime).
#[tokio::test(flavor = "multi_thread")]
async fn a_new_page_shows_in_the_cached_list_of_every_instance() {
    let a = TestApp::spawn_with(|c| {
        c.cache.memcached = memcached_servers();
        c.telemetry.diagnostic_headers = true;
    })
    .await;
    let b = a.sibling().await;
    let anon = a.new_client();
    let first = anon.get(a.url("/pages")).send().await.unwrap();
    assert_eq!(cache_header(&first), "miss");
    for app in [&a, &b] {
        let again = anon.get(app.url("/pages")).send().await.unwrap();
        assert_eq!(cache_header(&again), "hit", "{} serves it cached", app.base);
    }
    let id = hud::apps::wordcloud::model::add(
        &a.db,
        &a.state.cache,
        "https://example.org/new",
        Some("A new page"),
        None,
    )
    .await
    .unwrap();
    let head = log_head(&a.db).await;
    wait_until("B applies the write", || async {
        b.state.cache.applied_invalidations() >= head
    })
    .await;
    for app in [&a, &b] {
        let (_, html) = app.new_client_page("/pages").await;
        assert_eq!(
            count(&html, &format!("#pages-list [data-page=\"{id}\"]")),
            1,
            "{} lists the new page",
            app.base
        );
    }
}

/// `/nl/pages` links keep the `/nl` prefix; `/pages` read in Dutch through the language cookie
/// links without it. They shared one entry, so one of them got the other's links.
#[tokio::test]
async fn the_url_language_prefix_is_part_of_the_response_key() {
    let app = TestApp::spawn_with(|c| {
        c.cache.memcached = memcached_servers();
        c.telemetry.diagnostic_headers = true;
    })
    .await;
    let by_cookie = app.new_client();
    let cookie = || {
        by_cookie
            .get(app.url("/pages"))
            .header("cookie", "hud_lang=nl")
    };
    let first = cookie().send().await.unwrap();
    assert_eq!(cache_header(&first), "miss");
    let html = scraper::Html::parse_document(&first.text().await.unwrap());
    assert_eq!(attr(&html, "html", "lang").as_deref(), Some("nl"));
    let link = attr(&html, "a[href*=\"login\"]", "href").unwrap();
    assert!(link.starts_with("/accounts/"), "unprefixed links: {link}");
    assert_eq!(cache_header(&cookie().send().await.unwrap()), "hit");

    let prefixed = app
        .new_client()
        .get(app.url("/nl/pages"))
        .send()
        .await
        .unwrap();
    assert_eq!(cache_header(&prefixed), "miss", "a separate entry");
    let html = scraper::Html::parse_document(&prefixed.text().await.unwrap());
    let link = attr(&html, "a[href*=\"login\"]", "href").unwrap();
    assert!(link.starts_with("/nl/"), "prefixed links: {link}");
}

/// Query parameters a route does not read are left out of the key: `?z=N` neither misses
/// (re-rendering a cloud PNG on every request) nor evicts the hot entries.
#[tokio::test]
async fn unknown_query_parameters_neither_miss_nor_evict() {
    let app = TestApp::spawn_with(|c| {
        c.cache.memcached = memcached_servers();
        c.telemetry.diagnostic_headers = true;
    })
    .await;
    let id = registered_page(&app, "https://example.org/z").await;
    stored_crawl(
        &app,
        id,
        "2025-06-01T12:00:00Z",
        &[("alpha", 5), ("beta", 3)],
    )
    .await;
    // The listener applies the writes' invalidations a second time (from the log); let it,
    // or the page tag it bumps would miss the entries stored below.
    let head = log_head(&app.db).await;
    wait_until("the listener applies the writes", || async {
        app.state.cache.applied_invalidations() >= head
    })
    .await;
    let anon = app.new_client();
    let get = |path: String| anon.get(app.url(&path)).send();
    let png = format!("/pages/{id}/cloud.png?from=1900-01-01&to=2100-01-01");
    assert_eq!(cache_header(&get(png.clone()).await.unwrap()), "miss");
    for n in 0..5 {
        let r = get(format!("{png}&z={n}")).await.unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::OK);
        assert_eq!(cache_header(&r), "hit", "z={n}");
    }
    // A parameter the route does read is part of the key.
    assert_eq!(
        cache_header(
            &get(format!("/pages/{id}/cloud.png?words=10"))
                .await
                .unwrap()
        ),
        "miss"
    );
}

/// A write committed while a response renders: the response keeps the tag tokens read before
/// its handler ran, so it is stored already dead and the next reader gets the new render (read
/// after the render, the tokens would be the write's fresh ones and the old body would be
/// served until the hard TTL).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_response_rendered_across_a_write_is_never_served() {
    use axum::{body::Body, extract::Request, middleware::from_fn_with_state, routing::get};
    use hud::web::middleware::{
        context::Ctx,
        response_cache::{self, CachePolicy, tag_key},
    };
    use std::sync::atomic::AtomicU32;
    use tower::ServiceExt;

    static VERSION: AtomicU32 = AtomicU32::new(1);
    static RENDERS: AtomicU32 = AtomicU32::new(0);
    let app = TestApp::spawn_with(|c| c.cache.memcached = memcached_servers()).await;
    let rendering = Arc::new(Barrier::new(2));
    let written = Arc::new(Barrier::new(2));
    let (in_handler, after_write) = (rendering.clone(), written.clone());
    let handler = move || {
        let (in_handler, after_write) = (in_handler.clone(), after_write.clone());
        async move {
            let body = format!("v{}", VERSION.load(Ordering::SeqCst));
            if RENDERS.fetch_add(1, Ordering::SeqCst) == 0 {
                in_handler.wait().await;
                after_write.wait().await;
            }
            body
        }
    };
    const POLICY: CachePolicy = CachePolicy {
        ttl: Ttl::minutes(10),
        per_user: false,
        cache_control: "no-cache",
        query: &[],
        tags: |_, _| vec!["probe".to_owned()],
    };
    let router = axum::Router::new()
        .route("/probe", get(handler))
        .route_layer(from_fn_with_state(
            (app.state.clone(), POLICY),
            response_cache::cache,
        ))
        .layer(axum::middleware::map_request(
            |mut req: Request| async move {
                req.extensions_mut().insert(Ctx {
                    lang: hud::i18n::Lang::En,
                    tz: chrono_tz::UTC,
                    user: None,
                    token: None,
                    url_lang: None,
                    path: "/probe".to_owned(),
                    api: false,
                });
                req
            },
        ));
    let fetch = |router: axum::Router| async move {
        let response = router
            .oneshot(Request::get("/probe").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        String::from_utf8(body.to_vec()).unwrap()
    };
    let first = tokio::spawn(fetch(router.clone()));
    rendering.wait().await;
    // The write: new data, and its tag invalidated, while the first response is rendering.
    VERSION.store(2, Ordering::SeqCst);
    app.state.cache.invalidate(&tag_key("probe")).await;
    written.wait().await;
    assert_eq!(first.await.unwrap(), "v1", "rendered before the write");
    assert_eq!(
        fetch(router.clone()).await,
        "v2",
        "the old render is never served"
    );
    assert_eq!(RENDERS.load(Ordering::SeqCst), 2);
    assert_eq!(fetch(router).await, "v2");
    assert_eq!(
        RENDERS.load(Ordering::SeqCst),
        2,
        "the new render is cached"
    );
}
