//! The test harness: a HUD server on a loopback port with its own fresh database.

use std::path::PathBuf;

use hud::{AppState, Config};
use reqwest::{Client, Response, StatusCode, redirect::Policy};
use scraper::{Html, Selector};
use sqlx::{Connection, PgConnection, PgPool, postgres::PgConnectOptions};
use tokio::net::TcpListener;

/// A running HUD for one test.
#[derive(Clone)]
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// A browser-like client: keeps cookies, does not follow redirects.
    pub client: Client,
    /// The test's own database.
    pub db: PgPool,
    /// The state the server runs with.
    pub state: AppState,
    /// Scratch directory (data dir).
    pub dir: PathBuf,
    /// URL of the test's database (for `hud` processes a test starts).
    pub database_url: String,
}

/// `DATABASE_URL` of the throwaway server started by `make test`.
pub fn database_url() -> String {
    std::env::var("DATABASE_URL").expect(
        "DATABASE_URL is not set: run the tests with `make test`, which starts PostgreSQL, \
         memcached and chromedriver for them",
    )
}

/// The two memcached servers started by `make test`.
pub fn memcached_servers() -> Vec<String> {
    std::env::var("HUD_TEST_MEMCACHED")
        .expect("HUD_TEST_MEMCACHED is not set: run the tests with `make test`")
        .split(',')
        .map(str::to_owned)
        .collect()
}

