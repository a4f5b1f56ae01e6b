//! Whole-response caching for chosen GET routes, through the model-cache layer.
//!
//! A route opts in with `.route_layer(from_fn_with_state((state.clone(), POLICY), cache))`. The key is the
//! path (without language prefix), the sorted query, the language, the timezone, the enabled
//! sub-apps and the auth state: anonymous, or the user for `per_user` routes (logged-in
//! readers of other routes are never served from or written to this cache).
//!
//! Never cached: non-GET requests, non-200 responses, responses setting cookies, and pages that
//! carry a CSRF token or flash messages (the page context marks them). Handlers attach tags
//! ([`CacheTags`]); [`invalidate_tag`] makes every response carrying the tag stale at once, in
//! every process: each tag has a random token, stored responses remember the tokens they saw,
//! and a new (or lost) token never matches an old response. Hits answer `If-None-Match` with 304.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use super::context::Ctx;
use crate::{
    cache::{Cache, CacheKey, Ttl, codec},
    web::AppState,
};

/// How a route is cached.
#[derive(Clone, Copy, Debug)]
pub struct CachePolicy {
    /// Lifetimes in the cache.
    pub ttl: Ttl,
    /// Cache per logged-in user too (for personal pages without forms, e.g. API reads).
    pub per_user: bool,
    /// `Cache-Control` sent to clients.
    pub cache_control: &'static str,
}

/// Tags a handler attaches to its response (`page:10`, `user:3`).
#[derive(Clone, Debug, Default)]
pub struct CacheTags(pub Vec<String>);

/// Set by the page context when the response must not be cached (CSRF token, flash messages).
#[derive(Clone, Debug, Default)]
pub struct Uncacheable(Arc<AtomicBool>);

impl Uncacheable {
    /// Mark the response being built as personal.
    pub fn mark(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    headers: Vec<(String, StoredBytes)>,
    #[serde(with = "serde_bytes")]
    body: Vec<u8>,
    etag: String,
    tags: Vec<(String, u64)>,
}

/// Bytes (de)serialized in one piece rather than element by element.
#[derive(Serialize, Deserialize)]
struct StoredBytes(#[serde(with = "serde_bytes")] Vec<u8>);

/// A [`Stored`] read in place from a cached item: a hit copies neither the body nor the
/// headers; the body is sent as a slice of the cached item itself.
#[derive(Deserialize)]
struct StoredView<'a> {
    #[serde(borrow)]
    headers: Vec<(&'a str, BorrowedBytes<'a>)>,
    #[serde(with = "serde_bytes")]
    body: &'a [u8],
    etag: &'a str,
    #[serde(borrow)]
    tags: Vec<(&'a str, u64)>,
}

#[derive(Deserialize)]
struct BorrowedBytes<'a>(#[serde(with = "serde_bytes")] &'a [u8]);

/// Headers worth replaying from a cached response.
const KEPT: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::CONTENT_LANGUAGE,
    header::VARY,
    header::CONTENT_SECURITY_POLICY,
];
const MAX_BODY: usize = 4 * 1024 * 1024;

/// Make every response tagged `tag` stale, in every process.
pub async fn invalidate_tag(cache: &Cache, tag: &str) {
    cache.invalidate(&tag_key(tag)).await;
}

fn tag_key(tag: &str) -> CacheKey {
    CacheKey::new("response_tag").field("tag", tag)
}

async fn tag_token(cache: &Cache, tag: &str) -> u64 {
    let ttl = Ttl::minutes(24 * 60);
    cache
        .get_or_load(&tag_key(tag), ttl, || async {
            Ok::<_, std::convert::Infallible>(rand::random::<u64>())
        })
        .await
        .unwrap_or_else(|never| match never {})
}

