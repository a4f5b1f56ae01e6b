//! CSRF protection for every state-changing form.
//!
//! Every form carries a random token in the hidden field `csrf_token` (or a script sends it as
//! `X-CSRF-Token`). This middleware checks every POST/PUT/PATCH/DELETE outside `/api` (the API
//! authenticates by bearer token, which a browser never sends by itself) before any handler
//! runs, so a form cannot forget it. The token is read from urlencoded bodies and from the first
//! part of multipart bodies, then the body is handed on.
//!
//! Where the token lives: a logged-in session keeps it in the session. An anonymous visitor's
//! token lives in a signed cookie instead (double submit: the form and the cookie must agree),
//! so showing a login or signup form to a visitor stores nothing — no session row per page
//! view. The cookie is `HttpOnly`, `SameSite=Lax`, signed with a key derived from
//! `HUD_SECRET_KEY` (a value HUD did not mint is ignored) and, with `HUD_SECURE_COOKIES`, named
//! `__Host-…` so that a sibling subdomain cannot plant one. It is dropped whenever the session's
//! user changes (login, logout), like the session's own token.
//!
//! Two checks need no token: a request a browser marks as cross-site or same-site
//! (`Sec-Fetch-Site`) is refused outright; and the language switcher, which sits on pages
//! that anonymous visitors share through the response cache (no per-visitor token can be in
//! them), is accepted from anonymous visitors only with proof that the browser sent it from
//! this site (`Sec-Fetch-Site: same-origin`, or else an `Origin` naming this host).

use std::sync::{Arc, Mutex};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use rand::RngCore;
use tower_sessions::Session;

use super::{context::Ctx, session_lifetime::session_user};
use crate::web::{AppError, AppState};

const SESSION_CSRF: &str = "csrf";
/// Name of the hidden form field.
pub const FIELD: &str = "csrf_token";
const HEADER: &str = "x-csrf-token";
/// Forms checked by origin instead of token for anonymous visitors (see the module docs).
const ORIGIN_CHECKED: &[&str] = &["/lang"];

/// The layer (`from_fn_with_state`, on every route; after the context layer): checks unsafe
/// page requests, hands the visitor's [`AnonToken`] to the page, and sends or drops its cookie.
pub async fn layer(
    State(state): State<AppState>,
    session: Session,
    jar: CookieJar,
    mut req: Request,
    next: Next,
) -> Response {
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return AppError::Internal(anyhow::anyhow!("the CSRF layer runs without a context"))
            .into_response();
    };
    if ctx.api {
        // The API authenticates by bearer token, which a browser never sends by itself.
        return next.run(req).await;
    }
    let anon = AnonToken::from_jar(&state, &jar);
    req.extensions_mut().insert(anon.clone());
    let user_before = session_user(&session).await;
    let mut response = match check(&state, &session, &anon, ctx.user.is_some(), req).await {
        Ok(req) => next.run(req).await,
        Err(error) => {
            crate::telemetry::metrics_recorder();
            metrics::counter!("http_requests_refused_total", "reason" => "csrf").increment(1);
            error.into_response()
        }
    };
    let user_after = session_user(&session).await;
    finish(&state, &anon, user_after != user_before, &mut response);
    response
}

/// Name of the cookie holding an anonymous visitor's token.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-hud_csrf"
    } else {
        "hud_csrf"
    }
}

/// An anonymous visitor's token: the one its cookie carries (signature checked), and the one
/// minted during this request, if any (the response then sets the cookie).
#[derive(Clone, Debug, Default)]
pub struct AnonToken {
    existing: Option<String>,
    minted: Arc<Mutex<Option<String>>>,
}

impl AnonToken {
    /// The token of the request's cookie, if HUD signed it.
    pub fn from_jar(state: &AppState, jar: &CookieJar) -> Self {
        let existing = jar
            .get(cookie_name(state.config.server.secure_cookies))
            .and_then(|cookie| verify(&state.csrf_key, cookie.value()));
        AnonToken {
            existing,
            minted: Arc::default(),
        }
    }

    /// The visitor's token, minted (and sent as a cookie with the response) when it has none.
    pub fn get_or_mint(&self) -> String {
        if let Some(existing) = &self.existing {
            return existing.clone();
        }
        let mut minted = self
            .minted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        minted.get_or_insert_with(random_token).clone()
    }

