//! Word-cloud pages over HTTP: adding a page (captcha, validation, duplicates), clouds as HTML,
//! SVG and PNG, time selection in the reader's timezone across a DST change, ranges, ignore
//! lists, and bad query strings.

use hud::apps::wordcloud::{ignore, model};
use reqwest::StatusCode;
use scraper::Html;

use crate::common::*;

const PASSWORD: &str = "correct horse battery";

async fn logged_in(app: &TestApp) {
    app.create_user("gardener", PASSWORD, false).await;
    assert_eq!(
        app.login("gardener", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

/// A page with crawls stored directly (no network): `crawls` = (UTC time, [(word, count)]).
async fn page_with_crawls(app: &TestApp, url: &str, crawls: &[(&str, &[(&str, i32)])]) -> i64 {
    let id = model::add(&app.db, &app.state.cache, url, Some("Garden"), None)
        .await
        .unwrap();
    for (at, words) in crawls {
        stored_crawl(app, id, at, words).await;
    }
    id
}

/// The words of the cloud on a page, in drawing order (each `<text>` holds a `<title>` first).
fn cloud_words(html: &Html) -> Vec<String> {
    html.select(&sel("#cloud svg text"))
        .map(|t| t.text().last().unwrap_or_default().trim().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn adding_a_page_needs_a_login_a_captcha_and_a_new_valid_url() {
    let app = TestApp::spawn().await;
    let r = app.get("/pages/new").await;
    assert!(
        r.status().is_redirection() || r.status() == StatusCode::UNAUTHORIZED,
        "{}",
        r.status()
    );
    logged_in(&app).await;
    // A wrong captcha is refused too.
    let csrf = app.csrf("/pages/new").await;
    let r = app
        .client
        .post(app.url("/pages"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("url", "https://example.org/other"),
            ("captcha_token", "x"),
            ("captcha_answer", "y"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .submit(
            "/pages/new",
            "/pages",
            &[("url", "Example.ORG/news#top"), ("title", "News")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (url, title, added_by): (String, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT url, title, added_by FROM pages")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (url.as_str(), title.as_deref()),
        ("https://example.org/news", Some("News"))
    );
    assert!(added_by.is_some());
    let queued: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs WHERE kind = 'crawl'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(queued, 1, "the first crawl is queued");
    // The same page spelled differently: a clear error, the form kept.
    let r = app
        .submit(
            "/pages/new",
            "/pages",
            &[("url", "https://EXAMPLE.org:443/news"), ("title", "Again")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&r.text().await.unwrap());
    assert!(
        text(&html, "#url-error")
            .unwrap()
            .contains("already registered")
    );
    assert_eq!(attr(&html, "#title", "value").unwrap(), "Again");
    for bad in [
        "ftp://example.org/",
        "https://user:pw@example.org/",
        "not a url at all",
        "",
    ] {
        let r = app.submit("/pages/new", "/pages", &[("url", bad)]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let html = Html::parse_document(&r.text().await.unwrap());
        assert!(text(&html, "#url-error").is_some(), "{bad}");
    }
    let pages: i64 = sqlx::query_scalar("SELECT count(*) FROM pages")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(pages, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn clouds_as_html_svg_and_png() {
    let app = TestApp::spawn().await;
    let id = page_with_crawls(
        &app,
        "https://garden.example/",
        &[(
            "2025-06-01T10:00:00Z",
            &[("tomatoes", 9), ("cucumbers", 4), ("basil", 1)],
        )],
    )
    .await;
    let (status, html) = app.page(&format!("/pages/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let words = cloud_words(&html);
    assert_eq!(words, ["tomatoes", "cucumbers", "basil"], "largest first");
    let tip = html
        .select(&sel("#cloud svg text title"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert_eq!(tip, "tomatoes: 9 times");
    assert!(html.select(&sel("#counts-table tbody tr")).count() == 3);
    let (_, list) = app.page("/pages").await;
    assert!(text(&list, "#pages-list").unwrap().contains("Garden"));
    let svg = app.get(&format!("/pages/{id}/cloud.svg")).await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains(">tomatoes</text>"));
    let png = app
        .get(&format!(
            "/pages/{id}/cloud.png?scale=log&vertical=0&words=10"
        ))
        .await;
    assert_eq!(png.headers()["content-type"], "image/png");
    let image = image::load_from_memory(&png.bytes().await.unwrap()).unwrap();
    // Twice the drawn area, cropped to the words (at most the 800 × 480 canvas).
    assert!(
        image.width() > 200 && image.width() <= 1600,
        "{}",
        image.width()
    );
    assert!(
        image.height() > 60 && image.height() <= 960,
        "{}",
        image.height()
    );
    assert_eq!(
        app.get(&format!("/pages/{id}/cloud.gif")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/pages/999999").await.status(),
        StatusCode::NOT_FOUND
    );
    // A new crawl changes the (cached) cloud at once.
    stored_crawl(&app, id, "2025-06-02T10:00:00Z", &[("peppers", 20)]).await;
    let (_, html) = app.page(&format!("/pages/{id}")).await;
    assert_eq!(cloud_words(&html), ["peppers"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn times_are_read_in_the_readers_timezone_across_daylight_saving() {
    let app = TestApp::spawn().await;
    // Oslo left summer time at 03:00 local (01:00 UTC) on 26 October 2025.
    let id = page_with_crawls(
        &app,
        "https://news.example/",
        &[
            ("2025-10-25T21:30:00Z", &[("saturday", 5)]),
            ("2025-10-26T00:45:00Z", &[("night", 7)]),
            ("2025-10-26T12:00:00Z", &[("sunday", 3)]),
        ],
    )
    .await;
    let user = app.create_user("oslo", PASSWORD, false).await;
    app.login("oslo", PASSWORD).await;
    sqlx::query("UPDATE users SET timezone = 'Europe/Oslo'")
        .execute(&app.db)
        .await
        .unwrap();
    app.state
        .cache
        .invalidate_keys(hud::web::users::user_keys(user))
        .await;
    // 02:30 local happens twice that night; it means the first (00:30 UTC): Saturday's crawl.
    let (_, html) = app.page(&format!("/pages/{id}?at=2025-10-26T02:30")).await;
    assert_eq!(cloud_words(&html), ["saturday"]);
    // 13:00 local is 12:00 UTC in winter time: Sunday's crawl.
    let (_, html) = app.page(&format!("/pages/{id}?at=2025-10-26T13:00")).await;
    assert_eq!(cloud_words(&html), ["sunday"]);
    // The whole local Sunday (25 hours) sums the night and the day, not Saturday evening.
    let (_, html) = app
        .page(&format!("/pages/{id}?from=2025-10-26&to=2025-10-26"))
        .await;
    assert_eq!(cloud_words(&html), ["night", "sunday"]);
    assert!(text(&html, "#cloud-caption").unwrap().contains("2 crawls"));
    // Saturday local (UTC+2) ends at 22:00 UTC: only Saturday evening's crawl.
    let (_, html) = app
        .page(&format!("/pages/{id}?from=2025-10-25&to=2025-10-25"))
        .await;
    assert_eq!(cloud_words(&html), ["saturday"]);
    // A week before: nothing crawled then.
    let (_, html) = app
        .page(&format!("/pages/{id}?from=2025-10-18&to=2025-10-19"))
        .await;
    assert!(text(&html, "#no-crawl").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn ignore_lists_filter_what_is_shown_at_once() {
    let app = TestApp::spawn().await;
    let id = page_with_crawls(
        &app,
        "https://social.example/",
        &[(
            "2025-06-01T10:00:00Z",
            &[("like", 50), ("share", 30), ("election", 10)],
        )],
    )
    .await;
    let list = ignore::create(
        &app.db,
        &app.state.cache,
        "social",
        &ignore::parse_words("Like, SHARE").unwrap(),
    )
    .await
    .unwrap();
    ignore::set_page_lists(&app.db, &app.state.cache, id, &[list])
        .await
        .unwrap();
    let (_, html) = app.page(&format!("/pages/{id}")).await;
    assert_eq!(cloud_words(&html), ["election"]);
    // Before the lists.
    let (_, html) = app.page(&format!("/pages/{id}?raw=1")).await;
    assert_eq!(cloud_words(&html), ["like", "share", "election"]);
    // Changing the list changes the cloud without a crawl.
    ignore::update(
        &app.db,
        &app.state.cache,
        list,
        "social",
        &["like".to_owned()],
    )
    .await
    .unwrap();
    let (_, html) = app.page(&format!("/pages/{id}")).await;
    assert_eq!(cloud_words(&html), ["share", "election"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_query_strings_are_explained_not_fatal() {
    let app = TestApp::spawn().await;
    let id = page_with_crawls(
        &app,
        "https://q.example/",
        &[("2025-06-01T10:00:00Z", &[("words", 2)])],
    )
    .await;
    for query in [
        "at=yesterday",
        "at=%202025-06-01T10:00",
        "scale=cubic",
        "vertical=150",
        "vertical=%2B5",
        "words=5000",
        "raw=yes",
    ] {
        let (status, html) = app.page(&format!("/pages/{id}?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert!(text(&html, ".alert-warning").is_some(), "{query}");
        assert_eq!(cloud_words(&html), ["words"], "{query}: defaults used");
        let svg = app.get(&format!("/pages/{id}/cloud.svg?{query}")).await;
        assert_eq!(svg.status(), StatusCode::BAD_REQUEST, "{query}");
    }
    // Periods as the API reads them: `from` alone runs until now; one that ends before it
    // starts holds no crawls (a warning, and an empty cloud where an image is asked for).
    let (status, html) = app.page(&format!("/pages/{id}?from=2025-06-01")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&html, ".alert-warning").is_none());
    assert_eq!(cloud_words(&html), ["words"]);
    let (_, html) = app.page(&format!("/pages/{id}?to=2025-06-01")).await;
    assert_eq!(cloud_words(&html), ["words"]);
    let reversed = "from=2025-06-02&to=2025-06-01";
    let (status, html) = app.page(&format!("/pages/{id}?{reversed}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        text(&html, ".alert-warning").unwrap(),
        hud::i18n::Lang::En.t("when-range-reversed")
    );
    assert!(text(&html, "#no-crawl").is_some());
    let svg = app.get(&format!("/pages/{id}/cloud.svg?{reversed}")).await;
    assert_eq!(svg.status(), StatusCode::OK);
    assert!(!svg.text().await.unwrap().contains("</text>"));
    let (status, _) = app.page("/pages/not-a-number").await;
    assert!(status.is_client_error());
    // Undecodable bytes are read as replacement characters: a warning, not an error.
    let (status, html) = app.page(&format!("/pages/{id}?at=%ff%fe")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&html, ".alert-warning").is_some());
}

async fn admin(app: &TestApp) -> TestApp {
    let admin = app.sibling().await;
    admin.create_user("root", PASSWORD, true).await;
    assert_eq!(
        admin.login("root", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    admin
}

#[tokio::test(flavor = "multi_thread")]
async fn admins_manage_pages_and_ignore_lists() {
    let app = TestApp::spawn().await;
    let id = page_with_crawls(
        &app,
        "https://social.example/",
        &[("2025-06-01T10:00:00Z", &[("like", 50), ("election", 10)])],
    )
    .await;
    logged_in(&app).await;
    for path in [
        "/admin/pages",
        "/admin/ignore-lists",
        "/admin/jobs",
        &format!("/admin/pages/{id}"),
    ] {
        let r = app.get(path).await;
        let status = r.status();
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            r.text().await.unwrap()
        );
    }
    let admin = admin(&app).await;
    // Ignore lists: validation, duplicates, creation.
    let r = admin
        .submit(
            "/admin/ignore-lists",
            "/admin/ignore-lists",
            &[("name", " "), ("words", "x")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .submit(
            "/admin/ignore-lists",
            "/admin/ignore-lists",
            &[("name", "Social"), ("words", "Like, share")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = admin
        .submit(
            "/admin/ignore-lists",
            "/admin/ignore-lists",
            &[("name", "Social"), ("words", "other")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&r.text().await.unwrap());
    assert!(text(&html, "#name-error").is_some());
    let list: i64 = sqlx::query_scalar("SELECT id FROM ignore_lists")
        .fetch_one(&app.db)
        .await
        .unwrap();
    // Attach it, rename the page, pause it: the public cloud changes at once.
    let r = admin
        .submit(
            &format!("/admin/pages/{id}"),
            &format!("/admin/pages/{id}"),
            &[("title", "Social media"), ("lists", &list.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.new_client_page(&format!("/pages/{id}")).await;
    assert_eq!(cloud_words(&html), ["election"]);
    assert_eq!(text(&html, "#page-name").unwrap(), "Social media");
    let active: bool = sqlx::query_scalar("SELECT active FROM pages")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!active, "unchecked box pauses the page");
    // Re-crawl queues a job once.
    for _ in 0..2 {
        admin
            .submit("/admin/pages", &format!("/admin/pages/{id}/crawl"), &[])
            .await;
    }
    let jobs: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(jobs, 1);
    // Deleting the list restores the words.
    let r = admin
        .submit(
            "/admin/ignore-lists",
            &format!("/admin/ignore-lists/{list}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.new_client_page(&format!("/pages/{id}")).await;
    assert_eq!(cloud_words(&html), ["like", "election"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_jobs_are_shown_and_can_be_retried() {
    let app = TestApp::spawn().await;
    let id = model::add(
        &app.db,
        &app.state.cache,
        "https://fails.example/",
        None,
        None,
    )
    .await
    .unwrap();
    hud::apps::wordcloud::crawl::enqueue(&app.db, id)
        .await
        .unwrap();
    sqlx::query("UPDATE jobs SET state = 'failed', attempts = 4, last_error = 'timed out (test)', finished_at = now()")
        .execute(&app.db)
        .await
        .unwrap();
    let admin = admin(&app).await;
    let (status, html) = admin.page("/admin/jobs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&html, "#jobs").unwrap().contains("timed out (test)"));
    let job: i64 = sqlx::query_scalar("SELECT id FROM jobs")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let r = admin
        .submit("/admin/jobs", &format!("/admin/jobs/{job}/retry"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (state, attempts): (String, i32) = sqlx::query_as("SELECT state, attempts FROM jobs")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((state.as_str(), attempts), ("queued", 0));
    let (_, html) = admin.page("/admin/jobs?state=queued").await;
    assert!(html.select(&sel("#jobs [data-job]")).count() == 1);
    let (status, _) = admin.page("/admin/jobs?state=<script>").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_times_or_two_pages_side_by_side() {
    let app = TestApp::spawn().await;
    let news = page_with_crawls(
        &app,
        "https://news.example/",
        &[
            ("2025-06-07T10:00:00Z", &[("football", 8), ("weather", 3)]),
            ("2025-06-08T10:00:00Z", &[("election", 9), ("weather", 4)]),
        ],
    )
    .await;
    let other = page_with_crawls(
        &app,
        "https://other.example/",
        &[("2025-06-08T11:00:00Z", &[("weather", 2), ("recipes", 5)])],
    )
    .await;
    // Saturday against Sunday (UTC reader).
    let (status, html) = app
        .page(&format!(
            "/pages/compare?a={news}&b={news}&at_a=2025-06-07T12:00&at_b=2025-06-08T12:00"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let sides: Vec<String> = html
        .select(&sel("#compare-clouds figure"))
        .map(|f| {
            f.select(&sel("text"))
                .map(|t| t.text().last().unwrap().to_owned())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(sides, ["football weather", "election weather"]);
    assert_eq!(
        text(&html, "#shared-words").unwrap(),
        "Words both have: weather"
    );
    // What changed, with counts: Saturday's football went, Sunday's election came.
    let rows = |html: &Html, list: &str| -> Vec<String> {
        html.select(&sel(&format!("#{list} li")))
            .map(|li| li.text().collect::<String>())
            .collect()
    };
    assert_eq!(rows(&html, "gained"), ["election0 → 9 +9"]);
    assert_eq!(rows(&html, "lost"), ["football8 → 0 \u{2212}8"]);
    assert_eq!(rows(&html, "rises"), ["weather3 → 4 +1"]);
    assert!(html.select(&sel("#falls-none")).next().is_some());
    // Two pages, latest crawls.
    let (_, html) = app
        .page(&format!("/pages/compare?a={news}&b={other}"))
        .await;
    assert_eq!(html.select(&sel("#compare-clouds figure")).count(), 2);
    assert_eq!(rows(&html, "gained"), ["recipes0 → 5 +5"]);
    assert_eq!(rows(&html, "falls"), ["weather4 → 2 \u{2212}2"]);
    // No choice yet, bad ids, bad times: a form, a 404, a warning.
    let (status, html) = app.page("/pages/compare").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.select(&sel("#compare-form select#a option")).count() == 2);
    assert_eq!(
        app.get("/pages/compare?a=999&b=998").await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, html) = app
        .page(&format!("/pages/compare?a={news}&at_a=someday"))
        .await;
    assert!(text(&html, ".alert-warning").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn word_trends_over_crawls() {
    let app = TestApp::spawn().await;
    let id = page_with_crawls(
        &app,
        "https://trend.example/",
        &[
            ("2025-06-01T10:00:00Z", &[("election", 2), ("weather", 5)]),
            ("2025-06-02T10:00:00Z", &[("election", 6)]),
            ("2025-06-03T10:00:00Z", &[("election", 9), ("weather", 1)]),
        ],
    )
    .await;
    let (status, html) = app
        .page(&format!("/pages/{id}/trend?words=Election,weather"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.select(&sel("#trend .trend-wide polyline")).count(), 2);
    assert_eq!(
        html.select(&sel("#trend .trend-narrow polyline")).count(),
        2
    );
    // A time axis over two days: ticks every few hours (UTC reader), midnights labelled with
    // day and month.
    let ticks: Vec<String> = html
        .select(&sel("#trend .trend-wide text[text-anchor=middle]"))
        .map(|t| t.text().collect())
        .collect();
    assert!(
        ["2 Jun", "3 Jun", "12:00"]
            .iter()
            .all(|l| ticks.contains(&l.to_string())),
        "{ticks:?}"
    );
    let legend: Vec<String> = html
        .select(&sel("#trend-legend li"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(legend, ["election", "weather"]);
    assert!(
        text(&html, "#trend-span")
            .unwrap()
            .starts_with("3 crawls from 1 June 2025")
    );
    let tips: Vec<String> = html
        .select(&sel("#trend .trend-wide g[data-word=weather] circle title"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(tips.len(), 3);
    assert!(
        tips[1].starts_with("weather: 0 on"),
        "a missing word counts 0: {tips:?}"
    );
    let cells: Vec<String> = html
        .select(&sel("#trend-table tbody tr:last-child td"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(&cells[1..], ["9", "1"]);
    // Without words: the latest crawl's top words.
    let (_, html) = app.page(&format!("/pages/{id}/trend")).await;
    assert_eq!(attr(&html, "#words", "value").unwrap(), "election, weather");
    let (_, html) = app
        .page(&format!("/pages/{id}/trend?words=a,b,c,d,e,f,g,h,i"))
        .await;
    assert!(text(&html, ".alert-warning").is_some());
    // One crawl: a readable note and the points in the middle of an hour's window.
    let once = page_with_crawls(
        &app,
        "https://once.example/",
        &[("2025-06-01T10:00:00Z", &[("solo", 2)])],
    )
    .await;
    let (_, html) = app.page(&format!("/pages/{once}/trend")).await;
    assert!(text(&html, "#one-crawl").is_some());
    assert_eq!(
        attr(&html, "#trend .trend-wide circle", "cx").as_deref(),
        Some("408.0")
    );
    assert_eq!(
        app.get("/pages/999/trend").await.status(),
        StatusCode::NOT_FOUND
    );
}
