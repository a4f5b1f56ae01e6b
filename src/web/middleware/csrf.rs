//! CSRF protection for every state-changing form.
//!
//! The session holds a random token; every form carries it in the hidden field `csrf_token`
//! (or a script sends it as `X-CSRF-Token`). This middleware checks every POST/PUT/PATCH/DELETE
//! outside `/api` (the API authenticates by bearer token, which a browser never sends by
//! itself) before any handler runs, so a form cannot forget it. The token is read from
//! urlencoded bodies and from the first part of multipart bodies, then the body is handed on.

use axum::{
    body::{Body, Bytes},
    extract::Request,
    http::{HeaderMap, Method, header},
};
use rand::RngCore;
use tower_sessions::Session;

use crate::web::AppError;

const SESSION_CSRF: &str = "csrf";
/// Name of the hidden form field.
pub const FIELD: &str = "csrf_token";
const HEADER: &str = "x-csrf-token";

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(existing) = existing(session).await? {
        return Ok(existing);
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex(&bytes);
    session.insert(SESSION_CSRF, &token).await?;
    Ok(token)
}

/// Give the session a new token. Called at login: the session id changes then, but its data
/// stays, and a token read before login (from a session cookie an attacker planted, or a page
/// the attacker saw) must not authorise requests of the logged-in user. (Logout drops the
/// whole session, token included.)
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

/// Reject unsafe requests whose token is missing or wrong; the request to hand on otherwise.
pub async fn check(session: &Session, req: Request) -> Result<Request, AppError> {
    let safe = matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    if safe || req.uri().path().starts_with("/api/") {
        return Ok(req);
    }
    let expected = existing(session).await?.ok_or(AppError::Csrf)?;
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