    /// The visitor's token, if it has one (never mints).
    pub fn current(&self) -> Option<String> {
        self.existing.clone().or_else(|| {
            self.minted
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone()
        })
    }
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

fn sign(key: &[u8; 32], token: &str) -> String {
    format!(
        "{token}.{}",
        blake3::keyed_hash(key, token.as_bytes()).to_hex()
    )
}

fn verify(key: &[u8; 32], value: &str) -> Option<String> {
    let (token, mac) = value.split_once('.')?;
    let mac = blake3::Hash::from_hex(mac).ok()?;
    // `blake3::Hash` compares in constant time.
    (token.len() == 64 && mac == blake3::keyed_hash(key, token.as_bytes()))
        .then(|| token.to_owned())
}

/// After the handler: send the cookie of a token minted for this response, or drop the cookie
/// when the session's user changed (login, logout), so no token from before outlives it.
fn finish(state: &AppState, anon: &AnonToken, user_changed: bool, response: &mut Response) {
    let name = cookie_name(state.config.server.secure_cookies);
    let secure = if state.config.server.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = if user_changed {
        if anon.existing.is_none() {
            return;
        }
        format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}")
    } else {
        let minted = anon
            .minted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let Some(token) = minted else { return };
        // A browser-session cookie: it lasts as long as the visitor's open form pages.
        format!(
            "{name}={}; Path=/; HttpOnly; SameSite=Lax{secure}",
            sign(&state.csrf_key, &token)
        )
    };
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
        // A page carrying a visitor's own token must not be kept by shared caches.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// The session's token, created on first use (logged-in sessions).
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(existing) = existing(session).await? {
        return Ok(existing);
    }
    let token = random_token();
    session.insert(SESSION_CSRF, &token).await?;
    Ok(token)
}

/// Give the session a new token. Called at login: the session id changes then, but its data
/// stays, and a token read before login (from a session cookie an attacker planted, or a page
/// the attacker saw) must not authorise requests of the logged-in user. (Logout drops the
/// whole session, token included; the anonymous cookie is dropped by [`finish`] at both.)
pub async fn rotate(session: &Session) -> Result<String, AppError> {
    session.remove::<String>(SESSION_CSRF).await?;
    token(session).await
}

/// The session's token, if it has one.
pub async fn existing(session: &Session) -> Result<Option<String>, AppError> {
    Ok(session.get::<String>(SESSION_CSRF).await?)
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the browser says the request came from another site (`Sec-Fetch-Site`).
fn cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .is_some_and(|v| !matches!(v.as_bytes(), b"same-origin" | b"none"))
}

/// Whether the browser proves the request came from this site: `Sec-Fetch-Site: same-origin`,
/// or (browsers without Fetch Metadata) an `Origin` whose host is the request's `Host`.
fn same_origin(headers: &HeaderMap, trust_proxy: bool) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(origin_host) = origin
        .split_once("://")
        .map(|(_, host)| host)
        .filter(|host| !host.is_empty() && !host.contains('/'))
    else {
        return false;
    };
    let host = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let forwarded = trust_proxy
        .then(|| host("x-forwarded-host"))
        .flatten()
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim);
    [host(header::HOST.as_str()), forwarded]
        .into_iter()
        .flatten()
        .any(|h| h.eq_ignore_ascii_case(origin_host))
}

/// Reject unsafe requests whose token is missing or wrong; the request to hand on otherwise.
/// `logged_in`: whether the session belongs to a user.
async fn check(
    state: &AppState,
    session: &Session,
    anon: &AnonToken,
    logged_in: bool,
    req: Request,
) -> Result<Request, AppError> {
    // Only the methods HUD's routes accept for changes need the token. Safe methods change
    // nothing, and any other method (`QUERY`, `PROPFIND`, …) is handled by no route: the
    // router answers it 405 Method Not Allowed, as it should be answered.
    let changes = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if !changes {
        return Ok(req);
    }
    if cross_site(req.headers()) {
        tracing::warn!(path = %req.uri().path(), "cross-site form refused");
        return Err(AppError::Csrf);
    }
    if !logged_in && ORIGIN_CHECKED.contains(&req.uri().path()) {
        if same_origin(req.headers(), state.config.server.trust_proxy) {
            return Ok(req);
        }
        tracing::warn!(path = %req.uri().path(), "form from another origin refused");
        return Err(AppError::Csrf);
    }
    let expected = match existing(session).await? {
        Some(token) => token,
        None => anon.existing.clone().ok_or(AppError::Csrf)?,
    };
    let (parts, body) = req.into_parts();
    // The body-limit layer has already bounded the size.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| AppError::TooLarge)?;
    let submitted = submitted_token(&parts.headers, &bytes).await;
    let matches = submitted.is_some_and(|s| {
        // Compare digests: constant-time equality regardless of where the strings differ.
        blake3::hash(s.as_bytes()) == blake3::hash(expected.as_bytes())
    });
    if !matches {
        tracing::warn!(path = %parts.uri.path(), "CSRF token missing or wrong");
        return Err(AppError::Csrf);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

async fn submitted_token(headers: &HeaderMap, body: &Bytes) -> Option<String> {
    if let Some(value) = headers.get(HEADER).and_then(|v| v.to_str().ok()) {
        return Some(value.to_owned());
    }
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return form_urlencoded::parse(body)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned());
    }
    if content_type.starts_with("multipart/form-data") {
        let boundary = multer::parse_boundary(content_type).ok()?;
        let stream = futures_util::stream::once({
            let body = body.clone();
            async move { Ok::<_, std::convert::Infallible>(body) }
        });
        let mut multipart = multer::Multipart::new(stream, boundary);
        // Forms put the token first, so the upload after it need not be parsed here.
        let field = multipart.next_field().await.ok()??;
        if field.name() != Some(FIELD) {
            return None;
        }
        return field.text().await.ok();
    }
    None
}
