//! What a person sees, checked in a real headless Chromium on every page at 375 and 1280 px:
//! nothing wider than the viewport or sticking out of its container sideways (unless that
//! container scrolls), and in every chart and cloud SVG no two text labels overlapping and
//! every label inside the viewBox. The English pages are shown in the light and the dark
//! colour mode as well and audited with axe-core there (`axe.rs`): no serious or critical
//! violation. Screenshots of each page (`…-dark` in the dark mode) land in `target/screenshots/`.

use chrono::{Datelike, Duration, Utc};
use fantoccini::{Client, Locator};

use crate::{
    axe::{self, Mode},
    browser::{browser, log_in_on_a_phone as log_in, screenshot, with_a_model},
    common::*,
};

/// The checks, run in the page: one line per problem found (empty: the page looks right).
const LAYOUT_CHECKS: &str = include_str!("layout_checks.js");

/// Check the page now shown at the current width; problems are collected with the page's name.
async fn check(c: &Client, what: &str, found: &mut Vec<String>) {
    let problems = c.execute(LAYOUT_CHECKS, vec![]).await.unwrap();
    for p in problems.as_array().into_iter().flatten() {
        found.push(format!("{what}: {}", p.as_str().unwrap_or_default()));
    }
}

/// Save the words the page shows beside its screenshot (`….txt`): a reviewer compares the
/// languages' pages line by line for words left in English.
async fn words_shown(c: &Client, what: &str) {
    let text = c
        .execute("return document.body.innerText;", vec![])
        .await
        .unwrap();
    let dir = crate::common::repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let name = what.replace(['/', '?', '&', '='], "_");
    std::fs::write(
        dir.join(format!("{name}.txt")),
        text.as_str().unwrap_or_default(),
    )
    .unwrap();
}

