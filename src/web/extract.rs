//! Small extractors and request helpers shared by sub-apps.

use std::net::IpAddr;

use axum::{extract::FromRequestParts, http::request::Parts};

use super::{AppError, AppState, client_ip::client_ip};
use crate::db::ratelimit::{self, Decision};

/// The client's IP address (see [`client_ip`]), with what rate limits need to bucket it.
pub struct ClientIp {
    /// The address; `None` when unknown (e.g. in-process calls).
    pub ip: Option<IpAddr>,
    /// `HUD_RATE_LIMIT_IPV6_PREFIX`.
    ipv6_prefix: u8,
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp {
            ip: client_ip(parts, state.config.server.trust_proxy),
            ipv6_prefix: state.config.server.rate_limit_ipv6_prefix,
        })
    }
}

impl ClientIp {
    /// A stable text form for rate-limit buckets: the address, or its network for IPv6 (see
    /// [`super::client_ip::bucket_key`]).
    pub fn bucket_key(&self) -> String {
        super::client_ip::bucket_key(self.ip, self.ipv6_prefix)
    }
}

/// Count one attempt in `bucket`; a 429 error when over `limit` per `window`.
pub async fn rate_limit(
    state: &AppState,
    bucket: &str,
    window: chrono::Duration,
    limit: i32,
) -> Result<(), AppError> {
    match ratelimit::hit(&state.db, bucket, window, limit).await? {
        Decision::Allowed => Ok(()),
        Decision::Limited { retry_after_secs } => {
            tracing::warn!(bucket, "rate limit reached");
            Err(AppError::RateLimited { retry_after_secs })
        }
    }
}