fn response_key(
    state: &AppState,
    ctx: &Ctx,
    req: &Request,
    policy: &CachePolicy,
) -> Option<CacheKey> {
    let who = match (&ctx.user, policy.per_user) {
        (None, _) => "anon".to_owned(),
        (Some(user), true) => format!("u{}", user.id),
        (Some(_), false) => return None,
    };
    let mut query: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    query.sort();
    let query = serde_urlencoded::to_string(&query).unwrap_or_default();
    Some(
        CacheKey::new("response")
            .field("path", &ctx.path)
            .field("query", query)
            .field("lang", ctx.lang)
            .field("tz", ctx.tz.name())
            .field("who", who)
            .field("apps", state.apps.key()),
    )
}

/// The middleware: `.route_layer(from_fn_with_state((state.clone(), POLICY), response_cache::cache))`.
pub async fn cache(
    State((state, policy)): State<(AppState, CachePolicy)>,
    mut req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return next.run(req).await;
    };
    let Some(key) = response_key(&state, &ctx, &req, &policy) else {
        return next.run(req).await;
    };
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    if let Some(item) = state.cache.get_bytes(&key, policy.ttl).await
        && let Ok(view) = postcard::from_bytes::<StoredView<'_>>(&item.payload)
        && tags_current(&state.cache, view.tags.iter().map(|(t, n)| (*t, *n))).await
    {
        let headers = view.headers.iter().map(|(name, value)| (*name, value.0));
        let body = codec::shared_slice(&item, view.body);
        return replay(
            headers,
            view.etag,
            body,
            if_none_match.as_ref(),
            &policy,
            "hit",
        );
    }
    let uncacheable = Uncacheable::default();
    req.extensions_mut().insert(uncacheable.clone());
    let response = next.run(req).await;
    let cacheable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && !uncacheable.0.load(Ordering::Relaxed);
    if !cacheable {
        return response;
    }
    let tags = response
        .extensions()
        .get::<CacheTags>()
        .cloned()
        .unwrap_or_default();
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut tokens = Vec::with_capacity(tags.0.len());
    for tag in tags.0 {
        let token = tag_token(&state.cache, &tag).await;
        tokens.push((tag, token));
    }
    let stored = Stored {
        headers: KEPT
            .iter()
            .flat_map(|name| {
                parts
                    .headers
                    .get_all(name)
                    .iter()
                    .map(move |v| (name.to_string(), StoredBytes(v.as_bytes().to_vec())))
            })
            .collect(),
        etag: format!("\"{}\"", &blake3::hash(&body).to_hex()[..32]),
        body: body.to_vec(),
        tags: tokens,
    };
    if let Ok(payload) = codec::to_payload(&stored) {
        state.cache.put_bytes(&key, payload, policy.ttl).await;
    }
    let headers = stored
        .headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.0.as_slice()));
    replay(
        headers,
        &stored.etag,
        body,
        if_none_match.as_ref(),
        &policy,
        "miss",
    )
}

async fn tags_current<'a>(cache: &Cache, tags: impl Iterator<Item = (&'a str, u64)>) -> bool {
    for (tag, token) in tags {
        if tag_token(cache, tag).await != token {
            return false;
        }
    }
    true
}

/// Answer from a stored response; `source` (`hit` / `miss`) goes into `X-Hud-Cache`.
fn replay<'a>(
    stored_headers: impl Iterator<Item = (&'a str, &'a [u8])>,
    etag: &str,
    body: Bytes,
    if_none_match: Option<&HeaderValue>,
    policy: &CachePolicy,
    source: &'static str,
) -> Response {
    let matched = if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == etag)
        });
    let mut headers = HeaderMap::new();
    for (name, value) in stored_headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_bytes(value))
        {
            headers.append(name, value);
        }
    }
    if let Ok(etag) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(policy.cache_control),
    );
    headers.insert(
        HeaderName::from_static("x-hud-cache"),
        HeaderValue::from_static(source),
    );
    let mut response = if matched {
        headers.remove(header::CONTENT_TYPE);
        Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
    } else {
        Response::builder()
            .status(StatusCode::OK)
            .body(Body::from(body))
    }
    .unwrap_or_default();
    response.headers_mut().extend(headers);
    response
}
