//! Cached models and related lookups: reads by any declared lookup, whole small tables filled
//! with a chunked multi-set, related rows for many parents in one query, invalidation on
//! write. Queries are counted by PostgreSQL itself (pg_stat_statements, per test database).

use futures_util::future::BoxFuture;
use hud::cache::{Cache, CacheSettings, Lookup, Model, Ttl};
use hud::web::users::PROFILE_BY_USER;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use crate::common::*;

/// How often PostgreSQL ran statements containing `needle` in this test's database.
async fn calls(db: &PgPool, needle: &str) -> i64 {
    sqlx::query_scalar::<_, Option<i64>>(
        "SELECT sum(calls)::int8 FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND query LIKE '%' || $1 || '%' AND query NOT LIKE '%pg_stat_statements%'",
    )
    .bind(needle)
    .fetch_one(db)
    .await
    .unwrap()
    .unwrap_or(0)
}

async fn database() -> PgPool {
    let db = PgPool::connect(&fresh_database().await).await.unwrap();
    hud::db::migrate(&db).await.unwrap();
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(&db)
        .await
        .unwrap();
    db
}

fn cache(db: &PgPool, version: &str, local_bytes: u64, multi_set_batch: usize) -> Cache {
    let mut settings = CacheSettings {
        servers: memcached_servers(),
        version: version.to_owned(),
        local_bytes,
        ..CacheSettings::default()
    };
    settings.remote.multi_set_batch = multi_set_batch;
    Cache::new(settings, 1, Some(db.clone()))
}

/// A small table of the tests' own, cached whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Colour {
    id: i64,
    name: String,
}

impl Model for Colour {
    const NAME: &'static str = "colour";
    const TTL: Ttl = Ttl::minutes(5);

    fn lookups(&self) -> Vec<Lookup> {
        vec![
            Lookup::new("id", self.id),
            Lookup::new("name", self.name.to_lowercase()),
        ]
    }

    fn load_by(db: PgPool, by: Lookup) -> BoxFuture<'static, sqlx::Result<Option<Self>>> {
        Box::pin(async move {
            let sql = match by.field {
                "id" => "SELECT id, name FROM colours WHERE id::text = $1",
                "name" => "SELECT id, name FROM colours WHERE lower(name) = $1",
                _ => return Ok(None),
            };
            let row: Option<(i64, String)> = sqlx::query_as(sql)
                .bind(by.value)
                .fetch_optional(&db)
                .await?;
            Ok(row.map(|(id, name)| Colour { id, name }))
        })
    }

    fn load_all(db: PgPool) -> BoxFuture<'static, sqlx::Result<Vec<Self>>> {
        Box::pin(async move {
            let rows: Vec<(i64, String)> =
                sqlx::query_as("SELECT id, name FROM colours ORDER BY id")
                    .fetch_all(&db)
                    .await?;
            Ok(rows
                .into_iter()
                .map(|(id, name)| Colour { id, name })
                .collect())
        })
    }
}