/// Make the window as tall as the page (up to a limit), for a screenshot of all of it.
async fn whole_page(c: &Client, width: u32) {
    let height = c
        // The window's height is the viewport's plus the browser's own bars.
        .execute(
            "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight;",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(900);
    c.set_window_size(width, height.clamp(600, 3000) as u32)
        .await
        .unwrap();
}

/// Show `path` at both widths, check it and take a screenshot of the whole page (a reviewer
/// looks at all of it, in every language). The English pages (`english`) are also shown in
/// both colour modes and audited with axe-core there (the other languages share their markup,
/// and the audit is what takes time).
async fn audit(
    app: &TestApp,
    c: &Client,
    (name, path): (&str, &str),
    english: bool,
    found: &mut Vec<String>,
) {
    let modes: &[Mode] = if english { &Mode::ALL } else { &[Mode::Light] };
    for (width, height) in [(375, 812), (1280, 900)] {
        for &mode in modes {
            c.set_window_size(width, height).await.unwrap();
            c.goto(&app.url(path)).await.unwrap();
            axe::show_in(c, mode).await.unwrap();
            // Pictures and the bundled font first: a label is measured as it will be drawn.
            c.execute_async(
                "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done(true));",
                vec![],
            )
            .await
            .unwrap();
            let what = match mode {
                Mode::Light => format!("layout-{name}-{width}"),
                Mode::Dark => format!("layout-{name}-{width}-dark"),
            };
            // Checking an error page instead of the page meant would prove nothing.
            let error = c
                .execute(
                    "return document.querySelector('#error-detail') !== null;",
                    vec![],
                )
                .await
                .unwrap();
            if error == true && !name.ends_with("not-found") && !name.ends_with("forbidden") {
                found.push(format!("{what}: an error page instead of {path}"));
            }
            // The layout is the same in both modes: measured once.
            if mode == Mode::Light {
                check(c, &what, found).await;
                words_shown(c, &what).await;
            }
            if english {
                axe::check(c, &what, found).await;
            }
            whole_page(c, width).await;
            screenshot(c, &what.replace(['/', '?', '&', '='], "_")).await;
        }
    }
}

/// A front page that changes every day for two weeks, then four crawls seconds apart.
async fn seeded(app: &TestApp) -> (i64, i64, i64, i64) {
    use hud::apps::wordcloud::model;
    let add = |url: &'static str, title: &'static str| async move {
        model::add(&app.db, &app.state.cache, url, Some(title), None)
            .await
            .map_err(|_| "page not added")
            .unwrap()
    };
    let daily = add("https://daily.example/", "Demo Daily — the front page").await;
    let words = [
        "election",
        "weather",
        "markets",
        "football",
        "harvest",
        "parliament",
        "festival",
        "inflation",
        "storm",
        "vaccine",
        "railway",
        "satellite",
    ];
    let now = Utc::now();
    // Each morning of the last two weeks (09:00 UTC), so "Saturday at noon" is that Saturday.
    let morning = now.date_naive().and_hms_opt(9, 0, 0).unwrap().and_utc();
    for day in 0..14i64 {
        // Each word rises and falls in its own rhythm, as news does, and is not news every day.
        let counts: Vec<(&str, i32)> = words
            .iter()
            .enumerate()
            .filter_map(|(i, w)| {
                let phase = day as f64 / (2.0 + i as f64 / 3.0) + i as f64;
                let n = (12.0 + 10.0 * phase.sin()).round() as i32 + 1;
                (n > 4).then_some((*w, n))
            })
            .collect();
        stored_crawl_in(
            app,
            daily,
            morning - Duration::days(14 - day),
            "en",
            &counts,
        )
        .await;
    }
    let burst = add("https://burst.example/", "Four crawls in a minute").await;
    for i in 0..4i64 {
        let counts = [
            ("tomatoes", 10 + i as i32 * 3),
            ("beans", 12 - i as i32 * 2),
        ];
        stored_crawl_in(
            app,
            burst,
            now - Duration::seconds(60 - i * 5),
            "en",
            &counts,
        )
        .await;
    }
    let once = add("https://once.example/", "Crawled once").await;
    stored_crawl_in(
        app,
        once,
        now - Duration::hours(2),
        "en",
        &[("solitary", 4), ("word", 2)],
    )
    .await;
    let never = add("https://never.example/", "Never crawled").await;
    (daily, burst, once, never)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_fits_375_and_1280_px_and_no_chart_label_overlaps() {
    use hud::apps::{prognosis::ml, search::live};
    // A reader who looks at every chart in every language in a minute is no abuser here.
    let app = TestApp::spawn_with(|c| c.clouds.render_limit_per_ip = 100_000).await;
    let (daily, burst, once, never) = seeded(&app).await;
    live::refresh(&app.state).await.unwrap();
    // Its hyperparameters are the longest JSON of the algorithms.
    with_a_model(
        &app,
        ml::Algorithm::GradientBoosting,
        ml::TrainOptions {
            folds: 3,
            ..ml::TrainOptions::default()
        },
        "Gradient boosting with a rather long name",
    )
    .await;
    let model: i64 = sqlx::query_scalar("SELECT id FROM ml_models ORDER BY id LIMIT 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let admin = app.create_user("editor-in-chief", PASSWORD, true).await;
    // The audit log's table, with a refused action and one by an account since deleted.
    for (actor, action, target, status) in [
        (
            Some(admin),
            "user.disable",
            "a-reader-with-a-rather-long-username (#2)",
            200,
        ),
        (Some(admin), "user.demote", "#1", 409),
        (
            None,
            "page.delete",
            "https://daily.example/a/rather/long/path/to/an/article",
            200,
        ),
    ] {
        sqlx::query(
            "INSERT INTO audit_log (actor_id, actor, action, target, status, ip)
             VALUES ($1, $2, $3, $4, $5, '203.0.113.7')",
        )
        .bind(actor)
        .bind(if actor.is_some() {
            "editor-in-chief"
        } else {
            "a-former-editor"
        })
        .bind(action)
        .bind(target)
        .bind(status as i16)
        .execute(&app.db)
        .await
        .unwrap();
    }
    let c = browser().await;
    let result = tour(&app, &c, [daily, burst, once, never], model).await;
    let _ = c.close().await;
    let found = result.unwrap();
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}

async fn tour(
    app: &TestApp,
    c: &Client,
    [daily, burst, once, never]: [i64; 4],
    model: i64,
) -> Result<Vec<String>, fantoccini::error::CmdError> {
    let mut found = Vec::new();
    let saturday_sunday = {
        // The last Saturday and Sunday of the seeded fortnight, at noon UTC.
        let mut day = Utc::now().date_naive() - Duration::days(1);
        while day.weekday() != chrono::Weekday::Sun {
            day -= Duration::days(1);
        }
        (day - Duration::days(1), day)
    };
    let (sat, sun) = saturday_sunday;
    let anonymous: Vec<(String, String)> = vec![
        ("login".into(), "/accounts/login".into()),
        ("signup".into(), "/accounts/signup".into()),
        ("forgot-password".into(), "/accounts/password/forgot".into()),
        (
            "reset-link-invalid".into(),
            "/accounts/password/reset?token=expired".into(),
        ),
        ("not-found".into(), "/no/such/page".into()),
        // What anyone may see, with the logged-out navbar (log in, sign up).
        ("anon-home".into(), "/".into()),
        ("anon-cloud".into(), format!("/pages/{daily}")),
        ("anon-trend".into(), format!("/pages/{daily}/trend")),
        ("anon-search".into(), "/search?q=election".into()),
        ("anon-models".into(), "/prognosis/models".into()),
    ];
    // Every language: longer words than English's find what a narrow column cannot hold.
    let languages = ["", "nl", "sv", "nb", "fr"];
    let visit = |lang: &str, name: &str, path: &str| match lang {
        "" => (name.to_owned(), path.to_owned()),
        lang => (format!("{lang}-{name}"), format!("/{lang}{path}")),
    };
    for lang in languages {
        for (name, path) in &anonymous {
            let (name, path) = visit(lang, name, path);
            audit(app, c, (&name, &path), lang.is_empty(), &mut found).await;
        }
    }
    log_in(app, c, "editor-in-chief").await?;
    let reader = app
        .create_user("a-reader-with-a-rather-long-username", PASSWORD, false)
        .await;
    let pages: Vec<(String, String)> = vec![
        ("home".into(), "/".into()),
        ("pages".into(), "/pages".into()),
        ("add-page".into(), "/pages/new".into()),
        ("cloud".into(), format!("/pages/{daily}")),
        ("cloud-never".into(), format!("/pages/{never}")),
        ("delete-page".into(), format!("/pages/{daily}/delete")),
        (
            "trend-days".into(),
            format!(
                "/pages/{daily}/trend?words=election,weather,markets,football,harvest,parliament,festival,inflation"
            ),
        ),
        ("trend-seconds".into(), format!("/pages/{burst}/trend")),
        ("trend-once".into(), format!("/pages/{once}/trend")),
        ("trend-never".into(), format!("/pages/{never}/trend")),
        (
            "compare-times".into(),
            format!("/pages/compare?a={daily}&b={daily}&at_a={sat}T12:00&at_b={sun}T12:00"),
        ),
        (
            "compare-pages".into(),
            format!("/pages/compare?a={daily}&b={burst}"),
        ),
        ("compare-empty".into(), "/pages/compare".into()),
        ("search".into(), "/search?q=election+weather".into()),
        ("prognosis".into(), "/prognosis".into()),
        ("prognosis-history".into(), "/prognosis/history".into()),
        ("models".into(), "/prognosis/models".into()),
        ("model".into(), format!("/prognosis/models/{model}")),
        ("profile".into(), "/accounts/profile".into()),
        ("preferences".into(), "/accounts/preferences".into()),
        ("security".into(), "/accounts/security".into()),
        ("change-password".into(), "/accounts/password".into()),
        ("change-email".into(), "/accounts/email".into()),
        ("your-data".into(), "/accounts/data".into()),
        ("admin".into(), "/admin".into()),
        ("admin-cache".into(), "/admin/cache".into()),
        ("admin-jobs".into(), "/admin/jobs".into()),
        ("admin-users".into(), "/admin/users".into()),
        (
            "admin-user-delete".into(),
            format!("/admin/users/{reader}/delete"),
        ),
        ("admin-audit".into(), "/admin/audit".into()),
        ("admin-captcha".into(), "/admin/captcha".into()),
        (
            "admin-challenge".into(),
            "/admin/captcha/challenges/new".into(),
        ),
        ("admin-pages".into(), "/admin/pages".into()),
        ("admin-page".into(), format!("/admin/pages/{daily}")),
        ("admin-ignore".into(), "/admin/ignore-lists".into()),
        ("admin-prognosis".into(), "/admin/prognosis".into()),
        ("admin-sample".into(), "/admin/prognosis/samples/new".into()),
    ];
    for lang in languages {
        for (name, path) in &pages {
            let (name, path) = visit(lang, name, path);
            audit(app, c, (&name, &path), lang.is_empty(), &mut found).await;
        }
    }
    // The same site for a reader who is no administrator: no admin link, no admin buttons,
    // and the admin pages refused with a page that still looks like HUD.
    c.execute("document.querySelector('#logout').click();", vec![])
        .await?;
    c.wait().for_element(Locator::Css("#nav-login")).await?;
    log_in(app, c, "a-reader-with-a-rather-long-username").await?;
    let reader_pages: Vec<(String, String)> = vec![
        ("user-home".into(), "/".into()),
        ("user-pages".into(), "/pages".into()),
        ("user-cloud".into(), format!("/pages/{daily}")),
        ("user-trend".into(), format!("/pages/{daily}/trend")),
        (
            "user-compare".into(),
            format!("/pages/compare?a={daily}&b={daily}&at_a={sat}T12:00&at_b={sun}T12:00"),
        ),
        ("user-models".into(), "/prognosis/models".into()),
        ("user-model".into(), format!("/prognosis/models/{model}")),
        ("user-profile".into(), "/accounts/profile".into()),
        ("user-admin-forbidden".into(), "/admin".into()),
    ];
    for lang in languages {
        for (name, path) in &reader_pages {
            let (name, path) = visit(lang, name, path);
            audit(app, c, (&name, &path), lang.is_empty(), &mut found).await;
        }
        // The phone's menu opened: the long username and the menus fit.
        let (name, path) = visit(lang, "user-menu-open", "/");
        c.set_window_size(375, 812).await?;
        c.goto(&app.url(&path)).await?;
        c.find(Locator::Css(".navbar-toggler"))
            .await?
            .click()
            .await?;
        c.wait().for_element(Locator::Css("#nav-main.show")).await?;
        check(c, &format!("{name}-375"), &mut found).await;
        screenshot(c, &format!("layout-{name}-375")).await;
    }
    // The cloud's words are links without underlines, and keyboard focus shows a ring.
    c.set_window_size(1280, 900).await?;
    c.goto(&app.url(&format!("/pages/{daily}"))).await?;
    let links = c.find_all(Locator::Css("#cloud svg a[href]")).await?;
    let first = serde_json::to_value(&links[0]).unwrap();
    c.execute("arguments[0].focus();", vec![first]).await?;
    // Tab to the next word, as a keyboard user does.
    links[0].send_keys("\u{E004}").await?;
    let styles = c
        .execute(
            "const a = document.activeElement;
             return [getComputedStyle(a).textDecorationLine,
                     getComputedStyle(a.querySelector('text')).textDecorationLine,
                     a.closest('#cloud') !== null && a.matches(':focus-visible'),
                     getComputedStyle(a).outlineStyle];",
            vec![],
        )
        .await?;
    if styles[0] != "none" || styles[1] != "none" {
        found.push(format!("cloud words are underlined: {styles}"));
    }
    if styles[2] != true || styles[3] == "none" {
        found.push(format!(
            "a focused cloud word shows no focus ring: {styles}"
        ));
    }
    screenshot(c, "cloud-focus-1280").await;
    // The downloaded SVG, opened on its own (no HUD stylesheet): still no underlines.
    c.goto(&app.url(&format!("/pages/{daily}/cloud.svg")))
        .await?;
    let decoration = c
        .execute(
            "return [...document.querySelectorAll('a')].map((a) => getComputedStyle(a).textDecorationLine);",
            vec![],
        )
        .await?;
    let decorations = decoration.as_array().cloned().unwrap_or_default();
    if decorations.is_empty() || decorations.iter().any(|d| d != "none") {
        found.push(format!(
            "the cloud's SVG file underlines its words: {decoration}"
        ));
    }
    Ok(found)
}

/// The checks catch what issue 21 saw: a trend chart whose x-axis label is cut at the left edge
/// and whose legend labels overlap, and a model page whose parameters JSON runs out of its
/// column (the old markup's shapes, served as a page of their own).
#[tokio::test(flavor = "multi_thread")]
async fn the_checks_catch_clipped_and_overlapping_labels_and_overflowing_text() {
    let c = browser().await;
    let broken = r#"<!doctype html><html><body style="margin:0">
        <svg id="trend" viewBox="0 0 300 100" width="300" height="100">
          <text x="-40" y="95" font-size="14">: December 2026</text>
          <text x="100" y="20" font-size="14">Reuters</text>
          <text x="110" y="24" font-size="14">markets</text>
        </svg>
        <div style="width:200px"><p id="params">{"iterations":100,"learning_rate":0.1,"max_depth_of_every_tree_in_the_ensemble":3}</p></div>
        </body></html>"#;
    let url = format!(
        "data:text/html;charset=utf-8,{}",
        percent_encoding::utf8_percent_encode(broken, percent_encoding::NON_ALPHANUMERIC)
    );
    c.goto(&url).await.unwrap();
    let mut found = Vec::new();
    check(&c, "broken", &mut found).await;
    let all = found.join("\n");
    assert!(all.contains("leaves the viewBox"), "{all}");
    assert!(all.contains("\"Reuters\" and \"markets\" overlap"), "{all}");
    assert!(all.contains("runs out of"), "{all}");
    c.close().await.unwrap();
}
