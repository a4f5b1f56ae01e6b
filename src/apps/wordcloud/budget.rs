//! The render budget: how many clouds, trends and comparisons one client may have rendered.
//!
//! Rendering is the expensive part of a cloud (summing crawls, laying words out, rasterising a
//! PNG). Anonymous readers share rendered responses through the response cache, but every new
//! query string (another range, word count, scale) misses it, so a client could keep the server
//! busy by varying parameters. Each handler that renders spends one unit of its client's budget
//! (`HUD_RENDER_LIMIT_PER_IP` per minute, IPv6 counted by network like every per-IP limit)
//! before it works, and answers 429 with `Retry-After` when it is spent. Handlers behind the
//! response cache only run on a miss, so a cached response is never counted or refused.

use chrono::Duration;

use crate::web::{
    AppState, Result,
    extract::{ClientIp, rate_limit},
};

/// Spend one render of `ip`'s budget; a 429 error when it is spent.
pub async fn spend(state: &AppState, ip: &ClientIp) -> Result<()> {
    rate_limit(
        state,
        &format!("render:ip:{}", ip.bucket_key()),
        Duration::minutes(1),
        state.config.clouds.render_limit_per_ip,
    )
    .await
}
