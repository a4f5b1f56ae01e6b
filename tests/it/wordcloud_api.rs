//! The word-cloud JSON API: pages (with captcha), word counts by time, the SVG, and ignore lists
//! for admins; errors as problem+json.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

const PASSWORD: &str = "correct horse battery";

async fn token(app: &TestApp, name: &str, admin: bool) -> String {
    app.create_user(name, PASSWORD, admin).await;
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({ "username": name, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn captcha(app: &TestApp) -> (String, String) {
    let c: Value = app.get("/api/v1/captcha").await.json().await.unwrap();
    let token = c["token"].as_str().unwrap().to_owned();
    let answer = captcha_answer(&app.db, &token).await;
    (token, answer)
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_are_registered_with_a_token_and_a_captcha() {
    let app = TestApp::spawn().await;
    let body = |url: &str, token: &str, answer: &str| json!({ "url": url, "title": "Tech", "captcha_token": token, "captcha_answer": answer });
    let anonymous = app
        .client
        .post(app.url("/api/v1/pages"))
        .json(&body("tech.example", "", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let bearer = token(&app, "mobile", false).await;
    let post = |payload: Value| {
        app.client
            .post(app.url("/api/v1/pages"))
            .bearer_auth(&bearer)
            .json(&payload)
            .send()
    };
    let (t, _) = captcha(&app).await;
    let r = post(body("tech.example", &t, "wrong")).await.unwrap();
    // Refused until the captcha is solved (checked first: 403, not 422).
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "captcha_answer");
    let r = post(body("ftp://tech.example", "", "")).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (t, a) = captcha(&app).await;
    let r = post(body("ftp://tech.example", &t, &a)).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["field"],
        "url"
    );
    let (t, a) = captcha(&app).await;
    let r = post(body("Tech.Example/#x", &t, &a)).await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["url"], "https://tech.example/");
    assert_eq!(page["name"], "Tech");
    let (t, a) = captcha(&app).await;
    let r = post(body("https://tech.example:443/", &t, &a))
        .await
        .unwrap();
    // Already registered: a conflict with the state.
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["field"],
        "url"
    );
    let list: Value = app.get("/api/v1/pages").await.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let id = page["id"].as_i64().unwrap();
    let one = app.get(&format!("/api/v1/pages/{id}")).await;
    assert_eq!(one.status(), StatusCode::OK);
    let missing = app.get("/api/v1/pages/424242").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        missing.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn word_counts_by_time_and_the_svg() {
    let app = TestApp::spawn().await;
    let id = registered_page(&app, "https://times.example/").await;
    stored_crawl(
        &app,
        id,
        "2025-06-01T10:00:00Z",
        &[("monday", 4), ("shared", 1)],
    )
    .await;
    stored_crawl(
        &app,
        id,
        "2025-06-02T10:00:00Z",
        &[("tuesday", 6), ("shared", 2)],
    )
    .await;
    let get = |q: &str| {
        app.client
            .get(app.url(&format!("/api/v1/pages/{id}/wordcounts{q}")))
            .send()
    };
    let latest: Value = get("").await.unwrap().json().await.unwrap();
    assert_eq!(latest["words"][0], json!({ "word": "tuesday", "count": 6 }));
    let at: Value = get("?at=2025-06-01T12:00:00%2B02:00")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(at["words"][0]["word"], "monday");
    let range: Value = get("?from=2025-06-01&to=2025-06-02&limit=1")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(range["crawls"], 2);
    assert_eq!(range["words"].as_array().unwrap().len(), 1);
    assert_eq!(range["words"][0], json!({ "word": "tuesday", "count": 6 }));
    let early = get("?at=2020-01-01T00:00:00Z").await.unwrap();
    assert_eq!(early.status(), StatusCode::NOT_FOUND);
    // `from` alone: until now; `to` alone: from the first crawl; an instant as well as a day.
    let from: Value = get("?from=2025-06-02").await.unwrap().json().await.unwrap();
    assert_eq!(from["crawls"], 1);
    assert_eq!(from["words"][0]["word"], "tuesday");
    assert!(from.get("notice").is_none(), "{from}");
    let to: Value = get("?to=2025-06-01T23:00:00Z")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(to["crawls"], 1);
    assert_eq!(to["words"][0]["word"], "monday");
    // A period that ends before it starts, or holds no crawl: 200 with nothing in it.
    for (query, notice) in [
        (
            "?from=2025-06-02&to=2025-06-01",
            Some("when-range-reversed"),
        ),
        ("?from=2024-01-01&to=2024-12-31", None),
    ] {
        let r = get(query).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{query}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["crawls"], 0, "{query}");
        assert_eq!(body["crawled_at"], Value::Null, "{query}");
        assert_eq!(body["words"], json!([]), "{query}");
        assert_eq!(body["notice"]["code"].as_str(), notice, "{query}: {body}");
        let svg = app
            .get(&format!("/api/v1/pages/{id}/cloud.svg{query}"))
            .await;
        assert_eq!(svg.status(), StatusCode::OK, "{query}");
        assert_eq!(
            svg.headers()
                .get("hud-notice")
                .map(|v| v.to_str().unwrap().to_owned())
                .as_deref(),
            notice
        );
    }
    for bad in [
        "?at=noon",
        "?at=%202025-06-01T12:00:00Z",
        "?limit=0",
        "?limit=x",
        "?limit=%2B5",
        "?from=2025-13-01",
        "?raw=2",
    ] {
        let r = get(bad).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{bad}"
        );
    }
    let svg = app
        .get(&format!("/api/v1/pages/{id}/cloud.svg?words=10"))
        .await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains(">tuesday</text>"));
    let bad = app
        .get(&format!("/api/v1/pages/{id}/cloud.svg?scale=huge"))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    for path in [
        "/api/v1/pages",
        "/api/v1/pages/{id}",
        "/api/v1/pages/{id}/wordcounts",
        "/api/v1/pages/{id}/cloud.svg",
        "/api/v1/ignore-lists",
        "/api/v1/ignore-lists/{id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ignore_lists_are_managed_by_admins() {
    let app = TestApp::spawn().await;
    let user = token(&app, "plain", false).await;
    let admin = token(&app, "root", true).await;
    let r = app
        .client
        .get(app.url("/api/v1/ignore-lists"))
        .bearer_auth(&user)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let create = |payload: Value| {
        app.client
            .post(app.url("/api/v1/ignore-lists"))
            .bearer_auth(&admin)
            .json(&payload)
            .send()
    };
    let r = create(json!({ "name": "Social", "words": ["Like", "share", "like"] }))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let list: Value = r.json().await.unwrap();
    assert_eq!(list["words"], json!(["like", "share"]));
    let r = create(json!({ "name": "Social", "words": [] }))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "name taken");
    let r = create(json!({ "name": "", "words": ["x"] })).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = create(json!({ "name": 5 })).await.unwrap();
    assert!(r.status().is_client_error());
    let id = list["id"].as_i64().unwrap();
    let r = app
        .client
        .put(app.url(&format!("/api/v1/ignore-lists/{id}")))
        .bearer_auth(&admin)
        .json(&json!({ "name": "Social media", "words": ["retweet"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let all: Value = app.api_json("/api/v1/ignore-lists", &admin).await;
    assert_eq!(all[0]["name"], "Social media");
    let delete = || {
        app.client
            .delete(app.url(&format!("/api/v1/ignore-lists/{id}")))
            .bearer_auth(&admin)
            .send()
    };
    assert_eq!(delete().await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(delete().await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn comparisons_trends_and_the_png_cloud_through_the_api() {
    let app = TestApp::spawn().await;
    let page = registered_page(&app, "https://market.example/").await;
    stored_crawl(
        &app,
        page,
        "2026-11-07T12:00:00Z",
        &[("apples", 9), ("pears", 4), ("plums", 2)],
    )
    .await;
    stored_crawl(
        &app,
        page,
        "2026-11-08T12:00:00Z",
        &[("apples", 5), ("pears", 7), ("quinces", 3)],
    )
    .await;
    let other = registered_page(&app, "https://orchard.example/").await;
    stored_crawl(&app, other, "2026-11-08T13:00:00Z", &[("apples", 1)]).await;

    // Saturday against Sunday.
    let r = app
        .get(&format!(
            "/api/v1/pages/{page}/compare?at=2026-11-07T18:00:00Z&with_at=2026-11-08T18:00:00Z"
        ))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["left"]["crawled_at"], "2026-11-07T12:00:00Z");
    assert_eq!(c["right"]["page_id"], page);
    assert_eq!(c["right"]["words"][0], json!({"word": "pears", "count": 7}));
    assert_eq!(
        c["gained"],
        json!([{"word": "quinces", "before": 0, "after": 3}])
    );
    assert_eq!(
        c["lost"],
        json!([{"word": "plums", "before": 2, "after": 0}])
    );
    assert_eq!(
        c["rises"],
        json!([{"word": "pears", "before": 4, "after": 7}])
    );
    assert_eq!(
        c["falls"],
        json!([{"word": "apples", "before": 9, "after": 5}])
    );
    assert_eq!(c["shared"], json!(["apples", "pears"]));
    // Two pages, each at its latest crawl; before a page's first crawl, no words.
    let c: Value = app
        .get(&format!("/api/v1/pages/{page}/compare?with={other}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["right"]["words"], json!([{"word": "apples", "count": 1}]));
    let c: Value = app
        .get(&format!(
            "/api/v1/pages/{page}/compare?at=2026-01-01T00:00:00Z"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["left"]["crawled_at"], Value::Null);
    assert_eq!(c["gained"], json!([]));
    // Bad input, named.
    for (query, status, field) in [
        ("at=yesterday", StatusCode::UNPROCESSABLE_ENTITY, Some("at")),
        (
            "with_at=2026-13-01T00:00",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("with_at"),
        ),
        ("with=abc", StatusCode::UNPROCESSABLE_ENTITY, Some("with")),
        ("with=424242", StatusCode::NOT_FOUND, None),
    ] {
        let r = app
            .get(&format!("/api/v1/pages/{page}/compare?{query}"))
            .await;
        assert_eq!(r.status(), status, "{query}");
        if let Some(field) = field {
            let problem: Value = r.json().await.unwrap();
            assert_eq!(problem["errors"][0]["field"], field, "{query}");
        }
    }

    // The trend of chosen words, oldest crawl first; by default the latest crawl's top words.
    let t: Value = app
        .get(&format!("/api/v1/pages/{page}/trend?words=Pears,plums"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(t["words"], json!(["pears", "plums"]));
    assert_eq!(
        t["crawls"],
        json!([
            {"crawled_at": "2026-11-07T12:00:00Z", "counts": [4, 2]},
            {"crawled_at": "2026-11-08T12:00:00Z", "counts": [7, 0]},
        ])
    );
    let t: Value = app
        .get(&format!("/api/v1/pages/{page}/trend"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(t["words"], json!(["pears", "apples", "quinces"]));
    let r = app
        .get(&format!(
            "/api/v1/pages/{page}/trend?words=a,b,c,d,e,f,g,h,i"
        ))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["field"],
        "words"
    );
    assert_eq!(
        app.get("/api/v1/pages/424242/trend").await.status(),
        StatusCode::NOT_FOUND
    );

    // The cloud as PNG.
    let r = app.get(&format!("/api/v1/pages/{page}/cloud.png")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    let png = r.bytes().await.unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(
        app.get(&format!("/api/v1/pages/{page}/cloud.png?scale=cubic"))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
