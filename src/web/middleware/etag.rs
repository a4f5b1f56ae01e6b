//! HUD's one entity-tag scheme, for every response that carries one: uncached HTML pages
//! ([`layer`]), pages replayed from the response cache, and static files.
//!
//! - A page's tag is the XXH3-128 of its identity body, seeded from the secret key ([`of`]):
//!   it runs on every uncached page, where BLAKE3 took 5 % of the CPU, and the seed keeps
//!   anyone from crafting a collision. Every instance has the same seed, so their tags agree.
//!   A static file's tag is the content hash already in its file name (computed once at start).
//! - `If-None-Match` is parsed once, here ([`matches`]), with the weak comparison RFC 9110
//!   (§13.1.2) prescribes for it; `*` matches any current representation.
//! - A strong validator promises byte-identical bodies, and a compressed body is different
//!   bytes from the identity one: a response sent with a `Content-Encoding` has its tag made
//!   weak ([`weaken_when_encoded`], after compression), so caches never combine ranges of two
//!   encodings under one strong tag. The weak comparison still answers 304 for either form.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use twox_hash::XxHash3_128;

/// Pages larger than this are passed through untouched rather than buffered.
const MAX_BUFFERED: usize = 2 * 1024 * 1024;

/// The strong entity tag of an identity `body`, keyed by `seed`.
pub fn of(seed: u64, body: &[u8]) -> String {
    format!("\"{:032x}\"", XxHash3_128::oneshot_with_seed(seed, body))
}

/// Whether an `If-None-Match` header matches `tag` (weak comparison, `*` matches).
pub fn matches(if_none_match: Option<&HeaderValue>, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let tag = opaque(tag);
    if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == "*" || opaque(t) == tag))
}

/// Set `tag` on `headers` and answer 304 (without a body) when the request's condition
/// matches it.
pub fn apply(
    status: &mut StatusCode,
    headers: &mut HeaderMap,
    tag: &str,
    if_none_match: Option<&HeaderValue>,
) -> bool {
    if let Ok(value) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, value);
    }
    let matched = matches(if_none_match, tag);
    if matched {
        *status = StatusCode::NOT_MODIFIED;
        headers.remove(header::CONTENT_LENGTH);
    }
    matched
}

/// The layer for pages (`from_fn_with_state` with the seed, on every route): tags a GET's 200
/// HTML response that has no tag yet and answers a matching `If-None-Match` with 304.
pub async fn layer(State(seed): State<u64>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    tag(seed, if_none_match, next.run(req).await).await
}

/// Tag a 200 HTML response (keyed by `seed`) and answer a matching `If-None-Match` with 304.
async fn tag(seed: u64, if_none_match: Option<HeaderValue>, response: Response) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if response.status() != StatusCode::OK
        || !is_html
        || response.headers().contains_key(header::ETAG)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BUFFERED).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let tag = of(seed, &bytes);
    if apply(
        &mut parts.status,
        &mut parts.headers,
        &tag,
        if_none_match.as_ref(),
    ) {
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Make the ETag of a content-encoded response weak (see the module docs).
pub fn weaken_when_encoded(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let weak = headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .filter(|tag| !tag.starts_with("W/"))
        .and_then(|tag| HeaderValue::from_str(&format!("W/{tag}")).ok());
    if let Some(weak) = weak {
        headers.insert(header::ETAG, weak);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_uses_the_weak_comparison() {
        let tag = of(7, b"page");
        let header = |v: &str| HeaderValue::from_str(v).unwrap();
        assert!(matches(Some(&header(&tag)), &tag));
        assert!(matches(Some(&header(&format!("W/{tag}"))), &tag));
        assert!(matches(Some(&header(&format!("\"x\", W/{tag}"))), &tag));
        assert!(matches(Some(&header("*")), &tag));
        assert!(matches(Some(&header(&tag)), &format!("W/{tag}")));
        assert!(!matches(Some(&header("\"other\"")), &tag));
        assert!(!matches(None, &tag));
        assert_ne!(of(7, b"page"), of(8, b"page"), "the seed keys the hash");
    }

    #[test]
    fn only_encoded_responses_get_a_weak_tag() {
        let strong = of(1, b"body");
        let tagged = |encoding: Option<&'static str>| {
            let mut response = Response::new(Body::empty());
            let headers = response.headers_mut();
            headers.insert(header::ETAG, HeaderValue::from_str(&strong).unwrap());
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let (plain, encoded) = (tagged(None), tagged(Some("br")));
        assert_eq!(weaken_when_encoded(plain).headers()[header::ETAG], *strong);
        let weak = weaken_when_encoded(encoded);
        assert_eq!(weak.headers()[header::ETAG], *format!("W/{strong}"));
        // Idempotent: a weak tag stays as it is.
        assert_eq!(
            weaken_when_encoded(weak).headers()[header::ETAG],
            *format!("W/{strong}")
        );
    }
}
