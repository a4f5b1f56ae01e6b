//! Per-request context: the user, the language and the timezone, resolved once.
//!
//! Language, in order: URL prefix, the user's preference, the `hud_lang` cookie,
//! `Accept-Language`, English. Timezone: the user's preference, the `hud_tz` cookie, UTC.
//! The API (`/api/…`) authenticates by bearer token only and ignores cookies.
//!
//! The context layer ([`layer`]) resolves it before anything else that needs it runs, hands it
//! on in the request's extensions, and renders error responses where it is known: an error
//! page speaks the user's language and shows their navigation.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{HeaderValue, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use chrono_tz::Tz;
use tower_sessions::Session;

use super::{diagnostics, error_page, lang_prefix::UrlLang, session_lifetime};
use crate::{
    i18n::{Lang, from_accept_language, parse_timezone},
    web::{
        AppError, AppState,
        auth::{CurrentUser, SESSION_USER_ID, TokenAuth, token_hash},
        users,
    },
};

/// Cookie set by the language switcher.
pub const LANG_COOKIE: &str = "hud_lang";
/// Cookie holding an anonymous visitor's timezone (set by `app.js` from the browser).
pub const TZ_COOKIE: &str = "hud_tz";

/// What every handler knows about the request.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// Page language.
    pub lang: Lang,
    /// Timezone for showing times.
    pub tz: Tz,
    /// The logged-in user (session or bearer token).
    pub user: Option<Arc<CurrentUser>>,
    /// The API token the request authenticated with, if any.
    pub token: Option<TokenAuth>,
    /// The language given by the URL prefix, if any (links keep it).
    pub url_lang: Option<Lang>,
    /// Path without language prefix.
    pub path: String,
    /// Whether this is an API request.
    pub api: bool,
}

impl Ctx {
    /// Prefix for links inside this page (`/nl` on a Dutch-prefixed page, else empty).
    pub fn url_prefix(&self) -> &'static str {
        self.url_lang.map_or("", Lang::url_prefix)
    }
}

/// The layer (`from_fn_with_state`, inside the session layer).
pub async fn layer(
    State(state): State<AppState>,
    session: Session,
    jar: CookieJar,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let (ctx, response) = match resolve(&state, &session, &jar, &parts).await {
        Ok(ctx) => {
            parts.extensions.insert(ctx.clone());
            let response = next.run(Request::from_parts(parts, body)).await;
            (ctx, response)
        }
        // The database is down, say: the error page in the language the request asks for.
        Err(error) => (Ctx::anonymous(&parts), error.into_response()),
    };
    let mut response = error_page::render(&state, &session, &ctx, response).await;
    finish(&mut response, &ctx);
    session_lifetime::set(&state, &session).await;
    response
}

impl Ctx {
    /// The context of an anonymous visitor, from the request alone.
    fn anonymous(req: &Parts) -> Ctx {
        let url_lang = req.extensions.get::<UrlLang>().map(|u| u.0);
        Ctx {
            lang: url_lang
                .or_else(|| accept_language(req))
                .unwrap_or_default(),
            tz: Tz::UTC,
            user: None,
            token: None,
            url_lang,
            path: req.uri.path().to_owned(),
            api: req.uri.path().starts_with("/api/"),
        }
    }
}

fn accept_language(req: &Parts) -> Option<Lang> {
    req.headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(from_accept_language)
}

/// Resolve the context of a request.
pub async fn resolve(
    state: &AppState,
    session: &Session,
    jar: &CookieJar,
    req: &Parts,
) -> Result<Ctx, AppError> {
    let api = req.uri.path().starts_with("/api/");
    let url_lang = req.extensions.get::<UrlLang>().map(|u| u.0);
    let (user, token) = if api {
        match bearer_token(req) {
            Some(token) => match CurrentUser::by_token_hash(&state.db, &token_hash(token)).await? {
                Some((user, token)) => (Some(user), Some(token)),
                None => (None, None),
            },
            None => (None, None),
        }
    } else {
        match session.get::<i64>(SESSION_USER_ID).await? {
            Some(id) => (
                users::current_user(&state.cache, &state.db, id).await?,
                None,
            ),
            None => (None, None),
        }
    };
    let accept = accept_language(req);
    let lang = if api {
        user.as_ref()
            .and_then(|u| u.lang)
            .or(accept)
            .unwrap_or_default()
    } else {
        let cookie_lang = jar.get(LANG_COOKIE).and_then(|c| c.value().parse().ok());
        url_lang
            .or(user.as_ref().and_then(|u| u.lang))
            .or(cookie_lang)
            .or(accept)
            .unwrap_or_default()
    };
    let cookie_tz = if api {
        None
    } else {
        jar.get(TZ_COOKIE)
            .and_then(|c| parse_timezone(&c.value().replace("%2F", "/")))
    };
    let tz = user
        .as_ref()
        .and_then(|u| u.tz)
        .or(cookie_tz)
        .unwrap_or(Tz::UTC);
    Ok(Ctx {
        lang,
        tz,
        user: user.map(Arc::new),
        token,
        url_lang,
        path: req.uri.path().to_owned(),
        api,
    })
}

/// Say on the response what it varies on, and whether its reader may see diagnostics.
fn finish(response: &mut Response, ctx: &Ctx) {
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(ctx.lang.code()) {
        headers.insert(header::CONTENT_LANGUAGE, v);
    }
    let vary = if ctx.api {
        "accept-language, authorization"
    } else {
        "accept-language, cookie"
    };
    headers.append(header::VARY, HeaderValue::from_static(vary));
    if ctx.user.as_ref().is_some_and(|user| user.is_admin) {
        response.extensions_mut().insert(diagnostics::Entitled);
    }
}

fn bearer_token(req: &Parts) -> Option<&str> {
    let value = req.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}