/// The model's own write function: update, and invalidate the row's keys everywhere in the
/// same transaction.
async fn rename(db: &PgPool, cache: &Cache, before: &Colour, name: &str) -> Colour {
    let mut tx = db.begin().await.unwrap();
    sqlx::query("UPDATE colours SET name = $2 WHERE id = $1")
        .bind(before.id)
        .bind(name)
        .execute(&mut *tx)
        .await
        .unwrap();
    cache.commit(tx, Colour::row_keys(before)).await.unwrap();
    Colour {
        id: before.id,
        name: name.to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn all_fills_the_local_tier_under_every_lookup() {
    let db = database().await;
    sqlx::query("CREATE TABLE colours (id int8 PRIMARY KEY, name text NOT NULL)")
        .execute(&db)
        .await
        .unwrap();
    // 150 rows × 2 lookups = 300 entries: far past the 100 where Django's set_many failed.
    sqlx::query("INSERT INTO colours SELECT i, 'Colour ' || i FROM generate_series(1, 150) i")
        .execute(&db)
        .await
        .unwrap();
    let version = uuid::Uuid::new_v4().simple().to_string();
    let a = cache(&db, &version, 8 << 20, 16);

    let all = Colour::all(&a, &db).await.unwrap();
    assert_eq!(all.len(), 150);
    assert_eq!(calls(&db, "FROM colours ORDER BY id").await, 1);
    for id in [1, 75, 150] {
        let by_id = Colour::by_fields(&a, &db, Lookup::new("id", id))
            .await
            .unwrap();
        assert_eq!(by_id.unwrap().name, format!("Colour {id}"));
    }
    assert_eq!(calls(&db, "FROM colours WHERE").await, 0, "filled by all()");

    // memcached gets a row's keys only through a lease, when they are read one by one (a
    // store without a lease could undo an invalidation): another process without a local
    // tier loads each row once, and then finds it there.
    let b = cache(&db, &version, 0, 16);
    for _ in 0..2 {
        for colour in &all {
            let by_name =
                Colour::by_fields(&b, &db, Lookup::new("name", colour.name.to_lowercase()));
            assert_eq!(by_name.await.unwrap().as_ref(), Some(colour));
        }
    }
    assert_eq!(
        calls(&db, "FROM colours WHERE").await,
        150,
        "each row loaded once, then read from memcached"
    );
    assert_eq!(Colour::all(&b, &db).await.unwrap(), all);
    assert_eq!(calls(&db, "FROM colours ORDER BY id").await, 1);

    // A write through the model's function is seen by both, under every lookup.
    let renamed = rename(&db, &a, &all[9], "Ultramarine").await;
    let by_id = Colour::by_fields(&b, &db, Lookup::new("id", 10))
        .await
        .unwrap();
    assert_eq!(by_id.as_ref(), Some(&renamed));
    let old_name = Colour::by_fields(&b, &db, Lookup::new("name", "colour 10")).await;
    assert_eq!(old_name.unwrap(), None);
    let list = Colour::all(&a, &db).await.unwrap();
    assert_eq!(list[9], renamed);
}

#[tokio::test(flavor = "multi_thread")]
async fn related_rows_of_many_parents_take_one_query() {
    let db = database().await;
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO users (username, email, password_hash)
         SELECT 'user' || i, 'user' || i || '@example.org', 'x' FROM generate_series(1, 20) i
         RETURNING id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let version = uuid::Uuid::new_v4().simple().to_string();
    let a = cache(&db, &version, 8 << 20, 64);
    const PROFILES: &str = "FROM users WHERE id = ANY";

    let mut wanted = ids.clone();
    wanted.push(999_999); // no such user: cached as absent
    let profiles = PROFILE_BY_USER.get_many(&a, &db, &wanted).await.unwrap();
    assert_eq!(profiles.len(), 20);
    assert_eq!(profiles[&ids[3]].username, "user4");
    assert_eq!(calls(&db, PROFILES).await, 1, "one query for 21 parents");

    PROFILE_BY_USER.get_many(&a, &db, &wanted).await.unwrap();
    assert_eq!(
        PROFILE_BY_USER
            .get(&a, &db, 999_999)
            .await
            .unwrap()
            .map(|p| p.id),
        None
    );
    assert_eq!(
        calls(&db, PROFILES).await,
        1,
        "all cached, the absent one too"
    );

    // Another process reads them from memcached with one multi-get, no query.
    let b = cache(&db, &version, 8 << 20, 64);
    assert_eq!(
        PROFILE_BY_USER.get_many(&b, &db, &ids).await.unwrap().len(),
        20
    );
    assert_eq!(calls(&db, PROFILES).await, 1);

    // A write invalidates one parent: the next batch loads only that one, with one query.
    hud::apps::accounts::model::set_preferences(&db, &a, ids[5], Some(hud::i18n::Lang::Sv), None)
        .await
        .unwrap();
    let again = PROFILE_BY_USER.get_many(&a, &db, &ids).await.unwrap();
    assert_eq!(again[&ids[5]].preferred_language.as_deref(), Some("sv"));
    assert_eq!(calls(&db, PROFILES).await, 2);
    let stats = a.stats();
    let ns = stats
        .iter()
        .find(|s| s.namespace == "user_profile")
        .unwrap();
    assert_eq!(ns.loads, 2);

    // Fifty concurrent single reads of an invalidated parent share one query.
    a.invalidate(&PROFILE_BY_USER.key_for(&ids[7])).await;
    let reads = (0..50).map(|_| PROFILE_BY_USER.get(&a, &db, ids[7]));
    for profile in futures_util::future::join_all(reads).await {
        assert_eq!(profile.unwrap().unwrap().username, "user8");
    }
    assert_eq!(calls(&db, PROFILES).await, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_profile_page_reads_through_the_cache() {
    let app = TestApp::spawn_with(|c| c.cache.memcached = memcached_servers()).await;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(&app.db)
        .await
        .unwrap();
    app.create_user("lena", PASSWORD, false).await;
    app.login("lena", PASSWORD).await;
    for _ in 0..5 {
        let page = app.get("/accounts/profile").await;
        assert_eq!(page.status(), 200);
    }
    // Login writes last_login_at and invalidates; after that one load, the page is cached.
    assert_eq!(calls(&app.db, "FROM users WHERE id = ANY").await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn warm_up_caches_public_pages_in_every_language() {
    let app = TestApp::spawn_with(|c| {
        c.cache.memcached = memcached_servers();
        c.telemetry.diagnostic_headers = true;
    })
    .await;
    let report = hud::web::warm::warm(&app.state).await;
    // "/", "/pages" and "/prognosis/models", in five languages.
    assert_eq!((report.pages, report.failures), (15, 0), "{report:?}");
    // Another instance finds them in memcached, this one in its local tier.
    let sibling = app.sibling().await;
    for instance in [&app, &sibling] {
        for path in ["/", "/nl/", "/sv/", "/nb/", "/fr/"] {
            let response = instance
                .new_client()
                .get(instance.url(path))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            assert_eq!(response.headers()["x-hud-cache"], "hit", "{path}");
        }
    }
}