/// Create an empty database and return its URL.
pub async fn fresh_database() -> String {
    let url = database_url();
    let name = format!("hud_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&url)
        .await
        .expect("connect to the test server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let options: PgConnectOptions = url.parse().expect("valid DATABASE_URL");
    let options = options.database(&name);
    // Rebuild a URL for code that wants one (e.g. spawned `hud` processes).
    format!(
        "postgres://{}@{}:{}/{}",
        options.get_username(),
        options.get_host(),
        options.get_port(),
        name
    )
}

/// The repository's root, read when the test runs: cargo sets `CARGO_MANIFEST_DIR` for the test
/// process too. (The compile-time `env!` would bake in the path of whichever checkout first built
/// the binary, and cargo reuses a build from another checkout that shares the target directory.)
pub fn repo_root() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
}

/// A unique scratch directory.
pub fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hud-it-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Default test configuration.
pub fn test_config(dir: &std::path::Path) -> Config {
    let mut config = Config::defaults();
    config.database.url = None;
    config.data_dir = dir.to_path_buf();
    config.server.secret_key = Some("test secret key of sufficient length 0123456789".into());
    config.apps = None;
    // Tests share the memcached servers: keep each test's keys apart.
    config.cache.version = uuid::Uuid::new_v4().simple().to_string();
    // Every test client is 127.0.0.1: the API limits have their own tests (api_rate_limit).
    config.server.api_rate_limit = 1_000_000;
    config.server.api_rate_limit_anonymous = 1_000_000;
    config
}

impl TestApp {
    /// Start with the default configuration.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Start with a tweaked configuration.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let url = fresh_database().await;
        let db = PgPool::connect(&url)
            .await
            .expect("connect to test database");
        hud::db::migrate(&db).await.expect("migrations");
        let dir = scratch_dir();
        let mut config = test_config(&dir);
        tweak(&mut config);
        let state = hud::state(config, db.clone()).await.expect("state");
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        serve(listener, &state);
        TestApp {
            base: format!("http://{addr}"),
            client: client(),
            db,
            state,
            dir,
            database_url: url,
        }
    }

    /// A second HUD instance ("process") on the same database, memcached pool, secret key and
    /// cache version, with its own state (local cache tier, invalidation listener). Its client
    /// starts without cookies.
    pub async fn sibling(&self) -> TestApp {
        self.sibling_with(|config| config.data_dir = scratch_dir())
            .await
    }

    /// [`Self::sibling`] with a tweaked configuration (it starts as this instance's).
    pub async fn sibling_with(&self, tweak: impl FnOnce(&mut Config)) -> TestApp {
        self.sibling_on(self.db.clone(), tweak).await
    }

    /// [`Self::sibling_with`] whose state reads PostgreSQL through `db` (e.g. a pool built by
    /// `hud::db::connect`, as `hud serve` builds it).
    pub async fn sibling_on(&self, db: PgPool, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = (*self.state.config).clone();
        tweak(&mut config);
        let state = hud::state(config, db).await.expect("state");
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        serve(listener, &state);
        TestApp {
            base: format!("http://{addr}"),
            client: client(),
            db: self.db.clone(),
            state,
            dir: self.dir.clone(),
            database_url: self.database_url.clone(),
        }
    }

    /// Absolute URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A second, independent browser (no cookies).
    pub fn new_client(&self) -> Client {
        client()
    }

    /// GET with this app's client.
    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// GET a page with a fresh, anonymous client and parse it.
    pub async fn new_client_page(&self, path: &str) -> (StatusCode, Html) {
        let response = self.new_client().get(self.url(path)).send().await.unwrap();
        let status = response.status();
        (
            status,
            Html::parse_document(&response.text().await.unwrap()),
        )
    }

    /// `POST /api/v1/auth/token` for `username` (with the test password) plus `extra` fields.
    pub async fn request_token(
        &self,
        username: &str,
        extra: &serde_json::Value,
    ) -> reqwest::Response {
        let mut body = serde_json::json!({"username": username, "password": PASSWORD});
        if let Some(extra) = extra.as_object() {
            body.as_object_mut().unwrap().extend(extra.clone());
        }
        self.client
            .post(self.url("/api/v1/auth/token"))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// GET `path` with a bearer `token` and decode its JSON answer.
    pub async fn api_json(&self, path: &str, token: &str) -> serde_json::Value {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// GET a page and parse it.
    pub async fn page(&self, path: &str) -> (StatusCode, Html) {
        let response = self.get(path).await;
        let status = response.status();
        (
            status,
            Html::parse_document(&response.text().await.unwrap()),
        )
    }

    /// The CSRF token of the form on `path`.
    pub async fn csrf(&self, path: &str) -> String {
        let (status, html) = self.page(path).await;
        assert!(status.is_success(), "GET {path}: {status}");
        attr(&html, "input[name=csrf_token]", "value").expect("page has a CSRF field")
    }

    /// Submit the form found on `form_path` to `action` with `fields` (CSRF token added, and the
    /// captcha answered when the form has one).
    pub async fn submit(&self, form_path: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let (status, html) = self.page(form_path).await;
        assert!(status.is_success(), "GET {form_path}: {status}");
        let mut all: Vec<(String, String)> = vec![(
            "csrf_token".into(),
            attr(&html, "input[name=csrf_token]", "value").expect("page has a CSRF field"),
        )];
        if let Some(token) = attr(&html, "input[name=captcha_token]", "value") {
            let answer = captcha_answer(&self.db, &token).await;
            all.push(("captcha_token".into(), token));
            all.push(("captcha_answer".into(), answer));
        }
        all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.client
            .post(self.url(action))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    /// Sign up through the form.
    pub async fn signup(&self, username: &str, email: &str, password: &str) -> Response {
        self.submit(
            "/accounts/signup",
            "/accounts/signup",
            &[
                ("username", username),
                ("email", email),
                ("password", password),
                ("password2", password),
            ],
        )
        .await
    }

    /// Log in through the form.
    pub async fn login(&self, login: &str, password: &str) -> Response {
        self.submit(
            "/accounts/login",
            "/accounts/login",
            &[("login", login), ("password", password)],
        )
        .await
    }

    /// Choose a language with the navbar switcher's form (`POST /lang`), as a browser on this
    /// site sends it: same-origin, with the page's CSRF token when it has one.
    pub async fn switch_language(&self, lang: &str, next: &str) -> Response {
        let (_, html) = self.page("/").await;
        let mut form = vec![("lang", lang.to_owned()), ("next", next.to_owned())];
        if let Some(token) = attr(&html, "#language-form input[name=csrf_token]", "value") {
            form.push(("csrf_token", token));
        }
        self.client
            .post(self.url("/lang"))
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin")
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Create a user directly (faster than the form), returning its id.
    pub async fn create_user(&self, username: &str, password: &str, admin: bool) -> i64 {
        let hash = hud::apps::accounts::password::hash(password.to_owned())
            .await
            .unwrap();
        hud::apps::accounts::model::create(
            &self.db,
            username,
            &format!("{username}@example.org"),
            &hash,
            admin,
        )
        .await
        .unwrap()
    }
}

/// Serve the real application on `listener` the way `hud serve` does (same connection limits).
fn serve(listener: TcpListener, state: &AppState) {
    let limits = hud::serve::http::Limits::of(&state.config);
    let app = hud::app(state.clone());
    tokio::spawn(hud::serve::http::serve(
        listener,
        app,
        limits,
        std::future::pending(),
    ));
}

fn client() -> Client {
    hud::apps::wordcloud::fetch::install_crypto_provider();
    Client::builder()
        // Tests look at responses as sent (compression included).
        .no_gzip()
        .no_brotli()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// Parse a selector (panics on a typo in the test).
pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|_| panic!("bad selector {s}"))
}

/// Text of the first element matching `selector`.
pub fn text(html: &Html, selector: &str) -> Option<String> {
    html.select(&sel(selector))
        .next()
        .map(|e| e.text().collect::<String>().trim().to_owned())
}

/// An attribute of the first element matching `selector`.
pub fn attr(html: &Html, selector: &str, name: &str) -> Option<String> {
    html.select(&sel(selector))
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_owned))
}

/// Number of elements matching `selector`.
pub fn count(html: &Html, selector: &str) -> usize {
    html.select(&sel(selector)).count()
}

/// The `Location` header of a redirect.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Run the `hud` binary against a test instance's database, data folder and cache.
pub fn hud_command(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hud"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("HUD_DATA_DIR", &app.state.config.data_dir)
        .env("HUD_MEMCACHED", app.state.config.cache.memcached.join(","))
        .env("HUD_CACHE_VERSION", &app.state.config.cache.version)
        .env(
            "HUD_SECRET_KEY",
            "test secret key of sufficient length 0123456789",
        )
        .output()
        .unwrap()
}

/// A password that passes the policy.
pub const PASSWORD: &str = "correct horse battery staple";

/// The rule of an issued captcha token's challenge and its image's text and marks.
async fn captcha_issue(
    db: &PgPool,
    token: &str,
) -> (
    hud::apps::captcha::rule::AnswerRule,
    String,
    Option<Vec<i16>>,
) {
    use hud::apps::captcha::rule::{AnswerRule, CharClass, Scope, Take};
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT i.text, i.marks, c.scope, c.chars, c.take, c.take_count, c.reverse,
                c.case_sensitive
         FROM captcha_tokens t
         JOIN captcha_images i ON i.id = t.image_id
         JOIN captcha_challenges c ON c.id = t.challenge_id
         WHERE t.token_hash = $1",
    )
    .bind(hud::apps::captcha::service::token_hash(token))
    .fetch_one(db)
    .await
    .expect("the token was issued");
    let rule = AnswerRule {
        scope: Scope::parse(row.get("scope")).unwrap(),
        chars: CharClass::parse(row.get("chars")).unwrap(),
        take: Take::from_db(row.get("take"), row.get("take_count")).unwrap(),
        reverse: row.get("reverse"),
        case_sensitive: row.get("case_sensitive"),
    };
    (rule, row.get("text"), row.get("marks"))
}

