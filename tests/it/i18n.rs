//! Languages: prefixes, negotiation order, headers, locale completeness, dates.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::{ast, parser};
use reqwest::StatusCode;

use crate::common::*;

#[tokio::test]
async fn url_prefix_sets_language_and_links_keep_it() {
    let app = TestApp::spawn().await;
    let r = app.get("/nl/accounts/login").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-language"], "nl");
    // English has no prefix: `/en/…` redirects to the plain path, query kept.
    let en = app.get("/en/accounts/login?next=%2Fprofile").await;
    assert_eq!(en.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(location(&en), "/accounts/login?next=%2Fprofile");
    // Only lower-case codes are prefixes.
    assert_eq!(
        app.get("/NL/accounts/login").await.status(),
        StatusCode::NOT_FOUND
    );
    let vary = r
        .headers()
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join(",");
    assert!(
        vary.contains("accept-language") && vary.contains("cookie"),
        "{vary}"
    );
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert_eq!(attr(&html, "html", "lang").unwrap(), "nl");
    assert_eq!(
        attr(&html, "#login-form", "action").unwrap(),
        "/nl/accounts/login"
    );
    assert_eq!(attr(&html, "a.navbar-brand", "href").unwrap(), "/nl/");
    assert_eq!(text(&html, "h1").unwrap(), "Inloggen");

    // English is unprefixed: /en/x redirects to /x.
    let r = app.get("/en/accounts/login?next=/x").await;
    assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(location(&r), "/accounts/login?next=/x");
}

#[tokio::test]
async fn accept_language_with_q_values() {
    let app = TestApp::spawn().await;
    let get = |header: &'static str| {
        let c = app.new_client();
        let url = app.url("/");
        async move {
            let r = c
                .get(url)
                .header("accept-language", header)
                .send()
                .await
                .unwrap();
            r.headers()["content-language"].to_str().unwrap().to_owned()
        }
    };
    assert_eq!(get("de-DE, sv;q=0.4, fr;q=0.9").await, "fr");
    assert_eq!(get("nn-NO").await, "nb");
    assert_eq!(get("no, en;q=0.5").await, "nb");
    assert_eq!(get("ja, zh").await, "en");
    assert_eq!(get("fr;q=0, nl;q=0.1").await, "nl");
}

