//! Admin user management (`/admin/users`) and the audit log (`/admin/audit`): search and
//! pagination, promoting and demoting, disabling (sessions and tokens stop at once, in every
//! instance), deleting, the last-administrator guard under racing administrators, and the
//! record of every administrative action.

use std::sync::Arc;

use reqwest::StatusCode;
use scraper::Html;
use tokio::sync::Barrier;

use crate::common::{PASSWORD, TestApp, attr, count, location, registered_page, sel, text};

/// An instance with an administrator `root` logged in on its client.
async fn admin_app() -> (TestApp, i64) {
    let app = TestApp::spawn().await;
    let root = app.create_user("root", PASSWORD, true).await;
    assert_eq!(
        app.login("root", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    (app, root)
}

/// Another browser on the same instance, logged in as `username`.
async fn browser_of(app: &TestApp, username: &str) -> TestApp {
    let other = TestApp {
        client: app.new_client(),
        ..app.clone()
    };
    let r = other.login(username, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{username} logs in");
    other
}

/// Send a row action of the users list (`admin` or `enabled`) with `value`.
async fn act(app: &TestApp, id: i64, what: &str, value: &str) -> reqwest::Response {
    app.submit(
        "/admin/users",
        &format!("/admin/users/{id}/{what}"),
        &[("value", value), ("back", "/admin/users?q=")],
    )
    .await
}

/// A page registered by user `owner`.
async fn page_of(app: &TestApp, owner: i64, url: &str) -> i64 {
    let page = registered_page(app, url).await;
    sqlx::query("UPDATE pages SET added_by = $1 WHERE id = $2")
        .bind(owner)
        .bind(page)
        .execute(&app.db)
        .await
        .unwrap();
    page
}

/// POST `fields` to `path` with `app`'s browser.
async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// The flash messages on the page a redirect leads to.
async fn flashes_after(app: &TestApp, response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&location(&response)).await;
    html.select(&sel(".alert"))
        .map(|a| a.text().collect::<String>())
        .collect::<Vec<_>>()
        .join(" | ")
}

async fn is_admin(app: &TestApp, id: i64) -> bool {
    sqlx::query_scalar("SELECT is_admin FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

fn usernames(html: &Html) -> Vec<String> {
    html.select(&sel("#users-table td.username"))
        .map(|td| td.text().collect())
        .collect()
}

#[tokio::test]
async fn the_users_list_searches_and_pages() {
    let (app, _) = admin_app().await;
    for n in 0..60 {
        app.create_user(&format!("user{n:02}"), PASSWORD, false)
            .await;
    }
    let (status, html) = app.page("/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&html, "#users-table tbody tr"), 50);
    assert_eq!(text(&html, "h1 .badge").as_deref(), Some("61"));
    let (_, html) = app.page("/admin/users?page=2").await;
    assert_eq!(count(&html, "#users-table tbody tr"), 11);

    // By username, in any case; the pager keeps the search.
    let (_, html) = app.page("/admin/users?q=USER1").await;
    let found = usernames(&html);
    assert_eq!(found.len(), 10, "{found:?}");
    assert!(found.iter().all(|u| u.starts_with("user1")), "{found:?}");
    assert_eq!(attr(&html, "#users-q", "value").as_deref(), Some("USER1"));
    // By e-mail address.
    let (_, html) = app.page("/admin/users?q=user42%40example").await;
    assert_eq!(usernames(&html), ["user42"]);
    // Wildcards are literal; nothing found is said so.
    let (status, html) = app.page("/admin/users?q=%25").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&html, "#users-table"), 0);
    assert!(text(&html, "#users-none").is_some());
    let (_, html) = app.page("/admin/users?q=user_0").await;
    assert!(usernames(&html).is_empty());
    // A search that pages keeps itself in the page links.
    let (_, html) = app.page("/admin/users?q=user").await;
    assert_eq!(count(&html, "#users-table tbody tr"), 50);
    let next = attr(&html, "#pagination a[rel=next]", "href").unwrap();
    assert_eq!(next, "?q=user&page=2");
    // Hostile queries are answered, not failed.
    for q in ["%00", "a%00b", &"x".repeat(5000), "'%20OR%201=1--"] {
        let (status, _) = app.page(&format!("/admin/users?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "q={q}");
    }
}

#[tokio::test]
async fn a_disabled_account_stops_working_at_once_everywhere() {
    let (app, _) = admin_app().await;
    let ann = app.create_user("ann", PASSWORD, false).await;
    // Ann is logged in on another instance, and holds an API token.
    let other = app.sibling().await;
    assert_eq!(
        other.login("ann", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(other.page("/accounts/profile").await.0, StatusCode::OK);
    let token: serde_json::Value = other
        .request_token("ann", &serde_json::json!({}))
        .await
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    let me = other.api_json("/api/v1/me", &token).await;
    assert_eq!(me["username"], "ann");

    let said = flashes_after(&app, act(&app, ann, "enabled", "false").await).await;
    assert!(said.contains("ann is disabled"), "{said}");
    let (_, html) = app.page("/admin/users?q=ann").await;
    assert_eq!(count(&html, ".status-disabled"), 1);

    // Her session on the other instance is gone, and so is her token.
    let r = other.get("/accounts/profile").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "logged out");
    let r = other
        .client
        .get(other.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // She cannot log in again (and is told why only with the right password).
    let fresh = TestApp {
        client: app.new_client(),
        ..other.clone()
    };
    let r = fresh.login("ann", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let page = Html::parse_document(&r.text().await.unwrap());
    assert!(page.html().contains("This account has been disabled"));
    let r = fresh.login("ann", "wrong password entirely").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = fresh.request_token("ann", &serde_json::json!({})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "username", "{problem}");

    // Enabled again: she logs in.
    let said = flashes_after(&app, act(&app, ann, "enabled", "true").await).await;
    assert!(said.contains("ann can log in again"), "{said}");
    assert_eq!(
        fresh.login("ann", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(fresh.page("/accounts/profile").await.0, StatusCode::OK);
}

#[tokio::test]
async fn administrators_are_promoted_and_demoted() {
    let (app, _) = admin_app().await;
    let bob = app.create_user("bob", PASSWORD, false).await;
    let bobs = browser_of(&app, "bob").await;
    assert_eq!(bobs.get("/admin").await.status(), StatusCode::FORBIDDEN);

    let said = flashes_after(&app, act(&app, bob, "admin", "true").await).await;
    assert!(said.contains("bob is now an administrator"), "{said}");
    // His running session has the rights at once.
    assert_eq!(bobs.get("/admin").await.status(), StatusCode::OK);
    let (_, html) = app.page("/admin/users?q=bob").await;
    assert_eq!(count(&html, ".role-admin"), 1);

    let said = flashes_after(&app, act(&app, bob, "admin", "false").await).await;
    assert!(said.contains("bob is no longer an administrator"), "{said}");
    assert_eq!(bobs.get("/admin").await.status(), StatusCode::FORBIDDEN);
    assert!(!is_admin(&app, bob).await);
}

#[tokio::test]
async fn the_last_administrator_cannot_be_removed() {
    let (app, root) = admin_app().await;
    for what in ["admin", "enabled"] {
        let said = flashes_after(&app, act(&app, root, what, "false").await).await;
        assert!(said.contains("only administrator"), "{what}: {said}");
    }
    assert!(is_admin(&app, root).await);
    assert_eq!(app.get("/admin").await.status(), StatusCode::OK);
    // The delete question says so instead of offering the button; the button's POST is refused.
    let (_, html) = app.page(&format!("/admin/users/{root}/delete")).await;
    assert!(text(&html, "#delete-last-admin").is_some());
    assert_eq!(count(&html, "#admin-delete-form"), 0);
    let csrf = app.csrf("/admin/users").await;
    let r = post(
        &app,
        &format!("/admin/users/{root}/delete"),
        &[("csrf_token", csrf.as_str())],
    )
    .await;
    let said = flashes_after(&app, r).await;
    assert!(said.contains("only administrator"), "{said}");

    // A disabled administrator does not count as one.
    let spare = app.create_user("spare", PASSWORD, true).await;
    flashes_after(&app, act(&app, spare, "enabled", "false").await).await;
    let said = flashes_after(&app, act(&app, root, "admin", "false").await).await;
    assert!(said.contains("only administrator"), "{said}");
    // With another enabled one, root may step down.
    flashes_after(&app, act(&app, spare, "enabled", "true").await).await;
    let said = flashes_after(&app, act(&app, root, "admin", "false").await).await;
    assert!(
        said.contains("root is no longer an administrator"),
        "{said}"
    );
}

/// Two administrators removing each other at the same moment (released by a barrier, so both
/// requests are in flight together): exactly one succeeds, and an administrator who can log in
/// always remains — for demoting, disabling and deleting alike.
#[tokio::test]
async fn racing_administrators_never_remove_the_last_one() {
    let app = TestApp::spawn().await;
    for (round, what) in ["admin", "enabled", "delete"].into_iter().enumerate() {
        let a = app.create_user(&format!("a{round}"), PASSWORD, true).await;
        let b = app.create_user(&format!("b{round}"), PASSWORD, true).await;
        // Only these two are administrators in this round.
        sqlx::query("UPDATE users SET is_admin = false WHERE id NOT IN ($1, $2)")
            .bind(a)
            .bind(b)
            .execute(&app.db)
            .await
            .unwrap();
        let browsers = [
            (browser_of(&app, &format!("a{round}")).await, b),
            (browser_of(&app, &format!("b{round}")).await, a),
        ];
        let start = Arc::new(Barrier::new(2));
        let mut tasks = Vec::new();
        for (browser, victim) in browsers {
            let csrf = browser.csrf("/admin/users").await;
            let start = start.clone();
            tasks.push(tokio::spawn(async move {
                let (path, form) = if what == "delete" {
                    (format!("/admin/users/{victim}/delete"), vec![])
                } else {
                    (
                        format!("/admin/users/{victim}/{what}"),
                        vec![("value", "false")],
                    )
                };
                let mut form: Vec<(&str, &str)> = form;
                form.push(("csrf_token", csrf.as_str()));
                let request = browser.client.post(browser.url(&path)).form(&form);
                start.wait().await;
                let r = request.send().await.unwrap();
                assert_eq!(r.status(), StatusCode::SEE_OTHER);
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let left: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM users WHERE is_admin AND disabled_at IS NULL AND id IN ($1, $2)",
        )
        .bind(a)
        .bind(b)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(left, 1, "{what}: exactly one administrator remains");
    }
}

#[tokio::test]
async fn an_administrator_deletes_an_account_and_is_told_what_goes_with_it() {
    let (app, _) = admin_app().await;
    let carl = app.create_user("carl", PASSWORD, false).await;
    let page = page_of(&app, carl, "http://127.0.0.1:9/carl").await;
    let carls = browser_of(&app, "carl").await;

    let (status, html) = app.page(&format!("/admin/users/{carl}/delete")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text(&html, "#delete-username").as_deref(), Some("carl"));
    let said = text(&html, "#delete-consequences").unwrap();
    assert!(said.contains("The page they added stays"), "{said}");
    // In Dutch too, in the third person.
    let (_, html) = app.page(&format!("/nl/admin/users/{carl}/delete")).await;
    let said = text(&html, "#delete-consequences").unwrap();
    assert!(said.contains("deze gebruiker"), "{said}");

    let csrf = attr(&html, "#admin-delete-form input[name=csrf_token]", "value").unwrap();
    let r = post(
        &app,
        &format!("/admin/users/{carl}/delete"),
        &[("csrf_token", csrf.as_str())],
    )
    .await;
    let said = flashes_after(&app, r).await;
    assert!(
        said.contains("The account of carl has been deleted"),
        "{said}"
    );
    let gone: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM users WHERE id = $1)")
        .bind(carl)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(gone);
    let owner: Option<i64> = sqlx::query_scalar("SELECT added_by FROM pages WHERE id = $1")
        .bind(page)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(owner, None, "the page stays, without its owner");
    assert_eq!(
        carls.get("/accounts/profile").await.status(),
        StatusCode::SEE_OTHER
    );
    // Asked again: there is no such account.
    assert_eq!(
        app.get(&format!("/admin/users/{carl}/delete"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn user_management_refuses_non_admins_forgeries_and_bad_input() {
    let (app, _) = admin_app().await;
    let dora = app.create_user("dora", PASSWORD, false).await;
    let doras = browser_of(&app, "dora").await;
    // Dora is no administrator: every action is refused on the server.
    let csrf = doras.csrf("/accounts/profile").await;
    for path in [
        format!("/admin/users/{dora}/admin"),
        format!("/admin/users/{dora}/enabled"),
        format!("/admin/users/{dora}/delete"),
    ] {
        let r = post(
            &doras,
            &path,
            &[("csrf_token", csrf.as_str()), ("value", "true")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert!(!is_admin(&app, dora).await);
    // A forged request (no CSRF token) from the administrator's browser.
    let r = post(
        &app,
        &format!("/admin/users/{dora}/admin"),
        &[("value", "true")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(!is_admin(&app, dora).await);

    // Nonsense values are a translated 400, not a guess.
    let r = act(&app, dora, "admin", "maybe").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("That action is not understood")
    );
    // Unknown accounts and ids.
    let said = flashes_after(&app, act(&app, 999_999, "admin", "true").await).await;
    assert!(said.contains("does not exist"), "{said}");
    assert_eq!(
        app.get("/admin/users/999999/delete").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/admin/users/nope/delete").await.status(),
        StatusCode::BAD_REQUEST
    );
    // `back` cannot send the administrator off the site.
    for back in [
        "//evil.example/",
        "https://evil.example/",
        "/en//evil.example",
    ] {
        let r = app
            .submit(
                "/admin/users",
                &format!("/admin/users/{dora}/enabled"),
                &[("value", "true"), ("back", back)],
            )
            .await;
        assert_eq!(location(&r), "/admin/users", "back={back}");
    }
}

#[tokio::test]
async fn every_administrative_action_is_in_the_audit_log() {
    let (app, root) = admin_app().await;
    let eve = app.create_user("eve", PASSWORD, false).await;
    let (_, html) = app.page("/admin/audit").await;
    assert!(text(&html, "#audit-none").is_some());
    assert!(
        app.page("/admin").await.1.html().contains("/admin/audit"),
        "linked from the admin index"
    );

    // Through a language prefix: recorded as the same action.
    let csrf = app.csrf("/nl/admin/users").await;
    let r = post(
        &app,
        &format!("/nl/admin/users/{eve}/admin"),
        &[("csrf_token", csrf.as_str()), ("value", "true")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    act(&app, eve, "enabled", "false").await;
    act(&app, eve, "enabled", "true").await;
    act(&app, eve, "admin", "false").await;
    // A refused one (root is the last administrator).
    act(&app, root, "admin", "false").await;
    // Any other admin write, by its request line.
    let csrf = app.csrf("/admin/jobs").await;
    post(
        &app,
        "/admin/jobs/424242/retry",
        &[("csrf_token", csrf.as_str())],
    )
    .await;
    // An administrator deleting someone else's page through the API; eve deleting her own
    // page is hers to do, not an administrative action.
    let theirs = registered_page(&app, "http://127.0.0.1:9/theirs").await;
    let token: serde_json::Value = app
        .request_token("root", &serde_json::json!({}))
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/pages/{theirs}")))
        .bearer_auth(token["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let own = page_of(&app, eve, "http://127.0.0.1:9/own").await;
    let eves = browser_of(&app, "eve").await;
    let r = eves
        .submit(
            &format!("/pages/{own}/delete"),
            &format!("/pages/{own}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Eve trying an admin action is refused, and not an administrator's action.
    let csrf = eves.csrf("/accounts/profile").await;
    post(
        &eves,
        &format!("/admin/users/{eve}/admin"),
        &[("csrf_token", csrf.as_str()), ("value", "true")],
    )
    .await;

    let (status, html) = app.page("/admin/audit").await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<Vec<String>> = html
        .select(&sel("#audit tbody tr"))
        .map(|tr| {
            ["td.actor", "td.action", "td.target", "td.status", "td.ip"]
                .iter()
                .map(|c| {
                    tr.select(&sel(c))
                        .next()
                        .unwrap()
                        .text()
                        .collect::<String>()
                        .trim()
                        .to_owned()
                })
                .collect()
        })
        .collect();
    let expected = [
        ["root", "page.delete", "http://127.0.0.1:9/theirs", "204"],
        ["root", "POST /admin/jobs/424242/retry", "", "303"],
        ["root", "user.demote", &format!("#{root}"), "409"],
        ["root", "user.demote", &format!("eve (#{eve})"), "303"],
        ["root", "user.enable", &format!("eve (#{eve})"), "303"],
        ["root", "user.disable", &format!("eve (#{eve})"), "303"],
        ["root", "user.promote", &format!("eve (#{eve})"), "303"],
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:?}");
    for (row, want) in rows.iter().zip(expected) {
        assert_eq!(&row[..4], want.as_slice(), "{rows:?}");
        assert_eq!(row[4], "127.0.0.1");
    }
    // Searchable, in any case.
    let (_, html) = app.page("/admin/audit?q=USER.DISABLE").await;
    assert_eq!(count(&html, "#audit tbody tr"), 1);
    // Non-administrators cannot read it.
    assert_eq!(
        eves.get("/admin/audit").await.status(),
        StatusCode::FORBIDDEN
    );
    for q in ["%00", "%25", &"y".repeat(3000)] {
        assert_eq!(
            app.page(&format!("/admin/audit?q={q}")).await.0,
            StatusCode::OK
        );
    }
}