/// The right answer for an issued captcha token, read from the database as a person would read
/// it from the picture.
pub async fn captcha_answer(db: &PgPool, token: &str) -> String {
    let (rule, text, marks) = captcha_issue(db, token).await;
    let drawn = hud::apps::captcha::rule::Drawn {
        text: &text,
        marks: marks.as_deref(),
    };
    rule.expected(drawn).expect("the challenge fits the image")
}

/// What the audio alternative of an issued captcha token says: the characters of the part of
/// the picture its challenge asks about.
pub async fn captcha_spoken(db: &PgPool, token: &str) -> String {
    let (rule, text, marks) = captcha_issue(db, token).await;
    let drawn = hud::apps::captcha::rule::Drawn {
        text: &text,
        marks: marks.as_deref(),
    };
    rule.spoken(drawn).expect("the challenge fits the image")
}

/// Register a page at `url` through the model's own function; its id.
pub async fn registered_page(app: &TestApp, url: &str) -> i64 {
    hud::apps::wordcloud::model::add(&app.db, &app.state.cache, url, None, None)
        .await
        .unwrap()
}

/// Store a successful crawl of `page` at `at` (RFC 3339) with `words`, as a crawl job would,
/// without the network.
pub async fn stored_crawl(app: &TestApp, page: i64, at: &str, words: &[(&str, i32)]) {
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .with_timezone(&chrono::Utc);
    stored_crawl_in(app, page, at, "en", words).await;
}

/// [`stored_crawl`] at an instant, in a given language.
pub async fn stored_crawl_in(
    app: &TestApp,
    page: i64,
    at: chrono::DateTime<chrono::Utc>,
    language: &str,
    words: &[(&str, i32)],
) {
    use hud::apps::wordcloud::model;
    let mut counts: Vec<(String, i32)> = words.iter().map(|(w, n)| (w.to_string(), *n)).collect();
    counts.sort();
    model::store_crawl(
        &app.db,
        &app.state.cache,
        model::NewCrawl {
            page_id: page,
            job_id: None,
            crawled_at: at,
            outcome: "ok",
            http_status: Some(200),
            detail: None,
            language: Some(language.into()),
            page_title: None,
            counts: Some(counts),
            etag: None,
            last_modified: None,
        },
    )
    .await
    .unwrap();
}

/// Wait until `done` holds (polling), failing after a generous deadline: tests wait on the
/// event, never assert how long it took (a shared 2-core machine varies by the minute).
pub async fn wait_until<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !done().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}
