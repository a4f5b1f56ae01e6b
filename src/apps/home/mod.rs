//! The home page (a card per enabled sub-app) and the language switcher. Always on.

use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, header},
    middleware,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::{
    cache::Ttl,
    i18n::Lang,
    web::{
        AppError, AppState, Page, Result,
        apps::SubApp,
        auth::{safe_next, set_preferred_language},
        middleware::{
            context::{Ctx, LANG_COOKIE, SESSION_LANG},
            response_cache::{self, CachePolicy},
        },
        page::render,
    },
};

/// Registration.
pub const APP: SubApp = SubApp {
    name: "home",
    switchable: false,
    nav: None,
    card: None,
    admin: &[],
    pages: |state| {
        Router::new()
            .route(
                "/",
                get(home).route_layer(middleware::from_fn_with_state(
                    (state.clone(), HOME_CACHE),
                    response_cache::cache,
                )),
            )
            .route("/lang/{code}", get(switch_language))
    },
    api: OpenApiRouter::new,
    warm_paths: &["/"],
    jobs: &[],
    schedules: &[],
    background: None,
    form_guard: None,
};

/// Anonymous visitors share the rendered home page (per language and timezone).
const HOME_CACHE: CachePolicy = CachePolicy {
    ttl: Ttl::minutes(5),
    per_user: false,
    cache_control: "public, max-age=60",
    query: &[],
    // Cards and texts only: nothing a write changes.
    tags: response_cache::untagged,
};

/// The home page.
#[derive(askama::Template)]
#[template(path = "home/index.html")]
struct HomeTemplate {
    page: Page,
}

#[tracing::instrument(skip_all, err)]
async fn home(page: Page) -> Result<Response> {
    render(&HomeTemplate { page })
}

#[derive(Deserialize)]
struct SwitchQuery {
    next: Option<String>,
}

/// `GET /lang/{code}?next=/path`: remember the language (cookie, session, and the account's
/// preference) and go back to the page in that language.
///
/// A GET, so every page can offer the switcher without a form and stay cacheable; the
/// account preference is only changed for same-origin navigations (Fetch Metadata), so a
/// foreign site cannot change it.
#[tracing::instrument(skip_all, err)]
async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<SwitchQuery>,
    ctx: axum::Extension<Ctx>,
    page: Page,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<Response> {
    let lang: Lang = code.parse().map_err(|_| AppError::NotFound)?;
    let same_origin = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "same-origin" || v == "none");
    if let (Some(user), true) = (&ctx.user, same_origin) {
        set_preferred_language(&state.db, &state.cache, user.id, Some(lang)).await?;
    }
    page.session().insert(SESSION_LANG, lang).await?;
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .max_age(time::Duration::days(365))
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .http_only(true)
        .build();
    let next = safe_next(query.next.as_deref()).unwrap_or("/");
    let target = format!("{}{}", lang.url_prefix(), next);
    let mut response = (jar.add(cookie), Redirect::to(&target)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
