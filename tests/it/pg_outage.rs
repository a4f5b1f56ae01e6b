//! PostgreSQL going away under a running instance, and coming back.
//!
//! The instance reads PostgreSQL through a pool built as `hud serve` builds it
//! (`hud::db::connect`), connected through a loopback TCP relay to the test's real server. The
//! relay can be cut: every relayed connection is severed and new ones are refused, which is what
//! a HUD process sees while PostgreSQL restarts or is down. (`bench/pg-restart.sh` restarts and
//! stops the real server under load and measures the recovery.)

use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use tokio::{
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};

use crate::common::{PASSWORD, TestApp};

/// A TCP relay on a fixed loopback port to PostgreSQL that can be cut and restored.
struct Relay {
    port: u16,
    target: String,
    /// The accept loop and every relayed connection, aborted when the relay is cut.
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    async fn start(target: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let relay = Relay {
            port: listener.local_addr().unwrap().port(),
            target,
            tasks: Arc::default(),
        };
        relay.serve(listener);
        relay
    }

    fn serve(&self, listener: TcpListener) {
        let tasks = self.tasks.clone();
        let target = self.target.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                let relayed = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                tasks.lock().unwrap().push(relayed);
            }
        });
        self.tasks.lock().unwrap().push(accept);
    }

    /// Sever every connection and refuse new ones (the listening socket is closed).
    async fn cut(&self) {
        let tasks: Vec<_> = self.tasks.lock().unwrap().drain(..).collect();
        for task in tasks {
            task.abort();
            let _ = task.await;
        }
    }

    /// Accept again, on the same port.
    async fn restore(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.serve(listener);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outage_gets_fast_503s_with_retry_after_and_pages_answer_again_after_it() {
    let app = TestApp::spawn().await;
    app.create_user("root", PASSWORD, true).await;
    let options: sqlx::postgres::PgConnectOptions = app.database_url.parse().unwrap();
    let relay = Relay::start(format!("{}:{}", options.get_host(), options.get_port())).await;
    let relayed_url = format!(
        "postgres://{}@127.0.0.1:{}/{}",
        options.get_username(),
        relay.port,
        options.get_database().unwrap()
    );
    let mut config = (*app.state.config).clone();
    config.database.url = Some(relayed_url);
    config.database.max_connections = 3;
    let db = hud::db::connect(&config).await.unwrap();
    let instance = app
        .sibling_on(db.pool.clone(), |c| *c = config.clone())
        .await;
    instance.login("root", PASSWORD).await;
    assert_eq!(instance.page("/admin/users").await.0, StatusCode::OK);
    let visitor = instance.new_client();
    let home = || visitor.get(instance.url("/")).send();
    assert_eq!(home().await.unwrap().status(), StatusCode::OK);
    let token = crate::api::token(&instance, "root").await;
    let tokens = || {
        instance
            .new_client()
            .get(instance.url("/api/v1/auth/tokens"))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(tokens().await.unwrap().status(), StatusCode::OK);

    relay.cut().await;
    // Uncached pages: a 503 page that says when to come back; the API answers the same way.
    let down = instance.get("/admin/users").await;
    assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(down.headers()["retry-after"], "2");
    let html = scraper::Html::parse_document(&down.text().await.unwrap());
    assert_eq!(
        crate::common::text(&html, "h1").unwrap(),
        hud::i18n::Lang::En.t("error-503-title")
    );
    let api = tokens().await.unwrap();
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(api.headers()["retry-after"], "2");
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    // The cached home page still answers, and readiness says what is wrong.
    assert_eq!(home().await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        instance.get("/readyz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );

    relay.restore().await;
    // Back: at most one failure per pooled connection that broke while idle (sqlx drops a
    // connection whose query failed on its socket), then every request is answered.
    let mut failures = 0;
    while instance.page("/admin/users").await.0 != StatusCode::OK {
        failures += 1;
        assert!(
            failures <= config.database.max_connections,
            "{failures} failures"
        );
    }
    for _ in 0..10 {
        assert_eq!(instance.page("/admin/users").await.0, StatusCode::OK);
    }
    assert_eq!(tokens().await.unwrap().status(), StatusCode::OK);
    assert_eq!(instance.get("/readyz").await.status(), StatusCode::OK);
}