#[tokio::test]
async fn switcher_cookie_beats_header_and_user_preference_beats_cookie() {
    let app = TestApp::spawn().await;
    // The switcher sets the cookie and returns to the page in that language.
    let r = app.switch_language("sv", "/accounts/login").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/sv/accounts/login");
    let r = app
        .client
        .get(app.url("/"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["content-language"],
        "sv",
        "the cookie beats Accept-Language"
    );

    // A fresh browser with only the cookie.
    let c = app.new_client();
    let r = c
        .get(app.url("/"))
        .header("cookie", "hud_lang=nb")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-language"], "nb");

    // Unknown language codes are a 404, not a crash.
    assert_eq!(
        app.switch_language("xx", "/").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/lang/xx").await.status(), StatusCode::NOT_FOUND);
    // Open redirects are refused.
    assert_eq!(
        location(&app.switch_language("fr", "//evil.example/").await),
        "/fr/"
    );

    // A logged-in user's preference wins over the cookie.
    app.create_user("greta", PASSWORD, false).await;
    app.login("greta", PASSWORD).await;
    sqlx::query("UPDATE users SET preferred_language = 'fr' WHERE username = 'greta'")
        .execute(&app.db)
        .await
        .unwrap();
    let r = app.get("/").await;
    assert_eq!(r.headers()["content-language"], "fr");
    // …but the URL prefix wins over everything.
    let r = app.get("/nl/").await;
    assert_eq!(r.headers()["content-language"], "nl");
}

#[tokio::test]
async fn the_old_switch_link_only_redirects() {
    let app = TestApp::spawn().await;
    app.create_user("olav", PASSWORD, false).await;
    app.login("olav", PASSWORD).await;
    let r = app
        .client
        .get(app.url("/lang/nb?next=/accounts/login"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/nb/accounts/login");
    assert!(r.headers().get("set-cookie").is_none(), "no cookie set");
    let lang = sqlx::query_scalar::<_, Option<String>>(
        "SELECT preferred_language FROM users WHERE username = 'olav'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(lang, None, "a GET changes no preference");
}

#[tokio::test]
async fn switcher_updates_a_logged_in_users_preference_with_its_token_only() {
    let app = TestApp::spawn().await;
    app.create_user("olav", PASSWORD, false).await;
    app.login("olav", PASSWORD).await;
    let lang = || async {
        sqlx::query_scalar::<_, Option<String>>(
            "SELECT preferred_language FROM users WHERE username = 'olav'",
        )
        .fetch_one(&app.db)
        .await
        .unwrap()
    };
    // A foreign site's form: cross-site, and it cannot know the token.
    let r = app
        .client
        .post(app.url("/lang"))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .form(&[("lang", "nb"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Same-origin but without the token: refused too for a logged-in user.
    let r = app
        .client
        .post(app.url("/lang"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("lang", "nb"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        lang().await,
        None,
        "a foreign site cannot change the preference"
    );
    let r = app.switch_language("nb", "/").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(lang().await.as_deref(), Some("nb"));
}

/// Message ids and the variables each message uses, per file of a locale.
fn messages(lang: &str) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let dir = crate::common::repo_root().join("locales").join(lang);
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        let resource = parser::parse(source.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{}: syntax errors {errors:?}", path.display()));
        let mut ids = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &m.value {
                    collect_vars(&value.elements, &mut vars);
                }
                ids.insert(m.id.name.to_owned(), vars);
            }
        }
        files.insert(
            path.file_name().unwrap().to_string_lossy().into_owned(),
            ids,
        );
    }
    files
}

fn collect_vars(elements: &[ast::PatternElement<&str>], vars: &mut BTreeSet<String>) {
    for element in elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_expr(expression, vars);
        }
    }
}

fn collect_expr(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => collect_inline(inline, vars),
        ast::Expression::Select { selector, variants } => {
            collect_inline(selector, vars);
            for v in variants {
                collect_vars(&v.value.elements, vars);
            }
        }
    }
}

fn collect_inline(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => collect_expr(expression, vars),
        _ => {}
    }
}

#[test]
fn every_locale_has_every_message_with_the_same_placeables() {
    let english = messages("en");
    assert!(
        english
            .values()
            .map(std::collections::BTreeMap::len)
            .sum::<usize>()
            > 50
    );
    for lang in ["nl", "sv", "nb", "fr"] {
        let other = messages(lang);
        assert_eq!(
            english.keys().collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>(),
            "{lang}: same files"
        );
        for (file, ids) in &english {
            let theirs = &other[file];
            for (id, vars) in ids {
                let their_vars = theirs
                    .get(id)
                    .unwrap_or_else(|| panic!("{lang}/{file}: missing {id}"));
                assert_eq!(vars, their_vars, "{lang}/{file}: {id} has other placeables");
            }
            for id in theirs.keys() {
                assert!(
                    ids.contains_key(id),
                    "{lang}/{file}: {id} is not in English"
                );
            }
        }
    }
}

#[test]
fn translations_are_not_english_copies() {
    use hud::i18n::Lang;
    for lang in [Lang::Nl, Lang::Sv, Lang::Nb, Lang::Fr] {
        for id in [
            "nav-login",
            "error-404-title",
            "signup-title",
            "preferences-saved",
            "home-heading",
        ] {
            let theirs = lang
                .t_exact(id)
                .unwrap_or_else(|| panic!("{lang}: {id} missing"));
            assert_ne!(theirs, Lang::En.t(id), "{lang}: {id} is untranslated");
        }
    }
}

/// Words a screen reader speaks (labels, titles, placeholders, alt text) and words shown
/// between tags come from the locales, never from a template: a literal there is English on
/// every page in every language. Technical names that read the same everywhere are allowed.
#[test]
fn templates_hold_no_words_outside_the_locales() {
    const SAME_IN_EVERY_LANGUAGE: &[&str] = &["ROC AUC", "BLAKE3", "KiB", "HUD", "API"];
    let root = crate::common::repo_root().join("templates");
    let mut found = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            for words in literal_words(&source) {
                let rest = SAME_IN_EVERY_LANGUAGE
                    .iter()
                    .fold(words.clone(), |w, allowed| w.replace(allowed, ""));
                if rest.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
                    found.push(format!("{name}: {words:?}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "literal words in templates:\n{}",
        found.join("\n")
    );
}

/// The literal text of a template: between tags and in the attributes people hear or read,
/// with its Askama expressions, tags and comments taken out.
fn literal_words(source: &str) -> Vec<String> {
    // Askama's blocks, then scripts and styles, are no text of the page.
    let mut text = source.to_owned();
    for (open, close) in [
        ("{#", "#}"),
        ("{{", "}}"),
        ("{%", "%}"),
        ("<script", "</script>"),
        ("<style", "</style>"),
    ] {
        while let Some(start) = text.find(open) {
            let Some(len) = text[start..].find(close) else {
                break;
            };
            text.replace_range(start..start + len + close.len(), " ");
        }
    }
    let mut words = Vec::new();
    // Between tags.
    for piece in text.split('<').skip(1) {
        if let Some((tag, after)) = piece.split_once('>') {
            words.push(after.trim().to_owned());
            for attribute in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
                for (i, _) in tag.match_indices(attribute) {
                    // `data-title="…"` and the like are no labels.
                    let before = tag[..i].chars().last();
                    if before.is_some_and(|c| c != ' ' && c != '\n') {
                        continue;
                    }
                    let value = &tag[i + attribute.len()..];
                    words.push(value[..value.find('"').unwrap_or(0)].trim().to_owned());
                }
            }
        }
    }
    words.retain(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2);
    words
}

#[test]
fn dates_use_the_page_language_and_timezone() {
    use chrono::TimeZone;
    use hud::i18n::{DateStyle, Lang, format_datetime};
    let at = chrono::Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap();
    let oslo = chrono_tz::Europe::Oslo;
    let nb = format_datetime(at, oslo, Lang::Nb, DateStyle::DateTime);
    assert!(nb.contains("mars") && nb.contains("01:30"), "{nb}");
    let fr = format_datetime(at, chrono_tz::Europe::Paris, Lang::Fr, DateStyle::Date);
    assert!(fr.contains("mars"), "{fr}");
    let en = format_datetime(
        at,
        chrono_tz::America::New_York,
        Lang::En,
        DateStyle::DateTime,
    );
    assert!(en.contains("28 March") && en.contains("20:30"), "{en}");
}

#[tokio::test]
async fn anonymous_timezone_from_cookie() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .get(app.url("/"))
        .header("cookie", "hud_tz=America%2FSao_Paulo")
        .send()
        .await
        .unwrap();
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert!(text(&html, "footer").unwrap().contains("America/Sao_Paulo"));
    let r = app
        .new_client()
        .get(app.url("/"))
        .header("cookie", "hud_tz=Not%2FA_Zone")
        .send()
        .await
        .unwrap();
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    assert!(
        text(&html, "footer").unwrap().contains("UTC"),
        "unknown zones fall back to UTC"
    );
}
