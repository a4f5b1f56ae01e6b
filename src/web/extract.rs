//! Small extractors and request helpers shared by sub-apps.

use std::net::IpAddr;

use axum::{extract::FromRequestParts, http::request::Parts};

use super::{AppError, AppState, client_ip::client_ip};
use crate::db::ratelimit::{self, Decision};

/// The client's IP address (see [`client_ip`]); `None` when unknown (e.g. in-process calls).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, state.config.trust_proxy)))
    }
}

impl ClientIp {
    /// A stable text form for rate-limit buckets.
    pub fn bucket_key(&self) -> String {
        self.0
            .map(|ip| ip.to_string())
            .unwrap_or_else(|| "unknown".to_owned())
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
