//! The home page (a card per enabled sub-app) and the language switcher. Always on.

use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderValue, header},
    middleware,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
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
            context::{Ctx, LANG_COOKIE},
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
            .route("/lang", post(switch_language))
            .route("/lang/{code}", get(language_link))
    },
    api: OpenApiRouter::new,
    warm_paths: &["/"],
    jobs: &[],
    schedules: &[],
    background: None,
    local: |_| {},
    form_guard: None,
    personal_data: None,
};

/// Anonymous visitors share the rendered home page (per language and timezone).
// Cards and texts only: nothing a write changes.
const HOME_CACHE: CachePolicy = CachePolicy::public(Ttl::minutes(5), &[], response_cache::untagged);

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

/// `GET /lang/{code}?next=/path`: only a redirect to the page in that language (old links and
/// bookmarks). It changes nothing: a GET must not, since any site can make a browser send one.
#[tracing::instrument(skip_all, err)]
async fn language_link(
    Path(code): Path<String>,
    Query(query): Query<SwitchQuery>,
) -> Result<Response> {
    let lang: Lang = code.parse().map_err(|_| AppError::NotFound)?;
    Ok(back_to(lang, query.next.as_deref()))
}

/// The language switcher's form.
#[derive(Deserialize)]
struct SwitchForm {
    lang: String,
    next: Option<String>,
}

/// `POST /lang` (`lang=sv&next=/path`): remember the language (the `hud_lang` cookie, and the
/// account's preference when logged in) and go back to the page in that language.
///
/// A form on every page, so it is a POST: logged-in visitors' forms carry the CSRF token;
/// anonymous visitors' pages are shared through the response cache and cannot, so for them the
/// CSRF check asks for proof of a same-origin request instead (`web::middleware::csrf`).
/// Stores nothing in the session: choosing a language creates no session row.
#[tracing::instrument(skip_all, err)]
async fn switch_language(
    State(state): State<AppState>,
    ctx: axum::Extension<Ctx>,
    jar: CookieJar,
    Form(form): Form<SwitchForm>,
) -> Result<Response> {
    let lang: Lang = form.lang.parse().map_err(|_| AppError::NotFound)?;
    if let Some(user) = &ctx.user {
        set_preferred_language(&state.db, &state.cache, user.id, Some(lang)).await?;
    }
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .max_age(time::Duration::days(365))
        .same_site(SameSite::Lax)
        .secure(state.config.server.secure_cookies)
        .http_only(true)
        .build();
    Ok((jar.add(cookie), back_to(lang, form.next.as_deref())).into_response())
}

/// A `303 See Other` to `next` (when it is a local path, else the home page) in `lang`.
fn back_to(lang: Lang, next: Option<&str>) -> Response {
    let next = safe_next(next).unwrap_or("/");
    let target = format!("{}{}", lang.url_prefix(), next);
    let mut response = Redirect::to(&target).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
