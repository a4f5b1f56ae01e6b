//! Rate limits on the JSON API (`/api/v1/…`): so many requests per minute per API token, and
//! per client IP for requests without a valid token (`HUD_API_RATE_LIMIT`,
//! `HUD_API_RATE_LIMIT_ANONYMOUS`). Every answer says where the caller stands in the IETF
//! `RateLimit` / `RateLimit-Policy` headers (draft-ietf-httpapi-ratelimit-headers); a refusal
//! is a 429 problem+json with `Retry-After`.
//!
//! The limits are a generic cell rate algorithm (governor's keyed limiters), kept in each
//! process's memory: unlike the login and captcha limits (`db::ratelimit`, shared in
//! PostgreSQL because they stop password guessing across instances), these guard capacity and
//! fairness, are checked on every API request, cached answers included, and must not cost a
//! database round trip each. With N instances behind a load balancer a caller gets up to N
//! times the limit; the README says so.
//!
//! It runs inside the context layer, which has resolved the bearer token (a request with an
//! unknown token counts against its client IP) and renders the refusal.

use std::{
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
};

use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
};

use super::context::Ctx;
use crate::{
    config::ServerConfig,
    web::{AppError, client_ip},
};

/// `RateLimit`: the caller's remaining quota and seconds until it is whole again.
pub const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");
/// `RateLimit-Policy`: the quota and its window.
pub const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");

/// The window a quota is given for, in seconds (the limits are per minute).
const WINDOW_SECS: u64 = 60;
/// Checks between two sweeps of the callers whose quota is whole again (and so need no state).
const SWEEP_EVERY: u64 = 4096;

type Limiter<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// One quota and who it is counted for.
struct Policy<K: std::hash::Hash + Eq + Clone> {
    /// The policy's name in the headers.
    name: &'static str,
    /// Requests per window.
    quota: u32,
    limiter: Limiter<K>,
}

impl<K: std::hash::Hash + Eq + Clone> Policy<K> {
    fn new(name: &'static str, per_minute: u32) -> Option<Self> {
        let quota = NonZeroU32::new(per_minute)?;
        Some(Policy {
            name,
            quota: per_minute,
            limiter: RateLimiter::keyed(Quota::per_minute(quota))
                .with_middleware::<StateInformationMiddleware>(),
        })
    }

    /// Count one request of `key`.
    fn check(&self, key: &K) -> Verdict {
        let per_request = WINDOW_SECS as f64 / f64::from(self.quota);
        match self.limiter.check_key(key) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity().min(self.quota);
                // Whole again when the used part has trickled back, one request per interval.
                let reset = (f64::from(self.quota - remaining) * per_request).ceil() as u64;
                Verdict {
                    headers: self.headers(remaining, reset),
                    retry_after_secs: None,
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.limiter.clock().now());
                let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
                Verdict {
                    headers: self.headers(0, secs),
                    retry_after_secs: Some(secs),
                }
            }
        }
    }

    fn headers(&self, remaining: u32, reset_secs: u64) -> [(HeaderName, HeaderValue); 2] {
        let value = |text: String| HeaderValue::try_from(text).expect("ASCII header value");
        [
            (
                RATELIMIT,
                value(format!("\"{}\";r={remaining};t={reset_secs}", self.name)),
            ),
            (
                RATELIMIT_POLICY,
                value(format!(
                    "\"{}\";q={};w={WINDOW_SECS}",
                    self.name, self.quota
                )),
            ),
        ]
    }
}

/// What one request's count decided: the headers that say so, and when to come back if it
/// is refused.
struct Verdict {
    headers: [(HeaderName, HeaderValue); 2],
    retry_after_secs: Option<u64>,
}

/// The API's limits in this process.
pub struct ApiLimits {
    /// Per API token (by id).
    tokens: Option<Policy<i64>>,
    /// Per client IP bucket, for requests without a valid token.
    clients: Option<Policy<String>>,
    trust_proxy: bool,
    ipv6_prefix: u8,
    checks: AtomicU64,
}

impl ApiLimits {
    /// The limits `config` asks for (each off at 0).
    pub fn new(config: &ServerConfig) -> Self {
        ApiLimits {
            tokens: Policy::new("token", config.api_rate_limit),
            clients: Policy::new("client", config.api_rate_limit_anonymous),
            trust_proxy: config.trust_proxy,
            ipv6_prefix: config.rate_limit_ipv6_prefix,
            checks: AtomicU64::new(0),
        }
    }

    /// Count the request against its token or client; `None` when no limit applies.
    fn check(&self, parts: &Parts) -> Option<Verdict> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.sweep();
        }
        let token = parts
            .extensions
            .get::<Ctx>()
            .and_then(|ctx| ctx.token.as_ref());
        match token {
            Some(token) => self.tokens.as_ref().map(|policy| policy.check(&token.id)),
            None => self.clients.as_ref().map(|policy| {
                let ip = client_ip::client_ip(parts, self.trust_proxy);
                policy.check(&client_ip::bucket_key(ip, self.ipv6_prefix))
            }),
        }
    }

    /// Forget the callers whose quota is whole again: memory stays bounded by the callers of
    /// the last minute, however many come and go.
    fn sweep(&self) {
        if let Some(policy) = &self.tokens {
            policy.limiter.retain_recent();
        }
        if let Some(policy) = &self.clients {
            policy.limiter.retain_recent();
        }
    }
}

/// The layer (`from_fn_with_state`, inside the context layer; on every route, acting on
/// `/api/v1/…` only: the OpenAPI document and its viewer are not limited).
pub async fn layer(
    State(limits): State<std::sync::Arc<ApiLimits>>,
    req: Request,
    next: Next,
) -> Response {
    if !req.uri().path().starts_with("/api/v1/") {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let verdict = limits.check(&parts);
    let req = Request::from_parts(parts, body);
    let Some(verdict) = verdict else {
        return next.run(req).await;
    };
    let mut response = match verdict.retry_after_secs {
        None => next.run(req).await,
        Some(retry_after_secs) => {
            tracing::info!(path = %req.uri().path(), "API rate limit reached");
            AppError::RateLimited { retry_after_secs }.into_response()
        }
    };
    response.headers_mut().extend(verdict.headers);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(headers: &'a [(HeaderName, HeaderValue); 2], name: &HeaderName) -> &'a str {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.to_str().unwrap())
            .unwrap()
    }

    #[test]
    fn counts_down_then_refuses_with_the_time_to_wait() {
        let policy = Policy::<i64>::new("token", 3).unwrap();
        let first = policy.check(&1);
        assert_eq!(first.retry_after_secs, None);
        assert_eq!(header(&first.headers, &RATELIMIT), "\"token\";r=2;t=20");
        assert_eq!(
            header(&first.headers, &RATELIMIT_POLICY),
            "\"token\";q=3;w=60"
        );
        policy.check(&1);
        let third = policy.check(&1);
        assert_eq!(third.retry_after_secs, None);
        assert_eq!(header(&third.headers, &RATELIMIT), "\"token\";r=0;t=60");
        let refused = policy.check(&1);
        // One request's share of the quota is back in 20 s.
        let wait = refused.retry_after_secs.unwrap();
        assert!((1..=20).contains(&wait));
        assert_eq!(
            header(&refused.headers, &RATELIMIT),
            format!("\"token\";r=0;t={wait}")
        );
        // Another key has its own quota.
        assert_eq!(policy.check(&2).retry_after_secs, None);
    }

    #[test]
    fn zero_is_no_limit() {
        assert!(Policy::<i64>::new("token", 0).is_none());
    }
}
