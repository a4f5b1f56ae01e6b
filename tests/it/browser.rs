//! A real headless Chromium (through chromedriver, started by `make test`): sign up, log in,
//! switch language and timezone, upload an avatar; screenshots at phone and desktop widths
//! go to `target/screenshots/`.

use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::common::*;

pub(crate) async fn browser() -> Client {
    let driver = std::env::var("HUD_TEST_CHROMEDRIVER")
        .expect("HUD_TEST_CHROMEDRIVER is not set: run the tests with `make test`");
    let chromium =
        std::env::var("HUD_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let profile = scratch_dir();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&driver)
        .await
        .expect("chromedriver session")
}

pub(crate) async fn screenshot(client: &Client, name: &str) {
    let dir = crate::common::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

async fn fill(client: &Client, selector: &str, value: &str) {
    let field = client.find(Locator::Css(selector)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

/// The value of a field; empty while the page is between documents (a navigation or a swap
/// underway), so that conditions polled with `wait_until` simply look again.
async fn field_value(client: &Client, selector: &str) -> String {
    match client.find(Locator::Css(selector)).await {
        Ok(field) => field.prop("value").await.ok().flatten().unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn captcha_token(client: &Client) -> String {
    field_value(client, "[data-captcha-token]").await
}

async fn text_of(client: &Client, selector: &str) -> String {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The document's language; empty while the page is between documents (see [`field_value`]).
async fn html_lang(client: &Client) -> String {
    match client.find(Locator::Css("html")).await {
        Ok(html) => html.attr("lang").await.ok().flatten().unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn signup_login_language_timezone_avatar_in_chromium() {
    let app = TestApp::spawn().await;
    let c = browser().await;
    let result = journey(&app, &c).await;
    let _ = c.close().await;
    result.unwrap();
}

async fn journey(app: &TestApp, c: &Client) -> Result<(), fantoccini::error::CmdError> {
    c.set_window_size(1280, 900).await?;
    c.goto(&app.url("/")).await?;
    screenshot(c, "home-1280").await;

    // Sign up.
    c.goto(&app.url("/accounts/signup")).await?;
    fill(c, "#username", "Zoë").await;
    fill(c, "#email", "zoe@example.org").await;
    fill(c, "#password", PASSWORD).await;
    fill(c, "#password2", PASSWORD).await;
    // The captcha: its image loads; "new captcha" swaps it (with JavaScript) without losing
    // what was typed; the answer is read from the test database as a person reads the picture.
    let first_token = captcha_token(c).await;
    let loaded: serde_json::Value = c
        .execute(
            "const i = document.querySelector('[data-captcha-image]'); return i.complete && i.naturalWidth > 0;",
            vec![],
        )
        .await?;
    assert_eq!(loaded, serde_json::Value::Bool(true), "captcha image shown");
    fill(c, "#captcha_answer", "wrong").await;
    c.find(Locator::Css("[data-captcha-refresh]"))
        .await?
        .click()
        .await?;
    wait_until("a new captcha is shown", || async {
        let token = captcha_token(c).await;
        !token.is_empty() && token != first_token
    })
    .await;
    assert_eq!(field_value(c, "#username").await, "Zoë");
    assert_eq!(field_value(c, "#captcha_answer").await, "");
    screenshot(c, "signup-captcha-1280").await;
    // Enter in the answer field submits the form (it does not ask for a new captcha).
    let answer = captcha_answer(&app.db, &captcha_token(c).await).await;
    fill(c, "#captcha_answer", &format!("{answer}\u{E007}")).await;
    c.wait()
        .for_element(Locator::Css("#profile-username"))
        .await?;
    assert_eq!(text_of(c, "#profile-username").await, "Zoë");

    // Log out and in again (logout is a POST form in the user menu).
    open_dropdown(c, "#user-menu", "#logout")
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css("#nav-login")).await?;
    c.goto(&app.url("/accounts/login")).await?;
    fill(c, "#login", "zoe@example.org").await;
    fill(c, "#password", PASSWORD).await;
    c.find(Locator::Css("#login-form button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css("#user-menu")).await?;

    // Switch language with the navbar switcher.
    open_dropdown(
        c,
        "#language-switcher",
        "#language-switcher button[name=lang][value=sv]",
    )
    .await?
    .click()
    .await?;
    wait_until("the page is in Swedish", || async {
        html_lang(c).await == "sv"
    })
    .await;

    // Timezone and avatar on the preferences page.
    c.goto(&app.url("/accounts/preferences")).await?;
    fill(c, "#timezone", "Pacific/Auckland").await;
    c.find(Locator::Css("#preferences-form button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css(".alert-success")).await?;
    let avatar = app.dir.join("avatar.png");
    image::RgbImage::from_fn(300, 200, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 160])
    })
    .save(&avatar)
    .unwrap();
    c.find(Locator::Css("#avatar"))
        .await?
        .send_keys(&avatar.to_string_lossy())
        .await?;
    c.find(Locator::Css("#avatar-form button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css("#user-menu img")).await?;

    c.goto(&app.url("/accounts/profile")).await?;
    assert_eq!(html_lang(c).await, "sv");
    assert_eq!(text_of(c, "#profile-timezone").await, "Pacific/Auckland");
    c.find(Locator::Css("#profile-avatar")).await?;
    screenshot(c, "profile-1280").await;

    // Phone width: the navbar collapses behind its toggler and nothing overflows.
    c.set_window_size(375, 812).await?;
    c.goto(&app.url("/accounts/profile")).await?;
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await?;
    assert_eq!(
        overflow,
        serde_json::Value::Bool(false),
        "no horizontal scrolling at 375 px"
    );
    assert!(
        c.find(Locator::Css(".navbar-toggler"))
            .await?
            .is_displayed()
            .await?
    );
    screenshot(c, "profile-375").await;
    c.find(Locator::Css(".navbar-toggler"))
        .await?
        .click()
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    screenshot(c, "menu-375").await;
    c.goto(&app.url("/accounts/preferences")).await?;
    screenshot(c, "preferences-375").await;
    Ok(())
}

/// Open the dropdown `menu` and return its `item` once it is shown. The toggle works only once
/// the page's scripts have run (deferred: on a busy machine a click can come before them), so
/// wait for those first, and click again if the menu still did not open.
async fn open_dropdown(
    c: &Client,
    menu: &str,
    item: &str,
) -> Result<fantoccini::elements::Element, fantoccini::error::CmdError> {
    wait_until("the page's scripts ran", || async {
        c.execute("return document.readyState === 'complete';", vec![])
            .await
            .is_ok_and(|ready| ready == serde_json::Value::Bool(true))
    })
    .await;
    let toggle = c
        .find(Locator::Css(&format!("{menu} .dropdown-toggle")))
        .await?;
    let entry = c.find(Locator::Css(item)).await?;
    for _ in 0..20 {
        if !entry.is_displayed().await? {
            toggle.click().await?;
        }
        for _ in 0..10 {
            if entry.is_displayed().await? {
                return Ok(entry);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    panic!("the dropdown {menu} did not open");
}

#[tokio::test(flavor = "multi_thread")]
async fn add_a_page_and_read_its_cloud_on_a_phone() {
    // A site on loopback for the crawler.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = listener.local_addr().unwrap();
    let html = "<html lang=en><head><title>Allotment diary</title></head><body><p>Tomatoes, \
                tomatoes and more tomatoes. Beans climb; beans flower. Courgettes everywhere, \
                courgettes, courgettes, courgettes.</p></body></html>";
    let router = axum::Router::new().route(
        "/diary",
        axum::routing::get(move || async move { axum::response::Html(html) }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let app = TestApp::spawn_with(move |c| c.crawl.allow = vec![site.to_string()]).await;
    app.create_user("grower", PASSWORD, false).await;
    let c = browser().await;
    let result = phone_journey(&app, &c, &format!("http://{site}/diary")).await;
    let _ = c.close().await;
    result.unwrap();
}

/// Log `username` in through the form, in a 375 px wide window.
pub(crate) async fn log_in_on_a_phone(
    app: &TestApp,
    c: &Client,
    username: &str,
) -> Result<(), fantoccini::error::CmdError> {
    c.set_window_size(375, 812).await?;
    c.goto(&app.url("/accounts/login")).await?;
    fill(c, "#login", username).await;
    fill(c, "#password", PASSWORD).await;
    c.find(Locator::Css("#login-form button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css("#user-menu")).await?;
    Ok(())
}

async fn phone_journey(
    app: &TestApp,
    c: &Client,
    url: &str,
) -> Result<(), fantoccini::error::CmdError> {
    log_in_on_a_phone(app, c, "grower").await?;
    c.goto(&app.url("/pages/new")).await?;
    fill(c, "#url", url).await;
    let answer = captcha_answer(&app.db, &captcha_token(c).await).await;
    fill(c, "#captcha_answer", &format!("{answer}\u{E007}")).await;
    c.wait().for_element(Locator::Css("#no-crawl")).await?;
    // The crawl runs (a worker in this test), then the cloud is there.
    let worker = hud::workers::worker(&app.state, 0);
    while worker.try_run_once().await.unwrap().is_some() {}
    c.refresh().await?;
    c.wait()
        .for_element(Locator::Css("#cloud svg text"))
        .await?;
    assert_eq!(text_of(c, "#page-name").await, "Allotment diary");
    let first = c
        .execute(
            "return document.querySelector('#cloud svg text').lastChild.textContent;",
            vec![],
        )
        .await?;
    assert_eq!(first, serde_json::Value::String("courgettes".into()));
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await?;
    assert_eq!(
        overflow,
        serde_json::Value::Bool(false),
        "the cloud fits 375 px"
    );
    let width = c
        .execute(
            "return document.querySelector('#cloud svg').getBoundingClientRect().width;",
            vec![],
        )
        .await?;
    assert!(width.as_f64().unwrap() <= 375.0, "{width}");
    screenshot(c, "cloud-375").await;
    // The counts table: a <details> whose summary works with the keyboard.
    let summary = c.find(Locator::Css("#counts-table summary")).await?;
    c.execute(
        "arguments[0].scrollIntoView({block: 'center'});",
        vec![serde_json::to_value(&summary).unwrap()],
    )
    .await?;
    summary.send_keys("\u{E007}").await?;
    assert!(text_of(c, "#counts-table tbody").await.contains("tomatoes"));
    Ok(())
}

/// Import the samples and train and store one model named `name`.
pub(crate) async fn with_a_model(
    app: &TestApp,
    algorithm: hud::apps::prognosis::ml::Algorithm,
    options: hud::apps::prognosis::ml::TrainOptions,
    name: &str,
) {
    use hud::apps::prognosis::{samples, service};
    samples::import_wdbc(&app.db, &app.state.cache)
        .await
        .unwrap();
    service::train_and_store(
        &app.db,
        &app.state.cache,
        &app.state.config.data_dir,
        algorithm,
        options,
        Some(name.into()),
        |_, _| {},
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_prognosis_from_a_searched_sample_on_a_phone_and_a_desktop() {
    let app = TestApp::spawn().await;
    with_a_model(
        &app,
        hud::apps::prognosis::ml::Algorithm::LogisticRegression,
        hud::apps::prognosis::ml::TrainOptions::default(),
        "Logistic",
    )
    .await;
    app.create_user("clinician", PASSWORD, false).await;
    let c = browser().await;
    let result = prognosis_journey(&app, &c).await;
    let _ = c.close().await;
    result.unwrap();
}

async fn prognosis_journey(app: &TestApp, c: &Client) -> Result<(), fantoccini::error::CmdError> {
    log_in_on_a_phone(app, c, "clinician").await?;
    c.goto(&app.url("/prognosis/models")).await?;
    c.find(Locator::Css("#prognosis-link"))
        .await?
        .click()
        .await?;
    c.wait()
        .for_element(Locator::Css("#prognosis-form"))
        .await?;
    // The sample box searches the stored samples (a datalist the browser filters as you type).
    let options = c
        .execute(
            "return document.querySelectorAll('#sample-list option').length;",
            vec![],
        )
        .await?;
    assert_eq!(options, serde_json::json!(569));
    // Tab leaves the box (closing the browser's suggestions).
    fill(c, "#sample", "WDBC-020\u{E004}").await;
    let predict = c.find(Locator::Css("#predict")).await?;
    // Instantly: Bootstrap makes scrolling smooth, and a click mid-scroll misses.
    c.execute(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
        vec![serde_json::to_value(&predict).unwrap()],
    )
    .await?;
    predict.click().await?;
    c.wait().for_element(Locator::Css("#result")).await?;
    // WDBC-020 is benign in the data set.
    let diagnosis = c
        .find(Locator::Css("#result"))
        .await?
        .attr("data-diagnosis")
        .await?;
    assert_eq!(diagnosis.as_deref(), Some("benign"));
    assert!(text_of(c, "#result").await.contains("Benign"));
    assert!(
        text_of(c, "#disclaimer")
            .await
            .contains("not medical advice")
    );
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await?;
    assert_eq!(overflow, serde_json::json!(false), "the result fits 375 px");
    screenshot(c, "prognosis-375").await;
    c.set_window_size(1280, 900).await?;
    c.find(Locator::Css("#result-model")).await?.click().await?;
    c.wait().for_element(Locator::Css("#roc-chart")).await?;
    screenshot(c, "model-1280").await;
    c.goto(&app.url("/prognosis/history")).await?;
    assert!(text_of(c, "#history").await.contains("WDBC-020"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn search_from_the_navbar_on_a_phone() {
    use hud::apps::{search::live, wordcloud::model};
    let app = TestApp::spawn().await;
    let id = model::add(
        &app.db,
        &app.state.cache,
        "https://tomatoes.example/",
        Some("Growing tomatoes"),
        None,
    )
    .await
    .map_err(|_| "page not added")
    .unwrap();
    stored_crawl(
        &app,
        id,
        &(chrono::Utc::now() - chrono::Duration::hours(3)).to_rfc3339(),
        &[("tomatoes", 12), ("greenhouse", 4)],
    )
    .await;
    live::refresh(&app.state).await.unwrap();
    let c = browser().await;
    let result = search_journey(&app, &c).await;
    let _ = c.close().await;
    result.unwrap();
}

async fn search_journey(app: &TestApp, c: &Client) -> Result<(), fantoccini::error::CmdError> {
    c.set_window_size(375, 812).await?;
    c.goto(&app.url("/")).await?;
    // On a phone the search box sits in the collapsed menu.
    c.find(Locator::Css(".navbar-toggler"))
        .await?
        .click()
        .await?;
    let box_ = c
        .wait()
        .for_element(Locator::Css("#nav-search input[name=q]"))
        .await?;
    wait_until("the search box is shown", || async {
        box_.is_displayed().await.unwrap_or(false)
    })
    .await;
    // A typo, then Enter.
    box_.send_keys("tomatoe greenhous\u{E007}").await?;
    c.wait().for_element(Locator::Css("#results li")).await?;
    assert!(
        text_of(c, "#did-you-mean")
            .await
            .contains("tomatoes greenhouse")
    );
    assert_eq!(text_of(c, "#results li mark").await, "tomatoes");
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await?;
    assert_eq!(overflow, serde_json::json!(false), "results fit 375 px");
    screenshot(c, "search-375").await;
    // The link to the page's cloud.
    c.find(Locator::Css("#results .cloud-link"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css("#page-name")).await?;
    assert_eq!(text_of(c, "#page-name").await, "Growing tomatoes");
    Ok(())
}
