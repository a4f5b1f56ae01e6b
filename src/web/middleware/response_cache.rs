//! Whole-response caching for chosen GET routes, through the model-cache layer.
//!
//! A route opts in with `.route_layer(from_fn_with_state((state.clone(), POLICY), cache))`. The
//! key is the path (without language prefix) and the URL's language prefix, the query
//! parameters the route reads (its allow-list: others cannot change the answer and are left out,
//! so `?z=N` neither misses nor evicts), the language, the timezone, the enabled sub-apps and
//! the auth state: anonymous, or the user for `per_user` routes (logged-in readers of other
//! routes are never served from or written to this cache).
//!
//! Never cached: non-GET requests, non-200 responses, responses setting cookies, and pages that
//! carry a CSRF token or flash messages (the page context marks them).
//!
//! Tags: the policy names the tags of a request's response from its path and query (`page:10`,
//! `pages`); a write invalidates a tag by committing [`tag_key`] with its data. Each tag has a
//! random token, and a stored response remembers the tokens it was rendered under — read
//! *before* the handler runs, so a write committed while it renders leaves the response with
//! a token that is already gone and it is never served. A response past its soft TTL is
//! rendered anew by one request (memcached hands out the refresh) while the others are served
//! the old one; hits answer `If-None-Match` with 304.

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

use super::{context::Ctx, diagnostics, etag};
use crate::{
    cache::{BytesLookup, Cache, CacheKey, Ttl, codec},
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
    /// The query parameters the route's handlers read; only these are part of the key.
    pub query: &'static [&'static str],
    /// The tags of the response to a request: from its path (without language prefix) and
    /// its allowed query parameters, before the handler runs.
    pub tags: TagsOf,
}

impl CachePolicy {
    /// Pages every anonymous reader of a language and timezone shares: kept `ttl` in the cache
    /// (or until a write drops one of their `tags`), a minute in browsers and proxies.
    pub const fn public(ttl: Ttl, query: &'static [&'static str], tags: TagsOf) -> Self {
        CachePolicy {
            ttl,
            per_user: false,
            cache_control: "public, max-age=60",
            query,
            tags,
        }
    }
}

/// How a route names the tags of a response: from the path and the allowed query parameters.
pub type TagsOf = fn(&str, &[(String, String)]) -> Vec<String>;

/// Tag of every response listing the registered pages.
pub const PAGES_TAG: &str = "pages";

/// For [`CachePolicy::tags`]: responses that no write changes (only their TTL ends them).
pub fn untagged(_path: &str, _query: &[(String, String)]) -> Vec<String> {
    Vec::new()
}

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

/// The key of a tag's token: what a write that changes the tagged responses invalidates.
pub fn tag_key(tag: &str) -> CacheKey {
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

/// The query parameters of `req` that `policy` allows, sorted.
fn allowed_query(req: &Request, policy: &CachePolicy) -> Vec<(String, String)> {
    let mut query: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .filter(|(name, _)| policy.query.contains(&name.as_ref()))
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    query.sort();
    query
}

fn response_key(
    state: &AppState,
    ctx: &Ctx,
    query: &[(String, String)],
    policy: &CachePolicy,
) -> Option<CacheKey> {
    let who = match (&ctx.user, policy.per_user) {
        (None, _) => "anon".to_owned(),
        (Some(user), true) => format!("u{}", user.id),
        (Some(_), false) => return None,
    };
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    Some(
        CacheKey::new("response")
            .field("path", &ctx.path)
            .field("prefix", ctx.url_prefix())
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
    let query = allowed_query(&req, &policy);
    let Some(key) = response_key(&state, &ctx, &query, &policy) else {
        return next.run(req).await;
    };
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let mut lookup = state.cache.get_bytes(&key, policy.ttl).await;
    if let BytesLookup::Hit(item) = &lookup {
        if let Some(body) = codec::payload_body::<Stored>(&item.payload)
            && let Ok(view) = postcard::from_bytes::<StoredView<'_>>(body)
            && tags_current(&state.cache, view.tags.iter().map(|(t, n)| (*t, *n))).await
        {
            let headers = view.headers.iter().map(|(name, value)| (*name, value.0));
            let body = codec::shared_slice(item, view.body);
            return replay(
                headers,
                view.etag,
                body,
                if_none_match.as_ref(),
                &policy,
                "hit",
            );
        }
        // A write moved one of its tags on: the stored response is dead for every reader.
        state.cache.discard(&key).await;
        lookup = state.cache.get_bytes(&key, policy.ttl).await;
    }
    let slot = match lookup {
        BytesLookup::Miss(slot) | BytesLookup::Refresh(_, slot) => Some(slot),
        BytesLookup::Hit(_) => None,
    };
    // The tokens the response is rendered under, read before it is rendered.
    let mut tokens = Vec::new();
    for tag in (policy.tags)(&ctx.path, &query) {
        let token = tag_token(&state.cache, &tag).await;
        tokens.push((tag, token));
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
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
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
        etag: etag::of(state.etag_seed, &body),
        body: body.to_vec(),
        tags: tokens,
    };
    if let (Some(slot), Ok(payload)) = (slot, codec::to_payload(&stored)) {
        state.cache.put_bytes(slot, payload, policy.ttl).await;
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
    let mut headers = HeaderMap::new();
    for (name, value) in stored_headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_bytes(value))
        {
            headers.append(name, value);
        }
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(policy.cache_control),
    );
    headers.insert(diagnostics::CACHE_HEADER, HeaderValue::from_static(source));
    let mut status = StatusCode::OK;
    let body = if etag::apply(&mut status, &mut headers, etag, if_none_match) {
        headers.remove(header::CONTENT_TYPE);
        Body::empty()
    } else {
        Body::from(body)
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}
