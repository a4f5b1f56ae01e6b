//! Long lists come a page at a time: `/pages` and `/admin/pages` (numbered pages, lenient
//! `?page=`, cached per page for anonymous readers), and `GET /api/v1/pages` (limit + cursor,
//! a `Link: rel="next"` header, a stable order while pages are added).

use reqwest::StatusCode;
use scraper::Html;
use serde_json::{Value, json};

use crate::common::*;

/// Register `n` pages directly; their ids in order.
async fn many_pages(app: &TestApp, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(registered_page(app, &format!("https://list.example/{i:03}")).await);
    }
    ids
}

fn listed(html: &Html) -> Vec<i64> {
    html.select(&sel("#pages-list [data-page]"))
        .map(|a| a.value().attr("data-page").unwrap().parse().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pages_list_comes_fifty_at_a_time_with_page_links() {
    let app = TestApp::spawn().await;
    let ids = many_pages(&app, 120).await;
    let (status, first) = app.new_client_page("/pages").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed(&first), ids[..50]);
    let links: Vec<String> = first
        .select(&sel("#pagination .page-link"))
        .map(|l| l.text().collect::<String>())
        .collect();
    assert_eq!(links, ["1", "2", "3", "Next"]);
    assert_eq!(
        attr(&first, "#pagination [aria-current=page]", "href").as_deref(),
        Some("?page=1")
    );
    let (_, second) = app.new_client_page("/pages?page=2").await;
    assert_eq!(listed(&second), ids[50..100]);
    assert_eq!(
        attr(&second, "#pagination a[rel=prev]", "href").as_deref(),
        Some("?page=1")
    );
    // Past the end: the last page; not a number: the first. Never an error.
    let (status, last) = app.new_client_page("/pages?page=99").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed(&last), ids[100..]);
    assert_eq!(count(&last, "#pagination a[rel=next]"), 0);
    for odd in ["abc", "-3", "0", "99999999999999999999"] {
        let (status, html) = app.new_client_page(&format!("/pages?page={odd}")).await;
        assert_eq!(status, StatusCode::OK, "{odd}");
        assert_eq!(listed(&html).len(), 50, "{odd}");
    }
    // Each page is cached for anonymous readers on its own, and a new page shows up on the
    // last one at once.
    let (_, again) = app.new_client_page("/pages?page=2").await;
    assert_eq!(listed(&again), ids[50..100]);
    let newest = registered_page(&app, "https://list.example/new").await;
    let (_, last) = app.new_client_page("/pages?page=3").await;
    assert_eq!(listed(&last).last(), Some(&newest));

    // The admin list pages the same way.
    app.create_user("keeper", PASSWORD, true).await;
    app.login("keeper", PASSWORD).await;
    let (_, admin) = app.page("/admin/pages?page=3").await;
    assert_eq!(count(&admin, "#admin-pages tbody tr"), 21);
    assert_eq!(text(&admin, "h1 .badge").as_deref(), Some("121"));
    assert_eq!(
        attr(&admin, "#pagination a[rel=prev]", "href").as_deref(),
        Some("?page=2")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_lists_pages_by_cursor_with_a_next_link() {
    let app = TestApp::spawn().await;
    let ids = many_pages(&app, 25).await;
    let mut seen = Vec::new();
    let mut next = Some("/api/v1/pages?limit=10".to_owned());
    while let Some(path) = next.take() {
        let r = app.get(&path).await;
        assert_eq!(r.status(), StatusCode::OK);
        next = r.headers().get("link").map(|link| {
            let link = link.to_str().unwrap();
            assert!(link.ends_with(">; rel=\"next\""), "{link}");
            link.trim_start_matches('<')
                .split('>')
                .next()
                .unwrap()
                .to_owned()
        });
        let page: Vec<Value> = r.json().await.unwrap();
        assert!(page.len() <= 10);
        seen.extend(page.iter().map(|p| p["id"].as_i64().unwrap()));
        if seen.len() == 10 {
            // A page added meanwhile neither shifts nor repeats what follows.
            registered_page(&app, "https://list.example/late").await;
        }
    }
    let late: i64 = sqlx::query_scalar("SELECT id FROM pages WHERE url LIKE '%/late'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(seen, [ids.clone(), vec![late]].concat());
    // The default is 100 at a time; the last page has no link.
    let r = app.get("/api/v1/pages").await;
    assert!(r.headers().get("link").is_none());
    assert_eq!(r.json::<Vec<Value>>().await.unwrap().len(), 26);
    // Bad parameters are named, translated.
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=ten", "limit"),
        ("cursor=abc", "cursor"),
        ("cursor=-1", "cursor"),
    ] {
        let r = app
            .client
            .get(app.url(&format!("/api/v1/pages?{query}")))
            .header("accept-language", "nl")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], json!(field), "{query}");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .unwrap()
                .starts_with("Geef"),
            "{problem}"
        );
    }
}
